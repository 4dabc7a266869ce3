"""Head count by role: on the payroll today, planned, required by the model."""

from __future__ import annotations

import math

import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.schema import SALES_ROLES

__all__ = ["org_structure"]


def org_structure(reps: pd.DataFrame, required_sales: int, assumptions: Assumptions, *, reason: str = "revenue",
                  basis: str = "") -> pd.DataFrame:
    """Head count by role: on the payroll, open requisitions, planned, required, and why.

    Supervisors: ``ceil(sales heads / span_of_control)``; team leads,
    assistants, order followers and systems clerks: ``ceil(ratio x sales
    heads)``; one manager.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table.
    required_sales : int
        Sales heads the plan needs (:func:`~salesplan.staffing.size_team`:
        the larger of what the visits and the revenue need).
    assumptions : Assumptions
    reason : str
        Why the sales heads are needed: ``visits``, ``revenue`` or
        ``new_customers``.
    basis : str
        The arithmetic behind ``required_sales``, for the sales row.

    Returns
    -------
    pandas.DataFrame
        ``role, current`` (on the payroll), ``open`` (requisitions),
        ``planned`` (the two), ``required``, ``gap`` (required - planned:
        heads to add beyond the open requisitions), ``reason`` (``visits``,
        ``revenue``, ``new_customers``, ``span_of_control``, ``ratio``,
        ``one``) and ``basis`` (the arithmetic), with a Total row.
    """
    s = assumptions.staffing
    if s.span_of_control < 1:
        raise InputError("span_of_control", [f"must be >= 1 (got {s.span_of_control})"])
    if required_sales < 0:
        raise InputError("required_sales", [f"must be >= 0 (got {required_sales})"])
    active = reps[reps["status"] == "active"]["role"].value_counts()
    opened = reps[reps["status"] == "open"]["role"].value_counts()
    sales_roles = [r for r in SALES_ROLES if r != "team_lead"]
    n = int(required_sales)
    req = {"manager": (1, "one", "one sales manager"),
           "supervisor": (math.ceil(n / s.span_of_control), "span_of_control",
                          f"{n} sales heads / {s.span_of_control} a supervisor")}
    for role in ("team_lead", "assistant", "order_follower", "systems_clerk"):
        ratio = s.ratios.get(role, 0)
        req[role] = (math.ceil(ratio * n - 1e-9), "ratio", f"{n} sales heads x {ratio:.3g}")
    rows = [("sales (rep, key/regular account)", int(active.reindex(sales_roles).fillna(0).sum()),
             int(opened.reindex(sales_roles).fillna(0).sum()), n, reason, basis)]
    for role, (k, why, how) in req.items():
        rows.append((role, int(active.get(role, 0)), int(opened.get(role, 0)), int(k), why, how))
    out = pd.DataFrame(rows, columns=["role", "current", "open", "required", "reason", "basis"])
    out.insert(3, "planned", out["current"] + out["open"])
    out.insert(5, "gap", out["required"] - out["planned"])
    total = out[["current", "open", "planned", "required", "gap"]].sum()
    out.loc[len(out)] = ["Total", *total.tolist(), "", ""]
    for c in ("current", "open", "planned", "required", "gap"):
        out[c] = out[c].astype(int)
    return out
