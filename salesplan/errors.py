"""Errors salesplan raises for bad input."""

from __future__ import annotations

__all__ = ["InputError", "InfeasibleError"]


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
