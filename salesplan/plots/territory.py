"""Maps of territories and per-rep workload against the balance band.

The map draws the province outlines of China under the accounts (a small
public-domain file shipped with the package, see the README), marks each
rep's base and names every rep in a legend beside the map.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy.spatial import ConvexHull, QhullError

from salesplan.plots import axes_or_new, colours_for, legend_outside, use_language
from salesplan.widgets.labels import text

__all__ = ["plot_territory_map", "plot_workload", "plot_visits", "plot_pareto", "province_outlines"]

#: Margin around the accounts and bases on a map (degrees).
MAP_MARGIN = 1.0


@lru_cache(maxsize=1)
def province_outlines() -> tuple[tuple[str, str, tuple[np.ndarray, ...]], ...]:
    """Outlines of China's provinces, simplified (Natural Earth, public domain).

    Returns
    -------
    tuple of (str, str, tuple of numpy.ndarray)
        English name, Chinese name and the outer rings (``lon, lat`` in
        degrees, one ``n x 2`` array a ring) of each province.
    """
    raw = resources.files("salesplan").joinpath("data/provinces_cn.json").read_text(encoding="utf-8")
    return tuple((p["name"], p["name_zh"], tuple(np.asarray(r) for r in p["rings"]))
                 for p in json.loads(raw)["provinces"])


def _draw_provinces(ax) -> None:
    from matplotlib.collections import PolyCollection

    rings = [ring for _, _, rs in province_outlines() for ring in rs]
    ax.add_collection(PolyCollection(rings, facecolors="#f4f1ea", edgecolors="#a9a49a", linewidths=0.6, zorder=0),
                      autolim=False)


def plot_territory_map(accounts: pd.DataFrame, owner: pd.Series | np.ndarray, reps: pd.DataFrame, *,
                       title: str = "", ax=None, hulls: bool = True, provinces: bool = True,
                       language: str = "en"):
    """Accounts coloured by rep on the provinces of China, with territory hulls, bases and a legend.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``lat, lon`` (and the rows ``owner`` refers to).
    owner : array_like
        Rep id of each account (empty or NaN: unassigned, drawn grey).
    reps : pandas.DataFrame
        ``rep_id, base_lat, base_lon`` (degrees) and optionally ``name``.
    title : str
        Axes title (default: "Proposed territories").
    ax : matplotlib.axes.Axes, optional
    hulls : bool
        Draw each territory's convex hull.
    provinces : bool
        Draw the province outlines under the accounts.
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D

    ax = axes_or_new(ax, (8, 6))
    owner = pd.Series(np.asarray(owner, dtype=object), index=accounts.index).fillna("").astype(str)
    colours = colours_for(reps["rep_id"].astype(str))
    lon, lat = accounts["lon"].to_numpy(float), accounts["lat"].to_numpy(float)
    if provinces:
        _draw_provinces(ax)
    none = (owner == "").to_numpy()
    if none.any():
        ax.scatter(lon[none], lat[none], s=6, c="#8c8c8c", label=text("chart.map.unassigned", language), zorder=2)
    names = dict(zip(reps["rep_id"].astype(str), reps.get("name", reps["rep_id"]).astype(str)))
    for rep, idx in owner[~none].groupby(owner[~none]).groups.items():
        rows = accounts.index.get_indexer(idx)
        pts = np.c_[lon[rows], lat[rows]]
        col = colours.get(rep, "#555555")
        ax.scatter(pts[:, 0], pts[:, 1], s=7, color=col, zorder=2,
                   label=f"{rep} {names.get(rep, '')}".strip())
        if hulls and len(pts) >= 3:
            try:
                h = ConvexHull(pts)
            except QhullError:  # all points on a line
                continue
            ring = pts[np.r_[h.vertices, h.vertices[:1]]]
            ax.fill(ring[:, 0], ring[:, 1], color=col, alpha=0.07, zorder=1)
            ax.plot(ring[:, 0], ring[:, 1], color=col, lw=0.8, zorder=1)
    ax.scatter(reps["base_lon"], reps["base_lat"], marker="*", s=170,
               c=[colours[r] for r in reps["rep_id"].astype(str)], edgecolors="black", linewidths=0.8, zorder=5)
    base = Line2D([], [], marker="*", ls="", markersize=12, markerfacecolor="white", markeredgecolor="black",
                  label=text("chart.map.base", language))
    xs = np.r_[lon, reps["base_lon"].to_numpy(float)]
    ys = np.r_[lat, reps["base_lat"].to_numpy(float)]
    if len(xs):
        ax.set_xlim(np.nanmin(xs) - MAP_MARGIN, np.nanmax(xs) + MAP_MARGIN)
        ax.set_ylim(np.nanmin(ys) - MAP_MARGIN, np.nanmax(ys) + MAP_MARGIN)
        ax.set_aspect(1 / np.cos(np.radians(np.nanmean(ys))))
    ax.set_facecolor("#dfe9f3" if provinces else "white")
    ax.set_xlabel(text("chart.map.lon", language))
    ax.set_ylabel(text("chart.map.lat", language))
    ax.set_title(text("chart.map", language, title=title or text("chart.map.proposed", language)))
    handles, _ = ax.get_legend_handles_labels()
    legend_outside(ax, handles=[*handles, base], ncol=2 if len(colours) > 24 else 1, markerscale=1.6)
    use_language(ax.figure, language)
    return ax


def plot_workload(summary: pd.DataFrame, tolerance: float, ax=None, *, language: str = "en"):
    """Each rep's load as a share of their fair share (a dot a rep), against the ± tolerance band.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`Assignment.by_rep <salesplan.territory.Assignment.by_rep>` (``rep_id, load, target_load``).
    tolerance : float
        Allowed deviation (share, 0.10 = ±10 %).
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax = axes_or_new(ax, (9, 3.2))
    s = summary
    ratio = (s["load"] / s["target_load"]).to_numpy(float) * 100
    x = np.arange(len(s))
    ok = np.abs(ratio - 100) <= tolerance * 100 + 1e-7
    ax.axhspan(100 - tolerance * 100, 100 + tolerance * 100, color="#2e8b57", alpha=0.15)
    ax.axhline(100, color="#2e8b57", lw=1)
    ax.vlines(x, 100, ratio, color="#9aa9bd", lw=1)
    ax.scatter(x, ratio, s=36, color=np.where(ok, "#1f4e8c", "#c0392b"), zorder=3)
    ax.set_xticks(x, s["rep_id"], rotation=90 if len(s) > 8 else 0)
    ax.set_xlim(-0.7, len(s) - 0.3)
    ax.set_ylabel(text("chart.workload.y", language))
    low = min(100 - tolerance * 100, float(np.nanmin(ratio)) if len(ratio) else 100.0)
    high = max(100 + tolerance * 100, float(np.nanmax(ratio)) if len(ratio) else 100.0)
    ax.set_ylim(low - 0.15 * (high - low), high + 0.15 * (high - low))
    ax.set_title(text("chart.workload", language, tolerance=f"{tolerance:.0%}"))
    dot = {"marker": "o", "ls": "", "markersize": 7}
    legend_outside(ax, handles=[Patch(color="#2e8b57", alpha=0.3, label=text("chart.workload.band", language)),
                                Line2D([], [], color="#1f4e8c", label=text("chart.workload.ok", language), **dot),
                                Line2D([], [], color="#c0392b", label=text("chart.workload.off", language), **dot)])
    use_language(ax.figure, language)
    return ax


def plot_visits(capacity: pd.DataFrame, visits_per_day: float = 3.0, ax=None, *, language: str = "en"):
    """Each rep's visits a month (a bar a rep) against a full month's capacity (a tick a rep).

    Parameters
    ----------
    capacity : pandas.DataFrame
        :attr:`Assignment.capacity <salesplan.territory.Assignment.capacity>` (``rep_id, visits,
        visit_capacity, over_capacity``).
    visits_per_day : float
        Visits a day (named in the legend).
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax = axes_or_new(ax, (9, 3.2))
    c = capacity
    x = np.arange(len(c))
    over = c["over_capacity"].to_numpy(bool)
    ax.bar(x, c["visits"], 0.7, color=np.where(over, "#c0392b", "#1f4e8c"))
    ax.scatter(x, c["visit_capacity"], marker="_", s=420, linewidths=2.5, color="#2e8b57", zorder=3)
    ax.set_xticks(x, c["rep_id"], rotation=90 if len(c) > 8 else 0)
    ax.set_xlim(-0.7, len(c) - 0.3)
    ax.set_ylabel(text("chart.visits.y", language))
    ax.set_title(text("chart.visits", language))
    legend_outside(ax, handles=[
        Patch(color="#1f4e8c", label=text("chart.visits.need", language)),
        Patch(color="#c0392b", label=text("chart.visits.over", language)),
        Line2D([], [], color="#2e8b57", lw=2.5, label=text("chart.visits.cap", language, per=f"{visits_per_day:g}"))])
    use_language(ax.figure, language)
    return ax


def plot_pareto(table: pd.DataFrame, top: float = 0.2, ax=None, *, language: str = "en"):
    """The Pareto curve: cumulative share of last year's sales against the share of accounts, classes shaded.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`salesplan.accounts.pareto` (``accounts_share, cumulative_share, abc_class``).
    top : float
        Share of the accounts whose share of sales is marked (0.2: the top 20 %).
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_or_new(ax, (7, 4))
    x = np.r_[0.0, table["accounts_share"].to_numpy(float)] * 100
    y = np.r_[0.0, table["cumulative_share"].to_numpy(float)] * 100
    shades = {"A": "#1f4e8c", "B": "#5b7fb3", "C": "#9aa9bd"}
    start = 0.0
    for cls in ("A", "B", "C"):
        n = int((table["abc_class"] == cls).sum())
        if n:
            end = start + 100 * n / len(table)
            ax.axvspan(start, end, color=shades[cls], alpha=0.12,
                       label=text("chart.pareto.class", language, cls=cls, n=f"{n:,}"))
            start = end
    ax.plot(x, y, color="#1f4e8c", lw=2)
    k = max(int(round(top * len(table))), 1) if len(table) else 0
    share = float(table["share"].iloc[:k].sum()) if k else 0.0
    ax.plot([top * 100, top * 100, 0], [0, share * 100, share * 100], color="#c0392b", lw=1, ls="--",
            label=text("chart.pareto.top", language, top=f"{top:.0%}", share=f"{share:.0%}"))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 101)
    ax.set_xlabel(text("chart.pareto.x", language))
    ax.set_ylabel(text("chart.pareto.y", language))
    ax.set_title(text("chart.pareto", language))
    legend_outside(ax)
    use_language(ax.figure, language)
    return ax
