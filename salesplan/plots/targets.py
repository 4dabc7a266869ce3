"""Charts of history, seasonality and targets."""

from __future__ import annotations

import calendar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from salesplan.plots import axes_or_new as _axes

__all__ = ["plot_history", "plot_seasonality", "plot_targets"]

_MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


def plot_history(history: pd.DataFrame, *, metric: str = "revenue", by: str = "product_line", ax=None):
    """Stacked monthly history of ``metric`` by ``by`` (e.g. product line).

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history (currency, drawn in thousands).
    metric : str
        History column.
    by : str
        Column to stack by.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    tab = history.pivot_table(index="month", columns=by, values=metric, aggfunc="sum", fill_value=0,
                              observed=True)
    x = tab.index.to_timestamp()
    ax.stackplot(x, tab.to_numpy().T / 1e3, labels=[str(c) for c in tab.columns], alpha=0.85)
    ax.set_ylabel(f"{metric} (thousands)")
    ax.set_title(f"Monthly {metric} by {by.replace('_', ' ')}")
    ax.legend(loc="upper left", fontsize="small")
    ax.margins(x=0)
    return ax


def plot_seasonality(weights: dict[str, pd.Series], ax=None):
    """Monthly weights of several seasonality methods side by side.

    Parameters
    ----------
    weights : dict of str to pandas.Series
        Method name -> 12 weights summing to 1 (drawn as % of the year).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    n = len(weights)
    width = 0.8 / max(n, 1)
    for i, (name, w) in enumerate(weights.items()):
        ax.bar(np.arange(12) + (i - (n - 1) / 2) * width, w.to_numpy() * 100, width, label=name)
    ax.axhline(100 / 12, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(12), _MONTHS)
    ax.set_ylabel("share of the year (%)")
    ax.set_title("Seasonality")
    ax.legend(fontsize="small")
    return ax


def plot_targets(targets, *, by: str = "region", metric: str = "revenue", ax=None):
    """Stacked monthly targets by ``by``.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The target plan (currency, drawn in thousands).
    by : str
        Level to stack by (``region``, ``team``, ``product_line``, ``rep_id``).
    metric : str
        Which metric.
    ax : matplotlib.axes.Axes, optional

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
    bottom = np.zeros(12)
    for col in tab.columns:
        ax.bar(range(12), tab[col].to_numpy() / 1e3, bottom=bottom, label=str(col))
        bottom += tab[col].to_numpy() / 1e3
    ax.set_xticks(range(12), _MONTHS)
    ax.set_ylabel(f"{metric} target (thousands)")
    ax.set_title(f"Monthly {metric} target by {by.replace('_', ' ')}")
    ax.legend(fontsize="small", ncol=2)
    return ax
