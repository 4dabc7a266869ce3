"""Charts of capacity, head count and cost."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from salesplan.plots import axes_or_new as _axes

__all__ = ["plot_capacity", "plot_headcount_by_role", "plot_cost"]


def plot_capacity(capacity: pd.DataFrame, simulation=None, ax=None):
    """Expected revenue capacity vs target by month, with the simulated P10-P90 band.

    Parameters
    ----------
    capacity : pandas.DataFrame
        :attr:`Staffing.capacity <salesplan.staffing.Staffing.capacity>` (currency, drawn in thousands).
    simulation : Simulation, optional
        Adds the P10-P90 band of simulated revenue.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    x = np.arange(len(capacity))
    labels = [str(m)[-2:] for m in capacity["month"]]
    ax.bar(x, capacity["target"] / 1e3, color="#c9d6e8", label="target")
    ax.plot(x, capacity["capacity_revenue"] / 1e3, "o-", color="#1f4e8c", label="expected capacity")
    if simulation is not None:
        m = simulation.monthly
        ax.fill_between(x, m["revenue_p10"] / 1e3, m["revenue_p90"] / 1e3, color="#1f4e8c", alpha=0.18,
                        label="P10-P90 simulated")
    ax.set_xticks(x, labels)
    ax.set_xlabel("month")
    ax.set_ylabel("revenue (thousands)")
    ax.set_title("Capacity vs target")
    ax.legend(fontsize="small")
    return ax


def plot_headcount_by_role(org: pd.DataFrame, ax=None):
    """Current, planned and required heads by role.

    Parameters
    ----------
    org : pandas.DataFrame
        :attr:`Staffing.org <salesplan.staffing.Staffing.org>`.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    o = org[(org["role"] != "Total") & (org[["current", "planned", "required"]].sum(axis=1) > 0)]
    y = np.arange(len(o))
    for i, col in enumerate(["current", "planned", "required"]):
        ax.barh(y + (i - 1) * 0.27, o[col], 0.27, label=col)
    ax.set_yticks(y, o["role"])
    ax.invert_yaxis()
    ax.set_xlabel("heads")
    ax.set_title("Head count by role")
    ax.legend(fontsize="small")
    return ax


def plot_cost(cost: pd.DataFrame, ax=None):
    """Stacked monthly cost by component, with cost of sales % on a second axis.

    Parameters
    ----------
    cost : pandas.DataFrame
        :attr:`Staffing.cost <salesplan.staffing.Staffing.cost>` (currency, drawn in thousands).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (a new figure's when ``ax`` is None).
    """
    ax = _axes(ax)
    parts = ["base_salary", "meal", "allowances", "commission", "travel", "recruiting"]
    x = np.arange(len(cost))
    bottom = np.zeros(len(cost))
    for p in parts:
        ax.bar(x, cost[p] / 1e3, bottom=bottom, label=p.replace("_", " "))
        bottom += cost[p].to_numpy() / 1e3
    ax.set_xticks(x, [str(m)[-2:] for m in cost["month"]])
    ax.set_ylabel("cost (thousands)")
    ax.set_title("Cost by month")
    ax.legend(fontsize="small", ncol=3, loc="upper left")
    ax2 = ax.twinx()
    ax2.plot(x, cost["cost_of_sales_pct"] * 100, "k.--", label="cost of sales %")
    ax2.set_ylabel("cost of sales %")
    ax2.set_ylim(0, max(cost["cost_of_sales_pct"].max() * 130, 1))
    return ax
