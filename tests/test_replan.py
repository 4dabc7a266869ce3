"""Mid-year re-plan: frozen months, annual totals kept, coherence, leavers, joiners, hand-over, diff."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import salesplan
from salesplan import InfeasibleError, InputError, export
from salesplan.cli import main
from salesplan.targets import check_coherence

UPPER = (["product_line"], ["region"], ["team"], ["product_line", "region"], ["product_line", "region", "team"])
JOINER = dict(rep_id="N01", name="New hire", role="rep", team="Team North", region="North", level=2, status="open",
              hire_date="2027-08-01", base_lat=39.9075, base_lon=116.39723, fte=1.0)


@pytest.fixture(scope="module")
def plan(sample_inputs):
    return salesplan.build_plan(sample_inputs, territories=True)


def check_invariants(old, new, as_of: str, leavers: dict[str, str], keep: str = "year"):
    """Every invariant a re-plan promises, on any plan, leavers and month."""
    a, b = old.targets.table, new.targets.table
    key = ["rep_id", "product_line", "metric", "month"]
    both = a.merge(b, on=key, how="right", suffixes=("_old", "_new"), indicator=True)
    frozen = both["month"] <= pd.Period(as_of, freq="M")
    kept = both[frozen & (both["_merge"] == "both")]
    assert np.array_equal(kept["target_old"], kept["target_new"])                      # frozen months identical
    assert np.array_equal(kept["exact_old"], kept["exact_new"])
    assert (both.loc[frozen & (both["_merge"] == "right_only"), "target_new"] == 0).all()  # joiners: nothing before
    assert set(a["rep_id"]) <= set(b["rep_id"])                                        # every leaf, every month
    assert len(b) == b["rep_id"].nunique() * a["product_line"].nunique() * a["metric"].nunique() * 12
    units = old.assumptions.targets.unit
    assert check_coherence(new.targets, units, hierarchy=old.assumptions.targets.hierarchy) == []
    for metric, unit in ((m, units[m]) for m in set(b["metric"])):
        q = b.loc[b["metric"] == metric, "target"] / unit
        assert np.allclose(q, np.rint(q)) and (q >= 0).all()                            # whole units
    if keep == "year":
        assert new.targets.metrics.totals == old.targets.metrics.totals
        for levels in UPPER:                                                            # every entity's year
            ya = a.groupby(levels + ["metric"])["target"].sum()
            yb = b.groupby(levels + ["metric"])["target"].sum()
            pd.testing.assert_series_equal(ya, yb.reindex(ya.index), check_names=False)
    for rid, day in leavers.items():                                                   # nothing after the last day
        after = (b["rep_id"] == rid) & (b["month"] > max(pd.Period(day, freq="M"), pd.Period(as_of, freq="M")))
        assert (b.loc[after, "target"] == 0).all()
    moved = old.diff(new).accounts                                                      # only the leavers' accounts
    assert set(moved["from_rep"]) <= set(leavers) | {""}
    assert not set(moved["to_rep"]) & set(leavers)


def test_sample_replan_keeps_everything_it_promises(plan):
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"})
    check_invariants(plan, new, "2027-05", {"R03": "2027-05-31"})
    d = plan.diff(new)
    assert set(d.targets["rep_id"]) == {"R03", "R04", "O01"}                         # his team takes his target
    r03 = d.targets[(d.targets["rep_id"] == "R03") & (d.targets["metric"] == "revenue")].iloc[0]
    assert r03["months"] == "2027-06..2027-12" and r03["new"] == 0
    assert d.metrics.revenue_moved == -r03["change"] and d.metrics.revenue_change == 0
    held = plan.territories.table
    assert set(d.accounts["account_id"]) == set(held.loc[held["rep_id"] == "R03", "account_id"])
    assert (d.accounts["reason"] == "from a leaver").all()
    assert "R03" not in set(new.territories.table["rep_id"])
    assert new.inputs.reps.set_index("rep_id").at["R03", "status"] == "left"
    assert new.staffing is None and new.simulation is None
    c = new.changes                                                                  # what was asked, what changed
    assert (str(c.as_of), c.keep, c.max_moved_share) == ("2027-05", "year", None)
    assert c.leavers == {"R03": pd.Timestamp("2027-05-31")} and c.joiners == {}
    pd.testing.assert_frame_equal(c.diff.targets, d.targets)
    assert c.metrics == d.metrics and not new.extras
    rows = c.to_frames()["Re-plan"].set_index("measure")
    assert rows.at["leaver", "rep_id"] == "R03" and rows.at["leaver", "value"] == pd.Timestamp("2027-05-31")
    assert rows.at["accounts_moved", "value"] == d.metrics.accounts_moved
    assert rows.at["max_moved_share", "value"] == "leavers_only"


@pytest.mark.parametrize("seed", range(6))
def test_random_leavers_and_dates(plan, seed):
    rng = np.random.default_rng(seed)
    reps = plan.targets.table.groupby("rep_id")["target"].sum()
    pick = rng.choice(sorted(reps[reps > 0].index), size=int(rng.integers(1, 3)), replace=False)
    as_of = f"2027-{int(rng.integers(1, 12)):02d}"
    days = pd.date_range("2027-01-31", "2027-12-31", freq="ME")
    leavers = {str(r): str(days[int(rng.integers(0, 12))].date()) for r in pick}
    hires = plan.inputs.reps.set_index("rep_id")["hire_date"]
    leavers = {r: max(d, str(hires[r].date())) for r, d in leavers.items()}
    joiners = [JOINER] if seed % 2 else None
    try:
        new = salesplan.replan(plan, as_of, leavers=leavers, joiners=joiners)
    except InfeasibleError as exc:                     # a team left with nobody: said, not silently dropped
        assert "nobody is left in" in str(exc)
        return
    check_invariants(plan, new, as_of, leavers)


def test_a_team_left_empty_cannot_keep_its_year(plan):
    with pytest.raises(InfeasibleError, match="nobody is left in .*East / Key Accounts.*keep='remaining'"):
        salesplan.replan(plan, "2027-03", leavers={"K01": "2027-03-31"})


def test_joiner_takes_a_ramped_share_from_the_start(plan):
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"}, joiners=[JOINER])
    check_invariants(plan, new, "2027-05", {"R03": "2027-05-31"})
    n01 = new.by("rep_id").loc["N01"]
    assert (n01[["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul"]] == 0).all() and (n01[["Aug", "Dec"]] > 0).all()
    flat = plan.assumptions.replace(**{"staffing.ramp_curve": [1.0]})
    unramped = salesplan.replan(dataclass_replace(plan, assumptions=flat), "2027-05", leavers={"R03": "2027-05-31"},
                                joiners=[JOINER])
    assert unramped.by("rep_id").loc["N01", "Year"] > n01["Year"]                   # ramp-up lowers the share


def dataclass_replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


def test_keep_remaining_rebases_on_the_actuals(plan, sample_inputs):
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"}, keep="remaining")
    check_invariants(plan, new, "2027-05", {"R03": "2027-05-31"}, keep="remaining")
    act = sample_inputs.actuals
    done = act[act["month"] <= "2027-05"].groupby(["product_line", "region", "team"])["revenue"].sum()
    t_old, t_new = plan.targets.table, new.targets.table
    annual = t_old[t_old["metric"] == "revenue"].groupby(["product_line", "region", "team"])["target"].sum()
    rest = t_new[(t_new["metric"] == "revenue") & (t_new["month"] > "2027-05")].groupby(
        ["product_line", "region", "team"])["target"].sum()
    want = (np.maximum(annual - done.reindex(annual.index).fillna(0), 0) / 1000).round() * 1000
    pd.testing.assert_series_equal(rest.reindex(want.index), want, check_names=False)
    assert new.total("revenue") != plan.total("revenue")                              # the shortfall moved on


def test_a_moved_share_cap_lets_other_accounts_move(plan):
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"}, max_moved_share=0.05)
    moved = plan.diff(new).accounts
    others = moved[moved["from_rep"] != "R03"]
    assert len(others) <= 0.05 * len(plan.inputs.accounts)


def test_replan_without_territories_uses_the_current_owners(sample_inputs):
    plain = salesplan.build_plan(sample_inputs)
    new = salesplan.replan(plain, "2027-04", leavers={"R03": "2027-04-30"})
    check_invariants(plain, new, "2027-04", {"R03": "2027-04-30"})
    moved = plain.diff(new).accounts
    assert set(moved["reason"]) == {"from a leaver", "unassigned"}                  # prospects get a rep too


def test_diff_of_a_plan_with_itself_is_empty(plan):
    d = plan.diff(plan)
    assert d.targets.empty and d.accounts.empty and d.metrics.reps_changed == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"as_of": "2027-12"}, "before December"),
    ({"as_of": "May"}, "is not a month"),
    ({"as_of": "2027-05", "keep": "all"}, "'all' is not one of year, remaining"),
    ({"as_of": "2027-05", "leavers": {"R99": "2027-05-31"}}, "R99: not a rep carrying a target"),
    ({"as_of": "2027-05", "leavers": {"R03": "31/05/2027"}}, "not a day YYYY-MM-DD"),
    ({"as_of": "2027-05", "joiners": [{**JOINER, "rep_id": "R01"}]}, "already in reps.csv"),
    ({"as_of": "2027-05", "joiners": [{**JOINER, "fte": 2}]}, "column 'fte'"),
    ({"as_of": "2027-05", "joiners": [{k: v for k, v in JOINER.items() if k != "region"}]}, "missing column: region"),
])
def test_bad_requests_are_named(plan, kwargs, message):
    with pytest.raises(InputError, match=message):
        salesplan.replan(plan, **kwargs)


def test_replan_workbook_reads_back(plan, tmp_path):
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"})
    path = export.to_excel(new, tmp_path / "replan.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    names = wb.sheetnames
    assert {"Re-plan", "Re-plan changes", "Re-plan accounts"} <= set(names)
    assert export.read_excel(path).equals(new.targets.table)
    changes = [r for r in wb["Re-plan changes"].iter_rows(min_row=5, values_only=True)]
    d = new.changes.diff.targets
    assert [r[0] for r in changes] == list(d["rep_id"]) and [r[4] for r in changes] == list(d["old"])
    assert {r[3] for r in changes} >= {"Jun–Dec"}                                   # the months in words


def test_cli_replan(tmp_path, capsys, sample_dir):
    out = tmp_path / "rp.xlsx"
    joiners = tmp_path / "joiners.csv"
    pd.DataFrame([JOINER]).to_csv(joiners, index=False)
    assert main(["replan", "--data", str(sample_dir), "--as-of", "2027-05", "--leaver", "R03:2027-05-31",
                 "--joiners", str(joiners), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "R03" in text and "N01" in text and "accounts taken over" in text and out.exists()
    assert main(["replan", "--data", str(sample_dir), "--as-of", "2027-05", "--leaver", "R03:2027-05-31",
                 "--out", str(out), "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "2027年5月之后" in text and "接手的客户" in text
    assert "客户交接" in openpyxl.load_workbook(out, read_only=True).sheetnames
    assert main(["replan", "--data", str(sample_dir), "--as-of", "2027-05", "--leaver", "R03:2027-13-01"]) == 2
    assert "not a day YYYY-MM-DD" in capsys.readouterr().err
