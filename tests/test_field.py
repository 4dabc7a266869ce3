"""Territories and team size that hold in the field: visit capacity, hand-over, product-line reps, ABC, headcount."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

import salesplan
from salesplan import InfeasibleError, InputError
from salesplan.accounts import abc_classes, classify_accounts, pareto, top_share
from salesplan.cli import main
from salesplan.staffing import size_team
from salesplan.targets import check_coherence, decompose
from salesplan.territory import account_workload, assign
from salesplan.visits import full_month_visits, visit_capacity


@pytest.fixture(scope="module")
def cli_plan(tmp_path_factory, sample_dir):
    """``salesplan plan`` on the sample, once: exit code, printed summary and warnings, the workbook."""
    out = tmp_path_factory.mktemp("field") / "plan.xlsx"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["plan", "--data", str(sample_dir), "--out", str(out), "--runs", "200"])
    return SimpleNamespace(code=code, out=stdout.getvalue(), err=stderr.getvalue(), path=out)


@pytest.fixture(scope="module")
def field_plan(sample_inputs):
    return salesplan.build_plan(sample_inputs, territories=True, staffing=True)


def _sheet(path, name) -> list[list]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [list(r) for r in ws.iter_rows(values_only=True)]


# -- visit capacity ------------------------------------------------------------------------------
def test_visit_warning_in_plan_validate_and_workbook(cli_plan, sample_dir, capsys):
    assert cli_plan.code == 0
    warned = [line for line in cli_plan.err.splitlines() if line.endswith("[visit_capacity]")]
    assert len(warned) == 3                                   # the team, the reps, the stand-ins
    assert "short by 422 visits a month, about 7 more full-time reps" in warned[0]
    assert "15 of 15 reps hold accounts that need more visits than a full month allows" in warned[1]
    assert "stand-ins carry more visits than they can make: K01" in warned[2]
    assert "visits: 15 of 15 reps need more than a full month allows" in cli_plan.out
    assert main(["validate", str(sample_dir)]) == 0           # validate: the same team warning, exit 0
    out, err = capsys.readouterr()
    assert "OK with 1 warning" in out and warned[0] in err.splitlines()
    checks = [r for r in _sheet(cli_plan.path, "Checks") if r[1] == "visit_capacity"]
    assert len(checks) == 3 and all(r[0] == "Warning" for r in checks)
    cover = [c for r in _sheet(cli_plan.path, "Cover") for c in r if isinstance(c, str)]
    assert any("short by 422 visits a month" in c for c in cover)


def test_capacity_by_month_follows_calendar_fte_and_ramp_up(sample_inputs):
    a = sample_inputs.assumptions
    cap = visit_capacity(sample_inputs.reps, a)
    assert cap.loc["R01", 1] == 3 * 20 and cap.loc["R01", 2] == 3 * 16    # January 20, February 16 working days
    assert cap.loc["R06"].sum() == pytest.approx(0.5 * cap.loc["R01"].sum())  # half time
    assert (cap.loc["O04", :5] == 0).all()                                # starts in June, ramped 25 %
    assert cap.loc["O04", 6] == pytest.approx(3 * 21 * 0.25)
    assert cap.loc["X01"].sum() == 0                                      # left
    assert full_month_visits(a) == pytest.approx(3 * 248 / 12)


def test_capacity_hard_on_the_sample_names_the_shortfall(sample_inputs):
    with pytest.raises(InfeasibleError, match=r"cannot cover the accounts at all: they need 1,321 visits a month "
                                              r"and the 15 reps carrying a territory can make 899.*short by 422 "
                                              r"visits a month, 7 more full-time reps"):
        assign(sample_inputs.accounts, sample_inputs.reps, assumptions=sample_inputs.assumptions, capacity="hard")
    r = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=sample_inputs.assumptions, capacity="hard",
               best_effort=True)
    assert any("visits a month, above their capacity of 62.0" in v for v in r.metrics.violations)


def test_capacity_hard_keeps_every_rep_within_capacity(sample_inputs):
    a = sample_inputs.assumptions.replace(**{"productivity.visits_per_day": 4.6})  # enough visits in all
    soft = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=a)
    hard = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=a.replace(**{"territory.capacity": "hard"}))
    assert soft.capacity["over_capacity"].sum() > 0                  # balance alone leaves some reps above it
    c = hard.capacity
    assert not c["over_capacity"].any() and (c["visits"] <= c["visit_capacity"] + 1e-9).all()
    m = hard.metrics
    assert m.violations == () and m.max_abs_deviation <= 0.10 + 1e-9    # the balance band still holds
    assert m.lower_bound <= m.cost and m.gap_pct < 1 and m.cost >= soft.metrics.lower_bound
    assert not any(f.message.startswith(f"{int(c['over_capacity'].sum())} of") for f in hard.findings)


def test_capacity_is_a_setting_resolved_like_every_option(sample_inputs):
    with pytest.raises(InputError, match="territory.capacity"):
        assign(sample_inputs.accounts, sample_inputs.reps, capacity="firm")
    with pytest.raises(TypeError, match="capacityy"):
        assign(sample_inputs.accounts, sample_inputs.reps, capacityy="hard")


# -- hand-over -----------------------------------------------------------------------------------
def test_handover_covers_every_account_of_every_requisition_until_its_start(field_plan):
    t, reps = field_plan.territories, field_plan.inputs.reps.set_index("rep_id")
    opened = reps.index[reps["status"] == "open"]
    theirs = t.table[t.table["rep_id"].isin(opened)]
    h = t.handover.set_index("account_id")
    assert set(h.index) == set(theirs["account_id"]) and len(h) == len(theirs) == 454
    start = reps.loc[h["new_owner"], "hire_date"].dt.to_period("M").to_numpy()
    assert (h["handover_month"].to_numpy() == start + 1).all()          # start month + one month's overlap
    assert (h["from_month"] == pd.Period("2027-01", "M")).all() and (h["stand_in"] != "").all()
    stand = reps.loc[h["stand_in"]]
    assert (stand["status"] == "active").all()
    key = theirs.set_index("account_id").loc[h.index, "key_account"].to_numpy()
    assert (stand["role"].to_numpy()[key] == "key_account").all()       # key accounts: a specialist stands in
    v = t.visits
    for month in pd.period_range("2027-01", periods=12, freq="M"):      # every waiting account is someone's
        waiting = h[h["handover_month"] > month]
        at = v[v["month"] == month].set_index("rep_id")
        assert at["stand_in_visits"].sum() == pytest.approx(waiting["visits"].sum())
        for rid, rows in waiting.groupby("stand_in"):
            assert at.loc[rid, "stand_in_visits"] == pytest.approx(rows["visits"].sum())
        assert (at.loc[waiting["new_owner"].unique(), "own_visits"] == 0).all()


def test_stand_in_is_the_cheapest_active_rep_by_the_plan_cost(field_plan):
    from salesplan.geo import haversine

    t, a = field_plan.territories, field_plan.assumptions
    tr = t.reps.set_index("rep_id")
    acc = field_plan.inputs.accounts.set_index("account_id")
    active = tr[tr["status"] == "active"]
    for row in t.handover.head(40).itertuples():
        km = haversine(acc.at[row.account_id, "lat"], acc.at[row.account_id, "lon"],
                       active["base_lat"].to_numpy(), active["base_lon"].to_numpy())
        cost = km + a.territory.disruption_km * (active.index != acc.at[row.account_id, "current_rep_id"])
        key = acc.at[row.account_id, "annual_potential"] >= a.territory.key_account_threshold
        cost = np.where(~key | (active["role"] == "key_account").to_numpy(), cost, np.inf)
        assert row.stand_in == active.index[int(np.argmin(cost))]


def test_handover_overlap_is_a_setting(sample_inputs):
    r = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=sample_inputs.assumptions,
               handover_months=0, polish=False)
    h = r.handover
    o04 = h[h["new_owner"] == "O04"]
    assert (o04["handover_month"] == pd.Period("2027-06", "M")).all()  # the start month itself
    assert set(r.to_frames()) >= {"Visit capacity", "Hand-over", "Hand-over accounts", "Stand-ins"}


# -- product-line reps ---------------------------------------------------------------------------
def test_rep_of_one_product_line_gets_only_its_targets(sample_inputs):
    base = decompose(sample_inputs)
    reps = sample_inputs.reps.copy()
    reps.loc[reps["rep_id"] == "R01", "product_line"] = "LED"
    t = decompose(dataclasses.replace(sample_inputs, reps=reps))
    mine = t.table[t.table["rep_id"] == "R01"]
    assert (mine.loc[mine["product_line"] != "LED", "target"] == 0).all()
    assert (mine.groupby("metric")["target"].sum() > 0).all()
    assert t.metrics.totals == base.metrics.totals
    for tab in (base.table, t.table):
        assert check_coherence(t if tab is t.table else base, dict(t.metrics.units),
                               hierarchy=tuple(t.metrics.hierarchy), totals=dict(t.metrics.totals)) == []
    key = ["metric", "product_line", "month"]                           # every line's months stay as they were
    pd.testing.assert_series_equal(base.table.groupby(key)["target"].sum(), t.table.groupby(key)["target"].sum())
    other = t.table[(t.table["rep_id"] != "R01") & (t.table["product_line"] == "HID")]
    was = base.table[(base.table["rep_id"] != "R01") & (base.table["product_line"] == "HID")]
    assert other["target"].sum() > was["target"].sum()                 # R01's HID share went to the others


def test_unknown_product_line_of_a_rep_is_an_error_with_its_line(sample_copy):
    reps = pd.read_csv(sample_copy / "reps.csv", dtype=str, keep_default_na=False)
    reps.loc[reps["rep_id"] == "R02", "product_line"] = "LEDs"
    reps.to_csv(sample_copy / "reps.csv", index=False)
    with pytest.raises(InputError) as err:
        salesplan.load_inputs(sample_copy)
    (f,) = err.value.findings
    assert (f.check, f.line, f.column) == ("unknown_product_line", 9, "product_line")
    assert "'LEDs' is not a product line of history.csv (did you mean 'LED'?)" in f.message


def test_territories_give_a_product_line_rep_only_accounts_that_buy_it(sample_inputs):
    acc, reps = sample_inputs.accounts.copy(), sample_inputs.reps.copy()
    rng = np.random.default_rng(7)
    acc["product_lines"] = np.where(acc["locked"], "", rng.choice(["LED", "HID;NEW", "", "LED / HID"], size=len(acc)))
    reps.loc[reps["rep_id"].isin(["R01", "R05"]), "product_line"] = "LED"
    r = assign(acc, reps, assumptions=sample_inputs.assumptions)
    assert r.metrics.violations == ()
    lines = acc.set_index("account_id")["product_lines"]
    for rid in ("R01", "R05"):
        held = lines[r.table.loc[r.table["rep_id"] == rid, "account_id"]]
        assert held.map(lambda x: x == "" or "LED" in x).all() and (held == "HID;NEW").sum() == 0
    stood = lines[r.handover.loc[r.handover["stand_in"].isin(["R01", "R05"]), "account_id"]]
    assert (stood != "HID;NEW").all()
    locked = acc.index[acc["locked"] & acc["current_rep_id"].eq("R01")][0]
    acc.loc[locked, "product_lines"] = "NEW"                           # locked to a rep who does not sell it
    with pytest.raises(InfeasibleError, match=rf"{acc.at[locked, 'account_id']}.*locked to a rep who sells none"):
        assign(acc, reps, assumptions=sample_inputs.assumptions)


# -- ABC from sales ------------------------------------------------------------------------------
def test_abc_classes_cut_the_cumulative_share_of_sales():
    assert abc_classes([50, 30, 10, 5, 5]).tolist() == ["A", "A", "B", "B", "C"]   # 0 / 50 / 80 / 90 / 95 % before
    assert abc_classes([5, 0, 95], {"A": 0.9, "B": 0.06, "C": 0.04}).tolist() == ["B", "C", "A"]
    assert abc_classes([0, 0]).tolist() == ["C", "C"]


def test_pareto_and_top_share_of_the_sample(sample_inputs):
    p = pareto(sample_inputs.accounts)
    assert p["cumulative_share"].iloc[-1] == pytest.approx(1.0) and p["sales_last_year"].is_monotonic_decreasing
    assert top_share(sample_inputs.accounts) == pytest.approx(p["share"].iloc[:300].sum())
    assert round(top_share(sample_inputs.accounts), 3) == 0.377      # far from 80/20 in the sample
    a_share = p.loc[p["abc_class"] == "A", "share"].sum()
    assert 0.8 <= a_share < 0.8 + p.loc[p["abc_class"] == "A", "share"].min() + 1e-12


def test_empty_segments_are_classed_by_sales_and_visits_follow(sample_inputs):
    a = sample_inputs.assumptions
    acc = sample_inputs.accounts[["account_id", "lat", "lon", "annual_potential", "sales_last_year"]].copy()
    acc["segment"] = np.nan
    got = classify_accounts(acc, a.territory)
    assert (got["segment"] == got["abc_class"]).all() and got["segment_given"].isna().all()
    assert (got["visits_per_month"] == got["segment"].map(a.territory.visits_per_month)).all()
    w = account_workload(acc, a).to_numpy()
    hours = got["segment"].map(a.territory.hours_per_visit).to_numpy()
    assert w == pytest.approx(got["visits_per_month"].to_numpy() * hours)


def test_segments_by_sales_on_request_rebuild_workload_and_sizing(sample_inputs):
    plan = salesplan.build_plan(sample_inputs, territories={"segments": "sales"}, staffing=True)
    acc = plan.inputs.accounts
    assert (acc["segment"] == acc["abc_class"]).all() and (acc["segment_given"] != acc["segment"]).any()
    table = plan.territories.table.set_index("account_id")
    assert (table.loc[acc["account_id"], "segment"].to_numpy() == acc["segment"].to_numpy()).all()
    norms = plan.assumptions.territory.visits_per_month
    assert plan.staffing.metrics.visits_needed == pytest.approx(acc["segment"].map(norms).sum())
    back = plan.with_assumptions(sample_inputs.assumptions)            # the file's segments again
    assert (back.inputs.accounts["segment"] == sample_inputs.accounts["segment"]).all()


# -- one headcount story -------------------------------------------------------------------------
def test_headcount_agrees_in_cli_summary_staffing_tables_and_workbook(cli_plan, field_plan):
    m = field_plan.staffing.metrics
    org = field_plan.staffing.org.set_index("role")
    hc = field_plan.staffing.headcount.set_index("measure")["heads"]
    line = next(x for x in cli_plan.out.splitlines() if x.strip().startswith("heads:"))
    nums = [int(x) for x in re.findall(r"(?<![\d,.])([+-]?\d+)(?![\d,.%])", line.split("; expected")[0])]
    assert nums == [m.heads_today, m.open_requisitions, m.heads_planned, m.heads_required, m.sales_heads_required,
                    m.extra_heads, m.hires] == [14, 5, 19, 28, 22, 9, 12]
    assert "for visits" in line
    assert (org.at["Total", "current"], org.at["Total", "open"], org.at["Total", "planned"],
            org.at["Total", "required"], org.at["Total", "gap"]) == (14, 5, 19, 28, 9)
    assert org.iat[0, org.columns.get_loc("required")] == m.sales_heads_required
    assert org.iat[0, org.columns.get_loc("reason")] == m.binding_reason == "visits"
    assert (hc["on the payroll today"], hc["open requisitions"], hc["required by the model"],
            hc["beyond the plan (required - planned)"], hc["sales heads required"],
            hc["hires the model asks for"]) == (14, 5, 28, 9, 22, 12)
    hiring = field_plan.staffing.hiring
    assert (hiring["kind"] == "hire").sum() == m.hires == m.sales_heads_required - 10   # today's 10 sales heads
    assert set(hiring.loc[hiring["kind"] == "hire", "reason"]) == {"revenue", "visits"}
    sizing = field_plan.staffing.sizing.set_index("method")
    assert sizing.loc[sizing["binding"]].index.tolist() == ["workload"] and sizing.at["hiring plan", "reps_needed"] == 18
    cover = {r[0]: r[1] for r in _sheet(cli_plan.path, "Cover") if r and r[0] is not None}
    assert (cover["Heads today"], cover["Open requisitions"], cover["Heads planned"], cover["Heads required by the model"],
            cover["Sales heads required"], cover["Heads beyond the plan"], cover["Sales hires proposed"]) == \
        (14, 5, 19, 28, 22, 9, 12)
    assert cover["Sales heads needed for"] == "visits"
    rows = {r[0]: r for r in _sheet(cli_plan.path, "Org structure")[4:]}
    assert rows["Total"][1:6] == (14, 5, 19, 28, 9) or list(rows["Total"][1:6]) == [14, 5, 19, 28, 9]
    heads = {r[0]: r[1] for r in _sheet(cli_plan.path, "Headcount")[4:]}
    assert heads["Required by the model"] == 28 and heads["Hires the model asks for"] == 12


def test_sizing_by_workload_uses_the_assigned_territories(sample_inputs, field_plan):
    fake = SimpleNamespace(by_rep=pd.DataFrame({"visits": [620.0, 620.0]}))   # 1,240 visits a month assigned
    s = size_team(sample_inputs, field_plan.targets, territories=fake)
    assert s.metrics.visits_needed == pytest.approx(1240.0)
    row = s.sizing.set_index("method").loc["workload"]
    assert row["reps_needed"] == pytest.approx(1240 / 62.0) and "(assigned territories)" in row["basis"]


def test_funnel_counts_only_the_revenue_of_new_customers(field_plan):
    f = field_plan.staffing.sizing.set_index("method").loc["funnel"]
    new = field_plan.targets.metrics.totals["new_customers"]
    assert f["basis"].startswith(f"{new:,.0f} new customers x ")
    found = re.search(r"= ([\d,]+) from new deals", f["basis"])
    assert 0 < float(found.group(1).replace(",", "")) < 0.25 * field_plan.total()
    p = field_plan.assumptions.productivity
    assert f["reps_needed"] == pytest.approx(new / p.conversion / p.interested_per_day
                                             / (p.working_days_per_month * 12))


def test_readme_documents_capacity_handover_product_lines_abc_and_headcount():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for words in ("**Visit capacity**", "**`capacity=\"hard\"`**", "**Hand-over of open requisitions**",
                  "**Product-line reps**", "### Accounts by class (ABC from sales)", "**One headcount story**",
                  "`visit_capacity`", "`territory.handover_months`", "`territory.abc_shares`"):
        assert readme.count(words) >= 1, words
    assert readme.count("**Product-line reps**") == 2                 # targets and territories


def test_visits_planned_from_a_later_month_drop_the_stand_ins_no_longer_needed(field_plan):
    from salesplan.replan import replan

    t = field_plan.territories
    later = t.from_month("2027-03")
    h = later.handover
    assert set(h["new_owner"]) == {"O02", "O03", "O04", "O05"}            # O01 takes over in March itself
    assert len(h) == (t.handover["handover_month"] > pd.Period("2027-03", "M")).sum()
    assert (h["from_month"] == pd.Period("2027-03", "M")).all()
    v = later.visits
    assert (v.loc[v["month"] < pd.Period("2027-03", "M"), "stand_in_visits"] == 0).all()
    assert later.table.equals(t.table)                                   # the same territories
    after = replan(field_plan, "2027-06", leavers={"R03": "2027-05-31"})  # every requisition has started by July
    assert len(after.territories.handover) == 0
    assert "Hand-over" not in after.territories.to_frames() and "Visit capacity" in after.territories.to_frames()
    assert not any("stand-ins" in f.message for f in after.territories.findings)
