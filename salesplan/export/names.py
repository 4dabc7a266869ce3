"""Defined names that let salesplan find its tables again in a workbook, whatever the language.

Writing names the ranges that :mod:`salesplan.export.read` reads back (the
target data, each quota sheet's reps and months, the sign-off table) and
stores a few constants (rounding units, the plan year); sorting or
filtering a sheet moves rows inside a range but never the range itself.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_range_abs

__all__ = ["define_range", "define_value", "read_names"]


def _sheet_ref(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def define_range(book, name: str, sheet: str, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Name a range of a sheet (0-based, inclusive) in the workbook.

    Parameters
    ----------
    book : Book
    name : str
        A valid defined name (letters, digits, underscores).
    sheet : str
        Sheet name.
    first_row, first_col, last_row, last_col : int
        The range.
    """
    ref = xl_range_abs(first_row, first_col, last_row, last_col)
    book.workbook.define_name(name, f"={_sheet_ref(sheet)}!{ref}")


def define_value(book, name: str, value: Any) -> None:
    """Name a constant (a number) in the workbook.

    Parameters
    ----------
    book : Book
    name : str
    value : float
    """
    book.workbook.define_name(name, f"={float(value):.17g}")


def read_names(wb) -> dict[str, Any]:
    """Every defined name of an openpyxl workbook: ``(sheet, "A1:B2")`` for a range, a float for a constant.

    Parameters
    ----------
    wb : openpyxl.Workbook

    Returns
    -------
    dict
        Name -> ``(sheet, range)`` or float (names of other kinds left out).
    """
    out: dict[str, Any] = {}
    for name, dn in wb.defined_names.items():
        text = str(dn.value or "").lstrip("=")
        try:
            out[name] = float(text)
            continue
        except ValueError:
            pass
        dests = list(dn.destinations) if dn.type == "RANGE" else []
        if len(dests) == 1:
            sheet, ref = dests[0]
            out[name] = (sheet, ref.replace("$", ""))
    return out
