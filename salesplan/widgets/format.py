"""Numbers and tables as a manager reads them: separators, %, currency, readable headers, no NaN.

Pure functions (no widgets): :func:`fmt` formats one value by kind,
:func:`html_table` a whole table, :func:`parse_share` reads what a manager
types into a percentage box ("10%", "10", "0.1").
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from salesplan.widgets.labels import money_digits, text

__all__ = ["fmt", "html_table", "parse_share", "KINDS", "TABLE_CSS"]

#: Kinds of a column: how its values are written.
KINDS = ("text", "int", "money", "amount", "share", "number", "month", "flag")

#: Style of the tables (scoped to the ``sp-table`` class).
TABLE_CSS = """<style>
.sp-table {border-collapse: collapse; font-size: 13px; margin: 4px 0 12px 0;}
.sp-table caption {text-align: left; font-weight: 600; padding: 4px 0;}
.sp-table th {background: #eef2f7; padding: 4px 8px; border-bottom: 1px solid #9aa9bd; white-space: nowrap;}
.sp-table td {padding: 3px 8px; border-bottom: 1px solid #e3e8ef; white-space: nowrap;}
.sp-table td.num, .sp-table th.num {text-align: right; font-variant-numeric: tabular-nums;}
.sp-table tr.total td {font-weight: 600; border-top: 1px solid #9aa9bd;}
.sp-table tbody tr:nth-child(even) td {background: #fafbfd;}
</style>"""


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt(value, kind: str = "number", *, digits: int = 0, language: str = "en", display_unit: int = 1) -> str:
    """One value written for a manager; missing values are an empty string.

    Parameters
    ----------
    value : object
        A number, text, period or timestamp.
    kind : str
        One of :data:`KINDS`: ``money`` is written in ``display_unit``
        (thousand separators, one decimal in 万元), ``amount`` (money paid to
        the yuan, such as allowances) and ``int`` get thousand separators
        and no decimals, ``share`` (0..1) a percentage with ``digits``
        decimals, ``number`` ``digits`` decimals, ``month`` ``YYYY-MM``,
        ``flag`` yes or nothing.
    digits : int
        Decimals of ``share`` and ``number``.
    language : {"en", "zh"}
        Language of ``flag`` words.
    display_unit : int
        Yuan per unit of ``money``: 1, 1000 or 10000 (the ``display_unit``
        assumption).

    Returns
    -------
    str
    """
    if _missing(value):
        return ""
    if kind == "money":
        return f"{float(value) / display_unit:,.{money_digits(display_unit)}f}"
    if kind in ("amount", "int"):
        return f"{float(value):,.0f}"
    if kind == "share":
        return f"{float(value) * 100:,.{digits}f}%"
    if kind == "number":
        return f"{float(value):,.{digits}f}"
    if kind == "month":
        return str(value)[:7]
    if kind == "flag":
        return text("yes" if bool(value) else "no", language)
    return str(value)


def html_table(df: pd.DataFrame, columns: dict[str, tuple[str, str]], *, caption: str = "",
               total_row: str | None = None, language: str = "en", max_rows: int = 200,
               display_unit: int = 1) -> str:
    """A table as HTML: readable headers, formatted cells, numbers right-aligned.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; the index is ignored (reset it to show it).
    columns : dict of str to (str, str)
        Column -> (header, kind); only these columns are shown, in this order.
        ``kind`` is one of :data:`KINDS`; ``share:1`` or ``number:2`` give decimals.
    caption : str
        Title above the table.
    total_row : str, optional
        A row whose first cell equals this is drawn as a total.
    language : {"en", "zh"}
    max_rows : int
        Rows shown at most (a note says how many more there are).
    display_unit : int
        Yuan per unit of the ``money`` columns (1, 1000 or 10000).

    Returns
    -------
    str
        ``<table class="sp-table">`` HTML (with :data:`TABLE_CSS`).
    """
    kinds = {c: (k.split(":")[0], int(k.split(":")[1]) if ":" in k else 0) for c, (_, k) in columns.items()}
    head = "".join(f"<th class='{'num' if kinds[c][0] not in ('text', 'month', 'flag') else ''}'>"
                   f"{html.escape(h)}</th>" for c, (h, _) in columns.items())
    rows = []
    for rec in df.head(max_rows).to_dict("records"):
        cells = []
        for c in columns:
            kind, digits = kinds[c]
            cls = "num" if kind not in ("text", "month", "flag") else ""
            shown = fmt(rec.get(c), kind, digits=digits, language=language, display_unit=display_unit)
            cells.append(f"<td class='{cls}'>{html.escape(shown)}</td>")
        first = str(rec.get(next(iter(columns)), ""))
        cls = " class='total'" if total_row is not None and first == total_row else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    more = (f"<tr><td colspan='{len(columns)}'>{html.escape(text('table.more', language, n=len(df) - max_rows))}"
            "</td></tr>" if len(df) > max_rows else "")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f"{TABLE_CSS}<table class='sp-table'>{cap}<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}{more}</tbody></table>")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_share(typed: str, *, low: float, high: float, language: str = "en") -> float:
    """What a manager typed into a percentage box, as a share (0.1 = 10 %).

    ``"10%"`` and ``"10 %"`` are percentages; a plain number is a share when
    it is at most 1 in size (``"0.1"``) and a percentage otherwise (``"10"``).
    Full-width characters (``１０％``) are read as their ASCII forms.

    Parameters
    ----------
    typed : str
        The text of the box.
    low, high : float
        Allowed range (shares).
    language : {"en", "zh"}
        Language of the error message.

    Returns
    -------
    float
        The share, rounded to 4 decimals.

    Raises
    ------
    ValueError
        Not a number, or outside ``low`` .. ``high`` (never clamped quietly);
        the message says what to type.
    """
    raw = typed.strip().translate(str.maketrans("０１２３４５６７８９．％－＋", "0123456789.%-+")).replace(",", "")
    percent = raw.endswith("%")
    number = raw.rstrip("%").strip()
    if not _NUMBER.match(number):
        raise ValueError(text("number.bad", language, text=typed.strip()))
    value = float(number)
    if percent or abs(value) > 1:
        value /= 100
    value = round(value, 4)
    if not (low - 1e-9 <= value <= high + 1e-9) or math.isnan(value):
        raise ValueError(text("number.range", language, value=fmt(value, "share", digits=1),
                              low=fmt(low, "share"), high=fmt(high, "share")))
    return value
