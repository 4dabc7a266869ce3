"""Benchmark: territory assignment against exact MILP solvers and a regionalisation method.

On seeded synthetic instances built from real Chinese city coordinates
(``salesplan.datasets.synthetic_territory``), all at ± 5 % workload balance:

* 500 x 10 and 2,000 x 20: salesplan vs the exact MILP in scipy (HiGHS) and
  in PuLP (CBC), each with a time limit, vs spopt's RegionKMeansHeuristic on
  the same points (regions matched to reps by a min-cost assignment and
  scored under the same objective);
* 20,000 x 100 and 100,000 x 300: salesplan alone, with its lower bound.

Prints one row per (instance, method): time, largest deviation, cost, lower
bound, gap % (cost over the best bound proven for the instance: salesplan's
or the MILP's); salesplan's row also notes its gap over its own bound and its
plain Lagrangian (LP) bound, before whole accounts raise it.

``--scale`` prints the growth table instead: 100,000 x 300, 300,000 x 1,000
and 1,000,000 x 3,000, each in a fresh process (so its peak memory is its
own): time (wall clock and CPU), peak memory, largest deviation, gap over
salesplan's proven bound, the time ratio per doubling of the accounts, and
the same accounts left with their nearest rep (the plain plan a balance has
to beat) for comparison.

    python benchmarks/territory.py [--limit 30] [--quick] [--scale]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np
import pandas as pd

from salesplan.datasets import synthetic_territory
from salesplan.territory import assign, evaluate
from salesplan.territory.exact import _free_pairs
from salesplan.territory.problem import _problem_from

TOL = 0.05


def run_salesplan(acc, reps):
    t = time.perf_counter()
    r = assign(acc, reps, tolerance=TOL, best_effort=True)
    m = r.metrics
    return dict(method="salesplan " + m.method, time=time.perf_counter() - t, dev=m.max_abs_deviation,
                cost=m.cost, lb=m.lower_bound, dual=m.dual_bound,
                note=f"own gap {m.gap_pct:.2f}%; Lagrangian/LP bound {m.dual_bound:,.0f}")


def run_scipy_milp(acc, reps, limit):
    r = assign(acc, reps, tolerance=TOL, method="milp", time_limit=limit, best_effort=True)
    m = r.metrics
    return dict(method=f"scipy milp (HiGHS, {limit:g} s)", time=m.runtime_s, dev=m.max_abs_deviation,
                cost=m.cost, lb=m.lower_bound)


def run_pulp(acc, reps, limit):
    import pulp

    pr = _problem_from(acc, reps, options={"tolerance": TOL})
    free = np.flatnonzero(~pr.locked)
    ii, jj = _free_pairs(pr)
    c = pr.cost(ii, jj)
    t = time.perf_counter()
    prob = pulp.LpProblem("territories", pulp.LpMinimize)
    x = [pulp.LpVariable(f"x{k}", cat="Binary") for k in range(len(ii))]
    prob += pulp.lpSum(float(c[k]) * x[k] for k in range(len(ii)))
    by_acc = pd.Series(np.arange(len(ii))).groupby(ii).apply(list)
    for ks in by_acc:
        prob += pulp.lpSum(x[k] for k in ks) == 1
    by_rep = pd.Series(np.arange(len(ii))).groupby(jj).apply(list)
    for j, ks in by_rep.items():
        load = pulp.lpSum(float(pr.a[0, ii[k]]) * x[k] for k in ks)
        prob += load <= float(pr.hi[0, j])
        prob += load >= float(pr.lo[0, j])
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit, threads=2))
    status = pulp.LpStatus[prob.status]
    vals = np.array([v.value() or 0 for v in x]) > 0.5
    if vals.sum() != len(free):
        return dict(method=f"PuLP/CBC ({limit:g} s)", time=time.perf_counter() - t, dev=np.nan, cost=np.nan,
                    lb=np.nan, note=f"no solution ({status})")
    owner = pr.reps["rep_id"].to_numpy()[jj[vals]]
    order = np.argsort(ii[vals])
    ev = evaluate(acc, reps, owner[order], tolerance=TOL)
    return dict(method=f"PuLP/CBC ({limit:g} s)", time=time.perf_counter() - t, dev=ev.max_abs_deviation,
                cost=ev.cost, lb=np.nan, note=status)


def run_spopt(acc, reps):
    from libpysal.weights import KNN
    from scipy.optimize import linear_sum_assignment
    from spopt.region import RegionKMeansHeuristic

    t = time.perf_counter()
    pts = acc[["lon", "lat"]].to_numpy()
    w = KNN.from_array(pts, k=6, silence_warnings=True)
    model = RegionKMeansHeuristic(pts, len(reps), w, seed=0)
    model.solve()
    labels = np.asarray(model.labels_)
    # each region goes to the rep whose base minimises the workload-weighted distance
    from salesplan.geo import distance_matrix
    from salesplan.territory import account_workload

    wl = account_workload(acc).to_numpy()
    d = distance_matrix(acc["lat"], acc["lon"], reps["base_lat"], reps["base_lon"])
    k = labels.max() + 1
    cost = np.vstack([(wl[labels == g, None] * d[labels == g]).sum(axis=0) for g in range(k)])
    rows, cols = linear_sum_assignment(cost)
    owner = np.empty(len(acc), dtype=object)
    for g, j in zip(rows, cols):
        owner[labels == g] = reps["rep_id"].iloc[j]
    ev = evaluate(acc, reps, owner, tolerance=TOL)
    return dict(method="spopt RegionKMeans", time=time.perf_counter() - t, dev=ev.max_abs_deviation,
                cost=ev.cost, lb=np.nan, note="ignores balance and key accounts")


def _spopt_worker(acc, reps, q):
    q.put(run_spopt(acc, reps))


def run_spopt_limited(acc, reps, limit):
    """spopt in a child process, stopped after ``limit`` seconds (its heuristic is pure Python)."""
    import multiprocessing as mp

    q = mp.Queue()
    proc = mp.Process(target=_spopt_worker, args=(acc, reps, q))
    t = time.perf_counter()
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return dict(method="spopt RegionKMeans", time=time.perf_counter() - t, dev=np.nan, cost=np.nan,
                    lb=np.nan, note=f"stopped: no result in {limit:g} s")
    return q.get()


SCALE = [(100_000, 300), (300_000, 1_000), (1_000_000, 3_000)]


def run_one(n: int, m: int) -> dict:
    """One growth-table row, measured in this process (started fresh by :func:`run_scale`)."""
    t = time.perf_counter()
    acc, reps = synthetic_territory(n, m, seed=1)
    built = time.perf_counter() - t
    cpu = time.process_time()
    r = assign(acc, reps, tolerance=TOL, best_effort=True)
    cpu = time.process_time() - cpu
    mm = r.metrics
    near = evaluate(acc, reps, acc["current_rep_id"], tolerance=TOL)
    return dict(n=n, m=m, build=built, time=mm.runtime_s, cpu=cpu, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                dev=mm.max_abs_deviation, cost=mm.cost, lb=mm.lower_bound, dual=mm.dual_bound, gap=mm.gap_pct,
                violations=len(mm.violations), near_cost=near.cost, near_dev=near.max_abs_deviation)


def run_scale() -> None:
    """The growth table: each size in a fresh process, then the time ratio per doubling of accounts."""
    import json
    import subprocess
    import sys

    rows = []
    for n, m in SCALE:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), str(m)], capture_output=True, text=True,
                             check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"  {n:>9,} x {m:>5,}  {r['time']:7.1f} s (CPU {r['cpu']:.1f} s)  peak {r['peak_mb'] / 1024:5.2f} GB  dev {r['dev']:.2%}  "
              f"cost {r['cost']:,.0f}  bound {r['lb']:,.0f}  gap {r['gap']:.2f}%", flush=True)
    print(f"{'accounts x reps':>20} {'time':>9} {'CPU':>9} {'per doubling':>12} {'peak memory':>12} {'deviation':>10} "
          f"{'gap':>7} {'nearest rep: deviation, cost':>32}")
    for k, r in enumerate(rows):
        per = ("" if k == 0 else
               f"x{(r['time'] / rows[k - 1]['time']) ** (1 / np.log2(r['n'] / rows[k - 1]['n'])):.2f}")
        print(f"{r['n']:>11,} x {r['m']:>6,} {r['time']:>8.1f}s {r['cpu']:>8.1f}s {per:>12} {r['peak_mb'] / 1024:>10.2f}GB "
              f"{r['dev']:>10.2%} {r['gap']:>6.2f}% {r['near_dev']:>14.0%}, {r['near_cost']:,.0f}")
    print("time: assign() alone (instance built before), wall clock; CPU: its processor time; gap: cost over salesplan's proven lower bound; "
          "per doubling: time ratio per doubling of the accounts from the row above")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=float, default=30.0, help="time limit of the exact MILPs, s")
    p.add_argument("--quick", action="store_true", help="500 x 10 and 2,000 x 20 only")
    p.add_argument("--scale", action="store_true", help="the growth table up to 1,000,000 x 3,000")
    p.add_argument("--one", nargs=2, type=int, metavar=("N", "M"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        import json

        print(json.dumps(run_one(*args.one)))
        return
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; tolerance ±{TOL:.0%}")
    if args.scale:
        run_scale()
        return
    rows = []
    sizes = [(500, 10), (2000, 20)] + ([] if args.quick else [(20_000, 100), (100_000, 300)])
    for n, m in sizes:
        acc, reps = synthetic_territory(n, m, seed=1)
        ours = run_salesplan(acc, reps)
        found = [ours]
        if n <= 2000:
            found += [run_scipy_milp(acc, reps, args.limit), run_pulp(acc, reps, args.limit),
                      run_spopt_limited(acc, reps, 4 * args.limit)]
        best_lb = max(r["lb"] for r in found if np.isfinite(r["lb"]))
        for r in found:
            r["size"] = f"{n:,} x {m}"
            r["gap_pct"] = 100 * (r["cost"] - best_lb) / best_lb if np.isfinite(r["cost"]) else np.nan
            rows.append(r)
            print(f"  {r['size']:>12}  {r['method']:<28} {r['time']:7.2f} s  dev {r['dev']:.1%}  cost {r['cost']:,.0f}"
                  f"  bound {r['lb']:,.0f}  gap {r['gap_pct']:.2f}%  {r.get('note', '')}", flush=True)
    t = pd.DataFrame(rows)[["size", "method", "time", "dev", "cost", "lb", "gap_pct"] +
                           (["note"] if any("note" in r for r in rows) else [])]
    t["note"] = t.get("note", pd.Series(dtype=object)).fillna("")
    pd.set_option("display.width", 200)
    print(t.to_string(index=False, formatters={
        "time": "{:.2f}".format, "dev": lambda v: f"{v:.1%}", "cost": "{:,.0f}".format,
        "lb": lambda v: "" if not np.isfinite(v) else f"{v:,.0f}", "gap_pct": lambda v: f"{v:.2f}"}))
    print("gap_pct: cost over the best lower bound proven for the instance (salesplan's or the MILP's)")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
