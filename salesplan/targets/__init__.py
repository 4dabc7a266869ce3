"""Target decomposition: annual target -> months -> product lines, regions, teams, reps.

Modules
-------
weights
    Each rep's share of a product line (split methods), annual totals,
    growth floors and caps.
decompose
    :func:`decompose`, which splits and rounds every metric coherently and
    returns a :class:`Targets` result.
report
    Pivots, coherence checks, rounding gaps, the commitment gap and the
    named frames the workbook and widgets show.
result
    :class:`Targets` and :class:`TargetMetrics`.

The rounding machinery lives in :mod:`salesplan.rounding` and the history
helpers (seasonality, availability, run rate) in :mod:`salesplan.history`;
they are re-exported here for convenience.
"""

from __future__ import annotations

from salesplan.history import availability, run_rate, seasonality
from salesplan.rounding import allocate
from salesplan.targets.decompose import TARGET_COLUMNS, decompose
from salesplan.targets.report import (DATA_SHEET, QUARTERS, check_coherence, commitment_gap, pivot,
                                      rounding_deviation, target_frames)
from salesplan.targets.result import TargetMetrics, Targets
from salesplan.targets.weights import (annual_totals, growth_bounds, history_metric, leaf_weights, line_eligibility,
                                        member_weights, month_shares)

__all__ = [
    "decompose",
    "Targets",
    "TargetMetrics",
    "TARGET_COLUMNS",
    "DATA_SHEET",
    "QUARTERS",
    "pivot",
    "check_coherence",
    "rounding_deviation",
    "commitment_gap",
    "target_frames",
    "leaf_weights",
    "line_eligibility",
    "member_weights",
    "month_shares",
    "annual_totals",
    "growth_bounds",
    "history_metric",
    "allocate",
    "seasonality",
    "availability",
    "run_rate",
]
