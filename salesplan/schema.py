"""Names every model agrees on: roles, statuses, metrics, methods and the CSV column specs.

One place says who carries a sales target (:func:`sales_staff`), which
metrics get a target (:data:`METRICS`) and what each input column holds
(:data:`ACCOUNTS`, :data:`REPS`, :data:`HISTORY`, :data:`COMMITMENTS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "ROLES",
    "SALES_ROLES",
    "STATUSES",
    "PLANNED_STATUSES",
    "METRICS",
    "DEFAULT_METRICS",
    "SPLIT_METHODS",
    "SEASONALITY_METHODS",
    "BALANCE_ON",
    "MOVED_BY",
    "TERRITORY_METHODS",
    "SEGMENTS",
    "SEGMENT_SOURCES",
    "CAPACITY_MODES",
    "LINE_SEPARATORS",
    "Column",
    "ACCOUNTS",
    "REPS",
    "HISTORY",
    "COMMITMENTS",
    "sales_staff",
]

#: Every role a row of ``reps.csv`` may carry (the handbook's ladder).
ROLES = (
    "manager",
    "supervisor",
    "team_lead",
    "rep",
    "key_account",
    "regular_account",
    "order_follower",
    "assistant",
    "designer",
    "systems_clerk",
)
#: Roles that carry a personal sales target and a territory.
SALES_ROLES = ("rep", "team_lead", "key_account", "regular_account")
#: Status of a row of ``reps.csv``: on the payroll, an open requisition, or gone.
STATUSES = ("active", "open", "left")
#: Statuses that count in the plan year (on the payroll, or a requisition that will start).
PLANNED_STATUSES = ("active", "open")
#: Metrics that can get a target: shipments (revenue), cash collected, new customers developed, new
#: outlets opened (handbook 001) and gross profit.
METRICS = ("revenue", "collections", "new_customers", "new_outlets", "gross_profit")
#: Metrics every plan targets (``targets.metrics`` adds ``new_outlets`` and ``gross_profit`` on request).
DEFAULT_METRICS = ("revenue", "collections", "new_customers")
#: Methods that share a parent's target among its children.
SPLIT_METHODS = ("history", "potential", "blended", "equal", "capacity")
#: Methods that derive 12 monthly weights from history.
SEASONALITY_METHODS = ("average_of_proportions", "proportion_of_averages", "flat", "working_days")
#: Quantities a territory plan can hold within its balance band.
BALANCE_ON = ("workload", "potential")
#: What a cap on moved accounts counts.
MOVED_BY = ("accounts", "potential")
#: Solution methods of :func:`salesplan.territory.assign`.
TERRITORY_METHODS = ("auto", "lp", "flow", "lagrangian", "milp")
#: Account segments (A/B/C) with their own visit norms.
SEGMENTS = ("A", "B", "C")
#: Where an account's segment comes from: the file where given (``auto``), or last year's sales for all.
SEGMENT_SOURCES = ("auto", "sales")
#: A rep's visit capacity in a territory plan: reported and warned about, or an upper bound.
CAPACITY_MODES = ("soft", "hard")
#: Characters that separate the product lines of an account in ``accounts.csv`` (``LED;HID``).
LINE_SEPARATORS = ";|/、，"


def sales_staff(reps: pd.DataFrame, *, statuses: tuple[str, ...] = PLANNED_STATUSES) -> pd.DataFrame:
    """Staff who carry a sales target and a territory, in the order of ``reps``.

    The one definition used by targets, territories, staffing and the
    simulation: a sales role (:data:`SALES_ROLES`) with a status in
    ``statuses`` -- by default on the payroll or an open requisition (the
    territory and target the new hire will take over).  Managers,
    supervisors, assistants and reps who left carry none.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff table with ``role`` and ``status``.
    statuses : tuple of str
        Statuses to keep.

    Returns
    -------
    pandas.DataFrame
        The matching rows, index reset.
    """
    keep = reps["role"].isin(SALES_ROLES) & reps["status"].isin(statuses)
    return reps[keep].reset_index(drop=True)


@dataclass(frozen=True)
class Column:
    """Schema of one CSV column.

    Parameters
    ----------
    name : str
        Column header.
    kind : {"str", "float", "int", "bool", "date", "month"}
        Type after parsing.
    required : bool
        The column must be present (otherwise it is optional and filled).
    nullable : bool
        Empty cells allowed.
    min, max : float, optional
        Inclusive numeric bounds.
    choices : tuple of str, optional
        Allowed values.
    unique : bool
        Values must not repeat.
    """

    name: str
    kind: str = "str"
    required: bool = True
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    unique: bool = False


#: ``accounts.csv``: one row per customer account.
ACCOUNTS = (
    Column("account_id", unique=True),
    Column("name"),
    Column("region"),
    Column("province", required=False, nullable=True),
    Column("city"),
    Column("lat", "float", min=-90, max=90),
    Column("lon", "float", min=-180, max=180),
    Column("segment", required=False, nullable=True, choices=SEGMENTS),
    Column("annual_potential", "float", min=0),
    Column("sales_last_year", "float", min=0),
    Column("visits_per_month", "float", required=False, nullable=True, min=0, max=60),
    Column("current_rep_id", required=False, nullable=True),
    Column("locked", "bool", required=False, nullable=True),
    Column("product_lines", required=False, nullable=True),
)
#: ``reps.csv``: one row per staff member or open requisition.
REPS = (
    Column("rep_id", unique=True),
    Column("name"),
    Column("role", choices=ROLES),
    Column("team"),
    Column("region"),
    Column("product_line", required=False, nullable=True),
    Column("level", "int", min=1, max=9),
    Column("status", choices=STATUSES),
    Column("hire_date", "date"),
    Column("end_date", "date", required=False, nullable=True),
    Column("base_city", required=False, nullable=True),
    Column("base_lat", "float", min=-90, max=90),
    Column("base_lon", "float", min=-180, max=180),
    Column("fte", "float", min=0.01, max=1),
)
#: ``history.csv`` (and ``actuals.csv``, the plan year's closed months): one row per month x rep x
#: product line.
HISTORY = (
    Column("month", "month"),
    Column("rep_id"),
    Column("region"),
    Column("team"),
    Column("product_line"),
    Column("revenue", "float", min=0),
    Column("collections", "float", min=0),
    Column("new_customers", "int", min=0),
    Column("new_outlets", "int", required=False, nullable=True, min=0),
    Column("gross_profit", "float", required=False, nullable=True, min=0),
)
#: ``commitments.csv`` (optional): one row per rep x metric.
COMMITMENTS = (
    Column("rep_id"),
    Column("metric", choices=METRICS),
    Column("commitment", "float", min=0),
)
