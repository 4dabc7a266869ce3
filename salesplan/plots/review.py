"""Charts of the year in progress: achievement heat-map, forecast fan, re-plan changes."""

from __future__ import annotations

import calendar

import matplotlib
import numpy as np
import pandas as pd

from salesplan.plots import axes_or_new as _axes

__all__ = ["plot_achievement_heatmap", "plot_forecast_fan", "plot_replan_changes"]


def plot_achievement_heatmap(achievement: pd.DataFrame, *, metric: str = "revenue", level: str = "rep_id",
                             names: pd.Series | None = None, ax=None):
    """Attainment by entity and closed month (and the year to date), coloured around 100 %.

    Parameters
    ----------
    achievement : pandas.DataFrame
        :attr:`Review.achievement <salesplan.review.Review.achievement>`.
    metric : str
        Which metric.
    level : str
        ``rep_id``, ``region``, ``team`` or ``product_line``.
    names : pandas.Series, optional
        Label per entity (e.g. rep names), shown beside the id.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None); cells show
        the attainment in percent, green above target, red below, grey
        where there was no target.
    """
    a = achievement[(achievement["level"] == level) & (achievement["metric"] == metric)]
    a = a[~a["period"].str.contains("Q")]
    tab = a.pivot(index="entity", columns="period", values="attainment")
    periods = [p for p in dict.fromkeys(a["period"]) if p != "YTD"] + ["YTD"]
    tab = tab.reindex(columns=periods)
    ax = _axes(ax, (1.1 * len(periods) + 2.5, 0.32 * len(tab) + 1.2))
    values = tab.to_numpy(dtype=float) * 100
    masked = np.ma.masked_invalid(values)
    cmap = matplotlib.colormaps["RdYlGn"].copy()
    cmap.set_bad("#e6e6e6")
    im = ax.imshow(masked, cmap=cmap, vmin=50, vmax=150, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize="small",
                    color="white" if abs(v - 100) > 35 else "black")
    labels = [calendar.month_abbr[int(p[5:7])] if p != "YTD" else "Year to date" for p in periods]
    ax.set_xticks(range(len(periods)), labels)
    rows = [f"{e}  {names.get(e, '')}".strip() if names is not None else e for e in tab.index]
    ax.set_yticks(range(len(tab)), rows)
    ax.axvline(len(periods) - 1.5, color="white", lw=3)
    ax.set_title(f"{metric.replace('_', ' ').capitalize()} attainment (%) by {level.replace('_id', '')} and month")
    ax.figure.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="% of target")
    return ax


def plot_forecast_fan(forecast: pd.DataFrame, *, entity: str = "Company", ax=None):
    """Running total of the year: actual to date, run-rate forecast and the simulated P10-P90 fan.

    Parameters
    ----------
    forecast : pandas.DataFrame
        :attr:`Review.forecast <salesplan.review.Review.forecast>` (currency,
        drawn in millions).
    entity : str
        ``Company`` or a region.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    f = forecast[forecast["entity"] == entity].reset_index(drop=True)
    ax = _axes(ax)
    x = np.arange(len(f))
    closed = f["actual"].notna().to_numpy()
    k = int(closed.sum())
    m = 1e6
    ax.plot(x, f["cum_target"] / m, ls="--", color="#555555",
            label=f"target, running total (year {f['cum_target'].iloc[-1] / m:,.1f} M)")
    ax.fill_between(x[k - 1:], f["cum_p10"][k - 1:] / m, f["cum_p90"][k - 1:] / m, color="#1f4e8c", alpha=0.18,
                    label="P10-P90 simulated")
    ax.plot(x[k - 1:], f["cum_p50"][k - 1:] / m, color="#1f4e8c", lw=1, label="P50 simulated")
    ax.plot(x[k - 1:], f["cum_expected"][k - 1:] / m, ls=":", color="#c05000", lw=2, label="run-rate forecast")
    ax.plot(x[:k], f["cum_expected"][:k] / m, "o-", color="black", label="actual")
    ax.axvline(k - 0.5, color="#999999", lw=0.8)
    ax.set_xticks(x, [calendar.month_abbr[p.month] for p in f["month"]])
    ax.set_ylabel("revenue, running total (millions)")
    ax.set_title(f"{entity}: the year so far and where it may end")
    ax.legend(fontsize="small", loc="upper left")
    return ax


def plot_replan_changes(diff, *, metric: str = "revenue", ax=None):
    """Change of each rep's annual target in a re-plan, with the accounts each takes over.

    Parameters
    ----------
    diff : PlanDiff
        ``old.diff(new)`` (:func:`salesplan.plandiff.diff_plans`); currency
        drawn in thousands.
    metric : str
        Which metric.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    t = diff.targets[diff.targets["metric"] == metric]
    taken = diff.accounts.groupby("to_rep").size()
    reps = sorted(set(t["rep_id"]) | set(taken.index))
    change = t.set_index("rep_id")["change"].reindex(reps).fillna(0.0).to_numpy() / 1e3
    y = np.arange(len(reps))
    ax.barh(y, change, color=np.where(change < 0, "#b03030", "#2f7d3a"))
    for i, r in enumerate(reps):
        n = int(taken.get(r, 0))
        parts = ([f"{change[i]:+,.0f}"] if abs(change[i]) > 0 else []) + ([f"+{n} accounts"] if n else [])
        ax.text(max(change[i], 0), i, "  " + ", ".join(parts), va="center", fontsize="small")
    ax.margins(x=0.25)
    ax.set_yticks(y, reps)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"change of the annual {metric} target (thousands)")
    ax.set_title("Who takes what")
    return ax
