from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Continuous integration replays the same examples on every run (a red build must be
# reproducible); locally each run draws new ones.  `CI=1 make test` gives the CI behaviour.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "salesplan" / "data" / "sample"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_inputs():
    from salesplan import load_inputs

    return load_inputs(SAMPLE)


@pytest.fixture(scope="session")
def sample_plan(sample_inputs):
    from salesplan.plan import build_plan

    return build_plan(sample_inputs)


@pytest.fixture()
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample company."""
    dst = tmp_path / "company"
    shutil.copytree(SAMPLE, dst)
    return dst
