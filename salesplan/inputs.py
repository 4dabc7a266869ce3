"""Load and validate a company folder into a frozen :class:`Inputs`.

A company folder holds ``accounts.csv``, ``reps.csv``, ``history.csv`` and
``assumptions.yaml`` (schemas in the README).  :func:`load_inputs` checks
everything and reports every problem of a file in one :class:`InputError`,
each line naming the file, the line and the column and saying what is valid.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import Finding, InputError
from salesplan.schema import ACCOUNTS, COMMITMENTS, HISTORY, REPS, Column, sales_staff

__all__ = ["Inputs", "load_inputs", "Column", "ACCOUNTS", "REPS", "HISTORY", "COMMITMENTS",
           "validate_table"]

_MAX_LISTED = 5  # rows listed per problem before "and N more"


_KIND_TEXT = {
    "str": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "month": "a month YYYY-MM",
}
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


@dataclass(frozen=True)
class Inputs:
    """Validated inputs of one company (treat the frames as read-only).

    Attributes
    ----------
    accounts, reps, history : pandas.DataFrame
        Typed tables (see README for columns). ``accounts.visits_per_month``
        is filled from the segment defaults and ``accounts.locked`` from
        ``False`` where empty; ``history.month`` is a monthly ``Period``.
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
    actuals: pd.DataFrame | None = None

    @property
    def sales_reps(self) -> pd.DataFrame:
        """Staff who carry a target and a territory (:func:`~salesplan.schema.sales_staff`)."""
        return sales_staff(self.reps)

    def with_assumptions(self, assumptions: Assumptions) -> "Inputs":
        """Same tables, other assumptions (defaults re-applied to accounts)."""
        accounts = _fill_account_defaults(self.accounts, assumptions)
        return dataclasses.replace(self, accounts=accounts, assumptions=assumptions,
                                   fingerprint=_fingerprint(self.fingerprint.encode(), assumptions))

    def with_reps(self, reps: pd.DataFrame) -> "Inputs":
        """Same inputs with another staff table (a hiring scenario, see
        :func:`salesplan.staffing.with_hires`); the fingerprint changes with it."""
        blob = pd.util.hash_pandas_object(reps, index=False).to_numpy().tobytes()
        return dataclasses.replace(self, reps=reps, fingerprint=_fingerprint(self.fingerprint.encode() + blob,
                                                                               self.assumptions))


# ---------------------------------------------------------------------------
# generic table validation
# ---------------------------------------------------------------------------
def _lines(mask: np.ndarray | pd.Series) -> str:
    """'lines 3, 7, 9 and 12 more' for the True rows of ``mask`` (1 header line)."""
    idx = np.flatnonzero(np.asarray(mask)) + 2
    shown = ", ".join(str(i) for i in idx[:_MAX_LISTED])
    more = f" and {len(idx) - _MAX_LISTED} more" if len(idx) > _MAX_LISTED else ""
    return f"line{'s' if len(idx) > 1 else ''} {shown}{more}"


def _examples(values: pd.Series, mask) -> str:
    vals = pd.Series(values)[np.asarray(mask)].head(3).tolist()
    return ", ".join(repr(v) for v in vals)


def validate_table(raw: pd.DataFrame, schema: tuple[Column, ...]) -> tuple[pd.DataFrame, list[str]]:
    """Check a table read as text against ``schema`` and convert its types.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table with every cell as text (``""`` for empty).
    schema : tuple of Column
        Expected columns.

    Returns
    -------
    table : pandas.DataFrame
        Typed table (only valid once ``problems`` is empty).
    problems : list of str
        One line per problem: line numbers, column, what is valid.
    """
    problems: list[str] = []
    known = {c.name for c in schema}
    missing = [c.name for c in schema if c.required and c.name not in raw.columns]
    extra = [c for c in raw.columns if c not in known]
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    if extra:
        problems.append(
            f"unknown column{'s' if len(extra) > 1 else ''}: {', '.join(map(str, extra))}; "
            f"valid columns: {', '.join(c.name for c in schema)}"
        )
    out = {}
    for col in schema:
        if col.name not in raw.columns:
            if col.required:
                continue
            text = pd.Series([""] * len(raw), index=raw.index, dtype=object)
        else:
            text = raw[col.name].astype(str).str.strip()
        empty = (text == "").to_numpy()
        where = f"column '{col.name}'"
        if not col.nullable and empty.any():
            problems.append(f"{_lines(empty)}, {where}: empty; {_KIND_TEXT[col.kind]} is required")
        value, bad = _parse(text, col.kind)
        bad = np.asarray(bad, dtype=bool) & ~empty
        if bad.any():
            problems.append(
                f"{_lines(bad)}, {where}: {_examples(text, bad)} is not {_KIND_TEXT[col.kind]}"
            )
        ok = ~empty & ~bad
        if col.choices is not None:
            wrong = ok & ~text.isin(col.choices).to_numpy()
            if wrong.any():
                problems.append(
                    f"{_lines(wrong)}, {where}: {_examples(text, wrong)} is not valid; "
                    f"valid: {', '.join(col.choices)}"
                )
        if col.min is not None or col.max is not None:
            num = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                low = ok & (num < col.min) if col.min is not None else np.zeros(len(text), bool)
                high = ok & (num > col.max) if col.max is not None else np.zeros(len(text), bool)
            if low.any():
                what = "negative" if col.min == 0 else f"below {col.min:g}"
                problems.append(f"{_lines(low)}, {where}: {_examples(text, low)} is {what}; must be >= {col.min:g}")
            if high.any():
                problems.append(f"{_lines(high)}, {where}: {_examples(text, high)} must be <= {col.max:g}")
        if col.unique:
            dup = (text.duplicated(keep=False) & ~pd.Series(empty, index=text.index)).to_numpy()
            if dup.any():
                problems.append(f"{_lines(dup)}, {where}: duplicate id{'s' if dup.sum() > 1 else ''} {_examples(text, dup)}")
        out[col.name] = value
    table = pd.DataFrame(out, index=raw.index).reset_index(drop=True)
    return table, problems


def _parse(text: pd.Series, kind: str) -> tuple[pd.Series, np.ndarray]:
    """Convert text cells to ``kind``; return values and a mask of failures."""
    if kind == "str":
        return text.where(text != "", pd.NA).astype("string"), np.zeros(len(text), bool)
    if kind in ("float", "int"):
        num = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = num.isna().to_numpy() | ~np.isfinite(num.fillna(0).to_numpy(dtype=float))
        if kind == "int":
            frac = (num.fillna(0) % 1 != 0).to_numpy()
            bad |= frac
            return num.where(~frac).astype("Int64"), bad
        return num.astype(float), bad
    if kind == "bool":
        low = text.str.lower()
        val = pd.Series(pd.NA, index=text.index, dtype="boolean")
        val[low.isin(_TRUE)] = True
        val[low.isin(_FALSE)] = False
        return val, val.isna().to_numpy()
    if kind == "date":
        val = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
        return val, val.isna().to_numpy()
    if kind == "month":
        ok = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").to_numpy()
        val = pd.Series(pd.NaT, index=text.index, dtype="period[M]")
        if ok.any():
            val[ok] = pd.PeriodIndex(text[ok], freq="M")
        return val, ~ok
    raise ValueError(f"unknown column kind {kind!r}")


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(str(path), ["file not found; a company folder needs accounts.csv, reps.csv, "
                                     "history.csv and assumptions.yaml"])
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                          encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(str(path), [f"not a readable CSV file: {str(exc).strip()}"]) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    return raw


# ---------------------------------------------------------------------------
# cross-table checks
# ---------------------------------------------------------------------------
def _check_accounts(acc: pd.DataFrame, reps: pd.DataFrame) -> list[str]:
    problems = []
    cur = acc["current_rep_id"]
    has = cur.notna().to_numpy()
    known = cur.isin(reps["rep_id"]).to_numpy()
    unknown = has & ~known
    if unknown.any():
        problems.append(f"{_lines(unknown)}, column 'current_rep_id': unknown rep "
                        f"{_examples(cur, unknown)}; must be a rep_id of reps.csv")
    status = cur.map(reps.set_index("rep_id")["status"]).fillna("").to_numpy(dtype=object)
    gone = has & known & (status == "left")
    if gone.any():
        problems.append(f"{_lines(gone)}, column 'current_rep_id': rep {_examples(cur, gone)} "
                        "has left; give the account to an active rep or leave it empty")
    return problems


def _check_reps(reps: pd.DataFrame) -> list[str]:
    problems = []
    end = reps["end_date"]
    before = (end.notna() & (end < reps["hire_date"])).to_numpy()
    if before.any():
        problems.append(f"{_lines(before)}, column 'end_date': before hire_date")
    left = (reps["status"] == "left").to_numpy() & end.isna().to_numpy()
    if left.any():
        problems.append(f"{_lines(left)}, column 'end_date': empty for a rep with status 'left'; "
                        "give the last working day")
    return problems


def _known_reps_once(table: pd.DataFrame, reps: pd.DataFrame, key: list[str]) -> list[str]:
    """Rows naming a rep_id that reps.csv lacks, and rows repeating the same ``key``."""
    problems = []
    rid = table["rep_id"]
    unknown = (rid.notna() & ~rid.isin(reps["rep_id"])).to_numpy()
    if unknown.any():
        problems.append(f"{_lines(unknown)}, column 'rep_id': unknown rep {_examples(rid, unknown)}; "
                        "must be a rep_id of reps.csv")
    dup = table.duplicated(key, keep=False).to_numpy()
    if dup.any():
        problems.append(f"{_lines(dup)}: the same {', '.join(key[:-1])} and {key[-1]} appear more than once")
    return problems


def _check_history(hist: pd.DataFrame, reps: pd.DataFrame) -> list[str]:
    problems = _known_reps_once(hist, reps, ["month", "rep_id", "product_line"])
    if problems or hist["month"].isna().any():
        return problems
    months = pd.period_range(hist["month"].min(), hist["month"].max(), freq="M")
    absent = months.difference(pd.PeriodIndex(hist["month"].unique()))
    if len(absent):
        problems.append(f"no rows at all for month{'s' if len(absent) > 1 else ''} "
                        f"{', '.join(map(str, absent[:12]))}; history must be monthly without gaps")
    if len(months) < 12:
        problems.append(f"{len(months)} months of history; at least 12 are needed "
                        "(24-36 recommended) to measure seasonality and last year")
    # per rep: months between a rep's first and last row must all be present
    span = hist.groupby("rep_id")["month"].agg(["min", "max", "nunique"])
    length = (span["max"] - span["min"]).apply(lambda d: d.n) + 1
    gappy = span[length != span["nunique"]]
    for rep_id, row in gappy.head(_MAX_LISTED).iterrows():
        have = pd.PeriodIndex(hist.loc[hist["rep_id"] == rep_id, "month"].unique())
        miss = pd.period_range(row["min"], row["max"], freq="M").difference(have)
        problems.append(f"rep {rep_id} has no rows for {', '.join(map(str, miss[:6]))} "
                        f"between {row['min']} and {row['max']}; history must be monthly without gaps")
    return problems


def _check_commitments(com: pd.DataFrame, reps: pd.DataFrame) -> list[str]:
    return _known_reps_once(com, reps, ["rep_id", "metric"])


def _fill_account_defaults(acc: pd.DataFrame, assumptions: Assumptions) -> pd.DataFrame:
    acc = acc.copy()
    default = acc["segment"].map(assumptions.territory.visits_per_month).astype(float)
    acc["visits_per_month"] = acc["visits_per_month"].astype(float).fillna(default)
    acc["locked"] = acc["locked"].fillna(False).astype(bool)
    return acc


def _fingerprint(blob: bytes, assumptions: Assumptions) -> str:
    h = hashlib.sha256(blob)
    h.update(assumptions.fingerprint().encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------
# public entry point
# ---------------------------------------------------------------------------
def load_inputs(folder: str | Path, *, assumptions: str | Path | Assumptions | None = None) -> Inputs:
    """Read and validate a company folder.

    Parameters
    ----------
    folder : str or Path
        Folder with ``accounts.csv``, ``reps.csv``, ``history.csv`` and
        (unless ``assumptions`` is given) ``assumptions.yaml``; optionally
        ``commitments.csv`` and ``actuals.csv``.
    assumptions : path or Assumptions, optional
        Other assumptions file, or an :class:`Assumptions` object.

    Returns
    -------
    Inputs

    Raises
    ------
    InputError
        Every problem found, each naming file, line and column.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), ["not a folder; give the folder holding accounts.csv, reps.csv, "
                                       "history.csv and assumptions.yaml"])
    if isinstance(assumptions, Assumptions):
        assume = assumptions
    else:
        apath = Path(assumptions) if assumptions is not None else folder / "assumptions.yaml"
        assume = Assumptions.from_yaml(apath) if (assumptions is not None or apath.exists()) else Assumptions()

    paths = {n: folder / f"{n}.csv" for n in ("accounts", "reps", "history")}
    if (folder / "commitments.csv").is_file():
        paths["commitments"] = folder / "commitments.csv"
    raws = {n: _read_csv(p) for n, p in paths.items()}
    schemas = {"accounts": ACCOUNTS, "reps": REPS, "history": HISTORY, "commitments": COMMITMENTS}
    tables, problems = {}, {}
    for n in paths:
        tables[n], problems[n] = validate_table(raws[n], schemas[n])
    if not problems["reps"]:
        problems["reps"] += _check_reps(tables["reps"])
        if not problems["accounts"]:
            problems["accounts"] += _check_accounts(tables["accounts"], tables["reps"])
        if not problems["history"]:
            problems["history"] += _check_history(tables["history"], tables["reps"])
        if "commitments" in paths and not problems["commitments"]:
            problems["commitments"] += _check_commitments(tables["commitments"], tables["reps"])
    for n in paths:  # one error per file, all its problems
        if problems[n]:
            raise InputError(str(paths[n]), problems[n])

    actuals, found = None, []
    if (folder / "actuals.csv").is_file():  # the plan year's closed months (salesplan.actuals)
        from salesplan.actuals import check_actuals

        actuals, found = check_actuals(_read_csv(folder / "actuals.csv"), tables["reps"], assume.plan_year,
                                       source=str(folder / "actuals.csv"))
    blob = b"".join(p.read_bytes() for p in paths.values())
    hist = tables["history"].sort_values(["month", "rep_id", "product_line"], kind="stable").reset_index(drop=True)
    return Inputs(
        accounts=_fill_account_defaults(tables["accounts"], assume),
        reps=tables["reps"],
        history=hist,
        assumptions=assume,
        commitments=tables.get("commitments"),
        folder=folder,
        fingerprint=_fingerprint(blob, assume),
        findings=tuple(found),
        actuals=actuals,
    )
