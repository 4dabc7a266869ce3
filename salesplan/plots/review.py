"""Charts of the year in progress: achievement heat-map, forecast fan, re-plan changes.

Money is drawn in thousands of yuan, or in the display unit when it is
larger (``display_unit: 10000``: 万元); every word comes from the catalogue
in English or Chinese (``language``).
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.ticker import StrMethodFormatter

from salesplan.plots import axes_or_new as _axes
from salesplan.forecast import COMPANY
from salesplan.i18n import catalogue
from salesplan.plots import money_scale, use_language
from salesplan.plots.targets import _name
from salesplan.widgets.labels import money_digits, month_names, text

__all__ = ["plot_achievement_heatmap", "plot_forecast_fan", "plot_replan_changes"]


def plot_achievement_heatmap(achievement: pd.DataFrame, *, metric: str = "revenue", level: str = "rep_id",
                             names: pd.Series | dict | None = None, ax=None, cax=None, language: str = "en"):
    """Attainment by entity and closed month (and the year to date), coloured around 100 %.

    Parameters
    ----------
    achievement : pandas.DataFrame
        :attr:`Review.achievement <salesplan.review.Review.achievement>`.
    metric : str
        Which metric.
    level : str
        ``rep_id``, ``region``, ``team`` or ``product_line``.
    names : pandas.Series or dict, optional
        Label per entity (e.g. rep names), shown beside the id.
    ax : matplotlib.axes.Axes, optional
    cax : matplotlib.axes.Axes, optional
        Axes for the colour bar (default: room taken from ``ax``).
    language : {"en", "zh"}

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
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#e6e6e6")
    im = ax.imshow(masked, cmap=cmap, vmin=50, vmax=150, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize="small",
                    color="white" if abs(v - 100) > 35 else "black")
    months = month_names(language)
    labels = [months[int(p[5:7]) - 1] if p != "YTD" else text("chart.ytd", language) for p in periods]
    ax.set_xticks(range(len(periods)), labels)
    names = dict(names) if names is not None else {}
    ax.set_yticks(range(len(tab)), [f"{e}  {names.get(e, '')}".strip() for e in tab.index])
    ax.axvline(len(periods) - 1.5, color="white", lw=3)
    ax.set_title(text("chart.heatmap", language, metric=_name(metric, language),
                      level=_name(level, language).lower()))
    bar = ax.figure.colorbar(im, cax=cax) if cax is not None else ax.figure.colorbar(im, ax=ax, fraction=0.03,
                                                                                      pad=0.02)
    bar.set_label(text("chart.heatmap.bar", language))
    use_language(ax.figure, language)
    return ax


def plot_forecast_fan(forecast: pd.DataFrame, *, entity: str = COMPANY, ax=None, language: str = "en",
                      display_unit: int = 1, legend: bool = True):
    """Running total of the year: actual to date, run-rate forecast and the simulated P10-P90 fan.

    Parameters
    ----------
    forecast : pandas.DataFrame
        :attr:`Review.forecast <salesplan.review.Review.forecast>` (currency,
        drawn in thousands, or in the display unit when it is larger).
    entity : str
        ``Company`` or a region.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.
    legend : bool
        Name the lines in a legend (leave it out of a second fan beside the first).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    f = forecast[forecast["entity"] == entity].reset_index(drop=True)
    ax = _axes(ax)
    x = np.arange(len(f))
    k = int(f["actual"].notna().sum())
    div, unit = money_scale(display_unit, language)
    total = f"{f['cum_target'].iloc[-1] / div:,.{money_digits(div)}f}"
    ax.plot(x, f["cum_target"] / div, ls="--", color="#555555", label=text("chart.fan.target", language, total=total))
    ax.fill_between(x[k - 1:], f["cum_p10"][k - 1:] / div, f["cum_p90"][k - 1:] / div, color="#1f4e8c", alpha=0.18,
                    label=text("chart.fan.band", language))
    ax.plot(x[k - 1:], f["cum_p50"][k - 1:] / div, color="#1f4e8c", lw=1, label=text("chart.fan.p50", language))
    ax.plot(x[k - 1:], f["cum_expected"][k - 1:] / div, ls=":", color="#c05000", lw=2,
            label=text("chart.fan.run_rate", language))
    ax.plot(x[:k], f["cum_expected"][:k] / div, "o-", color="black", label=text("chart.fan.actual", language))
    ax.axvline(k - 0.5, color="#999999", lw=0.8)
    months = month_names(language)
    ax.set_xticks(x, [months[p.month - 1] for p in f["month"]])
    ax.set_ylabel(text("chart.fan.y", language, unit=unit))
    shown = text("entity.company", language) if entity == COMPANY else entity
    ax.set_title(text("chart.fan", language, entity=shown))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    if legend:
        ax.legend(fontsize="small", loc="upper left")
    use_language(ax.figure, language)
    return ax


def plot_replan_changes(diff, *, metric: str = "revenue", ax=None, language: str = "en", display_unit: int = 1,
                        names: dict | None = None):
    """Change of each rep's annual target in a re-plan, with the accounts each takes over.

    Parameters
    ----------
    diff : PlanDiff
        ``old.diff(new)`` (:func:`salesplan.plandiff.diff_plans`); money
        drawn in thousands, or in the display unit when it is larger.
    metric : str
        Which metric.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.
    names : dict, optional
        Label of each rep id (``{"R03": "R03 Zhao Qiang"}``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    t = diff.targets[diff.targets["metric"] == metric]
    taken = diff.accounts.groupby("to_rep").size()
    reps = sorted(set(t["rep_id"]) | set(taken.index))
    money = catalogue()["metrics"].get(metric, {}).get("kind") == "money"
    div, unit = money_scale(display_unit, language) if money else (1.0, text("unit.count", language))
    change = t.set_index("rep_id")["change"].reindex(reps).fillna(0.0).to_numpy() / div
    digits = money_digits(div) if money else 0
    y = np.arange(len(reps))
    ax.barh(y, change, color=np.where(change < 0, "#b03030", "#2f7d3a"))
    for i, r in enumerate(reps):
        n = int(taken.get(r, 0))
        parts = ([f"{change[i]:+,.{digits}f}"] if abs(change[i]) > 0 else []) + (
            [text("chart.replan.accounts", language, n=n)] if n else [])
        ax.text(max(change[i], 0), i, "  " + ", ".join(parts), va="center", fontsize="small")
    ax.margins(x=0.25)
    ax.set_yticks(y, [(names or {}).get(r, r) for r in reps])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(text("chart.replan.x", language, metric=_name(metric, language).lower(), unit=unit))
    ax.set_title(text("chart.replan", language))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    use_language(ax.figure, language)
    return ax
