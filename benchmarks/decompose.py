"""Benchmark: target decomposition of a large company.

Builds a seeded synthetic company (default 5,000 reps x 3 product lines, 24
months of history, 4 regions, 40 teams) and times
``salesplan.targets.decompose`` for 3 metrics x 12 months against a plain
pandas baseline (groupby last-year shares, multiply by total x seasonality,
``round``) measured in the same run.  The baseline is faster but its figures
do not add up: the script counts how many of its team/region/company month
totals miss the target, which is the work the coherent rounding does.

    python benchmarks/decompose.py [--reps 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd

from salesplan import Assumptions
from salesplan.targets import check_coherence, decompose, seasonality

UNITS = {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0}


def company(n_reps: int, seed: int = 1) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    regions = np.array(["East", "North", "South", "West"])
    team = rng.integers(0, 40, n_reps)
    reps = pd.DataFrame({
        "rep_id": [f"R{i:05d}" for i in range(n_reps)],
        "name": [f"Rep {i}" for i in range(n_reps)],
        "role": "rep",
        "team": [f"Team {t:02d}" for t in team],
        "region": regions[team % 4],
        "status": np.where(rng.random(n_reps) < 0.05, "open", "active"),
        "fte": np.where(rng.random(n_reps) < 0.1, 0.5, 1.0),
    })
    reps["hire_date"] = pd.to_datetime(np.where(reps["status"] == "open", "2027-04-01", "2020-01-01"))
    reps["end_date"] = pd.NaT
    act = reps[reps["status"] == "active"]
    months = pd.period_range("2025-01", "2026-12", freq="M")
    lines = ["HID", "LED", "NEW"]
    n = len(act) * len(months) * len(lines)
    season = 1 + 0.2 * np.sin(np.arange(len(months)) / 12 * 2 * np.pi)
    base = rng.lognormal(11, 0.5, len(act))
    rev = (base[:, None, None] * season[None, :, None] * rng.uniform(0.2, 1, (len(act), 1, 3))
           * rng.lognormal(0, 0.1, (len(act), len(months), 3)))
    hist = pd.DataFrame({
        "rep_id": np.repeat(act["rep_id"].to_numpy(), len(months) * 3),
        "month": np.tile(np.repeat(months, 3), len(act)),
        "product_line": np.tile(lines, len(act) * len(months)),
        "revenue": rev.ravel(),
        "collections": rev.ravel() * 0.95,
        "new_customers": rng.poisson(2, n),
    })
    hist["region"] = hist["rep_id"].map(act.set_index("rep_id")["region"])
    hist["team"] = hist["rep_id"].map(act.set_index("rep_id")["team"])
    acc = pd.DataFrame({"current_rep_id": act["rep_id"], "annual_potential": base * 15})
    return SimpleNamespace(reps=reps, history=hist, accounts=acc, commitments=None, assumptions=Assumptions())


def baseline(c: SimpleNamespace, a: Assumptions) -> pd.DataFrame:
    """Plain pandas: last-year share x growth x seasonality, rounded cell by cell."""
    ly = c.history[c.history["month"].dt.year == a.plan_year - 1]
    season = seasonality(c.history).to_numpy()
    out = []
    for metric in UNITS:
        g = ly.groupby(["region", "team", "rep_id", "product_line"])[metric].sum()
        annual = g * (1 + a.targets.growth)
        cells = pd.DataFrame(np.outer(annual.to_numpy(), season), index=annual.index,
                             columns=pd.RangeIndex(1, 13, name="m"))
        cells = (cells / UNITS[metric]).round() * UNITS[metric]
        long = cells.stack().rename("target").reset_index()
        long["metric"] = metric
        long["exact_total"] = annual.sum()
        out.append(long)
    return pd.concat(out, ignore_index=True)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    c = company(args.reps)
    a = c.assumptions
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}")
    print(f"company: {args.reps:,} reps x 3 product lines x 12 months x 3 metrics "
          f"({args.reps * 3 * 12 * 3:,} target cells)")
    t_sp = best_of(lambda: decompose(c, a), args.repeat)
    t_bl = best_of(lambda: baseline(c, a), args.repeat)
    t = decompose(c, a)
    b = baseline(c, a)
    assert check_coherence(t, UNITS) == []
    missed = 0
    for metric, part in b.groupby("metric"):
        exact = part["exact_total"].iloc[0]
        target = np.floor(exact / UNITS[metric] + 0.5) * UNITS[metric]
        missed += int(part["target"].sum() != target)
    print(f"{'method':<34}{'best time (s)':>14}{'ratio':>8}  adds up?")
    print(f"{'salesplan.decompose':<34}{t_sp:>14.3f}{t_sp / t_bl:>8.2f}  yes: every level, every month")
    print(f"{'pandas groupby/round baseline':<34}{t_bl:>14.3f}{1.0:>8.2f}  no: {missed} of 3 company "
          "totals miss the rounded target")
    print(f"target < 1 s for 5,000 reps: {'met' if t_sp < 1 else 'MISSED'} ({t_sp:.3f} s)")


if __name__ == "__main__":
    main()
