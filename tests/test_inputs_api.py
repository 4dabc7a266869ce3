"""The Python API takes months as text, one name where a list is expected, and names a wrong argument."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import salesplan
from salesplan import InputError
from salesplan.history import availability, last_year, run_rate, seasonality
from salesplan.staffing import build_cohort, cohort_capacity, hiring_plan, size_team, with_hires
from salesplan.targets import check_coherence, commitment_gap, decompose, pivot
from salesplan.territory import assign


@pytest.fixture(scope="module")
def text_history(sample_inputs):
    """The sample history as a user reads it with pandas: months as "YYYY-MM" text."""
    return sample_inputs.history.assign(month=sample_inputs.history["month"].astype(str))


# -- months as "YYYY-MM" text as well as Period ---------------------------------
def test_history_functions_take_text_months(sample_inputs, text_history):
    h = sample_inputs.history
    assert last_year(text_history, 2027)["revenue"].sum() == last_year(h, 2027)["revenue"].sum()
    pd.testing.assert_series_equal(seasonality(text_history), seasonality(h))
    reps = sample_inputs.sales_reps
    assert np.allclose(run_rate(reps, text_history, 2027), run_rate(reps, h, 2027))
    text_dates = reps.assign(hire_date=reps["hire_date"].dt.strftime("%Y-%m-%d"), end_date="")
    pd.testing.assert_frame_equal(availability(text_dates, 2027), availability(reps.assign(end_date=pd.NaT), 2027))


def test_target_views_and_staffing_take_text_months(sample_inputs, sample_plan):
    table = sample_plan.targets.table
    text = table.assign(month=table["month"].astype(str))
    pd.testing.assert_frame_equal(pivot(text, "region"), pivot(table, "region"))
    assert check_coherence(text, {"revenue": 1000, "collections": 1000, "new_customers": 1}) == []
    monthly = sample_plan.monthly_target("revenue")
    by_text = monthly.set_axis(monthly.index.astype(str))
    cohort = build_cohort(sample_inputs.reps, sample_inputs.history, sample_inputs.assumptions)
    a = sample_inputs.assumptions
    pd.testing.assert_frame_equal(cohort_capacity(cohort, by_text, a)[0], cohort_capacity(cohort, monthly, a)[0])
    pd.testing.assert_frame_equal(hiring_plan(cohort, by_text, a), hiring_plan(cohort, monthly, a))
    st = size_team(sample_inputs, text)
    assert st.metrics.revenue_target == sample_plan.total("revenue")


def test_with_hires_takes_text_periods_and_dates(sample_inputs):
    reps = sample_inputs.reps
    a = with_hires(reps, {"2027-03": 2})
    b = with_hires(reps, {pd.Period("2027-03", "M"): 2})
    c = with_hires(reps, {pd.Timestamp("2027-03-01"): 2})
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    with pytest.raises(InputError, match="'March' is not a month YYYY-MM"):
        with_hires(reps, {"March": 2})            # never read as March of the current year
    with pytest.raises(InputError, match=r"(?s)with_hires\(hires=...\).*must map a start month"):
        with_hires(reps, [("2027-03", 2)])


# -- a single name is one item, not its letters ----------------------------------
def test_single_names_are_one_item(sample_inputs, sample_plan):
    t = decompose(sample_inputs, metrics="revenue")
    assert set(t.table["metric"]) == {"revenue"}
    acc, reps = sample_inputs.accounts, sample_inputs.reps
    owned = acc[acc["current_rep_id"].isin(["R01", "R02"])].iloc[0]
    r = assign(acc, reps, assumptions=sample_inputs.assumptions, locked=owned["account_id"], polish=False,
               balance_on="workload")
    row = r.table.set_index("account_id").loc[owned["account_id"]]
    assert row["rep_id"] == owned["current_rep_id"]
    assert r.metrics.violations == ()
    assert check_coherence(sample_plan.targets.table, hierarchy="rep_id") == []
    w = seasonality(sample_inputs.history, "working_days", year=2027, holidays="2027-11-10")  # a Wednesday
    w0 = seasonality(sample_inputs.history, "working_days", year=2027)
    assert w[11] < w0[11]


# -- a wrong container or a missing column is an InputError naming it -------------
@pytest.mark.parametrize("call, match", [
    (lambda i, p: decompose(i.accounts), r"(?s)decompose\(inputs=...\).*must be Inputs"),
    (lambda i, p: assign(i.accounts.drop(columns="lat"), i.reps), r"(?s)accounts.*missing column lat"),
    (lambda i, p: assign(i.accounts.to_dict(), i.reps), r"(?s)accounts.*must be a table"),
    (lambda i, p: assign(i.accounts, i.reps.drop(columns="base_lon")), r"(?s)reps.*missing column base_lon"),
    (lambda i, p: pivot(p.targets, "regoin"), r"(?s)no level 'regoin' \(did you mean 'region'\?\)"),
    (lambda i, p: pivot(p.targets, "region", metric="revnue"), r"(?s)no metric 'revnue' \(did you mean 'revenue'\?\)"),
    (lambda i, p: p.total("revnue"), r"(?s)total\(metric=...\).*no metric 'revnue'"),
    (lambda i, p: p.monthly_target("sales"), r"(?s)monthly\(metric=...\).*no metric 'sales'"),
    (lambda i, p: commitment_gap(p.targets, i.commitments, by="person"), r"(?s)'person' is not one of rep_id"),
    (lambda i, p: commitment_gap(p.targets, i.commitments.drop(columns="metric")), r"(?s)missing column metric"),
    (lambda i, p: size_team(i, [1, 2, 3]), r"(?s)size_team\(targets=...\).*must be a table"),
    (lambda i, p: size_team(p, p.targets), r"(?s)size_team\(inputs=...\).*must be Inputs"),
    (lambda i, p: salesplan.build_plan(42), r"(?s)build_plan\(inputs=...\).*must be Inputs"),
    (lambda i, p: salesplan.build_plan(i, territories="yes"), r"(?s)territories: must be true, false or a mapping"),
    (lambda i, p: salesplan.build_plan(i, {"targets": {}}), r"(?s)build_plan\(assumptions=...\)"),
    (lambda i, p: i.with_reps(i.reps.drop(columns="status")), r"(?s)with_reps\(reps=...\).*missing column status"),
    (lambda i, p: i.with_assumptions({"plan_year": 2027}), r"(?s)must be an Assumptions object"),
    (lambda i, p: availability(i.reps.drop(columns="fte"), 2027), r"(?s)availability\(reps=...\).*missing column fte"),
    (lambda i, p: availability(i.reps.assign(hire_date="soon"), 2027), r"(?s)'soon' is not a date"),
    (lambda i, p: seasonality(i.history.drop(columns="month")), r"(?s)missing column month"),
    (lambda i, p: last_year(i.history.assign(month="last May"), 2027), r"(?s)'last May' is not a month"),
    (lambda i, p: salesplan.load_inputs(["data"]), r"(?s)load_inputs\(folder=...\).*must be a folder path"),
])
def test_wrong_arguments_are_named(sample_inputs, sample_plan, call, match):
    with pytest.raises(InputError, match=match):
        call(sample_inputs, sample_plan)


def test_simulation_and_compare_name_their_arguments(sample_plan):
    from salesplan.simulate import compare, simulate

    with pytest.raises(InputError, match=r"(?s)simulate\(plan=...\).*must be a Plan"):
        simulate(sample_plan.targets)
    with pytest.raises(InputError, match=r"(?s)compare\(plans=...\).*must map a scenario name"):
        compare([sample_plan])
    with pytest.raises(InputError, match=r"(?s)compare\(plans=\{'b': ...\}\).*must be a Plan"):
        compare({"b": "plan.xlsx"})
