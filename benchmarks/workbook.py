"""Benchmark: writing the plan workbook of the sample company.

Times ``salesplan.export.to_excel`` (cover, quota sheets with live totals,
sign-off, checks, typed tables, print setup) on the sample plan with every
part, against a plain dump of the same tables with ``pandas.DataFrame.to_excel``
(XlsxWriter, no formats, formulas or print setup) in the same process, and
prints the size of both files.

    python benchmarks/workbook.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time

import pandas as pd

import salesplan
from salesplan import export
from salesplan.datasets import sample_folder


def plain_dump(plan, path: str) -> None:
    """The peer: every table of the plan, one sheet each, as pandas writes it."""
    frames = dict(plan.targets.to_frames())
    for part in (plan.territories, plan.staffing, plan.simulation):
        frames.update(part.to_frames())
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        for name, df in frames.items():
            df = df.copy()
            for c in df.columns:
                if isinstance(df[c].dtype, pd.PeriodDtype):
                    df[c] = df[c].astype(str)
            df.to_excel(xw, sheet_name=name[:31], index=False)


def timed(fn, plan, path: str, repeat: int) -> float:
    fn(plan, path)  # warm up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(plan, path)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    plan = salesplan.build_plan(salesplan.load_inputs(sample_folder()), territories=True, staffing=True,
                                simulation={"runs": 2000})
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pandas {pd.__version__}")
    with tempfile.TemporaryDirectory() as d:
        ours, peer = os.path.join(d, "plan.xlsx"), os.path.join(d, "plain.xlsx")
        t_ours = timed(export.to_excel, plan, ours, args.repeat)
        t_peer = timed(plain_dump, plan, peer, args.repeat)
        print(f"salesplan to_excel: {t_ours:.3f} s (median of {args.repeat}), {os.path.getsize(ours) / 1024:.0f} KB")
        print(f"pandas to_excel, same tables, no formats: {t_peer:.3f} s, {os.path.getsize(peer) / 1024:.0f} KB")
        print(f"ratio: {t_ours / t_peer:.2f}x the plain dump's time")


if __name__ == "__main__":
    main()
