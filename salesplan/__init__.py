"""salesplan: plan a sales year -- targets, territories and staffing -- from three tables.

Typical use::

    import salesplan
    inputs = salesplan.load_inputs("data/sample")
    plan = salesplan.build_plan(inputs)
    salesplan.export.to_excel(plan, "out/plan-2027.xlsx")
    review = salesplan.review(plan)                  # with actuals.csv: the year so far
    new = salesplan.replan(plan, "2027-05", leavers={"R03": "2027-05-31"})
"""

from __future__ import annotations

from salesplan.assumptions import Assumptions
from salesplan.errors import Finding, InfeasibleError, InputError, show_findings
from salesplan.inputs import Inputs, load_inputs

__all__ = ["Assumptions", "Inputs", "InputError", "InfeasibleError", "Finding", "load_inputs", "build_plan",
           "Plan", "review", "replan", "show_findings", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # the plan pulls in scipy and the planning modules: import on first use
    if name in ("build_plan", "Plan"):
        from salesplan import plan

        return getattr(plan, name)
    if name in ("review", "replan"):  # callable modules: salesplan.review(plan), salesplan.replan(plan, ...)
        import importlib

        return importlib.import_module(f"salesplan.{name}")
    raise AttributeError(f"module 'salesplan' has no attribute {name!r}")
