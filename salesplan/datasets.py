"""Where the bundled sample company and the default output folder are."""

from __future__ import annotations

from pathlib import Path

__all__ = ["project_root", "sample_folder", "output_folder"]


def project_root() -> Path:
    """The folder holding ``salesplan/``, ``data/`` and ``notebooks/``."""
    return Path(__file__).resolve().parent.parent


def sample_folder() -> Path:
    """The bundled sample company (``data/sample``)."""
    return project_root() / "data" / "sample"


def output_folder() -> Path:
    """Default folder for exported workbooks (``out/``, created on demand)."""
    return project_root() / "out"
