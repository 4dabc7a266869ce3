"""Findings travel with the plan: summary, notebooks, explorers, changed assumptions and scenarios."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import salesplan
from salesplan import InputError
from salesplan.errors import ERROR, WARNING, Finding, format_findings
from salesplan.targets import decompose, member_weights, month_shares


def test_sample_has_no_findings(sample_inputs, sample_plan, capsys):
    assert sample_inputs.findings == () and sample_plan.findings == ()
    assert not sample_plan.summary().startswith("warnings")
    salesplan.show_findings(sample_plan)
    assert capsys.readouterr().out == "input checks: no warnings\n"


def test_changed_assumptions_are_checked_again(sample_inputs):
    plan = salesplan.build_plan(sample_inputs, sample_inputs.assumptions.replace(**{"targets.growth": 50}))
    (f,) = plan.findings
    assert (f.level, f.check, f.column) == (WARNING, "growth_implausible", "targets.growth")
    assert plan.summary().splitlines()[:2] == ["warnings (1):", f"  - {f} [growth_implausible]"]
    back = plan.with_assumptions(sample_inputs.assumptions)
    assert back.findings == ()
    with pytest.raises(InputError, match="plan year 2029 needs the 12 months of 2028"):
        sample_inputs.with_assumptions(sample_inputs.assumptions.replace(plan_year=2029))
    with pytest.raises(InputError, match="'New' is not a product line"):
        sample_inputs.with_assumptions(sample_inputs.assumptions.replace(**{"targets.product_line_growth":
                                                                              {"New": 0.8}}))


def test_scenario_staff_is_checked_again(sample_inputs):
    reps = sample_inputs.reps.copy()
    reps.loc[reps.rep_id == "O01", "hire_date"] = pd.Timestamp("2026-05-01")
    scenario = sample_inputs.with_reps(reps)
    (f,) = scenario.findings
    assert f.check == "requisition_overdue" and f.line == 17    # O01's line of reps.csv is kept
    bad = sample_inputs.reps.copy()
    bad.loc[bad.rep_id == "X01", "end_date"] = pd.NaT
    with pytest.raises(InputError, match="left_without_end|give the last working day"):
        sample_inputs.with_reps(bad)


def test_explorers_show_the_warnings(sample_inputs, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from salesplan.widgets import TargetExplorer

    warned = dataclasses.replace(sample_inputs, findings=(
        Finding(WARNING, "growth_implausible", "assumptions.yaml", "50 means +5000% <check>", line=8,
                column="targets.growth"),))
    e = TargetExplorer(warned)
    assert "Please check (1)" in e.warnings.value and "&lt;check&gt;" in e.warnings.value
    assert "[growth_implausible]" in e.warnings.value
    assert "Revenue target" in e.headline.value


def test_error_text_groups_by_file_and_names_checks():
    f1 = Finding(ERROR, "out_of_range", "a.csv", "'-1' is negative", line=6, column="x")
    f2 = Finding(ERROR, "bad_value", "a.csv", "'z' is not a number", lines=(3, 4, 5, 6, 7, 8, 9))
    f3 = Finding(ERROR, "assumption", "assumptions.yaml", "must be a number", line=8, column="targets.growth")
    text = format_findings([f1, f2, f3], checks=True)
    assert text.splitlines() == [
        "a.csv: 2 problems",                                                        # in the order of lines
        "  - lines 3, 4, 5, 6, 7 and 2 more: 'z' is not a number [bad_value]",
        "  - line 6, column 'x': '-1' is negative [out_of_range]",
        "assumptions.yaml: 1 problem",
        "  - line 8, targets.growth: must be a number [assumption]"]
    err = InputError(findings=[f1, f3])
    assert err.source == "a.csv" and err.findings == (f1, f3)
    assert err.problems == ["line 6, column 'x': '-1' is negative", "line 8, targets.growth: must be a number"]
    assert InputError("allocate()", ["weights must be finite"]).findings[0].message == "weights must be finite"


def test_a_line_nobody_with_a_weight_can_carry_is_not_lost(sample_inputs):
    """Under the history split, the NEW line's only sellers leave on 30 June: July-December of NEW
    goes to those who are there (by capacity) instead of vanishing from the plan."""
    reps = sample_inputs.reps.copy()
    h = sample_inputs.history
    sellers = set(h.loc[(h.product_line == "NEW") & (h.month.dt.year == 2026), "rep_id"])
    reps.loc[reps.rep_id.isin(sellers), "end_date"] = pd.Timestamp("2027-06-30")
    a = sample_inputs.assumptions.replace(**{"targets.split_method": "history"})
    inputs = dataclasses.replace(sample_inputs, reps=reps)
    t = decompose(inputs, a, metrics="revenue").table
    new = t[t.product_line == "NEW"]
    by_month = new.groupby("month")["target"].sum()
    assert (by_month > 0).all()
    assert set(new.loc[new.month.dt.month > 6].query("target > 0").rep_id) <= {"O01", "O02", "O03", "O04", "O05"}
    base, cap = member_weights(inputs.sales_reps, h, inputs.accounts, year=2027, method="history")
    share = month_shares(base.to_numpy(), cap.to_numpy())
    assert np.allclose(share.sum(axis=0), 1.0)
