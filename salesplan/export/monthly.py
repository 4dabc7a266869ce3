"""Month tables: entity rows x months, then Q1-Q4 and the year, with live subtotals.

The rows of entities (reps, product lines) form one block under the filter,
so sorting and filtering move whole rows and nothing else.  Quarters and
the year of each row are ``SUM`` formulas of its months.  Below the block,
outside the filter, each group (a team, a region) gets a ``SUMIFS`` row
that looks its members up by their key cells, so it stays right however
the block is sorted; the grand total is a ``SUBTOTAL`` of the rows shown;
and, where the plan's own figures are given, a plan row, a difference row
and a check cell show that the formulas agree with the plan.  Every
formula is written with its value, so a viewer that does not calculate
shows the right figures too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from salesplan.export.style import HEAD_FILL, TOTAL_FILL, column_width, text_width
from salesplan.export.tables import cell_value

__all__ = ["MonthTable", "write_month_table", "QUARTERS"]

#: Month indices (0-based) of each quarter.
QUARTERS = ((0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11))


@dataclass(frozen=True)
class MonthTable:
    """Where a month table was written (0-based rows and columns).

    Attributes
    ----------
    first, last : int
        First and last row of the entity block (``last < first`` when empty).
    month_col : int
        Column of January; Q1..Q4 follow December, then the year.
    plan_row, diff_row : int or None
        Row of the plan's figures and of the difference to them.
    end : int
        Last row written.
    last_col : int
        Column of the year.
    """

    first: int
    last: int
    month_col: int
    plan_row: int | None
    diff_row: int | None
    end: int
    last_col: int


def _with_quarters(values: np.ndarray) -> np.ndarray:
    """(n, 12) months -> (n, 17): months, four quarters, year."""
    q = np.stack([values[:, list(m)].sum(axis=1) for m in QUARTERS], axis=1)
    return np.hstack([values, q, values.sum(axis=1, keepdims=True)])


def _sum_formulas(book, ws, r: int, c0: int, values: np.ndarray, fmt) -> None:
    """Quarter and year cells of row ``r``: SUM of its months, with their values."""
    for k, months in enumerate(QUARTERS):
        a, b = xl_rowcol_to_cell(r, c0 + months[0]), xl_rowcol_to_cell(r, c0 + months[-1])
        ws.write_formula(r, c0 + 12 + k, f"=SUM({a}:{b})", fmt, float(values[12 + k]))
    a, b = xl_rowcol_to_cell(r, c0), xl_rowcol_to_cell(r, c0 + 11)
    ws.write_formula(r, c0 + 16, f"=SUM({a}:{b})", fmt, float(values[16]))


def _header(book, ws, top: int, keys: Sequence[str], c0: int) -> None:
    t, head, num = book.t, book.style.header(), book.style.header(numeric=True)
    for j, k in enumerate(keys):
        ws.write_string(top, j, t.column(k), head)
    for m in range(12):
        ws.write_string(top, c0 + m, t.month(m + 1), num)
    for q in range(4):
        ws.write_string(top, c0 + 12 + q, t.quarter(q + 1), num)
    ws.write_string(top, c0 + 16, t.column("fy"), num)


def _group_rows(keys: pd.DataFrame, values: np.ndarray, groups: Sequence[Sequence[str]]):
    """(key values, month sums, a member row) of every group, each coarser group after its finer ones."""
    rows = []
    for level, cols in enumerate(groups):
        frame = keys[list(cols)].astype(str)
        codes = frame.apply(tuple, axis=1)
        for combo, idx in codes.groupby(codes, sort=False).groups.items():
            members = keys.index.get_indexer(idx)
            coarse = combo[:len(groups[-1])]
            rows.append((coarse, level, dict(zip(cols, keys.iloc[members[0]][list(cols)])),
                         values[members].sum(axis=0), int(members[0])))
    order = {c: i for i, c in enumerate(dict.fromkeys(r[0] for r in rows))}
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    return [r[2:] for r in rows]


def _criterion(value: str) -> str:
    """A SUMIFS criterion matching ``value`` exactly (quotes doubled, wildcards escaped)."""
    text = str(value).replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return f'"={text}"'


def write_month_table(book, ws, *, top: int, keys: pd.DataFrame, values: np.ndarray, row_kind: Sequence[str],
                      groups: Sequence[Sequence[str]] = (), label: str | None = None, total: bool = True,
                      plan: np.ndarray | None = None, check_cell: tuple[int, int] | None = None) -> MonthTable:
    """Write entity rows x (12 months, Q1-Q4, year) with live subtotals below them.

    Parameters
    ----------
    book : Book
    ws : xlsxwriter.worksheet.Worksheet
    top : int
        Row of the header.
    keys : pandas.DataFrame
        Key columns of each row (rep id, name, role, team, region ...), raw
        values (roles and metrics are put in words here).
    values : numpy.ndarray, shape (n, 12)
        Month figures (currency or counts).
    row_kind : sequence of str
        ``money`` or ``count`` per row.
    groups : sequence of sequence of str
        Key columns of each subtotal level, finest first
        (``[("region", "team"), ("region",)]``).
    label : str, optional
        Key column that names a subtotal row (default: the first).
    total : bool
        A grand-total row (``SUBTOTAL`` of the rows shown).
    plan : numpy.ndarray, shape (12,), optional
        The plan's month figures: adds a plan row, a difference row and,
        at ``check_cell``, a cell saying whether they agree.
    check_cell : tuple of int, optional
        (row, column) of the check cell.

    Returns
    -------
    MonthTable
    """
    t, style = book.t, book.style
    names = list(keys.columns)
    label = label or names[0]
    c0, n = len(names), len(keys)
    first, last = top + 1, top + n
    full = _with_quarters(np.asarray(values, dtype=float).reshape(n, 12))
    _header(book, ws, top, names, c0)
    key_kinds = {k: t.kind(k) or "text" for k in names}
    cells = {k: [cell_value(v, key_kinds[k], t) for v in keys[k].tolist()] for k in names}
    for i in range(n):
        r = first + i
        for j, k in enumerate(names):
            if cells[k][i] is not None:
                ws.write_string(r, j, str(cells[k][i]), style.fmt("text"))
        fmt = style.fmt(row_kind[i])
        for m in range(12):
            ws.write_number(r, c0 + m, float(full[i, m]), fmt)
        _sum_formulas(book, ws, r, c0, full[i], fmt)
    ws.autofilter(top, 0, max(last, top), c0 + 16)
    r = last + 2
    if n:
        for group, vals, member in _group_rows(keys, full[:, :12], groups):
            _write_group(book, ws, r, group, names, label, c0, (first, last), cells, member,
                         _with_quarters(vals[None, :])[0], row_kind[member])
            r += 1
    if total and n:
        _write_total(book, ws, r, label, c0, first, last, full.sum(axis=0), row_kind[0])
        r += 1
    plan_row = diff_row = None
    if plan is not None and n:
        plan_row, diff_row = r, r + 1
        _write_plan(book, ws, plan_row, label, c0, first, last, full, _with_quarters(np.asarray(plan, float)[None, :])[0],
                    row_kind[0], check_cell)
        r += 2
    for j, k in enumerate(names):
        ws.set_column(j, j, column_width(t.column(k), cells[k] + [t.text("visible_total")] if j == names.index(label)
                                         else cells[k]))
    du = book.plan.assumptions.display_unit if "money" in row_kind else 1
    big = np.abs(np.vstack([full, full.sum(axis=0, keepdims=True)])).max(axis=0) / du
    for k, b in enumerate(big):
        digits = len(f"{b:,.0f}") if du != 10000 else len(f"{b:.1f}")
        head = text_width(t.quarter(k - 11)) if 12 <= k < 16 else 4
        ws.set_column(c0 + k, c0 + k, max(digits + 2, head + 2, 7))
    return MonthTable(first, last, c0, plan_row, diff_row, r - 1, c0 + 16)


def _write_group(book, ws, r, group, names, label, c0, rows, cells, member, vals, kind) -> None:
    """A subtotal row: SUMIFS over the block, selecting the group's members by their key values."""
    style, t = book.style, book.t
    first, last = rows
    text = style.fmt("text", bold=True, bg_color=TOTAL_FILL)
    fmt = style.fmt(kind, bold=True, bg_color=TOTAL_FILL)
    shown = {k: str(cells[k][member]) for k in group}
    for j, k in enumerate(names):
        ws.write_string(r, j, shown.get(k, ""), text)
    if len(group) == 1:
        ws.write_string(r, names.index(label), t.text("region_total", region=next(iter(shown.values()))), text)
    elif label not in group:
        ws.write_string(r, names.index(label), t.column("subtotal"), text)
    crit = ",".join(f"${xl_col_to_name(names.index(k))}${first + 1}:${xl_col_to_name(names.index(k))}${last + 1},"
                    f"{_criterion(shown[k])}" for k in group)
    for m in range(12):
        col = xl_col_to_name(c0 + m)
        ws.write_formula(r, c0 + m, f"=SUMIFS({col}${first + 1}:{col}${last + 1},{crit})", fmt, float(vals[m]))
    _sum_formulas(book, ws, r, c0, vals, fmt)


def _write_total(book, ws, r, label, c0, first, last, vals, kind) -> None:
    """The grand total: SUBTOTAL(9, ...) of each month over the rows the filter shows."""
    style = book.style
    text = style.fmt("text", bold=True, top=1, bottom=6, bg_color=HEAD_FILL)
    fmt = style.fmt(kind, bold=True, top=1, bottom=6, bg_color=HEAD_FILL)
    for j in range(c0):
        ws.write_blank(r, j, None, text)
    ws.write_string(r, 0, book.t.text("visible_total"), text)
    for m in range(12):
        a, b = xl_rowcol_to_cell(first, c0 + m), xl_rowcol_to_cell(last, c0 + m)
        ws.write_formula(r, c0 + m, f"=SUBTOTAL(9,{a}:{b})", fmt, float(vals[m]))
    _sum_formulas(book, ws, r, c0, vals, fmt)


def _write_plan(book, ws, r, label, c0, first, last, full, plan, kind, check_cell) -> None:
    """Plan row (the plan's figures), difference row (SUM of the block less the plan) and the check cell."""
    style, t = book.style, book.t
    italic = style.fmt("text", italic=True)
    ws.write_string(r, 0, t.text("plan_row"), italic)
    ws.write_string(r + 1, 0, t.text("difference"), italic)
    fmt = style.fmt(kind, italic=True)
    diff = full.sum(axis=0) - plan
    for k in range(17):
        ws.write_number(r, c0 + k, float(plan[k]), fmt)
        a, b = xl_rowcol_to_cell(first, c0 + k), xl_rowcol_to_cell(last, c0 + k)
        ws.write_formula(r + 1, c0 + k, f"=SUM({a}:{b})-{xl_rowcol_to_cell(r, c0 + k)}", fmt, float(diff[k]))
    if check_cell is None:
        return
    span = f"{xl_rowcol_to_cell(r + 1, c0)}:{xl_rowcol_to_cell(r + 1, c0 + 16)}"
    ok, bad = t.text("check_ok"), t.text("check_bad")
    agree = bool(np.abs(diff).sum() < 0.5)
    cr, cc = check_cell
    ws.write_formula(cr, cc, f'=IF(SUMPRODUCT(ABS({span}))<0.5,"{ok}","{bad}")', style.fmt("text", bold=True),
                     ok if agree else bad)
    green = book.workbook.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"})
    red = book.workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    ws.conditional_format(cr, cc, cr, cc, {"type": "formula", "criteria": f"=SUMPRODUCT(ABS({span}))<0.5",
                                           "format": green})
    ws.conditional_format(cr, cc, cr, cc, {"type": "formula", "criteria": f"=SUMPRODUCT(ABS({span}))>=0.5",
                                           "format": red})
