"""Charts of capacity, head count and cost (money in thousands of yuan, or in 万元)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.plots import axes_or_new as _axes
from salesplan.plots import legend_outside, money_scale, use_language
from salesplan.widgets.labels import month_names, text

__all__ = ["plot_capacity", "plot_headcount_by_role", "plot_cost", "TARGET_COLOUR", "EXPECTED_COLOUR",
           "BAND_COLOUR"]

#: Target bars, expected capacity line and simulated band: three colours that never blend.
TARGET_COLOUR, EXPECTED_COLOUR, BAND_COLOUR = "#b9c3cf", "#1f4e8c", "#f28e2b"


def _months(frame: pd.DataFrame, language: str) -> list[str]:
    names = month_names(language)
    return [names[int(str(m)[-2:]) - 1] for m in frame["month"]]


def plot_capacity(capacity: pd.DataFrame, simulation=None, ax=None, *, language: str = "en", display_unit: int = 1):
    """Expected revenue capacity vs target by month, with the simulated P10-P90 band.

    Parameters
    ----------
    capacity : pandas.DataFrame
        :attr:`Staffing.capacity <salesplan.staffing.Staffing.capacity>` (currency, drawn in thousands).
    simulation : Simulation, optional
        Adds the P10-P90 band of simulated revenue.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    x = np.arange(len(capacity))
    div, unit = money_scale(display_unit, language)
    ax.bar(x, capacity["target"] / div, color=TARGET_COLOUR, label=text("chart.target", language))
    if simulation is not None:
        m = simulation.monthly
        ax.fill_between(x, m["revenue_p10"] / div, m["revenue_p90"] / div, color=BAND_COLOUR, alpha=0.35,
                        lw=0, label=text("chart.band", language), zorder=3)
    ax.plot(x, capacity["capacity_revenue"] / div, "o-", color=EXPECTED_COLOUR, lw=2,
            label=text("chart.expected", language), zorder=4)
    ax.set_xticks(x, _months(capacity, language))
    ax.tick_params(axis="x", labelsize="small")
    ax.set_ylabel(text("chart.capacity.y", language, unit=unit))
    ax.set_title(text("chart.capacity", language, unit=unit))
    legend_outside(ax)
    use_language(ax.figure, language)
    return ax


def plot_headcount_by_role(org: pd.DataFrame, ax=None, *, language: str = "en"):
    """Current, planned and required heads by role.

    Parameters
    ----------
    org : pandas.DataFrame
        :attr:`Staffing.org <salesplan.staffing.Staffing.org>`.
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    o = org[(org["role"] != "Total") & (org[["current", "planned", "required"]].sum(axis=1) > 0)]
    y = np.arange(len(o))
    colours = ("#9aa9bd", "#5b7fb3", "#1f4e8c")
    for i, col in enumerate(["current", "planned", "required"]):
        ax.barh(y + (i - 1) * 0.27, o[col], 0.27, label=text(f"chart.{col}", language), color=colours[i])
    ax.set_yticks(y, [_role(r, language) for r in o["role"]])
    ax.invert_yaxis()
    ax.set_xlabel(text("chart.heads.x", language))
    ax.set_title(text("chart.heads", language))
    legend_outside(ax)
    use_language(ax.figure, language)
    return ax


def _role(role: str, language: str) -> str:
    try:
        return text(f"role.{role}", language)
    except KeyError:
        return role.replace("_", " ")


def plot_cost(cost: pd.DataFrame, ax=None, *, language: str = "en", display_unit: int = 1):
    """Stacked monthly cost by component, with cost of sales % on a second axis.

    Parameters
    ----------
    cost : pandas.DataFrame
        :attr:`Staffing.cost <salesplan.staffing.Staffing.cost>` (currency, drawn in thousands).
    ax : matplotlib.axes.Axes, optional
    language : {"en", "zh"}
    display_unit : int
        The ``display_unit`` assumption: 10000 draws money in 万元.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    parts = ["base_salary", "meal", "allowances", "commission", "travel", "recruiting"]
    x = np.arange(len(cost))
    bottom = np.zeros(len(cost))
    div, unit = money_scale(display_unit, language)
    for p in parts:
        ax.bar(x, cost[p] / div, bottom=bottom, label=text(f"cost.{p}", language))
        bottom += cost[p].to_numpy() / div
    ax.set_xticks(x, _months(cost, language))
    ax.set_ylabel(unit)
    ax.set_title(text("chart.cost", language, unit=unit))
    ax2 = ax.twinx()
    ax2.plot(x, cost["cost_of_sales_pct"] * 100, "k.--", label=text("chart.cost.share", language))
    ax2.set_ylabel(text("chart.cost.share", language))
    ax2.set_ylim(0, max(cost["cost_of_sales_pct"].max() * 130, 1))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", bbox_to_anchor=(1.08, 1.0), borderaxespad=0.0,
              frameon=False, fontsize="small")
    use_language(ax.figure, language)
    return ax
