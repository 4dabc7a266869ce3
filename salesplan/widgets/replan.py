"""The re-plan explorer: pick a leaver, their last day and the months kept as planned; see who takes what."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from salesplan.errors import InfeasibleError, InputError

__all__ = ["ReplanExplorer"]


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
        warn = "".join(f"<br>&#9888; {f.message}" for f in self.new_plan.changes.findings)
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
