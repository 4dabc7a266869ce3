"""The result of an assignment: typed metrics, the account and rep tables, workbook sheets."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from salesplan.errors import Finding
from salesplan.territory.handover import (VisitContext, handover_schedule, monthly_visits, rep_capacity,
                                          stand_in_load, visit_findings, visit_sheets)
from salesplan.territory.problem import _Problem

#: Labels of the metrics in the "Territory metrics" sheet, in its order.
SHEET_LABELS = {
    "accounts": "Accounts", "reps": "Reps carrying a territory", "method": "Method",
    "max_abs_deviation": "Largest deviation from target load", "cost": "Cost (workload-weighted km)",
    "lower_bound": "Lower bound on the cost", "gap_pct": "Gap to the bound (%)", "moved": "Accounts moved",
    "moved_share": "Share of accounts moved", "travel_km": "Distance to all accounts (km)",
    "runtime_s": "Run time (s)", "stopped_early": "Stopped at the time limit",
}


@dataclass(frozen=True)
class TerritoryMetrics:
    """Figures of an assignment (:attr:`Assignment.metrics`).

    The bounds are NaN when the assignment breaks the request
    (``violations`` not empty): a bound on feasible assignments says nothing
    about it.

    Attributes
    ----------
    accounts : int
        Accounts assigned.
    reps : int
        Reps carrying a territory.
    method : str
        Method that made the plan: ``lp``, ``flow``, ``lagrangian`` or
        ``milp`` (``auto`` resolved; ``lagrangian`` also when the candidate
        LP had no feasible point).
    max_abs_deviation : float
        Largest ``|load / target - 1|`` over the reps and balanced
        quantities, as a share (0.05 = 5 %).
    cost : float
        The objective, in km weighted by workload hours a month:
        ``sum(workload_h * (km to the rep's base + disruption_km if moved))``.
    lower_bound : float
        Proven lower bound on the cost of every assignment that meets the
        request, same unit (the dual bound raised by keeping whole accounts).
    dual_bound : float
        The Lagrangian dual bound at the prices, same unit (the LP
        relaxation's value when the prices are its duals); never above
        ``lower_bound``.
    gap_pct : float
        Cost above ``lower_bound``, percent of the bound.
    moved : int
        Accounts that change hands.
    moved_share : float
        Share 0..1 of the accounts that change hands (counted by accounts
        whatever ``moved_by``).
    travel_km : float
        Sum over the accounts of the distance from their rep's base, km
        (not weighted).
    runtime_s : float
        Wall-clock time of :func:`assign`, seconds.
    violations : tuple of str
        What the assignment breaks (only with ``best_effort``), one line each.
    stopped_early : bool
        The run reached its time limit (``stop_after``) and the plan is the
        best found by then.
    """

    accounts: int
    reps: int
    method: str
    max_abs_deviation: float
    cost: float
    lower_bound: float
    dual_bound: float
    gap_pct: float
    moved: int
    moved_share: float
    travel_km: float
    runtime_s: float
    violations: tuple[str, ...]
    stopped_early: bool = False


@dataclass(frozen=True)
class Evaluation:
    """A given assignment scored under the :func:`assign` model (:func:`evaluate`).

    Attributes
    ----------
    cost : float
        Objective, km weighted by workload hours a month (as
        :attr:`TerritoryMetrics.cost`).
    max_abs_deviation : float
        Largest ``|load / target - 1|``, share.
    moved_share : float
        Share 0..1 of the accounts away from their current rep.
    travel_km : float
        Sum of the distances from each account to its rep's base, km.
    """

    cost: float
    max_abs_deviation: float
    moved_share: float
    travel_km: float


@dataclass(frozen=True, eq=False)
class Assignment:
    """Result of :func:`assign` (treat the frames as read-only).

    The visit figures (:attr:`visits`, :attr:`capacity`, :attr:`handover`,
    :attr:`stand_ins`, :attr:`findings`) are worked out on first use (they
    need the plan year's calendar) and kept.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per account: ``account_id, name, city, segment, key_account,
        locked, workload`` (hours a month), ``visits`` (a month),
        ``potential`` (currency a year), ``current_rep_id, rep_id,
        distance_km`` (km to the rep's base, 0.1 km) and ``moved``.
    by_rep : pandas.DataFrame
        One row per rep carrying a territory: ``rep_id, name, role, fte,
        accounts, key_accounts, workload`` (hours a month), ``visits`` (a
        month), ``potential``, ``balanced_on`` (the balanced quantity
        furthest from its target), ``target_load, load`` (in that quantity's
        unit), ``deviation`` (load / target - 1, share), ``travel_km`` (km,
        not weighted) and ``cost`` (km weighted by workload hours).
    metrics : TerritoryMetrics
        Cost, bounds, gap, balance, moves, run time and violations.
    reps : pandas.DataFrame
        The reps that carry territories (with their bases), for maps.
    context : VisitContext or None
        What the visit figures are worked out from (None: an assignment
        without them).
    """

    table: pd.DataFrame
    by_rep: pd.DataFrame
    metrics: TerritoryMetrics
    reps: pd.DataFrame = field(default_factory=pd.DataFrame)
    context: VisitContext | None = field(default=None, repr=False)

    def from_month(self, month) -> "Assignment":
        """The same assignment with its visits planned from ``month`` on (a re-plan's first open month).

        Requisitions that start by then need no stand-in; earlier months are
        left out of the stand-ins' work and the warnings.

        Parameters
        ----------
        month : str or pandas.Period
            ``"YYYY-MM"`` of the plan year.

        Returns
        -------
        Assignment
        """
        from salesplan.arguments import as_month

        if self.context is None:
            return self
        first = as_month(month, "Assignment.from_month(month=...)").ordinal - \
            pd.Period(f"{self.context.assumptions.plan_year}-01", "M").ordinal
        ctx = dataclasses.replace(self.context, first=int(min(max(first, 0), 12)))
        return dataclasses.replace(self, context=ctx)

    @cached_property
    def capacity(self) -> pd.DataFrame:
        """Each rep's visits a month against a full month's capacity
        (:func:`~salesplan.territory.handover.rep_capacity`; empty without a context)."""
        return rep_capacity(self.context) if self.context is not None else pd.DataFrame()

    @cached_property
    def visits(self) -> pd.DataFrame:
        """Each rep's visits in each month against that month's capacity, stand-in visits included
        (:func:`~salesplan.territory.handover.monthly_visits`)."""
        return monthly_visits(self.context) if self.context is not None else pd.DataFrame()

    @cached_property
    def handover(self) -> pd.DataFrame:
        """The hand-over schedule of the open requisitions' accounts: stand-in, new owner, month
        (:func:`~salesplan.territory.handover.handover_schedule`)."""
        return handover_schedule(self.context) if self.context is not None else pd.DataFrame()

    @cached_property
    def stand_ins(self) -> pd.DataFrame:
        """The stand-ins' extra accounts and visits per month
        (:func:`~salesplan.territory.handover.stand_in_load`)."""
        return stand_in_load(self.context) if self.context is not None else pd.DataFrame()

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Warnings about the visits: a team short of visits, reps above a full month, stand-ins above
        their month (check ``visit_capacity``; :func:`~salesplan.territory.handover.visit_findings`)."""
        return visit_findings(self.context) if self.context is not None else ()

    def moved_accounts(self) -> pd.DataFrame:
        """Accounts that change hands, biggest workload (hours a month) first.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`table` with ``moved`` true.
        """
        t = self.table[self.table["moved"]]
        return t.sort_values(["workload", "account_id"], ascending=[False, True]).reset_index(drop=True)

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Workbook sheets of the assignment.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``"Territories"`` (one row per rep, :attr:`by_rep` with the
            full month's visit capacity and its use, rounded to 0.01,
            shares to 0.0001), ``"Territory accounts"`` (one row per
            account), ``"Territory metrics"`` (``metric, value`` as text:
            cost, bound, gap, balance, moves, run time, one row per
            violation) and, with a context, ``"Visit capacity"``,
            ``"Hand-over"``, ``"Hand-over accounts"`` and ``"Stand-ins"``
            (:func:`~salesplan.territory.handover.visit_sheets`: months
            across).
        """
        s = self.by_rep.copy()
        if len(self.capacity):
            s = s.merge(self.capacity[["rep_id", "visit_capacity", "visit_use"]], on="rep_id", how="left")
            s["visit_capacity"] = s["visit_capacity"].round(2)
            s["visit_use"] = s["visit_use"].round(4)
        for c in ("workload", "visits", "potential", "target_load", "load", "travel_km", "cost"):
            s[c] = s[c].round(2)
        s["deviation"] = s["deviation"].round(4)
        m = self.metrics
        rows = [(label, getattr(m, k)) for k, label in SHEET_LABELS.items()]
        rows += [("Violation", v) for v in m.violations]
        metrics = pd.DataFrame(rows, columns=["metric", "value"])
        metrics["value"] = metrics["value"].map(lambda v: round(v, 4) if isinstance(v, float) else v).astype(str)
        out = {"Territories": s, "Territory accounts": self.table.copy(), "Territory metrics": metrics}
        if self.context is not None:
            out.update(visit_sheets(self.context, self.visits, self.handover, self.stand_ins))
        return out

    def summary(self) -> str:
        """Two short lines for a terminal: balance, cost, bound and gap; moves and method.

        Returns
        -------
        str
            E.g. ``"largest deviation 9.9%, cost 583,202, bound 582,761, gap
            0.08%\\nmoved 789 of 1,500 accounts (52.6%), method lp"``; a bound
            and gap of ``n/a`` and the number of violations when the plan
            breaks the request; a third line on visits against capacity and
            the stand-ins.
        """
        m = self.metrics
        finite = np.isfinite(m.lower_bound)
        bound = f"{m.lower_bound:,.0f}" if finite else "n/a"
        gap = f"{m.gap_pct:.2f}%" if np.isfinite(m.gap_pct) else "n/a"
        broken = f", {len(m.violations)} violation{'s' if len(m.violations) != 1 else ''}" if m.violations else ""
        stopped = ", stopped at the time limit: best plan found by then" if m.stopped_early else ""
        return (f"largest deviation {m.max_abs_deviation:.1%}, cost {m.cost:,.0f}, bound {bound}, gap {gap}\n"
                f"moved {m.moved:,} of {m.accounts:,} accounts ({m.moved_share:.1%}), method {m.method}{broken}"
                f"{stopped}" + self._visits_line())

    def _visits_line(self) -> str:
        """The summary's line on visits against capacity and the stand-ins (empty without a context)."""
        c = self.capacity
        if not len(c):
            return ""
        line = (f"\nvisits: {int(c['over_capacity'].sum())} of {len(c)} reps above a full month's capacity "
                f"({c['visits'].min():,.0f}-{c['visits'].max():,.0f} a month against "
                f"{c['visit_capacity'].min():,.0f}-{c['visit_capacity'].max():,.0f})")
        h = self.handover
        if len(h):
            line += (f"; {len(h):,} accounts of {h['new_owner'].nunique()} open requisitions kept by "
                     f"{h.loc[h['stand_in'] != '', 'stand_in'].nunique()} stand-ins until they start")
        return line


def territory_sheets(assignment: Assignment) -> dict[str, pd.DataFrame]:
    """Workbook sheets of an assignment: :meth:`Assignment.to_frames`.

    Parameters
    ----------
    assignment : Assignment

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"Territories"``, ``"Territory accounts"``, ``"Territory metrics"``.
    """
    return assignment.to_frames()


def _result(pr: _Problem, idx: np.ndarray, bounds: tuple[float, float], method: str, tolerance: float,
            problems: list[str], t0: float, stopped: float | None = None,
            context: VisitContext | None = None) -> Assignment:
    """The :class:`Assignment` of rep ``idx[i]`` for each account ``i``, with its (dual, lower) bounds
    (``stopped``: the time limit, s, that cut the run short; ``context``: for the visit figures)."""
    rows = np.arange(pr.n)
    dist = np.asarray(pr.km(rows, idx), dtype=float)
    cost_i = pr.cost(rows, idx)
    moved = (pr.cur >= 0) & (idx != pr.cur)
    load = pr.loads(idx)
    dev = (load / np.where(pr.target > 0, pr.target, 1) - 1)[pr.balanced]  # capacity rows: an upper bound only
    violations = list(pr.violations) + list(problems) + _violations(pr, idx, load, dev, tolerance)
    dual, lower = bounds
    if violations:
        lower = dual = float("nan")  # a bound on feasible assignments says nothing about this one
    cost = float(cost_i.sum())
    metrics = TerritoryMetrics(
        accounts=pr.n,
        reps=pr.m,
        method=method,
        max_abs_deviation=float(np.abs(dev).max()),
        cost=cost,
        lower_bound=float(lower),
        dual_bound=float(dual),
        gap_pct=float(100 * (cost - lower) / abs(lower)) if lower and np.isfinite(lower) else float("nan"),
        moved=int(moved.sum()),
        moved_share=float(moved.mean()) if pr.n else 0.0,
        travel_km=float(dist.sum()),
        runtime_s=time.perf_counter() - t0,
        violations=tuple(violations),
        stopped_early=stopped is not None,
    )
    return Assignment(_account_table(pr, idx, dist, moved), _rep_table(pr, idx, dist, cost_i, load[pr.balanced], dev),
                      metrics, pr.reps, context)


def _violations(pr: _Problem, idx: np.ndarray, load: np.ndarray, dev: np.ndarray, tolerance: float) -> list[str]:
    """Balance bands (``dev``: of the balanced rows), visit capacities and the moved-share cap the
    assignment breaks, one line each."""
    rep_ids = pr.reps["rep_id"].astype(str).to_numpy()
    out = []
    rows = np.flatnonzero(pr.balanced)
    over = np.abs(dev) > tolerance + 1e-9
    for r_, j in zip(*np.nonzero(over)):
        r = rows[r_]
        out.append(f"rep {rep_ids[j]}: {pr.names[r]} {load[r, j]:,.1f} is {dev[r_, j]:+.1%} from its "
                   f"target {pr.target[r, j]:,.1f} (allowed ±{tolerance:.0%})")
    for r in np.flatnonzero(~pr.balanced):
        for j in np.flatnonzero(load[r] > pr.hi[r] + 1e-9):
            out.append(f"rep {rep_ids[j]}: {load[r, j]:,.1f} visits a month, above their capacity of "
                       f"{pr.hi[r, j]:,.1f}")
    moved_w = float(pr.moves(np.arange(pr.n), idx).sum())
    if moved_w > pr.budget + 1e-9:
        out.append(f"moved {moved_w:,.4g}, above the cap of {pr.budget:,.4g}")
    return out


def _account_table(pr: _Problem, idx: np.ndarray, dist: np.ndarray, moved: np.ndarray) -> pd.DataFrame:
    """One row per account (:attr:`Assignment.table`)."""
    acc = pr.accounts
    rep_ids = pr.reps["rep_id"].astype(str).to_numpy()
    return pd.DataFrame({
        "account_id": acc["account_id"].astype(str).to_numpy(),
        "name": acc["name"].astype(str).to_numpy() if "name" in acc else "",
        "city": acc["city"].astype(str).to_numpy() if "city" in acc else "",
        "segment": pr.segment if pr.segment is not None else acc["segment"].astype(str).to_numpy(),
        "key_account": pr.key,
        "locked": pr.locked,
        "workload": pr.w,
        "visits": pr.visits if pr.visits is not None else np.nan,
        "potential": pr.p,
        "current_rep_id": np.where(pr.cur >= 0, rep_ids[np.maximum(pr.cur, 0)],
                                   acc["current_rep_id"].astype("string").fillna("").to_numpy()
                                   if "current_rep_id" in acc else ""),
        "rep_id": rep_ids[idx],
        "distance_km": np.round(dist, 1),
        "moved": moved,
    })


def _rep_table(pr: _Problem, idx: np.ndarray, dist: np.ndarray, cost_i: np.ndarray, load: np.ndarray,
               dev: np.ndarray) -> pd.DataFrame:
    """One row per rep carrying a territory (:attr:`Assignment.by_rep`), at its worst balanced quantity
    (``load``, ``dev``: the balanced rows)."""
    tr, m = pr.reps, pr.m
    rep_ids = tr["rep_id"].astype(str).to_numpy()
    worst_r = np.abs(dev).argmax(axis=0)
    return pd.DataFrame({
        "rep_id": rep_ids,
        "name": tr["name"].astype(str).to_numpy() if "name" in tr else rep_ids,
        "role": tr["role"].astype(str).to_numpy(),
        "fte": tr["fte"].to_numpy(dtype=float) if "fte" in tr else 1.0,
        "accounts": np.bincount(idx, minlength=m),
        "key_accounts": np.bincount(idx, pr.key, minlength=m).astype(int),
        "workload": np.bincount(idx, pr.w, minlength=m),
        "visits": np.bincount(idx, pr.visits, minlength=m) if pr.visits is not None else np.nan,
        "potential": np.bincount(idx, pr.p, minlength=m),
        "balanced_on": [pr.names[r] for r in worst_r],
        "target_load": pr.target[worst_r, np.arange(m)],
        "load": load[worst_r, np.arange(m)],
        "deviation": dev[worst_r, np.arange(m)],
        "travel_km": np.bincount(idx, dist, minlength=m),
        "cost": np.bincount(idx, cost_i, minlength=m),
    })

