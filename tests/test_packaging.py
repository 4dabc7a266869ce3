"""pyproject.toml is the single source of dependencies; environment.yml must agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: PyPI names that conda-forge spells differently.
CONDA_NAMES = {"ortools": "ortools-python"}


def _name_spec(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_agrees_with_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_name_spec(r) for r in py["dependencies"])
    wanted.update(_name_spec(r) for r in py["optional-dependencies"]["test"])
    wanted.update(_name_spec(r) for r in py["optional-dependencies"]["lab"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    pip_lines = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += dep["pip"]
            continue
        name, spec = _name_spec(dep.split("=", 1)[0] if "=" in dep and ">=" not in dep else dep)
        conda[{v: k for k, v in CONDA_NAMES.items()}.get(name, name)] = spec
    assert "python" in {n for n in conda} and any(str(d).startswith("python=3.11") for d in env["dependencies"])
    for name, spec in wanted.items():
        assert name in conda, f"{name} is in pyproject.toml but not in environment.yml"
        assert conda[name] == spec, f"{name}: pyproject says {spec!r}, environment.yml {conda[name]!r}"
    extra = set(conda) - set(wanted) - {"python", "pip"}
    assert not extra, f"environment.yml lists {extra} that pyproject.toml does not"
    assert any(".[test" in p for p in pip_lines), "environment.yml must pip-install the package with its test extra"


def test_notebooks_are_committed_without_widget_state():
    import json

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in nb["metadata"], f"{path.name} carries saved widget state; run `make run-notebooks`"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert any(c.get("outputs") for c in code), f"{path.name} is committed without outputs"
        assert all("execution" not in c["metadata"] for c in code), f"{path.name} carries run times"


def test_sample_ships_inside_the_package():
    from salesplan.datasets import sample_folder

    folder = sample_folder()
    assert folder.is_relative_to(ROOT / "salesplan")
    assert {p.name for p in folder.iterdir()} >= {"accounts.csv", "reps.csv", "history.csv", "assumptions.yaml"}
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = py["tool"]["setuptools"]["package-data"]["salesplan"]
    assert "data/sample/*.csv" in data and "data/sample/*.yaml" in data


#: The project's top level, as its design fixes it.
TOP_LEVEL = {".ci", ".gitignore", "salesplan", "notebooks", "data", "tests", "environment.yml", "app",
             "benchmarks", "pyproject.toml", "README.md", "Makefile"}


def test_top_level_holds_only_the_fixed_layout():
    import subprocess
    try:
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        import pytest
        pytest.skip("not a git checkout")
    extra = {f.split("/", 1)[0] for f in files} - TOP_LEVEL
    assert not extra, f"top-level entries outside the layout: {sorted(extra)}"
