"""The summaries the command line prints after planning, reviewing and re-planning, in the workbook's language.

Built from the parts' typed metrics and the catalogue's ``cli`` lines, so
the English and the Chinese summaries say the same things.
"""

from __future__ import annotations

import pandas as pd

from salesplan.i18n import catalogue, texts

__all__ = ["plan_summary", "review_summary", "replan_summary", "money"]


def money(value: float, display_unit: int = 1) -> str:
    """A money figure in the display unit: ``24,303,000`` or, in 万元, ``2,430.3``.

    Parameters
    ----------
    value : float
        Currency.
    display_unit : int
        1, 1000 or 10000.

    Returns
    -------
    str
    """
    if display_unit == 1:
        return f"{value:,.0f}"
    return f"{value / display_unit:,.1f}"


def _pad(label: str, width: int = 22) -> str:
    """``label`` padded to ``width`` columns of a terminal (a CJK character takes two)."""
    from salesplan.export.style import text_width

    return label + " " * max(width - text_width(label), 1)


def _figure(t, metric: str, value: float, unit: int) -> str:
    kind = catalogue()["metrics"].get(metric, {}).get("kind", "money")
    return f"{value:,.0f}" if kind == "count" else money(value, unit)


def _parts(plan, t, unit: int) -> list[str]:
    """One line per part: territories, staffing, odds."""
    lines = []
    if plan.territories is not None:
        m = plan.territories.metrics
        lines.append(t.cli("territories", deviation=f"{m.max_abs_deviation:.1%}", cost=f"{m.cost:,.0f}",
                           gap=f"{m.gap_pct:.2f}%", moved=f"{m.moved:,}", moved_share=f"{m.moved_share:.1%}"))
        lines += _visits(plan.territories, plan.assumptions, t)
    if plan.staffing is not None:
        s = plan.staffing.metrics
        lines.append(t.cli("staffing", today=s.heads_today, open=s.open_requisitions, planned=s.heads_planned,
                           required=s.heads_required, sales=s.sales_heads_required, reason=t.value(s.binding_reason),
                           extra=f"{s.extra_heads:+d}", hires=s.hires, capacity=money(s.expected_capacity, unit),
                           target=money(s.revenue_target, unit), cost=money(s.cost_of_year, unit),
                           cost_of_sales=f"{s.cost_of_sales:.1%}"))
    if plan.simulation is not None:
        m = plan.simulation.metrics
        lines.append(t.cli("odds", p=f"{m.p_hit_annual:.0%}", runs=f"{m.runs:,}", p10=money(m.revenue_p10, unit),
                           p50=money(m.revenue_p50, unit), p90=money(m.revenue_p90, unit)))
    return lines


def _visits(territories, a, t) -> list[str]:
    """The line on visits against capacity and the stand-ins (none without visit figures)."""
    from salesplan.visits import full_month_visits

    c, h = territories.capacity, territories.handover
    if not len(c):
        return []
    return [t.cli("visits", over=int(c["over_capacity"].sum()), reps=len(c), low=f"{c['visits'].min():,.0f}",
                  high=f"{c['visits'].max():,.0f}", capacity=f"{full_month_visits(a):,.0f}", accounts=f"{len(h):,}",
                  requisitions=h["new_owner"].nunique() if len(h) else 0,
                  stand_ins=h.loc[h["stand_in"] != "", "stand_in"].nunique() if len(h) else 0)]


def _org(plan, t) -> list[str]:
    """The head count by role as an aligned table (why, not the arithmetic), headers and roles in words."""
    if plan.staffing is None:
        return []
    org = plan.staffing.org.drop(columns=["basis"]).copy()
    org["reason"] = [t.value(r) if r else "" for r in org["reason"]]
    roles = catalogue()["roles"]
    org["role"] = [t.role(r) if r in roles else t.value(r) for r in org["role"]]
    org.columns = [t.column(c) for c in org.columns]
    with pd.option_context("display.unicode.east_asian_width", True):
        table = org.to_string(index=False)
    return [t.cli("by_role")] + ["    " + line for line in table.splitlines()]


def plan_summary(plan, *, data: str = "", lang: str | None = None) -> str:
    """What the command line prints about a plan: targets, regions, territories, staffing, odds, warnings.

    Parameters
    ----------
    plan : Plan
    data : str
        The company folder, as the user named it.
    lang : {"en", "zh"}, optional
        Default: the plan's ``language`` assumption.

    Returns
    -------
    str
        Several lines; money in the plan's display unit.
    """
    from salesplan.export.checks import warnings_of
    from salesplan.export.quota import plan_metrics

    a = plan.assumptions
    t = texts(lang or a.language)
    unit = a.display_unit
    m = plan.targets.metrics
    lines = [t.cli("plan_head", year=plan.year, data=data, split=t.value(m.split_method), fingerprint=plan.fingerprint)]
    if unit != 1:
        lines.append("  " + t.cli("money_unit", unit=t.money_unit(unit, a.currency)))
    for metric in plan_metrics(plan.targets.table):
        label = t.cli("target", metric=t.metric(metric).lower())
        lines.append(f"  {_pad(label)}{_figure(t, metric, m.totals.get(metric, 0.0), unit):>14}")
    lines.append(f"  {_pad(t.cli('reps_with_target'))}{m.reps_with_target:>14d}")
    region = plan.by("region")["Year"]
    lines.append(f"  {t.cli('by_region')} " + ", ".join(f"{k} {money(v, unit)}" for k, v in region.items()
                                                          if k != "Total"))
    lines += ["  " + line for line in _parts(plan, t, unit) + _org(plan, t)]
    found = warnings_of(plan, t.lang)
    if found:
        lines.append("  " + t.cli("warnings", n=len(found)))
    return "\n".join(lines)


def _unit_line(a, t) -> list[str]:
    """The line saying what money is shown in, when it is not the currency itself."""
    return ["  " + t.cli("money_unit", unit=t.money_unit(a.display_unit, a.currency))] if a.display_unit != 1 else []


def review_summary(plan, *, data: str = "", lang: str | None = None) -> str:
    """What the command line prints about a plan's review: the year to date, the outlook, the best and worst.

    Parameters
    ----------
    plan : Plan
        A plan carrying its review (:meth:`~salesplan.plan.Plan.with_review`).
    data : str
        The company folder, as the user named it.
    lang : {"en", "zh"}, optional
        Default: the plan's ``language`` assumption.

    Returns
    -------
    str
        Several lines; money in the plan's display unit, the review's
        warnings last.
    """
    from salesplan.export.inyear import month_label

    a, r = plan.assumptions, plan.review
    t, unit, m = texts(lang or a.language), a.display_unit, r.metrics
    lines = [t.cli("review_head", year=plan.year, as_of=month_label(r.as_of, t), data=data,
                   fingerprint=plan.fingerprint)] + _unit_line(a, t)
    figures = [("to_date", t.cli("to_date_figures", actual=money(m.actual_ytd, unit), target=money(m.target_ytd, unit),
                                 pct=f"{m.attainment_ytd:.1%}")),
               ("year_end", t.cli("year_end_figures", expected=money(m.expected_year, unit),
                                  annual=money(m.annual_target, unit), pct=f"{m.expected_attainment:.1%}",
                                  p10=f"{m.attainment_p10:.1%}", p50=f"{m.attainment_p50:.1%}",
                                  p90=f"{m.attainment_p90:.1%}")),
               ("p_hit", t.cli("p_hit_figures", p=f"{m.p_hit_annual:.1%}", runs=f"{m.runs:,}"))]
    lines += [f"  {_pad(t.cli(key))}{text}" for key, text in figures]
    o = r.outlook[r.outlook["scope"] == "region"]
    lines.append(f"  {t.cli('regions')} " + ", ".join(
        f"{e} {x:.0%} / {y:.0%} / {p:.0%}"
        for e, x, y, p in zip(o["entity"], o["attainment_ytd"], o["expected_attainment"], o["p_hit"])))
    reps = r.ranking[(r.ranking["level"] == "rep_id") & (r.ranking["metric"] == "revenue")]
    for side in ("best", "worst"):
        rows = reps[reps["side"] == side]
        lines.append(f"  {t.cli(side + '_reps')} " + ", ".join(f"{e} {x:.0%}" for e, x in
                                                               zip(rows["entity"], rows["attainment"])))
    lines.append("  " + t.cli("allowances", paid=money(m.allowances_paid, unit), withheld=money(m.allowances_withheld,
                                                                                                  unit),
                              met=m.rep_months_met, months=m.rep_months))
    return "\n".join(lines + ["  " + t.cli("warning", finding=f) for f in r.findings])


def replan_summary(plan, *, data: str = "", lang: str | None = None) -> str:
    """What the command line prints about a re-plan: what changed, per rep and in the accounts.

    Parameters
    ----------
    plan : Plan
        A re-planned plan (``plan.changes`` set by :func:`salesplan.replan.replan`).
    data : str
        The company folder, as the user named it.
    lang : {"en", "zh"}, optional
        Default: the plan's ``language`` assumption.

    Returns
    -------
    str
        Several lines; money in the plan's display unit, the re-plan's
        warnings last.
    """
    from salesplan.export.inyear import month_label, span_label

    a, c = plan.assumptions, plan.changes
    t, unit, d = texts(lang or a.language), a.display_unit, plan.changes.metrics
    lines = [t.cli("replan_head", year=plan.year, as_of=month_label(c.as_of, t), data=data,
                   keep=t.value(c.keep))] + _unit_line(a, t)
    lines.append("  " + t.cli("replan_changes", reps=d.reps_changed, cells=d.cells_changed,
                              moved=money(d.revenue_moved, unit), change=money(d.revenue_change, unit),
                              accounts=d.accounts_moved))
    rev = c.diff.targets[c.diff.targets["metric"] == "revenue"]
    for row in rev.itertuples():
        lines.append("  " + t.cli("replan_rep", rep=f"{row.rep_id:<6}", old=f"{money(row.old_year, unit):>12}",
                                  new=f"{money(row.new_year, unit):>12}",
                                  change=("+" if row.change >= 0 else "-") + money(abs(row.change), unit),
                                  months=span_label(row.months, t)))
    taken = c.diff.accounts.groupby("to_rep").size()
    if len(taken):
        lines.append(f"  {t.cli('taken_over')} " + ", ".join(f"{k} {v}" for k, v in taken.items()))
    return "\n".join(lines + ["  " + t.cli("warning", finding=f) for f in c.findings])
