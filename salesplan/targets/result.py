"""The result of target decomposition: the long target table with its headline figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import pandas as pd

__all__ = ["Targets", "TargetMetrics"]

_LABEL = {"revenue": "revenue", "collections": "collections", "new_customers": "new customers",
          "new_outlets": "new outlets", "gross_profit": "gross profit"}


@dataclass(frozen=True)
class TargetMetrics:
    """Headline figures of a target plan.

    Attributes
    ----------
    year : int
        The plan year.
    totals : mapping of str to float
        Company annual target per metric: currency for ``revenue``,
        ``collections`` and ``gross_profit``, a count for ``new_customers``
        and ``new_outlets``.
    units : mapping of str to float
        Rounding unit per metric (every target is a whole multiple of it).
    reps_with_target : int
        Reps (and open requisitions) with a target above zero.
    split_method : str
        How each level's target was shared among its children.
    seasonality : str
        Seasonality method (``"override"`` for the manager's own weights).
    hierarchy : tuple of str
        Levels the target was split along, top first.
    """

    year: int
    totals: Mapping[str, float]
    units: Mapping[str, float]
    reps_with_target: int
    split_method: str
    seasonality: str
    hierarchy: tuple[str, ...]


@dataclass(frozen=True)
class Targets:
    """Targets per rep x product line x month x metric, coherently rounded (treat frames as read-only).

    Attributes
    ----------
    table : pandas.DataFrame
        Long table with columns :data:`~salesplan.targets.TARGET_COLUMNS`:
        ``target`` is a whole multiple of the metric's unit (currency or
        count), ``exact`` its unrounded share; every level of the hierarchy
        adds up to its parent month by month and over the year.
    seasonality : pandas.Series
        The 12 monthly weights used (index 1..12, sum 1).
    metrics : TargetMetrics
        Headline figures.
    """

    table: pd.DataFrame
    seasonality: pd.Series
    metrics: TargetMetrics

    def _metric(self, metric: str, where: str) -> pd.DataFrame:
        """Rows of ``metric``; a metric the plan has no target for is an InputError, not a zero."""
        from salesplan.targets.report import _table

        t = _table(self.table, f"{where}(metric=...)", metric=metric)
        return t[t["metric"] == metric]

    def total(self, metric: str = "revenue") -> float:
        """Company annual target of ``metric`` (currency or count)."""
        return float(self._metric(metric, "total")["target"].sum())

    def monthly(self, metric: str = "revenue") -> pd.Series:
        """Company target of ``metric`` by month (index: ``Period[M]``; currency or count)."""
        return self._metric(metric, "monthly").groupby("month")["target"].sum()

    def by(self, level: str | Sequence[str], metric: str = "revenue", *, totals: bool = True) -> pd.DataFrame:
        """Month x entity view with quarter and year totals (see :func:`salesplan.targets.pivot`)."""
        from salesplan.targets.report import pivot

        return pivot(self.table, level, metric=metric, totals=totals)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Named tables for export and widgets (see :func:`salesplan.targets.target_frames`)."""
        from salesplan.targets.report import target_frames

        return target_frames(self.table)

    def summary(self) -> str:
        """A short text: the company targets and how they were split."""
        m = self.metrics
        parts = [f"{_LABEL.get(k, k)} {v:,.0f}" for k, v in m.totals.items()]
        return (f"Targets {m.year}: " + ", ".join(parts) + f"; {m.reps_with_target} reps with a target "
                f"(split: {m.split_method}, seasonality: {m.seasonality})")
