"""Explorers and the planning app: ipywidgets that wire controls to the planning functions.

No model logic lives here.  Each explorer keeps the newest result it shows
(``plan`` or ``assignment``) so a notebook exports exactly what the manager
sees; :class:`~salesplan.widgets.app.PlannerApp` puts them in tabs for the
Voila app.  The words they show are in the catalogue of :mod:`salesplan.i18n`
(its ``app`` section), looked up by :mod:`salesplan.widgets.labels`.
"""

from __future__ import annotations

__all__ = ["TargetExplorer", "TerritoryExplorer", "StaffingExplorer", "ReviewExplorer", "ReplanExplorer",
           "PlannerApp"]

_WHERE = {"TargetExplorer": "targets", "TerritoryExplorer": "territory", "StaffingExplorer": "staffing",
          "ReviewExplorer": "review", "ReplanExplorer": "replan", "PlannerApp": "app"}


def __getattr__(name: str):
    # ipywidgets load on first use, so the labels and formatting import without a front end
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"salesplan.widgets.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'salesplan.widgets' has no attribute {name!r}")
