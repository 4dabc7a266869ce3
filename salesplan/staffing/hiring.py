"""The hiring plan: the fewest hires, and the latest start of each, that keep capacity at target."""

from __future__ import annotations

import dataclasses
from typing import Mapping

import numpy as np
import pandas as pd

from salesplan.arguments import as_month, month_index, require_frame
from salesplan.assumptions import Assumptions, override
from salesplan.errors import InputError
from salesplan.history import MONTHS
from salesplan.staffing.cohort import Cohort, _extend, _subset, expected_presence, revenue_capacity

__all__ = ["hiring_plan", "with_hires"]


def hiring_plan(cohort: Cohort, monthly_target: pd.Series, assumptions: Assumptions, *, required: int | None = None,
                reason: str = "visits", **options) -> pd.DataFrame:
    """Latest start month of each new rep so that capacity meets every month's target.

    Starts from the heads already on the payroll (open requisitions are
    ignored: this says what they should be).  The earliest possible start is
    ``time_to_fill_months`` into the year (a requisition opened in January);
    a new rep is not expected to carry a month before finishing the
    ``ramp_up_months`` ramp-up phase (3 in the handbook), so months before
    ``earliest start + ramp_up_months`` cannot be closed by hiring and are
    reported as shortfalls.  From then on, month by month, while expected
    capacity falls short, the fewest hires that close the gap are added, with
    the latest start month that needs no more hires than that.

    When the plan needs more sales heads than that for another reason
    (``required``: the visits the accounts need), the hires still missing
    start as early as a requisition opened in January can fill them
    (``time_to_fill_months``), with that ``reason``.

    Parameters
    ----------
    cohort : Cohort
        From :func:`~salesplan.staffing.build_cohort`.
    monthly_target : pandas.Series
        Company revenue target by month (currency, 12 values).
    assumptions : Assumptions
        ``staffing`` (ramp-up, attrition, time to fill, ``ramp_up_months``,
        ``max_hires``).
    required : int, optional
        Sales heads the plan needs in all (today's and the hires); hires
        beyond those the revenue needs make up the difference.
    reason : str
        Why ``required`` is needed (``visits``, ``new_customers``), on those
        hires' rows.
    **options
        Any setting of the ``staffing`` section, overriding the assumptions
        (e.g. ``ramp_up_months=1``).

    Returns
    -------
    pandas.DataFrame
        ``kind`` ("hire" or "shortfall"), ``hire`` (number), ``reason``
        (``revenue``, or the ``reason`` given; empty on a shortfall), ``start_month``,
        ``open_requisition_by``, ``for_month``, ``capacity`` (expected revenue
        capacity of ``for_month`` after the hire), ``target``, ``shortfall``.
    """
    s = override(assumptions.staffing, "hiring_plan()", options)
    assumptions = dataclasses.replace(assumptions, staffing=s)
    ramp_up_months, max_hires = s.ramp_up_months, s.max_hires
    monthly_target = month_index(monthly_target, "hiring_plan(monthly_target=...)")
    months = monthly_target.index
    target = monthly_target.to_numpy(dtype=float)
    reps_only = cohort.roles == "rep"
    prod = float(np.median(cohort.productivity[reps_only] if reps_only.any() else cohort.productivity))
    level = int(np.median(cohort.levels[reps_only])) if reps_only.any() else 2
    earliest = s.time_to_fill_months
    protect_from = earliest + ramp_up_months
    cur = _subset(cohort, ~cohort.new)

    def capacity(c: Cohort) -> np.ndarray:
        return revenue_capacity(expected_presence(c, assumptions), c.ramp(s.ramp_curve), c)

    cap = capacity(cur)
    rows = []
    for t in range(MONTHS):
        if t < protect_from:
            if cap[t] < target[t] - 1e-6:
                rows.append({"kind": "shortfall", "hire": np.nan, "reason": None, "start_month": pd.NaT,
                             "open_requisition_by": pd.NaT, "for_month": months[t], "capacity": cap[t],
                             "target": target[t], "shortfall": target[t] - cap[t]})
            continue
        while cap[t] < target[t] - 1e-6 and sum(r["kind"] == "hire" for r in rows) < max_hires:
            gap = target[t] - cap[t]
            # fewest hires first, then the latest start that needs no more than that
            starts = np.arange(t, earliest - 1, -1)
            gain = np.array([capacity(_extend(cur, int(st), "rep", level, prod))[t] - cap[t] for st in starts])
            need = np.where(gain > 0, np.ceil(gap / np.where(gain > 0, gain, 1) - 1e-9), np.inf)
            if not np.isfinite(need).any():
                break
            st = int(starts[np.flatnonzero(need == need.min())[0]])
            for _ in range(int(min(need.min(), max_hires))):
                cur = _extend(cur, st, "rep", level, prod)
                cap = capacity(cur)
                rows.append(_hire(rows, "revenue", st, t, cap, target, months, s.time_to_fill_months))
    st = min(earliest, MONTHS - 1)
    while required is not None and len(cur.ids) < required and sum(r["kind"] == "hire" for r in rows) < max_hires:
        cur = _extend(cur, st, "rep", level, prod)
        rows.append(_hire(rows, reason, st, st, capacity(cur), target, months, s.time_to_fill_months))
    cols = ["kind", "hire", "reason", "start_month", "open_requisition_by", "for_month", "capacity", "target",
            "shortfall"]
    out = pd.DataFrame(rows, columns=cols)
    out["hire"] = out["hire"].astype("Int64")
    return out


def _hire(rows: list[dict], reason: str, start: int, month: int, cap: np.ndarray, target: np.ndarray, months,
          time_to_fill: int) -> dict:
    """One row of the hiring plan: the next hire, starting in month ``start`` for month ``month``."""
    return {"kind": "hire", "hire": sum(r["kind"] == "hire" for r in rows) + 1, "reason": reason,
            "start_month": months[start], "open_requisition_by": months[start] - time_to_fill,
            "for_month": months[month], "capacity": cap[month], "target": target[month],
            "shortfall": max(target[month] - cap[month], 0.0)}


def with_hires(reps: pd.DataFrame, hires: dict[str, int], *, role: str = "rep", level: int = 2,
               team: str | None = None, region: str | None = None) -> pd.DataFrame:
    """Replace the open requisitions of ``role`` with the given hires.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table.
    hires : dict
        Start month ``"YYYY-MM"`` -> number of hires, e.g. ``{"2027-03": 3, "2027-06": 2}``.
    role, level : str, int
        Of the new heads.
    team, region : str, optional
        Defaults: those of the replaced requisitions in turn (or of the first
        active rep of the role).

    Returns
    -------
    pandas.DataFrame
        Staff table with the requisitions of ``role`` replaced.
    """
    require_frame(reps, "with_hires(reps=...)", ["role", "status"])
    if not isinstance(hires, Mapping):
        raise InputError("with_hires(hires=...)", [f"must map a start month to a number of hires, e.g. "
                                                   f"{{'2027-03': 3}} (got {type(hires).__name__})"])
    problems = []
    months = {}
    for m, n in hires.items():
        try:
            months[str(as_month(m, "hires"))] = n
        except InputError:
            problems.append(f"{m!r} is not a month YYYY-MM")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            problems.append(f"{m}: number of hires must be a whole number >= 0 (got {n!r})")
    if problems:
        raise InputError("hires", problems)
    hires = months
    is_req = (reps["status"] == "open") & (reps["role"] == role)
    old = reps[is_req]
    pool = old if len(old) else reps[reps["role"] == role].head(1)
    if pool.empty:
        pool = reps.head(1)
    if pool.empty and sum(hires.values()):
        raise InputError("with_hires(reps=...)", ["no staff row to copy the new heads' team and region from"])
    rows = []
    k = 0
    for m, n in sorted(hires.items()):
        for _ in range(int(n)):
            src = pool.iloc[k % len(pool)]
            k += 1
            rows.append({**src.to_dict(), "rep_id": f"N{k:02d}", "name": f"New hire {k}", "role": role,
                         "status": "open", "level": level, "hire_date": pd.Timestamp(f"{m}-01"),
                         "end_date": pd.NaT, "fte": 1.0,
                         **({"team": team} if team else {}), **({"region": region} if region else {})})
    out = pd.concat([reps[~is_req], pd.DataFrame(rows, columns=reps.columns)], ignore_index=True)
    return out.astype(reps.dtypes.to_dict())
