"""Staffing model: sizing, cohort arithmetic, hiring plan, org structure, cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesplan import Assumptions, InputError
from salesplan.staffing import (Cohort, build_cohort, cohort_capacity, expected_presence, hiring_plan,
                                monthly_cost, monthly_hazard, org_structure, size_team, sizing,
                                with_hires, workload_reps)

MONTHS = pd.period_range("2027-01", periods=12, freq="M")


def _cohort(n_old=10, new_starts=(), prod=100.0):
    n = n_old + len(new_starts)
    start = np.r_[np.full(n_old, -24), np.asarray(new_starts, dtype=int)]
    return Cohort(ids=np.array([f"r{i}" for i in range(n)]), roles=np.array(["rep"] * n),
                  levels=np.full(n, 3), fte=np.ones(n), productivity=np.full(n, prod),
                  start=start.astype(np.int64), new=start >= 0, end=np.full(n, 10_000), season=np.ones(12))


def test_textbook_workload_case_needs_60_reps():
    assert workload_reps({"A": 1000, "B": 2000}, {"A": 36, "B": 12}, 1000) == 60


def test_workload_errors():
    with pytest.raises(InputError, match="calls_per_rep_per_year"):
        workload_reps({"A": 1}, {"A": 1}, 0)
    with pytest.raises(InputError, match="no call frequency for segment"):
        workload_reps({"A": 1, "C": 2}, {"A": 1}, 10)


def test_sizing_side_by_side_on_sample(sample_plan):
    from salesplan.calendar import working_days

    a = sample_plan.assumptions
    s = sizing(sample_plan.inputs.accounts, sample_plan.inputs.history, sample_plan.inputs.reps,
               sample_plan.total(), a)
    assert list(s["method"]) == ["workload", "breakdown", "funnel"]
    assert s["binding"].sum() >= 1
    assert s.loc[s["binding"], "reps_needed"].iloc[0] == s["reps_needed"].max()
    acc = sample_plan.inputs.accounts
    days = working_days(a.plan_year, a.calendar).sum()          # 248 in 2027: 20.67 a month, 62 visits
    assert s.loc[0, "reps_needed"] == pytest.approx(acc["visits_per_month"].sum() / (3 * days / 12))


def test_hazard_closed_form_after_12_months():
    a = Assumptions().replace(**{"staffing.annual_attrition": 0.2, "staffing.notice_months": 0})
    h = monthly_hazard(0.2)
    assert (1 - h) ** 12 == pytest.approx(0.8)
    pres = expected_presence(_cohort(100), a)
    assert pres.sum(axis=0)[-1] == pytest.approx(100 * 0.8)
    assert pres.sum(axis=0)[5] == pytest.approx(100 * (1 - h) ** 6)
    # with a notice period of 1 month the curve shifts by one month
    a1 = a.replace(**{"staffing.notice_months": 1})
    assert expected_presence(_cohort(100), a1).sum(axis=0)[-1] == pytest.approx(100 * (1 - h) ** 11)


def test_probation_and_ramp_for_new_hires():
    a = Assumptions().replace(**{"staffing.annual_attrition": 0.0, "staffing.probation_pass_rate": 0.5,
                                 "staffing.ramp_curve": [0.5, 1.0]})
    c = _cohort(0, new_starts=[2])
    pres = expected_presence(c, a)[0]
    assert pres.tolist() == [0, 0, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    ramp = c.ramp(a.staffing.ramp_curve)[0]
    assert ramp.tolist() == [0, 0, 0.5] + [1.0] * 9
    monthly, _ = cohort_capacity(c, pd.Series(np.full(12, 100.0), index=MONTHS), a)
    assert monthly["capacity_revenue"].tolist() == pytest.approx([0, 0, 50, 100, 100] + [50] * 7)


def test_hiring_plan_respects_time_to_fill_and_is_latest():
    a = Assumptions().replace(**{"staffing.annual_attrition": 0.0, "staffing.probation_pass_rate": 1.0,
                                 "staffing.time_to_fill_months": 3, "staffing.ramp_curve": [0.5, 1.0]})
    c = _cohort(10)
    target = pd.Series(np.r_[np.full(8, 1000.0), np.full(4, 1200.0)], index=MONTHS)
    plan = hiring_plan(c, target, a, ramp_up_months=1)
    hires = plan[plan["kind"] == "hire"]
    assert len(hires) == 2
    # both are needed from September; the latest start that gives full productivity there is August
    assert set(hires["start_month"].astype(str)) == {"2027-08"}
    assert (hires["open_requisition_by"] == hires["start_month"] - 3).all()
    # a target that needs a hire before time to fill allows is reported as a shortfall
    early = pd.Series(np.r_[1500.0, np.full(11, 1000.0)], index=MONTHS)
    p2 = hiring_plan(c, early, a, ramp_up_months=1)
    short = p2[p2["kind"] == "shortfall"]
    assert list(short["for_month"].astype(str)) == ["2027-01"]
    assert short["shortfall"].iloc[0] == pytest.approx(500)
    assert (p2["kind"] == "hire").sum() == 0
    for start in hires["start_month"]:
        assert start.month - 1 >= a.staffing.time_to_fill_months


def test_org_structure_ratios_and_span():
    reps = pd.DataFrame({"role": ["manager", "supervisor", "rep", "rep", "assistant"],
                         "status": ["active", "active", "active", "open", "active"]})
    a = Assumptions().replace(**{"staffing.ratios": {"assistant": 0.1, "team_lead": 0.0,
                                                     "order_follower": 0.05, "systems_clerk": 0.0}})
    org = org_structure(reps, 17, a).set_index("role")
    assert org.loc["supervisor", "required"] == 3       # ceil(17 / 8)
    assert org.loc["assistant", "required"] == 2        # ceil(1.7)
    assert org.loc["order_follower", "required"] == 1   # ceil(0.85)
    assert org.loc["sales (rep, key/regular account)", "planned"] == 2
    assert org.loc["Total", "required"] == 17 + 1 + 3 + 2 + 1


def test_allowances_withheld_in_missed_months(sample_plan):
    a = sample_plan.assumptions
    reps = sample_plan.inputs.reps
    cohort = build_cohort(reps, sample_plan.inputs.history, a)
    monthly = sample_plan.monthly_target()
    _, detail = cohort_capacity(cohort, monthly, a)
    t = sample_plan.targets.table
    rev = t[t.metric == "revenue"][["rep_id", "month", "target"]]
    low = rev.assign(target=0.0)            # every target met
    high = rev.assign(target=1e12)          # every target missed
    met = monthly_cost(reps, cohort, detail, low, a)
    missed = monthly_cost(reps, cohort, detail, high, a)
    assert (missed["allowances"] == 0).all()
    assert missed["allowances_withheld"].sum() == pytest.approx(met["allowances"].sum())
    presence = detail.groupby("month")["presence"].sum().to_numpy()
    assert met["allowances"].to_numpy() == pytest.approx(600 * presence)
    assert (met["total"] - missed["total"]).to_numpy() == pytest.approx(600 * presence)


def test_impossible_inputs_are_clear_errors():
    with pytest.raises(InputError, match="annual_attrition"):
        monthly_hazard(-0.1)
    with pytest.raises(InputError, match="staffing.ramp_curve: must end at 1.0"):
        Assumptions().replace(**{"staffing.ramp_curve": [0.2, 0.5]})
    with pytest.raises(InputError, match="staffing.span_of_control: must be >= 1"):
        Assumptions().replace(**{"staffing.span_of_control": 0})
    with pytest.raises(InputError, match="staffing.probation_pass_rate"):
        Assumptions().replace(**{"staffing.probation_pass_rate": 1.5})
    with pytest.raises(InputError, match="is not a month YYYY-MM"):
        with_hires(pd.DataFrame({"role": [], "status": []}), {"March": 2})


def test_with_hires_replaces_requisitions(sample_inputs):
    reps = with_hires(sample_inputs.reps, {"2027-03": 3, "2027-06": 2})
    new = reps[reps["rep_id"].str.startswith("N")]
    assert len(new) == 5 and (new["status"] == "open").all()
    assert sorted(new["hire_date"].dt.strftime("%Y-%m")) == ["2027-03"] * 3 + ["2027-06"] * 2
    assert not reps["rep_id"].isin(["O01", "O02", "O03"]).any()
    assert reps["rep_id"].isin(["O04", "O05"]).sum() == 2
    # the key-account requisitions stay
    assert set(reps.loc[reps["rep_id"].isin(["O04", "O05"]), "role"]) == {"key_account"}


def test_size_team_on_sample(sample_plan):
    t = size_team(sample_plan.inputs, sample_plan.targets)
    assert set(t.to_frames()) == {"Staffing", "Capacity", "Hiring plan", "Org structure", "Cost", "Headcount"}
    cap = t.capacity
    assert len(cap) == 12 and (cap["target"].sum() == sample_plan.total())
    hc = t.headcount.set_index("measure")["heads"]
    assert hc["on the payroll today"] == 14 == t.metrics.heads_today
    assert hc["planned (payroll + open requisitions)"] == 19 == t.metrics.heads_planned
    assert hc["required by the model"] == t.metrics.heads_required
    assert t.metrics.hires == (t.hiring["kind"] == "hire").sum()
    assert "19 planned" in t.summary()
    cost = t.cost
    assert (cost["cost_of_sales_pct"] > 0).all() and (cost["cost_of_sales_pct"] < 1).all()


def test_options_come_from_the_assumptions_and_misspelt_ones_raise(sample_plan):
    c = _cohort(10)
    target = pd.Series(np.full(12, 1100.0), index=MONTHS)
    a = Assumptions().replace(**{"staffing.ramp_up_months": 1, "staffing.annual_attrition": 0.0})
    assert hiring_plan(c, target, a).equals(hiring_plan(c, target, Assumptions().replace(
        **{"staffing.annual_attrition": 0.0}), ramp_up_months=1))
    capped = hiring_plan(c, target, a, max_hires=1)
    assert (capped["kind"] == "hire").sum() == 1
    with pytest.raises(TypeError, match="ramp_up_month'"):
        hiring_plan(c, target, a, ramp_up_month=1)
    with pytest.raises(TypeError, match="span_of_contol"):
        size_team(sample_plan.inputs, sample_plan.targets, span_of_contol=6)
