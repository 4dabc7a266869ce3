"""The plan: inputs + assumptions + every model's output, frozen together.

:func:`build_plan` runs the models on validated inputs; a :class:`Plan` is
what the notebooks show and :func:`salesplan.export.to_excel` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.inputs import Inputs, load_inputs
from salesplan.targets import commitment_gap, decompose, pivot

__all__ = ["Plan", "build_plan"]


@dataclass(frozen=True)
class Plan:
    """One planning scenario (treat the frames as read-only).

    Attributes
    ----------
    inputs : Inputs
        The validated company tables.
    assumptions : Assumptions
        The assumptions the plan was built with.
    targets : pandas.DataFrame
        Long target table (:func:`salesplan.targets.decompose`).
    territories : object or None
        Territory assignment, when built.
    staffing : dict of DataFrame or None
        Staffing tables (sizing, capacity, hiring, org, cost), when built.
    extras : dict
        Further named tables to export (e.g. scenario comparisons).
    """

    inputs: Inputs
    assumptions: Assumptions
    targets: pd.DataFrame
    territories: Any = None
    staffing: dict[str, pd.DataFrame] | None = None
    extras: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def year(self) -> int:
        """The plan year."""
        return self.assumptions.plan_year

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the inputs and assumptions that made this plan."""
        return self.inputs.fingerprint

    def total(self, metric: str = "revenue") -> float:
        """Company annual target of ``metric``."""
        t = self.targets
        return float(t.loc[t["metric"] == metric, "target"].sum())

    def monthly_target(self, metric: str = "revenue") -> pd.Series:
        """Company target by month (index: Period[M])."""
        t = self.targets[self.targets["metric"] == metric]
        return t.groupby("month")["target"].sum()

    def by(self, level: str | list[str], metric: str = "revenue") -> pd.DataFrame:
        """Month x entity table (see :func:`salesplan.targets.pivot`)."""
        return pivot(self.targets, level, metric=metric)

    def commitment_gap(self, by: str = "rep_id") -> pd.DataFrame:
        """Top-down targets vs the reps' commitments (empty without commitments.csv)."""
        return commitment_gap(self.targets, self.inputs.commitments, by=by)

    def summary(self) -> dict[str, Any]:
        """Headline numbers for a terminal or a notebook."""
        t = self.targets
        reps = t.loc[t["target"] > 0, "rep_id"].nunique()
        out = {
            "year": self.year,
            "revenue_target": self.total("revenue"),
            "collections_target": self.total("collections"),
            "new_customers_target": self.total("new_customers"),
            "reps_with_target": int(reps),
            "split_method": self.assumptions.targets.split_method,
        }
        if self.territories is not None:
            m = self.territories.metrics
            out.update(territory_max_deviation=m["max_abs_deviation"], territory_gap_pct=m["gap_pct"],
                       territory_moved_share=m["moved_share"])
        if self.staffing is not None and "headcount" in self.staffing:
            hc = self.staffing["headcount"].set_index("measure")["heads"]
            cap = self.staffing["capacity"]
            out.update(heads_today=int(hc.iloc[0]), heads_planned=int(hc.iloc[1]), heads_required=int(hc.iloc[2]),
                       expected_capacity=float(cap["capacity_revenue"].sum()),
                       cost_of_year=float(self.staffing["cost"]["total"].sum()))
        return out

    def with_assumptions(self, assumptions: Assumptions, **kwargs) -> "Plan":
        """Rebuild the plan under other assumptions."""
        return build_plan(self.inputs.with_assumptions(assumptions), **kwargs)


def build_plan(
    inputs: Inputs | str | Path,
    assumptions: Assumptions | None = None,
    *,
    territories: bool = False,
    staffing: bool = False,
) -> Plan:
    """Run the planning models.

    Parameters
    ----------
    inputs : Inputs or path
        Validated inputs, or a company folder to load.
    assumptions : Assumptions, optional
        Overrides the inputs' assumptions.
    territories : bool
        Also assign accounts to reps (:func:`salesplan.territory.assign`).
    staffing : bool
        Also build the staffing tables (:func:`salesplan.staffing.staffing_tables`).

    Returns
    -------
    Plan
    """
    if not isinstance(inputs, Inputs):
        inputs = load_inputs(inputs)
    if assumptions is not None:
        inputs = inputs.with_assumptions(assumptions)
    a = inputs.assumptions
    targets = decompose(inputs, a)
    plan = Plan(inputs=inputs, assumptions=a, targets=targets)
    if territories:
        plan = _with_territories(plan)
    if staffing:
        plan = _with_staffing(plan)
    return plan


def _with_territories(plan: Plan) -> Plan:
    from salesplan import territory

    a = plan.assumptions.territory
    result = territory.assign(
        plan.inputs.accounts, plan.inputs.reps, tolerance=a.tolerance, max_moved_share=a.max_moved_share,
        key_account_threshold=a.key_account_threshold, seed=plan.assumptions.seed,
        assumptions=plan.assumptions)
    return _replace(plan, territories=result)


def _with_staffing(plan: Plan) -> Plan:
    from salesplan import staffing

    return _replace(plan, staffing=staffing.staffing_tables(plan))


def _replace(plan: Plan, **changes) -> Plan:
    from dataclasses import replace

    return replace(plan, **changes)
