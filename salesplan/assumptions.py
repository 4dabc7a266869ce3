"""Typed planning assumptions, read from ``assumptions.yaml``.

Every number a manager may tune lives here, grouped in sections
(``targets``, ``productivity``, ``territory``, ``staffing``, ``cost``,
``simulation``).  Defaults come from the department handbooks: 3 effective
visits a day, 8 reps per supervisor, key accounts at 30,000 a year or more,
a 3-month probation, transport and phone allowances of 300 each, and so on.

Unknown keys are an error: a typo in the YAML must never fall back silently
to a default.  All problems of a file are reported together.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from salesplan.errors import InputError

__all__ = [
    "Assumptions",
    "TargetAssumptions",
    "ProductivityAssumptions",
    "TerritoryAssumptions",
    "StaffingAssumptions",
    "CostAssumptions",
    "SimulationAssumptions",
    "SPLIT_METHODS",
    "SEASONALITY_METHODS",
    "METRICS",
    "SALES_ROLES",
    "ROLES",
]

#: Methods that share a parent's target among its children.
SPLIT_METHODS = ("history", "potential", "blended", "equal", "capacity")
#: Methods that derive 12 monthly weights from history.
SEASONALITY_METHODS = (
    "average_of_proportions",
    "proportion_of_averages",
    "flat",
    "working_days",
)
#: Metrics that get a target.
METRICS = ("revenue", "collections", "new_customers")
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
        Rounding unit per metric: every target is an integer multiple of it.
    split_method : str
        One of :data:`SPLIT_METHODS`.
    blend : dict
        Weights of ``history``, ``potential`` and ``equal`` for the
        ``blended`` split method (normalised to sum to 1).
    seasonality : str
        One of :data:`SEASONALITY_METHODS`.
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

    growth: float = 0.12
    total: float | None = None
    product_line_growth: dict[str, float] = field(default_factory=dict)
    collections_ratio: float | None = None
    new_customers_growth: float = 0.10
    unit: dict[str, float] = field(
        default_factory=lambda: {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0}
    )
    split_method: str = "capacity"
    blend: dict[str, float] = field(
        default_factory=lambda: {"history": 0.6, "potential": 0.3, "equal": 0.1}
    )
    seasonality: str = "average_of_proportions"
    seasonality_override: list[float] | None = None
    hierarchy: list[str] = field(
        default_factory=lambda: ["product_line", "region", "team", "rep_id"]
    )
    rep_min_growth: float | None = None
    rep_max_growth: float | None = None

    def _check(self, problems: list[str]) -> None:
        if self.growth <= -1:
            problems.append(f"targets.growth: must be > -1 (got {self.growth})")
        if self.total is not None and self.total <= 0:
            problems.append(f"targets.total: must be positive (got {self.total})")
        for pl, g in self.product_line_growth.items():
            if g <= -1:
                problems.append(f"targets.product_line_growth.{pl}: must be > -1 (got {g})")
        if self.collections_ratio is not None and not 0 <= self.collections_ratio <= 2:
            problems.append(
                f"targets.collections_ratio: must be within 0..2 (got {self.collections_ratio})"
            )
        if self.new_customers_growth <= -1:
            problems.append(
                f"targets.new_customers_growth: must be > -1 (got {self.new_customers_growth})"
            )
        for m, u in self.unit.items():
            if m not in METRICS:
                problems.append(f"targets.unit.{m}: unknown metric; valid: {', '.join(METRICS)}")
            elif u <= 0:
                problems.append(f"targets.unit.{m}: must be positive (got {u})")
        if self.split_method not in SPLIT_METHODS:
            problems.append(
                f"targets.split_method: {self.split_method!r} is not one of {', '.join(SPLIT_METHODS)}"
            )
        for k, w in self.blend.items():
            if k not in ("history", "potential", "equal"):
                problems.append(f"targets.blend.{k}: unknown; valid: history, potential, equal")
            elif w < 0:
                problems.append(f"targets.blend.{k}: must be >= 0 (got {w})")
        if self.blend and sum(self.blend.values()) <= 0:
            problems.append("targets.blend: weights must not all be zero")
        if self.seasonality not in SEASONALITY_METHODS:
            problems.append(
                f"targets.seasonality: {self.seasonality!r} is not one of "
                f"{', '.join(SEASONALITY_METHODS)}"
            )
        if self.seasonality_override is not None:
            s = self.seasonality_override
            if len(s) != 12 or any(x < 0 for x in s) or sum(s) <= 0:
                problems.append(
                    "targets.seasonality_override: must be 12 non-negative numbers, not all zero"
                )
        levels = {"product_line", "region", "team", "rep_id"}
        if set(self.hierarchy) != levels or len(self.hierarchy) != 4 or self.hierarchy[-1] != "rep_id":
            problems.append(
                f"targets.hierarchy: must order product_line, region, team, rep_id with rep_id "
                f"last (got {self.hierarchy})"
            )
        lo, hi = self.rep_min_growth, self.rep_max_growth
        if lo is not None and lo <= -1:
            problems.append(f"targets.rep_min_growth: must be > -1 (got {lo})")
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

    visits_per_day: float = 3.0
    working_days_per_month: float = 21.75
    calls_per_day: float = 300.0
    interested_per_day: float = 10.0
    conversion: float = 0.2
    avg_deal_size: float | None = None

    def _check(self, problems: list[str]) -> None:
        for name in ("visits_per_day", "working_days_per_month", "calls_per_day", "interested_per_day"):
            v = getattr(self, name)
            if v <= 0:
                problems.append(f"productivity.{name}: must be positive (got {v})")
        if self.working_days_per_month > 31:
            problems.append(
                f"productivity.working_days_per_month: at most 31 (got {self.working_days_per_month})"
            )
        if not 0 < self.conversion <= 1:
            problems.append(f"productivity.conversion: must be within (0, 1] (got {self.conversion})")
        if self.avg_deal_size is not None and self.avg_deal_size <= 0:
            problems.append(f"productivity.avg_deal_size: must be positive (got {self.avg_deal_size})")


@dataclass(frozen=True)
class TerritoryAssumptions:
    """Account-to-rep assignment settings.

    Attributes
    ----------
    tolerance : float
        Each rep's workload within ± this share of their FTE-share target.
    max_moved_share : float or None
        Cap on the share of accounts that change hands (``None``: no cap).
    key_account_threshold : float
        Accounts whose annual potential is at or above this are key accounts
        (30,000 in handbook 000).
    visits_per_month : dict
        Default visits a month by segment when an account gives none.
    hours_per_visit : dict
        Time per visit by segment (hours, travel excluded).
    disruption_km : float
        Penalty, in workload-weighted km, for moving an account from its
        current rep.
    potential_weight : float
        Weight 0..1 of potential balance beside workload balance.
    """

    tolerance: float = 0.10
    max_moved_share: float | None = None
    key_account_threshold: float = 30000.0
    visits_per_month: dict[str, float] = field(
        default_factory=lambda: {"A": 2.0, "B": 1.0, "C": 0.34}
    )
    hours_per_visit: dict[str, float] = field(
        default_factory=lambda: {"A": 2.0, "B": 1.5, "C": 1.0}
    )
    disruption_km: float = 20.0
    potential_weight: float = 0.0

    def _check(self, problems: list[str]) -> None:
        if not 0 < self.tolerance < 1:
            problems.append(f"territory.tolerance: must be within (0, 1) (got {self.tolerance})")
        if self.max_moved_share is not None and not 0 <= self.max_moved_share <= 1:
            problems.append(
                f"territory.max_moved_share: must be within 0..1 (got {self.max_moved_share})"
            )
        if self.key_account_threshold <= 0:
            problems.append(
                f"territory.key_account_threshold: must be positive (got {self.key_account_threshold})"
            )
        for name in ("visits_per_month", "hours_per_visit"):
            d = getattr(self, name)
            for seg in ("A", "B", "C"):
                if seg not in d:
                    problems.append(f"territory.{name}.{seg}: missing (segments A, B, C)")
                elif d[seg] <= 0:
                    problems.append(f"territory.{name}.{seg}: must be positive (got {d[seg]})")
        if self.disruption_km < 0:
            problems.append(f"territory.disruption_km: must be >= 0 (got {self.disruption_km})")
        if not 0 <= self.potential_weight <= 1:
            problems.append(
                f"territory.potential_weight: must be within 0..1 (got {self.potential_weight})"
            )


@dataclass(frozen=True)
class StaffingAssumptions:
    """Team sizing, ramp-up, probation, attrition and structure.

    Attributes
    ----------
    ramp_curve : list of float
        Productivity by tenure month (month 1 first); the last value must be
        1.0 and is held from then on.  Default follows the handbook phases:
        3-month ramp-up, consolidation to month 12.
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
    """

    ramp_curve: list[float] = field(
        default_factory=lambda: [0.25, 0.45, 0.6, 0.7, 0.78, 0.84, 0.88, 0.91, 0.94, 0.96, 0.98, 1.0]
    )
    probation_months: int = 3
    probation_pass_rate: float = 0.8
    annual_attrition: float = 0.15
    time_to_fill_months: int = 2
    notice_months: int = 1
    span_of_control: int = 8
    ratios: dict[str, float] = field(
        default_factory=lambda: {
            "team_lead": 0.0,
            "assistant": 1 / 12,
            "order_follower": 0.0,
            "systems_clerk": 0.0,
        }
    )
    planned_headcount: int | None = 19

    def _check(self, problems: list[str]) -> None:
        rc = self.ramp_curve
        if not rc or any(not 0 <= x <= 1 for x in rc):
            problems.append("staffing.ramp_curve: values must lie within 0..1")
        elif rc[-1] != 1.0:
            problems.append(f"staffing.ramp_curve: must end at 1.0 (ends at {rc[-1]})")
        elif any(b < a for a, b in zip(rc, rc[1:])):
            problems.append("staffing.ramp_curve: must not decrease")
        if self.probation_months < 0:
            problems.append(f"staffing.probation_months: must be >= 0 (got {self.probation_months})")
        if not 0 <= self.probation_pass_rate <= 1:
            problems.append(
                f"staffing.probation_pass_rate: must be within 0..1 (got {self.probation_pass_rate})"
            )
        if not 0 <= self.annual_attrition < 1:
            problems.append(
                f"staffing.annual_attrition: must be within 0..1 (got {self.annual_attrition})"
            )
        if self.time_to_fill_months < 0:
            problems.append(
                f"staffing.time_to_fill_months: must be >= 0 (got {self.time_to_fill_months})"
            )
        if self.notice_months < 0:
            problems.append(f"staffing.notice_months: must be >= 0 (got {self.notice_months})")
        if self.span_of_control < 1:
            problems.append(f"staffing.span_of_control: must be >= 1 (got {self.span_of_control})")
        for k, v in self.ratios.items():
            if k not in ("team_lead", "assistant", "order_follower", "systems_clerk"):
                problems.append(
                    f"staffing.ratios.{k}: unknown; valid: team_lead, assistant, order_follower, "
                    "systems_clerk"
                )
            elif v < 0:
                problems.append(f"staffing.ratios.{k}: must be >= 0 (got {v})")
        if self.planned_headcount is not None and self.planned_headcount < 1:
            problems.append(
                f"staffing.planned_headcount: must be >= 1 (got {self.planned_headcount})"
            )


@dataclass(frozen=True)
class CostAssumptions:
    """Pay and expenses (handbooks 000, 001, 003).

    Attributes
    ----------
    base_salary_by_level : dict
        Monthly base salary by level (tiered).
    meal_allowance : float
        Monthly meal allowance.
    transport_allowance, phone_allowance : float
        Monthly allowances (300 + 300) paid only in months where the
        shipment (revenue) target is met.
    commission_rate : float
        Commission on revenue.
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

    base_salary_by_level: dict[int, float] = field(
        default_factory=lambda: {1: 3500.0, 2: 4200.0, 3: 5000.0, 4: 6500.0, 5: 8500.0, 6: 12000.0}
    )
    meal_allowance: float = 330.0
    transport_allowance: float = 300.0
    phone_allowance: float = 300.0
    commission_rate: float = 0.02
    travel_days_per_month: float = 4.0
    travel_per_day_in_province: float = 100.0
    travel_per_day_out_of_province: float = 130.0
    out_of_province_share: float = 0.25
    recruiting_cost_per_hire: float = 3000.0

    def _check(self, problems: list[str]) -> None:
        for lvl, pay in self.base_salary_by_level.items():
            if pay < 0:
                problems.append(f"cost.base_salary_by_level.{lvl}: must be >= 0 (got {pay})")
        for name in (
            "meal_allowance",
            "transport_allowance",
            "phone_allowance",
            "travel_days_per_month",
            "travel_per_day_in_province",
            "travel_per_day_out_of_province",
            "recruiting_cost_per_hire",
        ):
            v = getattr(self, name)
            if v < 0:
                problems.append(f"cost.{name}: must be >= 0 (got {v})")
        if not 0 <= self.commission_rate < 1:
            problems.append(f"cost.commission_rate: must be within 0..1 (got {self.commission_rate})")
        if not 0 <= self.out_of_province_share <= 1:
            problems.append(
                f"cost.out_of_province_share: must be within 0..1 (got {self.out_of_province_share})"
            )


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

    runs: int = 10_000
    productivity_cv: float = 0.15
    hiring_delay_months: float = 0.5

    def _check(self, problems: list[str]) -> None:
        if self.runs < 1:
            problems.append(f"simulation.runs: must be >= 1 (got {self.runs})")
        if self.productivity_cv < 0:
            problems.append(f"simulation.productivity_cv: must be >= 0 (got {self.productivity_cv})")
        if self.hiring_delay_months < 0:
            problems.append(
                f"simulation.hiring_delay_months: must be >= 0 (got {self.hiring_delay_months})"
            )


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

    plan_year: int = 2027
    seed: int = 20270101
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
            with its dotted key path.
        """
        data = dict(data or {})
        problems: list[str] = []
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in _SECTIONS:
                if value is None:
                    continue
                if not isinstance(value, Mapping):
                    problems.append(f"{key}: must be a mapping of settings (got {value!r})")
                    continue
                kwargs[key] = _build_section(_SECTIONS[key], value, key, problems)
            elif key in ("plan_year", "seed"):
                v = _coerce(value, int, key, problems)
                if v is not _BAD:
                    kwargs[key] = v
            else:
                problems.append(
                    f"{key}: unknown key; valid: plan_year, seed, {', '.join(_SECTIONS)}"
                )
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
        if not 2000 <= self.plan_year <= 2100:
            problems.append(f"plan_year: must be within 2000..2100 (got {self.plan_year})")
        if self.seed < 0:
            problems.append(f"seed: must be >= 0 (got {self.seed})")
        for name in _SECTIONS:
            getattr(self, name)._check(problems)
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


# ---------------------------------------------------------------------------
# generic, typed construction of a section
# ---------------------------------------------------------------------------
def _build_section(cls: type, values: Mapping[str, Any], prefix: str, problems: list[str]):
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    kwargs = {}
    for key, value in values.items():
        if key not in hints:
            problems.append(f"{prefix}.{key}: unknown key; valid: {', '.join(names)}")
            continue
        v = _coerce(value, hints[key], f"{prefix}.{key}", problems)
        if v is not _BAD:
            kwargs[key] = v
    return cls(**kwargs)


_BAD = object()


def _coerce(value: Any, tp: Any, path: str, problems: list[str]) -> Any:
    """Check ``value`` against type hint ``tp``; convert ints to floats etc."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(value, inner[0], path, problems)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: must be a number (got {value!r})")
            return _BAD
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        ):
            problems.append(f"{path}: must be a whole number (got {value!r})")
            return _BAD
        return int(value)
    if tp is str:
        if not isinstance(value, str):
            problems.append(f"{path}: must be text (got {value!r})")
            return _BAD
        return value
    if origin is list:
        if not isinstance(value, (list, tuple)):
            problems.append(f"{path}: must be a list (got {value!r})")
            return _BAD
        out = [_coerce(v, args[0], f"{path}[{i}]", problems) for i, v in enumerate(value)]
        return _BAD if any(v is _BAD for v in out) else out
    if origin is dict:
        if not isinstance(value, Mapping):
            problems.append(f"{path}: must be a mapping (got {value!r})")
            return _BAD
        out = {}
        for k, v in value.items():
            kk = _coerce(k, args[0], f"{path} key {k!r}", problems)
            vv = _coerce(v, args[1], f"{path}.{k}", problems)
            if kk is _BAD or vv is _BAD:
                return _BAD
            out[kk] = vv
        return out
    return value
