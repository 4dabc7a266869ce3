from __future__ import annotations

import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

from salesplan import export
from salesplan.targets import check_coherence

UNITS = {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0}


@pytest.fixture(scope="module")
def workbook(sample_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "plan.xlsx"
    export.to_excel(sample_plan, path)
    return path


def test_targets_read_back_identical(sample_plan, workbook):
    back = export.read_excel(workbook)
    pd.testing.assert_frame_equal(back, sample_plan.targets.table, check_exact=True)
    assert back.equals(sample_plan.targets.table)


def test_workbook_sheets_and_formatting(workbook):
    wb = openpyxl.load_workbook(workbook)
    for name in ("Assumptions", "Targets by month", "Targets by rep", "Targets by region-product",
                 export.DATA_SHEET):
        assert name in wb.sheetnames
    ws = wb["Targets by rep"]
    assert ws.freeze_panes is not None and ws.freeze_panes.startswith("A2") is False
    assert ws["A1"].font.bold
    jan = [c.value for c in ws[1]].index("Jan") + 1
    assert ws.cell(row=2, column=jan).number_format == "#,##0"
    assert ws.column_dimensions["B"].width >= 8


def test_every_exported_level_sums_to_company_total(sample_plan, workbook):
    total = sample_plan.total("revenue")
    by_month = pd.read_excel(workbook, sheet_name="Targets by month").set_index("month")
    assert by_month.loc["Year", "Revenue"] == total
    quarters = ["Q1", "Q2", "Q3", "Q4"]
    assert by_month.loc[quarters, "Revenue"].sum() == total
    by_month = by_month.drop(index=quarters)
    assert by_month.drop(index="Year")["Revenue"].sum() == total
    for sheet, keys in (("Targets by rep", ["region", "team", "rep_id"]),
                        ("Targets by region-product", ["region", "product_line"]),
                        ("Targets by team", ["team"])):
        df = pd.read_excel(workbook, sheet_name=sheet)
        rev = df[df["metric"] == "Revenue"]
        body = rev[rev[keys[0]] != "Total"]
        months = body.loc[:, "Jan":"Dec"]
        assert body["Year"].sum() == total, sheet
        assert (months.sum(axis=1) == body["Year"]).all(), sheet
        assert list(body.columns[body.columns.get_loc("Dec") + 1:]) == ["Q1", "Q2", "Q3", "Q4", "Year"], sheet
        for q in range(4):                                     # each quarter is its three months
            assert (months.iloc[:, 3 * q:3 * q + 3].sum(axis=1) == body[f"Q{q + 1}"]).all(), sheet
        assert np.array_equal(months.sum(axis=0).to_numpy(),
                              by_month.drop(index="Year")["Revenue"].to_numpy()), sheet
        assert rev.loc[rev[keys[0]] == "Total", "Year"].item() == total
    back = export.read_excel(workbook)
    totals = {m: sample_plan.total(m) for m in UNITS}
    assert check_coherence(back, UNITS, totals=totals) == []


def test_atomic_write_keeps_old_file_on_failure(sample_plan, tmp_path, monkeypatch):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"old workbook")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        export.to_excel(sample_plan, path)
    assert path.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]  # no temp file left


def test_read_excel_on_a_foreign_workbook(tmp_path):
    p = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(p, index=False)
    from salesplan import InputError

    with pytest.raises(InputError, match="not a salesplan workbook"):
        export.read_excel(p)
