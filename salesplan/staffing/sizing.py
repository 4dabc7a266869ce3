"""How many reps the plan needs, by three methods side by side: workload, breakdown, funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import MONTHS, last_year, run_rate

__all__ = ["workload_reps", "sizing", "seat_yield"]


def workload_reps(accounts_by_segment: dict[str, float], calls_per_year: dict[str, float],
                  calls_per_rep_per_year: float) -> float:
    """Reps needed to make every planned call (the workload method).

    Parameters
    ----------
    accounts_by_segment : dict
        Number of accounts per segment.
    calls_per_year : dict
        Calls (visits) a year each account of the segment needs.
    calls_per_rep_per_year : float
        Calls one full-time rep makes in a year.

    Returns
    -------
    float
        ``sum(n_s * calls_s) / calls_per_rep_per_year`` (not rounded).

    Examples
    --------
    >>> workload_reps({"A": 1000, "B": 2000}, {"A": 36, "B": 12}, 1000)
    60.0
    """
    if calls_per_rep_per_year <= 0:
        raise InputError("calls_per_rep_per_year", [f"must be positive (got {calls_per_rep_per_year})"])
    missing = sorted(set(accounts_by_segment) - set(calls_per_year))
    if missing:
        raise InputError("calls_per_year", [f"no call frequency for segment(s) {missing}"])
    bad = [s for s, n in accounts_by_segment.items() if n < 0 or calls_per_year[s] < 0]
    if bad:
        raise InputError("accounts_by_segment", [f"negative count or frequency for segment(s) {bad}"])
    calls = sum(n * calls_per_year[s] for s, n in accounts_by_segment.items())
    return float(calls / calls_per_rep_per_year)


def seat_yield(a: Assumptions) -> float:
    """Share of a seat's year that is productive once attrition, vacancy and ramp-up are counted.

    Parameters
    ----------
    a : Assumptions
        ``staffing``: attrition, time to fill, ramp-up curve.

    Returns
    -------
    float
        ``1 - attrition x (time to fill + months lost to ramp-up) / 12``, at
        least 0.05.
    """
    s = a.staffing
    ramp_loss = float(np.sum(1 - np.asarray(s.ramp_curve)))
    return max(1 - s.annual_attrition * (s.time_to_fill_months + ramp_loss) / MONTHS, 0.05)


def sizing(accounts: pd.DataFrame, history: pd.DataFrame, reps: pd.DataFrame, annual_target: float,
           assumptions: Assumptions) -> pd.DataFrame:
    """Reps needed by three methods, side by side; the largest binds.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``segment`` and ``visits_per_month`` per account.
    history, reps : pandas.DataFrame
        Monthly history and staff (for the productivity of a ramped rep).
    annual_target : float
        Company revenue target (currency).
    assumptions : Assumptions

    Returns
    -------
    pandas.DataFrame
        ``method, reps_needed, reps_rounded, basis, binding`` -- methods
        ``workload`` (visits to make / visits a rep can make), ``breakdown``
        (target / revenue of a fully ramped rep, grossed up for seats lost to
        attrition, vacancy and ramp-up) and ``funnel`` (target -> deals ->
        interested prospects -> calling days).
    """
    p, a = assumptions.productivity, assumptions
    year = a.plan_year
    per_rep_visits = p.visits_per_day * p.working_days_per_month * MONTHS
    seg = accounts.groupby("segment", observed=True)["visits_per_month"].agg(["count", "mean"])
    wl = workload_reps(seg["count"].to_dict(), (seg["mean"] * MONTHS).to_dict(), per_rep_visits)
    sales = reps[reps["role"].isin(["rep"]) & (reps["status"] != "open")]
    rate = run_rate(sales, history, year, "revenue", a.staffing.ramp_curve) if len(sales) else np.array([np.nan])
    per_rep_revenue = float(np.nanmedian(rate)) * MONTHS
    yield_ = seat_yield(a)
    bd = annual_target / per_rep_revenue / yield_
    ly = last_year(history, year)
    deal = p.avg_deal_size or float(ly["revenue"].sum() / max(ly["new_customers"].sum(), 1))
    deals = annual_target / deal
    interested = deals / p.conversion
    days = interested / p.interested_per_day
    fn = days / (p.working_days_per_month * MONTHS)
    rows = [
        ("workload", wl, f"{sum(seg['count'] * seg['mean'] * MONTHS):,.0f} visits a year / "
                         f"{per_rep_visits:,.0f} per rep ({p.visits_per_day:g} a day)"),
        ("breakdown", bd, f"target {annual_target:,.0f} / {per_rep_revenue:,.0f} per ramped rep / "
                          f"{yield_:.2f} productive share of a seat"),
        ("funnel", fn, f"{deals:,.0f} deals of {deal:,.0f} -> {interested:,.0f} interested -> "
                       f"{days:,.0f} calling days"),
    ]
    out = pd.DataFrame(rows, columns=["method", "reps_needed", "basis"])
    out.insert(2, "reps_rounded", np.ceil(out["reps_needed"] - 1e-9).astype(int))
    out["binding"] = out["reps_needed"] == out["reps_needed"].max()
    return out
