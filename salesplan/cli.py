"""Command line: ``salesplan plan`` and ``salesplan validate``.

Exit codes: 0 success, 2 bad input or an infeasible request (with a message
naming file, row and column), 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import textwrap
import time
from pathlib import Path

from salesplan.datasets import sample_folder
from salesplan.errors import InfeasibleError, InputError, format_findings

__all__ = ["main", "sample_folder"]


def _fail(exc: Exception) -> int:
    kind = "Bad input" if isinstance(exc, InputError) else "Infeasible request"
    text = format_findings(exc.findings, checks=True) if isinstance(exc, InputError) else str(exc)
    print(f"{kind} -- nothing was written.\n{text}", file=sys.stderr)
    return 2


def _warn(findings) -> None:
    for f in findings:
        print(f"warning: {f} [{f.check}]", file=sys.stderr)


def _checked(args, folder, *, territories: bool, staffing: bool):
    """Load and pre-check a company folder the way ``plan`` and ``validate`` both do.

    Returns the inputs, or an exit code (2) after printing every error.
    """
    from salesplan.inputs import load_inputs
    from salesplan.precheck import precheck

    try:
        inputs = load_inputs(folder, assumptions=args.assumptions, defaults=args.defaults)
    except InputError as exc:
        return _fail(exc)
    _warn(inputs.findings)
    if args.strict and inputs.findings:
        return _fail(InputError(findings=[dataclasses.replace(f, level="error") for f in inputs.findings]))
    errors = precheck(inputs, territories=territories, staffing=staffing)
    if errors:
        return _fail(InputError(findings=errors))
    return inputs


def _cmd_validate(args) -> int:
    inputs = _checked(args, args.folder, territories=not args.no_territories, staffing=not args.no_staffing)
    if isinstance(inputs, int):
        return inputs
    h = inputs.history
    n = len(inputs.findings)
    ok = f"OK with {n} warning{'s' if n > 1 else ''}" if n else "OK"
    print(f"{args.folder}: {ok} -- {len(inputs.accounts):,} accounts, {len(inputs.reps)} staff rows "
          f"({(inputs.reps['status'] == 'active').sum()} active, {(inputs.reps['status'] == 'open').sum()} open), "
          f"history {h['month'].min()}..{h['month'].max()}, plan year {inputs.assumptions.plan_year}")
    return 0


def _cmd_plan(args) -> int:
    from salesplan import export
    from salesplan.plan import build_plan

    start = time.perf_counter()
    staffing = not args.no_staffing
    inputs = _checked(args, args.data, territories=not args.no_territories, staffing=staffing)
    if isinstance(inputs, int):
        return inputs
    try:
        plan = build_plan(inputs, territories=not args.no_territories, staffing=staffing,
                          simulation=({} if args.runs is None else {"runs": args.runs}) if staffing else False)
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    out = Path(args.out or f"out/plan-{plan.year}.xlsx")
    export.to_excel(plan, out)
    elapsed = time.perf_counter() - start
    t = plan.targets.metrics
    print(f"Plan {plan.year} for {args.data} (split: {t.split_method}, inputs {plan.fingerprint})")
    print(f"  revenue target      {t.totals['revenue']:>14,.0f}")
    print(f"  collections target  {t.totals['collections']:>14,.0f}")
    print(f"  new customers       {t.totals['new_customers']:>14,.0f}")
    print(f"  reps with a target  {t.reps_with_target:>14d}")
    region = plan.by("region")["Year"]
    print("  revenue by region:  " + ", ".join(f"{k} {v:,.0f}" for k, v in region.items() if k != "Total"))
    for part in (plan.territories, plan.staffing, plan.simulation):
        if part is not None:
            print(textwrap.indent(part.summary(), "  "))
    if plan.staffing is not None:
        org = plan.staffing.org
        print("  staffing by role:\n" + textwrap.indent(org.to_string(index=False), "    "))
    print(f"Wrote {out} in {elapsed:.1f} s")
    return 0


def _check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2, nothing written)")
    p.add_argument("--defaults", action="store_true",
                   help="plan with the handbook default assumptions instead of an assumptions.yaml")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``salesplan`` command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: the command line).

    Returns
    -------
    int
        Exit code: 0 success, 2 bad input or an infeasible request
        (warnings too with ``--strict``), 1 anything unexpected (a short
        message, no traceback).
    """
    ap = argparse.ArgumentParser(prog="salesplan", description="Plan a sales year from three tables.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan", help="build the plan and write the Excel workbook")
    p.add_argument("--data", type=Path, default=sample_folder(),
                   help="company folder (accounts.csv, reps.csv, history.csv, assumptions.yaml); "
                        "default: the bundled sample")
    p.add_argument("--assumptions", type=Path, help="assumptions file (default: DATA/assumptions.yaml)")
    p.add_argument("--out", type=Path, help="workbook to write (default: out/plan-<year>.xlsx)")
    p.add_argument("--no-staffing", action="store_true", help="skip the staffing model and simulation")
    p.add_argument("--no-territories", action="store_true", help="skip the territory assignment")
    p.add_argument("--runs", type=int, default=None, help="Monte Carlo runs (default: assumptions)")
    _check_options(p)
    p.set_defaults(func=_cmd_plan)
    v = sub.add_parser("validate", help="check a company folder and report every problem (the checks plan runs)")
    v.add_argument("folder", type=Path)
    v.add_argument("--assumptions", type=Path, help="assumptions file (default: FOLDER/assumptions.yaml)")
    v.add_argument("--no-staffing", action="store_true", help="leave out the staffing model's checks")
    v.add_argument("--no-territories", action="store_true", help="leave out the territory pre-check")
    _check_options(v)
    v.set_defaults(func=_cmd_validate)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    except Exception as exc:  # never a raw traceback: a short message and exit 1
        print(f"salesplan: unexpected error ({type(exc).__name__}: {exc}); nothing was checked as wrong in "
              "your files -- please report this with the command you ran", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
