"""Cross-table checks: what the tables say about each other, and the assumptions about the tables.

Each check adds :class:`~salesplan.errors.Finding` records (level error)
to a :class:`Context`, naming the file, the line(s) and the column (or
the assumption key and its line in ``assumptions.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import ERROR, Finding
from salesplan.history import MONTHS, last_year
from salesplan.inputs.tables import did_you_mean

__all__ = ["Context", "table_errors", "assumption_errors", "known_reps_once", "month_ranges", "period"]

#: Months listed in one finding before "and N more".
MONTHS_SHOWN = 6


@dataclass
class Context:
    """Typed tables of a company folder with what is needed to name lines, and the findings so far.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``accounts``, ``reps``, ``history`` and, when given, ``commitments``.
    sources : dict of str to str
        File of each table (and ``assumptions``), named in findings.
    lines : dict of str to numpy.ndarray
        Line of each row of each table (empty: unknown, e.g. rows added by
        a scenario).
    assumptions : Assumptions
        The assumptions checked against the tables.
    key_lines : dict of str to int
        Line of each dotted key in ``assumptions.yaml``.
    findings : list of Finding
        Where the checks add what they find.
    """

    tables: dict[str, pd.DataFrame]
    sources: dict[str, str]
    lines: dict[str, np.ndarray]
    assumptions: Assumptions
    key_lines: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, check: str, table: str, mask, column: str | None, message: str) -> None:
        """A finding about the rows ``mask`` (bool mask or positions; ``None``: the whole table)."""
        lines = self.lines.get(table)
        rows: tuple[int, ...] = ()
        if mask is not None and lines is not None and len(lines) == len(self.tables[table]):
            sel = np.asarray(mask)
            rows = tuple(int(x) for x in (lines[sel] if sel.dtype == bool else lines[sel.astype(int)]))
        self.findings.append(Finding(level, check, self.sources.get(table, f"{table}.csv"), message,
                                     line=rows[0] if rows else None, column=column, lines=rows))

    def add_key(self, level: str, check: str, key: str, message: str,
                translations: tuple[tuple[str, str], ...] = ()) -> None:
        """A finding about an assumption, with the line of its key (or of its section) in the file."""
        line, probe = self.key_lines.get(key), key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = self.key_lines.get(probe)
        self.findings.append(Finding(level, check, self.sources.get("assumptions", "assumptions"), message,
                                     line=line, column=key, translations=translations))

    @property
    def errors(self) -> list[Finding]:
        """The findings of level error so far."""
        return [f for f in self.findings if f.level == ERROR]


def period(ordinal: int) -> pd.Period:
    """The monthly period with this ordinal (months since 1970-01).

    Parameters
    ----------
    ordinal : int

    Returns
    -------
    pandas.Period
    """
    return pd.Period(ordinal=int(ordinal), freq="M")


def month_ranges(months) -> str:
    """``"2025-03..2025-05, 2026-01"``: consecutive months joined, at most :data:`MONTHS_SHOWN` runs.

    Parameters
    ----------
    months : iterable of pandas.Period
        Monthly periods, any order.

    Returns
    -------
    str
    """
    ords = sorted({p.ordinal for p in months})
    runs: list[list[int]] = []
    for o in ords:
        if runs and o == runs[-1][1] + 1:
            runs[-1][1] = o
        else:
            runs.append([o, o])
    text = [str(period(a)) + ("" if a == b else f"..{period(b)}")
            for a, b in runs]
    more = f" and {len(text) - MONTHS_SHOWN} more" if len(text) > MONTHS_SHOWN else ""
    return ", ".join(text[:MONTHS_SHOWN]) + more


def known_reps_once(ctx: Context, name: str, key: list[str]) -> None:
    """Rows naming a rep_id that reps.csv lacks, and rows repeating the same ``key``.

    Parameters
    ----------
    ctx : Context
        Holds the table ``name`` and ``reps``; findings are added to it.
    name : str
        The table checked (``history``, ``commitments``).
    key : list of str
        Columns that identify a row (the last is named separately).
    """
    table, reps = ctx.tables[name], ctx.tables["reps"]
    rid = table["rep_id"]
    unknown = (rid.notna() & ~rid.isin(reps["rep_id"])).to_numpy()
    if unknown.any():
        first = str(rid[unknown].iloc[0])
        ctx.add(ERROR, "unknown_rep", name, unknown, "rep_id",
                f"unknown rep {_examples(rid, unknown)}{did_you_mean(first, reps['rep_id'].astype(str))}; "
                "must be a rep_id of reps.csv")
    dup = table.duplicated(key, keep=False).to_numpy()
    if dup.any():
        ctx.add(ERROR, "duplicate_row", name, dup, None,
                f"the same {', '.join(key[:-1])} and {key[-1]} appear more than once; add them up into one row")


def _examples(values: pd.Series, mask) -> str:
    vals = pd.Series(values)[np.asarray(mask, dtype=bool)].head(3).tolist()
    return ", ".join(repr(str(v)) for v in vals)


def _accounts(ctx: Context) -> None:
    acc, reps = ctx.tables["accounts"], ctx.tables["reps"]
    cur = acc["current_rep_id"]
    has = cur.notna().to_numpy()
    known = cur.isin(reps["rep_id"]).to_numpy()
    unknown = has & ~known
    if unknown.any():
        first = str(cur[unknown].iloc[0])
        ctx.add(ERROR, "unknown_rep", "accounts", unknown, "current_rep_id",
                f"unknown rep {_examples(cur, unknown)}{did_you_mean(first, reps['rep_id'].astype(str))}; "
                "must be a rep_id of reps.csv")
    status = cur.map(reps.set_index("rep_id")["status"]).fillna("").to_numpy(dtype=object)
    gone = has & known & (status == "left")
    if gone.any():
        ctx.add(ERROR, "rep_left", "accounts", gone, "current_rep_id",
                f"rep {_examples(cur, gone)} has left; give the account to an active rep or leave it empty")


def _reps(ctx: Context) -> None:
    reps = ctx.tables["reps"]
    end = reps["end_date"]
    before = (end.notna() & (end < reps["hire_date"])).to_numpy()
    if before.any():
        ctx.add(ERROR, "end_before_hire", "reps", before, "end_date", "before hire_date")
    left = (reps["status"] == "left").to_numpy() & end.isna().to_numpy()
    if left.any():
        ctx.add(ERROR, "left_without_end", "reps", left, "end_date",
                "empty for a rep with status 'left'; give the last working day")


def _history(ctx: Context) -> None:
    hist = ctx.tables["history"]
    before = len(ctx.findings)
    known_reps_once(ctx, "history", ["month", "rep_id", "product_line"])
    if len(ctx.findings) > before:
        return
    months = pd.period_range(hist["month"].min(), hist["month"].max(), freq="M")
    absent = months.difference(pd.PeriodIndex(hist["month"].unique()))
    if len(absent):
        ctx.add(ERROR, "history_gap", "history", None, "month",
                f"no rows at all for month{'s' if len(absent) > 1 else ''} {month_ranges(absent)}; history must be "
                "monthly without gaps")
    if len(months) < MONTHS:
        ctx.add(ERROR, "history_short", "history", None, "month",
                f"{len(months)} months of history; at least 12 are needed (24-36 recommended) to measure "
                "seasonality and last year")
    # per rep: months between a rep's first and last row must all be present
    ords = hist["month"].array.asi8
    per = pd.DataFrame({"rep_id": hist["rep_id"].astype(str), "o": ords}).drop_duplicates()
    span = per.groupby("rep_id")["o"].agg(["min", "max", "count"])
    gone = set(absent.asi8)  # months nobody has are reported once, above
    for rep_id, row in span[span["max"] - span["min"] + 1 != span["count"]].iterrows():
        have = set(per.loc[per["rep_id"] == rep_id, "o"])
        miss = [period(o) for o in range(row["min"], row["max"] + 1) if o not in have and o not in gone]
        if not miss:
            continue
        ctx.add(ERROR, "rep_history_gap", "history", None, "month",
                f"rep {rep_id} has no rows for {month_ranges(miss)} between {period(row['min'])} "
                f"and {period(row['max'])}; history must be monthly without gaps "
                "(a month without sales is a row of zeros)")


def _product_lines(ctx: Context) -> None:
    """A rep's product_line and the product_lines an account buys must be product lines of the history."""
    from salesplan.accounts import split_lines

    lines = sorted(ctx.tables["history"]["product_line"].astype(str).unique())
    valid = f"valid: {', '.join(lines)} (empty: every line)"
    reps = ctx.tables["reps"]
    if "product_line" in reps:
        own = reps["product_line"].astype("string").str.strip().fillna("")
        bad = ((own != "") & ~own.isin(lines)).to_numpy()
        if bad.any():
            first = str(own[bad].iloc[0])
            ctx.add(ERROR, "unknown_product_line", "reps", bad, "product_line",
                    f"{_examples(own, bad)} is not a product line of history.csv{did_you_mean(first, lines)}; {valid}")
    acc = ctx.tables.get("accounts")
    if acc is not None and "product_lines" in acc:
        named = acc["product_lines"].astype("string").fillna("").map(split_lines)
        wrong = named.map(lambda xs: [x for x in xs if x not in lines])
        bad = (wrong.map(len) > 0).to_numpy()
        if bad.any():
            first = wrong[bad].iloc[0][0]
            ctx.add(ERROR, "unknown_product_line", "accounts", bad, "product_lines",
                    f"'{first}' is not a product line of history.csv{did_you_mean(first, lines)}; {valid}, several "
                    "separated by ';'")


def table_errors(ctx: Context) -> None:
    """Errors between the tables: unknown or departed reps, dates, history gaps and duplicates.

    Parameters
    ----------
    ctx : Context
        The typed tables that passed their column checks (a table that did
        not is left out, and so are the checks that need it); findings are
        added to it.
    """
    t = ctx.tables
    if "reps" not in t:
        return
    _reps(ctx)
    if "accounts" in t:
        _accounts(ctx)
    if "history" in t:
        _history(ctx)
        _product_lines(ctx)
    if "commitments" in t:
        known_reps_once(ctx, "commitments", ["rep_id", "metric"])


def assumption_errors(ctx: Context) -> None:
    """Errors of the assumptions against the tables: the plan year against the history, unknown product lines.

    Parameters
    ----------
    ctx : Context
        Typed, consistent tables and their assumptions; findings are added.
    """
    a, hist = ctx.assumptions, ctx.tables["history"]
    year = a.plan_year
    got = last_year(hist, year)["month"].nunique()
    if got < MONTHS:
        end = hist["month"].max()
        hint = (f"; did you mean plan_year: {end.year + 1}?" if end.month == 12 and end.year + 1 != year else
                f"; the history must run to {year - 1}-12")
        ctx.add_key(ERROR, "history_coverage", "plan_year",
                    f"plan year {year} needs the 12 months of {year - 1} in history.csv, which has {got} "
                    f"(history {hist['month'].min()}..{end}){hint}")
    lines = sorted(hist["product_line"].astype(str).unique())
    for setting in ("product_line_growth", "gross_margin"):
        for key in getattr(a.targets, setting, {}):
            if key not in lines:
                ctx.add_key(ERROR, "unknown_product_line", f"targets.{setting}.{key}",
                            f"'{key}' is not a product line of history.csv{did_you_mean(key, lines)}; "
                            f"valid: {', '.join(lines)}")
