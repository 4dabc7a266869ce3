from __future__ import annotations

import dataclasses
import io
import re

import openpyxl
import pandas as pd
import pytest

from salesplan import InputError, export
from salesplan.errors import WARNING, Finding
from salesplan.targets import check_coherence

UNITS = {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER = 4  # row (1-based) of a table's header: title, subtitle, a line, then the header


@pytest.fixture(scope="module")
def full_plan(sample_inputs):
    import salesplan

    return salesplan.build_plan(sample_inputs, territories=True, staffing=True, simulation={"runs": 300})


@pytest.fixture(scope="module")
def workbook(full_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "plan.xlsx"
    export.to_excel(full_plan, path)
    return path


@pytest.fixture(scope="module")
def wb(workbook):
    return openpyxl.load_workbook(workbook)


@pytest.fixture(scope="module")
def small(sample_plan, tmp_path_factory):
    """A targets-only workbook (no account list): quick to edit and save."""
    path = tmp_path_factory.mktemp("s") / "plan.xlsx"
    export.to_excel(sample_plan, path)
    return path


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


class _Sheet:
    """Cells of a read-only sheet by reference (one pass over its rows)."""

    def __init__(self, ws):
        self.rows = [list(r) for r in ws.iter_rows(values_only=True)]
        self.max_row = len(self.rows)

    def cell(self, row, col):
        r = self.rows[row - 1]
        return type("C", (), {"value": r[col - 1] if col - 1 < len(r) else None})

    def __getitem__(self, ref):
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        col = openpyxl.utils.column_index_from_string(m.group(1))
        return self.cell(int(m.group(2)), col)


def _find_row(ws, col: int, value) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value == value:
            return r
    raise AssertionError(f"{value!r} not in column {col} of {ws.title}")


# -- read back -----------------------------------------------------------------
def test_targets_read_back_identical(full_plan, workbook):
    back = export.read_excel(workbook)
    pd.testing.assert_frame_equal(back, full_plan.targets.table, check_exact=True)
    totals = {m: full_plan.total(m) for m in UNITS}
    assert check_coherence(back, UNITS, totals=totals) == []


def test_read_excel_on_a_foreign_workbook(tmp_path):
    p = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(p, index=False)
    with pytest.raises(InputError, match="not a salesplan workbook"):
        export.read_excel(p)


# -- layout --------------------------------------------------------------------
def test_sheet_order_cover_first_long_data_last_and_hidden(wb):
    names = wb.sheetnames
    assert names[:5] == ["Cover", "Revenue target", "Collections target", "New customers target", "Sign-off"]
    assert names[-3:] == ["Hand-over accounts", "Territory accounts", export.DATA_SHEET]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state == "hidden"]
    assert hidden == names[-3:]
    for name in ("Checks", "Assumptions", "Targets by region", "Capacity", "Hiring plan", "Odds by month"):
        assert name in names


def test_printable_sheets_are_set_up_for_print(full_plan, wb):
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        assert ws.print_area, ws.title
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title  # 1 wide
        footer = ws.oddFooter
        assert "2027" in footer.left.text and full_plan.fingerprint in footer.center.text, ws.title
        assert "&P" in footer.right.text and "&N" in footer.right.text, ws.title
        if ws.title != "Cover":
            assert ws.print_title_rows == f"${HEADER}:${HEADER}", ws.title
    quota = wb["Revenue target"]
    assert quota.page_setup.orientation == "landscape"
    assert quota.print_title_cols == "$A:$B"  # id and name on every page


def test_quota_sheet_live_totals_outside_the_filter(full_plan, workbook, wb):
    ws = wb["Revenue target"]
    head = [c.value for c in ws[HEADER]]
    assert head[:5] == ["Rep ID", "Name", "Role", "Team", "Region"]
    assert head[5:17] == MONTHS and head[17:] == ["Q1", "Q2", "Q3", "Q4", "FY"]
    reps = full_plan.targets.table.query("metric == 'revenue'")["rep_id"].nunique()
    first, last = HEADER + 1, HEADER + reps
    assert ws.auto_filter.ref == f"A{HEADER}:V{last}"  # the reps only: totals stay put when sorting
    assert ws[f"R{first}"].value == f"=SUM(F{first}:H{first})" and ws[f"V{first}"].value == f"=SUM(F{first}:Q{first})"
    formulas = [c.value for row in ws.iter_rows(min_row=last + 1) for c in row if isinstance(c.value, str)]
    assert any(f.startswith("=SUMIFS(") for f in formulas) and any(f.startswith("=SUBTOTAL(9,") for f in formulas)
    # the cached values a viewer without a calculator shows are the plan's figures
    values = openpyxl.load_workbook(workbook, data_only=True, read_only=True)["Revenue target"]
    values = _Sheet(values)
    region = full_plan.by("region")["Year"]
    for name in ("East", "North", "South", "West"):
        assert values[f"V{_find_row(values, 2, f'{name} total')}"].value == region[name]
    total_row = _find_row(values, 1, "Total (rows shown)")
    assert values[f"V{total_row}"].value == full_plan.total("revenue")
    assert [values.cell(total_row + 2, c).value for c in range(6, 23)] == [0] * 17  # difference to plan
    assert values["A3"].value == "Check: totals agree with the plan"
    k01 = _find_row(values, 1, "K01")
    assert values[f"C{k01}"].value == "Key-account specialist"  # roles spelled out


def test_numbers_are_numbers_with_formats_by_kind(wb):
    a = wb["Assumptions"]
    growth = _find_row(a, 1, "targets.growth")
    assert a.cell(growth, 3).value == 0.25 and a.cell(growth, 3).number_format == "0.0%"
    unit = _find_row(a, 1, "targets.unit.revenue")
    assert a.cell(unit, 3).value == 1000 and a.cell(unit, 3).number_format == "#,##0"
    m = wb["Territory metrics"]
    moved = _find_row(m, 1, "Share of accounts moved")
    gap = _find_row(m, 1, "Cost above the bound")
    assert isinstance(m.cell(moved, 2).value, float) and m.cell(moved, 2).number_format == "0.0%"
    assert m.cell(gap, 2).value < 0.01 and m.cell(gap, 2).number_format == "0.0%"  # a share like the others
    assert not any("Run time" in str(c.value) for c in m["A"])  # no clock in the file
    cap = wb["Capacity"]
    head = [c.value for c in cap[HEADER]]
    assert "Attainment" in head and "attainment" not in head
    col = head.index("Revenue capacity") + 1
    assert cap.cell(HEADER + 1, col).number_format == "#,##0"
    assert cap.cell(HEADER + 1, 1).number_format == "mmm"  # months as on the quota sheets
    att = cap.cell(HEADER + 1, head.index("Attainment") + 1)
    assert att.number_format == "0.0%"
    odds = [c.value for c in wb["Odds by month"][HEADER]]
    assert "Attainment (median)" in odds


def test_display_unit_changes_formats_not_values(sample_plan, tmp_path):
    full_plan = sample_plan
    plan = dataclasses.replace(full_plan, assumptions=full_plan.assumptions.replace(display_unit=10000))
    assert plan.fingerprint == full_plan.fingerprint
    a, b = tmp_path / "yuan.xlsx", tmp_path / "wan.xlsx"
    export.to_excel(full_plan, a)
    export.to_excel(plan, b)
    wa, wb = openpyxl.load_workbook(a)["Revenue target"], openpyxl.load_workbook(b)["Revenue target"]
    assert [c.value for c in wa[HEADER + 1]] == [c.value for c in wb[HEADER + 1]]
    assert wa["F5"].number_format == "#,##0" and wb["F5"].number_format == "0\\.0,"
    assert wb["A1"].value == "Revenue target, CNY 10,000s"
    pd.testing.assert_frame_equal(export.read_excel(b), full_plan.targets.table, check_exact=True)


def test_checks_sheet_and_cover_show_findings(sample_inputs, tmp_path):
    import salesplan

    finding = Finding(WARNING, "growth_implausible", "assumptions.yaml", "growth of 25 % is far above last year's",
                      column="targets.growth")
    plan = salesplan.build_plan(dataclasses.replace(sample_inputs, findings=(finding,)))
    path = export.to_excel(plan, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(path)
    checks = _rows(wb["Checks"])
    assert any(r[1] == "growth_implausible" and r[4] == "targets.growth" and "far above" in r[5] for r in checks)
    assert any(r[0] == "OK" and "adds up" in str(r[1]) for r in checks)
    cover = [str(v) for r in _rows(wb["Cover"]) for v in r if v is not None]
    assert any("far above" in v and "targets.growth" in v for v in cover)


def test_cover_headline_and_index(full_plan, wb):
    ws = wb["Cover"]
    cells = {r[0]: r[1:] for r in _rows(ws) if r[0] is not None}
    assert cells["Plan year"][0] == 2027 and cells["Inputs fingerprint"][0] == full_plan.fingerprint
    assert cells["Total"][:3] == [full_plan.total("revenue"), full_plan.total("collections"),
                                  full_plan.total("new_customers")]
    assert cells["East"][0] == full_plan.by("region")["Year"]["East"]
    assert cells["Heads today"][0] == 14 and cells["Sales hires proposed"][0] == full_plan.staffing.metrics.hires
    assert cells["Chance of making the annual revenue target"][0] == pytest.approx(full_plan.simulation.metrics.p_hit_annual)
    links = [c.hyperlink.location for c in ws["A"] if c.hyperlink is not None]
    assert links[0] == "'Revenue target'!A1" and len(links) == len(wb.sheetnames) - 1


def test_extras_and_extra_builders(sample_plan, tmp_path):
    extra = pd.DataFrame({"measure": ["a"], "value": [1.5]})
    seen = []

    def my_sheet(book):
        ws = book.add_sheet("extra", name="Review", about="in-year review")
        ws.write_string(0, 0, "in-year review")
        seen.append(book.plan)

    plan = sample_plan.with_extras({"Scenarios": extra})
    builders = export.DEFAULT_BUILDERS[:-1] + (my_sheet, export.DEFAULT_BUILDERS[-1])
    path = export.to_excel(plan, tmp_path / "p.xlsx", builders=builders)
    names = openpyxl.load_workbook(path).sheetnames
    assert names.index("Scenarios") < names.index("Review") < names.index(export.DATA_SHEET)
    assert seen == [plan]


# -- sign-off ------------------------------------------------------------------
def _fill_signoff(path, entries):
    wb = openpyxl.load_workbook(path)
    ws = wb["Sign-off"]
    rows = {(ws.cell(r, 1).value, ws.cell(r, 13).value): r for r in range(HEADER + 1, ws.max_row + 1)}
    for (rep, metric), (commitment, agreed, who, date) in entries.items():
        r = rows[(rep, metric)]
        ws.cell(r, 8).value, ws.cell(r, 10).value, ws.cell(r, 11).value, ws.cell(r, 12).value = \
            commitment, agreed, who, date
    wb.save(path)


def test_signoff_sheet_is_protected_with_unlocked_inputs(wb):
    ws = wb["Sign-off"]
    assert ws.protection.sheet
    head = [c.value for c in ws[HEADER]]
    assert head[:12] == ["Rep ID", "Name", "Role", "Team", "Region", "Metric", "Target", "Commitment", "Gap",
                         "Agreed", "Signed by", "Date"]
    assert ws.cell(HEADER + 1, 7).protection.locked and not ws.cell(HEADER + 1, 8).protection.locked
    assert not ws.cell(HEADER + 1, 10).protection.locked and not ws.cell(HEADER + 1, 12).protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"Yes,No"'
    assert ws.column_dimensions["M"].hidden


def test_signoff_round_trip_to_commitments_csv(sample_plan, small, tmp_path, sample_copy):
    import datetime as dt

    from salesplan import load_inputs
    from salesplan.cli import main

    full_plan = sample_plan
    path = tmp_path / "signed.xlsx"
    path.write_bytes(small.read_bytes())
    _fill_signoff(path, {("R01", "revenue"): (1_400_000, "No", "Zhang Min", dt.datetime(2026, 12, 20)),
                         ("R02", "revenue"): (None, "Yes", "Huang Lei", dt.datetime(2026, 12, 21)),
                         ("K01", "new_customers"): ("80", "Yes", "Wang Fang", "2026-12-22")})
    rows = export.read_signoff(path)
    assert list(rows.columns) == ["rep_id", "metric", "target", "commitment", "agreed", "signed_by", "date"]
    assert len(rows) == full_plan.targets.table.groupby(["rep_id", "metric"]).ngroups
    r01 = rows.set_index(["rep_id", "metric"]).loc[("R01", "revenue")]
    assert r01["commitment"] == 1_400_000 and not r01["agreed"] and r01["signed_by"] == "Zhang Min"
    assert r01["date"] == pd.Timestamp("2026-12-20")
    assert r01["target"] == full_plan.targets.table.query("rep_id == 'R01' and metric == 'revenue'")["target"].sum()
    assert rows["agreed"].isna().sum() == len(rows) - 3
    assert main(["signoff", str(path), "--to", str(sample_copy)]) == 0
    com = load_inputs(sample_copy).commitments.set_index(["rep_id", "metric"])["commitment"]
    r02 = full_plan.targets.table.query("rep_id == 'R02' and metric == 'revenue'")["target"].sum()
    assert com.to_dict() == {("R01", "revenue"): 1_400_000, ("R02", "revenue"): r02, ("K01", "new_customers"): 80}


def test_read_signoff_names_a_bad_cell(small, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(small.read_bytes())
    _fill_signoff(path, {("R01", "revenue"): ("a lot", "maybe", None, "next week")})
    with pytest.raises(InputError) as err:
        export.read_signoff(path)
    text = str(err.value)
    assert re.search(r"sheet 'Sign-off', cell H\d+: 'a lot' is not a number", text)
    assert re.search(r"cell J\d+: 'maybe' is not Yes or No", text) and re.search(r"cell L\d+: 'next week'", text)


# -- tampering -----------------------------------------------------------------
def _edit(src, dst, sheet, cell, delta):
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    ws[cell] = ws[cell].value + delta
    wb.save(dst)


def test_edited_quota_cell_is_refused(small, tmp_path):
    path = tmp_path / "t.xlsx"
    _edit(small, path, "Revenue target", "H5", 1000)
    with pytest.raises(InputError, match=r"sheet 'Revenue target', cell H5 \(K01, month 3\).*no longer adds up"):
        export.read_excel(path)


def test_edited_target_data_is_refused(small, tmp_path):
    workbook = small
    ws = openpyxl.load_workbook(workbook, read_only=True)[export.DATA_SHEET]
    row = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if i > HEADER and r[7] == "Revenue")
    path = tmp_path / "t1.xlsx"
    _edit(workbook, path, export.DATA_SHEET, f"I{row}", 1)
    with pytest.raises(InputError, match=rf"sheet 'Targets data', cell I{row}: .* not a whole multiple of the "
                                         "revenue unit 1,000"):
        export.read_excel(path)
    path = tmp_path / "t2.xlsx"
    _edit(workbook, path, export.DATA_SHEET, f"I{row}", 1000)
    with pytest.raises(InputError, match=rf"sheet 'Targets data', cell I{row}: .*no longer adds up"):
        export.read_excel(path)


def test_workbook_bytes_do_not_depend_on_the_clock(full_plan):
    assert export.workbook_bytes(full_plan) == export.workbook_bytes(full_plan)
    props = openpyxl.load_workbook(io.BytesIO(export.workbook_bytes(full_plan)), read_only=True).properties
    assert props.created == pd.Timestamp("2027-01-01")  # the month after the history ends
