"""The monthly cohort model: who is on the payroll, how ramped, and what they can sell.

Every rep and open requisition of the plan year is a head with a start and
an end month, an FTE and a fully ramped productivity (:func:`build_cohort`).
Expected presence follows the attrition hazard, the notice period and
probation (:func:`expected_presence`); capacity is presence x FTE x ramp-up
x productivity x seasonality (:func:`revenue_capacity`), the same function
the Monte Carlo simulation calls, so that with every source of noise off it
reproduces this plan exactly.

Monthly attrition hazard from an annual rate ``a``: ``h = 1 - (1 - a) ** (1 / 12)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.arguments import month_index
from salesplan.assumptions import Assumptions
from salesplan.calendar import working_days
from salesplan.errors import InputError
from salesplan.history import MONTHS, ramp_factor, run_rate, seasonality
from salesplan.schema import sales_staff

__all__ = ["Cohort", "monthly_hazard", "build_cohort", "expected_presence", "revenue_capacity",
           "cohort_capacity", "stretch_ramp"]


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
        """Ramp factor per head (or per run x head) and month; 0 before the start.

        Parameters
        ----------
        ramp_curve : sequence of float
            Productivity by tenure month (month 1 first).
        start : numpy.ndarray of int, optional
            Start month index per head (or per run x head); default
            :attr:`start`.

        Returns
        -------
        numpy.ndarray
            Shape of ``start`` plus 12 months: share of full productivity.
        """
        st = self.start if start is None else start
        return ramp_factor(np.arange(MONTHS) - st[..., None], ramp_curve)


def build_cohort(reps: pd.DataFrame, history: pd.DataFrame, assumptions: Assumptions) -> Cohort:
    """The sales heads of the plan year (:func:`~salesplan.schema.sales_staff`) as a cohort.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table.
    history : pandas.DataFrame
        Monthly history (seasonality and each head's proven run-rate).
    assumptions : Assumptions

    Returns
    -------
    Cohort
        One entry per sales head: start and end month, FTE, fully ramped
        revenue a month (currency) and the seasonality factors.
    """
    year = assumptions.plan_year
    r = sales_staff(reps)
    if r.empty:
        raise InputError("reps.csv", ["no active or open rep with a sales role to staff the plan"])
    hire = pd.DatetimeIndex(r["hire_date"])
    start = (hire.year - year) * 12 + hire.month - 1
    end_dt = pd.DatetimeIndex(r["end_date"])
    end = np.where(end_dt.isna(), 10_000, (end_dt.year.fillna(0) - year) * 12 + end_dt.month.fillna(0))
    try:
        season = seasonality(history, assumptions.targets.seasonality, year=year,
                             override=assumptions.targets.seasonality_override,
                             calendar=assumptions.calendar).to_numpy() * MONTHS
    except InputError:
        season = np.ones(MONTHS)
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

    Parameters
    ----------
    cohort : Cohort
    assumptions : Assumptions
        ``staffing``: attrition, notice, probation and pass rate.

    Returns
    -------
    numpy.ndarray, shape (heads, 12)
        Probability 0..1.
    """
    s = assumptions.staffing
    h = monthly_hazard(s.annual_attrition)
    t = np.arange(MONTHS)
    since = t[None, :] - np.maximum(cohort.start, 0)[:, None]  # months since the later of start / January
    on = (since >= 0) & (t[None, :] < cohort.end[:, None])
    stay = (1 - h) ** np.maximum(since + 1 - s.notice_months, 0)
    tenure = t[None, :] - cohort.start[:, None]
    passed = np.where(cohort.new[:, None] & (tenure >= s.probation_months), s.probation_pass_rate, 1.0)
    return on * stay * passed


def revenue_capacity(presence: np.ndarray, ramp: np.ndarray, cohort: Cohort,
                     multiplier: np.ndarray | float = 1.0) -> np.ndarray:
    """Revenue a month: presence x FTE x ramp x productivity x season, summed over heads.

    The simulation calls this same function, so with every source of noise
    off it reproduces the deterministic plan exactly.

    Parameters
    ----------
    presence, ramp : numpy.ndarray, shape (..., heads, 12)
        Probability (or 0/1) of being on the payroll, and ramp-up factor.
    cohort : Cohort
        FTE, productivity (currency a month) and seasonality.
    multiplier : numpy.ndarray or float
        Productivity multiplier per head (or per run x head).

    Returns
    -------
    numpy.ndarray, shape (..., 12)
        Revenue a month (currency).
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
        ``month, headcount, ramped_fte, working_days, capacity_revenue,
        capacity_visits, target, gap, attainment`` (gap = capacity - target;
        visits = ramped FTE x visits a day x working days of the month, from
        :func:`salesplan.calendar.working_days`).
    detail : pandas.DataFrame
        Per head and month: ``rep_id, role, month, presence, ramp,
        capacity_revenue``.
    """
    monthly_target = month_index(monthly_target, "cohort_capacity(monthly_target=...)")
    if len(monthly_target) != MONTHS:
        raise InputError("monthly_target", [f"needs 12 months (got {len(monthly_target)})"])
    p = assumptions.productivity
    pres = expected_presence(cohort, assumptions)
    ramp = cohort.ramp(assumptions.staffing.ramp_curve)
    cap = revenue_capacity(pres, ramp, cohort)
    ramped = (pres * ramp * cohort.fte[:, None]).sum(axis=0)
    days = working_days(assumptions.plan_year, assumptions.calendar).to_numpy(dtype=float)
    visits = ramped * p.visits_per_day * days
    target = monthly_target.to_numpy(dtype=float)
    monthly = pd.DataFrame({
        "month": monthly_target.index, "headcount": pres.sum(axis=0), "ramped_fte": ramped, "working_days": days,
        "capacity_revenue": cap, "capacity_visits": visits, "target": target, "gap": cap - target,
        "attainment": cap / np.where(target > 0, target, np.nan),
    })
    per_head = pres * ramp * (cohort.fte * cohort.productivity)[:, None] * cohort.season[None, :]
    detail = pd.DataFrame({
        "rep_id": np.repeat(cohort.ids, MONTHS), "role": np.repeat(cohort.roles, MONTHS),
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


def stretch_ramp(ramp_curve: Sequence[float], months: int) -> list[float]:
    """The same ramp-up shape reaching full productivity after ``months`` instead.

    The curve is read as productivity at the end of each tenure month (0 at
    the start) and resampled linearly: its own length gives it back exactly,
    a shorter one compresses it (faster ramp-up), a longer one stretches it.

    Parameters
    ----------
    ramp_curve : sequence of float
        Productivity by tenure month (share 0..1), ending at 1.0.
    months : int
        Months to full productivity (>= 1).

    Returns
    -------
    list of float
        ``months`` values (shares, 4 decimals), the last one 1.0.
    """
    rc = [float(x) for x in ramp_curve]
    if months == len(rc):
        return rc
    x = np.arange(1, months + 1) * len(rc) / months
    out = np.round(np.interp(x, np.arange(len(rc) + 1), [0.0, *rc]), 4)
    out[-1] = 1.0
    return out.tolist()
