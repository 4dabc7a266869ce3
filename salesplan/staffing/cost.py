"""Monthly cost of the sales organisation: pay, allowances, commission, travel, recruiting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import MONTHS
from salesplan.schema import SALES_ROLES
from salesplan.staffing.cohort import Cohort

__all__ = ["monthly_cost"]


def monthly_cost(reps: pd.DataFrame, cohort: Cohort, detail: pd.DataFrame, rep_targets: pd.DataFrame,
                 assumptions: Assumptions, *, hires: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cost of the sales organisation by month.

    Base salary by level, meal allowance, transport and phone allowances
    (paid to a sales head only in months their expected revenue meets their
    own target), commission on expected revenue, travel days (in / out of
    province), recruiting cost in the start month of every new hire.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table (support staff are costed at full presence).
    cohort, detail : Cohort, pandas.DataFrame
        From :func:`build_cohort` / :func:`cohort_capacity`.
    rep_targets : pandas.DataFrame
        ``rep_id, month, target`` (revenue).
    hires : pandas.DataFrame, optional
        Extra hires from :func:`hiring_plan` (recruiting cost only).

    Returns
    -------
    pandas.DataFrame
        ``month, base_salary, meal, allowances, allowances_withheld,
        commission, travel, recruiting, total, revenue, cost_of_sales_pct``.
    """
    c = assumptions.cost
    months = pd.PeriodIndex(sorted(detail["month"].unique()))
    pay = pd.Series(c.base_salary_by_level)
    missing = sorted(set(reps["level"].astype(int)) - set(pay.index))
    if missing:
        raise InputError("cost.base_salary_by_level", [f"no salary for level(s) {missing} used in reps.csv"])
    d = detail.copy()
    lv = pd.Series(cohort.levels, index=cohort.ids)
    fte = pd.Series(cohort.fte, index=cohort.ids)
    d["salary"] = d["rep_id"].map(lv).map(pay) * d["rep_id"].map(fte) * d["presence"]
    tg = rep_targets.groupby(["rep_id", "month"])["target"].sum()
    d["target"] = tg.reindex(pd.MultiIndex.from_arrays([d["rep_id"], d["month"]])).fillna(0.0).to_numpy()
    met = d["capacity_revenue"] >= d["target"] - 1e-6
    allowance = (c.transport_allowance + c.phone_allowance) * d["presence"]
    d["allowances"] = np.where(met, allowance, 0.0)
    d["withheld"] = np.where(met, 0.0, allowance)
    d["meal"] = c.meal_allowance * d["presence"]
    d["commission"] = c.commission_rate * d["capacity_revenue"]
    trip = c.travel_per_day_in_province * (1 - c.out_of_province_share) \
        + c.travel_per_day_out_of_province * c.out_of_province_share
    d["travel"] = c.travel_days_per_month * trip * d["presence"] * (d["ramp"] > 0)
    g = d.groupby("month")[["salary", "meal", "allowances", "withheld", "commission", "travel",
                            "capacity_revenue"]].sum()
    support = reps[(reps["status"] == "active") & ~reps["role"].isin(SALES_ROLES)]
    support_pay = float((support["level"].astype(int).map(pay) * support["fte"]).sum())
    g["salary"] += support_pay
    g["meal"] += c.meal_allowance * len(support)
    rec = pd.Series(0.0, index=months)
    for st in cohort.start[cohort.new]:
        if 0 <= st < MONTHS:
            rec.iloc[st] += c.recruiting_cost_per_hire
    if hires is not None and len(hires):
        for m in hires["start_month"]:
            if m in rec.index:
                rec[m] += c.recruiting_cost_per_hire
    out = pd.DataFrame({
        "month": months, "base_salary": g["salary"].reindex(months).to_numpy(),
        "meal": g["meal"].reindex(months).to_numpy(), "allowances": g["allowances"].reindex(months).to_numpy(),
        "allowances_withheld": g["withheld"].reindex(months).to_numpy(),
        "commission": g["commission"].reindex(months).to_numpy(), "travel": g["travel"].reindex(months).to_numpy(),
        "recruiting": rec.to_numpy(),
    })
    out["total"] = out[["base_salary", "meal", "allowances", "commission", "travel", "recruiting"]].sum(axis=1)
    out["revenue"] = g["capacity_revenue"].reindex(months).to_numpy()
    out["cost_of_sales_pct"] = out["total"] / out["revenue"].where(out["revenue"] > 0)
    return out
