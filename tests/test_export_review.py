"""The review and the re-plan in the plan workbook: their sheets, numbers, formats, words and pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess

import numpy as np
import openpyxl
import pandas as pd
import pytest

import salesplan
from salesplan import export
from salesplan.export.inyear import REPLAN_SHEETS, REVIEW_SHEETS
from salesplan.i18n import texts

HEADER = 4  # row (1-based) of a table's header
LATIN = re.compile(r"[A-Za-z]{2,}")
MAX_PAGES = 40  # plan with every part + review; measured 40 with the visit and hand-over sheets (LibreOffice 7.x)


@pytest.fixture(scope="module")
def plan(sample_inputs):
    full = salesplan.build_plan(sample_inputs, territories=True, staffing=True, simulation={"runs": 300})
    return full.with_review(salesplan.review(full, runs=300))


@pytest.fixture(scope="module")
def book(plan, tmp_path_factory):
    path = export.to_excel(plan, tmp_path_factory.mktemp("rv") / "review.xlsx")
    return path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def zh(plan, tmp_path_factory):
    """The same workbook in Chinese, money in 万元."""
    p = dataclasses.replace(plan, assumptions=plan.assumptions.replace(language="zh", display_unit=10000))
    return openpyxl.load_workbook(export.to_excel(p, tmp_path_factory.mktemp("zh") / "review.xlsx"))


@pytest.fixture(scope="module")
def replanned(sample_inputs):
    plan = salesplan.build_plan(sample_inputs, territories=True)
    return salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"})


def _body(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=HEADER + 1, values_only=True)]


def _numbers(values) -> list:
    """A column as the workbook holds it: numbers as floats, blanks as None, dates as timestamps."""
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
            out.append(None)
        elif isinstance(v, (pd.Timestamp, dt.datetime)):
            out.append(pd.Timestamp(v))
        elif isinstance(v, pd.Period):
            out.append(v.to_timestamp())
        elif isinstance(v, str):
            out.append(v)
        else:
            out.append(float(v))
    return out


def _figure_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not pd.api.types.is_bool_dtype(df[c])
            and (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_datetime64_any_dtype(df[c])
                 or isinstance(df[c].dtype, pd.PeriodDtype))]


def _assert_same_figures(frame: pd.DataFrame, rows: list[list], sheet: str) -> int:
    """Every number (and date) column of ``frame`` is a column of the sheet, value for value, row for row."""
    assert len(rows) == len(frame), sheet
    columns = [_numbers(col) for col in zip(*rows)] if rows else []
    n = 0
    for c in _figure_columns(frame):
        want = _numbers(frame[c])
        assert any(_same(want, col) for col in columns), f"{sheet}: column {c} not found with the same figures"
        n += sum(v is not None for v in want)
    return n


def _same(want: list, got: list) -> bool:
    """Equal cell by cell; numbers to 15 significant digits (the file keeps 16)."""
    for a, b in zip(want, got):
        if isinstance(a, float) and isinstance(b, float):
            if not np.isclose(a, b, rtol=1e-15, atol=0):
                return False
        elif a != b:
            return False
    return len(want) == len(got)


# ---------------------------------------------------------------------------
# sheets and numbers
# ---------------------------------------------------------------------------
def test_every_review_sheet_holds_the_reviews_numbers(plan, book):
    _, wb = book
    frames = plan.review.to_frames()
    assert set(frames) == set(REVIEW_SHEETS)
    checked = 0
    for name, frame in frames.items():
        ws = wb[name]
        rows = _body(ws)
        if name == "Review":                                      # measure, value: one row per figure
            values = [r[1] for r in rows]
            for (key, want), got in zip(frame[["measure", "value"]].itertuples(index=False), values):
                assert isinstance(want, (str, pd.Period)) or np.isclose(got, want, rtol=1e-15, atol=0), key
            checked += len(values)
        elif name == "Forecast":                                  # a row per figure, a column per entity
            figures = [c for c in frame.columns if c not in ("scope", "entity")]
            assert [r[0] for r in rows] == [texts("en").column(c) for c in figures]
            got = pd.DataFrame([r[1:] for r in rows], index=figures).T
            assert np.allclose(got.to_numpy(float), frame[figures].to_numpy(float), rtol=1e-15, atol=0)
            checked += got.size
        else:
            checked += _assert_same_figures(frame, rows, name)
    assert checked > 3000


def test_sheet_order_cover_and_hidden_achievement_data(plan, book):
    _, wb = book
    names = wb.sheetnames
    review = [n for n in names if n in REVIEW_SHEETS]
    assert review == [n for n in plan.review.to_frames() if n != "Achievement data"] + ["Achievement data"]
    assert names.index("Checks") < names.index("Review") < names.index("Payroll") < names.index("Assumptions")
    data = wb["Achievement data"]
    assert data.sheet_state == "hidden" and names.index("Achievement data") > names.index("Territory accounts")
    assert all(wb[n].sheet_state == "visible" for n in review[:-1])
    assert data.print_area is None or data.sheet_state == "hidden"
    cover = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r[0]}
    m = plan.review.metrics
    assert "The year so far (as of Jun 2027)" in cover
    assert cover["Months closed"] == m.months_closed and cover["Revenue attainment to date"] == m.attainment_ytd
    assert cover["Expected attainment at the year end"] == m.expected_attainment
    assert cover["Chance of making the revenue target now"] == m.p_hit_annual
    assert set(review) <= set(cover)                                              # the index lists them


def test_formats_money_counts_shares_and_words(plan, zh):
    ws = zh["季度达成"]
    head = [c.value for c in ws[HEADER]]
    rows = {(r[1].value, r[3].value): r for r in ws.iter_rows(min_row=HEADER + 1) if r[0].value == "公司"}
    q1 = head.index("第一季度目标")
    assert rows[("公司", "销售")][q1].number_format == "0\\.0,"                  # 万元
    assert rows[("公司", "新客户")][q1].number_format == "#,##0"                  # a count stays a count
    assert rows[("公司", "销售")][head.index("第一季度达成率")].number_format == "0.0%"
    allow = zh["补贴"]
    head = [c.value for c in allow[HEADER]]
    first = allow[HEADER + 1]
    assert zh["补贴"]["A1"].value.endswith("（元）") and first[head.index("交通补贴")].number_format == "#,##0"
    assert first[head.index("达标")].value in ("是", "否") and first[head.index("月份")].number_format == 'm"月"'
    ranking = zh["排名"]
    sides = {r[2] for r in ranking.iter_rows(min_row=HEADER + 1, values_only=True)}
    assert sides == {"最好", "最差"}
    assert {r[0] for r in ranking.iter_rows(min_row=HEADER + 1, values_only=True)} == {"区域", "小组", "个人", "产品线"}
    payroll = {r[0]: r for r in zh["在职情况"].iter_rows(min_row=HEADER + 1, values_only=True)}
    assert "已离职" not in payroll["R03"] and "否" in payroll["R03"]               # left after the review month
    assert zh["年度回顾"]["A1"].value == "截至2027年6月的年度回顾（万元）"


def _data_words(plan) -> set[str]:
    words = set()
    for table, cols in ((plan.targets.table, ("region", "team", "product_line", "rep_id", "name")),
                        (plan.inputs.accounts, ("account_id", "name", "city"))):
        for col in cols:
            words |= set(table[col].astype(str))
    return words | {str(plan.inputs.folder.name), plan.fingerprint, "reps.csv", "P10", "P90"}


def _english_cells(wb, sheets, words) -> list[str]:
    found = []
    for name in sheets:
        ws = wb[name]
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    rest = v
                    for w in sorted(words, key=len, reverse=True):
                        rest = rest.replace(w, "")
                    if LATIN.search(rest):
                        found.append(f"{name}: {v}")
    return found


def test_chinese_review_and_replan_sheets_have_no_english_words(plan, zh, replanned, tmp_path):
    t = texts("zh")
    words = _data_words(plan) | {w for f in plan.review.findings for w in (f.message, f.check, f.source.split("/")[-1])}
    sheets = [t.sheet(k) for k in REVIEW_SHEETS.values()]
    assert _english_cells(zh, sheets, words) == []
    wb = openpyxl.load_workbook(export.to_excel(replanned, tmp_path / "rp.xlsx", lang="zh"))
    assert _english_cells(wb, [t.sheet(k) for k in REPLAN_SHEETS.values()], _data_words(replanned)) == []


def test_replan_sheets_hold_the_diff(replanned, tmp_path):
    wb = openpyxl.load_workbook(export.to_excel(replanned, tmp_path / "rp.xlsx"))
    frames = replanned.changes.to_frames()
    for name in ("Re-plan changes", "Re-plan accounts"):
        assert _assert_same_figures(frames[name], _body(wb[name]), name) > 0
    rows = {r[0]: r for r in _body(wb["Re-plan"])}
    m = replanned.changes.metrics
    assert rows["Leaver's last day"][1:] == ["R03", dt.datetime(2027, 5, 31)]
    assert rows["Accounts with another rep"][2] == m.accounts_moved
    assert rows["Other accounts allowed to move"][2] == "none: only the leavers' accounts move"
    assert rows["Months kept as planned up to"][2] == "May 2027"
    cover = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r[0]}
    assert "Re-plan after May 2027" in cover and cover["Reps with new targets"] == m.reps_changed


def test_same_review_same_bytes(plan):
    assert export.workbook_bytes(plan) == export.workbook_bytes(plan)


# ---------------------------------------------------------------------------
# printed pages (LibreOffice, as the plan workbook's test)
# ---------------------------------------------------------------------------
def test_plan_and_review_print_in_at_most_40_pages(book, tmp_path):
    lo = pytest.importorskip("test_workbook_libreoffice", reason="LibreOffice or poppler-utils not installed")
    path, _ = book
    lo._soffice(tmp_path / "profile", "pdf", tmp_path, path)
    info = subprocess.run([lo.PDFINFO, str(tmp_path / "review.pdf")], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    print(f"printable sheets of the sample plan with its review: {pages} PDF pages")
    assert 20 < pages <= MAX_PAGES
