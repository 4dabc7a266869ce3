"""Benchmark: Monte Carlo of the sales team.

Times ``salesplan.simulate.simulate_cohort`` on 10,000 runs x 500 heads x 12
months (target: <= 2 s on 2 cores) and compares it, per simulated year, with
a straightforward Python-loop version of the same model run on a smaller
case (200 runs) in the same process.  Both use the same random draws, so the
script also checks that they agree.

    python benchmarks/simulate.py [--runs 10000] [--heads 500] [--loop-runs 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pandas as pd

from salesplan import Assumptions
from salesplan.simulate import _draws, simulate_cohort
from salesplan.staffing import Cohort


def cohort(n: int, seed: int = 3) -> Cohort:
    rng = np.random.default_rng(seed)
    new = rng.random(n) < 0.15
    start = np.where(new, rng.integers(0, 9, n), -rng.integers(1, 120, n))
    return Cohort(ids=np.array([f"R{i:04d}" for i in range(n)]), roles=np.array(["rep"] * n),
                  levels=np.full(n, 3), fte=np.where(rng.random(n) < 0.1, 0.5, 1.0),
                  productivity=rng.lognormal(np.log(150_000), 0.3, n), start=start, new=new,
                  end=np.full(n, 10_000), season=np.ones(12))


def loop_version(c: Cohort, a: Assumptions, runs: int, seed: int) -> np.ndarray:
    """One run, one head, one month at a time (same draws as the vectorised code)."""
    rng = np.random.default_rng([seed, 7])
    present, ramp, mult = _draws(c, a, runs, rng)
    out = np.zeros((runs, 12))
    for r in range(runs):
        for i in range(len(c.ids)):
            for t in range(12):
                if present[r, i, t]:
                    out[r, t] += ramp[r, i, t] * c.fte[i] * c.productivity[i] * mult[r, i] * c.season[t]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--heads", type=int, default=500)
    ap.add_argument("--loop-runs", type=int, default=200)
    args = ap.parse_args()
    a = Assumptions()
    c = cohort(args.heads)
    target = pd.Series(np.full(12, 150_000.0 * args.heads / 12 * 11),
                       index=pd.period_range("2027-01", periods=12, freq="M"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    best = min(_timed(lambda: simulate_cohort(c, target, a, runs=args.runs, seed=1, progress=False))
               for _ in range(3))
    small = simulate_cohort(c, target, a, runs=args.loop_runs, seed=1, progress=False, chunk=args.loop_runs)
    t0 = time.perf_counter()
    loop = loop_version(c, a, args.loop_runs, 1)
    t_loop = time.perf_counter() - t0
    agree = np.allclose(small.revenue, loop, rtol=1e-12)
    per_run_vec = best / args.runs
    per_run_loop = t_loop / args.loop_runs
    print(f"{'method':<32}{'runs':>8}{'heads':>7}{'time (s)':>10}{'per run (ms)':>14}{'ratio':>8}")
    print(f"{'salesplan (numpy, chunked)':<32}{args.runs:>8,}{args.heads:>7}{best:>10.3f}"
          f"{per_run_vec * 1e3:>14.4f}{1.0:>8.1f}")
    print(f"{'Python loop':<32}{args.loop_runs:>8,}{args.heads:>7}{t_loop:>10.3f}"
          f"{per_run_loop * 1e3:>14.4f}{per_run_loop / per_run_vec:>8.1f}")
    print(f"same results on the small case: {agree}")
    print(f"target <= 2 s for {args.runs:,} x {args.heads} x 12: {'met' if best <= 2 else 'MISSED'} ({best:.2f} s)")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
