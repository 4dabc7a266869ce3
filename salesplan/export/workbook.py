"""Assemble the plan workbook from a list of sheet builders, and write it safely.

A builder is a function ``builder(book)`` that adds its sheets to a
:class:`Book` (``book.add_sheet(...)``) and writes them; the workbook is
the builders of :data:`DEFAULT_BUILDERS` run in order, so a new kind of
sheet is one more function in that list (or in the ``builders`` given to
:func:`to_excel`).  The order is the order of the sheets: the cover, one
quota sheet per metric, the sign-off sheet, the checks, the assumptions,
each part's tables, the plan's extras, and last the long data sheets,
hidden so that they are not printed.

The file is the same, byte for byte, for the same plan: the document's
dates are taken from the plan (the month after its history ends), and no
run time is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import xlsxwriter

from salesplan.export.files import atomic_write
from salesplan.export.style import Style, print_setup
from salesplan.i18n import Texts, texts

__all__ = ["Book", "SheetInfo", "to_excel", "workbook_bytes", "company_name", "as_of"]

_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


@dataclass
class SheetInfo:
    """One sheet of the workbook, for the cover's index.

    Attributes
    ----------
    key : str
        Kind of sheet (``cover``, ``quota``, ``capacity`` ...).
    name : str
        Sheet name as shown on its tab.
    about : str
        One line saying what it holds.
    printed : bool
        Part of the printout (long data sheets are hidden and not printed).
    """

    key: str
    name: str
    about: str
    printed: bool = True


@dataclass
class Book:
    """A workbook being written: the plan, its words and formats, and the sheets so far.

    Attributes
    ----------
    plan : Plan
        The plan being written.
    lang : str
        Language of the workbook.
    t : Texts
        Its words.
    workbook : xlsxwriter.Workbook
        Written in memory.
    style : Style
        Shared formats.
    sheets : list of SheetInfo
        The sheets added, in order.
    finish : list of callable
        Run (with the book) after every builder, before the file is closed:
        the cover fills in its index there.
    memo : dict
        Results several builders share (the checks), computed once.
    """

    plan: object
    lang: str
    t: Texts
    workbook: xlsxwriter.Workbook
    style: Style
    buffer: io.BytesIO
    sheets: list[SheetInfo] = field(default_factory=list)
    finish: list[Callable[["Book"], None]] = field(default_factory=list)
    memo: dict = field(default_factory=dict)

    @classmethod
    def open(cls, plan, *, lang: str | None = None) -> "Book":
        """A new, empty book for ``plan`` in ``lang`` (default: the plan's ``language`` assumption)."""
        a = plan.assumptions
        lang = lang or a.language
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "default_format_properties": Style.default_font(lang)})
        wb.set_properties({"title": texts(lang).sheet("cover", "title", year=a.plan_year),
                           "company": company_name(plan), "comments": f"inputs {plan.fingerprint}",
                           "created": as_of(plan)})
        return cls(plan=plan, lang=lang, t=texts(lang), workbook=wb, buffer=buffer,
                   style=Style(wb, lang=lang, display_unit=a.display_unit))

    # -- sheets ---------------------------------------------------------------
    def add_sheet(self, key: str, *, name: str | None = None, printed: bool = True, about: str | None = None,
                  **fields):
        """Add a worksheet.

        Parameters
        ----------
        key : str
            Kind of sheet; its name and description come from the
            catalogue's ``sheets`` section unless given.
        name : str, optional
            Sheet name (made valid: at most 31 characters, no ``[]:*?/\\``,
            unique).
        printed : bool
            False hides the sheet, which leaves it out of every printout.
        about : str, optional
            Line for the cover's index.
        **fields
            Placeholders of the catalogue's name and description
            (``metric`` ...).

        Returns
        -------
        xlsxwriter.worksheet.Worksheet
        """
        name = self._unique(name if name is not None else self.t.sheet(key, **fields))
        ws = self.workbook.add_worksheet(name)
        if not printed:
            ws.hide()
        self.sheets.append(SheetInfo(key, name, about if about is not None else self.t.sheet(key, "about", **fields),
                                     printed))
        return ws

    def _unique(self, name: str) -> str:
        base = _BAD_NAME.sub("-", str(name)).strip("'")[:31] or "Sheet"
        taken = {s.name.lower() for s in self.sheets}
        out, i = base, 2
        while out.lower() in taken:
            suffix = f" ({i})"
            out, i = base[:31 - len(suffix)] + suffix, i + 1
        return out

    # -- shared texts ---------------------------------------------------------
    @property
    def money_unit(self) -> str:
        """What money is shown in (``CNY``, ``万元`` ...)."""
        a = self.plan.assumptions
        return self.t.money_unit(a.display_unit, a.currency)

    def unit_of(self, metric: str) -> str:
        """Unit of a metric's figures (money unit or count)."""
        a = self.plan.assumptions
        return self.t.unit_of(metric, a.display_unit, a.currency)

    def subtitle(self) -> str:
        """The line under every title: company, plan year, version, status, inputs."""
        a = self.plan.assumptions
        return self.t.text("subtitle", company=company_name(self.plan), year=a.plan_year, version=a.version,
                           status=self.t.value(a.status), fingerprint=self.plan.fingerprint)

    def footer(self) -> tuple[str, str, str]:
        """Left, centre and right footer of every printed page."""
        a = self.plan.assumptions
        return (self.t.text("footer_left", year=a.plan_year, version=a.version),
                self.t.text("footer_center", fingerprint=self.plan.fingerprint), self.t.text("footer_right"))

    def heading(self, ws, title: str, *, width: int = 8) -> None:
        """Write a sheet's title (row 0) and subtitle (row 1)."""
        ws.write_string(0, 0, title, self.style.title())
        ws.write_string(1, 0, self.subtitle(), self.style.subtitle())
        ws.set_row(0, 20)

    def print_setup(self, ws, **kwargs) -> None:
        """Page setup of a printable sheet with this book's footer (see :func:`~salesplan.export.style.print_setup`)."""
        print_setup(ws, footer=self.footer(), **kwargs)

    def close(self) -> bytes:
        """Run the finishing steps and return the workbook's bytes."""
        for step in self.finish:
            step(self)
        self.workbook.close()
        return self.buffer.getvalue()


def company_name(plan) -> str:
    """The company on the cover: the ``company`` assumption, else the company folder's name.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    str
    """
    a = plan.assumptions
    if a.company:
        return a.company
    folder = getattr(plan.inputs, "folder", None)
    return Path(folder).name if folder else ""


def as_of(plan) -> dt.datetime:
    """Date of the plan's data: the first day after its history ends (the workbook's document date).

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    datetime.datetime
        Midnight of the first day of the month after the last history month.
    """
    months = plan.inputs.history["month"]
    last = months.max() if len(months) else None
    if last is None or last != last:
        return dt.datetime(plan.assumptions.plan_year, 1, 1)
    return (last + 1).to_timestamp().to_pydatetime()


def _default_builders() -> tuple:
    from salesplan.export import DEFAULT_BUILDERS

    return DEFAULT_BUILDERS


def workbook_bytes(plan, *, lang: str | None = None, builders: Sequence[Callable] | None = None) -> bytes:
    """The plan workbook as bytes.

    Parameters
    ----------
    plan : Plan
        A built plan.
    lang : {"en", "zh"}, optional
        Language (default: the plan's ``language`` assumption).
    builders : sequence of callable, optional
        Sheet builders, in order (default :data:`salesplan.export.DEFAULT_BUILDERS`).

    Returns
    -------
    bytes
        An ``.xlsx`` file.
    """
    book = Book.open(plan, lang=lang)
    for build in builders or _default_builders():
        build(book)
    return book.close()


def to_excel(plan, path: str | Path, *, lang: str | None = None,
             builders: Sequence[Callable] | None = None) -> Path:
    """Write the plan workbook to ``path``, atomically.

    Parameters
    ----------
    plan : Plan
        The plan to write.
    path : str or Path
        Destination ``.xlsx``; its folder is created, a symlink is followed,
        an existing file is replaced in one step (an interrupted write
        leaves it intact and no temporary file behind).
    lang : {"en", "zh"}, optional
        Language (default: the plan's ``language`` assumption).
    builders : sequence of callable, optional
        Sheet builders, in order (default :data:`salesplan.export.DEFAULT_BUILDERS`).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return atomic_write(path, workbook_bytes(plan, lang=lang, builders=builders))
