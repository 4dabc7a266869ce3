"""Command line: ``salesplan plan``, ``validate``, ``signoff``, ``review`` and ``replan``.

Exit codes: 0 success, 2 bad input or an infeasible request (with a message
naming file, row and column), 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from salesplan.datasets import sample_folder
from salesplan.errors import ERROR, InfeasibleError, InputError, format_findings
from salesplan.i18n import LANGUAGES, texts

__all__ = ["main", "sample_folder"]


def _fail(exc: Exception) -> int:
    kind = "Bad input" if isinstance(exc, InputError) else "Infeasible request"
    text = format_findings(exc.findings, checks=True) if isinstance(exc, InputError) else str(exc)
    print(f"{kind} -- nothing was written.\n{text}", file=sys.stderr)
    return 2


def _warn(findings, lang: str = "en") -> None:
    for f in findings:
        print(f"warning: {f.in_language(lang)} [{f.check}]", file=sys.stderr)


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
    args.words = getattr(args, "lang", None) or inputs.assumptions.language  # the summary's language
    _warn(inputs.findings, args.words)
    if args.strict and inputs.findings:
        return _fail(InputError(findings=[dataclasses.replace(f, level="error") for f in inputs.findings]))
    found = precheck(inputs, territories=territories, staffing=staffing)
    errors = [f for f in found if f.level == ERROR]
    if errors:
        return _fail(InputError(findings=errors))
    warned = [f for f in found if f.level != ERROR]
    _warn(warned, args.words)
    args.printed = warned
    if args.strict and warned:
        return _fail(InputError(findings=[dataclasses.replace(f, level="error") for f in warned]))
    args.warned = len(inputs.findings) + len(warned)
    return inputs


def _cmd_validate(args) -> int:
    inputs = _checked(args, args.folder, territories=not args.no_territories, staffing=not args.no_staffing)
    if isinstance(inputs, int):
        return inputs
    h = inputs.history
    n = args.warned
    ok = f"OK with {n} warning{'s' if n > 1 else ''}" if n else "OK"
    print(f"{args.folder}: {ok} -- {len(inputs.accounts):,} accounts, {len(inputs.reps)} staff rows "
          f"({(inputs.reps['status'] == 'active').sum()} active, {(inputs.reps['status'] == 'open').sum()} open), "
          f"history {h['month'].min()}..{h['month'].max()}, plan year {inputs.assumptions.plan_year}")
    return 0


def _cmd_plan(args) -> int:
    from salesplan import export
    from salesplan.i18n.summary import plan_summary
    from salesplan.plan import build_plan

    start = time.perf_counter()
    staffing = not args.no_staffing
    if args.out is not None:
        try:
            export.check_writable(args.out)  # before any work: a path that cannot be written fails at once
        except InputError as exc:
            return _fail(exc)
    inputs = _checked(args, args.data, territories=not args.no_territories, staffing=staffing)
    if isinstance(inputs, int):
        return inputs
    try:
        out = Path(args.out or f"out/plan-{inputs.assumptions.plan_year}.xlsx")
        export.check_writable(out)
        plan = build_plan(inputs, territories=not args.no_territories, staffing=staffing,
                          simulation=({} if args.runs is None else {"runs": args.runs}) if staffing else False)
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    _warn((f for f in plan.findings if f not in inputs.findings and f not in args.printed), args.words)
    return _write(plan, out, plan_summary, args, start)


def _cmd_signoff(args) -> int:
    from salesplan import export

    try:
        rows = export.read_signoff(args.workbook)
        path, n = export.write_commitments(rows, args.to)
    except InputError as exc:
        return _fail(exc)
    print(texts(args.lang or "en").cli("signoff_wrote", path=path, **n))
    return 0


def _leavers(values: list[str] | None) -> dict[str, str]:
    """``["R03:2027-05-31"]`` -> ``{"R03": "2027-05-31"}``."""
    out, bad = {}, []
    for v in values or []:
        rid, sep, day = v.partition(":")
        if not sep or not rid.strip() or not day.strip():
            bad.append(f"{v!r}: give REP_ID:YYYY-MM-DD (the last working day), e.g. R03:2027-05-31")
        out[rid.strip()] = day.strip()
    if bad:
        raise InputError("--leaver", bad)
    return out


def _cmd_review(args) -> int:
    from salesplan import export
    from salesplan.i18n.summary import review_summary
    from salesplan.inputs import load_inputs
    from salesplan.plan import build_plan
    from salesplan.review import review

    start = time.perf_counter()
    try:
        if args.out is not None:
            export.check_writable(args.out)
        inputs = load_inputs(args.data, assumptions=args.assumptions)
        plan = build_plan(inputs)
        plan = plan.with_review(review(plan, args.as_of, leavers=_leavers(args.leaver), runs=args.runs))
        out = Path(args.out or f"out/review-{plan.review.as_of}.xlsx")
        export.check_writable(out)
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    return _write(plan, out, review_summary, args, start)


def _write(plan, out: Path, summary, args, start: float) -> int:
    """Write the workbook in the language asked for and print the summary (plan, review, replan)."""
    from salesplan import export

    lang = args.lang or plan.assumptions.language
    try:
        export.to_excel(plan, out, lang=lang)
    except KeyboardInterrupt:
        print(f"Interrupted -- {out} was left as it was.", file=sys.stderr)
        return 130
    print(summary(plan, data=str(args.data), lang=lang))
    print(texts(lang).cli("wrote", path=out, seconds=f"{time.perf_counter() - start:.1f}"))
    return 0


def _cmd_replan(args) -> int:
    from salesplan import export
    from salesplan.i18n.summary import replan_summary
    from salesplan.inputs import REPS, load_inputs
    from salesplan.plan import build_plan
    from salesplan.replan import replan

    start = time.perf_counter()
    try:
        out = Path(args.out or f"out/replan-{args.as_of}.xlsx")
        export.check_writable(out)
        inputs = load_inputs(args.data, assumptions=args.assumptions)
        joiners = None
        if args.joiners is not None:
            import pandas as pd

            if not args.joiners.is_file():
                raise InputError(str(args.joiners), ["file not found; give a CSV with the columns of reps.csv: "
                                                     + ", ".join(c.name for c in REPS)])
            joiners = pd.read_csv(args.joiners, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        plan = build_plan(inputs, territories=not args.no_territories)
        new = replan(plan, args.as_of, leavers=_leavers(args.leaver), joiners=joiners, keep=args.keep,
                     max_moved_share=args.max_moved_share)
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    return _write(new, out, replan_summary, args, start)


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
    p.add_argument("--lang", choices=LANGUAGES, help="language of the workbook and this summary "
                                                     "(default: the assumption 'language', en)")
    _check_options(p)
    p.set_defaults(func=_cmd_plan)
    s = sub.add_parser("signoff", help="turn a filled-in sign-off sheet into the company's commitments.csv")
    s.add_argument("workbook", type=Path, help="plan workbook whose Sign-off sheet was filled in")
    s.add_argument("--to", type=Path, required=True, help="company folder of the next planning round")
    s.add_argument("--lang", choices=LANGUAGES, help="language of the message")
    s.set_defaults(func=_cmd_signoff)
    v = sub.add_parser("validate", help="check a company folder and report every problem (the checks plan runs)")
    v.add_argument("folder", type=Path)
    v.add_argument("--assumptions", type=Path, help="assumptions file (default: FOLDER/assumptions.yaml)")
    v.add_argument("--no-staffing", action="store_true", help="leave out the staffing model's checks")
    v.add_argument("--no-territories", action="store_true", help="leave out the territory pre-check")
    _check_options(v)
    v.set_defaults(func=_cmd_validate)
    _add_in_year(sub)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrupted -- nothing was written.", file=sys.stderr)
        return 130
    except (InputError, InfeasibleError) as exc:
        return _fail(exc)
    except Exception as exc:  # never a raw traceback: a short message and exit 1
        print(f"salesplan: unexpected error ({type(exc).__name__}: {exc}); nothing was checked as wrong in "
              "your files -- please report this with the command you ran", file=sys.stderr)
        return 1


def _add_in_year(sub) -> None:
    """The sub-commands of the year in progress: review and replan."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", type=Path, default=sample_folder(),
                        help="company folder with actuals.csv; default: the bundled sample")
    common.add_argument("--assumptions", type=Path, help="assumptions file (default: DATA/assumptions.yaml)")
    common.add_argument("--leaver", action="append", metavar="REP_ID:YYYY-MM-DD",
                        help="a rep's last working day (repeat for several)")
    common.add_argument("--lang", choices=LANGUAGES, help="language of the workbook and this summary "
                                                          "(default: the assumption 'language', en)")
    r = sub.add_parser("review", parents=[common],
                       help="actuals vs targets: achievement, ranking, year-end forecast, allowances")
    r.add_argument("--as-of", help="last closed month YYYY-MM (default: the last month of actuals.csv)")
    r.add_argument("--out", type=Path, help="workbook to write (default: out/review-<as-of>.xlsx)")
    r.add_argument("--runs", type=int, default=None, help="Monte Carlo runs (default: assumptions)")
    r.set_defaults(func=_cmd_review)
    p = sub.add_parser("replan", parents=[common], help="re-plan the rest of the year after leavers and joiners")
    p.add_argument("--as-of", required=True, help="last month kept as planned, YYYY-MM")
    p.add_argument("--joiners", type=Path, help="CSV of new staff rows (the columns of reps.csv)")
    p.add_argument("--keep", choices=("year", "remaining"), default="year",
                   help="year: annual targets above the rep level stay; remaining: rest of the year = "
                        "annual target - actual to date")
    p.add_argument("--max-moved-share", type=float, default=None,
                   help="share of the other accounts that may change hands (default: only the leavers')")
    p.add_argument("--no-territories", action="store_true",
                   help="the territories in force are current_rep_id of accounts.csv, not the plan's proposal")
    p.add_argument("--out", type=Path, help="workbook to write (default: out/replan-<as-of>.xlsx)")
    p.set_defaults(func=_cmd_replan)



if __name__ == "__main__":
    sys.exit(main())
