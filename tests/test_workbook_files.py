"""Workbook files: byte-identical for the same inputs, normal permissions, symlinks, no debris."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from salesplan import export
from salesplan.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "salesplan.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=cwd, timeout=300)


def test_two_runs_give_a_byte_identical_workbook(tmp_path, sample_dir):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out, seed in ((a, "1"), (b, "2")):  # other hash seeds: no set or dict order leaks into the file
        r = _cli("plan", "--data", sample_dir, "--out", out, "--runs", "200", env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_file_mode_follows_the_umask(sample_plan, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        path = export.to_excel(sample_plan, tmp_path / "p.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_writing_a_symlink_writes_its_target(sample_plan, tmp_path):
    target = tmp_path / "shared" / "plan.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "plan.xlsx"
    link.symlink_to(target)
    export.to_excel(sample_plan, link)
    assert link.is_symlink() and target.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.xlsx"]


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


@pytest.mark.parametrize("make_out,message", [
    (lambda d: d, "is a folder"),
    (lambda d: (d / "file.txt").write_text("x") and d / "file.txt" / "plan.xlsx", "is a file, not a folder"),
    (lambda d: Path("/proc/salesplan-test/plan.xlsx"), "cannot write in /proc"),
])
def test_unwritable_output_fails_with_exit_2_before_planning(tmp_path, capsys, monkeypatch, sample_dir, make_out,
                                                             message):
    import salesplan.plan

    def never(*a, **k):
        raise AssertionError("the plan was computed")

    monkeypatch.setattr(salesplan.plan, "build_plan", never)
    assert main(["plan", "--data", str(sample_dir), "--out", str(make_out(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err and message in err and "Traceback" not in err


def test_sigterm_while_writing_leaves_the_old_file_and_no_debris(tmp_path, sample_dir):
    out_dir, tmp_dir = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    tmp_dir.mkdir()
    old = out_dir / "plan.xlsx"
    old.write_bytes(b"last week's plan")
    script = textwrap.dedent(f"""
        import os, signal, sys
        import salesplan.export.files as files
        real = files.os.fsync
        def fsync(fd):  # the temporary file is half written: a real SIGTERM arrives
            os.kill(os.getpid(), signal.SIGTERM)
            real(fd)
        files.os.fsync = fsync
        from salesplan.cli import main
        sys.exit(main(["plan", "--data", {str(sample_dir)!r}, "--out", {str(old)!r}, "--no-territories",
                       "--no-staffing"]))
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_dir)})
    assert r.returncode == 130, r.stderr
    assert "left as it was" in r.stderr and "Traceback" not in r.stderr
    assert old.read_bytes() == b"last week's plan"
    assert [p.name for p in out_dir.iterdir()] == ["plan.xlsx"]
    assert list(tmp_dir.iterdir()) == []
