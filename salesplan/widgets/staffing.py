"""The staffing explorer: attrition, ramp-up, time to fill, visits a day and hires over the staffing model."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from salesplan.plan import Plan, build_plan
from salesplan.plots.staffing import plot_capacity, plot_headcount_by_role
from salesplan.staffing import stretch_ramp, with_hires
from salesplan.widgets.base import Explorer
from salesplan.widgets.controls import HiresEditor, PercentBox, labelled
from salesplan.widgets.format import fmt
from salesplan.widgets.labels import money_unit, text

__all__ = ["StaffingExplorer"]

_SLIDER = {"continuous_update": False, "layout": w.Layout(width="240px")}
#: Simulated years of the first plan shown after a change (the full number follows in the background).
QUICK_RUNS = 2000


class StaffingExplorer(Explorer):
    """Attrition, ramp-up, time to fill, visits a day and a hiring schedule over the staffing model.

    With the controls as they open, the plan is exactly
    ``build_plan(inputs, staffing=True, simulation=True)`` -- the plan and
    odds of notebook 03, the handbook ramp-up curve included.  After a change
    the plan shows at once with :data:`QUICK_RUNS` simulated years; the odds
    of the full number of runs replace them when ready.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    runs : int, optional
        Simulated years per update (default: the assumptions' ``simulation.runs``).
    language : {"en", "zh"}, optional

    Attributes
    ----------
    plan : Plan
        The plan on screen, with ``staffing`` and ``simulation``.
    attrition : PercentBox
    ramp : ipywidgets.IntSlider
        Months to full productivity; the handbook curve's shape is kept
        (:func:`salesplan.staffing.stretch_ramp`).
    fill, visits : ipywidgets.IntSlider, ipywidgets.FloatSlider
    hires : HiresEditor
        Hires replacing the open rep requisitions, applied with its button.
    """

    progressive = True

    def __init__(self, inputs, *, runs: int | None = None, language: str | None = None):
        super().__init__(inputs, language=language, figsize=(11, 3.6))
        self.runs = runs
        s, p, lang = inputs.assumptions.staffing, inputs.assumptions.productivity, self.language
        self.attrition = PercentBox(text("attrition", lang), s.annual_attrition, low=0.0, high=0.6, language=lang)
        self.ramp = w.IntSlider(value=len(s.ramp_curve), min=1, max=24, **_SLIDER)
        self.fill = w.IntSlider(value=s.time_to_fill_months, min=0, max=6, **_SLIDER)
        self.visits = w.FloatSlider(value=p.visits_per_day, min=1, max=6, step=0.5, readout_format=".1f", **_SLIDER)
        year = inputs.assumptions.plan_year
        self.hires = HiresEditor([f"{year}-{m:02d}" for m in range(1, 13)], language=lang)
        self._watch(self.attrition, self.ramp, self.fill, self.visits, self.hires)
        self.refresh()

    @property
    def plan(self) -> Plan:
        """The plan on screen."""
        return self.result

    @property
    def simulation(self):
        """The simulated odds of the plan on screen."""
        return self.result.simulation if self.result is not None else None

    def controls(self) -> list[w.Widget]:
        """Every control that changes the plan."""
        return [self.attrition, self.ramp, self.fill, self.visits, self.hires]

    def layout(self) -> list[w.Widget]:
        """One control a line, each behind its full label."""
        lang = self.language
        return [self.attrition, labelled(text("ramp_months", lang), self.ramp),
                labelled(text("time_to_fill", lang), self.fill),
                labelled(text("visits_per_day", lang), self.visits), self.hires]

    def changes(self) -> dict[str, Any]:
        """Assumptions (dotted keys) the controls set apart from the company's.

        Returns
        -------
        dict
        """
        s, p = self.inputs.assumptions.staffing, self.inputs.assumptions.productivity
        wanted = {"staffing.annual_attrition": self.attrition.value,
                  "staffing.ramp_curve": stretch_ramp(s.ramp_curve, self.ramp.value),
                  "staffing.time_to_fill_months": self.fill.value,
                  "productivity.visits_per_day": float(self.visits.value)}
        now = {"staffing.annual_attrition": s.annual_attrition, "staffing.ramp_curve": list(s.ramp_curve),
               "staffing.time_to_fill_months": s.time_to_fill_months,
               "productivity.visits_per_day": float(p.visits_per_day)}
        return {k: v for k, v in wanted.items() if v != now[k]}

    def scenario_inputs(self):
        """The inputs with the applied hires in place of the open rep requisitions.

        Returns
        -------
        Inputs
        """
        hires = self.hires.applied
        return self.inputs.with_reps(with_hires(self.inputs.reps, hires)) if hires else self.inputs

    def build(self, *, final: bool = True) -> Plan:
        """The staffing plan and its odds for the controls' settings.

        Parameters
        ----------
        final : bool
            False: simulate :data:`QUICK_RUNS` years at most (a quick first plan).

        Returns
        -------
        Plan
        """
        runs = self.runs or self.inputs.assumptions.simulation.runs
        sim = {"runs": runs if final else min(runs, QUICK_RUNS)} if (self.runs or not final) else True
        return build_plan(self.scenario_inputs(), self.assumptions(), staffing=True, simulation=sim)

    def draw(self, plan: Plan) -> None:
        """Headline, capacity and head-count charts, sizing and hiring tables.

        Parameters
        ----------
        plan : Plan
        """
        lang, s, sim = self.language, plan.staffing.metrics, plan.simulation
        self.headline.value = "<b style='font-size:15px'>" + text(
            "head.staffing", lang, required=s.heads_required, planned=s.heads_planned,
            capacity=self.money(s.expected_capacity), target=self.money(s.revenue_target),
            p_hit=fmt(sim.metrics.p_hit_annual, "share")) + "</b>"
        roles = tuple(plan.staffing.org["role"])
        a1, a2 = self.axes(lambda fig: fig.subplots(1, 2, width_ratios=[1.7, 1]), key=roles)
        plot_capacity(plan.staffing.capacity, sim, ax=a1, language=lang, display_unit=self.display_unit)
        plot_headcount_by_role(plan.staffing.org, ax=a2, language=lang)
        self.render()
        self.tables.value = self._sizing(plan.staffing.sizing) + self._hiring(plan.staffing.hiring)

    def _sizing(self, sizing) -> str:
        lang = self.language
        frame = sizing.assign(method=sizing["method"].map(lambda m: text(f"method.{m}", lang)))
        cols = {"method": (text("col.method", lang), "text"),
                "reps_needed": (text("col.reps_needed", lang), "number:1"),
                "reps_rounded": (text("col.reps_rounded", lang), "int"), "basis": (text("col.basis", lang), "text"),
                "binding": (text("col.binding", lang), "flag")}
        return self.table(frame, cols, caption=text("table.sizing", lang))

    def _hiring(self, hiring) -> str:
        lang, unit = self.language, money_unit(self.display_unit, self.language)
        frame = hiring.assign(kind=hiring["kind"].map(lambda k: text(f"kind.{k}", lang)))
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("kind", "text"), ("hire", "int"), ("start_month", "month"), ("open_requisition_by", "month"),
                 ("for_month", "month"), ("capacity", "money"), ("target", "money"), ("shortfall", "money")]}
        return self.table(frame, cols, caption=text("table.hiring", lang))
