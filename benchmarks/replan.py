"""Benchmark: the in-year review and the mid-year re-plan of the sample company.

Times, in one process on the bundled sample (target: the whole re-plan under 3 s):

* ``salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"})`` -- frozen months, R03's target and
  accounts handed over -- against the peer a manager would otherwise use: rebuilding the whole plan with
  R03's last day in reps.csv (``build_plan(..., territories=True)``), which also re-draws every frozen month
  and every territory (the script counts how many);
* the hand-over with the territory engine's final MILP polish (its default) against without it (what the
  re-plan uses): time and cost;
* ``salesplan.review(plan)`` (10,000 simulated years) against a plain pandas groupby of the same
  achievement figures.

    python benchmarks/replan.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd

import salesplan
from salesplan.datasets import sample_folder
from salesplan.territory import assign

LEAVER, LAST_DAY, AS_OF = "R03", "2027-05-31", "2027-05"


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """First run and median of ``repeat`` runs (seconds), and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times[0], statistics.median(times), out


def rebuild(inputs):
    """The peer: the whole plan again, with the leaver marked as left in the staff table and their
    accounts without a rep (what the files must say before ``build_plan`` accepts them)."""
    reps = inputs.reps.copy()
    reps.loc[reps["rep_id"] == LEAVER, ["status", "end_date"]] = ["left", pd.Timestamp(LAST_DAY)]
    acc = inputs.accounts.copy()
    theirs = acc["current_rep_id"] == LEAVER
    acc.loc[theirs, "current_rep_id"] = pd.NA
    acc.loc[theirs, "locked"] = False
    return salesplan.build_plan(dataclasses.replace(inputs.with_reps(reps), accounts=acc), territories=True)


def hand_over(plan, polish: bool):
    """The leaver's accounts to the others, every other account locked (as the re-plan does)."""
    acc = plan.inputs.accounts.copy()
    acc["current_rep_id"] = plan.territories.table["rep_id"].to_numpy()
    leaving = (acc["current_rep_id"] == LEAVER).to_numpy()
    acc.loc[leaving, "locked"] = False
    reps = plan.inputs.reps.copy()
    reps.loc[reps["rep_id"] == LEAVER, ["status", "end_date"]] = ["left", pd.Timestamp(LAST_DAY)]
    return assign(acc, reps, assumptions=plan.assumptions, locked=acc.loc[~leaving, "account_id"],
                  best_effort=True, polish=polish)


def plain_achievement(plan, as_of: str) -> pd.DataFrame:
    """The peer of the achievement table: one groupby per level, months only."""
    t = plan.targets.table
    a = plan.inputs.actuals
    out = []
    for level in ("region", "team", "rep_id", "product_line"):
        tg = t[t["month"] <= as_of].groupby([level, "metric", "month"])["target"].sum()
        ac = (a[a["month"] <= as_of].melt(id_vars=[level, "month"], value_vars=["revenue", "collections",
                                                                            "new_customers"], var_name="metric")
              .groupby([level, "metric", "month"])["value"].sum())
        out.append(pd.concat([tg, ac], axis=1))
    return pd.concat(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"numpy {np.__version__}, pandas {pd.__version__}")
    inputs = salesplan.load_inputs(sample_folder())
    plan = salesplan.build_plan(inputs, territories=True)

    first, median, new = timed(lambda: salesplan.replan(plan, AS_OF, leavers={LEAVER: LAST_DAY}), args.repeat)
    p_first, p_median, peer = timed(lambda: rebuild(inputs), args.repeat)
    frozen = plan.targets.table["month"] <= AS_OF
    key = ["rep_id", "product_line", "metric", "month"]
    both = plan.targets.table[frozen].merge(peer.targets.table, on=key, how="left", suffixes=("", "_peer"))
    moved_frozen = int((both["target"] != both["target_peer"].fillna(0)).sum())
    others = plan.territories.table["rep_id"] != LEAVER
    moved_peer = int((plan.territories.table.loc[others, "rep_id"].to_numpy()
                      != peer.territories.table.loc[others, "rep_id"].to_numpy()).sum())
    diff = plan.diff(new)
    print(f"\nre-plan of the sample ({LEAVER} leaves {LAST_DAY}, months up to {AS_OF} kept):")
    print(f"  salesplan.replan            first {first:6.2f} s, median of {args.repeat} {median:6.2f} s  "
          f"(target < 3 s: {'met' if max(first, median) < 3 else 'MISSED'}); frozen figures changed 0, "
          f"other accounts moved {int((diff.accounts['from_rep'] != LEAVER).sum())}")
    print(f"  peer: build_plan again      first {p_first:6.2f} s, median of {args.repeat} {p_median:6.2f} s  "
          f"frozen figures changed {moved_frozen:,} of {int(frozen.sum()):,}, other accounts moved {moved_peer}")
    print(f"  ratio: the re-plan takes {median / p_median:.2f}x the time of a rebuild, and keeps what is done")

    for polish in (False, True):
        t0 = time.perf_counter()
        r = hand_over(plan, polish)
        print(f"  hand-over {'with' if polish else 'without'} the MILP polish: {time.perf_counter() - t0:6.2f} s, "
              f"cost {r.metrics.cost:,.0f} (bound {r.metrics.lower_bound:,.0f}), "
              f"violations {len(r.metrics.violations)}")

    quiet = dataclasses.replace(plan, extras={})
    r_first, r_median, rev = timed(lambda: salesplan.review(quiet), max(1, args.repeat // 2))
    g_first, g_median, _ = timed(lambda: plain_achievement(plan, str(rev.as_of)), args.repeat)
    print(f"\nreview of the sample as of {rev.as_of} ({rev.metrics.runs:,} simulated years per scope, 5 scopes):")
    print(f"  salesplan.review            first {r_first:6.2f} s, median {r_median:6.2f} s "
          f"(achievement, ranking, run-rate and Monte Carlo forecast, allowances)")
    print(f"  peer: plain groupby         first {g_first:6.3f} s, median {g_median:6.3f} s (achievement by month only)")


if __name__ == "__main__":
    main()
