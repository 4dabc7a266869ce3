"""Maps of territories and per-rep workload against the balance band."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.spatial import ConvexHull, QhullError

__all__ = ["plot_territory_map", "plot_workload"]


def _colours(rep_ids) -> dict:
    cmap = plt.get_cmap("tab20")
    return {r: cmap(k % 20) for k, r in enumerate(sorted(rep_ids))}


def plot_territory_map(accounts: pd.DataFrame, owner: pd.Series | np.ndarray, reps: pd.DataFrame, *,
                       title: str = "", ax=None, hulls: bool = True):
    """Accounts coloured by rep, with each territory's convex hull and the reps' bases.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``lat, lon`` (and the rows ``owner`` refers to).
    owner : array_like
        Rep id of each account (empty or NaN: unassigned, drawn grey).
    reps : pandas.DataFrame
        ``rep_id, base_lat, base_lon`` (degrees).
    title : str
        Axes title.
    ax : matplotlib.axes.Axes, optional
    hulls : bool
        Draw each territory's convex hull.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 6))
    owner = pd.Series(np.asarray(owner, dtype=object), index=accounts.index).fillna("")
    colours = _colours(reps["rep_id"].astype(str))
    lon, lat = accounts["lon"].to_numpy(), accounts["lat"].to_numpy()
    none = (owner == "").to_numpy()
    ax.scatter(lon[none], lat[none], s=5, c="#bbbbbb", label="unassigned")
    for rep, idx in owner[~none].groupby(owner[~none]).groups.items():
        pts = np.c_[lon[accounts.index.get_indexer(idx)], lat[accounts.index.get_indexer(idx)]]
        col = colours.get(rep, "#555555")
        ax.scatter(pts[:, 0], pts[:, 1], s=6, color=col)
        if hulls and len(pts) >= 3:
            try:
                h = ConvexHull(pts)
            except QhullError:  # all points on a line
                continue
            ring = pts[np.r_[h.vertices, h.vertices[:1]]]
            ax.fill(ring[:, 0], ring[:, 1], color=col, alpha=0.08)
            ax.plot(ring[:, 0], ring[:, 1], color=col, lw=0.8)
    ax.scatter(reps["base_lon"], reps["base_lat"], marker="*", s=140, c=[colours[r] for r in reps["rep_id"].astype(str)],
               edgecolors="black", linewidths=0.7, zorder=5, label="rep base")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_aspect(1 / np.cos(np.radians(np.nanmean(lat))) if len(lat) else 1)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_workload(summary: pd.DataFrame, tolerance: float, ax=None):
    """Each rep's load as a share of their target, against the ± tolerance band.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`Assignment.by_rep <salesplan.territory.Assignment.by_rep>` (``rep_id, deviation``).
    tolerance : float
        Allowed deviation (share, 0.10 = ±10 %).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    s = summary
    ratio = s["load"] / s["target_load"]
    x = np.arange(len(s))
    ok = (ratio - 1).abs() <= tolerance + 1e-9
    ax.bar(x, ratio, color=np.where(ok, "#1f4e8c", "#c0392b"))
    ax.axhspan(1 - tolerance, 1 + tolerance, color="#2e8b57", alpha=0.15, label=f"±{tolerance:.0%} band")
    ax.axhline(1, color="#2e8b57", lw=1)
    ax.set_xticks(x, s["rep_id"], rotation=90 if len(s) > 20 else 0)
    ax.set_ylabel("load / target")
    ax.set_ylim(0, max(1.3, float(ratio.max()) * 1.05))
    ax.set_title("Workload against each rep's FTE share")
    ax.legend(fontsize="small")
    return ax
