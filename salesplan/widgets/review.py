"""The review explorer: the year so far as of a closed month -- attainment, year-end outlook, ranking, allowances."""

from __future__ import annotations

import ipywidgets as w

from salesplan.errors import InputError
from salesplan.forecast import COMPANY
from salesplan.i18n import catalogue
from salesplan.plan import Plan
from salesplan.plots.review import plot_achievement_heatmap, plot_forecast_fan
from salesplan.review import Review, as_of_month, review
from salesplan.schema import METRICS
from salesplan.widgets.base import Explorer, month_label, plan_of, rep_names
from salesplan.widgets.controls import labelled
from salesplan.widgets.format import fmt
from salesplan.widgets.labels import money_unit, options, text

__all__ = ["ReviewExplorer", "LEVELS", "QUICK_RUNS"]

#: Levels the heat-map and the ranking can show, the reps first.
LEVELS = ("rep_id", "team", "region", "product_line")
#: Simulated years of the first forecast shown after a change (the full number follows in the background).
QUICK_RUNS = 2000
_DROPDOWN = {"layout": w.Layout(width="340px")}


class ReviewExplorer(Explorer):
    """The in-year review of a plan as of a chosen closed month.

    Shows the revenue to date against the target and the year-end outlook
    (headline), the attainment heat-map by rep (or team, region, product
    line) and month, the forecast fans of the company and a region
    (P10-P90 against the running target), the outlook table, the best and
    worst to date and the allowances payroll pays for the month.  With the
    controls as they open it is exactly ``salesplan.review(plan)``, the
    review of notebook 04.  After a change of month the review shows at
    once with a forecast of :data:`QUICK_RUNS` simulated years; the forecast
    of the full number replaces it when ready.

    Parameters
    ----------
    plan : Plan or Inputs
        The plan in force, or a company's inputs (then ``build_plan(inputs)``
        is reviewed); the inputs must carry actuals (``actuals.csv``).
    as_of : str, optional
        Closed month shown first, ``YYYY-MM`` (default: the last month of
        the actuals).
    runs : int, optional
        Simulated years of the forecast (default: ``simulation.runs``).
    language : {"en", "zh"}, optional
        Default: the assumptions' language.

    Attributes
    ----------
    plan : Plan
        The plan reviewed.
    review : Review
        The review on screen.
    as_of : ipywidgets.Dropdown
        The closed months of the actuals (re-runs the review).
    metric, level, region : ipywidgets.Dropdown
        What the heat-map, the ranking and the second fan show (redraw only).

    Raises
    ------
    InputError
        The inputs have no actuals, or ``as_of`` is not a closed month.
    """

    progressive = True
    refining = "refining.review"

    def __init__(self, plan, *, as_of: str | None = None, runs: int | None = None, language: str | None = None):
        plan = plan_of(plan)
        super().__init__(plan.inputs, language=language, figsize=(12.5, 6.0))
        self.plan, self.runs, lang = plan, runs, self.language
        if (reason := self.unavailable(plan.inputs, "en")) is not None:
            raise InputError(f"{plan.inputs.folder or 'the company folder'}/actuals.csv", [reason])
        acts = plan.inputs.actuals
        months = [str(m) for m in sorted(acts["month"].unique())]
        first = str(as_of_month(as_of, acts, plan.year, where="ReviewExplorer(as_of=...)"))
        self.as_of = w.Dropdown(options=[(month_label(m, lang), m) for m in months], value=first, **_DROPDOWN)
        targeted = set(plan.targets.table["metric"])
        self.metric = w.Dropdown(options=options([m for m in METRICS if m in targeted], lang), value="revenue",
                                 **_DROPDOWN)
        self.level = w.Dropdown(options=options(LEVELS, lang), value="rep_id", **_DROPDOWN)
        regions = sorted(plan.targets.table["region"].astype(str).unique())
        self.region = w.Dropdown(options=regions, value=regions[0], **_DROPDOWN)
        self._names = rep_names(plan.inputs.reps)
        self._people = dict(zip(plan.inputs.reps["rep_id"].astype(str), plan.inputs.reps["name"]))
        self._watch(self.as_of)
        self._watch(self.metric, self.level, self.region, view=True)
        self.refresh()

    @classmethod
    def unavailable(cls, inputs, language: str = "en") -> str | None:
        """Why there is no review (no ``actuals.csv``), or None.

        Parameters
        ----------
        inputs : Inputs
        language : {"en", "zh"}

        Returns
        -------
        str or None
        """
        actuals = inputs.actuals
        return text("review.no_actuals", language) if actuals is None or not len(actuals) else None

    @property
    def review(self) -> Review:
        """The review on screen."""
        return self.result

    def controls(self) -> list[w.Widget]:
        """The month reviewed and what the charts and tables show."""
        return [self.as_of, self.metric, self.level, self.region]

    def layout(self) -> list[w.Widget]:
        """One control a line, each behind its full label."""
        lang = self.language
        return [labelled(text("as_of", lang), self.as_of), labelled(text("metric", lang), self.metric),
                labelled(text("show_by", lang), self.level), labelled(text("forecast_of", lang), self.region)]

    def build(self, *, final: bool = True) -> Review:
        """The review as of the chosen month.

        Parameters
        ----------
        final : bool
            False: a forecast of :data:`QUICK_RUNS` simulated years at most
            (a quick first review).

        Returns
        -------
        Review
        """
        return review(self.plan, self.as_of.value, runs=self._runs(final))

    def _runs(self, final: bool) -> int:
        runs = self.runs or self.plan.assumptions.simulation.runs
        return runs if final else min(runs, QUICK_RUNS)

    def review_for(self, plan: Plan) -> Review:
        """The review on screen when ``plan`` is the plan reviewed, else ``plan`` reviewed as of the same month.

        The app's workbook holds one plan with the settings of every tab;
        its review sheets compare the actuals with that plan's targets.

        Parameters
        ----------
        plan : Plan

        Returns
        -------
        Review
        """
        shown = self.result
        if shown is not None and shown.fingerprint == plan.fingerprint and shown.metrics.runs == self._runs(True):
            return shown
        return review(plan, self.as_of.value, runs=self._runs(True))

    def draw(self, result: Review) -> None:
        """Headline, heat-map and forecast fans, outlook, ranking and allowance tables.

        Parameters
        ----------
        result : Review
        """
        lang, m = self.language, result.metrics
        share = (lambda v: fmt(v, "share", digits=1))  # noqa: E731
        self.headline.value = "<b style='font-size:15px'>" + text(
            "head.review", lang, as_of=month_label(m.as_of, lang), actual=self.money(m.actual_ytd),
            target=self.money(m.target_ytd), attainment=share(m.attainment_ytd), expected=self.money(m.expected_year),
            annual=self.money(m.annual_target), expected_attainment=share(m.expected_attainment),
            p_hit=share(m.p_hit_annual)) + "</b>"
        metric, level = self.metric.value, self.level.value
        heat, bar, company, region = self.axes(_layout, key=(metric, level))
        plot_achievement_heatmap(result.achievement, metric=metric, level=level, ax=heat, cax=bar, language=lang,
                                 names=self._people if level == "rep_id" else None)
        plot_forecast_fan(result.forecast, ax=company, language=lang, display_unit=self.display_unit)
        plot_forecast_fan(result.forecast, entity=self.region.value, ax=region, language=lang,
                          display_unit=self.display_unit, legend=False)
        self.render()
        self.tables.value = self._outlook(result) + self._ranking(result) + self._allowances(result)

    def _outlook(self, result: Review) -> str:
        lang, unit = self.language, money_unit(self.display_unit, self.language)
        frame = result.outlook.assign(entity=result.outlook["entity"].replace(COMPANY, text("entity.company", lang)))
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("entity", "text"), ("annual_target", "money"), ("actual_ytd", "money"), ("attainment_ytd", "share:1"),
                 ("expected_year", "money"), ("expected_attainment", "share:1"), ("attainment_p10", "share:1"),
                 ("attainment_p90", "share:1"), ("p_hit", "share:1")]}
        cols["entity"] = (text("col.who", lang), "text")
        return self.table(frame, cols, caption=text("table.outlook", lang, unit=unit))

    def _ranking(self, result: Review) -> str:
        lang, metric, level = self.language, self.metric.value, self.level.value
        money = catalogue()["metrics"].get(metric, {}).get("kind") == "money"
        unit = money_unit(self.display_unit, lang) if money else text("unit.count", lang)
        r = result.ranking[(result.ranking["metric"] == metric) & (result.ranking["level"] == level)]
        frame = r.assign(side=r["side"].map(lambda s: text(f"side.{s}", lang)),
                         entity=r["entity"].map(lambda e: self._names.get(e, e) if level == "rep_id" else e))
        kind = "money" if money else "int"
        cols = {"side": (text("col.side", lang), "text"), "rank": (text("col.rank", lang), "int"),
                "entity": (text(level, lang), "text"), "target": (text("col.target", lang, unit=unit), kind),
                "actual": (text("col.actual", lang, unit=unit), kind),
                "attainment": (text("col.attainment", lang), "share:1")}
        caption = text("table.ranking", lang, metric=text(metric, lang), level=text(level, lang).lower())
        return self.table(frame, cols, caption=caption)

    def _allowances(self, result: Review) -> str:
        lang, unit = self.language, money_unit(self.display_unit, self.language)
        month = result.allowances[result.allowances["month"] == result.as_of]
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("rep_id", "text"), ("name", "text"), ("shipment_target", "money"), ("shipment_actual", "money"),
                 ("met", "flag"), ("transport", "amount"), ("phone", "amount"), ("withheld", "amount")]}
        cols["rep_id"] = (text("col.rep", lang), "text")
        caption = text("table.allowances", lang, month=month_label(result.as_of, lang))
        total = text("chart.ytd", lang)
        totals = result.allowance_totals
        totals = totals.assign(month=[total if p == "YTD" else month_label(p, lang) for p in totals["month"].astype(str)])
        tcols = {c: (text(f"col.{c}", lang), k) for c, k in
                 [("month", "text"), ("reps", "int"), ("met", "int"), ("paid", "amount"), ("withheld", "amount")]}
        tcols["met"] = (text("col.met_count", lang), "int")
        return (self.table(month, cols, caption=caption)
                + self.table(totals, tcols, caption=text("table.allowance_totals", lang), total_row=total))


def _layout(figure) -> list:
    """Heat-map and its colour bar on the left, the company's and a region's fan on the right."""
    grid = figure.add_gridspec(2, 3, width_ratios=[1.2, 0.035, 1])
    return [figure.add_subplot(grid[:, 0]), figure.add_subplot(grid[:, 1]), figure.add_subplot(grid[0, 2]),
            figure.add_subplot(grid[1, 2])]

