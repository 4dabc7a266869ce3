"""Charts of history, seasonality and targets (money in thousands of yuan or in 万元, counts as they are)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.plots import axes_or_new as _axes
from salesplan.plots import colours_for, legend_outside, money_scale, use_language
from salesplan.widgets.labels import month_names, text

__all__ = ["plot_history", "plot_seasonality", "plot_targets", "MONEY_METRICS"]

#: Metrics counted in money (drawn in thousands); the others are counts.
MONEY_METRICS = ("revenue", "collections")


def _scale(metric: str, language: str, display_unit: int = 1) -> tuple[float, str]:
    """Divisor and unit label of ``metric`` on an axis."""
    if metric in MONEY_METRICS:
        return money_scale(display_unit, language)
    return 1.0, text("unit.count", language)


def _name(key: str, language: str) -> str:
    """The readable name of a code name when there is one (``product_line`` -> Product line)."""
    try:
        return text(key, language)
    except KeyError:
        return key.replace("_", " ")


def plot_history(history: pd.DataFrame, *, metric: str = "revenue", by: str = "product_line", ax=None,
                 language: str = "en", display_unit: int = 1):
    """Stacked monthly history of ``metric`` by ``by`` (e.g. product line).

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history (currency, drawn in thousands or in ``display_unit``).
    metric : str
        History column.
    by : str
        Column to stack by.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
        Language of titles, axes and legend.
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    tab = history.pivot_table(index="month", columns=by, values=metric, aggfunc="sum", fill_value=0,
                              observed=True)
    div, unit = _scale(metric, language, display_unit)
    colours = colours_for(tab.columns)
    ax.stackplot(tab.index.to_timestamp(), tab.to_numpy().T / div, labels=[str(c) for c in tab.columns],
                 colors=[colours[str(c)] for c in tab.columns], alpha=0.9)
    ax.set_ylabel(text("chart.history.y", language, metric=_name(metric, language), unit=unit))
    ax.set_title(text("chart.history", language, metric=_name(metric, language).lower(),
                      level=_name(by, language).lower()))
    ax.margins(x=0)
    legend_outside(ax)
    use_language(ax.figure, language)
    return ax


def plot_seasonality(weights: dict[str, pd.Series], ax=None, *, language: str = "en"):
    """Monthly weights of several seasonality methods side by side.

    Parameters
    ----------
    weights : dict of str to pandas.Series
        Method name -> 12 weights summing to 1 (drawn as % of the year).
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    n = len(weights)
    width = 0.8 / max(n, 1)
    for i, (name, wt) in enumerate(weights.items()):
        ax.bar(np.arange(12) + (i - (n - 1) / 2) * width, wt.to_numpy() * 100, width,
               label=_name(name, language), color=colours_for(range(n))[str(i)])
    ax.axhline(100 / 12, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(12), month_names(language))
    ax.set_ylabel(text("chart.seasonality.y", language))
    ax.set_title(text("chart.seasonality", language))
    legend_outside(ax)
    use_language(ax.figure, language)
    return ax


def plot_targets(targets, *, by: str = "region", metric: str = "revenue", ax=None, language: str = "en",
                 names: dict | None = None, display_unit: int = 1):
    """Stacked monthly targets by ``by``, legend outside the bars.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The target plan (currency, drawn in thousands or in ``display_unit``).
    by : str
        Level to stack by (``region``, ``team``, ``product_line``, ``rep_id``).
    metric : str
        Which metric.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
    names : dict, optional
        Legend text of each entity (``{"R01": "R01 Zhang Min"}``).
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    targets = getattr(targets, "table", targets)
    t = targets[targets["metric"] == metric]
    tab = t.pivot_table(index=t["month"].dt.month, columns=by, values="target", aggfunc="sum",
                        fill_value=0, observed=True).reindex(range(1, 13), fill_value=0)
    div, unit = _scale(metric, language, display_unit)
    colours = colours_for(tab.columns)
    bottom = np.zeros(12)
    for col in tab.columns:
        ax.bar(range(12), tab[col].to_numpy() / div, bottom=bottom, color=colours[str(col)],
               label=(names or {}).get(col, str(col)))
        bottom += tab[col].to_numpy() / div
    ax.set_xticks(range(12), month_names(language))
    year = int(t["month"].dt.year.iloc[0]) if len(t) else ""
    ax.set_xlabel(text("chart.month", language, year=year))
    ax.set_ylabel(text("chart.targets.y", language, metric=_name(metric, language), unit=unit))
    ax.set_title(text("chart.targets", language, metric=_name(metric, language).lower(),
                      level=_name(by, language).lower()))
    legend_outside(ax, ncol=2 if len(tab.columns) > 12 else 1)
    use_language(ax.figure, language)
    return ax
