"""Achievement tables: actuals against targets per level, metric and period; ranking; allowances.

Pure DataFrame functions behind :func:`salesplan.review.review`, usable on
their own (on a target table read back from a workbook, say):

* :func:`achievement` -- the long table ``level, entity, metric, period,
  target, actual, attainment``, equal to a plain groupby of the targets and
  the actuals;
* :func:`ranking` -- best and worst entities per level by year-to-date
  attainment;
* :func:`allowances` / :func:`allowance_totals` -- transport and phone
  allowances per rep and closed month, paid only when the month's shipment
  (revenue) target is met (handbook 001);
* :func:`wide` -- entity x period views of the long table for the workbook.
"""

from __future__ import annotations

import calendar
from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.actuals import ACTUAL_METRICS
from salesplan.forecast import COMPANY
from salesplan.history import availability
from salesplan.schema import METRICS

__all__ = ["achievement", "ranking", "allowances", "allowance_totals", "wide", "LEVELS", "YTD"]

#: Levels of the achievement table, top first (``rep_id``: one rep; ``region``: an office).
LEVELS = ("company", "region", "team", "rep_id", "product_line")
#: Period label of the year to date.
YTD = "YTD"
_KEYS = ["region", "team", "rep_id", "product_line", "month"]
_SUMS = ["target", "actual"]


def achievement(targets, actuals: pd.DataFrame, as_of: pd.Period) -> pd.DataFrame:
    """Target, actual and attainment per level, entity, metric and period.

    Targets come from the plan, actuals from their own rows (a rep's results
    count for the region and team written on them).  A metric the plan does
    not target but the actuals hold (``new_outlets`` by default) is shown
    with an empty target; one the plan targets but the actuals lack has an
    empty actual.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The plan's long target table.
    actuals : pandas.DataFrame
        The closed months' results (columns of ``history.csv``).
    as_of : pandas.Period
        Last closed month: later months of both tables are left out.

    Returns
    -------
    pandas.DataFrame
        ``level`` (:data:`LEVELS`), ``entity`` (``Company``, a region, team,
        rep id or product line), ``metric``, ``period`` (``YYYY-MM`` for each
        closed month, ``YYYY-Qn`` for each closed quarter, ``YTD``),
        ``target`` and ``actual`` (currency or count) and ``attainment``
        (actual / target, a share; empty where the target is 0).
    """
    t = getattr(targets, "table", targets)
    t = t[t["month"] <= as_of]
    targeted = [m for m in METRICS if m in set(t["metric"])]
    measured = [m for m in ACTUAL_METRICS if m in actuals and actuals[m].notna().any()]
    tg = t.groupby(_KEYS + ["metric"], observed=True)["target"].sum()
    closed = actuals[actuals["month"] <= as_of]
    ac = closed.melt(id_vars=_KEYS, value_vars=measured, var_name="metric", value_name="actual")
    ac = ac.assign(actual=ac["actual"].astype(float)).groupby(_KEYS + ["metric"], observed=True)["actual"].sum()
    base = pd.concat([tg, ac], axis=1).reset_index()
    base["target"] = base["target"].where(base["target"].notna() | ~base["metric"].isin(targeted), 0.0)
    base["actual"] = base["actual"].where(base["actual"].notna() | ~base["metric"].isin(measured), 0.0)
    base["company"] = COMPANY
    order = targeted + [m for m in measured if m not in targeted]
    frames = []
    for level in LEVELS:
        g = base.groupby([level, "metric", "month"], observed=True)[_SUMS].sum(min_count=1).reset_index()
        frames.append(_periods(g.rename(columns={level: "entity"}), as_of).assign(level=level))
    out = pd.concat(frames, ignore_index=True)
    out["entity"] = out["entity"].astype(str)
    periods = [str(m) for m in pd.period_range(f"{as_of.year}-01", as_of, freq="M")]
    periods += [f"{as_of.year}-Q{q}" for q in range(1, as_of.month // 3 + 1)] + [YTD]
    out["_l"] = out["level"].map({v: i for i, v in enumerate(LEVELS)})
    out["_m"] = out["metric"].map({v: i for i, v in enumerate(order)})
    out["_p"] = out["period"].map({v: i for i, v in enumerate(periods)})
    out = out.sort_values(["_l", "entity", "_m", "_p"], kind="stable").reset_index(drop=True)
    out["attainment"] = out["actual"] / out["target"].where(out["target"] > 0)
    return out[["level", "entity", "metric", "period", "target", "actual", "attainment"]]


def _periods(g: pd.DataFrame, as_of: pd.Period) -> pd.DataFrame:
    """Month rows of one level summed to closed quarters and the year to date."""
    months = g.assign(period=g["month"].astype(str))
    quarter = g["month"].dt.quarter
    closed = g[quarter <= as_of.month // 3]
    quarters = (closed.assign(period=f"{as_of.year}-Q" + quarter[quarter <= as_of.month // 3].astype(str))
                .groupby(["entity", "metric", "period"], observed=True)[_SUMS].sum(min_count=1).reset_index())
    ytd = g.groupby(["entity", "metric"], observed=True)[_SUMS].sum(min_count=1).reset_index().assign(period=YTD)
    return pd.concat([months.drop(columns="month"), quarters, ytd], ignore_index=True)


def ranking(achievement: pd.DataFrame, *, size: int = 3) -> pd.DataFrame:
    """Best and worst entities of each level and metric by year-to-date attainment.

    Parameters
    ----------
    achievement : pandas.DataFrame
        Output of :func:`achievement`.
    size : int
        Entities named on each side (the handbook asks for the best three and
        the worst one to three).

    Returns
    -------
    pandas.DataFrame
        ``level, metric, side`` (``best`` / ``worst``), ``rank`` (1 = best,
        or worst), ``entity, target, actual`` (currency or count) and
        ``attainment`` (share).  Entities without a target are left out; a
        level with fewer than ``2 x size`` entities is split in two (4
        regions: the best 2 and the worst 2), so no entity shows on both
        sides.
    """
    y = achievement[(achievement["period"] == YTD) & (achievement["level"] != "company")
                    & (achievement["target"] > 0) & achievement["attainment"].notna()]
    out = []
    for (level, metric), g in y.groupby(["level", "metric"], sort=False):
        n_worst = min(size, len(g) // 2)
        for side, ascending, n in (("best", False, min(size, len(g) - n_worst)), ("worst", True, n_worst)):
            top = g.sort_values(["attainment", "entity"], ascending=[ascending, True], kind="stable").head(n)
            out.append(top.assign(side=side, rank=np.arange(1, len(top) + 1)))
    cols = ["level", "metric", "side", "rank", "entity", "target", "actual", "attainment"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def allowances(targets, actuals: pd.DataFrame, heads: pd.DataFrame, as_of: pd.Period, cost) -> pd.DataFrame:
    """Transport and phone allowances per rep and closed month: paid when the shipment target is met.

    A rep with results in a month was on the payroll then; the month's
    shipment target is their revenue target (all product lines).  Met when
    the actual is at or above it (a month without target is met).  The
    allowances are prorated by the share of the month between the rep's
    start and last day.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The plan's long target table.
    actuals : pandas.DataFrame
        The closed months' results.
    heads : pandas.DataFrame
        The sales heads (:func:`salesplan.review.payroll`): ``rep_id, name,
        role, region, team, start, last_day``.
    as_of : pandas.Period
        Last closed month.
    cost : CostAssumptions
        ``transport_allowance`` and ``phone_allowance`` (currency a month).

    Returns
    -------
    pandas.DataFrame
        ``rep_id, name, role, region, team, month, shipment_target,
        shipment_actual`` (currency), ``met``, ``payroll_share`` (share of
        the month on the payroll), ``transport, phone`` (paid) and
        ``withheld`` (currency).
    """
    t = getattr(targets, "table", targets)
    closed = actuals[(actuals["month"] <= as_of) & actuals["rep_id"].isin(heads["rep_id"])]
    act = closed.groupby(["rep_id", "month"], observed=True)["revenue"].sum()
    rev = t[(t["metric"] == "revenue") & (t["month"] <= as_of)]
    target = rev.groupby(["rep_id", "month"], observed=True)["target"].sum().reindex(act.index, fill_value=0.0)
    h = heads.set_index("rep_id")
    dates = pd.DataFrame({"rep_id": heads["rep_id"], "status": "active", "hire_date": heads["start"],
                          "end_date": heads["last_day"], "fte": 1.0})
    avail = availability(dates, as_of.year)
    rep_ids = act.index.get_level_values(0).astype(str)
    month = pd.PeriodIndex(act.index.get_level_values(1), freq="M")
    share = avail.to_numpy()[avail.index.get_indexer(rep_ids), month.month - 1]
    share = np.where(share > 0, share, 1.0)  # results outside the dates: a month on the payroll
    met = act.to_numpy() >= target.to_numpy() - 1e-9
    info = {c: h[c].reindex(rep_ids).to_numpy() for c in ("name", "role", "region", "team")}
    out = pd.DataFrame({"rep_id": rep_ids, **info, "month": month,
                        "shipment_target": target.to_numpy(), "shipment_actual": act.to_numpy(), "met": met,
                        "payroll_share": share})
    out["transport"] = np.where(met, cost.transport_allowance * share, 0.0)
    out["phone"] = np.where(met, cost.phone_allowance * share, 0.0)
    out["withheld"] = np.where(met, 0.0, (cost.transport_allowance + cost.phone_allowance) * share)
    return out.sort_values(["month", "rep_id"], kind="stable").reset_index(drop=True)


def allowance_totals(allowances: pd.DataFrame) -> pd.DataFrame:
    """The allowances per month and for the year to date.

    Parameters
    ----------
    allowances : pandas.DataFrame
        Output of :func:`allowances`.

    Returns
    -------
    pandas.DataFrame
        ``month`` (``YYYY-MM``, last row ``YTD``), ``reps`` (with results),
        ``met`` (reps who met the shipment target), ``transport, phone,
        paid, withheld`` (currency).
    """
    g = allowances.groupby(allowances["month"].astype(str)).agg(
        reps=("rep_id", "size"), met=("met", "sum"), transport=("transport", "sum"), phone=("phone", "sum"),
        withheld=("withheld", "sum"))
    g.loc[YTD] = g.sum()
    g.insert(4, "paid", g["transport"] + g["phone"])
    return g.rename_axis("month").reset_index().astype({"reps": int, "met": int})


def _label(period: str) -> str:
    """Column label of a period: ``Mar`` for a month, ``Q1`` for a quarter, ``YTD``."""
    if period == YTD:
        return YTD
    if "Q" in period:
        return period.split("-")[1]
    return calendar.month_abbr[int(period[5:7])]


def wide(achievement: pd.DataFrame, pct_periods: Sequence[str], full_periods: Sequence[str]) -> pd.DataFrame:
    """Entity x period view of an achievement table (the workbook's sheets).

    Parameters
    ----------
    achievement : pandas.DataFrame
        Output of :func:`achievement` (or the rows of some levels).
    pct_periods : sequence of str
        Periods shown by their attainment only (``Mar pct``).
    full_periods : sequence of str
        Periods shown with target, actual and attainment (``Q1 target``,
        ``Q1 actual``, ``Q1 pct``).

    Returns
    -------
    pandas.DataFrame
        One row per level (when several), entity and metric; attainment
        columns hold shares (the workbook shows them as percentages).
    """
    keys = ["level", "entity", "metric"] if achievement["level"].nunique() > 1 else ["entity", "metric"]
    out = achievement.drop_duplicates(keys)[keys].reset_index(drop=True)
    at = pd.MultiIndex.from_frame(out[keys])
    fields = [(p, "attainment", "pct") for p in pct_periods]
    fields += [(p, f, lab) for p in full_periods for f, lab in (("target", "target"), ("actual", "actual"),
                                                                  ("attainment", "pct"))]
    for period, field, lab in fields:
        sub = achievement[achievement["period"] == period].set_index(keys)[field]
        out[f"{_label(period)} {lab}"] = sub.reindex(at).to_numpy()
    return out
