"""Staffing needs: team size, cohort capacity, hiring plan, org structure and cost.

Three sizing methods side by side (:func:`sizing`), a monthly cohort model of
every rep and open requisition with ramp-up, probation and attrition
(:func:`cohort_capacity`), the latest start month of each hire that keeps
capacity at target (:func:`hiring_plan`), head counts by role
(:func:`org_structure`) and cost by month (:func:`monthly_cost`).
:func:`staffing_tables` bundles them for export.

Monthly attrition hazard from an annual rate ``a``: ``h = 1 - (1 - a) ** (1 / 12)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.assumptions import SALES_ROLES, Assumptions
from salesplan.errors import InputError
from salesplan.targets import run_rate, seasonality

__all__ = [
    "monthly_hazard",
    "workload_reps",
    "sizing",
    "Cohort",
    "build_cohort",
    "cohort_capacity",
    "hiring_plan",
    "org_structure",
    "monthly_cost",
    "staffing_tables",
    "with_hires",
]

_MONTHS = 12


def monthly_hazard(annual_rate: float) -> float:
    """Monthly hazard equivalent to an annual attrition rate.

    Parameters
    ----------
    annual_rate : float
        Share of staff leaving in a year, within [0, 1).

    Returns
    -------
    float
        ``1 - (1 - annual_rate) ** (1 / 12)``.
    """
    if not 0 <= annual_rate < 1:
        raise InputError("annual_attrition", [f"must be within [0, 1) (got {annual_rate})"])
    return 1 - (1 - annual_rate) ** (1 / 12)


# ---------------------------------------------------------------------------
# sizing
# ---------------------------------------------------------------------------
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


def _ly(history: pd.DataFrame, year: int) -> pd.DataFrame:
    ordinal = history["month"].array.asi8
    lo = (year - 1 - 1970) * 12
    return history[(ordinal >= lo) & (ordinal < lo + 12)]


def _seat_yield(a: Assumptions) -> float:
    """Share of a seat's year that is productive once attrition, vacancy and ramp-up are counted."""
    s = a.staffing
    ramp_loss = float(np.sum(1 - np.asarray(s.ramp_curve)))
    return max(1 - s.annual_attrition * (s.time_to_fill_months + ramp_loss) / _MONTHS, 0.05)


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
    per_rep_visits = p.visits_per_day * p.working_days_per_month * _MONTHS
    seg = accounts.groupby("segment", observed=True)["visits_per_month"].agg(["count", "mean"])
    wl = workload_reps(seg["count"].to_dict(), (seg["mean"] * _MONTHS).to_dict(), per_rep_visits)
    sales = reps[reps["role"].isin(["rep"]) & (reps["status"] != "open")]
    rate = run_rate(sales, history, year, "revenue", a.staffing.ramp_curve) if len(sales) else np.array([np.nan])
    per_rep_revenue = float(np.nanmedian(rate)) * _MONTHS
    yield_ = _seat_yield(a)
    bd = annual_target / per_rep_revenue / yield_
    ly = _ly(history, year)
    deal = p.avg_deal_size or float(ly["revenue"].sum() / max(ly["new_customers"].sum(), 1))
    deals = annual_target / deal
    interested = deals / p.conversion
    days = interested / p.interested_per_day
    fn = days / (p.working_days_per_month * _MONTHS)
    rows = [
        ("workload", wl, f"{sum(seg['count'] * seg['mean'] * _MONTHS):,.0f} visits a year / "
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


# ---------------------------------------------------------------------------
# cohort model
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Cohort:
    """Everyone who can sell in the plan year, as arrays (one entry per head).

    Attributes
    ----------
    ids, roles, levels : numpy.ndarray
        Per head.
    fte, productivity : numpy.ndarray
        FTE and fully ramped revenue a month of a full-time head.
    start : numpy.ndarray of int
        Start month index in the plan year (0 = January; negative: already
        on the payroll that many months before January).
    new : numpy.ndarray of bool
        Starts during the plan year (probation applies).
    end : numpy.ndarray of int
        First month no longer on the payroll (12 or more: stays).
    season : numpy.ndarray
        Twelve monthly factors averaging 1.
    """

    ids: np.ndarray
    roles: np.ndarray
    levels: np.ndarray
    fte: np.ndarray
    productivity: np.ndarray
    start: np.ndarray
    new: np.ndarray
    end: np.ndarray
    season: np.ndarray

    def ramp(self, ramp_curve: Sequence[float], start: np.ndarray | None = None) -> np.ndarray:
        """Ramp factor per head (or per run x head) and month; 0 before the start."""
        rc = np.asarray(ramp_curve, dtype=float)
        st = self.start if start is None else start
        k = np.arange(_MONTHS) - st[..., None]  # tenure month, 0 = first month
        return np.where(k >= 0, rc[np.clip(k, 0, len(rc) - 1)], 0.0)


def build_cohort(reps: pd.DataFrame, history: pd.DataFrame, assumptions: Assumptions) -> Cohort:
    """The sales heads (active and open requisitions) of the plan year."""
    year = assumptions.plan_year
    r = reps[reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "open"])].reset_index(drop=True)
    if r.empty:
        raise InputError("reps.csv", ["no active or open rep with a sales role to staff the plan"])
    hire = pd.DatetimeIndex(r["hire_date"])
    start = (hire.year - year) * 12 + hire.month - 1
    end_dt = pd.DatetimeIndex(r["end_date"])
    end = np.where(end_dt.isna(), 10_000, (end_dt.year.fillna(0) - year) * 12 + end_dt.month.fillna(0))
    try:
        season = seasonality(history, assumptions.targets.seasonality, year=year,
                             override=assumptions.targets.seasonality_override).to_numpy() * _MONTHS
    except InputError:
        season = np.ones(_MONTHS)
    prod = run_rate(r, history, year, "revenue", assumptions.staffing.ramp_curve)
    return Cohort(
        ids=r["rep_id"].astype(str).to_numpy(), roles=r["role"].astype(str).to_numpy(),
        levels=r["level"].astype(int).to_numpy(), fte=r["fte"].to_numpy(dtype=float),
        productivity=np.asarray(prod, dtype=float), start=np.asarray(start, dtype=np.int64),
        new=np.asarray(start >= 0), end=np.asarray(end, dtype=np.int64), season=season,
    )


def expected_presence(cohort: Cohort, assumptions: Assumptions) -> np.ndarray:
    """Probability each head is on the payroll in each month (heads x 12).

    A head resigns in any month with hazard ``h`` and leaves after the notice
    period; a new hire leaves at the end of probation unless they pass.
    """
    s = assumptions.staffing
    h = monthly_hazard(s.annual_attrition)
    t = np.arange(_MONTHS)
    since = t[None, :] - np.maximum(cohort.start, 0)[:, None]  # months since the later of start / January
    on = (since >= 0) & (t[None, :] < cohort.end[:, None])
    stay = (1 - h) ** np.maximum(since + 1 - s.notice_months, 0)
    tenure = t[None, :] - cohort.start[:, None]
    passed = np.where(cohort.new[:, None] & (tenure >= s.probation_months), s.probation_pass_rate, 1.0)
    return on * stay * passed


def revenue_capacity(presence: np.ndarray, ramp: np.ndarray, cohort: Cohort,
                     multiplier: np.ndarray | float = 1.0) -> np.ndarray:
    """Revenue a month: presence x FTE x ramp x productivity x season, summed over heads.

    ``presence`` and ``ramp`` are (..., heads, 12); the result is (..., 12).
    The simulation calls this same function, so with every source of noise
    off it reproduces the deterministic plan exactly.
    """
    per_head = cohort.fte * cohort.productivity * np.asarray(multiplier, dtype=float)
    return (presence * ramp * per_head[..., None]).sum(axis=-2) * cohort.season


def cohort_capacity(cohort: Cohort, monthly_target: pd.Series, assumptions: Assumptions
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Expected headcount, ramped FTE, capacity and gap by month.

    Parameters
    ----------
    cohort : Cohort
        From :func:`build_cohort`.
    monthly_target : pandas.Series
        Company revenue target by month (12 values, Period index).
    assumptions : Assumptions

    Returns
    -------
    monthly : pandas.DataFrame
        ``month, headcount, ramped_fte, capacity_revenue, capacity_visits,
        target, gap, attainment`` (gap = capacity - target).
    detail : pandas.DataFrame
        Per head and month: ``rep_id, role, month, presence, ramp,
        capacity_revenue``.
    """
    if len(monthly_target) != _MONTHS:
        raise InputError("monthly_target", [f"needs 12 months (got {len(monthly_target)})"])
    p = assumptions.productivity
    pres = expected_presence(cohort, assumptions)
    ramp = cohort.ramp(assumptions.staffing.ramp_curve)
    cap = revenue_capacity(pres, ramp, cohort)
    ramped = (pres * ramp * cohort.fte[:, None]).sum(axis=0)
    visits = ramped * p.visits_per_day * p.working_days_per_month
    target = monthly_target.to_numpy(dtype=float)
    monthly = pd.DataFrame({
        "month": monthly_target.index, "headcount": pres.sum(axis=0), "ramped_fte": ramped,
        "capacity_revenue": cap, "capacity_visits": visits, "target": target, "gap": cap - target,
        "attainment": cap / np.where(target > 0, target, np.nan),
    })
    per_head = pres * ramp * (cohort.fte * cohort.productivity)[:, None] * cohort.season[None, :]
    detail = pd.DataFrame({
        "rep_id": np.repeat(cohort.ids, _MONTHS), "role": np.repeat(cohort.roles, _MONTHS),
        "month": np.tile(np.asarray(monthly_target.index), len(cohort.ids)),
        "presence": pres.ravel(), "ramp": ramp.ravel(), "capacity_revenue": per_head.ravel(),
    })
    return monthly, detail


def _subset(c: Cohort, keep: np.ndarray) -> Cohort:
    return Cohort(**{f: (getattr(c, f)[keep] if f != "season" else c.season) for f in c.__dataclass_fields__})


def _extend(c: Cohort, start: int, role: str, level: int, productivity: float) -> Cohort:
    return Cohort(
        ids=np.append(c.ids, f"H{len(c.ids) + 1:02d}"), roles=np.append(c.roles, role),
        levels=np.append(c.levels, level), fte=np.append(c.fte, 1.0),
        productivity=np.append(c.productivity, productivity), start=np.append(c.start, start),
        new=np.append(c.new, True), end=np.append(c.end, 10_000), season=c.season)


def hiring_plan(cohort: Cohort, monthly_target: pd.Series, assumptions: Assumptions, *,
                ramp_up_months: int = 3, max_hires: int = 200) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        ``kind`` ("hire" or "shortfall"), ``hire`` (number), ``start_month``,
        ``open_requisition_by``, ``for_month``, ``capacity`` (expected revenue
        capacity of ``for_month`` after the hire), ``target``, ``shortfall``.
    """
    s = assumptions.staffing
    if ramp_up_months < 0:
        raise InputError("ramp_up_months", [f"must be >= 0 (got {ramp_up_months})"])
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
    for t in range(_MONTHS):
        if t < protect_from:
            if cap[t] < target[t] - 1e-6:
                rows.append({"kind": "shortfall", "hire": np.nan, "start_month": pd.NaT,
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
                n = sum(r["kind"] == "hire" for r in rows) + 1
                rows.append({"kind": "hire", "hire": n, "start_month": months[st],
                             "open_requisition_by": months[st] - s.time_to_fill_months,
                             "for_month": months[t], "capacity": cap[t], "target": target[t],
                             "shortfall": max(target[t] - cap[t], 0.0)})
    cols = ["kind", "hire", "start_month", "open_requisition_by", "for_month", "capacity", "target", "shortfall"]
    out = pd.DataFrame(rows, columns=cols)
    out["hire"] = out["hire"].astype("Int64")
    return out


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


def monthly_cost(reps: pd.DataFrame, cohort: Cohort, detail: pd.DataFrame, rep_targets: pd.DataFrame,
                 assumptions: Assumptions, *, hires: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cost of the sales organisation by month.

    Base salary by level, meal allowance, transport and phone allowances
    (paid to a sales head only in months their expected revenue meets their
    own target), commission on expected revenue, travel days (in / out of
    province), recruiting cost in the start month of every new hire.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table (support staff are costed at full presence).
    cohort, detail : Cohort, pandas.DataFrame
        From :func:`build_cohort` / :func:`cohort_capacity`.
    rep_targets : pandas.DataFrame
        ``rep_id, month, target`` (revenue).
    hires : pandas.DataFrame, optional
        Extra hires from :func:`hiring_plan` (recruiting cost only).

    Returns
    -------
    pandas.DataFrame
        ``month, base_salary, meal, allowances, allowances_withheld,
        commission, travel, recruiting, total, revenue, cost_of_sales_pct``.
    """
    c = assumptions.cost
    months = pd.PeriodIndex(sorted(detail["month"].unique()))
    pay = pd.Series(c.base_salary_by_level)
    missing = sorted(set(reps["level"].astype(int)) - set(pay.index))
    if missing:
        raise InputError("cost.base_salary_by_level", [f"no salary for level(s) {missing} used in reps.csv"])
    d = detail.copy()
    lv = pd.Series(cohort.levels, index=cohort.ids)
    fte = pd.Series(cohort.fte, index=cohort.ids)
    d["salary"] = d["rep_id"].map(lv).map(pay) * d["rep_id"].map(fte) * d["presence"]
    tg = rep_targets.groupby(["rep_id", "month"])["target"].sum()
    d["target"] = tg.reindex(pd.MultiIndex.from_arrays([d["rep_id"], d["month"]])).fillna(0.0).to_numpy()
    met = d["capacity_revenue"] >= d["target"] - 1e-6
    allowance = (c.transport_allowance + c.phone_allowance) * d["presence"]
    d["allowances"] = np.where(met, allowance, 0.0)
    d["withheld"] = np.where(met, 0.0, allowance)
    d["meal"] = c.meal_allowance * d["presence"]
    d["commission"] = c.commission_rate * d["capacity_revenue"]
    trip = c.travel_per_day_in_province * (1 - c.out_of_province_share) \
        + c.travel_per_day_out_of_province * c.out_of_province_share
    d["travel"] = c.travel_days_per_month * trip * d["presence"] * (d["ramp"] > 0)
    g = d.groupby("month")[["salary", "meal", "allowances", "withheld", "commission", "travel",
                            "capacity_revenue"]].sum()
    support = reps[(reps["status"] == "active") & ~reps["role"].isin(SALES_ROLES)]
    support_pay = float((support["level"].astype(int).map(pay) * support["fte"]).sum())
    g["salary"] += support_pay
    g["meal"] += c.meal_allowance * len(support)
    rec = pd.Series(0.0, index=months)
    for st in cohort.start[cohort.new]:
        if 0 <= st < _MONTHS:
            rec.iloc[st] += c.recruiting_cost_per_hire
    if hires is not None and len(hires):
        for m in hires["start_month"]:
            if m in rec.index:
                rec[m] += c.recruiting_cost_per_hire
    out = pd.DataFrame({
        "month": months, "base_salary": g["salary"].reindex(months).to_numpy(),
        "meal": g["meal"].reindex(months).to_numpy(), "allowances": g["allowances"].reindex(months).to_numpy(),
        "allowances_withheld": g["withheld"].reindex(months).to_numpy(),
        "commission": g["commission"].reindex(months).to_numpy(), "travel": g["travel"].reindex(months).to_numpy(),
        "recruiting": rec.to_numpy(),
    })
    out["total"] = out[["base_salary", "meal", "allowances", "commission", "travel", "recruiting"]].sum(axis=1)
    out["revenue"] = g["capacity_revenue"].reindex(months).to_numpy()
    out["cost_of_sales_pct"] = out["total"] / out["revenue"].where(out["revenue"] > 0)
    return out


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
    problems = []
    for m, n in hires.items():
        import re

        if not isinstance(m, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m):
            problems.append(f"{m!r} is not a month YYYY-MM")
        if not isinstance(n, (int, np.integer)) or n < 0:
            problems.append(f"{m}: number of hires must be a whole number >= 0 (got {n!r})")
    if problems:
        raise InputError("hires", problems)
    is_req = (reps["status"] == "open") & (reps["role"] == role)
    old = reps[is_req]
    pool = old if len(old) else reps[reps["role"] == role].head(1)
    if pool.empty:
        pool = reps.head(1)
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


# ---------------------------------------------------------------------------
# bundle
# ---------------------------------------------------------------------------
def _plan_parts(plan):
    inputs = plan.inputs
    t = plan.targets
    rev = t[t["metric"] == "revenue"]
    monthly = rev.groupby("month")["target"].sum()
    return inputs.accounts, inputs.reps, inputs.history, monthly, rev, plan.assumptions


def staffing_tables(plan) -> dict[str, pd.DataFrame]:
    """Every staffing table of a plan, for notebooks and export.

    Returns
    -------
    dict
        ``sizing`` (three methods), ``capacity`` (monthly cohort model of the
        planned team), ``hiring`` (hires the current team needs and when),
        ``org`` (head count by role), ``cost`` (monthly cost of the planned
        team) and ``headcount`` (current vs planned vs required summary).
    """
    accounts, reps, history, monthly, rev, a = _plan_parts(plan)
    cohort = build_cohort(reps, history, a)
    cap, detail = cohort_capacity(cohort, monthly, a)
    plan_rows = hiring_plan(cohort, monthly, a)
    hires = plan_rows[plan_rows["kind"] == "hire"]
    current_sales = int((~cohort.new).sum())
    org = org_structure(reps, current_sales + len(hires), a)
    cost = monthly_cost(reps, cohort, detail, rev[["rep_id", "month", "target"]], a)
    size = sizing(accounts, history, reps, float(monthly.sum()), a)
    current = int((reps["status"] == "active").sum())
    planned = a.staffing.planned_headcount or int(reps["status"].isin(["active", "open"]).sum())
    required = int(org.loc[org["role"] == "Total", "required"].iloc[0])
    headcount = pd.DataFrame({
        "measure": ["on the payroll today", "planned (payroll + open requisitions)", "required by the model",
                    "open requisitions", "hires the model asks for"],
        "heads": [current, planned, required, int((reps["status"] == "open").sum()), len(hires)],
    })
    return {"sizing": size, "capacity": cap, "hiring": plan_rows, "org": org, "cost": cost,
            "headcount": headcount}
