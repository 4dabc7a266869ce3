"""Copies of the sample company with one realistic mistake each: the exact outcome of every one.

Each folder is built from the sample in the test.  Its outcome is one of

* **accepted** -- ``validate`` says OK with no warning but the sample's own, ``plan`` writes the workbook;
* **warned** -- a plan can be made, but named checks warn: ``validate`` exits 0 and prints a
  ``warning:`` line for each, ``validate --strict`` and ``plan --strict`` exit 2 and write nothing;
* **rejected** -- ``validate`` and ``plan`` both exit 2 with the same errors, each naming the file,
  line and column (or key), and nothing is written.

The set of checks that fire must be exactly the expected one, and no folder may print a traceback.
The sample's own warning (its reps cannot make the visits its accounts need, ``visit_capacity``)
fires for every folder built from it and is left out of the comparisons (:data:`BASELINE`).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from salesplan import InputError, load_inputs
from salesplan.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "salesplan" / "data" / "sample"
#: Checks the sample itself warns about: every folder made from it prints them too.
BASELINE = frozenset({"visit_capacity"})


@dataclass(frozen=True)
class Expect:
    """One finding expected: its file, check, and where applicable line, column (or key) and text."""

    file: str
    check: str
    line: int | None = None
    column: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None]
    outcome: str                      # accepted | warned | rejected
    expect: tuple[Expect, ...] = ()
    args: tuple[str, ...] = ()
    full: bool = False                # also compute the whole plan and write the workbook
    differs: tuple[str, ...] = ()     # accepted: what may differ from the sample ("accounts.name", "commitments")
    extra: tuple[str, ...] = field(default=())  # further checks that may fire beside the expected ones


# -- editing helpers ----------------------------------------------------------------
def frame(name: str, fn) -> Callable[[Path], None]:
    """Edit a table as text cells with pandas and write it back as UTF-8 CSV."""
    def mutate(folder: Path) -> None:
        df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        fn(df).to_csv(folder / name, index=False)
    return mutate


def text(name: str, fn, *, encoding: str = "utf-8") -> Callable[[Path], None]:
    """Edit a file's text and write it in ``encoding``."""
    def mutate(folder: Path) -> None:
        t = (folder / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(fn(t).encode(encoding))
    return mutate


def raw(name: str, data: bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        (folder / name).write_bytes(data)
    return mutate


def yaml_edit(fn) -> Callable[[Path], None]:
    return text("assumptions.yaml", fn)


def sub(old: str, new: str, count: int = 1):
    def fn(t: str) -> str:
        assert old in t, old
        return t.replace(old, new, count)
    return fn


def both(*mutations) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        for m in mutations:
            m(folder)
    return mutate


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def rename(name: str, new: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).rename(folder / new)


def cell(df: pd.DataFrame, row: int, col: str, value: str) -> pd.DataFrame:
    df.loc[row, col] = value
    return df


def where(df: pd.DataFrame, mask, col: str, value: str) -> pd.DataFrame:
    df.loc[mask, col] = value
    return df


def chinese_names(df: pd.DataFrame) -> pd.DataFrame:
    df.loc[:4, "name"] = ["北京照明有限公司", "上海灯具商行", "广州光电", "深圳照明", "杭州灯饰"]
    return df


def extra_active_rep(df: pd.DataFrame) -> pd.DataFrame:
    row = df[df.rep_id == "R08"].iloc[0].copy()
    row["rep_id"], row["name"], row["hire_date"] = "R09", "Tang Jing", "2027-05-01"
    return pd.concat([df, row.to_frame().T], ignore_index=True)


def lock_to(rep: str, n: int):
    def fn(df: pd.DataFrame) -> pd.DataFrame:
        idx = df.index[df.segment.eq("A")][:n]
        df.loc[idx, "current_rep_id"] = rep
        df.loc[idx, "locked"] = "true"
        return df
    return fn


def rep_rows(rep: str, keep) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda d: d[(d.rep_id != rep) | keep(d)]


def append_history(rep: str, months, region: str, team: str):
    def fn(d: pd.DataFrame) -> pd.DataFrame:
        rows = [{"month": m, "rep_id": rep, "region": region, "team": team, "product_line": pl,
                 "revenue": "20000.0", "collections": "18000.0", "new_customers": "0", "new_outlets": "0"}
                for m in months for pl in ("HID", "LED")]
        return pd.concat([d, pd.DataFrame(rows)], ignore_index=True)
    return fn


A, R, H, C, Y = "accounts.csv", "reps.csv", "history.csv", "commitments.csv", "assumptions.yaml"

# --------------------------------------------------------------------------------------
# accepted: files as they really come out of Excel or an ERP
# --------------------------------------------------------------------------------------
ACCEPTED = [
    Case("utf8_bom", text(A, lambda t: t, encoding="utf-8-sig"), "accepted"),
    Case("gbk_chinese_names", both(frame(A, chinese_names), text(A, lambda t: t, encoding="gbk")), "accepted",
         differs=("accounts.name",)),
    Case("gb18030_reps", both(frame(R, chinese_names), text(R, lambda t: t, encoding="gb18030")), "accepted",
         differs=("reps.name",)),
    Case("utf16_tab_history", text(H, lambda t: t.replace(",", "\t"), encoding="utf-16"), "accepted"),
    Case("semicolon_accounts", lambda f: pd.read_csv(f / A, dtype=str, keep_default_na=False).to_csv(
        f / A, index=False, sep=";"), "accepted"),
    Case("tab_reps", text(R, lambda t: t.replace(",", "\t")), "accepted"),
    Case("cr_only_line_ends", lambda f: (f / R).write_bytes((f / R).read_bytes().replace(b"\n", b"\r")), "accepted"),
    Case("crlf_everywhere", both(*[text(n, lambda t: t.replace("\n", "\r\n")) for n in (A, R, H, C)]), "accepted"),
    Case("blank_rows", text(H, lambda t: t.replace("\n", "\n\n", 40) + "\n ,,,,,,,,\n\n"), "accepted"),
    Case("trailing_empty_columns", text(R, lambda t: t.replace("\n", ",,\n")), "accepted"),
    Case("excel_dates", frame(R, lambda d: d.assign(hire_date=pd.to_datetime(d.hire_date).map(
        lambda x: f"{x.year}/{x.month}/{x.day}"))), "accepted"),
    Case("excel_months", frame(H, lambda d: d.assign(month=d.month.map(
        lambda m: f"{m[:4]}/{int(m[5:])}/1"))), "accepted"),
    Case("thousands_separators", frame(H, lambda d: d.assign(revenue=pd.to_numeric(d.revenue).map(
        "{:,.2f}".format))), "accepted"),
    Case("percent_fte", frame(R, lambda d: d.assign(fte=pd.to_numeric(d.fte).map(lambda x: f"{x:.0%}"))),
         "accepted"),
    Case("padded_cells", frame(A, lambda d: d.assign(segment=" " + d.segment + " ", region=d.region + "  ")),
         "accepted"),
    Case("bool_words", frame(A, lambda d: d.assign(locked=d.locked.replace({"true": "TRUE", "": "否"}))),
         "accepted"),
    Case("yaml_with_bom", text(Y, lambda t: t, encoding="utf-8-sig"), "accepted"),
    Case("no_commitments", remove(C), "accepted", differs=("commitments",)),
    Case("header_only_commitments", text(C, lambda t: t.splitlines()[0] + "\n"), "accepted",
         differs=("commitments",)),
    Case("columns_shuffled", frame(A, lambda d: d[list(reversed(d.columns))]), "accepted"),
    Case("optional_columns_left_out", frame(A, lambda d: d.drop(columns=["province", "visits_per_month"])),
         "accepted", differs=("accounts.province",), full=True),
    Case("segments_left_out", frame(A, lambda d: d.drop(columns="segment")), "accepted",  # A/B/C by last year's sales
         differs=("accounts.segment", "accounts.segment_given", "accounts.visits_per_month")),
    Case("defaults_on_purpose", remove(Y), "accepted", args=("--defaults",), differs=("assumptions",), full=True),
]


# --------------------------------------------------------------------------------------
# rejected: exit 2, the file, line and column or key named, nothing written
# --------------------------------------------------------------------------------------
REJECTED = [
    # reading
    Case("yaml_in_gbk", text(Y, sub("# Planning", "# 销售计划 Planning"), encoding="gbk"), "rejected",
         (Expect(Y, "encoding", 1, text="not UTF-8 text; save the file as UTF-8"),)),
    Case("csv_neither_utf8_nor_gbk",
         lambda f: (f / A).write_bytes((f / A).read_bytes().replace(b"Huai'an", b"Huai\x80an", 1)), "rejected",
         (Expect(A, "encoding", 4, text="neither UTF-8 nor GBK/GB18030"),)),
    Case("xlsx_saved_as_csv", raw(R, b"PK\x03\x04" + b"\x00" * 200), "rejected",
         (Expect(R, "encoding", text="is an Excel workbook, not a CSV file"),)),
    Case("empty_reps", raw(R, b""), "rejected", (Expect(R, "empty_file", text="the file is empty"),)),
    Case("header_only_history", text(H, lambda t: t.splitlines()[0] + "\n"), "rejected",
         (Expect(H, "no_rows", text="a header but no data rows"),)),
    Case("header_only_accounts", text(A, lambda t: t.splitlines()[0] + "\r\n\r\n"), "rejected",
         (Expect(A, "no_rows"),)),
    Case("duplicate_column", text(A, lambda t: "\n".join(l + ",x" for l in t.splitlines()).replace(
        "locked,x", "locked,region", 1) + "\n"), "rejected",
        (Expect(A, "duplicate_column", 1, "region", "columns C and N are both named 'region'"),)),
    Case("unnamed_column_with_data", text(R, lambda t: "\n".join(l + "," + ("" if i == 0 else "x")
                                                                   for i, l in enumerate(t.splitlines())) + "\n"),
         "rejected", (Expect(R, "unnamed_column", 1, text="column O has values but no name"),)),
    Case("unquoted_comma_in_name", text(A, sub("Fuyang Lamps Co. 1,", "Fuyang Lamps, Co. 1,")), "rejected",
         (Expect(A, "row_too_long", 2, text="more values than the header has columns (13)"),)),
    Case("stray_quote", text(A, sub("Huai'an Lamps Co. 3,", '"Huai\'an Lamps Co. 3,')), "rejected",
         (Expect(A, "csv_syntax", 4, text="not readable as CSV"),)),
    Case("quote_never_closed", text(A, lambda t: t.rstrip("\n").rsplit("\n", 1)[0] + '\n"C01500,' + t.rstrip("\n")
                                    .rsplit("\n", 1)[1][7:] + "\n"), "rejected",
         (Expect(A, "csv_syntax", 1501, text="opened in this row is never closed"),)),
    # non-finite numbers
    Case("nan_potential", frame(A, lambda d: cell(d, 4, "annual_potential", "nan")), "rejected",
         (Expect(A, "not_finite", 6, "annual_potential", "'nan' is not a finite number"),)),
    Case("inf_revenue", frame(H, lambda d: cell(d, 10, "revenue", "inf")), "rejected",
         (Expect(H, "not_finite", 12, "revenue"),)),
    Case("growth_nan", yaml_edit(sub("growth: 0.25 ", "growth: .nan ")), "rejected",
         (Expect(Y, "assumption", 8, "targets.growth", "must be a finite number"),)),
    Case("tolerance_inf", yaml_edit(sub("tolerance: 0.10", "tolerance: .inf")), "rejected",
         (Expect(Y, "assumption", 22, "territory.tolerance", "must be a finite number"),)),
    # assumptions file
    Case("yaml_duplicate_key", yaml_edit(sub("  new_customers_growth: 0.10\n",
                                             "  new_customers_growth: 0.10\n  growth: 0.12\n")), "rejected",
         (Expect(Y, "duplicate_key", 12, "targets.growth", "given twice (lines 8 and 12)"),)),
    Case("yaml_bad_indent", yaml_edit(sub("  tolerance: 0.10", " tolerance: 0.10")), "rejected",
         (Expect(Y, "yaml_syntax", 23, text="not valid YAML"),)),
    Case("assumptions_missing", remove(Y), "rejected",
         (Expect(Y, "assumptions_missing", text="--defaults"),)),
    Case("assumptions_yml", rename(Y, "assumptions.yml"), "rejected",
         (Expect(Y, "assumptions_missing", text="found assumptions.yml: rename it to assumptions.yaml"),)),
    Case("assumptions_empty", raw(Y, b"# nothing here yet\n"), "rejected",
         (Expect(Y, "input", text="holds no settings"),)),
    Case("misspelt_key", yaml_edit(sub("  tolerance: 0.10", "  tolerence: 0.10")), "rejected",
         (Expect(Y, "assumption", 22, "territory.tolerence", "unknown key; valid: tolerance"),)),
    Case("product_line_case", yaml_edit(sub("    NEW: 0.80", "    New: 0.80")), "rejected",
         (Expect(Y, "unknown_product_line", 10, "targets.product_line_growth.New", "did you mean 'NEW'?"),)),
    Case("unit_key_typo", yaml_edit(sub("unit: {revenue: 1000, collections: 1000, new_customers: 1}",
                                        "unit: {revenu: 1000}")), "rejected",
         (Expect(Y, "assumption", 12, "targets.unit.revenu", "unknown key; valid: revenue"),)),
    Case("growth_as_percent_text", yaml_edit(sub("growth: 0.25 ", "growth: 25% ")), "rejected",
         (Expect(Y, "assumption", 8, "targets.growth", "write 0.25 for 25 %"),)),
    Case("segment_key_unknown", yaml_edit(sub("  key_account_threshold: 30000",
                                              "  key_account_threshold: 30000\n  visits_per_month: {D: 1}")),
         "rejected", (Expect(Y, "assumption", 24, "territory.visits_per_month.D", "unknown key"),)),
    # columns and cells
    Case("negative_potential", frame(A, lambda d: cell(d, 4, "annual_potential", "-5000")), "rejected",
         (Expect(A, "out_of_range", 6, "annual_potential", "'-5000' is negative; must be >= 0"),)),
    Case("latitude_as_text", frame(A, lambda d: cell(d, 9, "lat", "north")), "rejected",
         (Expect(A, "bad_value", 11, "lat", "'north' is not a number"),)),
    Case("lat_lon_swapped", frame(A, lambda d: cell(cell(d, 2, "lat", "118.97026"), 2, "lon", "33.56513")),
         "rejected", (Expect(A, "out_of_range", 4, "lat", "are lat and lon swapped?"),)),
    Case("missing_column", frame(A, lambda d: d.drop(columns="sales_last_year")), "rejected",
         (Expect(A, "missing_column", text="missing column: sales_last_year; it is required"),)),
    Case("unknown_column", frame(A, lambda d: d.assign(colour="red")), "rejected",
         (Expect(A, "unknown_column", text="unknown column: colour; valid columns: account_id"),)),
    Case("misspelt_column", frame(R, lambda d: d.rename(columns={"hire_date": "hiredate"})), "rejected",
         (Expect(R, "missing_column", text="missing column: hire_date (did you mean 'hiredate'?)"),
          Expect(R, "unknown_column", text="unknown column: hiredate (did you mean 'hire_date'?)"))),
    Case("duplicate_rep_id", frame(R, lambda d: cell(d, 7, "rep_id", "R01")), "rejected",
         (Expect(R, "duplicate_id", 8, "rep_id", "duplicate ids 'R01', 'R01'"),)),
    Case("role_capitalised", frame(R, lambda d: cell(d, 8, "role", "Rep")), "rejected",
         (Expect(R, "bad_choice", 10, "role", "'Rep' is not valid (did you mean 'rep'?)"),)),
    Case("status_unknown", frame(R, lambda d: cell(d, 9, "status", "on leave")), "rejected",
         (Expect(R, "bad_choice", 11, "status", "valid: active, open, left"),)),
    Case("date_day_first", frame(R, lambda d: cell(d, 6, "hire_date", "06/04/2021")), "rejected",
         (Expect(R, "bad_value", 8, "hire_date", "is not a date YYYY-MM-DD"),)),
    Case("month_as_excel_shows_it", frame(H, lambda d: cell(d, 0, "month", "Jan-24")), "rejected",
         (Expect(H, "bad_value", 2, "month", "'Jan-24' is not a month YYYY-MM"),)),
    Case("empty_name", frame(A, lambda d: cell(d, 99, "name", "")), "rejected",
         (Expect(A, "empty_cell", 101, "name", "empty; text is required"),)),
    Case("fte_zero", frame(R, lambda d: cell(d, 12, "fte", "0")), "rejected",
         (Expect(R, "out_of_range", 14, "fte", "'0' is below 0.01"),)),
    Case("level_fraction", frame(R, lambda d: cell(d, 3, "level", "2.5")), "rejected",
         (Expect(R, "bad_value", 5, "level", "'2.5' is not a whole number"),)),
    Case("error_after_blank_lines", both(frame(A, lambda d: cell(d, 1, "lat", "north")), text(A, sub("\n", "\n\n\n"))),
         "rejected", (Expect(A, "bad_value", 5, "lat", "'north' is not a number"),)),
    # between tables
    Case("unknown_current_rep", frame(A, lambda d: cell(d, 99, "current_rep_id", "R1")), "rejected",
         (Expect(A, "unknown_rep", 101, "current_rep_id", "unknown rep 'R1'"),)),
    Case("account_of_leaver", frame(A, lambda d: cell(d, 0, "current_rep_id", "X01")), "rejected",
         (Expect(A, "rep_left", 2, "current_rep_id", "rep 'X01' has left"),)),
    Case("end_before_hire", frame(R, lambda d: cell(d, 14, "end_date", "2020-01-31")), "rejected",
         (Expect(R, "end_before_hire", 16, "end_date", "before hire_date"),)),
    Case("left_without_end", frame(R, lambda d: cell(d, 14, "end_date", "")), "rejected",
         (Expect(R, "left_without_end", 16, "end_date", "give the last working day"),)),
    Case("history_unknown_rep", frame(H, lambda d: cell(d, 2, "rep_id", "R99")), "rejected",
         (Expect(H, "unknown_rep", 4, "rep_id", "unknown rep 'R99'"),)),
    Case("history_duplicate_rows", frame(H, lambda d: pd.concat([d, d.iloc[[5]]], ignore_index=True)), "rejected",
         (Expect(H, "duplicate_row", 7, text="the same month, rep_id and product_line appear more than once"),)),
    Case("history_company_gap", frame(H, lambda d: d[d.month != "2025-05"]), "rejected",
         (Expect(H, "history_gap", column="month", text="no rows at all for month 2025-05"),)),
    Case("history_rep_gap", frame(H, lambda d: d[~((d.rep_id == "R03") & (d.month == "2025-03"))]), "rejected",
         (Expect(H, "rep_history_gap", column="month", text="rep R03 has no rows for 2025-03"),)),
    Case("history_too_short", frame(H, lambda d: d[d.month >= "2026-03"]), "rejected",
         (Expect(H, "history_short", column="month", text="10 months of history; at least 12"),)),
    Case("commitment_unknown_rep", frame(C, lambda d: cell(d, 0, "rep_id", "K1")), "rejected",
         (Expect(C, "unknown_rep", 2, "rep_id", "unknown rep 'K1' (did you mean 'K01'?)"),)),
    Case("commitment_bad_metric", frame(C, lambda d: cell(d, 1, "metric", "sales")), "rejected",
         (Expect(C, "bad_choice", 3, "metric", "valid: revenue, collections, new_customers"),)),
    # the assumptions against the tables
    Case("plan_year_beyond_history", yaml_edit(sub("plan_year: 2027", "plan_year: 2029")), "rejected",
         (Expect(Y, "history_coverage", 4, "plan_year", "did you mean plan_year: 2027?"),),
         extra=("actuals",)),                    # the sample's actuals of 2027 are not in 2029 either
    Case("history_ends_a_month_early", frame(H, lambda d: d[d.month != "2026-12"]), "rejected",
         (Expect(Y, "history_coverage", 4, "plan_year", "which has 11"),)),
    # the model pre-checks: validate runs what plan runs
    Case("no_key_account_specialist", frame(R, lambda d: d.assign(role=d.role.replace("key_account", "rep"))),
         "rejected", (Expect(A, "territory_infeasible", text="no key-account specialist carries a territory"),)),
    Case("specialists_too_few", frame(R, lambda d: d.assign(role=d.role.where(~d.rep_id.isin(["O04", "O05"]), "rep"))),
         "rejected", (Expect(A, "territory_infeasible", text="key-account specialist(s) may carry at most"),)),
    Case("locked_overload", frame(A, lock_to("R06", 120)), "rejected",
         (Expect(A, "territory_infeasible", text="locked accounts give rep R06"),)),
    Case("locked_without_owner", frame(A, lambda d: cell(cell(d, 40, "current_rep_id", ""), 40, "locked", "true")),
         "rejected", (Expect(A, "territory_infeasible", text="is locked but its current_rep_id"),)),
    Case("nobody_carries_a_target", frame(R, lambda d: d.assign(role=d.role.replace(
        ["rep", "key_account", "regular_account", "team_lead"], "order_follower"))), "rejected",
        (Expect(R, "targets", text="no active or open rep with a sales role"),
         Expect(A, "territory_infeasible", text="no rep can carry a territory"))),
    Case("salary_level_missing", frame(R, lambda d: cell(d, 0, "level", "8")), "rejected",
         (Expect(Y, "staffing", column="cost.base_salary_by_level", text="no salary for level(s) [8]"),)),
    Case("growth_caps_cannot_hold", yaml_edit(lambda t: sub("split_method: capacity", "split_method: history")(
        sub("  new_customers_growth: 0.10\n", "  new_customers_growth: 0.10\n  rep_max_growth: 0.0\n")(t))),
         "rejected", (Expect(Y, "targets", text="caps add up to"),)),
]

# --------------------------------------------------------------------------------------
# warned: a plan can be made, but something looks wrong
# --------------------------------------------------------------------------------------
WARNED = [
    Case("growth_50_meant_percent", yaml_edit(sub("growth: 0.25 ", "growth: 50 ")), "warned",
         (Expect(Y, "growth_implausible", 8, "targets.growth", "did you mean 0.5 (+50 %)?"),), full=True),
    Case("line_growth_80", yaml_edit(sub("NEW: 0.80", "NEW: 80")), "warned",
         (Expect(Y, "growth_implausible", 10, "targets.product_line_growth.NEW", "did you mean 0.8"),)),
    Case("rep_cap_500_percent", yaml_edit(sub("  new_customers_growth: 0.10\n",
                                              "  new_customers_growth: 0.10\n  rep_max_growth: 5\n")), "warned",
         (Expect(Y, "growth_implausible", 12, "targets.rep_max_growth"),)),
    Case("total_in_wan", yaml_edit(sub("  growth: 0.25 ", "  total: 2430.3\n  growth: 0.25 ")), "warned",
         (Expect(Y, "total_implausible", 8, "targets.total", "did you mean 24,303,000 (the total in 万元"),)),
    Case("history_month_100x", frame(H, lambda d: where(d, (d.rep_id == "R03") & (d.month == "2025-06") &
                                                          (d.product_line == "LED"), "revenue", "9000000")),
         "warned", (Expect(H, "history_outlier", column="revenue", text="rep R03's revenue in 2025-06"),)),
    Case("account_at_0_0", frame(A, lambda d: cell(cell(d, 7, "lat", "0"), 7, "lon", "0")), "warned",
         (Expect(A, "coordinates_far", 9, "lat", "0, 0 looks like missing coordinates"),)),
    Case("account_in_london", frame(A, lambda d: cell(cell(d, 7, "lat", "51.5"), 7, "lon", "-0.12")), "warned",
         (Expect(A, "coordinates_far", 9, "lat", "far outside their area"),)),
    Case("rep_base_0_0", frame(R, lambda d: cell(cell(d, 8, "base_lat", "0"), 8, "base_lon", "0")), "warned",
         (Expect(R, "coordinates_far", 10, "base_lat", "0, 0 looks like missing coordinates"),)),
    Case("region_case", frame(A, lambda d: where(d, d.index.isin(d.index[d.region.eq("East")][:2]), "region", "east")),
         "warned", (Expect(A, "name_variants", column="region", text="'East' and 'east' differ only by case"),)),
    Case("product_line_spaces", frame(H, lambda d: where(d, d.rep_id.eq("R05") & d.product_line.eq("LED"),
                                                         "product_line", "L E D")),
         "warned", (Expect(H, "name_variants", column="product_line", text="'L E D' and 'LED'"),)),
    Case("team_case", frame(R, lambda d: cell(d, 9, "team", "team north")), "warned",
         (Expect(R, "name_variants", 11, "team", "did you mean 'Team North'?"),),
         extra=("actuals_region_team",)),         # the sample's actuals name R04's team as it was
    Case("active_rep_without_history", frame(H, lambda d: d[d.rep_id != "R05"]), "warned",
         (Expect(R, "rep_history_missing", 12, "rep_id", "rep R05 was employed from 2021-07-19 but history.csv "
                                                         "has no rows at all (36 months)"),), full=True),
    Case("rep_history_stops_a_year_early", frame(H, lambda d: d[(d.rep_id != "R05") | (d.month < "2026-01")]),
         "warned", (Expect(R, "rep_history_missing", 12, "rep_id", "no rows for 2026-01..2026-12"),)),
    Case("new_rep_history_starts_late", frame(H, lambda d: d[(d.rep_id != "R08") | (d.month >= "2025-09")]),
         "warned", (Expect(R, "rep_history_missing", 15, "rep_id", "no rows for 2025-05..2025-08"),)),
    Case("plan_year_already_in_history", both(yaml_edit(sub("plan_year: 2027", "plan_year: 2026")),
                                              remove("actuals.csv")), "warned",
         (Expect(Y, "plan_year", 4, "plan_year", "did you mean plan_year: 2027?"),)),
    Case("active_rep_hired_next_year", frame(R, extra_active_rep), "warned",
         (Expect(R, "hired_after_start", 22, "hire_date", "set status to open"),)),
    Case("requisition_start_passed", frame(R, lambda d: cell(d, 15, "hire_date", "2026-05-01")), "warned",
         (Expect(R, "requisition_overdue", 17, "hire_date", "start date has passed"),)),
    Case("commitment_of_manager", frame(C, lambda d: cell(d, 0, "rep_id", "M01")), "warned",
         (Expect(C, "commitment_no_target", 2, "rep_id", "commitment of M01, who carry no target"),)),
    Case("history_after_leaving", frame(H, append_history("X01", ["2025-07", "2025-08"], "West", "Team South")),
         "warned", (Expect(R, "history_outside_employment", 16, "end_date", "2025-07..2025-08, after their end_date"),)),
    Case("defaults_beside_a_file", lambda f: None, "warned",
         (Expect(Y, "assumptions_ignored", text="the handbook defaults were asked for"),), args=("--defaults",)),
]


CASES = ACCEPTED + REJECTED + WARNED


def test_at_least_60_folders():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


# --------------------------------------------------------------------------------------
def _folder(tmp_path: Path, case: Case) -> Path:
    folder = tmp_path / "company"
    shutil.copytree(SAMPLE, folder)
    case.mutate(folder)
    return folder


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in (0, 2), err           # 1 would be the unexpected-error fallback
    return code, out, err


@dataclass(frozen=True)
class Line:
    """One problem or warning as the command line printed it."""

    file: str
    detail: str
    check: str


def _errors(err: str) -> list[Line]:
    """The problems under 'Bad input -- nothing was written.': a heading per file, a line per problem."""
    found, source = [], None
    for line in err.split("nothing was written.\n", 1)[-1].splitlines():
        m = re.match(r"^(.*): \d+ problems?$", line)
        if m:
            source = Path(m[1]).name
        elif line.startswith("  - "):
            body, check = re.match(r"^  - (.*) \[(\w+)\]$", line).groups()
            found.append(Line(source, body, check))
    return [f for f in found if f.check not in BASELINE]


def _warnings(err: str, *, baseline: bool = False) -> list[Line]:
    """The warnings printed (the sample's own too with ``baseline``)."""
    found = []
    for line in err.splitlines():
        if line.startswith("warning: "):
            path, rest = line[len("warning: "):].split(": ", 1)
            body, check = re.match(r"^(.*) \[(\w+)\]$", rest).groups()
            found.append(Line(Path(path).name, body, check))
    return [f for f in found if baseline or f.check not in BASELINE]


def _said_ok(out: str, err: str) -> bool:
    """``validate`` said OK, counting every warning it printed."""
    n = len(_warnings(err, baseline=True))
    return (f": OK with {n} warning{'s' if n > 1 else ''} -- " if n else ": OK -- ") in out


def _matches(f: Line, e: Expect) -> bool:
    where = f.detail.split(": ", 1)[0] if ": " in f.detail else ""
    m = re.match(r"^lines? (\d+)", where)
    return (f.file == e.file and f.check == e.check
            and (e.line is None or (m is not None and int(m[1]) == e.line))
            and (e.column is None or f"column '{e.column}'" in where or where.endswith(e.column))
            and (e.text is None or e.text in f.detail))


def _assert_expected(found: list[Line], case: Case) -> None:
    for e in case.expect:
        assert any(_matches(f, e) for f in found), f"{case.name}: nothing like {e} in\n" + \
            "\n".join(map(str, found))
    checks = {f.check for f in found}
    assert {e.check for e in case.expect} <= checks <= {e.check for e in case.expect} | set(case.extra), checks


def _assert_like_sample(got, sample, differs: tuple[str, ...]) -> None:
    """The inputs read equal the sample's but for ``differs`` (tables or table.column)."""
    for name in ("accounts", "reps", "history", "commitments"):
        if name in differs:
            continue
        drop = [d.split(".", 1)[1] for d in differs if d.startswith(f"{name}.")]
        a, b = getattr(got, name), getattr(sample, name)
        pd.testing.assert_frame_equal(a.drop(columns=drop), b.drop(columns=drop))
        for col in drop:
            assert (a[col].astype(str) != b[col].astype(str)).any()  # the difference is real
    if "commitments" in differs:
        assert got.commitments is None or got.commitments.empty
    assert (got.assumptions == sample.assumptions) != ("assumptions" in differs)
    assert got.findings == ()


@pytest.fixture(scope="module")
def sample():
    return load_inputs(SAMPLE)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.outcome}-{c.name}")
def test_folder_outcome(case, tmp_path, capsys, sample):
    folder = _folder(tmp_path, case)
    out_file = tmp_path / "out" / "plan.xlsx"
    code_v, out_v, err_v = _run(capsys, "validate", folder, *case.args)
    plan = ("plan", "--data", folder, "--out", out_file, "--runs", "20", *case.args)

    if case.outcome == "rejected":
        errors = _errors(err_v)
        _assert_expected(errors, case)
        code_p, _, err_p = _run(capsys, *plan)
        assert code_v == code_p == 2
        assert _errors(err_p) == errors                  # plan rejects with the same errors, same words
        assert not out_file.parent.exists()              # nothing written
        return

    assert code_v == 0 and ": OK" in out_v, err_v
    warnings = _warnings(err_v)
    if case.outcome == "accepted":
        assert warnings == [] and _said_ok(out_v, err_v)
        _assert_like_sample(load_inputs(folder, defaults="--defaults" in case.args), sample, case.differs)
        if case.full:
            code_p, out_p, err_p = _run(capsys, *plan)
            assert code_p == 0 and out_file.exists() and "revenue target" in out_p
            assert _warnings(err_p) == []
        return

    _assert_expected(warnings, case)
    assert _said_ok(out_v, err_v) and len(_warnings(err_v, baseline=True)) >= len(warnings)
    code_ps, _, err_ps = _run(capsys, *plan, "--strict")
    assert code_ps == 2 and not out_file.parent.exists()
    assert _warnings(err_ps) == warnings
    assert [(e.file, e.detail, e.check) for e in _errors(err_ps)] == [(w.file, w.detail, w.check) for w in warnings]
    if case.full:
        code_p, out_p, err_p = _run(capsys, *plan)
        assert code_p == 0 and out_file.exists() and "revenue target" in out_p
        assert _warnings(err_p) == warnings


def test_validate_strict_agrees_with_plan_strict(tmp_path, capsys):
    case = next(c for c in WARNED if c.name == "growth_50_meant_percent")
    folder = _folder(tmp_path, case)
    code_v, _, err_v = _run(capsys, "validate", folder, "--strict")
    code_p, _, err_p = _run(capsys, "plan", "--data", folder, "--out", tmp_path / "x.xlsx", "--strict")
    assert code_v == code_p == 2 and _errors(err_v) == _errors(err_p) != []
    assert [e.check for e in _errors(err_v)] == ["growth_implausible"]
    assert not (tmp_path / "x.xlsx").exists()


def test_chinese_text_is_read_from_gbk(tmp_path, sample):
    case = next(c for c in ACCEPTED if c.name == "gbk_chinese_names")
    got = load_inputs(_folder(tmp_path, case))
    assert got.accounts["name"].iloc[:2].tolist() == ["北京照明有限公司", "上海灯具商行"]
    pd.testing.assert_frame_equal(got.accounts.iloc[5:].reset_index(drop=True),
                                  sample.accounts.iloc[5:].reset_index(drop=True))


def test_findings_are_structured(tmp_path):
    """The errors the command line prints are Finding records with file, line and column."""
    case = next(c for c in REJECTED if c.name == "negative_potential")
    with pytest.raises(InputError) as exc:
        load_inputs(_folder(tmp_path, case))
    (f,) = exc.value.findings
    assert (Path(f.source).name, f.check, f.line, f.column, f.level) == \
        ("accounts.csv", "out_of_range", 6, "annual_potential", "error")
