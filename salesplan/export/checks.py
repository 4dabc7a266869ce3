"""The Checks sheet: warnings of the input checks and the plan's own checks.

The input checks come from :attr:`Plan.findings` (each a
:class:`~salesplan.errors.Finding` naming file, line and column or key;
in the workbook's language where the check words it so, as the calendar
and the visit checks do); the plan checks re-check the targets (every level adds up, every figure a
multiple of its unit) and the territories (no request left unmet).  The
cover lists the same warnings.
"""

from __future__ import annotations

import pandas as pd

from salesplan.errors import ERROR, Finding
from salesplan.export.tables import TOP, write_table
from salesplan.i18n import Texts

__all__ = ["build", "warnings_of", "plan_checks", "book_checks", "finding_text"]


def plan_checks(plan, t: Texts) -> list[tuple[str, list[str]]]:
    """The plan's own checks: (what is checked, problems found) for each.

    Parameters
    ----------
    plan : Plan
    t : Texts
        Words of the check names.

    Returns
    -------
    list of (str, list of str)
        An empty list of problems means the check passed.
    """
    from salesplan.targets import check_coherence

    m = plan.targets.metrics
    problems = check_coherence(plan.targets, dict(m.units), hierarchy=tuple(m.hierarchy), totals=dict(m.totals))
    multiples = [p for p in problems if "multiples" in p]
    out = [(t.text("coherence"), [p for p in problems if p not in multiples]), (t.text("multiples"), multiples)]
    if plan.territories is not None:
        out.append((t.text("territory_ok"), list(plan.territories.metrics.violations)))
    return out


def warnings_of(plan, lang: str = "en", *, checks: list | None = None) -> list[Finding]:
    """Every finding the workbook shows: the inputs', the calendar's and the failed plan checks.

    Parameters
    ----------
    plan : Plan
    lang : {"en", "zh"}
        Language of the messages the workbook makes itself.
    checks : list, optional
        :func:`plan_checks` already run.

    Returns
    -------
    list of Finding
        Errors first, then warnings.
    """
    from salesplan.i18n import texts

    found = [f.in_language(lang) for f in plan.findings]  # in the workbook's language where the check words it
    for name, problems in checks if checks is not None else plan_checks(plan, texts(lang)):
        found += [Finding(ERROR, "plan_check", "plan", f"{name}: {p}") for p in problems]
    return sorted(found, key=lambda f: f.level != ERROR)


def finding_text(f: Finding, t: Texts) -> str:
    """A finding in one line: where (file, line, column or key) and what, in the workbook's language.

    Parameters
    ----------
    f : Finding
    t : Texts

    Returns
    -------
    str
    """
    if t.lang == "en":
        return str(f)
    where = [f.source] + ([t.text("line_no", line=f.line)] if f.line else []) + \
        ([t.text("column_of", column=f.column)] if f.column else [])
    return t.text("finding", where="，".join(where), message=f.message)


def book_checks(book) -> tuple[list, list[Finding]]:
    """The plan checks and the findings of a workbook being written, computed once for all its sheets.

    Parameters
    ----------
    book : Book

    Returns
    -------
    checks : list of (str, list of str)
        :func:`plan_checks`.
    findings : list of Finding
        :func:`warnings_of`.
    """
    if "checks" not in book.memo:
        checks = plan_checks(book.plan, book.t)
        book.memo["checks"] = (checks, warnings_of(book.plan, book.lang, checks=checks))
    return book.memo["checks"]


def build(book) -> None:
    """The Checks sheet: one row per input finding, then one row per plan check and its result.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    t = book.t
    ws = book.add_sheet("checks")
    book.heading(ws, t.sheet("checks", "title"))
    checks, found = book_checks(book)
    rows = [(f.level, f.check, f.source, f.line, f.column or "", f.message) for f in found if f.check != "plan_check"]
    for name, problems in checks:
        rows += [("ok", name, "plan", None, "", t.value("ok"))] if not problems else \
            [(ERROR, name, "plan", None, "", p) for p in problems]
    table = pd.DataFrame(rows, columns=["level", "check", "source", "line", "column", "message"])
    last = write_table(book, ws, table, kinds={"line": "count", "level": "choice"}, filters=False, freeze=0,
                       wrap={"check": 36, "message": 80})
    book.print_setup(ws, header_rows=(TOP, TOP), area=(0, 0, last, 5))
