"""In-year review: actuals input, achievement, ranking, forecast, allowances, workbook and command line."""

from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pandas as pd
import pytest

import salesplan
from salesplan import InputError, export
from salesplan.cli import main
from salesplan.forecast import head_cohort

AS_OF = pd.Period("2027-05", freq="M")
QUIET = {"staffing.annual_attrition": 0.0, "staffing.probation_pass_rate": 1.0,
         "simulation.productivity_cv": 0.0, "simulation.hiring_delay_months": 0.0}


@pytest.fixture(scope="module")
def rev(sample_plan):
    return salesplan.review(sample_plan, "2027-05", runs=400)


# ---------------------------------------------------------------------------
# actuals.csv
# ---------------------------------------------------------------------------
def test_sample_actuals_first_half_with_a_leaver(sample_inputs):
    act = sample_inputs.actuals
    assert list(act.columns[:9]) == ["month", "rep_id", "region", "team", "product_line", "revenue", "collections",
                                     "new_customers", "new_outlets"]
    assert [str(m) for m in sorted(act["month"].unique())] == [f"2027-{m:02d}" for m in range(1, 7)]
    last = act.groupby("rep_id")["month"].max().astype(str)
    first = act.groupby("rep_id")["month"].min().astype(str)
    assert last["R03"] == "2027-04" and (last.drop("R03") == "2027-06").all()
    assert (first["O01"], first["O02"], first["O05"], first["O04"]) == ("2027-02", "2027-03", "2027-04", "2027-06")
    assert not [f for f in sample_inputs.findings if f.source.endswith("actuals.csv")]


def _edit(folder, change):
    path = folder / "actuals.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(df).to_csv(path, index=False)


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.assign(month=d["month"].where(d.index != 3, "2026-12")), "line 5, column 'month': '2026-12' is not "
                                                                             "in the plan year 2027"),
    (lambda d: d[d["month"] != "2027-03"], "no rows at all for 2027-03"),
    (lambda d: d[~((d["month"] == "2027-03") & (d["rep_id"] == "R01"))], "rep R01 has no rows for 2027-03"),
    (lambda d: d.assign(rep_id=d["rep_id"].where(d.index != 0, "Z99")), "line 2, column 'rep_id': unknown rep 'Z99'"),
    (lambda d: pd.concat([d, d.iloc[[4]]]), "appear more than once"),
    (lambda d: d.assign(rep_id=d["rep_id"].where(d.index != 6, "X01")), "rep X01 left on 2025-06-30"),
    (lambda d: d.assign(revenue=d["revenue"].where(d.index != 1, "-5")), "line 3, column 'revenue': '-5' is negative"),
    (lambda d: d.drop(columns="collections"), "missing column: collections"),
])
def test_bad_actuals_name_file_line_and_column(sample_copy, change, expected):
    _edit(sample_copy, change)
    with pytest.raises(InputError) as err:
        salesplan.load_inputs(sample_copy)
    assert err.value.source.endswith("actuals.csv")
    assert expected in str(err.value)


def test_doubtful_actuals_are_warnings(sample_copy):
    def change(d):
        d.loc[d["rep_id"] == "R01", "region"] = "North"
        extra = d.iloc[[0]].assign(rep_id="M01", region="East", team="Management")
        return pd.concat([d, extra])

    _edit(sample_copy, change)
    found = [f for f in salesplan.load_inputs(sample_copy).findings if f.check.startswith("actuals_")]
    checks = {f.check for f in found}
    assert {"actuals_region_team", "actuals_no_target"} <= checks
    assert all(f.level == "warning" and f.source.endswith("actuals.csv") and f.line for f in found)


# ---------------------------------------------------------------------------
# achievement and ranking
# ---------------------------------------------------------------------------
def _plain(targets, actuals, keys):
    t = targets[targets["month"] <= AS_OF].groupby(keys + ["metric"])["target"].sum()
    a = actuals[actuals["month"] <= AS_OF].melt(id_vars=["month", "region", "team", "rep_id", "product_line",
                                                         "company"],
                                                value_vars=["revenue", "collections", "new_customers"],
                                                var_name="metric", value_name="actual")
    a = a.groupby(keys + ["metric"])["actual"].sum()
    return pd.concat([t, a], axis=1).fillna(0.0)


@pytest.mark.parametrize("level", ["region", "team", "rep_id", "product_line", "company"])
def test_achievement_equals_a_plain_groupby(sample_plan, sample_inputs, rev, level):
    targets = sample_plan.targets.table.assign(company="Company")
    actuals = sample_inputs.actuals.assign(company="Company")
    ach = rev.achievement[rev.achievement["level"] == level]
    by_month = _plain(targets, actuals, [level, "month"]).reset_index()
    got = ach[ach["period"].str.match(r"^\d{4}-\d{2}$")].set_index(["entity", "metric", "period"])
    want = by_month.assign(period=by_month["month"].astype(str)).set_index([level, "metric", "period"])
    want = want[want.index.get_level_values("metric").isin(["revenue", "collections", "new_customers"])]
    assert len(want) == len(got.loc[got.index.get_level_values("metric") != "new_outlets"])
    pd.testing.assert_series_equal(got.loc[want.index, "target"], want["target"], check_names=False, check_dtype=False)
    pd.testing.assert_series_equal(got.loc[want.index, "actual"], want["actual"], check_names=False, check_dtype=False)
    ytd = _plain(targets, actuals, [level])
    y = ach[ach["period"] == "YTD"].set_index(["entity", "metric"]).loc[ytd.index]
    assert np.allclose(y["target"], ytd["target"]) and np.allclose(y["actual"], ytd["actual"])
    q1 = _plain(targets[targets["month"] <= "2027-03"], actuals[actuals["month"] <= "2027-03"], [level])
    q = ach[ach["period"] == "2027-Q1"].set_index(["entity", "metric"]).loc[q1.index]
    assert np.allclose(q["target"], q1["target"]) and np.allclose(q["actual"], q1["actual"])
    assert not ach["period"].eq("2027-Q2").any()                     # Q2 is not closed in May
    share = ach["actual"] / ach["target"]
    assert np.allclose(ach["attainment"].dropna(), share[ach["target"] > 0].dropna())
    assert ach.loc[ach["target"] == 0, "attainment"].isna().all()


def test_untargeted_metric_shows_actuals_without_target(rev, sample_inputs):
    a = rev.achievement
    outlets = a[(a["metric"] == "new_outlets") & (a["level"] == "company") & (a["period"] == "YTD")]
    act = sample_inputs.actuals
    assert outlets["actual"].item() == act.loc[act["month"] <= AS_OF, "new_outlets"].sum()
    assert outlets["target"].isna().all() and outlets["attainment"].isna().all()


def test_new_metrics_are_targeted_and_reviewed(sample_inputs):
    a = sample_inputs.assumptions.replace(**{"targets.metrics": ["revenue", "collections", "new_customers",
                                                                 "new_outlets", "gross_profit"],
                                             "targets.gross_margin": {"HID": 0.3, "LED": 0.25, "NEW": 0.4}})
    plan = salesplan.build_plan(sample_inputs, a)
    t = plan.targets.table
    assert set(t["metric"]) == {"revenue", "collections", "new_customers", "new_outlets", "gross_profit"}
    ly = sample_inputs.history[sample_inputs.history["month"].dt.year == 2026]
    assert plan.total("new_outlets") == pytest.approx(ly["new_outlets"].sum() * 1.10, abs=1)
    assert plan.total("gross_profit") % 1000 == 0 and plan.total("gross_profit") > 0.25 * plan.total("revenue")
    assert list(plan.by("region", "new_outlets").columns[-5:]) == ["Q1", "Q2", "Q3", "Q4", "Year"]
    ach = salesplan.review(plan, "2027-03", runs=50).achievement
    outlets = ach[(ach["metric"] == "new_outlets") & (ach["period"] == "YTD") & (ach["level"] == "company")]
    assert outlets["target"].item() > 0 and outlets["attainment"].notna().all()
    gp = ach[ach["metric"] == "gross_profit"]                      # targeted, but the actuals hold none
    assert len(gp) and gp["target"].notna().all() and gp["actual"].isna().all()


def test_ranking_names_best_and_worst_without_overlap(rev):
    r = rev.ranking
    reps = r[(r["level"] == "rep_id") & (r["metric"] == "revenue")]
    best, worst = reps[reps["side"] == "best"], reps[reps["side"] == "worst"]
    assert len(best) == len(worst) == 3
    assert best["attainment"].is_monotonic_decreasing and worst["attainment"].is_monotonic_increasing
    y = rev.achievement
    y = y[(y["level"] == "rep_id") & (y["metric"] == "revenue") & (y["period"] == "YTD") & (y["target"] > 0)]
    assert best["attainment"].iloc[0] == y["attainment"].max() and worst["attainment"].iloc[0] == y["attainment"].min()
    regions = r[(r["level"] == "region") & (r["metric"] == "revenue")]
    assert regions["side"].value_counts().to_dict() == {"best": 2, "worst": 2}
    assert not set(regions.loc[regions["side"] == "best", "entity"]) & set(regions.loc[regions["side"] == "worst",
                                                                                       "entity"])


# ---------------------------------------------------------------------------
# allowances
# ---------------------------------------------------------------------------
def test_allowances_paid_only_when_the_shipment_target_is_met(rev, sample_plan, sample_inputs):
    al = rev.allowances
    t = sample_plan.targets.table
    t = t[t["metric"] == "revenue"].groupby(["rep_id", "month"])["target"].sum()
    act = sample_inputs.actuals
    a = act[act["month"] <= AS_OF].groupby(["rep_id", "month"])["revenue"].sum()
    assert len(al) == len(a)                                        # one row per rep-month with results
    key = pd.MultiIndex.from_frame(al[["rep_id", "month"]])
    assert np.array_equal(al["shipment_target"], t.reindex(key).fillna(0).to_numpy())
    assert np.array_equal(al["met"], a.reindex(key).to_numpy() >= t.reindex(key).fillna(0).to_numpy())
    assert (al.loc[al["met"], "transport"] == 300).all() and (al.loc[al["met"], "phone"] == 300).all()
    assert (al.loc[~al["met"], ["transport", "phone"]] == 0).all().all()
    assert (al.loc[~al["met"], "withheld"] == 600).all() and (al.loc[al["met"], "withheld"] == 0).all()
    assert al.loc[al["rep_id"] == "R03", "month"].max() == pd.Period("2027-04", freq="M")
    tot = rev.allowance_totals.set_index("month")
    assert tot.loc["YTD", "paid"] == (al["transport"] + al["phone"]).sum() == rev.metrics.allowances_paid
    assert tot.drop("YTD")["withheld"].sum() == al["withheld"].sum()


def test_allowances_are_prorated_on_a_part_month(sample_plan):
    r = salesplan.review(sample_plan, "2027-05", leavers={"R03": "2027-04-15"}, runs=50)
    april = r.allowances[(r.allowances["rep_id"] == "R03") & (r.allowances["month"] == "2027-04")]
    assert april["payroll_share"].item() == pytest.approx(15 / 30)
    assert (april[["transport", "phone"]].sum(axis=1) + april["withheld"]).item() == pytest.approx(300)


# ---------------------------------------------------------------------------
# payroll and forecast
# ---------------------------------------------------------------------------
def test_a_rep_whose_actuals_stop_is_taken_as_left_with_a_warning(rev):
    pay = rev.payroll.set_index("rep_id")
    assert not pay.at["R03", "on_payroll"] and pay.at["R03", "last_day"] == pd.Timestamp("2027-04-30")
    assert pay.drop("R03")["on_payroll"].all()
    (f,) = [f for f in rev.findings if f.check == "actuals_stop"]
    assert "R03" in f.message and "2027-04-30" in f.message and f.level == "warning"
    assert rev.metrics.leavers == ("R03",)


def test_given_leavers_win_and_are_checked(sample_plan):
    r = salesplan.review(sample_plan, "2027-05", leavers={"R03": "2027-04-30"}, runs=50)
    assert not [f for f in r.findings if f.check == "actuals_stop"]
    with pytest.raises(InputError, match="R03: last day 2027-02-28 but results up to 2027-04"):
        salesplan.review(sample_plan, "2027-05", leavers={"R03": "2027-02-28"}, runs=50)
    with pytest.raises(InputError, match="not a rep carrying a target"):
        salesplan.review(sample_plan, leavers={"M01": "2027-02-28"}, runs=50)


def test_an_unfilled_requisition_starts_after_as_of(sample_plan):
    r = salesplan.review(sample_plan, "2027-03", runs=50)          # O05 was to start in April: fine
    assert not [f for f in r.findings if f.check == "requisition_unfilled"]
    act = sample_plan.inputs.actuals
    inputs = dataclasses.replace(sample_plan.inputs, actuals=act[act["rep_id"] != "O02"])
    r = salesplan.review(salesplan.build_plan(inputs), "2027-05", runs=50)
    pay = r.payroll.set_index("rep_id")
    assert pay.at["O02", "start"] == pd.Timestamp("2027-06-01") and pay.at["O02", "on_payroll"]
    assert [f.check for f in r.findings if "O02" in f.message] == ["requisition_unfilled"]


def test_run_rate_is_deseasonalised_actual_revenue(rev, sample_plan, sample_inputs):
    a = sample_plan.assumptions
    c = head_cohort(rev.payroll, sample_inputs.actuals, sample_inputs.history, AS_OF, a, run_rate_months=3)
    i = list(c.ids).index("R05")
    act = sample_inputs.actuals
    r05 = act[(act["rep_id"] == "R05") & act["month"].between("2027-03", "2027-05")]["revenue"].sum()
    assert c.productivity[i] == pytest.approx(r05 / (c.fte[i] * c.season[2:5].sum()))
    assert "R03" not in c.ids


def test_forecast_with_no_noise_equals_the_run_rate(sample_inputs):
    plan = salesplan.build_plan(sample_inputs, sample_inputs.assumptions.replace(**QUIET))
    r = salesplan.review(plan, "2027-05", runs=20)
    rest = r.forecast[r.forecast["month"] > AS_OF]
    for p in ("p10", "p50", "p90"):
        assert np.array_equal(rest[p].to_numpy(), rest["forecast"].to_numpy())
    o = r.outlook
    assert np.allclose(o["year_p50"], o["expected_year"])
    assert np.array_equal(o["p_hit"], (o["expected_year"] >= o["annual_target"] - 1e-6).astype(float))


def test_forecast_adds_up_and_orders_its_percentiles(rev):
    f, o = rev.forecast, rev.outlook
    closed = f["month"] <= AS_OF
    assert np.array_equal(f.loc[closed, "expected"], f.loc[closed, "actual"])
    assert f.loc[~closed, "actual"].isna().all() and f.loc[closed, "forecast"].isna().all()
    assert (f["p10"] <= f["p50"] + 1e-6).all() and (f["p50"] <= f["p90"] + 1e-6).all()
    assert np.allclose(o["expected_year"], o["actual_ytd"] + o["forecast_rest"])
    comp = o.set_index("entity").loc["Company"]
    regions = o[o["scope"] == "region"]
    assert comp["annual_target"] == regions["annual_target"].sum() == 24_303_000
    assert comp["actual_ytd"] == pytest.approx(regions["actual_ytd"].sum())
    assert comp["forecast_rest"] == pytest.approx(regions["forecast_rest"].sum())
    assert 0 <= comp["p_hit"] <= 1 and comp["attainment_p10"] <= comp["attainment_p50"] <= comp["attainment_p90"]
    last = f[(f["entity"] == "Company") & (f["month"] == "2027-12")].iloc[0]
    assert last["cum_expected"] == pytest.approx(comp["expected_year"])
    assert last["cum_p50"] == pytest.approx(comp["year_p50"])


def test_same_seed_same_review(sample_plan):
    a = salesplan.review(sample_plan, "2027-05", runs=300)
    b = salesplan.review(sample_plan, "2027-05", runs=300)
    pd.testing.assert_frame_equal(a.outlook, b.outlook)


# ---------------------------------------------------------------------------
# the API, the workbook, the command line
# ---------------------------------------------------------------------------
def test_review_and_replan_are_callable_after_their_modules_are_imported(sample_plan):
    import salesplan.replan  # noqa: F401
    import salesplan.review  # noqa: F401

    assert callable(salesplan.review) and callable(salesplan.replan)
    assert salesplan.review(sample_plan, "2027-02", runs=10).metrics.months_closed == 2


def test_review_needs_actuals_and_a_closed_month(sample_plan, sample_copy):
    (sample_copy / "actuals.csv").unlink()
    plan = salesplan.build_plan(salesplan.load_inputs(sample_copy))
    assert plan.inputs.actuals is None
    with pytest.raises(InputError, match="actuals.csv: 1 problem"):
        salesplan.review(plan)
    with pytest.raises(InputError, match="2027-07 has no results yet"):
        salesplan.review(sample_plan, "2027-07")
    with pytest.raises(InputError, match="not in the plan year"):
        salesplan.review(sample_plan, "2026-12")
    with pytest.raises(TypeError, match="run_rate_month"):
        salesplan.review(sample_plan, run_rate_month=2)


def test_review_sheets_in_the_workbook(rev, sample_plan, tmp_path):
    path = export.to_excel(sample_plan.with_extras(rev.to_frames()), tmp_path / "review.xlsx")
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    for sheet in ("Review", "Review warnings", "Achievement by quarter", "Achievement by rep",
                  "Achievement by region", "Achievement by product line", "Ranking", "Forecast",
                  "Forecast by month", "Allowances", "Allowances by month", "Payroll", "Achievement data"):
        assert sheet in names
    assert export.read_excel(path).equals(sample_plan.targets.table)
    by_q = pd.read_excel(path, sheet_name="Achievement by quarter", header=None)
    head = by_q.index[by_q[0].astype(str).str.lower() == "level"][0]        # below the title rows
    assert {"Q1 target", "Q1 actual", "Q1 pct", "YTD pct"} <= set(by_q.loc[head])


def test_cli_review(tmp_path, capsys, sample_dir):
    out = tmp_path / "r.xlsx"
    assert main(["review", "--data", str(sample_dir), "--as-of", "2027-05", "--runs", "200", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "as of 2027-05" in text and "P(hit annual target)" in text and "allowances paid" in text
    assert "warning: actuals.csv: R03 has no results after 2027-04" in text
    assert out.exists()
    assert main(["review", "--data", str(sample_dir), "--leaver", "R03"]) == 2
    assert "REP_ID:YYYY-MM-DD" in capsys.readouterr().err
