"""Golden numbers of the sample plan: the headline figures a manager sees, pinned.

A change that moves any of them is a change in the plan; if it is intended,
update the figure here (and re-run the notebooks) in the same commit and say
why in its message.
"""

from __future__ import annotations

import pytest

import salesplan


@pytest.fixture(scope="module")
def full_plan(sample_inputs):
    return salesplan.build_plan(sample_inputs, territories=True, staffing=True, simulation=True)


def test_company_targets(full_plan):
    t = full_plan.targets.metrics
    assert t.totals == {"revenue": 24_303_000, "collections": 22_788_000, "new_customers": 574}
    assert t.reps_with_target == 15
    region = full_plan.by("region")["Year"]
    assert region.drop("Total").to_dict() == {"East": 8_022_000, "North": 6_403_000, "South": 4_642_000,
                                              "West": 5_236_000}
    monthly = full_plan.monthly_target("revenue").to_numpy()
    season = full_plan.targets.seasonality.to_numpy()
    assert abs(monthly - season * t.totals["revenue"]).max() <= 1000   # each month: annual x seasonal weight


def test_territory_cost_and_bound(full_plan):
    m = full_plan.territories.metrics
    assert m.violations == ()
    assert m.max_abs_deviation <= 0.10 + 1e-9
    assert m.cost == pytest.approx(583_202, rel=2e-3)            # workload-weighted km
    assert m.lower_bound == pytest.approx(582_761, rel=2e-3)
    assert m.lower_bound <= m.cost and m.gap_pct < 0.2
    assert m.moved_share == pytest.approx(0.526, abs=0.03)


def test_staffing_headline(full_plan):
    s = full_plan.staffing.metrics
    assert (s.heads_today, s.heads_planned, s.heads_required, s.hires) == (14, 19, 28, 12)
    assert (s.sales_heads_required, s.open_requisitions, s.extra_heads) == (22, 5, 9)
    assert (s.binding_method, s.binding_reason) == ("workload", "visits")
    assert s.visits_needed == pytest.approx(1_320.62)                 # 15,847 visits a year / 12
    assert s.reps_needed == pytest.approx(1_320.62 / 62.0)            # a full month: 3 a day x 248 / 12 days
    assert s.expected_capacity == pytest.approx(22_536_637, rel=1e-6)
    assert s.cost_of_year == pytest.approx(1_800_014, rel=1e-6)


def test_odds_of_making_the_target(full_plan):
    sim = full_plan.simulation.metrics
    assert sim.runs == 10_000
    assert sim.p_hit_annual == pytest.approx(0.152, abs=0.02)
    assert sim.revenue_p50 == pytest.approx(22_334_000, rel=0.01)


def test_with_assumptions_keeps_every_part(full_plan):
    a = full_plan.assumptions.replace(**{"targets.growth": 0.2, "simulation.runs": 500})
    p = full_plan.with_assumptions(a)
    assert p.territories is not None and p.staffing is not None and p.simulation is not None
    assert p.total() < full_plan.total()
    assert p.simulation.metrics.runs == 500


def test_build_plan_options_land_in_the_assumptions(sample_inputs):
    p = salesplan.build_plan(sample_inputs, territories={"max_moved_share": 0.25}, staffing=True,
                             simulation={"runs": 300})
    assert p.assumptions.territory.max_moved_share == 0.25
    assert p.territories.metrics.moved_share <= 0.25 + 1e-9
    assert p.simulation.metrics.runs == 300
    assert p.fingerprint != sample_inputs.fingerprint     # the plan names the settings it was built with
    with pytest.raises(TypeError, match="tolerence"):
        salesplan.build_plan(sample_inputs, territories={"tolerence": 0.05})
