"""Load a company folder into a frozen :class:`Inputs`, with every finding of the checks."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions, read_assumptions
from salesplan.errors import ERROR, WARNING, Finding, InputError
from salesplan.inputs.checks import Context, assumption_errors, table_errors
from salesplan.inputs.plausibility import plausibility_warnings
from salesplan.inputs.read import read_table
from salesplan.inputs.tables import check_table
from salesplan.schema import ACCOUNTS, COMMITMENTS, HISTORY, REPS, sales_staff

__all__ = ["Inputs", "Provenance", "load_inputs", "SCHEMAS", "ASSUMPTIONS_FILE"]

#: Column specs of each table of a company folder.
SCHEMAS = {"accounts": ACCOUNTS, "reps": REPS, "history": HISTORY, "commitments": COMMITMENTS}
#: The assumptions file of a company folder.
ASSUMPTIONS_FILE = "assumptions.yaml"
_FOLDER = "a company folder holds accounts.csv, reps.csv, history.csv and assumptions.yaml"
_DEFAULTS_HELP = ("write one (python -c \"import salesplan; print(salesplan.Assumptions().to_yaml())\" prints "
                  "every setting with its default), or plan with the handbook defaults on purpose: "
                  "salesplan plan --defaults / load_inputs(..., defaults=True)")


@dataclass(frozen=True)
class Provenance:
    """Where the rows and settings of :class:`Inputs` came from, so findings can name them.

    Attributes
    ----------
    sources : mapping of str to str
        File of each table (``accounts`` ...) and of the ``assumptions``.
    lines : mapping of str to numpy.ndarray
        Line of each row of each table as a spreadsheet shows it (0:
        unknown, e.g. a row added by a scenario).
    key_lines : mapping of str to int
        Line of each dotted key in the assumptions file.
    """

    sources: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[str, np.ndarray] = field(default_factory=dict)
    key_lines: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Inputs:
    """Validated inputs of one company (treat the frames as read-only).

    Attributes
    ----------
    accounts, reps, history : pandas.DataFrame
        Typed tables (see README for columns). ``accounts.segment`` is
        filled with the class by last year's sales where empty (or
        everywhere with ``territory.segments: sales``),
        ``accounts.visits_per_month`` from the segment defaults and
        ``accounts.locked`` from ``False`` where empty; the file's own
        segment and visits stay in ``segment_given`` / ``visits_given`` and
        the class by sales in ``abc_class``
        (:func:`salesplan.accounts.classify_accounts`); ``history.month`` is
        a monthly ``Period``.
    assumptions : Assumptions
        Planning assumptions.
    commitments : pandas.DataFrame or None
        Reps' own bottom-up annual commitments (``rep_id, metric,
        commitment``) from the optional ``commitments.csv``.
    folder : pathlib.Path or None
        Where the tables were read from.
    fingerprint : str
        SHA-256 (16 hex) of the tables' bytes and the assumptions: an
        exported plan names exactly what made it.
    findings : tuple of Finding
        Warnings of the input checks (errors raise instead): the plan can be
        computed, but something looks wrong.
    provenance : Provenance
        File and line of every row and setting (for findings).
    actuals : pandas.DataFrame or None
        Results of the plan year's closed months from the optional
        ``actuals.csv`` (columns of the history; see
        :mod:`salesplan.actuals`); ``None`` when the folder has none.
    """

    accounts: pd.DataFrame
    reps: pd.DataFrame
    history: pd.DataFrame
    assumptions: Assumptions
    commitments: pd.DataFrame | None = None
    folder: Path | None = None
    fingerprint: str = ""
    findings: tuple[Finding, ...] = ()
    provenance: Provenance = field(default_factory=Provenance, repr=False, compare=False)
    actuals: pd.DataFrame | None = None

    @property
    def sales_reps(self) -> pd.DataFrame:
        """Staff who carry a target and a territory (:func:`~salesplan.schema.sales_staff`)."""
        return sales_staff(self.reps)

    def with_assumptions(self, assumptions: Assumptions) -> "Inputs":
        """Same tables, other assumptions: defaults re-applied to accounts, the checks run again.

        Raises
        ------
        InputError
            The assumptions do not fit the tables (a plan year the history
            does not cover, an unknown product line).
        """
        if not isinstance(assumptions, Assumptions):
            raise InputError("with_assumptions(assumptions=...)",
                             [f"must be an Assumptions object (got {type(assumptions).__name__})"])
        accounts = _fill_account_defaults(self.accounts, assumptions)
        findings = self.findings
        a0 = self.assumptions
        if assumptions.targets != a0.targets or assumptions.plan_year != a0.plan_year:
            prov = dataclasses.replace(self.provenance, key_lines={},
                                       sources={**self.provenance.sources, "assumptions": "assumptions"})
            findings = _recheck(self, prov, assumptions)
        return dataclasses.replace(self, accounts=accounts, assumptions=assumptions, findings=findings,
                                   fingerprint=_fingerprint(self.fingerprint.encode(), assumptions))

    def with_reps(self, reps: pd.DataFrame) -> "Inputs":
        """Same inputs with another staff table (a hiring scenario, see
        :func:`salesplan.staffing.with_hires`); the checks run again and the
        fingerprint changes with it.

        Raises
        ------
        InputError
            ``reps`` is not a staff table, or names reps the other tables
            contradict.
        """
        from salesplan.arguments import require_frame

        require_frame(reps, "with_reps(reps=...)", [c.name for c in REPS])
        old = self.provenance.lines.get("reps")
        line_of = dict(zip(self.reps["rep_id"].astype(str), old)) if old is not None else {}
        lines = np.array([line_of.get(r, 0) for r in reps["rep_id"].astype(str)], dtype=int)
        prov = dataclasses.replace(self.provenance, lines={**self.provenance.lines, "reps": lines})
        out = dataclasses.replace(self, reps=reps, provenance=prov)
        blob = pd.util.hash_pandas_object(reps, index=False).to_numpy().tobytes()
        return dataclasses.replace(out, findings=_recheck(out, prov, self.assumptions, tables=True),
                                   fingerprint=_fingerprint(self.fingerprint.encode() + blob, self.assumptions))


def _context(inputs: Inputs, prov: Provenance, assumptions: Assumptions) -> Context:
    tables = {"accounts": inputs.accounts, "reps": inputs.reps, "history": inputs.history}
    if inputs.commitments is not None:
        tables["commitments"] = inputs.commitments
    return Context(tables, dict(prov.sources), dict(prov.lines), assumptions, dict(prov.key_lines))


def _recheck(inputs: Inputs, prov: Provenance, assumptions: Assumptions, *, tables: bool = False
             ) -> tuple[Finding, ...]:
    """Run the checks again on ``inputs`` under ``assumptions``: raise on errors, return the warnings."""
    ctx = _context(inputs, prov, assumptions)
    if tables:
        table_errors(ctx)
    if not ctx.errors:
        assumption_errors(ctx)
    if ctx.errors:
        raise InputError(findings=ctx.errors)
    plausibility_warnings(ctx)
    actuals = prov.sources.get("actuals")  # the actuals' own warnings do not depend on what changed
    kept = tuple(f for f in inputs.findings if actuals is not None and f.source == actuals)
    return tuple(f for f in ctx.findings if f.level == WARNING) + kept


def _fill_account_defaults(acc: pd.DataFrame, assumptions: Assumptions) -> pd.DataFrame:
    """Segments (the file's, else by last year's sales) and visits (the file's, else the segment's norm)."""
    from salesplan.accounts import classify_accounts

    acc = classify_accounts(acc, assumptions.territory)
    acc["locked"] = acc["locked"].fillna(False).astype(bool)
    return acc


def _fingerprint(blob: bytes, assumptions: Assumptions) -> str:
    h = hashlib.sha256(blob)
    h.update(assumptions.fingerprint().encode())
    return h.hexdigest()[:16]


def _assumptions(folder: Path, given, defaults: bool) -> tuple[Assumptions | None, str, dict, list[Finding]]:
    """The assumptions, their source, the line of each key, and findings (errors, or the ignored-file warning)."""
    own = folder / ASSUMPTIONS_FILE
    if isinstance(given, Assumptions):
        return given, "assumptions", {}, []
    if defaults:
        ignored = [Finding(WARNING, "assumptions_ignored", str(own),
                           "not read: the handbook defaults were asked for (--defaults)")] if own.exists() else []
        return Assumptions(), "defaults", {}, ignored
    path = Path(given) if given is not None else own
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob("*") if p.is_file()
                      and p.name.lower() in ("assumptions.yml", "assumptions.yaml", "assumption.yaml",
                                             "assumptions.yaml.txt", "assumptions.txt"))
        hint = f"; found {', '.join(near)}: rename it to {path.name}" if near else f"; {_DEFAULTS_HELP}"
        return None, str(path), {}, [Finding(ERROR, "assumptions_missing", str(path), f"file not found{hint}")]
    try:
        assume, key_lines = read_assumptions(path)
        return assume, str(path), key_lines, []
    except InputError as exc:
        return None, str(path), {}, list(exc.findings)


def _read_tables(folder: Path) -> tuple[dict, dict, dict, list[Finding], bytes]:
    """Every table of the folder read and typed; tables with problems are left out."""
    paths = {n: folder / f"{n}.csv" for n in ("accounts", "reps", "history")}
    if (folder / "commitments.csv").exists():
        paths["commitments"] = folder / "commitments.csv"
    tables, lines, errors = {}, {}, []
    blob = b""
    for name, path in paths.items():
        raw, found = read_table(path, tuple(c.name for c in SCHEMAS[name]), allow_empty=name == "commitments")
        if found and found[0].check == "file_missing":
            found = [dataclasses.replace(found[0], message=f"file not found; {_FOLDER}")]
        errors += found
        if raw is None:
            continue
        table, found = check_table(raw.frame, SCHEMAS[name], source=str(path), lines=raw.lines, stripped=True)
        errors += found
        if not found:
            tables[name], lines[name] = table, raw.lines
            blob += path.read_bytes()
    return {n: str(p) for n, p in paths.items()}, tables, lines, errors, blob


def _actuals(folder: Path, tables: dict, assume: Assumptions | None, errors: list[Finding]
             ) -> tuple[pd.DataFrame | None, list[Finding]]:
    """The optional ``actuals.csv`` (:func:`salesplan.actuals.check_actuals`), once the staff and the plan
    year are known; its errors are added to ``errors``."""
    path = folder / "actuals.csv"
    if not path.is_file() or "reps" not in tables or assume is None:
        return None, []
    from salesplan.actuals import check_actuals

    raw, found = read_table(path, tuple(c.name for c in HISTORY), allow_empty=True)
    errors += found
    if raw is None:
        return None, []
    try:
        return check_actuals(raw.frame, tables["reps"], assume.plan_year, source=str(path))
    except InputError as exc:
        errors += [dataclasses.replace(f, check="actuals") if f.check == "input" else f for f in exc.findings]
        return None, []


def load_inputs(folder: str | Path, *, assumptions: str | Path | Assumptions | None = None,
                defaults: bool = False) -> Inputs:
    """Read and validate a company folder.

    Parameters
    ----------
    folder : str or Path
        Folder with ``accounts.csv``, ``reps.csv``, ``history.csv``,
        optionally ``commitments.csv`` and ``actuals.csv``, and (unless
        ``assumptions`` or ``defaults`` is given) ``assumptions.yaml``.
    assumptions : path or Assumptions, optional
        Other assumptions file, or an :class:`Assumptions` object.
    defaults : bool
        Plan with the handbook defaults (:class:`Assumptions`) instead of
        an assumptions file.  Without it a missing ``assumptions.yaml`` is
        an error, never a silent fallback.

    Returns
    -------
    Inputs
        With the warnings of the checks in ``findings``.

    Raises
    ------
    InputError
        Every error found in every file (``findings``), each naming the file,
        the line and the column or key and saying what is valid.
    """
    if not isinstance(folder, (str, Path)):
        raise InputError("load_inputs(folder=...)", [f"must be a folder path (got {type(folder).__name__})"])
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), [f"not a folder; give the folder holding the tables ({_FOLDER})"])
    if defaults and assumptions is not None:
        raise InputError("load_inputs(defaults=...)", ["give either assumptions or defaults=True, not both"])
    assume, asource, key_lines, found = _assumptions(folder, assumptions, defaults)
    sources, tables, lines, errors, blob = _read_tables(folder)
    errors = [f for f in found if f.level == ERROR] + errors
    sources["assumptions"] = asource
    ctx = Context(tables, sources, lines, assume or Assumptions(), key_lines,
                  findings=[f for f in found if f.level == WARNING])
    table_errors(ctx)
    history_ok = "history" in tables and not any(f.source == sources["history"] for f in errors + ctx.errors)
    if assume is not None and history_ok:  # the assumptions against the history, whatever else is wrong
        assumption_errors(ctx)
    errors += ctx.errors
    actuals, found_actuals = _actuals(folder, tables, assume, errors)
    if actuals is not None:
        sources["actuals"] = str(folder / "actuals.csv")
    if errors:
        raise InputError(findings=errors)
    plausibility_warnings(ctx)
    order = tables["history"].sort_values(["month", "rep_id", "product_line"], kind="stable").index.to_numpy()
    hist = tables["history"].iloc[order].reset_index(drop=True)
    lines["history"] = lines["history"][order]
    return Inputs(
        accounts=_fill_account_defaults(tables["accounts"], assume),
        reps=tables["reps"],
        history=hist,
        assumptions=assume,
        commitments=tables.get("commitments"),
        folder=folder,
        fingerprint=_fingerprint(blob, assume),
        findings=tuple(f for f in ctx.findings if f.level == WARNING) + tuple(found_actuals),
        provenance=Provenance(sources, lines, key_lines),
        actuals=actuals,
    )
