"""The territory explorer: balance tolerance, cap on moved accounts and weight of potential."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from salesplan.plots.territory import plot_territory_map, plot_workload
from salesplan.territory import Assignment, assign
from salesplan.widgets.base import Explorer, warnings_html
from salesplan.widgets.controls import PercentBox
from salesplan.widgets.format import fmt
from salesplan.widgets.labels import money_unit, text

__all__ = ["TerritoryExplorer"]

#: Rows of the moved-accounts table.
MOVED_ROWS = 15


class TerritoryExplorer(Explorer):
    """Tolerance, moved-share cap and potential weight over the territory model.

    With the controls as they open, the assignment is exactly
    ``assign(accounts, reps, assumptions=inputs.assumptions)``, the proposal
    of notebook 02.  After a change, a first plan without the final exact
    polish shows at once (it already meets the balance and the cap) and the
    polished plan replaces it when it is ready.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    language : {"en", "zh"}, optional

    Attributes
    ----------
    assignment : Assignment
        The assignment on screen.
    tolerance, cap, weight : PercentBox
        ``cap`` at 100 % means no cap.
    """

    progressive = True

    def __init__(self, inputs, *, language: str | None = None):
        super().__init__(inputs, language=language, figsize=(12.5, 5.4))
        t, lang = inputs.assumptions.territory, self.language
        self.tolerance = PercentBox(text("tolerance", lang), t.tolerance, low=0.02, high=0.3, language=lang)
        self.cap = PercentBox(text("max_moved", lang), 1.0 if t.max_moved_share is None else t.max_moved_share,
                              low=0.0, high=1.0, step=0.05, language=lang)
        self.weight = PercentBox(text("potential_weight", lang), t.potential_weight, low=0.0, high=1.0, step=0.1,
                                 language=lang)
        self._watch(self.tolerance, self.cap, self.weight)
        self.refresh()

    @property
    def assignment(self) -> Assignment:
        """The assignment on screen."""
        return self.result

    def controls(self) -> list[w.Widget]:
        """Every control that changes the assignment."""
        return [self.tolerance, self.cap, self.weight]

    def changes(self) -> dict[str, Any]:
        """Assumptions (dotted keys) the controls set apart from the company's.

        Returns
        -------
        dict
        """
        t = self.inputs.assumptions.territory
        cap = None if self.cap.value >= 1.0 else self.cap.value
        wanted = {"territory.tolerance": self.tolerance.value, "territory.max_moved_share": cap,
                  "territory.potential_weight": self.weight.value}
        now = {"territory.tolerance": t.tolerance, "territory.max_moved_share": t.max_moved_share,
               "territory.potential_weight": t.potential_weight}
        return {k: v for k, v in wanted.items() if v != now[k]}

    def build(self, *, final: bool = True) -> Assignment:
        """The assignment for the controls' settings.

        Parameters
        ----------
        final : bool
            False: skip the exact polish of the most ambiguous accounts (a
            quick first plan, within the same balance and cap).

        Returns
        -------
        Assignment
        """
        options = {} if final else {"polish": False}
        return assign(self.inputs.accounts, self.inputs.reps, assumptions=self.assumptions(), **options)

    def draw(self, result: Assignment) -> None:
        """Headline, map and workload chart, per-rep and moved-account tables.

        Parameters
        ----------
        result : Assignment
        """
        lang, m = self.language, result.metrics
        self.headline.value = "<b style='font-size:15px'>" + text(
            "head.territories", lang, deviation=fmt(m.max_abs_deviation, "share", digits=1),
            cost=fmt(m.cost, "int"), bound=fmt(m.lower_bound, "int"), gap=f"{m.gap_pct:.2f}%",
            moved=fmt(m.moved, "int"), moved_share=fmt(m.moved_share, "share", digits=1)) + "</b>"
        key = tuple(result.reps["rep_id"])  # the legend names the reps: same reps, same layout
        a1, a2 = self.axes(lambda fig: fig.subplots(1, 2, width_ratios=[1.7, 1]), key=key)
        plot_territory_map(self.inputs.accounts, result.table["rep_id"].to_numpy(), result.reps, ax=a1,
                           language=lang)
        plot_workload(result.by_rep, self.assumptions().territory.tolerance, ax=a2, language=lang)
        self.render()
        self.warnings.value = warnings_html(tuple(self.inputs.findings) + tuple(result.findings), lang)
        self.tables.value = self._by_rep(result) + self._moved(result)

    def _by_rep(self, result: Assignment) -> str:
        lang = self.language
        cols = {c: (text(f"col.{c}", lang), k) for c, k in
                [("rep_id", "text"), ("name", "text"), ("role", "text"), ("fte", "number:1"), ("accounts", "int"),
                 ("key_accounts", "int"), ("load", "number:1"), ("deviation", "share:1"), ("visits", "number:1"),
                 ("visit_capacity", "number:1"), ("visit_use", "share:0"), ("travel_km", "int")]}
        cols["rep_id"] = (text("col.rep", lang), "text")
        frame = result.by_rep.merge(result.capacity[["rep_id", "visit_capacity", "visit_use"]], on="rep_id", how="left")
        return self.table(frame, cols, caption=text("table.by_rep", lang))

    def _moved(self, result: Assignment) -> str:
        lang, unit = self.language, money_unit(self.display_unit, self.language)
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("account_id", "text"), ("name", "text"), ("city", "text"), ("segment", "text"),
                 ("workload", "number:1"), ("potential", "money"), ("current_rep_id", "text"), ("rep_id", "text"),
                 ("distance_km", "int")]}
        return self.table(result.moved_accounts().head(MOVED_ROWS), cols, caption=text("table.moved", lang))
