"""The targets explorer: growth, split method and monthly pattern over a live target plan."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from salesplan.plan import Plan, build_plan
from salesplan.i18n import catalogue
from salesplan.plots.targets import plot_targets
from salesplan.schema import METRICS, SEASONALITY_METHODS, SPLIT_METHODS
from salesplan.widgets.base import Explorer, rep_names
from salesplan.widgets.controls import PercentBox, labelled
from salesplan.widgets.format import fmt
from salesplan.widgets.labels import money_unit, month_names, options, text

__all__ = ["TargetExplorer", "LEVELS"]

#: Columns of a month x entity table (:func:`salesplan.targets.pivot`) before ``Year``.
MONTHS = tuple(catalogue()["months"]["en"])
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
#: Levels a target table can be shown by.
LEVELS = ("region", "team", "product_line", "rep_id")
_DROPDOWN = {"layout": w.Layout(width="340px")}


class TargetExplorer(Explorer):
    """Growth, split method and monthly pattern controls over a live target plan.

    With the controls as they open, the plan is exactly
    ``build_plan(inputs)``, the plan of notebook 01.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    language : {"en", "zh"}, optional
        Default: the assumptions' language.

    Attributes
    ----------
    plan : Plan
        The plan on screen (export it to get what the manager sees).
    growth : PercentBox
    line_growth : dict of str to PercentBox
        Growth of each product line (following ``growth`` until set apart).
    split, season, level, metric : ipywidgets.Dropdown
    """

    def __init__(self, inputs, *, language: str | None = None):
        super().__init__(inputs, language=language, figsize=(11, 3.6))
        t, lang = inputs.assumptions.targets, self.language
        self.growth = PercentBox(text("growth", lang), t.growth, low=-0.5, high=1.0, language=lang)
        lines = sorted(inputs.history["product_line"].astype(str).unique())
        self.line_growth = {pl: PercentBox(text("line_growth", lang, line=pl), t.product_line_growth.get(pl, t.growth),
                                           low=-0.5, high=2.0, language=lang) for pl in lines}
        self.split = w.Dropdown(options=options(SPLIT_METHODS, lang), value=t.split_method, **_DROPDOWN)
        self.season = w.Dropdown(options=options(SEASONALITY_METHODS, lang), value=t.seasonality, **_DROPDOWN)
        self.level = w.Dropdown(options=options(LEVELS, lang), value="region", **_DROPDOWN)
        self.metric = w.Dropdown(options=options(METRICS, lang), value="revenue", **_DROPDOWN)
        self.growth.observe(self._follow, names="value")
        self._watch(self.growth, self.split, self.season, *self.line_growth.values())
        self._watch(self.level, self.metric, view=True)
        self.refresh()

    @property
    def plan(self) -> Plan:
        """The plan on screen."""
        return self.result

    def controls(self) -> list[w.Widget]:
        """Every control that changes the plan or the view."""
        return [self.growth, *self.line_growth.values(), self.split, self.season, self.level, self.metric]

    def layout(self) -> list[w.Widget]:
        """One control a line, each behind its full label."""
        lang = self.language
        return [self.growth, *self.line_growth.values(), labelled(text("split_method", lang), self.split),
                labelled(text("seasonality", lang), self.season), labelled(text("show_by", lang), self.level),
                labelled(text("metric", lang), self.metric)]

    def _follow(self, change) -> None:
        # a product line that followed the overall growth keeps following it (one re-plan, after)
        with self.hold():
            for box in self.line_growth.values():
                if abs(box.value - change["old"]) < 1e-9:
                    box.value = change["new"]

    def changes(self) -> dict[str, Any]:
        """Assumptions (dotted keys) the controls set apart from the company's.

        Returns
        -------
        dict
            Empty when the controls show the company's own assumptions.
        """
        t = self.inputs.assumptions.targets
        lines = {pl: b.value for pl, b in self.line_growth.items() if abs(b.value - self.growth.value) > 1e-9}
        wanted = {"targets.growth": self.growth.value, "targets.split_method": self.split.value,
                  "targets.seasonality": self.season.value, "targets.product_line_growth": lines}
        now = {"targets.growth": t.growth, "targets.split_method": t.split_method,
               "targets.seasonality": t.seasonality,
               "targets.product_line_growth": {pl: g for pl, g in t.product_line_growth.items()
                                               if abs(g - t.growth) > 1e-9}}
        return {k: v for k, v in wanted.items() if v != now[k]}

    def build(self, *, final: bool = True) -> Plan:
        """The target plan for the controls' settings.

        Parameters
        ----------
        final : bool
            Unused (the target plan is fast).

        Returns
        -------
        Plan
        """
        return build_plan(self.inputs, self.assumptions())

    def draw(self, plan: Plan) -> None:
        """Headline, stacked monthly chart and the month x entity table.

        Parameters
        ----------
        plan : Plan
        """
        lang, level, metric = self.language, self.level.value, self.metric.value
        s = plan.targets.metrics.totals
        self.headline.value = "<b style='font-size:15px'>" + text(
            "head.targets", lang, revenue=self.money(s["revenue"]), collections=self.money(s["collections"]),
            new_customers=fmt(s["new_customers"], "int")) + "</b>"
        names = rep_names(self.inputs.reps) if level == "rep_id" else None
        (ax,) = self.axes(lambda fig: [fig.add_subplot()], key=(level, metric))
        plot_targets(plan.targets, by=level, metric=metric, ax=ax, language=lang, names=names,
                     display_unit=self.display_unit)
        self.render()
        self.tables.value = self._table(plan, level, metric, names)

    def _table(self, plan: Plan, level: str, metric: str, names: dict | None) -> str:
        lang = self.language
        tab = plan.by(level, metric=metric)
        kind = "money" if catalogue()["metrics"].get(metric, {}).get("kind") == "money" else "int"
        months, quarters = month_names(lang), catalogue()["quarters"][lang]
        heads = [months[MONTHS.index(c)] if c in MONTHS else quarters[int(c[1]) - 1] if c in QUARTERS
                 else text("col.year", lang) for c in tab.columns]  # Jan .. Dec, Q1 .. Q4, Year
        frame = tab.set_axis([f"c{i}" for i in range(len(tab.columns))], axis=1).reset_index()
        total = text("col.total", lang)
        frame[level] = frame[level].astype(str).map(lambda k: total if k == "Total" else (names or {}).get(k, k))
        columns = {level: (text(level, lang), "text")}
        columns.update({f"c{i}": (h, kind) for i, h in enumerate(heads)})
        unit = money_unit(self.display_unit, lang) if kind == "money" else text("unit.count", lang)
        caption = text("table.targets", lang, metric=text(metric, lang), level=text(level, lang).lower(), unit=unit)
        return self.table(frame, columns, caption=caption, total_row=total)
