"""The cover: what the plan is, its headline figures, its warnings and an index of the sheets.

Company, plan year, version and status, the inputs' fingerprint and the
package version; the targets per metric and per region; the key
assumptions (growth, split method, seasonality, working days); the staffing
headline (heads today, open requisitions, planned and required, the sales
heads and what they are needed for, heads beyond the plan, hires, cost, the
odds of making the target); the year so far when the plan carries its review
(months closed, attainment to date, expected year-end attainment, the odds
now) and the re-plan's headline when it was re-planned; every warning of
the checks; and an index of the sheets with a link to each.  The index is written last, once every builder
has added its sheets.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from salesplan.export.quota import metric_kind, plan_metrics
from salesplan.export.style import wrapped_lines
from salesplan.export.workbook import as_of, company_name

__all__ = ["build", "region_targets"]

_LABEL_WIDTH = 36
_VALUE_WIDTH = 20


def region_targets(plan) -> pd.DataFrame:
    """Annual target of each metric per region, plus the company total.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    pandas.DataFrame
        Index: regions then ``""`` for the total; one column per metric
        (currency or count).
    """
    table = plan.targets.table
    wide = table.pivot_table(index="region", columns="metric", values="target", aggfunc="sum", observed=True,
                             fill_value=0)[plan_metrics(table)]
    total = wide.sum().to_frame().T
    total.index = [""]
    return pd.concat([wide, total])


class _Cover:
    """Writes the cover row by row (``row`` is the next free row)."""

    def __init__(self, book, ws):
        self.book, self.ws, self.row = book, ws, 3
        self.t, self.style = book.t, book.style

    def section(self, title: str) -> None:
        self.row += 1
        self.ws.write_string(self.row, 0, title, self.style.section())
        for c in range(1, 4):
            self.ws.write_blank(self.row, c, None, self.style.section())
        self.row += 1

    def merged(self, text: str) -> None:
        """Text across columns B..D of the current row, wrapped, the row made tall enough."""
        self.ws.merge_range(self.row, 1, self.row, 3, text, self.style.fmt("text", text_wrap=True, valign="top"))
        lines = wrapped_lines(text, 3 * _VALUE_WIDTH)
        if lines > 1:
            self.ws.set_row(self.row, 13.5 * lines)
        self.row += 1

    def pair(self, label: str, value, kind: str = "text", **props) -> None:
        self.ws.write_string(self.row, 0, label, self.style.fmt("text", valign="vcenter"))
        fmt = self.style.fmt(kind, align="left", valign="vcenter", **props)
        if value is None:
            self.ws.write_string(self.row, 1, self.t.text("not_built"), self.style.fmt("text", italic=True))
        elif isinstance(value, str):
            self.ws.write_string(self.row, 1, value, fmt)
        elif isinstance(value, dt.datetime):
            self.ws.write_datetime(self.row, 1, value, fmt)
        else:
            self.ws.write_number(self.row, 1, float(value), fmt)
        self.row += 1


def _identity(c: _Cover, plan) -> None:
    import salesplan

    t, a = c.t, plan.assumptions
    c.pair(t.text("company"), company_name(plan))
    c.pair(t.text("plan_year"), a.plan_year, "int")
    c.pair(t.text("version"), a.version, "int")
    c.pair(t.text("status"), t.value(a.status))
    c.pair(t.text("fingerprint"), plan.fingerprint)
    history_end = as_of(plan) - dt.timedelta(days=1)
    c.pair(t.text("data_to"), dt.datetime(history_end.year, history_end.month, 1), "month", month_year=True)
    c.pair(t.text("money_unit"), c.book.money_unit)
    c.pair(t.text("package"), f"salesplan {salesplan.__version__}")


def _headline(c: _Cover, plan) -> None:
    t, style, ws = c.t, c.style, c.ws
    c.section(t.text("headline"))
    table = region_targets(plan)
    ws.write_string(c.row, 0, t.column("region"), style.header())
    for j, metric in enumerate(table.columns, 1):
        ws.write_string(c.row, j, t.text("metric_unit", metric=t.metric(metric), unit=c.book.unit_of(metric)),
                        style.header(numeric=True))
    c.row += 1
    ws.set_row(c.row - 1, 28)
    for region, values in zip(table.index, table.to_dict("records")):
        total = region == ""
        label = t.text("total") if total else str(region)
        ws.write_string(c.row, 0, label, style.fmt("text", bold=total, top=1 if total else 0))
        for j, metric in enumerate(table.columns, 1):
            kind = metric_kind(metric)
            ws.write_number(c.row, j, float(values[metric]), style.fmt(kind, bold=total, top=1 if total else 0))
        c.row += 1


def _assumptions(c: _Cover, plan) -> None:
    from salesplan.calendar import working_days

    t, a = c.t, plan.assumptions
    m = plan.targets.metrics
    c.section(t.text("key_assumptions"))
    if a.targets.total is None:
        c.pair(t.text("growth"), a.targets.growth, "share")
    else:
        c.pair(t.setting("targets.total")[0], a.targets.total, "money")
    for line, growth in sorted(a.targets.product_line_growth.items()):
        c.pair(t.text("line_growth", line=line), growth, "share")
    c.pair(t.text("split_method"), t.value(m.split_method))
    c.pair(t.text("seasonality"), t.value(m.seasonality))
    c.pair(t.text("working_days", year=a.plan_year), int(working_days(a.plan_year, a.calendar).sum()), "count")


def _staffing(c: _Cover, plan) -> None:
    t = c.t
    c.section(t.text("staffing_headline"))
    s = plan.staffing.metrics if plan.staffing is not None else None
    for key, kind in (("heads_today", "count"), ("open_requisitions", "count"), ("heads_planned", "count"),
                      ("heads_required", "count"), ("sales_heads_required", "count"), ("binding_reason", "choice"),
                      ("extra_heads", "count"), ("hires", "count"), ("cost_of_year", "money"),
                      ("cost_of_sales", "share")):
        value = None if s is None else getattr(s, key)
        c.pair(t.text(key), t.value(value) if kind == "choice" and value is not None else value,
               "text" if kind == "choice" else kind)
    sim = plan.simulation.metrics if plan.simulation is not None else None
    c.pair(t.text("p_hit"), None if sim is None else sim.p_hit_annual, "share")


def _year_so_far(c: _Cover, plan) -> None:
    from salesplan.export.inyear import month_label

    t = c.t
    if plan.review is not None:
        m = plan.review.metrics
        c.section(t.text("year_so_far", as_of=month_label(plan.review.as_of, t)))
        c.pair(t.text("months_closed"), m.months_closed, "count")
        c.pair(t.text("attainment_to_date"), m.attainment_ytd, "share")
        c.pair(t.text("expected_attainment"), m.expected_attainment, "share")
        c.pair(t.text("p_hit_now"), m.p_hit_annual, "share")
        if plan.review.findings:
            c.pair(t.text("review_warnings"), len(plan.review.findings), "count")
    if plan.changes is not None:
        d = plan.changes.metrics
        c.section(t.text("replan_headline", as_of=month_label(plan.changes.as_of, t)))
        c.pair(t.text("reps_changed"), d.reps_changed, "count")
        c.pair(t.text("revenue_moved"), d.revenue_moved, "money")
        c.pair(t.text("accounts_moved"), d.accounts_moved, "count")


def _warnings(c: _Cover, plan) -> None:
    from salesplan.export.checks import book_checks, finding_text

    t = c.t
    c.section(t.text("warnings"))
    found = book_checks(c.book)[1]
    if not found:
        c.ws.write_string(c.row, 0, t.text("no_warnings"))
        c.row += 1
    for f in found:
        c.ws.write_string(c.row, 0, t.value(f.level), c.style.fmt("text", bold=True, font_color="#9C0006",
                                                                   valign="top"))
        c.merged(finding_text(f, t))


def _index(book, c: _Cover) -> None:
    """The index of sheets, written once every sheet exists."""
    t, ws = c.t, c.ws
    c.section(t.text("index"))
    link = c.style.fmt(None, font_color="blue", underline=1, valign="top")
    for info in book.sheets[1:]:
        target = "'" + info.name.replace("'", "''") + "'"
        ws.write_url(c.row, 0, f"internal:{target}!A1", link, string=info.name)
        about = info.about if info.printed else t.text("hidden_about", about=info.about)
        c.merged(about)
    book.print_setup(ws, area=(0, 0, c.row - 1, 3), portrait=True, one_page=True)


def build(book) -> None:
    """The cover sheet (first); its index of sheets is filled in when the workbook is finished.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    plan, t = book.plan, book.t
    ws = book.add_sheet("cover")
    book.heading(ws, t.sheet("cover", "title", year=plan.year))
    ws.set_column(0, 0, _LABEL_WIDTH)
    ws.set_column(1, 3, _VALUE_WIDTH)
    c = _Cover(book, ws)
    for part in (_identity, _headline, _year_so_far, _assumptions, _staffing, _warnings):
        part(c, plan)
    book.finish.append(lambda b: _index(b, c))
    ws.activate()
