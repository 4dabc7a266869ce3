"""The summary the command line prints after planning, in the workbook's language.

Built from the parts' typed metrics and the catalogue's ``cli`` lines, so
the English and the Chinese summaries say the same things.
"""

from __future__ import annotations

import pandas as pd

from salesplan.i18n import catalogue, texts

__all__ = ["plan_summary", "money"]


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
    if plan.staffing is not None:
        s = plan.staffing.metrics
        lines.append(t.cli("staffing", today=s.heads_today, planned=s.heads_planned, required=s.heads_required,
                           hires=s.hires, capacity=money(s.expected_capacity, unit),
                           target=money(s.revenue_target, unit), cost=money(s.cost_of_year, unit),
                           cost_of_sales=f"{s.cost_of_sales:.1%}"))
    if plan.simulation is not None:
        m = plan.simulation.metrics
        lines.append(t.cli("odds", p=f"{m.p_hit_annual:.0%}", runs=f"{m.runs:,}", p10=money(m.revenue_p10, unit),
                           p50=money(m.revenue_p50, unit), p90=money(m.revenue_p90, unit)))
    return lines


def _org(plan, t) -> list[str]:
    """The head count by role as an aligned table, headers and roles in words."""
    if plan.staffing is None:
        return []
    org = plan.staffing.org.copy()
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
