"""The plan year's closed months: read and check ``actuals.csv``.

``actuals.csv`` (optional, in the company folder) has the columns of
``history.csv`` (:data:`~salesplan.schema.HISTORY`) and holds the results of
the plan year's closed months, one row per month x rep x product line.  As in
the history, a rep has a row in every month they are on the payroll (zeros
allowed) and none outside it, so a rep whose rows stop has left and an open
requisition whose rows have not started is not filled yet.

:func:`check_actuals` reports every problem of the file at once, each naming
the line and column and saying what is valid: the history's column checks,
months outside the plan year, a month missing company-wide or inside a rep's
rows, an unknown rep, a repeated month x rep x product line, and rows after
the last day of a rep who left.  Doubtful rows are warnings
(:class:`~salesplan.errors.Finding`): rows before a rep's hire date, a
region or team other than the rep's, results of staff who carry no target,
empty cells of the optional columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.errors import WARNING, Finding, InputError
from salesplan.inputs import _known_reps_once, _lines, validate_table
from salesplan.schema import HISTORY, SALES_ROLES

__all__ = ["check_actuals", "ACTUALS_FILE", "ACTUAL_METRICS"]

#: File name of the actuals in a company folder.
ACTUALS_FILE = "actuals.csv"
#: Result columns of the actuals, in the order the review shows them.
ACTUAL_METRICS = ("revenue", "collections", "new_customers", "new_outlets", "gross_profit")


def check_actuals(raw: pd.DataFrame, reps: pd.DataFrame, year: int, *,
                  source: str = ACTUALS_FILE) -> tuple[pd.DataFrame, list[Finding]]:
    """Validate the actuals of the plan year's closed months and convert their types.

    Parameters
    ----------
    raw : pandas.DataFrame
        ``actuals.csv`` with every cell as text (``""`` for empty), in file
        order.
    reps : pandas.DataFrame
        The validated staff table (``rep_id, role, team, region, status,
        hire_date, end_date``).
    year : int
        The plan year (``assumptions.plan_year``).
    source : str
        File named in errors and warnings.

    Returns
    -------
    actuals : pandas.DataFrame
        Typed table with the columns of ``history.csv`` (``month`` a monthly
        ``Period``; money in currency, counts as counts), sorted by month, rep
        and product line.
    findings : list of Finding
        Warnings about rows that look wrong but do not stop a review.

    Raises
    ------
    InputError
        Every problem found, each naming the line(s) and column and what is
        valid.
    """
    table, problems = validate_table(raw, HISTORY)
    if problems:
        raise InputError(source, problems)
    problems = _known_reps_once(table, reps, ["month", "rep_id", "product_line"])
    problems += _month_problems(table, year)
    if not problems:
        problems += _after_leaving(table, reps)
    if problems:
        raise InputError(source, problems)
    findings = _warnings(table, reps, source)
    table = table.sort_values(["month", "rep_id", "product_line"], kind="stable").reset_index(drop=True)
    return table, findings


def _month_problems(table: pd.DataFrame, year: int) -> list[str]:
    """Months outside the plan year, months missing company-wide, gaps inside a rep's rows."""
    month = table["month"]
    other = (month.dt.year != year).to_numpy()
    if other.any():
        shown = ", ".join(repr(m) for m in sorted(map(str, month[other].unique()))[:3])
        return [f"{_lines(other)}, column 'month': {shown} is not in the plan year {year} (assumptions "
                "plan_year); actuals.csv holds the plan year's closed months only"]
    if table.empty:
        return []
    problems = []
    closed = pd.period_range(f"{year}-01", month.max(), freq="M")
    absent = closed.difference(pd.PeriodIndex(month.unique()))
    if len(absent):
        problems.append(f"no rows at all for {', '.join(map(str, absent[:6]))}; actuals must cover every "
                        f"closed month from {year}-01 to the last one ({month.max()}) without gaps")
    ordinal = month.array.asi8
    span = pd.DataFrame({"rep_id": table["rep_id"], "m": ordinal}).groupby("rep_id")["m"].agg(
        ["min", "max", "nunique"])
    gappy = span[span["max"] - span["min"] + 1 != span["nunique"]]
    for rep_id, row in gappy.head(5).iterrows():
        have = set(ordinal[(table["rep_id"] == rep_id).to_numpy()])
        miss = [str(pd.Period(ordinal=m, freq="M")) for m in range(row["min"], row["max"] + 1) if m not in have]
        problems.append(f"rep {rep_id} has no rows for {', '.join(miss[:6])} between its first and last month; "
                        "a rep on the payroll has a row every month (zeros allowed)")
    return problems


def _after_leaving(table: pd.DataFrame, reps: pd.DataFrame) -> list[str]:
    """Rows after the last day (``end_date``) of a rep."""
    end = table["rep_id"].map(reps.set_index("rep_id")["end_date"])
    last = pd.PeriodIndex(pd.DatetimeIndex(end), freq="M")
    after = (end.notna().to_numpy() & (table["month"].array.asi8 > last.asi8))
    if not after.any():
        return []
    who = table.loc[after, "rep_id"].iloc[0]
    day = pd.Timestamp(end[after].iloc[0]).date()
    return [f"{_lines(after)}, column 'month': rep {who} left on {day} (reps.csv end_date); a rep who left "
            "has no actuals after their last day"]


def _warnings(table: pd.DataFrame, reps: pd.DataFrame, source: str) -> list[Finding]:
    """Rows that look wrong but can be reviewed: before the hire date, another region or team,
    staff without a target, empty optional cells."""
    out = []
    info = reps.set_index("rep_id")
    line = pd.Series(np.arange(len(table)) + 2, index=table.index)
    hire = pd.PeriodIndex(pd.DatetimeIndex(table["rep_id"].map(info["hire_date"])), freq="M")
    early = table["month"].array.asi8 < hire.asi8
    for rep_id, rows in table[early].groupby("rep_id", sort=True):
        out.append(Finding(WARNING, "actuals_before_start", source,
                           f"rep {rep_id} has actuals from {rows['month'].min()}, before their hire_date "
                           f"{info.at[rep_id, 'hire_date'].date()} in reps.csv; they count as on the payroll "
                           "from their first row", line=int(line[rows.index[0]]), column="month"))
    for col in ("region", "team"):
        moved = (table[col] != table["rep_id"].map(info[col])).to_numpy()
        for rep_id, rows in table[moved].groupby("rep_id", sort=True):
            out.append(Finding(WARNING, "actuals_region_team", source,
                               f"rep {rep_id} has {col} {rows[col].iloc[0]!r} here but {info.at[rep_id, col]!r} in "
                               f"reps.csv; their results count for {rows[col].iloc[0]!r}, their targets for "
                               f"{info.at[rep_id, col]!r}", line=int(line[rows.index[0]]), column=col))
    no_target = ~table["rep_id"].map(info["role"]).isin(SALES_ROLES).to_numpy()
    for rep_id, rows in table[no_target].groupby("rep_id", sort=True):
        out.append(Finding(WARNING, "actuals_no_target", source,
                           f"{rep_id} ({info.at[rep_id, 'role']}) carries no target; their results count in the "
                           "company, region, team and product line figures only", line=int(line[rows.index[0]]),
                           column="rep_id"))
    for col in ("new_outlets", "gross_profit"):
        empty = table[col].isna().to_numpy()
        if empty.any() and not empty.all():
            out.append(Finding(WARNING, "actuals_empty_cells", source,
                               f"{_lines(empty)}: column '{col}' is empty in {int(empty.sum())} of {len(table)} rows; "
                               "they count as 0", line=int(np.flatnonzero(empty)[0]) + 2, column=col))
    return out
