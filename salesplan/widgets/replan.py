"""The re-plan explorer: pick a leaver, their last day and the months kept as planned; see who takes what."""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from salesplan.export.inyear import span_label
from salesplan.i18n import catalogue, texts
from salesplan.plan import Plan
from salesplan.plots.review import plot_replan_changes
from salesplan.replan import KEEP, replan
from salesplan.schema import METRICS
from salesplan.widgets.base import Explorer, month_label, plan_of, rep_names
from salesplan.widgets.controls import labelled
from salesplan.widgets.format import fmt
from salesplan.widgets.labels import money_unit, options, text

__all__ = ["ReplanExplorer", "ACCOUNT_ROWS", "default_leaver"]

#: Rows of the table of accounts that change rep.
ACCOUNT_ROWS = 40
_DROPDOWN = {"layout": w.Layout(width="340px")}


class ReplanExplorer(Explorer):
    """Pick a leaver, their last day and the months kept as planned: see who takes what.

    Each change runs :func:`salesplan.replan` on the plan in force: the
    targets of the months kept stay exactly as planned, the leaver carries
    none after their last day, their accounts go to the remaining reps.  The
    headline says how much moved, the chart and the tables show each rep's
    new targets and the accounts that change hands.

    Parameters
    ----------
    plan : Plan or Inputs
        The plan in force, built with territories so the hand-over starts
        from them; or a company's inputs (then
        ``build_plan(inputs, territories=True)``).
    leaver : str, optional
        Rep selected first (default: a rep the actuals show has left, else
        the first rep with a target who has a team mate to hand over to).
    last_day : str, optional
        ``YYYY-MM-DD`` selected first (default: the leaver's last day the
        actuals show, else the end of ``as_of``).
    as_of : str, optional
        Last month kept as planned, ``YYYY-MM`` (default: the last month of
        the actuals, else June).
    language : {"en", "zh"}, optional
        Default: the assumptions' language.

    Attributes
    ----------
    plan : Plan
        The plan in force.
    new_plan : Plan or None
        The re-planned plan on screen (its ``changes`` say what changed).
    diff : PlanDiff or None
        ``plan.diff(new_plan)``.
    leaver, as_of, metric : ipywidgets.Dropdown
        ``metric`` chooses what the chart and the table show (redraw only).
    last_day : ipywidgets.DatePicker
    keep : ipywidgets.ToggleButtons
        ``year`` (every level above the reps keeps its annual target) or
        ``remaining`` (re-based on the actuals to date).
    """

    def __init__(self, plan, *, leaver: str | None = None, last_day: str | None = None, as_of: str | None = None,
                 language: str | None = None):
        plan = plan_of(plan, territories=True)
        super().__init__(plan.inputs, language=language, figsize=(11, 4.2))
        self.plan, lang = plan, self.language
        t = plan.targets.table
        carry = t[t["target"] > 0].drop_duplicates("rep_id")
        acts = plan.inputs.actuals
        as_of = as_of or (str(acts["month"].max()) if acts is not None and len(acts) else f"{plan.year}-06")
        months = [str(m) for m in pd.period_range(f"{plan.year}-01", periods=11, freq="M")]
        names = rep_names(carry)
        first, gone = default_leaver(plan, as_of)
        if leaver is None:
            leaver, last_day = first, last_day or gone
        self.leaver = w.Dropdown(options=[(names[r], r) for r in carry["rep_id"].astype(str)], value=leaver,
                                 **_DROPDOWN)
        self.last_day = w.DatePicker(value=pd.Timestamp(last_day or pd.Period(as_of, freq="M").end_time).date())
        self.as_of = w.Dropdown(options=[(month_label(m, lang), m) for m in months], value=as_of, **_DROPDOWN)
        self.keep = w.ToggleButtons(options=[(text(f"keep.{k}", lang), k) for k in KEEP], value="year",
                                    style={"button_width": "auto"})
        targeted = set(t["metric"])
        self.metric = w.Dropdown(options=options([m for m in METRICS if m in targeted], lang), value="revenue",
                                 **_DROPDOWN)
        self._names = rep_names(plan.inputs.reps)
        self._watch(self.leaver, self.last_day, self.as_of, self.keep)
        self._watch(self.metric, view=True)
        self.refresh()

    @property
    def new_plan(self) -> Plan | None:
        """The re-planned plan on screen."""
        return self.result

    @property
    def diff(self):
        """What changed from the plan in force to the plan on screen (``PlanDiff``)."""
        return self.result.changes.diff if self.result is not None else None

    def controls(self) -> list[w.Widget]:
        """The leaver, their last day, the months kept, what is kept above the reps, and the metric shown."""
        return [self.leaver, self.last_day, self.as_of, self.keep, self.metric]

    def layout(self) -> list[w.Widget]:
        """One control a line, each behind its full label."""
        lang = self.language
        return [labelled(text("leaver", lang), self.leaver), labelled(text("last_day", lang), self.last_day),
                labelled(text("keep_up_to", lang), self.as_of), labelled(text("keep", lang), self.keep),
                labelled(text("metric", lang), self.metric)]

    def build(self, *, final: bool = True) -> Plan:
        """The plan re-planned for the controls' leaver, last day and months kept.

        Parameters
        ----------
        final : bool
            Unused (a re-plan is quick).

        Returns
        -------
        Plan
            With ``changes`` (:class:`~salesplan.plandiff.ReplanChanges`).
        """
        last = self.last_day.value
        return replan(self.plan, self.as_of.value, leavers={self.leaver.value: str(last) if last else ""},
                      keep=self.keep.value)

    def draw(self, result: Plan) -> None:
        """Headline, the change of each rep's target with the accounts each takes over, and the tables.

        Parameters
        ----------
        result : Plan
        """
        lang, diff = self.language, result.changes.diff
        m = diff.metrics
        self.headline.value = "<b style='font-size:15px'>" + text(
            "head.replan", lang, reps=m.reps_changed, moved=self.money(m.revenue_moved),
            change=("+" if m.revenue_change > 0 else "") + self.money(m.revenue_change),
            accounts=fmt(m.accounts_moved, "int")) + "</b>"
        metric = self.metric.value
        (ax,) = self.axes(lambda fig: [fig.add_subplot()])
        plot_replan_changes(diff, metric=metric, ax=ax, language=lang, display_unit=self.display_unit,
                            names=self._names)
        self.render()
        self.tables.value = self._targets(diff, metric) + self._accounts(diff)

    def _targets(self, diff, metric: str) -> str:
        lang, t = self.language, texts(self.language)
        money = catalogue()["metrics"].get(metric, {}).get("kind") == "money"
        unit = money_unit(self.display_unit, lang) if money else text("unit.count", lang)
        d = diff.targets[diff.targets["metric"] == metric]
        frame = d.assign(months=d["months"].map(lambda s: span_label(s, t)))
        kind = "money" if money else "int"
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("rep_id", "text"), ("name", "text"), ("months", "text"), ("old", kind), ("new", kind),
                 ("old_year", kind), ("new_year", kind), ("change", kind)]}
        cols["rep_id"] = (text("col.rep", lang), "text")
        return self.table(frame, cols, caption=text("table.replan", lang, metric=text(metric, lang), unit=unit))

    def _accounts(self, diff) -> str:
        lang, t = self.language, texts(self.language)
        a = diff.accounts
        frame = a.assign(reason=a["reason"].map(t.value),
                         from_rep=a["from_rep"].map(lambda r: self._names.get(r, r)),
                         to_rep=a["to_rep"].map(lambda r: self._names.get(r, r)))
        unit = money_unit(self.display_unit, lang)
        cols = {c: (text(f"col.{c}", lang, unit=unit), k) for c, k in
                [("account_id", "text"), ("name", "text"), ("city", "text"), ("potential", "money"),
                 ("from_rep", "text"), ("to_rep", "text"), ("reason", "text")]}
        return self.table(frame, cols, caption=text("table.replan.accounts", lang, n=len(a)), max_rows=ACCOUNT_ROWS)


def default_leaver(plan: Plan, as_of: str) -> tuple[str, str | None]:
    """The rep a re-plan proposes first, and their last day when the actuals show it.

    A rep with a target whose results stop before ``as_of`` (the review's
    payroll: :func:`salesplan.review.payroll`) has left: they are proposed
    with their last day.  Without one, the first rep with a target who
    shares their region and team with another (someone can take over).

    Parameters
    ----------
    plan : Plan
    as_of : str
        Last month kept as planned, ``YYYY-MM``.

    Returns
    -------
    tuple of (str, str or None)
        Rep id and last day (``YYYY-MM-DD``) or None.
    """
    from salesplan.review import payroll

    t = plan.targets.table
    carry = t[t["target"] > 0].drop_duplicates("rep_id")
    acts = plan.inputs.actuals
    if acts is not None and len(acts):
        last = min(pd.Period(as_of, freq="M"), acts["month"].max())
        heads, _ = payroll(plan.inputs.reps, acts, last)
        gone = heads[~heads["on_payroll"] & heads["rep_id"].isin(carry["rep_id"]) & heads["last_day"].notna()]
        if len(gone):
            return str(gone["rep_id"].iloc[0]), str(pd.Timestamp(gone["last_day"].iloc[0]).date())
    mates = carry.groupby(["region", "team"])["rep_id"].transform("size")
    pick = carry[mates > 1] if (mates > 1).any() else carry
    return str(pick["rep_id"].iloc[0]), None
