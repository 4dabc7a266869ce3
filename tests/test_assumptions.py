from __future__ import annotations

import re

import pytest

from salesplan import Assumptions, InputError


def test_defaults_follow_the_handbooks():
    a = Assumptions()
    assert a.productivity.visits_per_day == 3
    assert a.productivity.visits_per_day * a.productivity.working_days_per_month >= 65
    assert a.staffing.span_of_control == 8
    assert a.territory.key_account_threshold == 30000
    assert a.staffing.probation_months == 3
    assert a.cost.transport_allowance == 300 and a.cost.phone_allowance == 300
    assert a.staffing.planned_headcount == 19


def test_yaml_round_trip(tmp_path):
    a = Assumptions().replace(**{"targets.growth": 0.2, "staffing.annual_attrition": 0.1})
    a.to_yaml(tmp_path / "a.yaml")
    b = Assumptions.from_yaml(tmp_path / "a.yaml")
    assert b == a
    assert b.fingerprint() == a.fingerprint() != Assumptions().fingerprint()


def test_all_problems_reported_together():
    with pytest.raises(InputError) as e:
        Assumptions.from_dict({
            "targets": {"growth": -2, "split_method": "magic", "bogus": 1},
            "staffing": {"span_of_control": 0},
            "plan_yaer": 2027,
        })
    msg = str(e.value)
    assert "plan_yaer: unknown key" in msg
    assert "targets.bogus: unknown key" in msg
    # type/key problems stop before range checks; fix them and ranges show up
    with pytest.raises(InputError) as e:
        Assumptions.from_dict({"targets": {"growth": -2, "split_method": "magic"},
                               "staffing": {"span_of_control": 0, "ramp_curve": [0.5, 0.9]}})
    msg = str(e.value)
    assert "targets.growth: must be > -1 (got -2.0)" in msg
    assert "targets.split_method: 'magic' is not one of history, potential" in msg
    assert "staffing.span_of_control: must be >= 1 (got 0)" in msg
    assert "staffing.ramp_curve: must end at 1.0 (ends at 0.9)" in msg


@pytest.mark.parametrize("key,value,text", [
    ("staffing.annual_attrition", -0.1, "must be within [0, 1) (got -0.1)"),
    ("territory.tolerance", 0, "must be within (0, 1)"),
    ("targets.hierarchy", ["region", "rep_id", "team", "product_line"], "rep_id last"),
    ("targets.seasonality_override", [1, 2, 3], "must have 12 values (got 3)"),
    ("targets.seasonality_override", [0] * 12, "12 non-negative numbers, not all zero"),
    ("targets.growth", float("nan"), "must be a finite number"),
    ("targets.unit", {"revenue": 1000, "bogus": 1}, "targets.unit.bogus: unknown key"),
    ("cost.commission_rate", 1.5, "must be within [0, 1)"),
])
def test_out_of_range_values(key, value, text):
    with pytest.raises(InputError, match=re.escape(text)):
        Assumptions().replace(**{key: value})


def test_replace_unknown_key_is_an_error():
    with pytest.raises(InputError, match="targets.grwth: unknown key"):
        Assumptions().replace(**{"targets.grwth": 0.1})


def test_rng_is_seeded():
    a = Assumptions()
    assert a.rng(1).random() == Assumptions().rng(1).random()
    assert a.rng(1).random() != a.rng(2).random()


def test_map_settings_merge_with_the_defaults_key_by_key():
    a = Assumptions.from_dict({"targets": {"unit": {"revenue": 100}}, "territory": {"visits_per_month": {"A": 4}}})
    assert a.targets.unit == {"revenue": 100.0, "collections": 1000.0, "new_customers": 1.0, "new_outlets": 1.0,
                              "gross_profit": 1000.0}
    assert a.territory.visits_per_month == {"A": 4.0, "B": 1.0, "C": 0.34}


def test_model_options_resolve_against_the_same_rules():
    from salesplan.assumptions import override

    t = override(Assumptions().territory, "assign()", {"tolerance": 0.05, "balance_on": "potential"})
    assert t.tolerance == 0.05 and t.balance_on == ["potential"]           # one text is a list of one
    with pytest.raises(TypeError, match="unexpected keyword argument 'tolerence'"):
        override(Assumptions().territory, "assign()", {"tolerence": 0.05})
    with pytest.raises(InputError, match=re.escape("territory.tolerance: must be within (0, 1) (got 5.0)")):
        override(Assumptions().territory, "assign()", {"tolerance": 5})
