"""Validation of the company folder: every problem named by file, line and column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from salesplan import InputError, load_inputs
from salesplan.cli import main


def _edit(folder, name, fn):
    path = folder / name
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False)


def _validate(folder, capsys):
    code = main(["validate", str(folder)])
    return code, capsys.readouterr().err


def test_sample_loads_with_expected_shape(sample_inputs):
    x = sample_inputs
    assert len(x.accounts) == 1500
    assert (x.reps["status"] == "active").sum() == 14
    assert (x.reps["status"] == "open").sum() == 5
    assert (x.reps["status"] == "left").sum() == 1
    assert x.history["month"].nunique() == 36
    assert str(x.history["month"].min()) == "2024-01" and str(x.history["month"].max()) == "2026-12"
    assert set(x.history["product_line"]) == {"HID", "LED", "NEW"}
    assert x.accounts["visits_per_month"].notna().all()
    assert x.accounts["locked"].dtype == bool
    assert x.commitments is not None and set(x.commitments["metric"]) == {"revenue"}


def test_fingerprint_is_stable_and_sensitive(sample_dir, sample_copy, sample_inputs):
    assert load_inputs(sample_dir).fingerprint == sample_inputs.fingerprint
    _edit(sample_copy, "accounts.csv", lambda d: d.assign(annual_potential=d["annual_potential"].where(
        d.index != 0, "1")))
    assert load_inputs(sample_copy).fingerprint != sample_inputs.fingerprint


def test_broken_1_money_and_numbers_in_accounts(sample_copy, capsys):
    def breakit(d):
        d.loc[4, "annual_potential"] = "-5000"   # line 6
        d.loc[9, "lat"] = "north"                # line 11
        d.loc[10, "sales_last_year"] = "-1"      # line 12
        return d

    _edit(sample_copy, "accounts.csv", breakit)
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "accounts.csv: 3 problems" in err
    assert re.search(r"line 6, column 'annual_potential': '-5000' is negative; must be >= 0", err)
    assert re.search(r"line 11, column 'lat': 'north' is not a number", err)
    assert re.search(r"line 12, column 'sales_last_year'", err)


def test_broken_2_duplicate_ids_and_bad_role_in_reps(sample_copy, capsys):
    def breakit(d):
        d.loc[7, "rep_id"] = d.loc[6, "rep_id"]  # lines 8 and 9 share an id
        d.loc[3, "role"] = "salesman"            # line 5
        return d

    _edit(sample_copy, "reps.csv", breakit)
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "reps.csv: 2 problems" in err
    assert re.search(r"lines 8, 9, column 'rep_id': duplicate ids? 'R01'", err)
    assert re.search(r"line 5, column 'role': 'salesman' is not valid; valid: manager, supervisor", err)


def test_broken_3_bad_months_unknown_rep_in_history(sample_copy, capsys):
    def breakit(d):
        d.loc[0, "month"] = "Jan-24"        # what Excel shows for 2024-01 (2024/1 and 2024/1/1 are read)
        d.loc[1, "month"] = "2024-13"
        d.loc[2, "rep_id"] = "R99"
        return d

    _edit(sample_copy, "history.csv", breakit)
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "history.csv" in err
    assert re.search(r"lines 2, 3, column 'month': 'Jan-24', '2024-13' is not a month YYYY-MM", err)
    # the unknown rep is reported once the months parse
    _edit(sample_copy, "history.csv", lambda d: d.assign(month=d["month"].replace({"Jan-24": "2024-01",
                                                                                    "2024-13": "2024-01"})))
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert re.search(r"line 4, column 'rep_id': unknown rep 'R99'; must be a rep_id of reps.csv", err)


def test_broken_4_missing_column_and_unknown_rep_in_accounts(sample_copy, capsys):
    _edit(sample_copy, "accounts.csv", lambda d: d.drop(columns="sales_last_year").assign(
        colour="red", current_rep_id=d["current_rep_id"].where(d.index != 99, "Z42")))
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "missing column: sales_last_year" in err
    assert "unknown column: colour; valid columns: account_id" in err
    # with the columns fixed, the unknown rep is named with its line
    _edit(sample_copy, "accounts.csv", lambda d: d.drop(columns="colour").assign(sales_last_year="1000"))
    code, err = _validate(sample_copy, capsys)
    assert re.search(r"line 101, column 'current_rep_id': unknown rep 'Z42'", err)


def test_broken_5_assumptions_unknown_key_and_out_of_range(sample_copy, capsys):
    text = (sample_copy / "assumptions.yaml").read_text()
    text = text.replace("  tolerance: 0.10", "  tolerance: 1.5\n  tolerence: 0.1")
    text = text.replace("  growth: 0.25", "  growth: lots")
    (sample_copy / "assumptions.yaml").write_text(text)
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "assumptions.yaml" in err
    assert "territory.tolerence: unknown key; valid: tolerance" in err
    assert "targets.growth: must be a number (got 'lots')" in err
    # ranges are checked once the types are right
    (sample_copy / "assumptions.yaml").write_text(
        text.replace("\n  tolerence: 0.1", "").replace("growth: lots", "growth: 0.1"))
    code, err = _validate(sample_copy, capsys)
    assert "territory.tolerance: must be within (0, 1) (got 1.5)" in err


def test_broken_6_gap_in_history(sample_copy, capsys):
    _edit(sample_copy, "history.csv", lambda d: d[d["month"] != "2025-05"])
    code, err = _validate(sample_copy, capsys)
    assert code == 2
    assert "no rows at all for month 2025-05; history must be monthly without gaps" in err


def test_rep_gap_and_left_rep_reference(sample_copy):
    _edit(sample_copy, "history.csv", lambda d: d[~((d["rep_id"] == "R03") & (d["month"] == "2025-03"))])
    _edit(sample_copy, "accounts.csv", lambda d: d.assign(
        current_rep_id=d["current_rep_id"].where(d.index != 0, "X01")))
    with pytest.raises(InputError) as e:
        load_inputs(sample_copy)
    assert "line 2, column 'current_rep_id': rep 'X01' has left" in str(e.value)
    _edit(sample_copy, "accounts.csv", lambda d: d.assign(
        current_rep_id=d["current_rep_id"].where(d.index != 0, "R01")))
    with pytest.raises(InputError) as e:
        load_inputs(sample_copy)
    assert "rep R03 has no rows for 2025-03" in str(e.value)


def test_all_problems_of_a_file_in_one_error(sample_copy):
    def breakit(d):
        d.loc[0:59, "segment"] = "Z"
        d.loc[0, "lon"] = ""
        return d

    _edit(sample_copy, "accounts.csv", breakit)
    with pytest.raises(InputError) as e:
        load_inputs(sample_copy)
    err = e.value
    assert len(err.problems) == 2
    assert "lines 2, 3, 4, 5, 6 and 55 more, column 'segment': 'Z', 'Z', 'Z' is not valid; valid: A, B, C" in str(err)
    assert "line 2, column 'lon': empty; a number is required" in str(err)


def test_missing_folder_and_file(tmp_path, sample_copy):
    with pytest.raises(InputError, match="not a folder"):
        load_inputs(tmp_path / "nowhere")
    (sample_copy / "reps.csv").unlink()
    with pytest.raises(InputError, match="reps.csv: 1 problem\n  - file not found"):
        load_inputs(sample_copy)
