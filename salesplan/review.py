"""In-year review: the closed months' actual results against the plan.

``salesplan.review(plan, as_of=None)`` (:func:`review`) takes a plan whose
inputs carry the actuals of the plan year's closed months (``actuals.csv``,
:mod:`salesplan.actuals`) and returns a frozen :class:`Review`:

* ``achievement`` -- target, actual and attainment per level (company,
  region, team, rep, product line), metric and period (each closed month,
  each closed quarter, the year to date), the handbook's quarterly
  achievement table (:func:`salesplan.achievement.achievement`);
* ``ranking`` -- the best and worst entities of each level by year-to-date
  attainment, the ones a report explains;
* ``forecast`` / ``outlook`` -- actual to date plus the months to come, by
  run-rate and by Monte Carlo, with P10/P50/P90 and the updated P(hit the
  annual target) for the company and each region (:mod:`salesplan.forecast`);
* ``allowances`` -- per rep and closed month the shipment target, the actual
  and the transport and phone allowances paid or withheld (handbook 001:
  paid only in months the shipment target is met), the table payroll needs;
* ``payroll`` -- who is on the payroll after ``as_of``: a rep whose actuals
  stop has left at the end of their last month with results (a warning says
  so; ``leavers`` gives the exact last day), a requisition without actuals
  is not filled yet.

The module itself is callable: ``salesplan.review(plan)`` works whether or
not ``salesplan.review`` was imported as a module.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from salesplan.achievement import LEVELS, YTD, achievement, allowance_totals, allowances, ranking, wide
from salesplan.assumptions import override
from salesplan.errors import WARNING, Finding, InputError
from salesplan.forecast import COMPANY, year_end_forecast
from salesplan.schema import PLANNED_STATUSES, SALES_ROLES

__all__ = ["review", "Review", "ReviewMetrics", "payroll", "leaver_dates", "as_of_month", "parse_month", "LEVELS",
           "COMPANY"]


@dataclass(frozen=True)
class ReviewMetrics:
    """Headline figures of an in-year review (company, revenue unless said).

    Attributes
    ----------
    as_of : str
        Last closed month (``YYYY-MM``).
    months_closed : int
        Closed months of the plan year.
    target_ytd, actual_ytd : float
        Revenue target and actual of the closed months (currency).
    attainment_ytd : float
        ``actual_ytd / target_ytd`` (share).
    annual_target : float
        Company revenue target of the year (currency).
    expected_year : float
        Actual to date plus the run-rate forecast of the months to come
        (currency).
    expected_attainment : float
        ``expected_year / annual_target`` (share).
    attainment_p10, attainment_p50, attainment_p90 : float
        Simulated year-end attainment percentiles (share).
    p_hit_annual : float
        Share 0..1 of simulated years at or above the annual target.
    runs : int
        Simulated years.
    heads_on_payroll : int
        Sales heads on the payroll after ``as_of`` (requisitions still to
        start included).
    leavers : tuple of str
        Sales heads who left by ``as_of`` (given, in reps.csv or inferred
        from their actuals).
    allowances_paid, allowances_withheld : float
        Transport and phone allowances of the closed months (currency).
    rep_months_met, rep_months : int
        Rep-months whose shipment target was met, of all rep-months with
        results.
    """

    as_of: str
    months_closed: int
    target_ytd: float
    actual_ytd: float
    attainment_ytd: float
    annual_target: float
    expected_year: float
    expected_attainment: float
    attainment_p10: float
    attainment_p50: float
    attainment_p90: float
    p_hit_annual: float
    runs: int
    heads_on_payroll: int
    leavers: tuple[str, ...]
    allowances_paid: float
    allowances_withheld: float
    rep_months_met: int
    rep_months: int


@dataclass(frozen=True)
class Review:
    """Actuals against the plan as of a closed month (treat the frames as read-only).

    Attributes
    ----------
    as_of : pandas.Period
        Last closed month reviewed.
    achievement : pandas.DataFrame
        ``level, entity, metric, period, target, actual, attainment``
        (:func:`salesplan.achievement.achievement`): money in currency,
        counts as counts, attainment a share, empty where the target is 0.
    ranking : pandas.DataFrame
        Best and worst entities per level and metric by year-to-date
        attainment (:func:`salesplan.achievement.ranking`).
    forecast : pandas.DataFrame
        Per company / region and month: target, actual, run-rate forecast,
        simulated P10/P50/P90 and running totals (currency).
    outlook : pandas.DataFrame
        Per company / region: year to date, expected year end, P10/P50/P90
        attainment and P(hit the annual target).
    allowances : pandas.DataFrame
        Per rep and closed month: shipment target and actual, met, transport
        and phone allowance paid, withheld (currency).
    allowance_totals : pandas.DataFrame
        The allowances per month and for the year to date.
    payroll : pandas.DataFrame
        Every sales head of the year: effective start, last day, on the
        payroll after ``as_of``, and how that was decided.
    findings : tuple of Finding
        Warnings: inferred leavers, requisitions not filled yet, doubtful
        actuals.
    metrics : ReviewMetrics
        Headline figures.
    """

    as_of: pd.Period
    achievement: pd.DataFrame
    ranking: pd.DataFrame
    forecast: pd.DataFrame
    outlook: pd.DataFrame
    allowances: pd.DataFrame
    allowance_totals: pd.DataFrame
    payroll: pd.DataFrame
    findings: tuple[Finding, ...]
    metrics: ReviewMetrics

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Named tables for the workbook (``plan.with_extras(review.to_frames())``) and the notebooks.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``Review`` (headline figures), ``Review warnings`` (when there
            are any), ``Achievement by
            quarter`` (every level; closed quarters and the year to date:
            target, actual, pct), ``Achievement by rep`` / ``by region`` /
            ``by product line`` (attainment of each closed month, then the year
            to date), ``Ranking``, ``Forecast`` (outlook per company and
            region), ``Forecast by month``, ``Allowances``, ``Allowances by
            month``, ``Payroll`` and ``Achievement data`` (the long table).
        """
        ach = self.achievement
        periods = list(dict.fromkeys(ach["period"]))
        months = [p for p in periods if "Q" not in p and p != YTD]
        quarters = [p for p in periods if "Q" in p]
        names = self.payroll.set_index("rep_id")[["name", "region", "team"]]
        by_rep = wide(ach[ach["level"] == "rep_id"], months, [YTD])
        for i, col in enumerate(["name", "region", "team"]):
            by_rep.insert(1 + i, col, by_rep["entity"].map(names[col]).fillna(""))
        forecast = self.forecast.copy()
        forecast["month"] = forecast["month"].astype(str)
        warnings = pd.DataFrame([(f.check, Path(f.source).name, str(f.line or ""), f.column or "", f.message)
                                 for f in self.findings], columns=["check", "file", "line", "column", "message"])
        return {
            "Review": self._summary_table(),
            **({"Review warnings": warnings} if len(warnings) else {}),
            "Achievement by quarter": wide(ach, [], quarters + [YTD]),
            "Achievement by rep": by_rep,
            "Achievement by region": wide(ach[ach["level"] == "region"], months, [YTD]),
            "Achievement by product line": wide(ach[ach["level"] == "product_line"], months, [YTD]),
            "Ranking": self.ranking,
            "Forecast": self.outlook,
            "Forecast by month": forecast,
            "Allowances": self.allowances.assign(month=self.allowances["month"].astype(str)),
            "Allowances by month": self.allowance_totals,
            "Payroll": self.payroll,
            "Achievement data": ach,
        }

    def _summary_table(self) -> pd.DataFrame:
        """Headline figures and warnings as ``measure, value`` text rows (money with separators)."""
        m = self.metrics
        money = "{:,.0f}".format
        rows = [("as of", m.as_of), ("closed months", str(m.months_closed)),
                ("revenue target, year to date", money(m.target_ytd)), ("revenue, year to date", money(m.actual_ytd)),
                ("attainment, year to date", f"{m.attainment_ytd:.1%}"),
                ("annual revenue target", money(m.annual_target)),
                ("expected year end (run-rate)", money(m.expected_year)),
                ("expected attainment", f"{m.expected_attainment:.1%}"),
                ("simulated attainment P10 / P50 / P90",
                 " / ".join(f"{x:.1%}" for x in (m.attainment_p10, m.attainment_p50, m.attainment_p90))),
                ("P(hit the annual target)", f"{m.p_hit_annual:.1%}"), ("simulated years", money(m.runs)),
                ("sales heads on the payroll after as of", str(m.heads_on_payroll)),
                ("left by as of", ", ".join(m.leavers) or "none"),
                ("allowances paid", money(m.allowances_paid)), ("allowances withheld", money(m.allowances_withheld)),
                ("rep-months with the shipment target met", f"{m.rep_months_met} of {m.rep_months}")]
        rows.append(("warnings", f"{len(self.findings)} (sheet Review warnings)" if self.findings else "none"))
        return pd.DataFrame(rows, columns=["measure", "value"])

    def summary(self) -> str:
        """A short text: the year to date, the year-end outlook and the allowances."""
        m = self.metrics
        return (f"Review as of {m.as_of}: revenue {m.actual_ytd:,.0f} of {m.target_ytd:,.0f} to date "
                f"({m.attainment_ytd:.1%}); year end expected {m.expected_year:,.0f} of {m.annual_target:,.0f} "
                f"({m.expected_attainment:.1%}, P10-P90 {m.attainment_p10:.1%}-{m.attainment_p90:.1%}), "
                f"P(hit annual target) {m.p_hit_annual:.1%}; allowances paid {m.allowances_paid:,.0f}, withheld "
                f"{m.allowances_withheld:,.0f} ({m.rep_months_met} of {m.rep_months} rep-months met)")


# ---------------------------------------------------------------------------
# who is on the payroll
# ---------------------------------------------------------------------------
def as_of_month(as_of: Any, actuals: pd.DataFrame, year: int, *, where: str = "review(as_of=...)") -> pd.Period:
    """The last closed month to review: ``as_of``, or the last month of the actuals.

    Parameters
    ----------
    as_of : str, pandas.Period or None
        ``YYYY-MM``.
    actuals : pandas.DataFrame
        The closed months' results.
    year : int
        Plan year.
    where : str
        Parameter named in errors.

    Returns
    -------
    pandas.Period
        A month of the plan year that has actuals.

    Raises
    ------
    InputError
        Not a month, outside the plan year, or later than the actuals.
    """
    last = actuals["month"].max() if len(actuals) else None
    if as_of is None:
        if last is None:
            raise InputError("actuals.csv", ["no rows: a review needs the results of at least one closed month"])
        return last
    month = parse_month(as_of, where)
    if month.year != year:
        raise InputError(where, [f"{month} is not in the plan year {year}"])
    if last is None or month > last:
        raise InputError(where, [f"{month} has no results yet: actuals.csv ends at {last or 'no month'}; "
                                 "give a closed month"])
    return month


def parse_month(value: Any, where: str) -> pd.Period:
    """A month given as ``YYYY-MM`` text or a ``Period``.

    Parameters
    ----------
    value : str or pandas.Period
        The month.
    where : str
        Parameter named in errors.

    Returns
    -------
    pandas.Period

    Raises
    ------
    InputError
        Anything but a month ``YYYY-MM``.
    """
    if isinstance(value, pd.Period) and value.freqstr == "M":
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise InputError(where, [f"{value!r} is not a month YYYY-MM"])
    return pd.Period(text, freq="M")


def leaver_dates(leavers: Mapping[str, Any] | None, reps: pd.DataFrame, year: int, *,
                 where: str = "leavers") -> dict[str, pd.Timestamp]:
    """Check ``{rep_id: last working day}`` and convert the days.

    Parameters
    ----------
    leavers : mapping or None
        Rep id -> last day (``YYYY-MM-DD`` text or a date).
    reps : pandas.DataFrame
        The staff table.
    year : int
        Plan year: a last day must fall in it.
    where : str
        Parameter named in errors.

    Returns
    -------
    dict of str to pandas.Timestamp

    Raises
    ------
    InputError
        An unknown or non-sales rep, a day that is not a date of the plan
        year, a day before the rep's hire date.
    """
    info = reps.set_index(reps["rep_id"].astype(str))
    out, problems = {}, []
    for rid, day in (leavers or {}).items():
        rid = str(rid)
        if rid not in info.index or info.at[rid, "role"] not in SALES_ROLES:
            problems.append(f"{rid}: not a rep carrying a target in reps.csv")
            continue
        ts = pd.to_datetime(str(day), format="%Y-%m-%d", errors="coerce") if not isinstance(day, pd.Timestamp) \
            else day
        if pd.isna(ts) or ts.year != year:
            problems.append(f"{rid}: {day!r} is not a day YYYY-MM-DD of the plan year {year} (the last working day)")
        elif ts < info.at[rid, "hire_date"]:
            problems.append(f"{rid}: last day {ts.date()} is before their hire_date {info.at[rid, 'hire_date'].date()}")
        else:
            out[rid] = ts
    if problems:
        raise InputError(where, problems)
    return out


def payroll(reps: pd.DataFrame, actuals: pd.DataFrame, as_of: pd.Period, *,
            leavers: Mapping[str, pd.Timestamp] | None = None) -> tuple[pd.DataFrame, list[Finding]]:
    """Who carries sales in the plan year, from when to when, and who is still there after ``as_of``.

    The dates of ``reps.csv``, corrected by what the actuals show: a
    requisition filled in another month starts in its first month with
    results; one without results by ``as_of`` is not filled yet and starts
    the month after at the earliest; a rep whose results stop before
    ``as_of`` has left at the end of their last month with results (unless
    ``leavers`` or ``reps.csv`` give the last day).  Each correction is a
    warning.

    Parameters
    ----------
    reps : pandas.DataFrame
        The staff table.
    actuals : pandas.DataFrame
        The closed months' results.
    as_of : pandas.Period
        Last closed month.
    leavers : mapping of str to Timestamp, optional
        Known last days (:func:`leaver_dates`); they win over reps.csv.

    Returns
    -------
    heads : pandas.DataFrame
        One row per sales head (active or open in reps.csv, or with
        results): ``rep_id, name, role, region, team, level, fte, status,
        hire_date, start, last_day`` (dates), ``first_month, last_month``
        (with results), ``on_payroll`` (after ``as_of``) and ``basis``.
    findings : list of Finding
        The corrections made.

    Raises
    ------
    InputError
        A given leaver with results after their last day.
    """
    leavers = dict(leavers or {})
    year = as_of.year
    got = actuals[actuals["month"] <= as_of]
    span = got.groupby("rep_id", observed=True)["month"].agg(["min", "max"])
    sales = reps[reps["role"].isin(SALES_ROLES)
                 & (reps["status"].isin(PLANNED_STATUSES) | reps["rep_id"].isin(span.index))]
    rows, findings, problems = [], [], []
    next_start = (as_of + 1).start_time
    year_start = pd.Timestamp(year=year, month=1, day=1)
    for r in sales.itertuples(index=False):
        first = span.at[r.rep_id, "min"] if r.rep_id in span.index else None
        last = span.at[r.rep_id, "max"] if r.rep_id in span.index else None
        start, end, basis = r.hire_date, r.end_date, "reps.csv"
        if start >= year_start and first is not None and first != pd.Period(start, freq="M"):
            start, basis = first.start_time, f"started {first} (first month with results)"
        elif start >= year_start and first is None and pd.Period(start, freq="M") <= as_of:
            start, basis = next_start, f"not filled by {as_of}: starts {as_of + 1} at the earliest"
            findings.append(Finding(WARNING, "requisition_unfilled", "actuals.csv",
                                    f"{r.rep_id} was to start {r.hire_date.date()} but has no results by {as_of}; "
                                    f"taken as not filled yet, starting {as_of + 1} at the earliest"))
        if r.rep_id in leavers:
            end, basis = leavers[r.rep_id], f"left {leavers[r.rep_id].date()} (given)"
            if last is not None and last > pd.Period(end, freq="M"):
                problems.append(f"{r.rep_id}: last day {end.date()} but results up to {last} in actuals.csv")
        elif pd.isna(end) and start < next_start and (last is None or last < as_of):
            end = last.end_time.normalize() if last is not None else year_start - pd.Timedelta(days=1)
            seen = f"no results after {last}" if last is not None else "no results at all"
            basis = f"left {end.date()} ({seen})"
            findings.append(Finding(WARNING, "actuals_stop", "actuals.csv",
                                    f"{r.rep_id} has {seen} up to {as_of} but is {r.status} in reps.csv: taken as "
                                    f"having left on {end.date()}; give their end_date in reps.csv or the last day "
                                    f"as a leaver (e.g. --leaver {r.rep_id}:{end.date()})"))
        on = bool(pd.isna(end) or end >= next_start)
        rows.append((r.rep_id, r.name, r.role, r.region, r.team, int(r.level), float(r.fte), r.status, r.hire_date,
                     start, end, first, last, on, basis))
    if problems:
        raise InputError("leavers", problems)
    heads = pd.DataFrame(rows, columns=["rep_id", "name", "role", "region", "team", "level", "fte", "status",
                                        "hire_date", "start", "last_day", "first_month", "last_month", "on_payroll",
                                        "basis"])
    for col in ("hire_date", "start", "last_day"):
        heads[col] = pd.to_datetime(heads[col])
    for col in ("first_month", "last_month"):
        heads[col] = pd.PeriodIndex(heads[col], freq="M") if len(heads) else pd.Series(dtype="period[M]")
    return heads, findings


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------
def review(plan, as_of: Any = None, *, leavers: Mapping[str, Any] | None = None, runs: int | None = None,
           seed: int | None = None, **options: Any) -> Review:
    """Review a plan against the actuals of its closed months.

    Parameters
    ----------
    plan : Plan
        A built plan whose inputs carry actuals (``actuals.csv`` in the
        company folder).
    as_of : str or pandas.Period, optional
        Last closed month to review (``YYYY-MM``); default the last month of
        the actuals.  Results after it are ignored.
    leavers : mapping, optional
        ``{rep_id: "YYYY-MM-DD"}``, last working days of reps who left or
        will leave (otherwise read from reps.csv or, for reps whose results
        stop, inferred with a warning).
    runs : int, optional
        Simulated years of the forecast (default ``simulation.runs``).
    seed : int, optional
        Seed of the forecast (default ``assumptions.seed``).
    **options
        Settings of the ``review`` section (``run_rate_months``,
        ``ranking_size``), overriding the assumptions.

    Returns
    -------
    Review

    Raises
    ------
    InputError
        No actuals, a bad ``as_of`` or ``leavers``.
    TypeError
        An option that is not a setting of the ``review`` section.
    """
    a = plan.assumptions
    opts = override(a.review, "review()", options)
    actuals = plan.inputs.actuals
    if actuals is None:
        folder = plan.inputs.folder or "the company folder"
        raise InputError(f"{folder}/actuals.csv", ["file not found; a review needs the results of the plan "
                                                   "year's closed months (the columns of history.csv)"])
    month = as_of_month(as_of, actuals, a.plan_year)
    given = leaver_dates(leavers, plan.inputs.reps, a.plan_year, where="review(leavers=...)")
    heads, findings = payroll(plan.inputs.reps, actuals, month, leavers=given)
    table = plan.targets.table
    ach = achievement(table, actuals, month)
    allow = allowances(table, actuals, heads, month, a.cost)
    forecast, outlook = year_end_forecast(table, actuals, heads, plan.inputs.history, month, a, runs=runs, seed=seed,
                                          run_rate_months=opts.run_rate_months)
    metrics = _metrics(month, outlook, heads, allow)
    return Review(as_of=month, achievement=ach, ranking=ranking(ach, size=opts.ranking_size), forecast=forecast,
                  outlook=outlook, allowances=allow, allowance_totals=allowance_totals(allow), payroll=heads,
                  findings=tuple(plan.inputs.findings) + tuple(findings), metrics=metrics)


def _metrics(month: pd.Period, outlook: pd.DataFrame, heads: pd.DataFrame, allow: pd.DataFrame) -> ReviewMetrics:
    c = outlook[outlook["scope"] == "company"].iloc[0]
    gone = heads[~heads["on_payroll"]]
    return ReviewMetrics(
        as_of=str(month), months_closed=int(month.month), target_ytd=float(c["target_ytd"]),
        actual_ytd=float(c["actual_ytd"]), attainment_ytd=float(c["attainment_ytd"]),
        annual_target=float(c["annual_target"]), expected_year=float(c["expected_year"]),
        expected_attainment=float(c["expected_attainment"]), attainment_p10=float(c["attainment_p10"]),
        attainment_p50=float(c["attainment_p50"]), attainment_p90=float(c["attainment_p90"]),
        p_hit_annual=float(c["p_hit"]), runs=int(c["runs"]), heads_on_payroll=int(heads["on_payroll"].sum()),
        leavers=tuple(gone["rep_id"].astype(str)), allowances_paid=float((allow["transport"] + allow["phone"]).sum()),
        allowances_withheld=float(allow["withheld"].sum()), rep_months_met=int(allow["met"].sum()),
        rep_months=int(len(allow)))


class _CallableModule(types.ModuleType):
    """``salesplan.review(plan)`` calls :func:`review` even once the module is imported."""

    def __call__(self, *args: Any, **kwargs: Any) -> Review:
        return review(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
