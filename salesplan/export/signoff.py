"""The sign-off sheet: each rep's annual target per metric, and room to commit, agree and sign.

One row per rep and metric: who (id, name, role, team, region), the
metric, the annual target (locked), then the cells a rep or their
supervisor fills in -- the commitment, ``Agreed`` (a Yes/No list), who
signed and the date -- and the gap between commitment and target (a
formula).  The sheet is protected without a password: the target cells
cannot be typed over by accident, the input cells are unlocked.
:func:`salesplan.export.read_signoff` reads the filled-in rows back (the
table is the workbook's defined name ``salesplan_signoff``), and
``salesplan signoff WORKBOOK --to DIR`` turns them into the company's
``commitments.csv`` for the next planning round.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from salesplan.export.names import define_range
from salesplan.export.quota import QUOTA_KEYS, metric_kind, plan_metrics
from salesplan.export.style import LOCKED_FILL, column_width

__all__ = ["build", "signoff_rows", "commitments_from_signoff", "write_commitments", "SIGNOFF_COLUMNS"]

#: Columns of the sign-off table, in order (the last, the metric's key, is hidden).
SIGNOFF_COLUMNS = QUOTA_KEYS + ["metric", "target", "commitment", "gap", "agreed", "signed_by", "date", "metric_key"]
TOP = 3
_INPUTS = ("commitment", "agreed", "signed_by", "date")


def signoff_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per rep and metric with the annual target, ordered by region, team, rep and metric.

    Parameters
    ----------
    table : pandas.DataFrame
        Long target table.

    Returns
    -------
    pandas.DataFrame
        ``rep_id, name, role, team, region, metric, target`` (currency or
        count a year).
    """
    order = {m: i for i, m in enumerate(plan_metrics(table))}
    annual = table.groupby(QUOTA_KEYS + ["metric"], observed=True, sort=False)["target"].sum().reset_index()
    annual["order"] = annual["metric"].map(order)
    annual = annual.sort_values(["region", "team", "rep_id", "order"], kind="stable")
    return annual.drop(columns="order").reset_index(drop=True)


def _formats(book):
    style = book.style
    locked = {"bg_color": LOCKED_FILL, "border": 1, "border_color": "#BFBFBF"}
    unlocked = {"locked": False, "border": 1, "border_color": "#7F7F7F"}
    return {
        "text": style.fmt("text", **locked),
        "money": style.fmt("money", **locked), "count": style.fmt("count", **locked),
        "in_money": style.fmt("money", **unlocked), "in_count": style.fmt("count", **unlocked),
        "in_text": style.fmt("text", **unlocked), "in_date": style.fmt("date", **unlocked),
    }


def _validations(book, ws, first: int, last: int, col: dict[str, int]) -> None:
    t, year = book.t, book.plan.year
    c = col["commitment"]
    ws.data_validation(first, c, last, c, {
        "validate": "decimal", "criteria": ">=", "value": 0,
        "input_title": t.column("commitment"), "input_message": t.text("commitment_prompt")})
    c = col["agreed"]
    ws.data_validation(first, c, last, c, {
        "validate": "list", "source": [t.text("yes"), t.text("no")],
        "input_title": t.column("agreed"), "input_message": t.text("agreed_prompt")})
    c = col["date"]
    ws.data_validation(first, c, last, c, {
        "validate": "date", "criteria": "between", "minimum": dt.date(year - 1, 1, 1),
        "maximum": dt.date(year, 12, 31), "input_title": t.column("date"), "input_message": t.text("date_prompt")})


def build(book) -> None:
    """The sign-off sheet, protected, with its input cells unlocked and validated.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    t = book.t
    rows = signoff_rows(book.plan.targets.table)
    ws = book.add_sheet("signoff")
    book.heading(ws, t.sheet("signoff", "title", year=book.plan.year))
    ws.write_string(2, 0, t.text("signoff_help"), book.style.fmt("text", italic=True))
    f = _formats(book)
    col = {name: j for j, name in enumerate(SIGNOFF_COLUMNS)}
    for name, j in col.items():
        ws.write_string(TOP, j, t.column(name), book.style.header())
    first, last = TOP + 1, TOP + len(rows)
    shown = {k: [] for k in SIGNOFF_COLUMNS}
    for i, row in enumerate(rows.itertuples(index=False)):
        r = first + i
        kind = metric_kind(row.metric)
        cells = [row.rep_id, row.name, t.role(row.role), row.team, row.region, t.metric(row.metric)]
        for j, v in enumerate(cells):
            ws.write_string(r, j, str(v), f["text"])
            shown[SIGNOFF_COLUMNS[j]].append(v)
        ws.write_number(r, col["target"], float(row.target), f[kind])
        ws.write_blank(r, col["commitment"], None, f[f"in_{kind}"])
        target, commit = xl_rowcol_to_cell(r, col["target"]), xl_rowcol_to_cell(r, col["commitment"])
        ws.write_formula(r, col["gap"], f'=IF(ISNUMBER({commit}),{commit}-{target},"")', f[kind], "")
        ws.write_blank(r, col["agreed"], None, f["in_text"])
        ws.write_blank(r, col["signed_by"], None, f["in_text"])
        ws.write_blank(r, col["date"], None, f["in_date"])
        ws.write_string(r, col["metric_key"], str(row.metric))
    _validations(book, ws, first, max(last, first), col)
    for name, j in col.items():
        values = shown.get(name) or []
        width = column_width(t.column(name), values) if values else {"target": 14, "commitment": 14, "gap": 12,
                                                                     "agreed": 10, "signed_by": 16, "date": 12}.get(name, 10)
        ws.set_column(j, j, width, None, {"hidden": name == "metric_key"})
    ws.autofilter(TOP, 0, max(last, TOP), col["date"])
    ws.freeze_panes(first, 2)
    ws.protect("", {"autofilter": True, "format_columns": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})
    define_range(book, "salesplan_signoff", book.sheets[-1].name, first, 0, max(last, first), len(SIGNOFF_COLUMNS) - 1)
    book.print_setup(ws, header_rows=(TOP, TOP), name_columns=(0, 1), area=(0, 0, max(last, TOP), col["date"]))


def commitments_from_signoff(rows: pd.DataFrame) -> pd.DataFrame:
    """The commitments a filled-in sign-off sheet makes, as ``commitments.csv`` holds them.

    A row with a commitment commits to it; a row agreed (Yes) without one
    commits to its target; other rows (still open, or refused without a
    figure) commit to nothing.

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`salesplan.export.read_signoff` output.

    Returns
    -------
    pandas.DataFrame
        ``rep_id, metric, commitment`` (currency or count a year).
    """
    given = rows["commitment"].notna()
    agreed = rows["agreed"].fillna(False).astype(bool) & ~given
    out = rows.loc[given | agreed, ["rep_id", "metric"]].copy()
    out["commitment"] = rows["commitment"].where(given, rows["target"])[given | agreed]
    return out.reset_index(drop=True)


def write_commitments(rows: pd.DataFrame, folder) -> tuple[Path, dict[str, int]]:
    """Write the commitments of a sign-off to ``folder/commitments.csv`` (atomically, UTF-8 that Excel opens).

    Parameters
    ----------
    rows : pandas.DataFrame
        :func:`salesplan.export.read_signoff` output.
    folder : str or Path
        The company folder of the next planning round.

    Returns
    -------
    path : pathlib.Path
        The file written.
    counts : dict of str to int
        ``n`` commitments written, ``reps`` committing, ``agreed`` rows
        agreed, ``open`` rows neither committed nor agreed.

    Raises
    ------
    InputError
        ``folder`` is not a folder.
    """
    from pathlib import Path

    from salesplan.errors import InputError
    from salesplan.export.files import atomic_write

    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"--to {folder}", ["not a folder; give the company folder of the next planning round"])
    com = commitments_from_signoff(rows)
    text = com.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    path = atomic_write(folder / "commitments.csv", text.encode("utf-8-sig"))
    agreed = int(rows["agreed"].fillna(False).astype(bool).sum())
    counts = {"n": len(com), "reps": int(com["rep_id"].nunique()), "agreed": agreed,
              "open": int(len(rows) - len(com))}
    return path, counts
