"""The result of the staffing model: its tables and headline figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesplan.staffing.cohort import Cohort

__all__ = ["Staffing", "StaffingMetrics"]


@dataclass(frozen=True)
class StaffingMetrics:
    """Headline figures of the staffing model.

    Attributes
    ----------
    heads_today : int
        Staff on the payroll (every role).
    heads_planned : int
        The department size the plan aims at (``staffing.planned_headcount``,
        else payroll + open requisitions).
    heads_required : int
        Heads of every role the model asks for (org structure total).
    sales_heads_required : int
        Sales heads the model asks for (today's sales staff + hires): the
        most of what the visits, the revenue and the new customers need.
    open_requisitions : int
        Requisitions open today.
    hires : int
        Hires the hiring plan proposes on top of today's payroll.
    binding_method : str
        The sizing row that sets the sales heads: ``workload``, ``hiring
        plan`` or ``funnel``.
    reps_needed : float
        Reps that row asks for (not rounded; full-time equivalents for the
        workload).
    revenue_target : float
        Company revenue target of the year (currency).
    expected_capacity : float
        Expected revenue the planned team can sell in the year (currency).
    cost_of_year : float
        Cost of the sales organisation in the year (currency).
    cost_of_sales : float
        Cost of the year / expected capacity (share).
    binding_reason : str
        Why the sales heads are needed: ``visits``, ``revenue`` or
        ``new_customers``.
    extra_heads : int
        Heads required beyond the planned department (``heads_required -
        heads_planned``; negative: fewer).
    visits_needed : float
        Visits a month the accounts need (the assigned territories' when
        the plan has them).
    """

    heads_today: int
    heads_planned: int
    heads_required: int
    sales_heads_required: int
    open_requisitions: int
    hires: int
    binding_method: str
    reps_needed: float
    revenue_target: float
    expected_capacity: float
    cost_of_year: float
    cost_of_sales: float
    binding_reason: str = "revenue"
    extra_heads: int = 0
    visits_needed: float = float("nan")


@dataclass(frozen=True)
class Staffing:
    """Sizing, capacity, hiring, org structure and cost of a plan (treat the frames as read-only).

    Attributes
    ----------
    sizing : pandas.DataFrame
        Reps needed by three methods (:func:`~salesplan.staffing.sizing`).
    capacity : pandas.DataFrame
        Monthly cohort model of the planned team: expected heads, ramped
        FTE, revenue capacity (currency), visit capacity, target, gap, and
        the visits a month the accounts need (``visits_needed``).
    detail : pandas.DataFrame
        Per head and month: presence, ramp-up, revenue capacity.
    hiring : pandas.DataFrame
        Hires today's team needs and when (:func:`~salesplan.staffing.hiring_plan`).
    org : pandas.DataFrame
        Head count by role: current, open requisitions, planned, required,
        gap, and why (reason and basis).
    cost : pandas.DataFrame
        Monthly cost by component (currency) and cost of sales.
    headcount : pandas.DataFrame
        Today, open requisitions, planned, required, beyond the plan and
        hires, each with why: the one headcount story.
    cohort : Cohort
        The planned team as arrays (for the simulation).
    metrics : StaffingMetrics
        Headline figures.
    """

    sizing: pd.DataFrame
    capacity: pd.DataFrame
    detail: pd.DataFrame
    hiring: pd.DataFrame
    org: pd.DataFrame
    cost: pd.DataFrame
    headcount: pd.DataFrame
    cohort: Cohort
    metrics: StaffingMetrics

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Named tables for export and widgets (sheet name -> table)."""
        return {"Staffing": self.sizing, "Capacity": self.capacity, "Hiring plan": self.hiring,
                "Org structure": self.org, "Cost": self.cost, "Headcount": self.headcount}

    def summary(self) -> str:
        """A short text: heads today / open / planned / required and why, hires, capacity and cost."""
        m = self.metrics
        return (f"heads: {m.heads_today} today + {m.open_requisitions} open requisitions = {m.heads_planned} "
                f"planned; {m.heads_required} required by the model ({m.sales_heads_required} sales heads, for "
                f"{m.binding_reason.replace('_', ' ')}), {m.extra_heads:+d} on the plan; {m.hires} sales hires; "
                f"expected capacity {m.expected_capacity:,.0f} of {m.revenue_target:,.0f}; cost "
                f"{m.cost_of_year:,.0f} ({m.cost_of_sales:.1%} of sales)")
