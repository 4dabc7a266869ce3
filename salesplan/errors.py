"""Errors salesplan raises for bad input."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError", "InfeasibleError", "Finding", "ERROR", "WARNING"]

#: Level of a finding: the plan cannot be right.
ERROR = "error"
#: Level of a finding: the plan can be computed but something looks wrong.
WARNING = "warning"


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
        Line as a spreadsheet shows it (1 = header), where one applies.
    column : str or None
        Column of a table, or dotted assumption key (``targets.growth``).
    """

    level: str
    check: str
    source: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(x for x in (f"line {self.line}" if self.line else "",
                                      f"column '{self.column}'" if self.column else "") if x)
        return f"{self.source}: {where + ': ' if where else ''}{self.message}"


class InputError(ValueError):
    """Bad input: names the source (file or parameter) and every problem found.

    Parameters
    ----------
    source : str
        The file (``accounts.csv``) or parameter (``allocate(floors=...)``) at fault.
    problems : list of str
        One line per problem, each naming row and column where there are any
        and what would be valid.
    """

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        head = f"{self.source}: {n} problem{'s' if n != 1 else ''}"
        shown = self.problems[:50]
        more = [f"... and {n - 50} more"] if n > 50 else []
        return "\n".join([head] + [f"  - {p}" for p in shown + more])


class InfeasibleError(ValueError):
    """A request that no plan can satisfy; says which constraint and by how much.

    Parameters
    ----------
    message : str
        The constraint that cannot hold, by how much, and what would make it
        feasible.
    """
