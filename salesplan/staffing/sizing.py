"""How many reps the plan needs, by three methods side by side: workload, breakdown, funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import MONTHS, last_year, run_rate

__all__ = ["workload_reps", "sizing", "seat_yield", "new_account_revenue"]


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


def new_account_revenue(history: pd.DataFrame, accounts: pd.DataFrame, year: int) -> float:
    """Revenue a new account brings in the year it is won, from last year.

    A typical account's year (the median ``sales_last_year`` of the accounts
    that bought) times the share of the year a new account is there on
    average: new customers are won through the year (last year's
    ``new_customers`` by month), each from the middle of its month.

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history (``month, new_customers``).
    accounts : pandas.DataFrame
        ``sales_last_year`` (currency).
    year : int
        Plan year.

    Returns
    -------
    float
        Currency (0 when no account bought last year).
    """
    sales = pd.to_numeric(accounts["sales_last_year"], errors="coerce").to_numpy(float)
    sales = sales[np.isfinite(sales) & (sales > 0)]
    if not len(sales):
        return 0.0
    ly = last_year(history, year)
    won = ly.groupby(ly["month"].dt.month if hasattr(ly["month"], "dt") else ly["month"].map(lambda p: p.month),
                     observed=True)["new_customers"].sum().reindex(range(1, MONTHS + 1), fill_value=0).to_numpy(float)
    left = (MONTHS - np.arange(1, MONTHS + 1) + 0.5) / MONTHS  # share of the year left, won mid-month
    there = float((won * left).sum() / won.sum()) if won.sum() > 0 else 0.5
    return float(np.median(sales)) * there


def sizing(accounts: pd.DataFrame, history: pd.DataFrame, reps: pd.DataFrame, annual_target: float,
           assumptions: Assumptions, *, visits: float | None = None, new_customers: float | None = None,
           revenue_heads: tuple[int, str] | None = None) -> pd.DataFrame:
    """Reps needed by each method, side by side; the largest binds.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``segment`` and ``visits_per_month`` per account, ``sales_last_year``.
    history, reps : pandas.DataFrame
        Monthly history and staff (for the productivity of a ramped rep).
    annual_target : float
        Company revenue target (currency).
    assumptions : Assumptions
    visits : float, optional
        Visits a month the accounts need (the assigned territories'); default
        the accounts' own (:func:`salesplan.accounts.account_visits`).
    new_customers : float, optional
        New customers to win in the year (the plan's target); default last
        year's x (1 + ``targets.new_customers_growth``).
    revenue_heads : (int, str), optional
        Sales heads the hiring plan needs to keep every month at target
        (today's plus its hires) and how it says so: adds the row
        ``hiring plan``, which then stands for the revenue target in the
        binding instead of ``breakdown``.

    Returns
    -------
    pandas.DataFrame
        ``method, reps_needed, reps_rounded, basis, binding`` -- methods
        ``workload`` (visits a month / visits of a full-time rep in a full
        month of the plan year's calendar), ``breakdown`` (target / revenue
        of a fully ramped rep, grossed up for seats lost to attrition,
        vacancy and ramp-up), ``funnel`` (the new customers -> interested
        prospects -> calling days, over a rep's ``working_days_per_month`` x
        12; only the revenue of new customers comes from new deals) and,
        when given,
        ``hiring plan``.  ``binding`` marks the largest of workload, funnel
        and the revenue row (hiring plan, else breakdown).
    """
    from salesplan.accounts import account_visits
    from salesplan.calendar import working_days
    from salesplan.visits import full_month_visits

    p, a = assumptions.productivity, assumptions
    year = a.plan_year
    per_rep = full_month_visits(a)
    own = visits is None
    visits = float(account_visits(accounts, a.territory)[1].sum()) if own else float(visits)
    wl = visits / per_rep
    days_year = float(working_days(year, a.calendar).sum())
    sales = reps[reps["role"].isin(["rep"]) & (reps["status"] != "open")]
    rate = run_rate(sales, history, year, "revenue", a.staffing.ramp_curve) if len(sales) else np.array([np.nan])
    per_rep_revenue = float(np.nanmedian(rate)) * MONTHS
    yield_ = seat_yield(a)
    bd = annual_target / per_rep_revenue / yield_
    ly = last_year(history, year)
    deals = float(new_customers) if new_customers is not None else \
        float(ly["new_customers"].sum()) * (1 + a.targets.new_customers_growth)
    first_year = p.avg_deal_size if p.avg_deal_size is not None else new_account_revenue(history, accounts, year)
    interested = deals / p.conversion
    days = interested / p.interested_per_day
    calling = p.working_days_per_month * MONTHS  # a phone-sales rep's calling days a year
    rows = [
        ("workload", wl, f"{visits:,.0f} visits a month ({'accounts' if own else 'assigned territories'}) / "
                         f"{per_rep:,.1f} a full-time rep ({p.visits_per_day:g} a day x {days_year / MONTHS:.2f} "
                         f"working days)"),
        ("breakdown", bd, f"target {annual_target:,.0f} / {per_rep_revenue:,.0f} per ramped rep / "
                          f"{yield_:.2f} productive share of a seat"),
        ("funnel", days / calling, f"{deals:,.0f} new customers x {first_year:,.0f} in their first year = "
                                   f"{deals * first_year:,.0f} from new deals -> {interested:,.0f} interested -> "
                                   f"{days:,.0f} calling days of {calling:,.0f} a rep"),
    ]
    if revenue_heads is not None:
        rows.append(("hiring plan", float(revenue_heads[0]), revenue_heads[1]))
    out = pd.DataFrame(rows, columns=["method", "reps_needed", "basis"])
    out.insert(2, "reps_rounded", np.ceil(out["reps_needed"] - 1e-9).astype(int))
    revenue = "hiring plan" if revenue_heads is not None else "breakdown"
    eligible = out["method"].isin(["workload", "funnel", revenue])
    top = out.loc[eligible, "reps_needed"].max()
    out["binding"] = eligible & (out["reps_needed"] == top)
    return out
