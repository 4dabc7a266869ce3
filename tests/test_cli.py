from __future__ import annotations

import subprocess
import sys

from salesplan.cli import main


def test_plan_writes_workbook_and_summary(tmp_path, capsys, sample_dir):
    out = tmp_path / "p.xlsx"
    assert main(["plan", "--data", str(sample_dir), "--out", str(out), "--runs", "500"]) == 0
    text = capsys.readouterr().out
    assert out.exists()
    assert "revenue target" in text and f"Wrote {out}" in text
    assert "P(hit annual revenue target)" in text
    import openpyxl

    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    for sheet in ("Cover", "Revenue target", "Sign-off", "Staffing", "Hiring plan", "Cost", "Org structure",
                  "Odds by month"):
        assert sheet in names


def test_bad_input_exits_2_with_message(tmp_path, sample_copy):
    (sample_copy / "assumptions.yaml").write_text("targets:\n  growth: [1\n")
    r = subprocess.run([sys.executable, "-m", "salesplan.cli", "plan", "--data", str(sample_copy),
                        "--out", str(tmp_path / "x.xlsx")], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Bad input -- nothing was written." in r.stderr
    assert "assumptions.yaml" in r.stderr and "not valid YAML" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_validate_ok(sample_dir, capsys):
    assert main(["validate", str(sample_dir)]) == 0
    out, err = capsys.readouterr()
    assert "OK with 1 warning -- 1,500 accounts" in out           # the sample's reps cannot make its visits
    assert "warning: territories: the accounts need 1,321 visits a month" in err and "[visit_capacity]" in err
    assert main(["validate", str(sample_dir), "--no-territories"]) == 0
    assert "OK -- 1,500 accounts" in capsys.readouterr().out
