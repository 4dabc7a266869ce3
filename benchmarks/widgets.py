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
  the polished plan follows in the background and its time is shown too).

Each figure is the median of ``--repeat`` changes back and forth.

    python benchmarks/widgets.py [--repeat 3] [--no-peer]
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
TARGETS = {"targets": 0.3, "staffing": 0.3, "territories (cap 25 %)": 1.5, "territories (cap 25 %, ± 5 %)": 1.5}


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


def measure_new(repeat: int) -> dict[str, tuple[float, float]]:
    """Seconds per change of the explorers of this checkout: (on screen, refined)."""
    import salesplan
    from salesplan.datasets import sample_folder
    from salesplan.widgets import StaffingExplorer, TargetExplorer, TerritoryExplorer

    inputs = salesplan.load_inputs(sample_folder())
    out = {}
    e = TargetExplorer(inputs)
    out["targets"] = _median_change(e, e.growth, (0.30, 0.25), repeat)
    e = StaffingExplorer(inputs)
    out["staffing"] = _median_change(e, e.attrition, (0.30, 0.15), repeat, settle=e.wait)
    e = TerritoryExplorer(inputs)
    out["territories (cap 25 %)"] = _median_change(e, e.cap, (0.25, 0.30), repeat, settle=e.wait)
    e.tolerance.value = 0.05
    e.wait()
    out["territories (cap 25 %, ± 5 %)"] = _median_change(e, e.cap, (0.25, 0.30), repeat, settle=e.wait)
    return out


PEER_SCRIPT = r"""
import contextlib, io, json, statistics, sys, tempfile, time
import matplotlib
matplotlib.use("Agg")
import salesplan
from salesplan.datasets import sample_folder
import salesplan.widgets as old
from salesplan.widgets import StaffingExplorer, TargetExplorer, TerritoryExplorer
from matplotlib.figure import Figure
def display(obj):  # what a notebook front end gets: the inline backend's PNG, a table's HTML
    if isinstance(obj, Figure):
        obj.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    elif hasattr(obj, "_repr_html_"):
        obj._repr_html_()
old.display = display
repeat = int(sys.argv[1])
inputs = salesplan.load_inputs(sample_folder())
def median(control, values):
    times = []
    for _ in range(repeat):
        for v in values:
            t = time.perf_counter()
            control.value = v
            times.append(time.perf_counter() - t)
    return statistics.median(times)
out = {}
with contextlib.redirect_stdout(io.StringIO()), tempfile.TemporaryDirectory() as tmp:
    e = TargetExplorer(inputs, tmp + "/w.xlsx")
    out["targets"] = median(e.growth, (0.30, 0.25))
    e = StaffingExplorer(inputs)
    out["staffing"] = median(e.attrition, (0.30, 0.15))
    e = TerritoryExplorer(inputs)
    out["territories (cap 25 %)"] = median(e.cap, (0.25, 0.30))
    e.tolerance.value = 0.05
    out["territories (cap 25 %, ± 5 %)"] = median(e.cap, (0.25, 0.30))
print(json.dumps(out))
"""


def measure_peer(repeat: int) -> dict[str, float] | None:
    """Seconds per change of the explorers of :data:`PEER_COMMIT`, in a fresh process."""
    try:
        blob = subprocess.run(["git", "-C", str(ROOT), "archive", PEER_COMMIT, "salesplan"], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no peer: git archive {PEER_COMMIT} failed: {exc})")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
            tar.extractall(tmp, filter="data")
        env = dict(os.environ, PYTHONPATH=tmp, MPLBACKEND="Agg")
        run = subprocess.run([sys.executable, "-c", PEER_SCRIPT, str(repeat)], env=env, capture_output=True,
                             text=True, cwd=tmp)
    if run.returncode:
        print(f"(no peer: {run.stderr.strip()[-500:]})")
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="changes back and forth per measurement")
    ap.add_argument("--no-peer", action="store_true", help=f"skip the explorers of {PEER_COMMIT}")
    args = ap.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"median of {2 * args.repeat} changes")
    with contextlib.redirect_stderr(io.StringIO()):
        new = measure_new(args.repeat)
    peer = None if args.no_peer else measure_peer(args.repeat)
    print(f"{'change':34} {'on screen':>10} {'target':>8} {'refined':>9} {PEER_COMMIT + ' (before)':>16} {'ratio':>7}")
    for name, (screen, refined) in new.items():
        before = peer.get(name) if peer else None
        ratio = f"{screen / before:.2f}" if before else "-"
        ok = "ok" if screen <= TARGETS[name] else "SLOW"
        print(f"{name:34} {screen:9.2f}s {TARGETS[name]:7.1f}s {'' if refined != refined else f'{refined:8.2f}s':>9} "
              f"{'' if before is None else f'{before:15.2f}s':>16} {ratio:>7}  {ok}")
    print("ratio = on screen now / before (lower is faster); 'refined' = the polished territory plan or the "
          "odds of every simulated year, shown when ready while the first plan is already on screen")


if __name__ == "__main__":
    main()
