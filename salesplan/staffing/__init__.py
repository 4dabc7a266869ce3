"""Staffing needs: team size, cohort capacity, hiring plan, org structure and cost.

Modules
-------
sizing
    Reps needed by workload, breakdown and funnel, side by side.
cohort
    The monthly cohort model: presence (attrition, probation, notice),
    ramp-up and revenue capacity of every head.
hiring
    The fewest hires and the latest start of each that keep capacity at
    target; scenarios with other hires (:func:`with_hires`).
org
    Head count by role.
cost
    Monthly cost: pay, allowances, commission, travel, recruiting.
team
    :func:`size_team`, the whole model of a plan, returning :class:`Staffing`:
    one number of sales heads with its reason (visits, revenue or new
    customers), used by the hiring plan, the org structure and the headcount.
"""

from __future__ import annotations

from salesplan.staffing.cohort import (Cohort, build_cohort, cohort_capacity, expected_presence, monthly_hazard,
                                       revenue_capacity, stretch_ramp)
from salesplan.staffing.cost import monthly_cost
from salesplan.staffing.hiring import hiring_plan, with_hires
from salesplan.staffing.org import org_structure
from salesplan.staffing.result import Staffing, StaffingMetrics
from salesplan.staffing.sizing import new_account_revenue, seat_yield, sizing, workload_reps
from salesplan.staffing.team import size_team, visit_heads

__all__ = [
    "size_team",
    "Staffing",
    "StaffingMetrics",
    "Cohort",
    "build_cohort",
    "cohort_capacity",
    "expected_presence",
    "revenue_capacity",
    "monthly_hazard",
    "stretch_ramp",
    "hiring_plan",
    "with_hires",
    "org_structure",
    "monthly_cost",
    "sizing",
    "seat_yield",
    "workload_reps",
    "new_account_revenue",
    "visit_heads",
]
