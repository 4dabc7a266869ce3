"""The plan: inputs + assumptions + every model's result, frozen together.

:func:`build_plan` is the only orchestrator: it runs the models on
validated inputs and returns a :class:`Plan`, which the notebooks show,
the app drives and :func:`salesplan.export.to_excel` writes.  Each part is a
typed result object (:class:`~salesplan.targets.Targets`,
:class:`~salesplan.territory.Assignment`,
:class:`~salesplan.staffing.Staffing`,
:class:`~salesplan.simulate.Simulation`) with its own ``metrics``,
``to_frames()`` and ``summary()``.  During the year a plan may also
carry its in-year review (:meth:`Plan.with_review`,
:class:`~salesplan.review.Review`) and, once re-planned
(:func:`salesplan.replan.replan`), what the re-plan changed
(:class:`~salesplan.plandiff.ReplanChanges`); the workbook shows both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import pandas as pd

from salesplan.assumptions import Assumptions, override
from salesplan.errors import Finding, InputError, warnings_text
from salesplan.inputs import Inputs, load_inputs
from salesplan.targets import Targets, commitment_gap, decompose, pivot

if TYPE_CHECKING:  # pragma: no cover
    from salesplan.plandiff import PlanDiff, ReplanChanges
    from salesplan.review import Review
    from salesplan.simulate import Simulation
    from salesplan.staffing import Staffing
    from salesplan.territory import Assignment

__all__ = ["Plan", "build_plan"]


@dataclass(frozen=True)
class Plan:
    """One planning scenario (treat the frames as read-only).

    Attributes
    ----------
    inputs : Inputs
        The validated company tables.
    assumptions : Assumptions
        The assumptions the plan was built with (including any model
        options given to :func:`build_plan`).
    targets : Targets
        Targets per rep x product line x month x metric.
    territories : Assignment or None
        Accounts to reps, when built.
    staffing : Staffing or None
        Sizing, capacity, hiring, org and cost, when built.
    simulation : Simulation or None
        Monte Carlo odds of making the target, when built.
    review : Review or None
        The in-year review of this plan (:meth:`with_review`).
    changes : ReplanChanges or None
        On a re-planned plan (:func:`salesplan.replan.replan`): the request
        (months kept, leavers, joiners) and what changed from the plan in
        force.
    extras : mapping of str to DataFrame
        Further named tables to export (e.g. scenario comparisons).
    """

    inputs: Inputs
    assumptions: Assumptions
    targets: Targets
    territories: "Assignment | None" = None
    staffing: "Staffing | None" = None
    simulation: "Simulation | None" = None
    review: "Review | None" = None
    changes: "ReplanChanges | None" = None
    extras: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def year(self) -> int:
        """The plan year."""
        return self.assumptions.plan_year

    @property
    def fingerprint(self) -> str:
        """Fingerprint of the inputs and assumptions that made this plan."""
        return self.inputs.fingerprint

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Warnings the plan was built despite: the input checks' (:attr:`Inputs.findings`, under the plan's
        assumptions), then the territories' (visits against capacity, stand-ins:
        :attr:`Assignment.findings <salesplan.territory.Assignment.findings>`)."""
        own = self.territories.findings if self.territories is not None else ()
        return tuple(self.inputs.findings) + tuple(f for f in own if f not in self.inputs.findings)

    def total(self, metric: str = "revenue") -> float:
        """Company annual target of ``metric`` (currency or count)."""
        return self.targets.total(metric)

    def monthly_target(self, metric: str = "revenue") -> pd.Series:
        """Company target by month (index: ``Period[M]``; currency or count)."""
        return self.targets.monthly(metric)

    def by(self, level: str | list[str], metric: str = "revenue") -> pd.DataFrame:
        """Month x entity table (see :func:`salesplan.targets.pivot`)."""
        return pivot(self.targets.table, level, metric=metric)

    def commitment_gap(self, by: str = "rep_id") -> pd.DataFrame:
        """Top-down targets vs the reps' commitments (empty without commitments.csv)."""
        return commitment_gap(self.targets.table, self.inputs.commitments, by=by)

    def summary(self) -> str:
        """Headline numbers of every part, one line each, for a terminal or a notebook; the warnings of
        the input checks first (a ``warnings (n):`` block), when there are any."""
        parts = [self.targets, self.territories, self.staffing, self.simulation, self.review, self.changes]
        lines = [warnings_text(self.findings)] + [p.summary() for p in parts if p is not None]
        return "\n".join(x for x in lines if x)

    def with_assumptions(self, assumptions: Assumptions) -> "Plan":
        """The plan rebuilt under other assumptions, with the same parts (territories, staffing, odds).

        A review or re-plan changes are not carried over: they describe the
        plan they were made of (review the rebuilt plan again).

        Parameters
        ----------
        assumptions : Assumptions

        Returns
        -------
        Plan
        """
        return build_plan(self.inputs, assumptions, territories=self.territories is not None,
                          staffing=self.staffing is not None, simulation=self.simulation is not None)

    def with_extras(self, tables: Mapping[str, pd.DataFrame]) -> "Plan":
        """The same plan with further named tables to export (e.g. scenario comparisons)."""
        return dataclasses.replace(self, extras={**self.extras, **tables})

    def with_review(self, review: "Review") -> "Plan":
        """The same plan carrying its in-year review (the workbook adds the review's sheets).

        Parameters
        ----------
        review : Review
            ``salesplan.review(plan)`` of this plan.

        Returns
        -------
        Plan

        Raises
        ------
        ValueError
            A review of another plan (other targets or inputs).
        """
        if review.fingerprint != self.fingerprint:
            raise ValueError(f"this review was made of the plan with inputs {review.fingerprint or 'unknown'}, "
                             f"not of this one ({self.fingerprint}); review this plan: salesplan.review(plan)")
        return dataclasses.replace(self, review=review)

    def diff(self, other: "Plan") -> "PlanDiff":
        """What changed from this plan to ``other``: targets per rep, metric and month, accounts moved
        (:func:`salesplan.plandiff.diff_plans`)."""
        from salesplan.plandiff import diff_plans

        return diff_plans(self, other)


def build_plan(
    inputs: Inputs | str | Path,
    assumptions: Assumptions | None = None,
    *,
    territories: bool | Mapping[str, Any] = False,
    staffing: bool | Mapping[str, Any] = False,
    simulation: bool | Mapping[str, Any] = False,
) -> Plan:
    """Run the planning models.

    Parameters
    ----------
    inputs : Inputs or path
        Validated inputs, or a company folder to load.
    assumptions : Assumptions, optional
        Overrides the inputs' assumptions.
    territories : bool or mapping
        Also assign accounts to reps (:func:`salesplan.territory.assign`);
        a mapping gives options of the ``territory`` section
        (``{"max_moved_share": 0.25}``).
    staffing : bool or mapping
        Also size the team (:func:`salesplan.staffing.size_team`); a mapping
        gives options of the ``staffing`` section.
    simulation : bool or mapping
        Also simulate the odds of making the target
        (:func:`salesplan.simulate.simulate`); a mapping gives options of the
        ``simulation`` section (``{"runs": 2000}``).

    Returns
    -------
    Plan
        Its assumptions include the options given here, so
        :meth:`Plan.with_assumptions` and the workbook see them.

    Raises
    ------
    TypeError
        An option that is not a setting of its section.
    InputError, InfeasibleError
        Bad input, or a request no plan can meet.
    """
    if isinstance(inputs, (str, Path)):
        inputs = load_inputs(inputs)
    if not isinstance(inputs, Inputs):
        raise InputError("build_plan(inputs=...)", [f"must be Inputs (salesplan.load_inputs) or a company folder "
                                                    f"(got {type(inputs).__name__})"])
    if assumptions is not None and not isinstance(assumptions, Assumptions):
        raise InputError("build_plan(assumptions=...)", [f"must be an Assumptions object (got "
                                                         f"{type(assumptions).__name__})"])
    a = assumptions or inputs.assumptions
    parts = {"territory": territories, "staffing": staffing, "simulation": simulation}
    bad = [f"{k if k != 'territory' else 'territories'}: must be true, false or a mapping of options (got {v!r})"
           for k, v in parts.items() if not isinstance(v, (bool, Mapping))]
    if bad:
        raise InputError("build_plan()", bad)
    changes = {name: override(getattr(a, name), f"build_plan({name}=...)", opts)
               for name, opts in parts.items() if isinstance(opts, Mapping)}
    if changes:
        a = dataclasses.replace(a, **changes)
    if a is not inputs.assumptions:
        inputs = inputs.with_assumptions(a)
    targets = decompose(inputs, a)
    built: dict[str, Any] = {}
    if territories is not False:
        from salesplan.territory import assign

        built["territories"] = assign(inputs.accounts, inputs.reps, assumptions=a)
    if staffing is not False:
        from salesplan.staffing import size_team

        built["staffing"] = size_team(inputs, targets, a, territories=built.get("territories"))
    plan = Plan(inputs=inputs, assumptions=a, targets=targets, **built)
    if simulation is not False:
        from salesplan.simulate import simulate

        plan = dataclasses.replace(plan, simulation=simulate(plan))
    return plan
