"""The sections of the assumptions: one frozen dataclass per model or concern.

Each setting declares its default (from the department handbooks) and its
valid range once, with :func:`~salesplan.settings.setting`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from salesplan.schema import (BALANCE_ON, CAPACITY_MODES, DEFAULT_METRICS, METRICS, MOVED_BY, SEASONALITY_METHODS,
                              SEGMENT_SOURCES, SEGMENTS, SPLIT_METHODS, TERRITORY_METHODS)
from salesplan.settings import setting

__all__ = ["TargetAssumptions", "ProductivityAssumptions", "TerritoryAssumptions", "StaffingAssumptions",
           "CostAssumptions", "SimulationAssumptions", "ReviewAssumptions", "CalendarAssumptions", "SECTIONS"]


# ---------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetAssumptions:
    """How the annual target is set and split.

    Attributes
    ----------
    metrics : list of str
        Metrics that get a target: always ``revenue``, ``collections`` and
        ``new_customers``; add ``new_outlets`` and/or ``gross_profit`` to
        target them too.
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
    new_outlets_growth : float
        Growth of the new-outlet count over last year (metric ``new_outlets``).
    gross_margin : dict
        Gross profit as a share 0..1 of revenue per product line (metric
        ``gross_profit``); a line left out takes last year's
        ``gross_profit / revenue`` from the history.
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
    metrics: list[str] = setting(factory=lambda: list(DEFAULT_METRICS), choices=METRICS, nonempty=True)
    growth: float = setting(0.12, lo=-1, lo_open=True)
    total: float | None = setting(None, lo=0, lo_open=True)
    product_line_growth: dict[str, float] = setting(factory=dict, lo=-1, lo_open=True)
    collections_ratio: float | None = setting(None, lo=0, hi=2)
    new_customers_growth: float = setting(0.10, lo=-1, lo_open=True)
    new_outlets_growth: float = setting(0.10, lo=-1, lo_open=True)
    gross_margin: dict[str, float] = setting(factory=dict, lo=0, hi=1)
    unit: dict[str, float] = setting(
        factory=lambda: {"revenue": 1000.0, "collections": 1000.0, "new_customers": 1.0, "new_outlets": 1.0,
                         "gross_profit": 1000.0},
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
        lacking = [m for m in DEFAULT_METRICS if m not in self.metrics]
        if lacking or len(set(self.metrics)) != len(self.metrics):
            problems.append(f"targets.metrics: must name each metric once and include {', '.join(DEFAULT_METRICS)} "
                            f"(got {self.metrics}); add new_outlets and/or gross_profit to target them too")
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
        Selling days a month of the handbook (21.75, so 65 visits a month);
        the funnel sizing counts a rep's calling days with it.  Visit
        capacity counts the working days of each month of the plan year
        instead (:mod:`salesplan.calendar`: 20.67 on average in 2027).
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
    capacity : str
        What a rep's visit capacity is to the plan: ``soft`` (reported,
        with a warning when a rep needs more visits than they can make) or
        ``hard`` (an upper bound on each rep's visits a month beside the
        balance band: a full month of a fully ramped rep, visits a day x the
        plan year's average working days x FTE).
    handover_months : int
        Months a stand-in keeps the accounts of an open requisition after the
        new hire's start month (the overlap of the hand-over).
    segments : str
        Where an account's segment comes from: ``auto`` (the ``segment`` of
        ``accounts.csv``; an empty one by last year's sales) or ``sales``
        (every account A/B/C by its cumulative share of last year's sales).
    abc_shares : dict
        Share 0..1 of last year's sales each class holds, biggest accounts
        first (``A: 0.8, B: 0.15, C: 0.05``; must add up to 1).
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
    capacity: str = setting("soft", choices=CAPACITY_MODES)
    handover_months: int = setting(1, lo=0, hi=12)
    segments: str = setting("auto", choices=SEGMENT_SOURCES)
    abc_shares: dict[str, float] = setting(factory=lambda: {"A": 0.80, "B": 0.15, "C": 0.05}, lo=0, hi=1,
                                           keys=SEGMENTS, merge=True)

    def _check(self, problems: list[str]) -> None:
        if len(set(self.balance_on)) != len(self.balance_on):
            problems.append(f"territory.balance_on: names a quantity twice (got {self.balance_on})")
        total = sum(self.abc_shares.values())
        if abs(total - 1) > 1e-6:
            problems.append(f"territory.abc_shares: must add up to 1 (got {total:g}, e.g. A: 0.8, B: 0.15, C: 0.05)")


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
        ``reps.csv`` needs one.  Levels left out keep their default.
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
        keys=tuple(range(1, 10)), merge=True)
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


@dataclass(frozen=True)
class ReviewAssumptions:
    """In-year review settings (:func:`salesplan.review.review`).

    Attributes
    ----------
    run_rate_months : int
        Closed months (the latest ones a head was on the payroll) whose
        actual revenue, corrected for seasonality, ramp-up and FTE, gives each
        head's run-rate for the year-end forecast (3).
    ranking_size : int
        Best and worst entities named per level (3: the handbook's "best
        three and worst one to three areas").
    """

    key: ClassVar[str] = "review"
    run_rate_months: int = setting(3, lo=1, hi=12)
    ranking_size: int = setting(3, lo=1)


@dataclass(frozen=True)
class CalendarAssumptions:
    """Working days of the plan year (:mod:`salesplan.calendar`).

    A working day is a Monday to Friday that is not a public holiday of
    ``country`` (from the ``holidays`` library, which knows the Spring
    Festival of any year and the official make-up working days it has been
    told of), plus the make-up working days listed here, less the extra days
    off listed here.

    Attributes
    ----------
    country : str
        Country whose public holidays apply (ISO code, ``CN``).
    holidays : list of str
        Extra days off, ``YYYY-MM-DD`` (company holidays, a longer Spring
        Festival break).
    workdays : list of str
        Make-up working days on a weekend, ``YYYY-MM-DD`` (调休上班日), for
        years whose official schedule the holiday library does not know yet.
    """

    key: ClassVar[str] = "calendar"
    country: str = setting("CN")
    holidays: list[str] = setting(factory=list)
    workdays: list[str] = setting(factory=list)

    def _check(self, problems: list[str]) -> None:
        import datetime as dt

        for name in ("holidays", "workdays"):
            for i, text in enumerate(getattr(self, name)):
                try:
                    dt.date.fromisoformat(text)
                except ValueError:
                    problems.append(f"calendar.{name}[{i}]: {text!r} is not a date YYYY-MM-DD")
        from salesplan.calendar import known_country

        if not known_country(self.country):
            problems.append(f"calendar.country: {self.country!r} is not a country the holiday library knows "
                            "(an ISO code such as CN)")


#: Section key -> its dataclass, in the order of ``assumptions.yaml``.
SECTIONS = {
    "targets": TargetAssumptions,
    "productivity": ProductivityAssumptions,
    "territory": TerritoryAssumptions,
    "staffing": StaffingAssumptions,
    "cost": CostAssumptions,
    "simulation": SimulationAssumptions,
    "review": ReviewAssumptions,
    "calendar": CalendarAssumptions,
}


