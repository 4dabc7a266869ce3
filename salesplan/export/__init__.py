"""The plan workbook: a cover, quota sheets, a sign-off sheet, checks, tables -- and reading it back.

::

    from salesplan import export
    export.to_excel(plan, "out/plan-2027.xlsx")          # written atomically
    export.read_excel("out/plan-2027.xlsx")              # the target table, refused if edited
    export.read_signoff("signed/plan-2027.xlsx")         # commitments typed into the sign-off sheet

Modules
-------
workbook
    :class:`Book` and :func:`to_excel`: the sheet builders of
    :data:`DEFAULT_BUILDERS` run in order.
cover, quota, signoff, checks, tables
    The builders: the cover, a quota sheet per metric and the targets by
    region, the sign-off sheet, the checks, and every other table.
monthly, style, names
    Month tables with live subtotals; formats, widths and print setup;
    defined names that find the tables again.
read, verify
    :func:`read_excel` (with the check that the targets still add up) and
    :func:`read_signoff`.
files
    Atomic writing with the user's permissions and no debris.
"""

from __future__ import annotations

from salesplan.export import checks, cover, quota, signoff, tables
from salesplan.export.files import atomic_write, check_writable
from salesplan.export.read import read_excel, read_signoff
from salesplan.export.signoff import commitments_from_signoff, write_commitments
from salesplan.export.workbook import Book, SheetInfo, to_excel, workbook_bytes
from salesplan.targets import DATA_SHEET

__all__ = ["to_excel", "read_excel", "read_signoff", "workbook_bytes", "Book", "SheetInfo", "DEFAULT_BUILDERS",
           "DATA_SHEET", "atomic_write", "check_writable", "commitments_from_signoff", "write_commitments"]

#: The sheet builders of the plan workbook, in the order of its sheets.  A builder is
#: ``builder(book) -> None`` and adds its sheets with ``book.add_sheet``; to add a kind of
#: sheet, add its builder here (before the long, hidden data sheets) or pass ``builders=``
#: to :func:`to_excel`.
DEFAULT_BUILDERS = (
    cover.build,
    quota.build_quotas,
    signoff.build,
    checks.build,
    tables.build_assumptions,
    quota.build_by_region,
    tables.build_commitments,
    tables.build_parts,
    tables.build_extras,
    tables.build_long_data,
)
