"""Monte Carlo what-if: the odds of making the target.

Each simulated year draws, per head: the month they resign (monthly hazard
from the annual attrition rate, leaving after the notice period), whether a
new hire passes probation, an extra hiring delay for open requisitions, and a
persistent productivity multiplier (log-normal, mean 1).  Revenue per month
is then the cohort model's capacity under those draws, computed by the same
function as the deterministic plan: with every source of noise off the
simulation reproduces the plan exactly.

Everything is vectorised over runs x heads x months; runs are processed in
chunks (a tqdm progress bar shows on a terminal for long runs).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from salesplan.arguments import month_index, require_attrs
from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import MONTHS
from salesplan.staffing import Cohort, build_cohort, monthly_hazard, revenue_capacity, size_team

__all__ = ["Simulation", "SimulationMetrics", "simulate", "simulate_cohort", "compare", "CHUNK"]

#: Simulated years per vectorised chunk (memory ~ CHUNK x heads x 12 x 8 bytes x 4).
CHUNK = 1000


@dataclass(frozen=True)
class SimulationMetrics:
    """Headline figures of a Monte Carlo run.

    Attributes
    ----------
    runs : int
        Simulated years.
    p_hit_annual : float
        Share of runs whose annual revenue meets the annual target (0..1).
    annual_target : float
        Company revenue target (currency).
    revenue_p10, revenue_p50, revenue_p90 : float
        Percentiles of annual revenue (currency).
    attainment_p50 : float
        Median annual revenue / target (share).
    headcount_end_p10, headcount_end_p50, headcount_end_p90 : float
        Percentiles of the heads on the payroll in December.
    seconds : float
        Run time (seconds).
    """

    runs: int
    p_hit_annual: float
    annual_target: float
    revenue_p10: float
    revenue_p50: float
    revenue_p90: float
    attainment_p50: float
    headcount_end_p10: float
    headcount_end_p50: float
    headcount_end_p90: float
    seconds: float


@dataclass(frozen=True)
class Simulation:
    """Distributions from :func:`simulate`.

    Attributes
    ----------
    monthly : pandas.DataFrame
        Per month: target, revenue P10/P50/P90 and mean (currency),
        attainment P10/P50/P90 (share), P(month met), headcount P10/P50/P90.
    quarterly : pandas.DataFrame
        The same per quarter.
    metrics : SimulationMetrics
        Headline figures (P(hit the annual target), percentiles).
    revenue : numpy.ndarray
        Runs x 12 simulated revenue (currency; for custom statistics).
    headcount : numpy.ndarray
        Runs x 12 heads on the payroll.
    """

    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    metrics: SimulationMetrics
    revenue: np.ndarray
    headcount: np.ndarray

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Named tables for export and widgets (sheet name -> table)."""
        return {"Odds by month": self.monthly, "Odds by quarter": self.quarterly}

    def summary(self) -> str:
        """A short text: P(hit the annual target) and the P10-P90 range of revenue."""
        m = self.metrics
        return (f"P(hit annual revenue target) {m.p_hit_annual:.0%} over {m.runs:,} simulated years; "
                f"revenue P10 {m.revenue_p10:,.0f}, P50 {m.revenue_p50:,.0f}, P90 {m.revenue_p90:,.0f}")


def _draws(cohort: Cohort, a: Assumptions, runs: int, rng: np.random.Generator, from_month: int = 0):
    """Presence (runs x heads x 12), ramp (same), productivity multiplier (runs x heads).

    From ``from_month`` on (0 = January): heads starting before it have started (no hiring delay),
    resignations are drawn from it, and only probations still running at it can fail -- the
    year conditioned on who is on the payroll then.
    """
    s, sim = a.staffing, a.simulation
    n = len(cohort.ids)
    t = np.arange(MONTHS)
    h = monthly_hazard(s.annual_attrition)
    # extra hiring delay of open requisitions (geometric, mean hiring_delay_months)
    if sim.hiring_delay_months > 0:
        p = 1 / (1 + sim.hiring_delay_months)
        delay = rng.geometric(p, size=(runs, n)) - 1
    else:
        delay = np.zeros((runs, n), dtype=np.int64)
    delayable = cohort.new & (cohort.start >= from_month)
    start = cohort.start[None, :] + np.where(delayable[None, :], delay, 0)
    # first month of resignation counted from the later of start and from_month (January)
    if h > 0:
        resign = rng.geometric(h, size=(runs, n)) - 1
    else:
        resign = np.full((runs, n), 10_000, dtype=np.int64)
    base = np.maximum(start, from_month)
    leave = np.minimum(base + resign + s.notice_months, cohort.end[None, :])
    if s.probation_pass_rate < 1:
        fail = rng.random((runs, n)) >= s.probation_pass_rate
        on_probation = cohort.new & (cohort.start + s.probation_months >= from_month)
        leave = np.where(on_probation[None, :] & fail, np.minimum(leave, start + s.probation_months), leave)
    present = (t >= base[..., None]) & (t < leave[..., None])
    ramp = cohort.ramp(s.ramp_curve, start)
    cv = sim.productivity_cv
    if cv > 0:
        sigma2 = np.log1p(cv * cv)
        mult = rng.lognormal(-sigma2 / 2, np.sqrt(sigma2), size=(runs, n))
    else:
        mult = np.ones((runs, n))
    return present, ramp, mult


def simulate_cohort(cohort: Cohort, monthly_target: pd.Series, assumptions: Assumptions, *,
                    runs: int | None = None, seed: int | None = None, progress: bool | None = None,
                    chunk: int = CHUNK, from_month: int = 0) -> Simulation:
    """Simulate ``runs`` years of a cohort against a monthly revenue target.

    Parameters
    ----------
    cohort : Cohort
        From :func:`salesplan.staffing.build_cohort`.
    monthly_target : pandas.Series
        Company revenue target by month.
    assumptions : Assumptions
        Attrition, probation, ramp-up (staffing) and noise (simulation).
    runs : int, optional
        Simulated years (default ``assumptions.simulation.runs``).
    seed : int, optional
        Seed (default: ``assumptions.seed``); same seed, same result.
    progress : bool, optional
        Show a tqdm bar; default: only on a terminal and for > 2 chunks.
    chunk : int
        Runs per vectorised chunk (memory ~ chunk x heads x 12 x 8 bytes x 4).
    from_month : int
        First month (0 = January) still to come: the heads of ``cohort`` are
        those on the payroll before it, resignations and hiring delays are
        drawn from it on (an in-year forecast, :mod:`salesplan.forecast`);
        months before it get no revenue.  0: the whole year.

    Returns
    -------
    Simulation
    """
    import time

    runs = assumptions.simulation.runs if runs is None else runs
    if runs < 1:
        raise InputError("runs", [f"must be >= 1 (got {runs})"])
    if chunk < 1:
        raise InputError("chunk", [f"must be >= 1 (got {chunk})"])
    monthly_target = month_index(monthly_target, "simulate_cohort(monthly_target=...)")
    target = monthly_target.to_numpy(dtype=float)
    rng = np.random.default_rng([assumptions.seed if seed is None else seed, 7])
    t0 = time.perf_counter()
    revenue = np.empty((runs, MONTHS))
    heads = np.empty((runs, MONTHS))
    sizes = [min(chunk, runs - i) for i in range(0, runs, chunk)]
    if progress is None:
        progress = len(sizes) > 2 and sys.stderr.isatty()
    it = sizes
    if progress:
        from tqdm.auto import tqdm

        it = tqdm(sizes, desc="simulating", unit="chunk")
    i = 0
    for size in it:
        present, ramp, mult = _draws(cohort, assumptions, size, rng, from_month)
        revenue[i:i + size] = revenue_capacity(present, ramp, cohort, mult)
        heads[i:i + size] = present.sum(axis=1)
        i += size
    seconds = time.perf_counter() - t0
    return _summarise(revenue, heads, target, pd.PeriodIndex(monthly_target.index), seconds)


def _pct(x, q):
    return np.percentile(x, q, axis=0)


def _summarise(revenue, heads, target, months, seconds) -> Simulation:
    att = revenue / np.where(target > 0, target, np.nan)
    monthly = pd.DataFrame({
        "month": months, "target": target,
        "revenue_p10": _pct(revenue, 10), "revenue_p50": _pct(revenue, 50), "revenue_p90": _pct(revenue, 90),
        "revenue_mean": revenue.mean(axis=0),
        "attainment_p10": _pct(att, 10), "attainment_p50": _pct(att, 50), "attainment_p90": _pct(att, 90),
        "p_met": (revenue >= target - 1e-6).mean(axis=0),
        "headcount_p10": _pct(heads, 10), "headcount_p50": _pct(heads, 50), "headcount_p90": _pct(heads, 90),
    })
    q_rev = revenue.reshape(len(revenue), 4, 3).sum(axis=2)
    q_tgt = target.reshape(4, 3).sum(axis=1)
    q_att = q_rev / np.where(q_tgt > 0, q_tgt, np.nan)
    quarterly = pd.DataFrame({
        "quarter": [f"Q{i}" for i in range(1, 5)], "target": q_tgt,
        "revenue_p10": _pct(q_rev, 10), "revenue_p50": _pct(q_rev, 50), "revenue_p90": _pct(q_rev, 90),
        "attainment_p10": _pct(q_att, 10), "attainment_p50": _pct(q_att, 50), "attainment_p90": _pct(q_att, 90),
        "p_met": (q_rev >= q_tgt - 1e-6).mean(axis=0),
    })
    annual = revenue.sum(axis=1)
    total = target.sum()
    metrics = SimulationMetrics(
        runs=int(len(revenue)),
        p_hit_annual=float((annual >= total - 1e-6).mean()),
        annual_target=float(total),
        revenue_p10=float(np.percentile(annual, 10)), revenue_p50=float(np.percentile(annual, 50)),
        revenue_p90=float(np.percentile(annual, 90)),
        attainment_p50=float(np.percentile(annual, 50) / total) if total > 0 else float("nan"),
        headcount_end_p10=float(np.percentile(heads[:, -1], 10)),
        headcount_end_p50=float(np.percentile(heads[:, -1], 50)),
        headcount_end_p90=float(np.percentile(heads[:, -1], 90)),
        seconds=seconds,
    )
    return Simulation(monthly, quarterly, metrics, revenue, heads)


def simulate(plan, runs: int | None = None, seed: int | None = None, progress: bool | None = None) -> Simulation:
    """Monte Carlo of a plan's sales team against its revenue targets.

    Parameters
    ----------
    plan : Plan
        A built plan (its reps, history, targets and assumptions are used).
    runs, seed, progress
        See :func:`simulate_cohort`.

    Returns
    -------
    Simulation
    """
    require_attrs(plan, "simulate(plan=...)", "a Plan (salesplan.build_plan)",
                  ("assumptions", "staffing", "inputs", "monthly_target"))
    a = plan.assumptions
    cohort = plan.staffing.cohort if plan.staffing is not None else build_cohort(plan.inputs.reps,
                                                                                  plan.inputs.history, a)
    return simulate_cohort(cohort, plan.monthly_target("revenue"), a, runs=runs, seed=seed, progress=progress)


def compare(plans: dict, *, runs: int = 2000, seed: int | None = None) -> pd.DataFrame:
    """Key outputs of several scenarios side by side.

    Parameters
    ----------
    plans : dict of str to Plan
        Scenario name -> plan (e.g. built with other hires or assumptions).
    runs : int
        Simulated years per scenario.
    seed : int, optional
        Same seed for every scenario (common random numbers).

    Returns
    -------
    pandas.DataFrame
        One column per scenario; rows: revenue target, expected capacity,
        gap, sales heads at year end (expected), total cost, cost of sales %,
        P(hit annual target), P10 / P90 revenue.
    """
    if not isinstance(plans, Mapping):
        raise InputError("compare(plans=...)", [f"must map a scenario name to a plan, e.g. {{'base': plan}} "
                                                f"(got {type(plans).__name__})"])
    if len(plans) < 1:
        raise InputError("compare(plans)", ["give at least one named plan"])
    for name, plan in plans.items():
        require_attrs(plan, f"compare(plans={{{name!r}: ...}})", "a Plan (salesplan.build_plan)",
                      ("assumptions", "staffing", "inputs", "targets"))
    cols = {}
    for name, plan in plans.items():
        st = plan.staffing if plan.staffing is not None else size_team(plan.inputs, plan.targets, plan.assumptions)
        cap, cost = st.capacity, st.cost
        sim = simulate(plan, runs=runs, seed=seed, progress=False)
        cols[name] = {
            "revenue target": plan.total("revenue"),
            "expected capacity": float(cap["capacity_revenue"].sum()),
            "gap (capacity - target)": float(cap["gap"].sum()),
            "sales heads in December (expected)": float(cap["headcount"].iloc[-1]),
            "cost of the year": float(cost["total"].sum()),
            "cost of sales %": float(cost["total"].sum() / cost["revenue"].sum() * 100),
            "P(hit annual target) %": sim.metrics.p_hit_annual * 100,
            "revenue P10": sim.metrics.revenue_p10,
            "revenue P90": sim.metrics.revenue_p90,
        }
    return pd.DataFrame(cols)
