from __future__ import annotations

import numpy as np
import pytest

from salesplan import InputError
from salesplan.simulate import compare, simulate
from salesplan.staffing import size_team, with_hires

ZERO = {"staffing.annual_attrition": 0.0, "staffing.probation_pass_rate": 1.0,
        "simulation.productivity_cv": 0.0, "simulation.hiring_delay_months": 0.0}


def test_zero_noise_equals_deterministic_plan(sample_plan):
    p0 = sample_plan.with_assumptions(sample_plan.assumptions.replace(**ZERO))
    sim = simulate(p0, runs=20)
    cap = size_team(p0.inputs, p0.targets, p0.assumptions).capacity
    assert np.array_equal(sim.revenue, np.broadcast_to(cap["capacity_revenue"].to_numpy(), sim.revenue.shape))
    assert np.array_equal(sim.headcount[0], cap["headcount"].to_numpy())


def test_mean_matches_expected_capacity_without_productivity_noise(sample_plan):
    p = sample_plan.with_assumptions(sample_plan.assumptions.replace(**{
        "simulation.productivity_cv": 0.0, "simulation.hiring_delay_months": 0.0}))
    sim = simulate(p, runs=20_000, seed=5)
    cap = size_team(p.inputs, p.targets, p.assumptions).capacity
    assert sim.revenue.mean(axis=0) == pytest.approx(cap["capacity_revenue"].to_numpy(), rel=0.01)
    assert sim.headcount.mean(axis=0) == pytest.approx(cap["headcount"].to_numpy(), rel=0.01)


def test_deterministic_and_shapes(sample_plan):
    a = simulate(sample_plan, runs=500, seed=3)
    b = simulate(sample_plan, runs=500, seed=3)
    c = simulate(sample_plan, runs=500, seed=4)
    assert np.array_equal(a.revenue, b.revenue)
    assert not np.array_equal(a.revenue, c.revenue)
    assert a.revenue.shape == (500, 12) and len(a.monthly) == 12 and len(a.quarterly) == 4
    assert 0 <= a.metrics.p_hit_annual <= 1
    m = a.monthly
    assert (m["revenue_p10"] <= m["revenue_p50"]).all() and (m["revenue_p50"] <= m["revenue_p90"]).all()
    with pytest.raises(InputError, match="runs"):
        simulate(sample_plan, runs=0)


def test_more_attrition_lowers_the_odds(sample_plan):
    low = simulate(sample_plan.with_assumptions(sample_plan.assumptions.replace(
        **{"staffing.annual_attrition": 0.05})), runs=3000, seed=1)
    high = simulate(sample_plan.with_assumptions(sample_plan.assumptions.replace(
        **{"staffing.annual_attrition": 0.4})), runs=3000, seed=1)
    assert high.metrics.revenue_p50 < low.metrics.revenue_p50
    assert high.metrics.headcount_end_p50 <= low.metrics.headcount_end_p50


def test_compare_scenarios(sample_plan):
    from salesplan.plan import build_plan

    inputs = sample_plan.inputs
    early = build_plan(inputs.with_reps(with_hires(inputs.reps, {"2027-03": 5})))
    split = build_plan(inputs.with_reps(with_hires(inputs.reps, {"2027-03": 3, "2027-06": 2})))
    table = compare({"hire 5 in March": early, "3 in March, 2 in June": split}, runs=500, seed=2)
    assert list(table.columns) == ["hire 5 in March", "3 in March, 2 in June"]
    cap = table.loc["expected capacity"]
    assert cap["hire 5 in March"] > cap["3 in March, 2 in June"]
    assert isinstance(table.loc["P(hit annual target) %"].iloc[0], float)
