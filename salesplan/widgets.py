"""ipywidgets that wire controls to the planning functions (no model logic here).

Each explorer keeps the latest plan in its ``plan`` attribute, so the
notebook can export exactly what the manager sees.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from salesplan.errors import InfeasibleError, InputError
from salesplan.plan import Plan, build_plan
from salesplan.schema import SEASONALITY_METHODS, SPLIT_METHODS

__all__ = ["TargetExplorer", "StaffingExplorer", "TerritoryExplorer", "ReplanExplorer"]


def _warnings_html(findings) -> str:
    """The warnings of the input checks above an explorer's headline (empty when there are none)."""
    if not findings:
        return ""
    items = "".join(f"<li>{html.escape(str(f))} [{f.check}]</li>" for f in findings)
    return f"<div style='color:#a60'><b>{len(findings)} warning(s):</b><ul>{items}</ul></div>"


class TargetExplorer:
    """Growth, split method and seasonality controls over a live target plan.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    out_path : str or Path
        Workbook the Export button writes.
    """

    def __init__(self, inputs, out_path: str | Path):
        self.inputs = inputs
        self.out_path = Path(out_path)
        t = inputs.assumptions.targets
        self.growth = w.FloatSlider(value=t.growth, min=-0.2, max=0.5, step=0.01, description="Growth",
                                    readout_format=".0%", continuous_update=False)
        lines = sorted(inputs.history["product_line"].astype(str).unique())
        self.line_growth = {
            pl: w.FloatSlider(value=t.product_line_growth.get(pl, t.growth), min=-0.2, max=1.5, step=0.01,
                              description=f"{pl} growth", readout_format=".0%", continuous_update=False)
            for pl in lines
        }
        self.split = w.Dropdown(options=SPLIT_METHODS, value=t.split_method, description="Split by")
        self.season = w.Dropdown(options=SEASONALITY_METHODS, value=t.seasonality, description="Seasonality")
        self.level = w.Dropdown(options=["region", "team", "product_line", "rep_id"], value="region",
                                description="Show by")
        self.metric = w.Dropdown(options=["revenue", "collections", "new_customers"], value="revenue",
                                 description="Metric")
        self.export_button = w.Button(description="Export to Excel", icon="download")
        self.status = w.HTML()
        self.table = w.Output()
        self.chart = w.Output()
        self.plan: Plan | None = None
        for c in [self.growth, self.split, self.season, self.level, self.metric, *self.line_growth.values()]:
            c.observe(self._changed, names="value")
        self.growth.observe(self._sync_lines, names="value")
        self.export_button.on_click(self._export)
        self._changed()

    # -- wiring -------------------------------------------------------------
    def _sync_lines(self, change) -> None:
        # moving overall growth moves the lines that had followed it
        for s in self.line_growth.values():
            if abs(s.value - change["old"]) < 1e-9:
                s.value = change["new"]

    def assumptions(self):
        """The assumptions the controls currently describe."""
        lines = {pl: s.value for pl, s in self.line_growth.items() if abs(s.value - self.growth.value) > 1e-9}
        return self.inputs.assumptions.replace(**{
            "targets.growth": self.growth.value, "targets.split_method": self.split.value,
            "targets.seasonality": self.season.value, "targets.product_line_growth": lines})

    def _changed(self, change=None) -> None:
        try:
            self.plan = build_plan(self.inputs, self.assumptions())
        except (InputError, InfeasibleError) as exc:
            self.status.value = f"<b style='color:#b00'>{exc}</b>"
            return
        s = self.plan.targets.metrics.totals
        self.status.value = _warnings_html(self.plan.findings) + (
                             f"Revenue target <b>{s['revenue']:,.0f}</b> &middot; collections "
                             f"{s['collections']:,.0f} &middot; new customers "
                             f"{s['new_customers']:,.0f}")
        with self.table:
            self.table.clear_output(wait=True)
            display(self.plan.by(self.level.value, metric=self.metric.value).map("{:,.0f}".format))
        with self.chart:
            self.chart.clear_output(wait=True)
            from salesplan.plots.targets import plot_targets

            fig, ax = plt.subplots(figsize=(9, 3.2))
            plot_targets(self.plan.targets, by=self.level.value, metric=self.metric.value, ax=ax)
            display(fig)
            plt.close(fig)

    def _export(self, _=None) -> None:
        from salesplan.export import to_excel

        path = to_excel(self.plan, self.out_path)
        self.status.value += f" &middot; wrote <code>{path}</code>"

    # -- display ------------------------------------------------------------
    def widget(self) -> w.Widget:
        """The control panel with the table and chart below it."""
        controls = w.VBox([w.HBox([self.growth, self.split, self.season]),
                           w.HBox(list(self.line_growth.values())),
                           w.HBox([self.level, self.metric, self.export_button]), self.status])
        return w.VBox([controls, self.chart, self.table])

    def _ipython_display_(self) -> None:
        display(self.widget())


class StaffingExplorer:
    """Attrition, ramp-up, time-to-fill, hires and visits-per-day controls over the staffing model.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    runs : int
        Simulated years per update (kept small for a live feel).
    """

    def __init__(self, inputs, *, runs: int = 2000):
        self.inputs = inputs
        self.runs = runs
        s, p = inputs.assumptions.staffing, inputs.assumptions.productivity
        self.attrition = w.FloatSlider(value=s.annual_attrition, min=0, max=0.6, step=0.01,
                                       description="Attrition", readout_format=".0%", continuous_update=False)
        self.ramp = w.IntSlider(value=len(s.ramp_curve), min=1, max=18, description="Ramp months",
                                continuous_update=False)
        self.fill = w.IntSlider(value=s.time_to_fill_months, min=0, max=6, description="Time to fill",
                                continuous_update=False)
        self.visits = w.FloatSlider(value=p.visits_per_day, min=1, max=6, step=0.5, description="Visits/day",
                                    continuous_update=False)
        self.hires = w.Text(value="", description="Hires", placeholder="2027-03:3, 2027-06:2")
        self.status = w.HTML()
        self.chart = w.Output()
        self.table = w.Output()
        self.plan = None
        self.simulation = None
        for c in (self.attrition, self.ramp, self.fill, self.visits, self.hires):
            c.observe(self._changed, names="value")
        self._changed()

    def assumptions(self):
        """The assumptions the controls describe (ramp: linear to 1.0 over the chosen months)."""
        n = self.ramp.value
        curve = [round((i + 1) / n, 4) for i in range(n)]
        return self.inputs.assumptions.replace(**{
            "staffing.annual_attrition": self.attrition.value, "staffing.ramp_curve": curve,
            "staffing.time_to_fill_months": self.fill.value, "productivity.visits_per_day": self.visits.value})

    def _inputs(self):
        from salesplan.staffing import with_hires

        text = self.hires.value.strip()
        if not text:
            return self.inputs
        pairs = dict(part.split(":") for part in text.replace(" ", "").split(",") if part)
        return self.inputs.with_reps(with_hires(self.inputs.reps, {k: int(v) for k, v in pairs.items()}))

    def _changed(self, change=None) -> None:
        from salesplan.plots.staffing import plot_capacity, plot_headcount_by_role

        try:
            self.plan = build_plan(self._inputs(), self.assumptions(), staffing=True,
                                   simulation={"runs": self.runs})
            self.simulation = self.plan.simulation
        except (InputError, InfeasibleError, ValueError) as exc:
            self.status.value = f"<b style='color:#b00'>{exc}</b>"
            return
        s = self.plan.staffing.metrics
        self.status.value = _warnings_html(self.plan.findings) + (
                             f"Heads required <b>{s.heads_required}</b> (planned {s.heads_planned}) "
                             f"&middot; expected capacity {s.expected_capacity:,.0f} of "
                             f"{s.revenue_target:,.0f} &middot; P(hit target) "
                             f"<b>{self.simulation.metrics.p_hit_annual:.0%}</b>")
        with self.chart:
            self.chart.clear_output(wait=True)
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 3.5))
            plot_capacity(self.plan.staffing.capacity, self.simulation, ax=a1)
            plot_headcount_by_role(self.plan.staffing.org, ax=a2)
            display(fig)
            plt.close(fig)
        with self.table:
            self.table.clear_output(wait=True)
            display(self.plan.staffing.hiring)

    def widget(self) -> w.Widget:
        """Controls, charts and the hiring plan."""
        return w.VBox([w.HBox([self.attrition, self.ramp, self.fill]), w.HBox([self.visits, self.hires]),
                       self.status, self.chart, self.table])

    def _ipython_display_(self) -> None:
        display(self.widget())


class TerritoryExplorer:
    """Tolerance, moved-share cap and workload/potential weight over the territory model.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    """

    def __init__(self, inputs):
        self.inputs = inputs
        t = inputs.assumptions.territory
        self.tolerance = w.FloatSlider(value=t.tolerance, min=0.02, max=0.30, step=0.01, description="Tolerance",
                                       readout_format=".0%", continuous_update=False)
        self.cap = w.FloatSlider(value=1.0 if t.max_moved_share is None else t.max_moved_share, min=0.0,
                                 max=1.0, step=0.05, description="Max moved", readout_format=".0%",
                                 continuous_update=False)
        self.weight = w.FloatSlider(value=t.potential_weight, min=0.0, max=1.0, step=0.1,
                                    description="Potential wt", continuous_update=False)
        self.status = w.HTML()
        self.chart = w.Output()
        self.table = w.Output()
        self.assignment = None
        for c in (self.tolerance, self.cap, self.weight):
            c.observe(self._changed, names="value")
        self._changed()

    def assumptions(self):
        """The assumptions the controls describe (a cap of 100% means no cap)."""
        return self.inputs.assumptions.replace(**{
            "territory.tolerance": self.tolerance.value,
            "territory.max_moved_share": None if self.cap.value >= 1.0 else self.cap.value,
            "territory.potential_weight": self.weight.value})

    def _changed(self, change=None) -> None:
        from salesplan.plots.territory import plot_territory_map, plot_workload
        from salesplan.territory import assign

        a = self.assumptions()
        try:
            self.assignment = assign(self.inputs.accounts, self.inputs.reps, assumptions=a)
        except (InputError, InfeasibleError) as exc:
            self.status.value = f"<b style='color:#b00'>{exc}</b>"
            return
        m = self.assignment.metrics
        self.status.value = _warnings_html(self.inputs.findings) + (
                             f"Largest deviation <b>{m.max_abs_deviation:.1%}</b> &middot; cost "
                             f"{m.cost:,.0f} (bound {m.lower_bound:,.0f}, gap {m.gap_pct:.2f}%) "
                             f"&middot; moved <b>{m.moved}</b> accounts ({m.moved_share:.0%})")
        with self.chart:
            self.chart.clear_output(wait=True)
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 4.5), gridspec_kw={"width_ratios": [1, 1.4]})
            t = self.assignment.table
            plot_territory_map(self.inputs.accounts, t["rep_id"].to_numpy(), self.assignment.reps,
                               title="Proposed territories", ax=a1)
            plot_workload(self.assignment.by_rep, a.territory.tolerance, ax=a2)
            display(fig)
            plt.close(fig)
        with self.table:
            self.table.clear_output(wait=True)
            display(self.assignment.moved_accounts().head(15))

    def widget(self) -> w.Widget:
        """Controls, map and workload chart, and the biggest moved accounts."""
        return w.VBox([w.HBox([self.tolerance, self.cap, self.weight]), self.status, self.chart, self.table])

    def _ipython_display_(self) -> None:
        display(self.widget())


class ReplanExplorer:
    """Pick a leaver, their last day and the months kept as planned: see who takes what.

    Parameters
    ----------
    plan : Plan
        The plan in force (built with territories, so the hand-over starts
        from them).
    leaver : str, optional
        Rep selected first (default: the first rep with a target).
    last_day : str, optional
        ``YYYY-MM-DD`` selected first (default: the end of ``as_of``).
    as_of : str, optional
        Last month kept as planned, ``YYYY-MM`` (default: the last month of
        the actuals, else June).
    """

    def __init__(self, plan, *, leaver: str | None = None, last_day: str | None = None, as_of: str | None = None):
        import pandas as pd

        self.plan = plan
        t = plan.targets.table
        carry = t[t["target"] > 0].drop_duplicates("rep_id")
        acts = plan.inputs.actuals
        as_of = as_of or (str(acts["month"].max()) if acts is not None and len(acts) else f"{plan.year}-06")
        months = [str(m) for m in pd.period_range(f"{plan.year}-01", periods=11, freq="M")]
        self.leaver = w.Dropdown(options=[(f"{r} {n}", r) for r, n in zip(carry["rep_id"], carry["name"])],
                                 value=leaver or carry["rep_id"].iloc[0], description="Leaver")
        self.last_day = w.DatePicker(value=pd.Timestamp(last_day or pd.Period(as_of, freq="M").end_time).date(),
                                     description="Last day")
        self.as_of = w.Dropdown(options=months, value=as_of, description="Keep up to")
        self.keep = w.ToggleButtons(options=[("keep each year", "year"), ("re-base on actuals", "remaining")],
                                    value="year", description="Targets")
        self.status = w.HTML()
        self.chart = w.Output()
        self.table = w.Output()
        self.new_plan = None
        self.diff = None
        for c in (self.leaver, self.last_day, self.as_of, self.keep):
            c.observe(self._changed, names="value")
        self._changed()

    def _changed(self, change=None) -> None:
        from salesplan.plots.review import plot_replan_changes
        from salesplan.replan import replan

        try:
            self.new_plan = replan(self.plan, self.as_of.value, leavers={self.leaver.value: str(self.last_day.value)},
                                   keep=self.keep.value)
        except (InputError, InfeasibleError) as exc:
            self.status.value = f"<b style='color:#b00'>{exc}</b>"
            return
        self.diff = self.plan.diff(self.new_plan)
        warn = "".join(f"<br>&#9888; {f.message}" for f in self.new_plan.findings[len(self.plan.findings):])
        self.status.value = f"{self.diff.summary()}{warn}"
        with self.chart:
            self.chart.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(9, 3.2))
            plot_replan_changes(self.diff, ax=ax)
            display(fig)
            plt.close(fig)
        with self.table:
            self.table.clear_output(wait=True)
            d = self.diff.targets
            rev = d[d["metric"] == "revenue"][["rep_id", "name", "months", "old_year", "new_year", "change"]]
            display(rev.rename(columns={"old_year": "year before", "new_year": "year after"})
                    .style.format({c: "{:,.0f}" for c in ("year before", "year after", "change")}).hide(axis="index"))

    def widget(self) -> w.Widget:
        """Controls, the change per rep and the revenue targets that moved."""
        return w.VBox([w.HBox([self.leaver, self.last_day, self.as_of]), self.keep, self.status, self.chart,
                       self.table])

    def _ipython_display_(self) -> None:
        display(self.widget())
