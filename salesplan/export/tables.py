"""Typed tables: the parts' frames, the assumptions, the extras and the long data sheets.

:func:`write_table` writes a DataFrame as a table whose headers are words a
manager reads (``Attainment (median)``, not ``attainment_p50``) and whose
cells are numbers formatted by kind, role labels spelled out, choices in
words and months as ``Jan`` / ``1月``.  The builders put each table on its
own sheet with a title, a filter and frozen panes where they help, and the
page setup of a printable sheet.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from salesplan.export.style import ROW_PT, column_width, printed_pages, wrapped_lines
from salesplan.i18n import Texts, catalogue

__all__ = ["write_table", "table_sheet", "build_assumptions", "build_commitments", "build_parts", "build_extras",
           "build_long_data", "assumption_rows", "FRAME_SHEETS", "SHEET_OPTIONS", "TOP"]

#: Row of a table sheet's header (title, subtitle and a blank row above it).
TOP = 3
#: Sheet kind of each frame a part's ``to_frames()`` gives (others keep their own name).
FRAME_SHEETS = {
    "Commitments gap": "commitments_gap", "Territories": "territories", "Territory metrics": "territory_metrics",
    "Territory accounts": "territory_accounts", "Staffing": "staffing", "Capacity": "capacity",
    "Hiring plan": "hiring", "Org structure": "org", "Cost": "cost", "Headcount": "headcount",
    "Odds by month": "odds_month", "Odds by quarter": "odds_quarter", "Visit capacity": "visit_capacity",
    "Hand-over": "handover", "Stand-ins": "stand_ins", "Hand-over accounts": "handover_accounts",
}
_LONG = {"Territory accounts", "Hand-over accounts"}  # long lists: hidden, last, not printed
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Options of :func:`write_table` by sheet kind: long text wrapped, months across as decimals.
SHEET_OPTIONS = {"staffing": {"wrap": {"basis": 64}}, "org": {"wrap": {"basis": 48}},
                 "visit_capacity": {"kinds": dict.fromkeys(_MONTHS, "decimal")},
                 "stand_ins": {"kinds": dict.fromkeys(_MONTHS, "decimal")}}
_TEXT_KINDS = ("text", "role", "metric", "choice", "bool", "quarter")
_CENTRED = ("bool", "rank")  # Yes / No and ranks: centred, clear of the numbers and names beside them


# ---------------------------------------------------------------------------
# cells
# ---------------------------------------------------------------------------
def _blank(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _kind_of(series: pd.Series, name: str, t: Texts) -> str:
    kind = t.kind(name)
    if kind == "money" and pd.api.types.is_integer_dtype(series):
        return "count"  # a gap in heads, not in money
    if kind is not None:
        return kind
    if isinstance(series.dtype, pd.PeriodDtype):
        return "month"
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    if pd.api.types.is_numeric_dtype(series):
        vals = series.to_numpy(dtype=float, na_value=np.nan)
        integral = np.all(np.isnan(vals) | (np.abs(vals - np.round(vals)) < 1e-9))
        return "count" if integral else "decimal"
    return "text"


def cell_value(v: Any, kind: str, t: Texts) -> Any:
    """What to write for value ``v`` of ``kind``: a number, a date, a word, or None (blank).

    Parameters
    ----------
    v : object
        The frame's value.
    kind : str
        Kind of its column.
    t : Texts
        Words of the workbook's language.

    Returns
    -------
    float, datetime.datetime, str or None
    """
    if _blank(v):
        return None
    if kind in ("month", "date"):
        if isinstance(v, pd.Period):
            v = v.to_timestamp()
        if isinstance(v, (pd.Timestamp, dt.datetime)):
            return pd.Timestamp(v).to_pydatetime().replace(tzinfo=None)
        if isinstance(v, dt.date):
            return dt.datetime(v.year, v.month, v.day)
        return str(v)
    if kind == "bool" or isinstance(v, (bool, np.bool_)):
        return t.value(bool(v))
    if kind == "role":
        return t.role(v) if str(v) in catalogue()["roles"] else t.value(v)
    if kind == "metric":
        return t.metric(v)
    if kind == "choice":
        return t.value(v)
    if kind == "quarter":
        s = str(v)
        return t.quarter(int(s[1])) if len(s) == 2 and s[0] == "Q" and s[1] in "1234" else s
    if isinstance(v, (int, float, np.number)):
        return float(v)
    return str(v)


def _write(ws, r: int, c: int, v: Any, fmt) -> None:
    if v is None:
        return
    if isinstance(v, str):
        ws.write_string(r, c, v, fmt)
    elif isinstance(v, dt.datetime):
        ws.write_datetime(r, c, v, fmt)
    else:
        ws.write_number(r, c, v, fmt)


def _write_column(book, ws, first: int, j: int, series: pd.Series, kind: str, per_row: Sequence[str] | None,
                  props: Mapping[str, Any]) -> list:
    """Write one column's cells from row ``first`` with format properties ``props`` (alignment,
    wrapping); return the values written (None for blanks)."""
    t, style = book.t, book.style
    if per_row is None and kind not in _TEXT_KINDS + ("month", "date") and pd.api.types.is_numeric_dtype(series) \
            and not pd.api.types.is_bool_dtype(series):
        nums = series.to_numpy(dtype=float, na_value=np.nan)
        fmt = style.fmt(kind, **props)
        for i in np.flatnonzero(np.isfinite(nums)):
            ws.write_number(first + int(i), j, float(nums[i]), fmt)
        return [None if not np.isfinite(v) else float(v) for v in nums]
    raw = series.tolist()
    if per_row is None:
        seen: dict = {}
        values = []
        for v in raw:
            key = (type(v), v) if not _blank(v) else None
            if key not in seen:
                seen[key] = cell_value(v, kind, t)
            values.append(seen[key])
    else:
        values = [cell_value(v, k, t) for v, k in zip(raw, per_row)]
    year = book.plan.assumptions.plan_year
    other_year = kind == "month" and any(isinstance(v, dt.datetime) and v.year != year for v in values)
    base = style.fmt(kind, month_year=True, **props) if other_year else style.fmt(kind, **props)
    for i, v in enumerate(values):
        _write(ws, first + i, j, v, base if per_row is None else style.fmt(per_row[i], **props))
    return values


# ---------------------------------------------------------------------------
# a table
# ---------------------------------------------------------------------------
def write_table(book, ws, df: pd.DataFrame, *, top: int = TOP, kinds: Mapping[str, str] | None = None,
                row_kinds: Mapping[str, Sequence[str]] | None = None, headers: Mapping[str, str] | None = None,
                filters: bool | None = None, freeze: int | None = None, wrap: Mapping[str, float] | None = None
                ) -> int:
    """Write ``df`` with its header at row ``top``; return its last row.

    Parameters
    ----------
    book : Book
        The workbook (words and formats).
    ws : xlsxwriter.worksheet.Worksheet
    df : pandas.DataFrame
        The table (its index is not written).
    top : int
        Row of the header (0-based).
    kinds : mapping, optional
        Kind of a column (default: the catalogue's, else from its dtype).
    row_kinds : mapping of str to sequence, optional
        Kind of each row's cell of a column (money for revenue rows, count
        for new-customer rows; the value column of the assumptions).
    headers : mapping, optional
        Header of a column (default: the catalogue's label).
    filters : bool, optional
        Autofilter on the header (default: for 15 rows or more).
    freeze : int, optional
        Columns to freeze beside the frozen header (default: the text
        columns at the left of a wide, long table).
    wrap : mapping of str to float, optional
        Columns of long text, wrapped within the given width (characters);
        the other columns are fitted to their content.

    Returns
    -------
    int
        Last row written (``top`` when the table is empty).  The column
        widths (characters) and the heights of the header and body rows
        (points) are kept in ``book.memo["layout"][sheet name]`` for the page
        setup.
    """
    t, style = book.t, book.style
    kinds = dict(kinds or {})
    row_kinds = row_kinds or {}
    df = df.reset_index(drop=True)
    n = len(df)
    col_kinds = [kinds.get(c) or _kind_of(df[c], str(c), t) for c in df.columns]
    heights: dict[int, int] = {}
    head_lines = 1
    widths = []
    left = [k in _TEXT_KINDS and k not in _CENTRED and c not in row_kinds for c, k in zip(df.columns, col_kinds)]
    right = [k not in _TEXT_KINDS and c not in row_kinds for c, k in zip(df.columns, col_kinds)]
    for j, (col, kind) in enumerate(zip(df.columns, col_kinds)):
        head = (headers or {}).get(col) or t.column(str(col))
        ws.write_string(top, j, head, style.header(numeric=kind not in _TEXT_KINDS + ("month", "date"),
                                                   centre=kind in _CENTRED))
        props = {"valign": "top"} if wrap else {}  # a table with wrapped text: every cell at the top
        if kind in _CENTRED:
            props["align"] = "center"
        if col in (wrap or {}):
            props["text_wrap"] = True
        if j and left[j] and right[j - 1]:
            props["indent"] = 1  # text clear of the number at the right of the cell before
        values = _write_column(book, ws, top + 1, j, df[col], kind, row_kinds.get(col), props)
        width = (wrap or {}).get(col) or column_width(head, values, kind=kind) + ("indent" in props)
        ws.set_column(j, j, width)
        widths.append(width)
        head_lines = max(head_lines, wrapped_lines(head, width * 0.9))  # bold letters are wider
        if col in (wrap or {}):
            for i, v in enumerate(values):
                heights[i] = max(heights.get(i, 1), wrapped_lines(str(v or ""), wrap[col]))
    for i, lines in heights.items():
        if lines > 1:
            ws.set_row(top + 1 + i, 13.5 * lines)
    if head_lines > 1:
        ws.set_row(top, 13.5 * head_lines)
    rows = [13.5 * heights[i] if heights.get(i, 1) > 1 else ROW_PT for i in range(n)]
    book.memo.setdefault("layout", {})[ws.name] = (widths, max(13.5 * head_lines, ROW_PT), rows)
    text_cols = next((j for j, k in enumerate(col_kinds) if k not in _TEXT_KINDS), len(col_kinds))
    if filters if filters is not None else n >= 15 and text_cols > 0:
        ws.autofilter(top, 0, top + n, max(len(df.columns) - 1, 0))
    if freeze is None:
        freeze = min(text_cols, 2) if len(df.columns) > 8 else 0
    if n > 20 or freeze:
        ws.freeze_panes(top + 1, freeze)
    return top + n


def table_sheet(book, key: str, df: pd.DataFrame, *, name: str | None = None, printed: bool = True,
                title: str | None = None, **table) -> Any:
    """A sheet holding one table under a title, set up for printing.

    Parameters
    ----------
    book : Book
    key : str
        Kind of sheet (its name, title and description in the catalogue).
    df : pandas.DataFrame
    name : str, optional
        Sheet name (default: the catalogue's).
    printed : bool
        False: a long list, hidden and not printed.
    title : str, optional
        Title (default: the catalogue's, with the money unit).
    **table
        Options of :func:`write_table`.

    Returns
    -------
    xlsxwriter.worksheet.Worksheet
    """
    fields = {"table": name} if key == "extra" else {}
    ws = book.add_sheet(key, name=name, printed=printed, **fields)
    book.heading(ws, title or book.t.sheet(key, "title", unit=book.money_unit, **fields))
    last = write_table(book, ws, df, **table)
    if printed:
        width = max(len(df.columns) - 1, 0)
        book.print_setup(ws, header_rows=(TOP, TOP), area=(0, 0, last, width), portrait=_portrait(book, ws, df))
    return ws


def _portrait(book, ws, df: pd.DataFrame) -> bool:
    """Print a table portrait: long and narrow, or on fewer pages than landscape at 75 % size or more."""
    if len(df.columns) <= 3 and len(df) > 30:
        return True  # long and narrow: more rows on a portrait page
    widths, head, rows = book.memo["layout"][ws.name]
    heights = [20.0, ROW_PT, ROW_PT, head] + rows  # title, subtitle, a blank row, the header
    pages, _ = printed_pages(widths, heights, repeated=head)
    upright, scale = printed_pages(widths, heights, portrait=True, repeated=head)
    return upright < pages and scale >= 0.75


# ---------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------
def assumption_rows(assumptions, t: Texts) -> pd.DataFrame:
    """One row per assumption value: dotted key, description, value and its kind.

    Maps give one row per key and lists of numbers one row per item, so
    every number is a number of its own cell.

    Parameters
    ----------
    assumptions : Assumptions
    t : Texts

    Returns
    -------
    pandas.DataFrame
        ``setting, description, value, kind``.
    """
    rows = []

    def add(key: str, label: str, value: Any, kind: str) -> None:
        if isinstance(value, str) and kind == "choice":
            word = t.value(value)
            value = value if word == value else f"{word} ({value})"
        rows.append((key, label, value, "text" if isinstance(value, str) else kind))

    def walk(prefix: str, node: Mapping[str, Any]) -> None:
        for name, value in node.items():
            key = f"{prefix}{name}"
            if isinstance(value, Mapping) and key not in catalogue()["settings"]:
                walk(key + ".", value)  # a section
                continue
            label, kind = t.setting(key)
            numbers = isinstance(value, list) and not all(isinstance(v, str) for v in value)
            if isinstance(value, Mapping) or numbers or (isinstance(value, list) and kind == "date"):
                items = value.items() if isinstance(value, Mapping) else enumerate(value, 1)
                for k, v in items:
                    name = f"{key}.{k}" if isinstance(value, Mapping) else f"{key}[{k}]"
                    add(name, f"{label} ({k})", dt.date.fromisoformat(v) if kind == "date" else v, kind)
                if not value:
                    add(key, label, None, kind)
            elif isinstance(value, list):
                add(key, label, ", ".join(map(str, value)), "text")
            else:
                add(key, label, value, kind)

    walk("", assumptions.to_dict())
    return pd.DataFrame(rows, columns=["setting", "description", "value", "kind"])


def build_assumptions(book) -> None:
    """The Assumptions sheet: every setting with its description and its value, typed.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    rows = assumption_rows(book.plan.assumptions, book.t)
    kinds = ["amount" if k == "money" else k for k in rows["kind"]]  # settings are in currency, as typed
    table_sheet(book, "assumptions", rows[["setting", "description", "value"]], title=book.t.sheet("assumptions", "title"),
                kinds={"value": "text"}, row_kinds={"value": kinds}, filters=False)


def _metric_kinds(df: pd.DataFrame, columns: Sequence[str], t: Texts) -> dict[str, list[str]]:
    """Money columns of a table whose rows are metrics: count format on rows of a count metric."""
    kinds = {m: e.get("kind", "money") for m, e in catalogue()["metrics"].items()}
    per_row = [kinds.get(str(m), "money") for m in df["metric"]]
    return {c: [("count" if k == "count" else t.kind(c) or "money") for k in per_row] for c in columns}


def build_commitments(book) -> None:
    """The Commitments gap sheet, when the reps gave commitments.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    gap = book.plan.commitment_gap("rep_id")
    if len(gap) == 0:
        return
    money = ["target", "committed_target", "commitment", "gap", "uncommitted_target"]
    table_sheet(book, "commitments_gap", gap, row_kinds=_metric_kinds(gap, money, book.t))


def territory_metric_rows(metrics, t: Texts) -> pd.DataFrame:
    """The territory plan's figures as rows of label, value and kind (run time left out: no clock in the file).

    Parameters
    ----------
    metrics : TerritoryMetrics
    t : Texts

    Returns
    -------
    pandas.DataFrame
        ``metric, value, kind``.
    """
    rows = []
    for key in catalogue()["territory_metrics"]:
        if key == "violations":
            continue
        label, kind = t.labelled("territory_metrics", key)
        value = getattr(metrics, key)
        rows.append((label, value / 100 if key == "gap_pct" else value, kind))
    label, _ = t.labelled("territory_metrics", "violations")
    rows += [(label, v, "text") for v in metrics.violations]
    return pd.DataFrame(rows, columns=["metric", "value", "kind"])


def build_parts(book) -> None:
    """One sheet per table of the territories, staffing and odds (long lists wait for the end).

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    plan = book.plan
    for part in (plan.territories, plan.staffing, plan.simulation):
        if part is None:
            continue
        for name, df in part.to_frames().items():
            if name in _LONG:
                continue
            if name == "Territory metrics":
                rows = territory_metric_rows(part.metrics, book.t)
                table_sheet(book, "territory_metrics", rows[["metric", "value"]], kinds={"metric": "text"},
                            row_kinds={"value": list(rows["kind"])}, filters=False)
                continue
            key = FRAME_SHEETS.get(name, "extra")
            table_sheet(book, key, df, name=None if key != "extra" else name, **SHEET_OPTIONS.get(key, {}))


def build_extras(book) -> None:
    """One sheet per table of ``plan.extras`` (scenario comparisons ...), under its own name.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    for name, df in book.plan.extras.items():
        table_sheet(book, "extra", df, name=str(name))


def build_long_data(book) -> None:
    """The long lists, last and hidden (so never printed): accounts and their reps, the review's
    achievement data, the target data.

    The target data sheet is what :func:`salesplan.export.read_excel` reads
    back; it is named ``salesplan_data`` and each metric's rounding unit
    ``salesplan_unit_<metric>`` in the workbook's defined names.

    Parameters
    ----------
    book : Book
    """
    from salesplan.export.names import define_range, define_value
    from salesplan.targets import DATA_SHEET, TARGET_COLUMNS

    from salesplan.export.inyear import build_achievement_data

    plan = book.plan
    if plan.territories is not None:
        if len(plan.territories.handover):
            table_sheet(book, "handover_accounts", plan.territories.handover, printed=False, filters=True)
        table_sheet(book, "territory_accounts", plan.territories.table, printed=False, filters=True)
    build_achievement_data(book)
    data = plan.targets.table[TARGET_COLUMNS]
    name = DATA_SHEET if book.lang == "en" else None
    ws = table_sheet(book, "targets_data", data, name=name, printed=False, filters=True,
                     kinds={"exact": "decimal"}, row_kinds=_metric_kinds(data, ["target"], book.t), freeze=0)
    ws.freeze_panes(TOP + 1, 0)
    define_range(book, "salesplan_data", book.sheets[-1].name, TOP, 0, TOP + len(data), len(TARGET_COLUMNS) - 1)
    for metric, unit in plan.targets.metrics.units.items():
        define_value(book, f"salesplan_unit_{metric}", unit)
    define_value(book, "salesplan_year", plan.year)
