"""The widgets only wire controls to package functions: moving a control rebuilds the plan."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from salesplan.export import read_excel  # noqa: E402
from salesplan.widgets import TargetExplorer  # noqa: E402


def test_target_explorer_updates_and_exports(sample_inputs, tmp_path):
    e = TargetExplorer(sample_inputs, tmp_path / "w.xlsx")
    before = e.plan.total("revenue")
    e.growth.value = e.growth.value + 0.05
    assert e.plan.total("revenue") > before
    assert e.plan.assumptions.targets.growth == e.growth.value
    e.split.value = "history"
    assert e.plan.assumptions.targets.split_method == "history"
    assert e.plan.targets.table.query("rep_id == 'O01'")["target"].sum() == 0
    e._export()
    assert read_excel(tmp_path / "w.xlsx").equals(e.plan.targets.table)
    assert "wrote" in e.status.value


def test_staffing_explorer_reacts(sample_inputs):
    from salesplan.widgets import StaffingExplorer

    e = StaffingExplorer(sample_inputs, runs=200)
    before = e.plan.staffing.capacity["headcount"].iloc[-1]
    e.attrition.value = 0.5
    assert e.plan.assumptions.staffing.annual_attrition == 0.5
    assert e.plan.staffing.capacity["headcount"].iloc[-1] < before
    e.hires.value = "2027-03:6"
    assert (e.plan.inputs.reps["rep_id"].str.startswith("N")).sum() == 6
