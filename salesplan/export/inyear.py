"""The year in progress in the workbook: the review's sheets and the re-plan's.

A plan carrying its review (:meth:`Plan.with_review
<salesplan.plan.Plan.with_review>`) gets one sheet per table of
:meth:`Review.to_frames <salesplan.review.Review.to_frames>` -- the
headline figures, its warnings, achievement by quarter, rep, region and
product line, the ranking, the forecast and its months, the allowances and
their months, the payroll -- and the long achievement data with the other
long lists (hidden, not printed).  A re-planned plan (``plan.changes``) gets
the sheets *Re-plan*, *Re-plan changes* and *Re-plan accounts*.

Every sheet has its name, a title with its unit and a line for the cover's
index in the catalogue; headers are catalogue words (compound ones such as
``Q1 target`` or ``Jan pct`` put together from the period and the field),
money is shown in the display unit (allowances in currency, as payroll pays
them), counts of new customers and outlets as counts, shares as ``0.0%``,
and levels, sides, statuses and reasons in words.  The figures are those of
``to_frames()``, unchanged.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from salesplan.export.tables import _metric_kinds, table_sheet
from salesplan.i18n import Texts

__all__ = ["build_review", "build_replan", "build_achievement_data", "REVIEW_SHEETS", "REPLAN_SHEETS",
           "month_label", "period_label", "span_label", "measure_rows"]

#: Sheet kind (catalogue key) of each table of ``Review.to_frames()``.
REVIEW_SHEETS = {
    "Review": "review", "Review warnings": "review_warnings", "Achievement by quarter": "achievement_quarter",
    "Achievement by rep": "achievement_rep", "Achievement by region": "achievement_region",
    "Achievement by product line": "achievement_line", "Ranking": "ranking", "Forecast": "forecast",
    "Forecast by month": "forecast_month", "Allowances": "allowances", "Allowances by month": "allowances_month",
    "Payroll": "payroll", "Achievement data": "achievement_data",
}
#: Sheet kind of each table of ``ReplanChanges.to_frames()``.
REPLAN_SHEETS = {"Re-plan": "replan", "Re-plan changes": "replan_changes", "Re-plan accounts": "replan_accounts"}
_COMPANY = "Company"  # salesplan.forecast.COMPANY, the entity of the company rows


# ---------------------------------------------------------------------------
# words
# ---------------------------------------------------------------------------
def month_label(month: pd.Period, t: Texts) -> str:
    """A month with its year in words.

    Parameters
    ----------
    month : pandas.Period
    t : Texts

    Returns
    -------
    str
        ``Jun 2027`` / ``2027年6月``.
    """
    return t.text("month_of_year", month=t.month(month.month), year=month.year)


def period_label(period: str, t: Texts) -> str:
    """Label of a period of the achievement table: a month, a quarter or the year to date.

    Parameters
    ----------
    period : str
        ``YYYY-MM``, ``YYYY-Qn`` or ``YTD``.
    t : Texts

    Returns
    -------
    str
        ``Mar 2027`` / ``2027年3月``, ``Q1 2027`` / ``2027年第一季度``,
        ``Year to date`` / ``累计``.
    """
    if period == "YTD":
        return t.text("year_to_date")
    year, _, rest = period.partition("-")
    if rest.startswith("Q"):
        return t.text("quarter_of_year", quarter=t.quarter(int(rest[1])), year=year)
    return month_label(pd.Period(period, freq="M"), t)


def span_label(months: str, t: Texts) -> str:
    """The months a re-plan changed, in words: ``Jun–Dec`` / ``6月–12月`` or a list.

    Parameters
    ----------
    months : str
        ``2027-06..2027-12`` (consecutive) or ``2027-03, 2027-05``
        (:class:`~salesplan.plandiff.PlanDiff`).
    t : Texts

    Returns
    -------
    str
    """
    label = (lambda m: t.month(pd.Period(m.strip(), freq="M").month))  # noqa: E731
    if ".." in months:
        first, last = months.split("..")
        return f"{label(first)}–{label(last)}"
    return ("、" if t.lang == "zh" else ", ").join(label(m) for m in months.split(","))


def measure_rows(frame: pd.DataFrame, section: str, t: Texts) -> tuple[pd.DataFrame, list[str]]:
    """A ``measure, ..., value`` table with the measures in words and the kind of each value.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``measure`` (keys of ``section``), ``value`` and any columns between.
    section : str
        Catalogue section of the measures (``review_metrics``,
        ``replan_rows``): label and kind of each.
    t : Texts

    Returns
    -------
    table : pandas.DataFrame
        ``measure`` as labels; a month value as ``Jun 2027``.
    kinds : list of str
        Kind of each row's value (``choice`` for text, so ``none`` or a
        method shows in words).
    """
    labelled = [t.labelled(section, str(k)) for k in frame["measure"]]
    values, kinds = [], []
    for v, (_, kind) in zip(frame["value"], labelled):
        if isinstance(v, pd.Period):
            v, kind = month_label(v, t), "text"
        values.append(v)
        kinds.append("choice" if isinstance(v, str) else kind)
    table = frame.assign(measure=[label for label, _ in labelled], value=pd.Series(values, dtype=object))
    return table, kinds


def _company_word(df: pd.DataFrame, level: str, t: Texts) -> pd.DataFrame:
    """The company's rows named in words (``Company`` / ``公司``)."""
    company = df[level] == "company"
    return df.assign(entity=df["entity"].where(~company, t.value("company")))


def _titles(book, key: str, *, unit: str | None = None) -> dict:
    """Title and its placeholders: the money unit and the review's or re-plan's month."""
    plan = book.plan
    month = plan.review.as_of if key in REVIEW_SHEETS.values() else plan.changes.as_of
    return {"title": book.t.sheet(key, "title", unit=unit or book.money_unit, as_of=month_label(month, book.t))}


# ---------------------------------------------------------------------------
# the review's sheets
# ---------------------------------------------------------------------------
def _measures(book, key: str, df: pd.DataFrame, section: str) -> None:
    table, kinds = measure_rows(df, section, book.t)
    table_sheet(book, key, table, kinds={"measure": "text", "value": "text"}, row_kinds={"value": kinds},
                filters=False, **_titles(book, key))


def _warnings(book, key: str, df: pd.DataFrame) -> None:
    table_sheet(book, key, df, kinds={"line": "count"}, filters=False, freeze=0, wrap={"message": 70},
                **_titles(book, key))


def _achievement(book, key: str, df: pd.DataFrame) -> None:
    t = book.t
    entity = {"achievement_rep": "rep_id", "achievement_region": "region", "achievement_line": "product_line"}
    if "level" in df:
        df = _company_word(df, "level", t).rename(columns={"level": "review_level"})
    df = df.rename(columns={"entity": entity.get(key, "entity")})
    if key != "achievement_rep" and "name" in df:
        df = df.rename(columns={"name": "rep_name"})
    money = [c for c in df.columns if t.kind(c) == "money"]
    table_sheet(book, key, df, row_kinds=_metric_kinds(df, money, t), **_titles(book, key))


def _forecast(book, key: str, df: pd.DataFrame) -> None:
    """The outlook with a column per entity and a row per figure (a handful of regions, many figures);
    the forecast by month as it is.  The level is left out: the company's row says it is the company."""
    t = book.t
    df = _company_word(df, "scope", t).drop(columns="scope")
    if key == "forecast_month":
        table_sheet(book, key, df.assign(month=pd.PeriodIndex(df["month"], freq="M")), **_titles(book, key))
        return
    figures = [c for c in df.columns if c != "entity"]
    wide = df.set_index("entity")[figures].T.astype(object)
    wide.columns = [str(c) for c in wide.columns]
    kinds = [t.kind(c) or "decimal" for c in figures]
    wide.insert(0, "measure", [t.column(c) for c in figures])
    table_sheet(book, key, wide, kinds={"measure": "text", **{c: "money" for c in wide.columns[1:]}},
                headers={c: c for c in wide.columns[1:]},
                row_kinds={c: kinds for c in wide.columns[1:]}, filters=False, **_titles(book, key))


def _allowances(book, key: str, df: pd.DataFrame) -> None:
    t, a = book.t, book.plan.assumptions
    unit = t.money_unit(1, a.currency)  # paid in currency, to the yuan
    if key == "allowances":
        table_sheet(book, key, df.assign(month=pd.PeriodIndex(df["month"], freq="M")), **_titles(book, key, unit=unit))
        return
    month = [t.text("year_to_date") if m == "YTD" else t.month(pd.Period(m, freq="M").month) for m in df["month"]]
    df = df.assign(month=month).rename(columns={"reps": "reps_with_results", "met": "reps_met"})
    table_sheet(book, key, df, kinds={"month": "text"}, filters=False, **_titles(book, key, unit=unit))


def _payroll(book, key: str, df: pd.DataFrame) -> None:
    df = df.rename(columns={"level": "pay_level", "basis": "payroll_basis"})
    first = ["rep_id", "name", "role", "region", "team", "status"]  # the words together, then the figures
    df = df[first + [c for c in df.columns if c not in first]]
    table_sheet(book, key, df, wrap={"payroll_basis": 24}, **_titles(book, key))


_REVIEW: dict[str, Callable] = {
    "review": lambda book, key, df: _measures(book, key, df, "review_metrics"),
    "review_warnings": _warnings, "achievement_quarter": _achievement, "achievement_rep": _achievement,
    "achievement_region": _achievement, "achievement_line": _achievement, "ranking": _achievement,
    "forecast": _forecast, "forecast_month": _forecast, "allowances": _allowances, "allowances_month": _allowances,
    "payroll": _payroll,
}


def build_review(book) -> None:
    """The review's sheets, when the plan carries a review (the long achievement data waits for the end).

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    review = book.plan.review
    if review is None:
        return
    for name, df in review.to_frames().items():
        key = REVIEW_SHEETS[name]
        if key in _REVIEW:
            _REVIEW[key](book, key, df)


def build_achievement_data(book) -> None:
    """The long achievement table, hidden and not printed (with the other long lists).

    Parameters
    ----------
    book : Book
    """
    review = book.plan.review
    if review is None:
        return
    t = book.t
    df = _company_word(review.achievement, "level", t).rename(columns={"level": "review_level"})
    labels = {p: period_label(p, t) for p in df["period"].unique()}
    df = df.assign(period=df["period"].map(labels))
    table_sheet(book, "achievement_data", df, printed=False, filters=True, freeze=0,
                row_kinds=_metric_kinds(df, ["target", "actual"], t), **_titles(book, "achievement_data"))


# ---------------------------------------------------------------------------
# the re-plan's sheets
# ---------------------------------------------------------------------------
def build_replan(book) -> None:
    """The re-plan's sheets, when the plan was re-planned: what was asked, targets and accounts changed.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    changes = book.plan.changes
    if changes is None:
        return
    t = book.t
    frames = changes.to_frames()
    table, kinds = measure_rows(frames["Re-plan"], "replan_rows", t)
    table_sheet(book, "replan", table, kinds={"measure": "text", "rep_id": "text", "value": "text"},
                row_kinds={"value": kinds}, filters=False, **_titles(book, "replan"))
    targets = frames["Re-plan changes"]
    targets = targets.assign(months=[span_label(m, t) for m in targets["months"]])
    money = ["old", "new", "change", "old_year", "new_year"]
    table_sheet(book, "replan_changes", targets, row_kinds=_metric_kinds(targets, money, t),
                **_titles(book, "replan_changes"))
    table_sheet(book, "replan_accounts", frames["Re-plan accounts"], **_titles(book, "replan_accounts"))
