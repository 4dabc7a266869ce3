"""Year-end forecast during the year: actual to date plus the months still to come.

For the company and each region, every month is the actual result once
closed and a forecast after ``as_of``, made two ways from the same cohort
model as the plan (:mod:`salesplan.staffing.cohort`):

* **run-rate** (deterministic): each head still on the payroll sells their
  run-rate of the last ``review.run_rate_months`` closed months -- their
  actual revenue divided by FTE x ramp-up x seasonality of those months --
  times FTE x ramp-up x seasonality of each month to come, until their last
  day; requisitions not filled yet start the month after ``as_of``;
* **Monte Carlo** (:func:`salesplan.simulate.simulate_cohort` from the
  month after ``as_of``): the same heads and run-rates with resignations,
  probations still running, hiring delays and productivity drawn as in the
  plan's odds, giving P10/P50/P90 of the year-end result and the updated
  P(hit the annual target).

With every source of noise off the Monte Carlo reproduces the run-rate
forecast exactly (both call :func:`~salesplan.staffing.revenue_capacity`).
Actuals count for the region written on them, a head's forecast for their
region in ``reps.csv``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.history import MONTHS
from salesplan.simulate import simulate_cohort
from salesplan.staffing import Cohort, build_cohort, revenue_capacity

__all__ = ["year_end_forecast", "head_cohort", "COMPANY"]

#: Entity name of the whole company in review tables.
COMPANY = "Company"
_PCT = (10, 50, 90)


def head_cohort(heads: pd.DataFrame, actuals: pd.DataFrame, history: pd.DataFrame, as_of: pd.Period,
                assumptions: Assumptions, *, run_rate_months: int = 3) -> Cohort:
    """The heads still on the payroll after ``as_of`` as a cohort, productive at their actual run-rate.

    Parameters
    ----------
    heads : pandas.DataFrame
        :func:`salesplan.review.payroll`: ``rep_id, role, level, fte, start,
        last_day, on_payroll``.
    actuals : pandas.DataFrame
        The closed months' results (``month, rep_id, revenue``).
    history : pandas.DataFrame
        Monthly history (seasonality; the run-rate of heads without actuals).
    as_of : pandas.Period
        Last closed month.
    assumptions : Assumptions
        Plan year, ramp curve, seasonality.
    run_rate_months : int
        Latest closed months with results whose revenue gives the run-rate.

    Returns
    -------
    Cohort
        One entry per head on the payroll after ``as_of`` (or starting
        later); ``productivity`` is currency a month of a full-time, fully
        ramped head: actual revenue / (FTE x ramp-up x seasonality) over the
        run-rate months, or the history's run-rate for heads without
        actuals yet.
    """
    on = heads[heads["on_payroll"]]
    reps = pd.DataFrame({"rep_id": on["rep_id"], "role": on["role"], "level": on["level"], "fte": on["fte"],
                         "status": "active", "hire_date": on["start"], "end_date": on["last_day"]})
    cohort = build_cohort(reps, history, assumptions)
    months = pd.period_range(f"{assumptions.plan_year}-01", periods=MONTHS, freq="M")
    got = actuals[actuals["month"] <= as_of].groupby(["rep_id", "month"], observed=True)["revenue"].sum()
    tab = got.unstack("month").reindex(index=cohort.ids, columns=months)
    has = tab.notna().to_numpy()
    revenue = np.nan_to_num(tab.to_numpy(dtype=float))
    latest = np.cumsum(has[:, ::-1], axis=1)[:, ::-1]  # months with results from t to as_of
    window = has & (latest <= run_rate_months)
    norm = (cohort.fte[:, None] * cohort.ramp(assumptions.staffing.ramp_curve) * cohort.season[None, :] * window)
    denom = norm.sum(axis=1)
    own = (revenue * window).sum(axis=1) / np.where(denom > 0, denom, 1)
    return dataclasses.replace(cohort, productivity=np.where(denom > 0, own, cohort.productivity))


def _subset(cohort: Cohort, keep: np.ndarray) -> Cohort:
    """The heads ``keep`` of a cohort (same seasonality)."""
    return dataclasses.replace(cohort, **{f.name: getattr(cohort, f.name)[keep]
                                          for f in dataclasses.fields(cohort) if f.name != "season"})


def year_end_forecast(targets: pd.DataFrame, actuals: pd.DataFrame, heads: pd.DataFrame, history: pd.DataFrame,
                      as_of: pd.Period, assumptions: Assumptions, *, runs: int | None = None,
                      seed: int | None = None, run_rate_months: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Revenue forecast to the year end, per company and region, run-rate and Monte Carlo.

    Parameters
    ----------
    targets : pandas.DataFrame
        The plan's long target table (revenue rows are used).
    actuals : pandas.DataFrame
        The closed months' results.
    heads : pandas.DataFrame
        Who is on the payroll after ``as_of`` (:func:`salesplan.review.payroll`).
    history : pandas.DataFrame
        Monthly history.
    as_of : pandas.Period
        Last closed month.
    assumptions : Assumptions
        Ramp-up, attrition, probation, hiring delay and productivity noise,
        as in the plan's odds.
    runs : int, optional
        Simulated years (default ``simulation.runs``).
    seed : int, optional
        Seed (default ``assumptions.seed``): same seed, same figures.
    run_rate_months : int
        Closed months the run-rate is measured on.

    Returns
    -------
    monthly : pandas.DataFrame
        One row per scope (``company`` / ``region``), entity and month:
        ``target, actual`` (closed months), ``forecast`` (run-rate, months to
        come), ``expected`` (actual, else forecast), ``p10, p50, p90`` (the
        month's simulated revenue; the actual once closed) and the running
        totals ``cum_target, cum_expected, cum_p10, cum_p50, cum_p90``;
        currency.
    outlook : pandas.DataFrame
        One row per scope and entity: ``annual_target, target_ytd,
        actual_ytd`` (currency), ``attainment_ytd`` (share), ``forecast_rest,
        expected_year`` (currency), ``expected_attainment`` (share),
        ``year_p10, year_p50, year_p90`` (currency), ``attainment_p10,
        attainment_p50, attainment_p90`` (share), ``p_hit`` (0..1, share of
        simulated years at or above the annual target) and ``runs``.
    """
    a = assumptions
    runs = a.simulation.runs if runs is None else runs
    months = pd.period_range(f"{a.plan_year}-01", periods=MONTHS, freq="M")
    k = int(as_of.month)  # months closed; index of the first month to come
    rev_t = targets[targets["metric"] == "revenue"]
    closed = actuals[actuals["month"] <= as_of]
    on = heads[heads["on_payroll"]]
    cohort = head_cohort(heads, actuals, history, as_of, a, run_rate_months=run_rate_months) if len(on) else None
    head_region = on["region"].astype(str).to_numpy()
    regions = sorted(set(rev_t["region"].astype(str)) | set(closed["region"].astype(str)) | set(head_region))
    scopes = [("company", COMPANY, None)] + [("region", r, r) for r in regions]
    monthly, outlook = [], []
    for scope, entity, region in scopes:
        tg = rev_t if region is None else rev_t[rev_t["region"] == region]
        ac = closed if region is None else closed[closed["region"] == region]
        target = tg.groupby("month", observed=True)["target"].sum().reindex(months, fill_value=0.0).to_numpy(float)
        actual = ac.groupby("month", observed=True)["revenue"].sum().reindex(months, fill_value=0.0).to_numpy(float)
        keep = np.ones(len(head_region), bool) if region is None else head_region == region
        sub = _subset(cohort, keep) if cohort is not None and keep.any() else None
        det, sims = _scope_forecast(sub, target, months, a, k, runs, seed)
        m, o = _scope_tables(scope, entity, months, target, actual, det, sims, k)
        monthly.append(m)
        outlook.append(o)
    return pd.concat(monthly, ignore_index=True), pd.DataFrame(outlook)


def _scope_forecast(sub: Cohort | None, target: np.ndarray, months: pd.PeriodIndex, a: Assumptions, k: int,
                    runs: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Run-rate forecast (12 months, 0 before month ``k``) and simulated revenue (runs x months to come)."""
    if sub is None or k >= MONTHS:
        return np.zeros(MONTHS), np.zeros((runs, MONTHS - k))
    t = np.arange(MONTHS)
    present = (t[None, :] >= np.maximum(sub.start, k)[:, None]) & (t[None, :] < sub.end[:, None])
    det = revenue_capacity(present.astype(float), sub.ramp(a.staffing.ramp_curve), sub)
    sim = simulate_cohort(sub, pd.Series(target, index=months), a, runs=runs, seed=seed, progress=False,
                          from_month=k)
    return det, sim.revenue[:, k:]


def _scope_tables(scope: str, entity: str, months: pd.PeriodIndex, target: np.ndarray, actual: np.ndarray,
                  det: np.ndarray, sims: np.ndarray, k: int) -> tuple[pd.DataFrame, dict]:
    """The monthly rows and the outlook row of one scope."""
    closed = np.arange(MONTHS) < k
    ytd = float(actual[closed].sum())
    expected = np.where(closed, actual, det)
    path = ytd + np.cumsum(sims, axis=1)  # runs x months to come: running total from the year start
    month_q = np.percentile(sims, _PCT, axis=0) if sims.size else np.zeros((3, 0))
    cum_q = np.percentile(path, _PCT, axis=0) if sims.size else np.zeros((3, 0))
    cum_actual = np.cumsum(actual)[:k]
    frame = pd.DataFrame({
        "scope": scope, "entity": entity, "month": months, "target": target,
        "actual": np.where(closed, actual, np.nan), "forecast": np.where(closed, np.nan, det),
        "expected": expected, "cum_target": np.cumsum(target), "cum_expected": np.cumsum(expected)})
    for i, p in enumerate(_PCT):
        frame[f"p{p}"] = np.concatenate([actual[:k], month_q[i]])
    for i, p in enumerate(_PCT):
        frame[f"cum_p{p}"] = np.concatenate([cum_actual, cum_q[i]])
    annual = float(target.sum())
    year = path[:, -1] if sims.size else np.full(max(len(sims), 1), ytd)
    share = (lambda x: x / annual if annual > 0 else np.nan)
    rest = float(det[~closed].sum())
    row = {"scope": scope, "entity": entity, "annual_target": annual, "target_ytd": float(target[closed].sum()),
           "actual_ytd": ytd, "attainment_ytd": ytd / target[closed].sum() if target[closed].sum() > 0 else np.nan,
           "forecast_rest": rest, "expected_year": ytd + rest, "expected_attainment": share(ytd + rest)}
    for p in _PCT:
        row[f"year_p{p}"] = float(np.percentile(year, p))
    for p in _PCT:
        row[f"attainment_p{p}"] = share(row[f"year_p{p}"])
    row["p_hit"] = float((year >= annual - 1e-6).mean())
    row["runs"] = int(len(sims)) if k < MONTHS else 0
    return frame, row
