"""Head count by role: on the payroll today, planned, required by the model."""

from __future__ import annotations

import math

import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.schema import SALES_ROLES

__all__ = ["org_structure"]


def org_structure(reps: pd.DataFrame, required_sales: int, assumptions: Assumptions) -> pd.DataFrame:
    """Head count by role: on the payroll, planned (with open requisitions), required.

    Supervisors: ``ceil(sales heads / span_of_control)``; team leads,
    assistants, order followers and systems clerks: ``ceil(ratio x sales
    heads)``; one manager.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table.
    required_sales : int
        Sales heads the plan needs (e.g. from :func:`hiring_plan`).
    assumptions : Assumptions

    Returns
    -------
    pandas.DataFrame
        ``role, current, planned, required, gap`` (gap = required - planned),
        with a Total row.
    """
    s = assumptions.staffing
    if s.span_of_control < 1:
        raise InputError("span_of_control", [f"must be >= 1 (got {s.span_of_control})"])
    if required_sales < 0:
        raise InputError("required_sales", [f"must be >= 0 (got {required_sales})"])
    active = reps[reps["status"] == "active"]["role"].value_counts()
    planned = reps[reps["status"].isin(["active", "open"])]["role"].value_counts()
    sales_roles = [r for r in SALES_ROLES if r != "team_lead"]
    req = {
        "manager": 1,
        "supervisor": math.ceil(required_sales / s.span_of_control),
        "team_lead": math.ceil(s.ratios.get("team_lead", 0) * required_sales - 1e-9),
        "assistant": math.ceil(s.ratios.get("assistant", 0) * required_sales - 1e-9),
        "order_follower": math.ceil(s.ratios.get("order_follower", 0) * required_sales - 1e-9),
        "systems_clerk": math.ceil(s.ratios.get("systems_clerk", 0) * required_sales - 1e-9),
    }
    rows = [("sales (rep, key/regular account)", int(active.reindex(sales_roles).fillna(0).sum()),
             int(planned.reindex(sales_roles).fillna(0).sum()), int(required_sales))]
    for role, n in req.items():
        rows.append((role, int(active.get(role, 0)), int(planned.get(role, 0)), int(n)))
    out = pd.DataFrame(rows, columns=["role", "current", "planned", "required"])
    out["gap"] = out["required"] - out["planned"]
    total = out[["current", "planned", "required", "gap"]].sum()
    out.loc[len(out)] = ["Total", *total.tolist()]
    return out
