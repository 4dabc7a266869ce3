"""The whole staffing model of a plan in one call: :func:`size_team`.

One headcount story: the sales heads the plan needs are the most of what the
visits need (the accounts', or the assigned territories', visits a month
over a full-time rep's full month, :func:`salesplan.visits.full_month_visits`),
what the revenue needs (today's heads and the hires that keep every month at
target, :func:`~salesplan.staffing.hiring_plan`) and what the new customers
need (the funnel's calling days).  That number, with its reason, is the one
the hiring plan hires to, the org structure sizes supervisors and support
staff from, and the headcount table, the cover and the command line show.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from salesplan.arguments import require_attrs, require_frame, with_months
from salesplan.assumptions import Assumptions, override
from salesplan.staffing.cohort import build_cohort, cohort_capacity
from salesplan.staffing.cost import monthly_cost
from salesplan.staffing.hiring import hiring_plan
from salesplan.staffing.org import org_structure
from salesplan.staffing.result import Staffing, StaffingMetrics
from salesplan.staffing.sizing import sizing

__all__ = ["size_team", "visit_heads", "REASON_METHOD"]

#: The sizing method behind each reason for the sales heads.
REASON_METHOD = {"visits": "workload", "revenue": "hiring plan", "new_customers": "funnel"}


def visit_heads(fte_needed: float, heads_today: int, fte_today: float) -> int:
    """Sales heads it takes to make the visits: today's, plus full-time hires for the FTE still missing.

    Parameters
    ----------
    fte_needed : float
        Full-time equivalents the visits need.
    heads_today : int
        Sales heads on the payroll today.
    fte_today : float
        Their full-time equivalents.

    Returns
    -------
    int
        Heads; fewer than today's when today's part of the team could make
        the visits (at today's average FTE).

    Examples
    --------
    >>> visit_heads(21.3, 10, 9.5)
    22
    """
    if fte_needed > fte_today + 1e-9:
        return heads_today + math.ceil(fte_needed - fte_today - 1e-9)
    if heads_today == 0 or fte_today <= 0:
        return 0
    return math.ceil(fte_needed / (fte_today / heads_today) - 1e-9)


def size_team(inputs, targets, assumptions: Assumptions | None = None, *, territories=None, **options) -> Staffing:
    """Sizing, cohort capacity, hiring plan, org structure and cost of a plan.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs (accounts, reps, history).
    targets : Targets or pandas.DataFrame
        The target plan (:func:`salesplan.targets.decompose`); its revenue
        targets drive capacity, hiring and allowances, its new-customer
        target the funnel.
    assumptions : Assumptions, optional
        Default ``inputs.assumptions``.
    territories : Assignment, optional
        The assigned territories: their visits a month size the team by
        workload (default: the accounts' own).
    **options
        Any setting of the ``staffing`` section, overriding the assumptions.

    Returns
    -------
    Staffing
    """
    require_attrs(inputs, "size_team(inputs=...)", "Inputs (salesplan.load_inputs)",
                  ("reps", "history", "accounts", "assumptions"))
    a = assumptions or inputs.assumptions
    a = dataclasses.replace(a, staffing=override(a.staffing, "size_team()", options))
    reps, history = inputs.reps, with_months(inputs.history, "size_team(inputs=...).history")
    table = with_months(require_frame(getattr(targets, "table", targets), "size_team(targets=...)",
                                      ["rep_id", "month", "metric", "target"]), "size_team(targets=...)")
    rev = table[table["metric"] == "revenue"]
    monthly = rev.groupby("month")["target"].sum()
    new_customers = float(table.loc[table["metric"] == "new_customers", "target"].sum()) \
        if (table["metric"] == "new_customers").any() else None
    visits = None if territories is None else float(territories.by_rep["visits"].sum())
    cohort = build_cohort(reps, history, a)
    cap, detail = cohort_capacity(cohort, monthly, a)
    size = sizing(inputs.accounts, history, reps, float(monthly.sum()), a, visits=visits, new_customers=new_customers)
    need, why = _need_beyond_revenue(size, cohort)
    plan_rows = hiring_plan(cohort, monthly, a, required=need, reason=why)
    hires = plan_rows[plan_rows["kind"] == "hire"]
    today = int((~cohort.new).sum())
    by_revenue = today + int((hires["reason"] == "revenue").sum())
    sales_required = today + len(hires)
    reason = why if need > by_revenue else "revenue"
    size = _with_hiring_row(size, by_revenue, today, plan_rows, reason)
    basis = str(size.loc[size["method"] == REASON_METHOD[reason], "basis"].iloc[0])
    org = org_structure(reps, sales_required, a, reason=reason, basis=basis)
    cost = monthly_cost(reps, cohort, detail, rev[["rep_id", "month", "target"]], a)
    needed = float(size.loc[size["method"] == "workload", "reps_needed"].iloc[0])
    cap["visits_needed"] = needed * _per_rep(a)
    return _staffing(reps, a, size, cap, detail, plan_rows, org, cost, cohort, monthly, reason, needed)


def _per_rep(a: Assumptions) -> float:
    from salesplan.visits import full_month_visits

    return full_month_visits(a)


def _need_beyond_revenue(size: pd.DataFrame, cohort) -> tuple[int, str]:
    """Sales heads the visits (or the funnel, if more) need, and which of the two."""
    today = ~cohort.new
    fte = float(cohort.fte[today].sum())
    by = size.set_index("method")["reps_needed"]
    visits = visit_heads(float(by["workload"]), int(today.sum()), fte)
    funnel = visit_heads(float(by["funnel"]), int(today.sum()), fte)
    return (visits, "visits") if visits >= funnel else (funnel, "new_customers")


def _with_hiring_row(size: pd.DataFrame, by_revenue: int, today: int, plan_rows: pd.DataFrame,
                     reason: str) -> pd.DataFrame:
    """The sizing table with the hiring plan's revenue row, the row of ``reason`` binding."""
    rev = plan_rows[(plan_rows["kind"] == "hire") & (plan_rows["reason"] == "revenue")]
    when = f" from {rev['for_month'].min()}" if len(rev) else ""
    row = pd.DataFrame([{"method": "hiring plan", "reps_needed": float(by_revenue), "reps_rounded": by_revenue,
                         "basis": f"{today} sales heads today + {len(rev)} hires keeping every month at target{when}"}])
    out = pd.concat([size, row], ignore_index=True)
    out["binding"] = out["method"] == REASON_METHOD[reason]
    return out


def _staffing(reps, a, size, cap, detail, plan_rows, org, cost, cohort, monthly, reason, needed) -> Staffing:
    """The :class:`Staffing` result: headcount table and metrics from the org structure's one story."""
    total = org.set_index("role").loc["Total"]
    sales = org.iloc[0]
    current, n_open = int(total["current"]), int(total["open"])
    planned = a.staffing.planned_headcount or int(total["planned"])
    required = int(total["required"])
    hires = plan_rows[plan_rows["kind"] == "hire"]
    headcount = pd.DataFrame({
        "measure": ["on the payroll today", "open requisitions", "planned (payroll + open requisitions)",
                    "required by the model", "beyond the plan (required - planned)", "sales heads required",
                    "hires the model asks for"],
        "heads": [current, n_open, planned, required, required - planned, int(sales["required"]), len(hires)],
        "reason": ["", "", "", reason, reason, reason, reason],
    })
    bind = size.loc[size["binding"]].iloc[0]
    capacity = float(cap["capacity_revenue"].sum())
    cost_year = float(cost["total"].sum())
    metrics = StaffingMetrics(
        heads_today=current, heads_planned=int(planned), heads_required=required,
        sales_heads_required=int(sales["required"]), open_requisitions=n_open, hires=len(hires),
        binding_method=str(bind["method"]), reps_needed=float(bind["reps_needed"]),
        revenue_target=float(monthly.sum()), expected_capacity=capacity, cost_of_year=cost_year,
        cost_of_sales=cost_year / capacity if capacity > 0 else float("nan"), binding_reason=reason,
        extra_heads=required - int(planned), visits_needed=float(np.round(needed * _per_rep(a), 6)))
    return Staffing(sizing=size, capacity=cap, detail=detail, hiring=plan_rows, org=org, cost=cost,
                    headcount=headcount, cohort=cohort, metrics=metrics)
