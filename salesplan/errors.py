"""Errors salesplan raises for bad input, and the findings of the input checks."""

from __future__ import annotations

import dataclasses

from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = ["InputError", "InfeasibleError", "Finding", "ERROR", "WARNING", "format_lines", "format_findings",
           "warnings_text", "show_findings"]

#: Level of a finding: the plan cannot be right.
ERROR = "error"
#: Level of a finding: the plan can be computed but something looks wrong.
WARNING = "warning"
#: Line numbers quoted in one finding before "and N more".
LINES_SHOWN = 5
#: Problems quoted in the text of one :class:`InputError` before "... and N more".
PROBLEMS_SHOWN = 50


def format_lines(lines: Sequence[int]) -> str:
    """``"line 6"`` or ``"lines 2, 3, 4, 5, 6 and 55 more"``.

    Parameters
    ----------
    lines : sequence of int
        Line numbers as a spreadsheet shows them (1 = the header).

    Returns
    -------
    str
        At most :data:`LINES_SHOWN` numbers, then how many more.
    """
    shown = ", ".join(str(i) for i in lines[:LINES_SHOWN])
    more = f" and {len(lines) - LINES_SHOWN} more" if len(lines) > LINES_SHOWN else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def _is_settings_file(source: str) -> bool:
    return source.endswith((".yaml", ".yml")) or source == "assumptions"


@dataclass(frozen=True)
class Finding:
    """One result of the input checks: an error (no plan) or a warning (a plan, but look).

    Attributes
    ----------
    level : {"error", "warning"}
        :data:`ERROR` or :data:`WARNING`.
    check : str
        Short name of the check that found it (e.g. ``"growth_implausible"``);
        the README lists them.
    source : str
        The file (``accounts.csv``, ``assumptions.yaml``) or parameter at fault.
    message : str
        What is wrong and what is expected.
    line : int or None
        Line as a spreadsheet shows it (1 = header; in a YAML file, the line
        of the key), where one applies; the first of ``lines``.
    column : str or None
        Column of a table, or dotted assumption key (``targets.growth``).
    lines : tuple of int
        Every line the finding concerns when it covers several rows (the
        same problem in 60 rows is one finding).
    translations : tuple of (str, str)
        The message in each language the check words it in, as
        ``(language, message)`` pairs (:meth:`message_in`); empty when the
        check words it in English only.
    """

    level: str
    check: str
    source: str
    message: str
    line: int | None = None
    column: str | None = None
    lines: tuple[int, ...] = ()
    translations: tuple[tuple[str, str], ...] = ()

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` where the check gives one, else :attr:`message` (English).

        Parameters
        ----------
        lang : {"en", "zh"}

        Returns
        -------
        str
        """
        return dict(self.translations).get(lang, self.message)

    def in_language(self, lang: str) -> "Finding":
        """This finding with its message in ``lang`` (itself when the check gives no other wording).

        Parameters
        ----------
        lang : {"en", "zh"}

        Returns
        -------
        Finding
        """
        message = self.message_in(lang)
        return self if message == self.message else dataclasses.replace(self, message=message)

    @property
    def where(self) -> str:
        """Line(s) and column or key, e.g. ``"line 6, column 'lat'"`` (empty when neither applies)."""
        lines = self.lines if len(self.lines) > 1 else ((self.line,) if self.line else ())
        parts = [format_lines(lines)] if lines else []
        if self.column:
            parts.append(self.column if _is_settings_file(self.source) else f"column '{self.column}'")
        return ", ".join(parts)

    def detail(self) -> str:
        """The finding without its source: ``"line 6, column 'lat': 'north' is not a number"``."""
        return f"{self.where}: {self.message}" if self.where else self.message

    def __str__(self) -> str:
        return f"{self.source}: {self.detail()}"


def format_findings(findings: Iterable[Finding], *, limit: int = PROBLEMS_SHOWN, checks: bool = False) -> str:
    """Findings grouped by source: a heading per file, one indented line per problem.

    Parameters
    ----------
    findings : iterable of Finding
        In the order they should be listed.
    limit : int
        Problems listed per source before "... and N more".
    checks : bool
        End each line with the name of its check (``[out_of_range]``), as the
        README lists them.

    Returns
    -------
    str
        ``"accounts.csv: 2 problems\\n  - line 6, column ...\\n  - ..."``.
    """
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.source, []).append(f)
    out = []
    for source, items in groups.items():
        items = sorted(items, key=lambda f: f.line or 0)  # a file's problems in the order of its lines
        n = len(items)
        out.append(f"{source}: {n} problem{'s' if n != 1 else ''}")
        out += [f"  - {f.detail()}" + (f" [{f.check}]" if checks else "") for f in items[:limit]]
        if n > limit:
            out.append(f"  ... and {n - limit} more")
    return "\n".join(out)


def warnings_text(findings: Iterable[Finding]) -> str:
    """The ``warnings:`` block a plan's summary starts with (empty when there are none).

    Parameters
    ----------
    findings : iterable of Finding
        Warnings of the input checks.

    Returns
    -------
    str
        ``"warnings (2):\n  - reps.csv: line 5, column 'hire_date': ... [hired_after_start]"``.
    """
    items = list(findings)
    if not items:
        return ""
    return "\n".join([f"warnings ({len(items)}):"] + [f"  - {f} [{f.check}]" for f in items])


def show_findings(obj) -> None:
    """Print the warnings of the input checks of a plan or inputs (or a list of findings).

    Parameters
    ----------
    obj : Plan, Inputs or iterable of Finding
        Anything with ``findings``, or the findings themselves.

    Returns
    -------
    None
        Prints ``warnings (n): ...`` or that the checks found nothing to warn about.
    """
    findings = getattr(obj, "findings", obj)
    print(warnings_text(findings) or "input checks: no warnings")


class InputError(ValueError):
    """Bad input: names the source (file or parameter) and every problem found.

    Parameters
    ----------
    source : str
        The file (``accounts.csv``) or parameter (``allocate(floors=...)``) at
        fault; with ``findings``, may be empty (the first finding's source).
    problems : list of str, optional
        One line per problem, each naming row and column where there are any
        and what would be valid.
    findings : sequence of Finding, optional
        The problems as findings (several files at once); used instead of
        ``problems``.
    warnings : sequence of Finding, optional
        Warnings found beside the errors, shown with them.

    Attributes
    ----------
    findings : tuple of Finding
        Every problem (level ``"error"``), with file, line and column.
    problems : list of str
        The same, as text without the source.
    """

    def __init__(self, source: str = "", problems: Sequence[str] = (), *,
                 findings: Sequence[Finding] = (), warnings: Sequence[Finding] = ()):
        if findings:
            self.findings = tuple(findings)
            source = source or self.findings[0].source
        else:
            self.findings = tuple(Finding(ERROR, "input", source, str(p)) for p in problems)
        self.source = source
        self.problems = [f.detail() for f in self.findings]
        self.warnings = tuple(warnings)
        super().__init__(format_findings(self.findings))


class InfeasibleError(ValueError):
    """A request that no plan can satisfy; says which constraint and by how much.

    Parameters
    ----------
    message : str
        The constraint that cannot hold, by how much, and what would make it
        feasible.
    """
