"""Visits: what the accounts need a month and what the reps can make.

A rep's visit capacity in a month is ``visits a day x working days of that
month x FTE x ramp-up`` (handbook 001: 3 effective visits a day; the working
days of the PRC calendar, :func:`salesplan.calendar.working_days`; the
ramp-up curve of a new hire; nothing before the start or after the last
day), :func:`visit_capacity`.  A *full month* of a fully ramped, full-time
rep is the plan year's average (:func:`full_month_visits`: 3 x 20.7 = 62 in
2027): the capacity the territory plan holds each rep to and the unit the
staffing model sizes the team in.  :func:`team_visits` compares what the
accounts need with what the territory reps can make in such months, and
:func:`team_finding` says so when they cannot (check ``visit_capacity``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesplan.errors import WARNING, Finding

__all__ = ["full_month_visits", "rep_fte", "visit_capacity", "team_visits", "TeamVisits", "team_finding", "CHECK",
           "SOURCE"]

#: Check name of every visit-capacity warning (README, "Warnings").
CHECK = "visit_capacity"
#: Source named by the visit-capacity findings: the plan's territories.
SOURCE = "territories"


def full_month_visits(assumptions) -> float:
    """Visits a full-time, fully ramped rep makes in an average month of the plan year.

    Parameters
    ----------
    assumptions : Assumptions
        ``productivity.visits_per_day``, ``plan_year`` and ``calendar``.

    Returns
    -------
    float
        Visits a month: visits a day x the year's working days / 12.
    """
    from salesplan.calendar import working_days

    days = working_days(assumptions.plan_year, assumptions.calendar).to_numpy(dtype=float)
    return float(assumptions.productivity.visits_per_day * days.mean())


def rep_fte(reps: pd.DataFrame) -> np.ndarray:
    """Each rep's full-time equivalent, in the table's order.

    Parameters
    ----------
    reps : pandas.DataFrame
        Staff rows, with or without an ``fte`` column.

    Returns
    -------
    numpy.ndarray
        FTE (share of a full-time job, 0..1); 1.0 for every rep when the
        table has no ``fte`` column.
    """
    return reps["fte"].to_numpy(dtype=float) if "fte" in reps else np.ones(len(reps))


def visit_capacity(reps: pd.DataFrame, assumptions) -> pd.DataFrame:
    """Visits each rep can make in each month of the plan year.

    Parameters
    ----------
    reps : pandas.DataFrame
        ``rep_id`` and ``fte``; with ``status, hire_date, end_date`` the
        months before the start (an open requisition's planned start) and
        after the last day make none, and the first months are ramped up.
    assumptions : Assumptions
        ``productivity.visits_per_day``, ``staffing.ramp_curve``,
        ``plan_year`` and ``calendar``.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id``, columns 1..12: visits a month (visits a day x
        working days of the month x share of the month on the payroll x
        ramp-up x FTE).
    """
    from salesplan.calendar import working_days
    from salesplan.history import availability

    year = assumptions.plan_year
    days = working_days(year, assumptions.calendar).to_numpy(dtype=float)
    fte = rep_fte(reps)
    if {"status", "hire_date", "end_date"} <= set(reps.columns):
        share = availability(reps, year, ramp_curve=assumptions.staffing.ramp_curve).to_numpy()
    else:  # no dates: on the payroll all year, ramped
        share = np.repeat(fte[:, None], 12, axis=1)
    cap = share * days[None, :] * assumptions.productivity.visits_per_day
    return pd.DataFrame(cap, index=pd.Index(reps["rep_id"].astype(str), name="rep_id"),
                        columns=pd.RangeIndex(1, 13, name="month"))


@dataclass(frozen=True)
class TeamVisits:
    """The visits the accounts need a month against what the territory reps can make.

    Attributes
    ----------
    needed : float
        Visits a month the accounts need.
    per_rep : float
        Visits a full month of one full-time rep (:func:`full_month_visits`).
    reps : int
        Reps carrying a territory.
    fte : float
        Their full-time equivalents.
    """

    needed: float
    per_rep: float
    reps: int
    fte: float

    @property
    def capacity(self) -> float:
        """Visits the reps carrying a territory make in a full month (each fully ramped, at their FTE)."""
        return self.per_rep * self.fte

    @property
    def short(self) -> float:
        """Visits a month the team cannot make (0 when it can make them all)."""
        return max(self.needed - self.capacity, 0.0)

    @property
    def reps_short(self) -> int:
        """Full-time reps it would take to make the visits left over (whole reps)."""
        return math.ceil(self.short / self.per_rep - 1e-9) if self.per_rep > 0 else 0


def team_visits(accounts: pd.DataFrame, reps: pd.DataFrame, assumptions) -> TeamVisits:
    """What the accounts need a month against what the reps who carry a territory can make.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Accounts with ``segment`` and ``visits_per_month`` (as
        :func:`salesplan.load_inputs` gives them; an empty one takes its
        segment's norm).
    reps : pandas.DataFrame
        Staff table (only the reps who carry a territory count).
    assumptions : Assumptions

    Returns
    -------
    TeamVisits
    """
    from salesplan.accounts import account_visits
    from salesplan.schema import sales_staff

    _, visits = account_visits(accounts, assumptions.territory)
    tr = sales_staff(reps)
    fte = rep_fte(tr)
    return TeamVisits(needed=float(visits.sum()), per_rep=full_month_visits(assumptions), reps=int((fte > 0).sum()),
                      fte=float(fte[fte > 0].sum()))


def team_finding(team: TeamVisits, assumptions) -> Finding | None:
    """The warning that the team cannot make the visits its accounts need (None when it can).

    Parameters
    ----------
    team : TeamVisits
    assumptions : Assumptions
        ``productivity.visits_per_day`` (named in the message).

    Returns
    -------
    Finding or None
        Level warning, check :data:`CHECK`, source :data:`SOURCE`.
    """
    if team.short <= 1e-9:
        return None
    from salesplan.i18n import finding

    p = assumptions.productivity
    return finding(WARNING, CHECK, SOURCE, lambda t: t.text(
        "visits_team", needed=f"{team.needed:,.0f}", reps=team.reps, fte=f"{team.fte:g}",
        capacity=f"{team.capacity:,.0f}", per_day=f"{p.visits_per_day:g}",
        days=f"{team.per_rep / p.visits_per_day:.2f}", year=assumptions.plan_year, short=f"{team.short:,.0f}",
        reps_short=team.reps_short, asked=f"{team.needed / max(team.fte, 1e-9):,.0f}", per_rep=f"{team.per_rep:,.0f}"))
