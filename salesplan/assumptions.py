"""Typed planning assumptions, read from ``assumptions.yaml``.

Every number a manager may tune lives here, grouped in sections
(``targets``, ``productivity``, ``territory``, ``staffing``, ``cost``,
``simulation``).  Defaults come from the department handbooks: 3 effective
visits a day, 8 reps per supervisor, key accounts at 30,000 a year or more,
a 3-month probation and a 3-month ramp-up phase, transport and phone
allowances of 300 each, and so on.

Each setting declares its valid range once, in its field (:func:`setting`);
the same rules check a YAML file, :meth:`Assumptions.replace` and the
keyword options a model takes (:func:`override`).  Unknown keys are an
error: a typo must never fall back silently to a default.  Map-valued
settings with fixed keys (``unit``, ``visits_per_month`` ...) accept only
those keys and merge with the defaults key by key.  All problems of a file
are reported together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Mapping

import yaml

from salesplan.errors import InputError
from salesplan.schema import (BALANCE_ON, METRICS, MOVED_BY, ROLES, SALES_ROLES, SEASONALITY_METHODS, SEGMENTS,
                              SPLIT_METHODS, TERRITORY_METHODS)
from salesplan.settings import BAD, Rule, build_section, check_section, coerce, override, setting

__all__ = [
    "Assumptions",
    "TargetAssumptions",
    "ProductivityAssumptions",
    "TerritoryAssumptions",
    "StaffingAssumptions",
    "CostAssumptions",
    "SimulationAssumptions",
    "Rule",
    "setting",
    "override",
    "SPLIT_METHODS",
    "SEASONALITY_METHODS",
    "METRICS",
    "SALES_ROLES",
    "ROLES",
]


# ---------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetAssumptions:
    """How the annual target is set and split.

    Attributes
    ----------
    growth : float
        Revenue growth over last year's sales (0.12 = +12 %). Ignored when
        ``total`` is given.
    total : float or None
        Absolute annual revenue target (currency). Overrides ``growth``.
    product_line_growth : dict
        Per product line growth overriding ``growth`` (e.g. ``{NEW: 0.8}``).
    collections_ratio : float or None
        Collections target as a share of the revenue target; ``None`` takes
        last year's collections / revenue ratio.
    new_customers_growth : float
        Growth of the new-customer count over last year.
    unit : dict
        Rounding unit per metric (currency or count): every target is an
        integer multiple of it.  Metrics left out keep their default.
    split_method : str
        One of :data:`~salesplan.schema.SPLIT_METHODS`.
    blend : dict
        Weights of ``history``, ``potential`` and ``equal`` for the
        ``blended`` split method (normalised to sum to 1).
    seasonality : str
        One of :data:`~salesplan.schema.SEASONALITY_METHODS`.
    seasonality_override : list of float or None
        Twelve monthly weights given by the manager (normalised).
    hierarchy : list of str
        Order of the levels the target is split along, top first; must be a
        permutation of ``product_line, region, team, rep_id`` ending in
        ``rep_id``.
    rep_min_growth, rep_max_growth : float or None
        Floor and cap on a rep's revenue target relative to their own last
        year (applies to reps with a full year of history).
    """

    key: ClassVar[str] = "targets"
    growth: float = setting(0.12, lo=-1, lo_open=True)
    total: float | None = setting(None, lo=0, lo_open=True)
    product_line_growth: dict[str, float] = setting(factory=dict, lo=-1, lo_open=True)
    collections_ratio: float | None = setting(None, lo=0, hi=2)
    new_customers_growth: float = setting(0.10, lo=-1, lo_open=True)
    unit: dict[str, float] = setting(
        factory=lambda: {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0},
        lo=0, lo_open=True, keys=METRICS, merge=True)
    split_method: str = setting("capacity", choices=SPLIT_METHODS)
    blend: dict[str, float] = setting(
        factory=lambda: {"history": 0.6, "potential": 0.3, "equal": 0.1},
        lo=0, keys=("history", "potential", "equal"), merge=True)
    seasonality: str = setting("average_of_proportions", choices=SEASONALITY_METHODS)
    seasonality_override: list[float] | None = setting(None, lo=0, length=12)
    hierarchy: list[str] = setting(factory=lambda: ["product_line", "region", "team", "rep_id"])
    rep_min_growth: float | None = setting(None, lo=-1, lo_open=True)
    rep_max_growth: float | None = setting(None, lo=-1, lo_open=True)

    def _check(self, problems: list[str]) -> None:
        if sum(self.blend.values()) <= 0:
            problems.append("targets.blend: weights must not all be zero")
        s = self.seasonality_override
        if s is not None and len(s) == 12 and sum(s) <= 0:
            problems.append("targets.seasonality_override: must be 12 non-negative numbers, not all zero")
        levels = {"product_line", "region", "team", "rep_id"}
        if set(self.hierarchy) != levels or len(self.hierarchy) != 4 or self.hierarchy[-1] != "rep_id":
            problems.append(f"targets.hierarchy: must order product_line, region, team, rep_id with rep_id "
                            f"last (got {self.hierarchy})")
        lo, hi = self.rep_min_growth, self.rep_max_growth
        if lo is not None and hi is not None and hi < lo:
            problems.append(f"targets.rep_max_growth ({hi}) is below targets.rep_min_growth ({lo})")


@dataclass(frozen=True)
class ProductivityAssumptions:
    """Activity norms of one fully ramped rep (handbook 001).

    Attributes
    ----------
    visits_per_day : float
        Effective customer visits a day (3).
    working_days_per_month : float
        Selling days a month (21.75, so 65 visits a month).
    calls_per_day : float
        Phone calls a day in phone-sales mode (300 in an afternoon).
    interested_per_day : float
        Interested prospects a day of calling yields (10).
    conversion : float
        Deals / interested prospects.
    avg_deal_size : float or None
        Average deal (currency); ``None`` derives it from history.
    """

    key: ClassVar[str] = "productivity"
    visits_per_day: float = setting(3.0, lo=0, lo_open=True)
    working_days_per_month: float = setting(21.75, lo=0, hi=31, lo_open=True)
    calls_per_day: float = setting(300.0, lo=0, lo_open=True)
    interested_per_day: float = setting(10.0, lo=0, lo_open=True)
    conversion: float = setting(0.2, lo=0, hi=1, lo_open=True)
    avg_deal_size: float | None = setting(None, lo=0, lo_open=True)


@dataclass(frozen=True)
class TerritoryAssumptions:
    """Account-to-rep assignment settings (every option of :func:`salesplan.territory.assign`).

    Attributes
    ----------
    tolerance : float
        Each rep's balanced load within ± this share of their FTE-share target.
    max_moved_share : float or None
        Cap on the share of accounts (or of potential, ``moved_by``) that
        change hands (``None``: no cap).
    key_account_threshold : float
        Accounts whose annual potential (currency) is at or above this are
        key accounts (30,000 in handbook 000).
    visits_per_month : dict
        Default visits a month by segment when an account gives none.
    hours_per_visit : dict
        Time per visit by segment (hours, travel excluded).
    disruption_km : float
        Penalty, in km weighted by workload, for moving an account from its
        current rep.
    potential_weight : float
        Weight 0..1 of potential balance beside workload balance.
    balance_on : list of str
        Quantities held within the band: ``workload`` and/or ``potential``.
    moved_by : str
        What ``max_moved_share`` counts: ``accounts`` or ``potential``.
    method : str
        Solution method (``auto``, ``lp``, ``flow``, ``lagrangian``, ``milp``).
    candidates : int
        Nearest eligible reps each account considers (besides its current rep).
    polish : bool
        Re-solve the most ambiguous accounts exactly at the end.
    polish_time : float
        Guard on the polish, seconds (a polish cut short is dropped).
    time_limit : float
        Seconds for ``method: milp``.
    stop_after : float or None
        Seconds after which the other methods stop improving and return the
        best plan found so far, saying so (``None``: run to the end, the
        same plan on any machine).
    progress : bool or None
        Show a progress bar for runs longer than a few seconds (``None``:
        only on a terminal).
    """

    key: ClassVar[str] = "territory"
    tolerance: float = setting(0.10, lo=0, hi=1, lo_open=True, hi_open=True)
    max_moved_share: float | None = setting(None, lo=0, hi=1)
    key_account_threshold: float = setting(30000.0, lo=0, lo_open=True)
    visits_per_month: dict[str, float] = setting(
        factory=lambda: {"A": 2.0, "B": 1.0, "C": 0.34}, lo=0, lo_open=True, keys=SEGMENTS, merge=True)
    hours_per_visit: dict[str, float] = setting(
        factory=lambda: {"A": 2.0, "B": 1.5, "C": 1.0}, lo=0, lo_open=True, keys=SEGMENTS, merge=True)
    disruption_km: float = setting(20.0, lo=0)
    potential_weight: float = setting(0.0, lo=0, hi=1)
    balance_on: list[str] = setting(factory=lambda: ["workload"], choices=BALANCE_ON, nonempty=True)
    moved_by: str = setting("accounts", choices=MOVED_BY)
    method: str = setting("auto", choices=TERRITORY_METHODS)
    candidates: int = setting(12, lo=1)
    polish: bool = setting(True)
    polish_time: float = setting(10.0, lo=0, lo_open=True)
    time_limit: float = setting(60.0, lo=0, lo_open=True)
    stop_after: float | None = setting(None, lo=0, lo_open=True)
    progress: bool | None = setting(None)

    def _check(self, problems: list[str]) -> None:
        if len(set(self.balance_on)) != len(self.balance_on):
            problems.append(f"territory.balance_on: names a quantity twice (got {self.balance_on})")


@dataclass(frozen=True)
class StaffingAssumptions:
    """Team sizing, ramp-up, probation, attrition and structure.

    Attributes
    ----------
    ramp_curve : list of float
        Productivity by tenure month (month 1 first); the last value must be
        1.0 and is held from then on.  Default follows the handbook phases:
        3-month ramp-up, consolidation to month 12.
    ramp_up_months : int
        Length of the ramp-up phase (3 in handbook 000): a new hire is not
        expected to close a month's gap before it ends.
    probation_months : int
        Probation length (3).
    probation_pass_rate : float
        Share of new hires who pass probation.
    annual_attrition : float
        Share of staff leaving in a year; monthly hazard
        ``h = 1 - (1 - a) ** (1 / 12)``.
    time_to_fill_months : int
        Months from opening a requisition to the hire's first day.
    notice_months : int
        Months between a resignation and the last day.
    span_of_control : int
        Sales staff per supervisor (8, not counting the supervisor).
    ratios : dict
        Support staff per sales head: ``team_lead``, ``assistant``,
        ``order_follower``, ``systems_clerk``.
    planned_headcount : int or None
        The department size the plan aims at (19); ``None`` derives it.
    max_hires : int
        Most hires the hiring plan may propose.
    """

    key: ClassVar[str] = "staffing"
    ramp_curve: list[float] = setting(
        factory=lambda: [0.25, 0.45, 0.6, 0.7, 0.78, 0.84, 0.88, 0.91, 0.94, 0.96, 0.98, 1.0],
        lo=0, hi=1, nonempty=True)
    ramp_up_months: int = setting(3, lo=0)
    probation_months: int = setting(3, lo=0)
    probation_pass_rate: float = setting(0.8, lo=0, hi=1)
    annual_attrition: float = setting(0.15, lo=0, hi=1, hi_open=True)
    time_to_fill_months: int = setting(2, lo=0)
    notice_months: int = setting(1, lo=0)
    span_of_control: int = setting(8, lo=1)
    ratios: dict[str, float] = setting(
        factory=lambda: {"team_lead": 0.0, "assistant": 1 / 12, "order_follower": 0.0, "systems_clerk": 0.0},
        lo=0, keys=("team_lead", "assistant", "order_follower", "systems_clerk"), merge=True)
    planned_headcount: int | None = setting(19, lo=1)
    max_hires: int = setting(200, lo=0)

    def _check(self, problems: list[str]) -> None:
        rc = self.ramp_curve
        if rc and all(0 <= x <= 1 for x in rc):
            if rc[-1] != 1.0:
                problems.append(f"staffing.ramp_curve: must end at 1.0 (ends at {rc[-1]})")
            elif any(b < a for a, b in zip(rc, rc[1:])):
                problems.append("staffing.ramp_curve: must not decrease")


@dataclass(frozen=True)
class CostAssumptions:
    """Pay and expenses (handbooks 000, 001, 003), in currency a month unless said.

    Attributes
    ----------
    base_salary_by_level : dict
        Monthly base salary by level (tiered); every level used in
        ``reps.csv`` needs one.
    meal_allowance : float
        Monthly meal allowance.
    transport_allowance, phone_allowance : float
        Monthly allowances (300 + 300) paid only in months where the
        shipment (revenue) target is met.
    commission_rate : float
        Commission on revenue (share).
    travel_days_per_month : float
        Trip days a month per field rep.
    travel_per_day_in_province : float
        Meals + lodging a day in-province (100).
    travel_per_day_out_of_province : float
        Meals + lodging a day out of province (130).
    out_of_province_share : float
        Share of trip days spent out of province.
    recruiting_cost_per_hire : float
        One-off cost of a hire.
    """

    key: ClassVar[str] = "cost"
    base_salary_by_level: dict[int, float] = setting(
        factory=lambda: {1: 3500.0, 2: 4200.0, 3: 5000.0, 4: 6500.0, 5: 8500.0, 6: 12000.0}, lo=0,
        keys=tuple(range(1, 10)))
    meal_allowance: float = setting(330.0, lo=0)
    transport_allowance: float = setting(300.0, lo=0)
    phone_allowance: float = setting(300.0, lo=0)
    commission_rate: float = setting(0.02, lo=0, hi=1, hi_open=True)
    travel_days_per_month: float = setting(4.0, lo=0)
    travel_per_day_in_province: float = setting(100.0, lo=0)
    travel_per_day_out_of_province: float = setting(130.0, lo=0)
    out_of_province_share: float = setting(0.25, lo=0, hi=1)
    recruiting_cost_per_hire: float = setting(3000.0, lo=0)


@dataclass(frozen=True)
class SimulationAssumptions:
    """Monte Carlo what-if settings.

    Attributes
    ----------
    runs : int
        Number of simulated years.
    productivity_cv : float
        Coefficient of variation of a rep's monthly productivity.
    hiring_delay_months : float
        Mean extra delay (months, geometric) before a requisition starts.
    """

    key: ClassVar[str] = "simulation"
    runs: int = setting(10_000, lo=1)
    productivity_cv: float = setting(0.15, lo=0)
    hiring_delay_months: float = setting(0.5, lo=0)


_SECTIONS = {
    "targets": TargetAssumptions,
    "productivity": ProductivityAssumptions,
    "territory": TerritoryAssumptions,
    "staffing": StaffingAssumptions,
    "cost": CostAssumptions,
    "simulation": SimulationAssumptions,
}


@dataclass(frozen=True)
class Assumptions:
    """All planning assumptions (frozen).

    Build with :meth:`from_yaml` / :meth:`from_dict`; change one value with
    :meth:`replace` (``a.replace(**{"targets.growth": 0.15})``).

    Attributes
    ----------
    plan_year : int
        The year being planned.
    seed : int
        Seed of every random draw (``numpy.random.default_rng(seed)``).
    """

    plan_year: int = setting(2027, lo=2000, hi=2100)
    seed: int = setting(20270101, lo=0)
    targets: TargetAssumptions = field(default_factory=TargetAssumptions)
    productivity: ProductivityAssumptions = field(default_factory=ProductivityAssumptions)
    territory: TerritoryAssumptions = field(default_factory=TerritoryAssumptions)
    staffing: StaffingAssumptions = field(default_factory=StaffingAssumptions)
    cost: CostAssumptions = field(default_factory=CostAssumptions)
    simulation: SimulationAssumptions = field(default_factory=SimulationAssumptions)

    # -- construction -------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, *, source: str = "assumptions") -> "Assumptions":
        """Build from a nested mapping, reporting every problem at once.

        Raises
        ------
        InputError
            Listing unknown keys, wrong types and out-of-range values, each
            with its dotted key path.  Types and keys are checked first;
            ranges once those are right.
        """
        data = dict(data or {})
        problems: list[str] = []
        kwargs: dict[str, Any] = {}
        hints = typing.get_type_hints(cls)
        for key, value in data.items():
            if key in _SECTIONS:
                if value is None:
                    continue
                if not isinstance(value, Mapping):
                    problems.append(f"{key}: must be a mapping of settings (got {value!r})")
                    continue
                kwargs[key] = build_section(_SECTIONS[key], value, key, problems)
            elif key in ("plan_year", "seed"):
                v = coerce(value, hints[key], key, problems)
                if v is not BAD:
                    kwargs[key] = v
            else:
                problems.append(f"{key}: unknown key; valid: plan_year, seed, {', '.join(_SECTIONS)}")
        if problems:
            raise InputError(source, problems)
        result = cls(**kwargs)
        result._check(source)
        return result

    @classmethod
    def from_yaml(cls, path: str | Path) -> "Assumptions":
        """Read and validate an ``assumptions.yaml`` file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(str(path), [f"cannot read file: {exc.strerror}"]) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            raise InputError(str(path), [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
        if data is not None and not isinstance(data, Mapping):
            raise InputError(str(path), ["top level must be a mapping of settings"])
        return cls.from_dict(data, source=str(path))

    def _check(self, source: str) -> None:
        problems: list[str] = []
        own = [f for f in dataclasses.fields(self) if f.name not in _SECTIONS]
        for f in own:
            f.metadata["rule"].check_value(getattr(self, f.name), f.name, problems)
        for name in _SECTIONS:
            check_section(getattr(self, name), name, problems)
        if problems:
            raise InputError(source, problems)

    # -- use ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (YAML/JSON friendly)."""
        return dataclasses.asdict(self)

    def to_yaml(self, path: str | Path | None = None) -> str:
        """YAML text of the assumptions; written to ``path`` when given."""
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def fingerprint(self) -> str:
        """Short SHA-256 of the assumptions, stable across runs."""
        blob = json.dumps(self.to_dict(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def replace(self, **changes: Any) -> "Assumptions":
        """Copy with changed values; keys may be dotted (``"targets.growth"``).

        The result is validated like a file.
        """
        data = self.to_dict()
        for key, value in changes.items():
            *parents, last = key.split(".")
            node = data
            for p in parents:
                if p not in node or not isinstance(node[p], dict):
                    raise InputError("assumptions", [f"{key}: unknown key"])
                node = node[p]
            if last not in node:
                raise InputError("assumptions", [f"{key}: unknown key"])
            node[last] = value
        return Assumptions.from_dict(data)

    def rng(self, stream: int = 0):
        """A ``numpy.random.Generator`` seeded from :attr:`seed` (and a stream)."""
        import numpy as np

        return np.random.default_rng([self.seed, stream])


