"""How the workbook looks: number formats by kind, column widths, titles and print setup.

Every number is written as a number and formatted by what it is (its
*kind*, from the catalogue of :mod:`salesplan.i18n`): money as whole units
with thousands separators (or in thousands / 万元 with ``display_unit``),
counts as whole numbers, shares as ``0.0%``, months as ``Jan`` / ``1月``.
Printable sheets are set up alike: A4 landscape, one page wide, header rows
and name columns repeated on every page, a footer with the plan year, the
inputs' fingerprint and "page x of y".
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterable

import numpy as np

__all__ = ["Style", "text_width", "column_width", "print_setup", "wrapped_lines", "MONEY_FORMATS"]

#: Number format of money by display unit: currency, thousands, ten-thousands (万, one decimal).
MONEY_FORMATS = {1: "#,##0", 1000: "#,##0,", 10000: "0\\.0,"}
_FORMATS = {
    "count": "#,##0",
    "int": "0",
    "decimal": "#,##0.00",
    "share": "0.0%",
    "km": "#,##0",
    "date": "yyyy-mm-dd",
    "amount": "#,##0",
}
_MONTH = {"en": "mmm", "zh": 'm"月"'}
_MONTH_YEAR = {"en": "mmm yyyy", "zh": 'yyyy"年"m"月"'}
_FONT = {"en": "Calibri", "zh": "DengXian"}
HEAD_FILL = "#DDE5F0"
TOTAL_FILL = "#F2F2F2"
LOCKED_FILL = "#EDEDED"


def text_width(text: Any) -> int:
    """Width of ``text`` in a column, in characters (a CJK character counts two).

    Parameters
    ----------
    text : object
        Shown as ``str(text)``.

    Returns
    -------
    int
    """
    s = str(text)
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


class Style:
    """The formats of one workbook (made once, shared by every sheet).

    Parameters
    ----------
    workbook : xlsxwriter.Workbook
    lang : {"en", "zh"}
        Month labels and the font.
    display_unit : int
        1, 1000 or 10000: the unit money is shown in.
    """

    def __init__(self, workbook, *, lang: str, display_unit: int):
        self.workbook = workbook
        self.lang = lang
        self.display_unit = display_unit
        self._cache: dict[tuple, Any] = {}

    @staticmethod
    def default_font(lang: str) -> dict[str, Any]:
        """Font of every cell for ``lang`` (a font Chinese Office has, for ``zh``)."""
        return {"font_name": _FONT.get(lang, "Calibri"), "font_size": 10}

    def num_format(self, kind: str | None, *, month_year: bool = False) -> str | None:
        """Number format of a kind of value (None: general).

        Parameters
        ----------
        kind : str or None
            ``money``, ``count``, ``int``, ``decimal``, ``share``, ``km``,
            ``date``, ``month``; anything else is general.
        month_year : bool
            Months that need their year (``Jan 2027`` / ``2027年1月``).

        Returns
        -------
        str or None
        """
        if kind == "money":
            return MONEY_FORMATS[self.display_unit]
        if kind == "month":
            return (_MONTH_YEAR if month_year else _MONTH)[self.lang]
        return _FORMATS.get(kind or "")

    def fmt(self, kind: str | None = None, **props: Any):
        """A cell format: the number format of ``kind`` plus xlsxwriter properties (cached).

        Parameters
        ----------
        kind : str, optional
            Kind of value (see :meth:`num_format`).
        **props
            ``bold``, ``bg_color``, ``top`` (border), ``locked``,
            ``month_year`` ...

        Returns
        -------
        xlsxwriter.format.Format
        """
        key = (kind, tuple(sorted(props.items())))
        if key not in self._cache:
            p = dict(props)
            num = self.num_format(kind, month_year=p.pop("month_year", False))
            if num is not None:
                p["num_format"] = num
            self._cache[key] = self.workbook.add_format(p)
        return self._cache[key]

    def header(self, *, numeric: bool = False):
        """Format of a table's header row: bold, filled, wrapped, bordered (right-aligned over numbers)."""
        extra = {"align": "right"} if numeric else {}
        return self.fmt(None, bold=True, bg_color=HEAD_FILL, border=1, text_wrap=True, valign="top", **extra)

    def title(self):
        """Format of a sheet's title (first row)."""
        return self.fmt(None, bold=True, font_size=14)

    def subtitle(self):
        """Format of the line under a title (company, plan, fingerprint)."""
        return self.fmt(None, italic=True, font_color="#595959")

    def section(self):
        """Format of a section heading inside a sheet (the cover's blocks)."""
        return self.fmt(None, bold=True, font_size=11, bottom=1)


def column_width(header: str, values: Iterable[Any], *, kind: str | None = None, lo: int = 6, hi: int = 48) -> float:
    """Width that fits a column's header (wrapped over two lines at most) and its values.

    Parameters
    ----------
    header : str
        Header text.
    values : iterable
        The cells (numbers are measured as their thousands-separated form).
    kind : str, optional
        Kind of the values: months, dates and shares have fixed widths.
    lo, hi : int
        Bounds, characters.

    Returns
    -------
    float
        Column width in characters.
    """
    fixed = {"date": 10, "month": 7, "share": 7}
    if kind in fixed:
        body = fixed[kind]
    else:
        vals = list(values)
        nums = [v for v in vals if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)]
        body = 0
        if nums:
            arr = np.abs(np.asarray(nums, dtype=float))
            arr = arr[np.isfinite(arr)]
            big = float(arr.max()) if len(arr) else 0.0
            digits = len(f"{big:,.0f}") + (3 if kind == "decimal" else 1)
            body = digits
        texts = [v for v in vals if isinstance(v, str)]
        if texts:
            body = max(body, max(text_width(v) for v in set(texts)))
    words = str(header).split()
    longest_word = max((text_width(w) for w in words), default=0)
    head = max(longest_word, (text_width(header) + 1) // 2) if text_width(header) > 12 else text_width(header)
    return float(min(max(body, head, lo) + 2, hi))


def print_setup(ws, *, footer: tuple[str, str, str], header_rows: tuple[int, int] | None = None,
                name_columns: tuple[int, int] | None = None, area: tuple[int, int, int, int] | None = None,
                portrait: bool = False, one_page: bool = False) -> None:
    """Page setup of a printable sheet: A4, landscape, one page wide, repeated headers, footer.

    Parameters
    ----------
    ws : xlsxwriter.worksheet.Worksheet
    footer : tuple of 3 str
        Left, centre and right footer text (``&P`` / ``&N`` for page and
        pages; a literal ``&`` is doubled here).
    header_rows : tuple of int, optional
        First and last row (0-based) printed at the top of every page.
    name_columns : tuple of int, optional
        First and last column printed at the left of every page.
    area : tuple of 4 int, optional
        Print area: first row, first column, last row, last column.
    portrait : bool
        Portrait instead of landscape (the cover, long narrow tables).
    one_page : bool
        Shrink to one page (the cover).
    """
    ws.set_paper(9)  # A4
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    if name_columns is not None:
        ws.repeat_columns(*name_columns)
    if area is not None:
        ws.print_area(*area)
    left, center, right = (_footer_text(s) for s in footer)
    ws.set_footer(f"&L{left}&C{center}&R{right}", {"margin": 0.3})


def _footer_text(text: str) -> str:
    """Double each ``&`` that is not a page code (``&P``, ``&N``)."""
    out = text.replace("&", "&&")
    return out.replace("&&P", "&P").replace("&&N", "&N")


def wrapped_lines(text: str, width: float) -> int:
    """Lines a text wraps to in a column ``width`` characters wide (at least 1).

    Letters of a proportional font are narrower than the digit a column's
    width counts, so Latin text holds about 1.15 characters per unit of width.

    Parameters
    ----------
    text : str
    width : float
        Column width, characters.

    Returns
    -------
    int
    """
    per_line = max(width - 1, 1) * (1.15 if str(text).isascii() else 1.0)
    return max(1, int(-(-text_width(text) // per_line)))
