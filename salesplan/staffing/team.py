"""The whole staffing model of a plan in one call: :func:`size_team`."""

from __future__ import annotations

import dataclasses

import pandas as pd

from salesplan.arguments import require_attrs, require_frame, with_months
from salesplan.assumptions import Assumptions, override
from salesplan.staffing.cohort import build_cohort, cohort_capacity
from salesplan.staffing.cost import monthly_cost
from salesplan.staffing.hiring import hiring_plan
from salesplan.staffing.org import org_structure
from salesplan.staffing.result import Staffing, StaffingMetrics
from salesplan.staffing.sizing import sizing

__all__ = ["size_team"]


def size_team(inputs, targets, assumptions: Assumptions | None = None, **options) -> Staffing:
    """Sizing, cohort capacity, hiring plan, org structure and cost of a plan.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs (accounts, reps, history).
    targets : Targets or pandas.DataFrame
        The target plan (:func:`salesplan.targets.decompose`); its revenue
        targets drive capacity, hiring and allowances.
    assumptions : Assumptions, optional
        Default ``inputs.assumptions``.
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
    cohort = build_cohort(reps, history, a)
    cap, detail = cohort_capacity(cohort, monthly, a)
    plan_rows = hiring_plan(cohort, monthly, a)
    hires = plan_rows[plan_rows["kind"] == "hire"]
    sales_required = int((~cohort.new).sum()) + len(hires)
    org = org_structure(reps, sales_required, a)
    cost = monthly_cost(reps, cohort, detail, rev[["rep_id", "month", "target"]], a)
    size = sizing(inputs.accounts, history, reps, float(monthly.sum()), a)
    current = int((reps["status"] == "active").sum())
    planned = a.staffing.planned_headcount or int(reps["status"].isin(["active", "open"]).sum())
    required = int(org.loc[org["role"] == "Total", "required"].iloc[0])
    n_open = int((reps["status"] == "open").sum())
    headcount = pd.DataFrame({
        "measure": ["on the payroll today", "planned (payroll + open requisitions)", "required by the model",
                    "open requisitions", "hires the model asks for"],
        "heads": [current, planned, required, n_open, len(hires)],
    })
    binding = size.loc[size["reps_needed"].idxmax()]
    capacity = float(cap["capacity_revenue"].sum())
    cost_year = float(cost["total"].sum())
    metrics = StaffingMetrics(
        heads_today=current, heads_planned=int(planned), heads_required=required,
        sales_heads_required=sales_required, open_requisitions=n_open, hires=len(hires),
        binding_method=str(binding["method"]), reps_needed=float(binding["reps_needed"]),
        revenue_target=float(monthly.sum()), expected_capacity=capacity, cost_of_year=cost_year,
        cost_of_sales=cost_year / capacity if capacity > 0 else float("nan"))
    return Staffing(sizing=size, capacity=cap, detail=detail, hiring=plan_rows, org=org, cost=cost,
                    headcount=headcount, cohort=cohort, metrics=metrics)
