"""Check a table read as text against its column specs and convert the types.

Every problem is a :class:`~salesplan.errors.Finding` naming the line(s) as
a spreadsheet shows them, the column and what is valid; the same problem in
many rows is one finding.  Numbers may carry thousands separators
(``1,234.5``) and shares a percent sign (``100%``); dates may be written
``2021-04-06`` or ``2021/4/6`` and months ``2024-01``, ``2024/1``, ``202401``
or as the first day of the month (``2024/1/1``, what Excel makes of a month).
Non-finite numbers (``nan``, ``inf``) are rejected.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from salesplan.errors import ERROR, Finding
from salesplan.schema import Column

__all__ = ["check_table", "validate_table", "did_you_mean"]

_KIND_TEXT = {
    "str": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "month": "a month YYYY-MM",
}
_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否"}
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
_DATE = r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?"
_MONTH = r"(?P<y>\d{4})(?:[-/.]?(?P<m>\d{2})|[-/.](?P<m1>\d))(?:[-/.](?P<d>\d{1,2}))?"
#: Coordinate columns checked as a pair: a latitude out of range with a longitude that would fit is a swap.
_PAIRS = {"lat": "lon", "base_lat": "base_lon"}


def did_you_mean(value: str, valid, *, cutoff: float = 0.6) -> str:
    """``" (did you mean 'rep'?)"`` when ``value`` is close to one of ``valid`` (case and spaces first).

    Parameters
    ----------
    value : str
        What was given.
    valid : iterable of str
        What would be valid.
    cutoff : float
        Similarity 0..1 a suggestion needs (:func:`difflib.get_close_matches`).

    Returns
    -------
    str
        The hint, or ``""`` when nothing is close.
    """
    valid = [str(v) for v in valid]
    folded = {"".join(v.split()).lower(): v for v in valid}
    hit = folded.get("".join(str(value).split()).lower())
    if hit is None:
        close = difflib.get_close_matches(str(value), valid, n=1, cutoff=cutoff)
        hit = close[0] if close else None
    return f" (did you mean '{hit}'?)" if hit is not None and hit != value else ""


class _Table:
    """Collects the findings of one table, each naming its lines."""

    def __init__(self, source: str, lines: np.ndarray):
        self.source, self.lines, self.findings = source, lines, []

    def add(self, check: str, mask, column: str | None, message: str) -> None:
        rows = self.lines[np.asarray(mask, dtype=bool)] if mask is not None else np.array([], int)
        self.findings.append(Finding(ERROR, check, self.source, message, line=int(rows[0]) if len(rows) else None,
                                     column=column, lines=tuple(int(x) for x in rows)))


def _examples(values: pd.Series, mask) -> str:
    vals = pd.Series(values)[np.asarray(mask, dtype=bool)].head(3).tolist()
    return ", ".join(repr(v) for v in vals)


def check_table(raw: pd.DataFrame, schema: tuple[Column, ...], *, source: str = "table",
                lines: np.ndarray | None = None, stripped: bool = False) -> tuple[pd.DataFrame, list[Finding]]:
    """Check a table read as text against ``schema`` and convert its types.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table with every cell as text (``""`` for empty).
    schema : tuple of Column
        Expected columns.
    source : str
        The file, named in findings.
    lines : numpy.ndarray, optional
        Line of each row as a spreadsheet shows it (default: row position + 2,
        below a header on line 1).
    stripped : bool
        The cells are text already stripped of surrounding spaces (as
        :func:`~salesplan.inputs.read_table` gives them).

    Returns
    -------
    table : pandas.DataFrame
        Typed table, index 0..n-1 (only valid once ``findings`` is empty).
    findings : list of Finding
        One per problem (level error): lines, column, what is valid.
    """
    t = _Table(source, np.arange(2, len(raw) + 2) if lines is None else np.asarray(lines))
    known = [c.name for c in schema]
    missing = [c.name for c in schema if c.required and c.name not in raw.columns]
    for name in missing:
        t.add("missing_column", None, None, f"missing column: {name}{did_you_mean(name, raw.columns)}; it is required")
    for name in (c for c in raw.columns if c not in known):
        t.add("unknown_column", None, None, f"unknown column: {name}{did_you_mean(str(name), known)}; "
                                            f"valid columns: {', '.join(known)}")
    out = {}
    for col in schema:
        if col.name not in raw.columns:
            if col.required:
                continue
            text = pd.Series([""] * len(raw), index=raw.index, dtype=object)
        else:
            text = raw[col.name] if stripped else raw[col.name].astype(str).str.strip()
        out[col.name] = _check_column(t, col, text, raw)
    table = pd.DataFrame(out, index=raw.index).reset_index(drop=True)
    return table, t.findings


def _check_column(t: _Table, col: Column, text: pd.Series, raw: pd.DataFrame) -> pd.Series:
    """Parse one column; add a finding per kind of problem (empty, type, choice, range, duplicate)."""
    empty = (text == "").to_numpy()
    if not col.nullable and empty.any():
        t.add("empty_cell", empty, col.name, f"empty; {_KIND_TEXT[col.kind]} is required")
    value, bad, infinite = _parse(text, col, empty)
    bad = bad & ~empty
    if (bad & ~infinite).any():
        m = bad & ~infinite
        t.add("bad_value", m, col.name, f"{_examples(text, m)} is not {_KIND_TEXT[col.kind]}")
    if (bad & infinite).any():
        m = bad & infinite
        t.add("not_finite", m, col.name, f"{_examples(text, m)} is not a finite number; give the value")
    ok = ~empty & ~bad
    if col.choices is not None:
        wrong = ok & ~text.isin(col.choices).to_numpy()
        if wrong.any():
            first = text[wrong].iloc[0]
            t.add("bad_choice", wrong, col.name, f"{_examples(text, wrong)} is not valid"
                  f"{did_you_mean(first, col.choices)}; valid: {', '.join(col.choices)}")
    if col.min is not None or col.max is not None:
        _check_range(t, col, value, ok, text, raw)
    if col.unique:
        dup = (text.duplicated(keep=False) & ~pd.Series(empty, index=text.index)).to_numpy()
        if dup.any():
            t.add("duplicate_id", dup, col.name, f"duplicate id{'s' if dup.sum() > 1 else ''} {_examples(text, dup)}")
    return value


def _check_range(t: _Table, col: Column, value: pd.Series, ok: np.ndarray, text: pd.Series,
                 raw: pd.DataFrame) -> None:
    num = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        low = ok & (num < col.min) if col.min is not None else np.zeros(len(text), bool)
        high = ok & (num > col.max) if col.max is not None else np.zeros(len(text), bool)
    hint = ""
    if col.name in _PAIRS and (low | high).any() and _PAIRS[col.name] in raw.columns:
        other = pd.to_numeric(raw[_PAIRS[col.name]], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            if (np.abs(other[low | high]) <= 90).all():
                hint = f"; are {col.name} and {_PAIRS[col.name]} swapped?"
    if low.any():
        what = "negative" if col.min == 0 else f"below {col.min:g}"
        t.add("out_of_range", low, col.name, f"{_examples(text, low)} is {what}; must be >= {col.min:g}{hint}")
    if high.any():
        t.add("out_of_range", high, col.name, f"{_examples(text, high)} must be <= {col.max:g}{hint}")


def _numbers(text: pd.Series, col: Column, empty: np.ndarray) -> pd.Series:
    """Numbers of a text column: thousands separators dropped, ``12%`` read as 0.12 in a share column."""
    share = col.max is not None and col.max <= 1
    num = pd.to_numeric(text.where(~empty), errors="coerce").astype(float)
    odd = num.isna() & ~empty
    if not odd.any():  # the usual case, quickly
        return num
    clean = text[odd]
    clean = clean.where(~clean.str.fullmatch(_THOUSANDS), clean.str.replace(",", "", regex=False))
    scale = pd.Series(1.0, index=clean.index)
    if share:
        pct = clean.str.endswith("%")
        clean = clean.where(~pct, clean.str[:-1].str.strip())
        scale[pct] = 0.01
    num[odd] = pd.to_numeric(clean, errors="coerce") * scale
    return num


def _parse(text: pd.Series, col: Column, empty: np.ndarray) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Convert text cells to ``col.kind`` (``empty``: the cells that are ``""``); values, a mask of failures
    and a mask of non-finite numbers."""
    kind = col.kind
    none = np.zeros(len(text), bool)
    if kind == "str":
        return text.where(~empty, pd.NA).astype("string"), none, none
    if kind in ("float", "int"):
        num = _numbers(text, col, empty)
        infinite = np.isinf(num.fillna(0).to_numpy(dtype=float))
        gone = num.isna().to_numpy() & ~empty
        if gone.any():  # 'nan' parses as a number, but not a finite one
            infinite |= gone & text.str.lower().isin(["nan", "-nan", "+nan"]).to_numpy()
        bad = num.isna().to_numpy() | infinite
        num = num.where(~infinite)
        if kind == "int":
            frac = (num.fillna(0) % 1 != 0).to_numpy()
            return num.where(~frac).astype("Int64"), bad | frac, infinite
        return num.astype(float), bad, infinite
    if kind == "bool":
        low = text.str.lower()
        val = pd.Series(pd.NA, index=text.index, dtype="boolean")
        val[low.isin(_TRUE)] = True
        val[low.isin(_FALSE)] = False
        return val, val.isna().to_numpy(), none
    if kind in ("date", "month"):
        codes, uniques = pd.factorize(text)  # a few distinct dates or months in many rows: parse each once
        val = (_dates if kind == "date" else _months)(pd.Series(uniques, dtype=object))
        out = val.take(codes).set_axis(text.index)
        return out, out.isna().to_numpy(), none
    raise ValueError(f"unknown column kind {kind!r}")


def _dates(text: pd.Series) -> pd.Series:
    """Dates written ``2021-04-06`` or ``2021/4/6`` (a time of 00:00 allowed); NaT where not a date."""
    parts = text.str.extract(f"^{_DATE}$")
    iso = parts["y"] + "-" + parts["m"].str.zfill(2) + "-" + parts["d"].str.zfill(2)
    return pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")


def _months(text: pd.Series) -> pd.Series:
    """Months written ``2024-01``, ``2024/1``, ``202401`` or as the 1st of the month (``2024/1/1``)."""
    parts = text.str.extract(f"^{_MONTH}$")
    month = pd.to_numeric(parts["m"].fillna(parts["m1"]), errors="coerce")
    day = pd.to_numeric(parts["d"], errors="coerce")
    ok = (parts["y"].notna() & month.between(1, 12) & (day.isna() | (day == 1))).to_numpy()
    val = pd.Series(pd.NaT, index=text.index, dtype="period[M]")
    if ok.any():
        iso = parts["y"][ok] + "-" + month[ok].astype(int).astype(str).str.zfill(2)
        val[ok] = pd.PeriodIndex(iso, freq="M")
    return val


def validate_table(raw: pd.DataFrame, schema: tuple[Column, ...]) -> tuple[pd.DataFrame, list[str]]:
    """Check a table read as text against ``schema`` and convert its types.

    The text form of :func:`check_table` (line numbers from the row
    position, header on line 1).

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
    table, findings = check_table(raw, schema)
    return table, [f.detail() for f in findings]
