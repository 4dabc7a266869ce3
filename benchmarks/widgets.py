"""Benchmark: how live the explorers feel on the sample company.

Times one control change of each explorer, from the new value to the new
headline, chart (PNG) and tables on screen -- the wait a manager sees -- and
compares it with the explorers of commit 91a5c1c (before the widgets were
rebuilt: pyplot figures shown through ``Output`` widgets, rendered here to
PNG as the inline backend does), run in the same session from ``git
archive`` of that commit:

* targets: growth 25 % -> 30 % (target <= 0.3 s);
* staffing: attrition 15 % -> 30 % (target <= 0.3 s: the plan with 2,000
  simulated years, as the explorers of 91a5c1c ran; the odds of 10,000 follow
  in the background, shown as "refined");
* territories: cap on moved accounts 25 %, and the same with a tolerance of
  ± 5 % (target <= 1.5 s to a plan on screen within the balance and the cap;
  the polished plan follows in the background and its time is shown too);
* review: the month reviewed, June -> May (target <= 1.0 s to the review on
  screen with a forecast of 2,000 simulated years; the forecast of 10,000
  follows in the background), against notebook 04's cells at commit
  9a9894c (``salesplan.review(plan, as_of)``, then the pyplot heat-map and
  the two forecast fans rendered as the inline backend does) -- before the
  Review tab, another month meant re-running those cells;
* re-plan: the leaver, R03 -> R05 (target <= 1.0 s), against the re-plan
  explorer of 9a9894c (pyplot figure and a styled table in ``Output``
  widgets).

Each figure is the median of ``--repeat`` changes back and forth.

    python benchmarks/widgets.py [--repeat 3] [--no-peer] [--only review re-plan]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
PEER_COMMIT = "91a5c1c"
#: Main before the Review tab: notebook 04's review cells and the pyplot re-plan explorer.
INYEAR_COMMIT = "9a9894c"
TARGETS = {"targets": 0.3, "staffing": 0.3, "territories (cap 25 %)": 1.5, "territories (cap 25 %, ± 5 %)": 1.5,
           "review: month Jun -> May": 1.0, "re-plan: leaver R03 -> R05": 1.0}


def _median_change(explorer, control, values, repeat: int, *, settle=None) -> tuple[float, float]:
    """Median seconds to the screen after ``control.value = v`` (and to ``settle()`` when given)."""
    first, done = [], []
    for k in range(repeat):
        for v in values:
            t = time.perf_counter()
            control.value = v
            first.append(time.perf_counter() - t)
            if settle is not None:
                settle()
                done.append(time.perf_counter() - t)
    return statistics.median(first), statistics.median(done) if done else float("nan")


def measure_new(repeat: int, only: tuple[str, ...] = ()) -> dict[str, tuple[float, float]]:
    """Seconds per change of the explorers of this checkout: (on screen, refined); ``only``: names starting so."""
    import salesplan
    from salesplan.datasets import sample_folder
    from salesplan.widgets import ReplanExplorer, ReviewExplorer, StaffingExplorer, TargetExplorer, TerritoryExplorer

    inputs = salesplan.load_inputs(sample_folder())
    wanted = (lambda name: not only or name.startswith(only))  # noqa: E731
    out = {}
    if wanted("targets"):
        e = TargetExplorer(inputs)
        out["targets"] = _median_change(e, e.growth, (0.30, 0.25), repeat)
    if wanted("staffing"):
        e = StaffingExplorer(inputs)
        out["staffing"] = _median_change(e, e.attrition, (0.30, 0.15), repeat, settle=e.wait)
    if wanted("territories"):
        e = TerritoryExplorer(inputs)
        out["territories (cap 25 %)"] = _median_change(e, e.cap, (0.25, 0.30), repeat, settle=e.wait)
        e.tolerance.value = 0.05
        e.wait()
        out["territories (cap 25 %, ± 5 %)"] = _median_change(e, e.cap, (0.25, 0.30), repeat, settle=e.wait)
    if wanted("review"):
        e = ReviewExplorer(inputs)
        out["review: month Jun -> May"] = _median_change(e, e.as_of, ("2027-05", "2027-06"), repeat, settle=e.wait)
    if wanted("re-plan"):
        e = ReplanExplorer(salesplan.build_plan(inputs, territories=True))
        out["re-plan: leaver R03 -> R05"] = _median_change(e, e.leaver, ("R05", "R03"), repeat)
    return out


#: What both peers share: a notebook front end's display (the inline backend's PNG, a table's HTML) and the timer.
_PRELUDE = r"""
import contextlib, io, json, statistics, sys, tempfile, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import salesplan
from salesplan.datasets import sample_folder
from matplotlib.figure import Figure
def display(obj):
    if isinstance(obj, Figure):
        obj.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    elif hasattr(obj, "_repr_html_"):
        obj._repr_html_()
def median(change, values):
    times = []
    for _ in range(repeat):
        for v in values:
            t = time.perf_counter()
            change(v)
            times.append(time.perf_counter() - t)
    return statistics.median(times)
def setter(control):
    return lambda v: setattr(control, "value", v)
repeat = int(sys.argv[1])
inputs = salesplan.load_inputs(sample_folder())
"""

PEER_SCRIPT = _PRELUDE + r"""
import salesplan.widgets as old
from salesplan.widgets import StaffingExplorer, TargetExplorer, TerritoryExplorer
old.display = display
out = {}
with contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as tmp:
    e = TargetExplorer(inputs, tmp + "/w.xlsx")
    out["targets"] = median(setter(e.growth), (0.30, 0.25))
    e = StaffingExplorer(inputs)
    out["staffing"] = median(setter(e.attrition), (0.30, 0.15))
    e = TerritoryExplorer(inputs)
    out["territories (cap 25 %)"] = median(setter(e.cap), (0.25, 0.30))
    e.tolerance.value = 0.05
    out["territories (cap 25 %, ± 5 %)"] = median(setter(e.cap), (0.25, 0.30))
print(json.dumps(out))
"""

INYEAR_SCRIPT = _PRELUDE + r"""
import salesplan.widgets.replan as old
from salesplan.plots.review import plot_achievement_heatmap, plot_forecast_fan
old.display = display
plan = salesplan.build_plan(inputs, territories=True)
def cells(as_of):  # notebook 04: the review, the heat-map cell and the forecast cell
    review = salesplan.review(plan, as_of)
    names = review.payroll.set_index("rep_id")["name"]
    fig, ax = plt.subplots(figsize=(10, 5.5))
    plot_achievement_heatmap(review.achievement, names=names, ax=ax)
    display(fig); plt.close(fig)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(14, 4))
    plot_forecast_fan(review.forecast, ax=a1)
    plot_forecast_fan(review.forecast, entity="North", ax=a2)
    display(fig); plt.close(fig)
out = {}
with contextlib.redirect_stdout(io.StringIO()):
    out["review: month Jun -> May"] = median(cells, ("2027-05", "2027-06"))
    e = old.ReplanExplorer(plan, leaver="R03", last_day="2027-04-30")
    out["re-plan: leaver R03 -> R05"] = median(setter(e.leaver), ("R05", "R03"))
print(json.dumps(out))
"""


def measure_peer(repeat: int, commit: str = PEER_COMMIT, script: str = PEER_SCRIPT) -> dict[str, float] | None:
    """Seconds per change of the explorers (or notebook cells) of ``commit``, run by ``script`` in a fresh process."""
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "salesplan"], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no peer: git archive {commit} failed: {exc})")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
            tar.extractall(tmp, filter="data")
        env = dict(os.environ, PYTHONPATH=tmp, MPLBACKEND="Agg")
        run = subprocess.run([sys.executable, "-c", script, str(repeat)], env=env, capture_output=True,
                             text=True, cwd=tmp)
    if run.returncode:
        print(f"(no peer: {run.stderr.strip()[-500:]})")
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="changes back and forth per measurement")
    ap.add_argument("--no-peer", action="store_true", help=f"skip the explorers of {PEER_COMMIT} and {INYEAR_COMMIT}")
    ap.add_argument("--only", nargs="*", default=(), metavar="NAME",
                    help="only the changes whose names start so (targets, staffing, territories, review, re-plan)")
    args = ap.parse_args()
    only = tuple(args.only)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"median of {2 * args.repeat} changes")
    with contextlib.redirect_stderr(io.StringIO()):
        new = measure_new(args.repeat, only)
    peer = None
    if not args.no_peer:
        early = any(n in new for n in ("targets", "staffing")) or any(n.startswith("territories") for n in new)
        late = any(n.startswith(("review", "re-plan")) for n in new)
        peer = {**((measure_peer(args.repeat) or {}) if early else {}),
                **((measure_peer(args.repeat, INYEAR_COMMIT, INYEAR_SCRIPT) or {}) if late else {})}
    print(f"{'change':34} {'on screen':>10} {'target':>8} {'refined':>9} {'before':>16} {'ratio':>7}")
    for name, (screen, refined) in new.items():
        before = peer.get(name) if peer else None
        ratio = f"{screen / before:.2f}" if before else "-"
        ok = "ok" if screen <= TARGETS[name] else "SLOW"
        print(f"{name:34} {screen:9.2f}s {TARGETS[name]:7.1f}s {'' if refined != refined else f'{refined:8.2f}s':>9} "
              f"{'' if before is None else f'{before:15.2f}s':>16} {ratio:>7}  {ok}")
    print(f"before = the explorers of {PEER_COMMIT}; for the review and the re-plan, notebook 04's cells and the "
          f"re-plan explorer of {INYEAR_COMMIT}")
    print("ratio = on screen now / before (lower is faster); 'refined' = the polished territory plan or the "
          "odds (review: forecast) of every simulated year, shown when ready while the first result is on screen")


if __name__ == "__main__":
    main()
