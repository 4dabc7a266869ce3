"""Territory allocation: accounts to reps, balanced, compact, with little disruption.

The model
---------
Each account ``i`` has a monthly workload ``w_i`` (visits a month x hours a
visit) and an annual potential ``p_i``; each rep ``j`` carrying a territory
has an FTE and a base.  An assignment minimises

    cost = sum_i w_i * (km from the rep's base to the account
                        + disruption_km if the account leaves its current rep)

subject to: every account assigned once; each rep's balanced load (workload,
or a blend with potential, or both separately) within ``± tolerance`` of the
rep's FTE share of the total; at most ``max_moved_share`` of the accounts
changing hands; locked accounts staying where they are; key accounts (annual
potential at or above the threshold) only with key-account specialists.

The algorithm
-------------
1. *Candidates*: each account considers its ``candidates`` nearest eligible
   reps and its current rep.
2. *Prices*: the balance and moved-share constraints are priced out
   (Lagrangian relaxation).  Up to a size limit the prices are the exact
   duals of the candidate LP (HiGHS).  Beyond it, with one balanced quantity
   and no moved-share cap, the LP is a transportation problem, solved as a
   min-cost flow (OR-Tools) whose potentials are the prices; the flow starts
   from the prices of accounts pooled by grid cell, which also choose each
   account's candidates by priced cost.  Otherwise the prices come from
   maximising an entropy-smoothed Lagrangian dual with L-BFGS-B.  In every
   case a rep outside an account's candidates that is cheaper at the prices
   joins them and the prices are computed again (column generation).
3. *Lower bound*: the Lagrangian dual function evaluated at those prices
   over **all** eligible reps, not only the candidates -- a valid lower
   bound on the cost of every feasible assignment, equal to the LP bound when
   the prices are the LP duals and pruning cut nothing (``dual_bound``).
   It is then raised by keeping whole accounts: with the accounts' own
   multipliers fixed, each rep's share of the dual is a knapsack over its
   band, bounded with its biggest accounts whole rather than split
   (``lower_bound``, still valid; it closes the gap the LP leaves where whole
   accounts cannot fill a band, as with key-account specialists).
4. *Primal*: every account takes its cheapest priced rep, then a repair pass
   moves accounts (fewest cost per unit of imbalance removed) until every
   bound holds, and a local search applies improving moves and swaps.  With
   one balanced quantity and no moved cap, the accounts of each load are
   then re-assigned exactly, the others held (a min-cost flow per load).

Small instances can be solved exactly with ``method="milp"``
(``scipy.optimize.milp``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp, minimize
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import shortest_path

from salesplan.assumptions import SALES_ROLES, Assumptions
from salesplan.errors import InfeasibleError, InputError
from salesplan.geo import distance_matrix

__all__ = [
    "Assignment",
    "BALANCE_ON",
    "METHODS",
    "account_workload",
    "assign",
    "evaluate",
    "lp_bound",
    "territory_reps",
    "territory_sheets",
]

#: Quantities that can be balanced across reps.
BALANCE_ON = ("workload", "potential")
#: Solution methods of :func:`assign`.
METHODS = ("auto", "lp", "flow", "lagrangian", "milp")
#: Candidate-LP size (variables) up to which ``auto`` prices with HiGHS duals.
LP_LIMIT = 60_000
#: Accounts from which the min-cost flow starts from the prices of pooled accounts.
POOL_FROM = 8_000
#: Accounts re-solved exactly by the final polish, and its relative MILP gap.
POLISH_SIZE = 60
POLISH_GAP = 1e-3
#: Combinations of whole-account counts per rep enumerated by the integral bound.
KNAPSACK_COMBOS = 65_536


@dataclass(frozen=True)
class Assignment:
    """Result of :func:`assign` (treat the frames as read-only).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per account: ``account_id, name, city, segment, key_account,
        locked, workload, potential, current_rep_id, rep_id, distance_km,
        moved``.
    summary : pandas.DataFrame
        One row per rep carrying a territory: ``rep_id, name, role, fte,
        accounts, key_accounts, workload, potential, target_load, load,
        deviation, travel_km, cost`` (``load``/``target_load`` in the balanced
        unit; ``deviation`` = load / target - 1).
    metrics : dict
        ``max_abs_deviation, cost, lower_bound, dual_bound, gap_pct, moved,
        moved_share, runtime_s, method, violations`` and the instance size.
        ``lower_bound`` is a proven lower bound on the cost of every
        assignment that meets the request, ``gap_pct`` the cost above it;
        ``dual_bound`` is the (weaker) Lagrangian bound at the prices, the LP
        relaxation's value when the prices are its duals.
    reps : pandas.DataFrame
        The reps that carry territories (with their bases), for maps.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    metrics: dict
    reps: pd.DataFrame = field(default_factory=pd.DataFrame)

    def moved_accounts(self) -> pd.DataFrame:
        """Accounts that change hands, biggest workload first."""
        t = self.table[self.table["moved"]]
        return t.sort_values(["workload", "account_id"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------
def account_workload(accounts: pd.DataFrame, assumptions: Assumptions | None = None) -> pd.Series:
    """Monthly workload of each account in hours: visits a month x hours a visit.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Columns ``account_id, segment`` and optionally ``visits_per_month``
        (empty: the segment default).
    assumptions : Assumptions, optional
        ``territory.visits_per_month`` and ``territory.hours_per_visit`` by
        segment.

    Returns
    -------
    pandas.Series
        Hours a month, indexed like ``accounts``.
    """
    t = (assumptions or Assumptions()).territory
    seg = accounts["segment"].astype(str)
    unknown = sorted(set(seg) - set(t.hours_per_visit))
    if unknown:
        raise InputError("accounts", [f"column segment: unknown segment(s) {unknown}; "
                                      f"valid: {', '.join(t.hours_per_visit)}"])
    visits = seg.map(t.visits_per_month).astype(float)
    if "visits_per_month" in accounts:
        own = pd.to_numeric(accounts["visits_per_month"], errors="coerce").astype(float)
        visits = own.where(own.notna(), visits)
    return (visits * seg.map(t.hours_per_visit).astype(float)).rename("workload")


def territory_reps(reps: pd.DataFrame) -> pd.DataFrame:
    """Reps that carry a territory: sales roles, active or open requisitions, FTE > 0.

    Open requisitions are included: the plan assigns the territory the new
    hire will take over.  Managers, supervisors, assistants and other
    non-selling roles carry none, nor do reps who left.
    """
    keep = reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "open"])
    if "fte" in reps:
        keep &= reps["fte"].astype(float) > 0
    out = reps[keep].reset_index(drop=True)
    missing = out[out["base_lat"].isna() | out["base_lon"].isna()] if "base_lat" in out else out
    if len(missing):
        raise InputError("reps", [f"rep {r}: base_lat/base_lon missing; a rep carrying a territory needs a base"
                                  for r in missing["rep_id"]])
    return out


@dataclass
class _Problem:
    """Arrays of one assignment problem (reps = territory reps only)."""

    accounts: pd.DataFrame
    reps: pd.DataFrame
    d: np.ndarray            # (n, m) km
    elig: np.ndarray | None  # (n, m) bool, None when every rep may take every account
    w: np.ndarray            # workload, hours a month
    p: np.ndarray            # potential
    a: np.ndarray            # (R, n) balanced quantities
    names: list[str]         # names of the balanced quantities
    target: np.ndarray       # (R, m)
    lo: np.ndarray           # (R, m)
    hi: np.ndarray           # (R, m)
    cur: np.ndarray          # (n,) current rep index or -1
    locked: np.ndarray       # (n,) bool
    key: np.ndarray          # (n,) bool
    mvw: np.ndarray          # (n,) weight of a move in the moved-share measure
    budget: float            # moved-share budget in mvw units (inf: no cap)
    disruption: float
    violations: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.w)

    @property
    def m(self) -> int:
        return self.d.shape[1]

    def cost(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cost of giving account(s) ``i`` to rep(s) ``j``."""
        moved = (self.cur[i] >= 0) & (j != self.cur[i])
        return self.w[i] * (self.d[i, j] + self.disruption * moved)

    def moves(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Moved-share weight spent by giving ``i`` to ``j``."""
        return self.mvw[i] * ((self.cur[i] >= 0) & (j != self.cur[i]))

    def loads(self, reps_of: np.ndarray, accounts: np.ndarray | None = None) -> np.ndarray:
        """(R, m) balanced load of ``accounts`` (default: all) given to ``reps_of``."""
        a = self.a if accounts is None else self.a[:, accounts]
        return np.vstack([np.bincount(reps_of, a[r], minlength=self.m) for r in range(len(a))])

    def eligible(self, rows: slice | np.ndarray) -> np.ndarray:
        if self.elig is None:
            return np.ones((len(self.w[rows]), self.m), dtype=bool)
        return self.elig[rows]


def _problem(accounts, reps, balance_on, tolerance, max_moved_share, locked, key_threshold,
             moved_by, potential_weight, disruption_km, best_effort, a: Assumptions) -> _Problem:
    if not isinstance(balance_on, (list, tuple)) or not balance_on or set(balance_on) - set(BALANCE_ON):
        raise InputError("assign(balance_on=...)", [f"got {balance_on!r}; valid: a non-empty tuple of "
                                                   f"{', '.join(BALANCE_ON)}"])
    if not 0 < tolerance < 1:
        raise InputError("assign(tolerance=...)", [f"must be within (0, 1) (got {tolerance})"])
    if max_moved_share is not None and not 0 <= max_moved_share <= 1:
        raise InputError("assign(max_moved_share=...)", [f"must be within 0..1 or None (got {max_moved_share})"])
    if moved_by not in ("accounts", "potential"):
        raise InputError("assign(moved_by=...)", [f"got {moved_by!r}; valid: accounts, potential"])
    if not 0 <= potential_weight <= 1:
        raise InputError("assign(potential_weight=...)", [f"must be within 0..1 (got {potential_weight})"])
    need = {"account_id", "lat", "lon", "segment", "annual_potential"} - set(accounts.columns)
    if need:
        raise InputError("accounts", [f"column {c}: missing (needed to assign territories)" for c in sorted(need)])
    tr = territory_reps(reps)
    if tr.empty:
        raise InfeasibleError("no rep can carry a territory (roles " + ", ".join(SALES_ROLES)
                              + ", status active or open)")
    acc = accounts.reset_index(drop=True)
    n, m = len(acc), len(tr)
    rep_index = pd.Index(tr["rep_id"].astype(str))
    cur_ids = acc["current_rep_id"].astype("string") if "current_rep_id" in acc else pd.Series(pd.NA, index=acc.index)
    cur = rep_index.get_indexer(cur_ids.fillna("").astype(str))
    lock = acc["locked"].fillna(False).astype(bool).to_numpy() if "locked" in acc else np.zeros(n, bool)
    if locked is not None:
        ids = pd.Index([str(x) for x in locked])
        unknown = ids.difference(acc["account_id"].astype(str))
        if len(unknown):
            raise InputError("assign(locked=...)", [f"unknown account_id {x}" for x in unknown[:10]])
        lock = lock | acc["account_id"].astype(str).isin(ids).to_numpy()
    bad = lock & (cur < 0)
    if bad.any():
        raise InputError("accounts", [
            f"row {i + 2}, column locked: account {acc.at[i, 'account_id']} is locked but its current_rep_id "
            f"({cur_ids.iloc[i] if pd.notna(cur_ids.iloc[i]) else 'empty'}) carries no territory"
            for i in np.flatnonzero(bad)[:10]])
    w = account_workload(acc, a).to_numpy(dtype=float)
    pot = acc["annual_potential"].to_numpy(dtype=float)
    key = pot >= key_threshold
    spec = (tr["role"] == "key_account").to_numpy()
    violations: list[str] = []
    elig = None
    if key.any():
        if spec.any():
            elig = np.ones((n, m), dtype=bool)
            elig[np.ix_(key, ~spec)] = False
        else:
            msg = (f"{int(key.sum())} key accounts (annual potential >= {key_threshold:,.0f}) but no "
                   "key-account specialist carries a territory")
            if not best_effort:
                raise InfeasibleError(msg + "; add one (role key_account) or ask for best effort")
            violations.append(msg + "; they go to any rep")
    fte = tr["fte"].to_numpy(dtype=float) if "fte" in tr else np.ones(m)
    share = fte / fte.sum()
    quantities, names = [], []
    for q in balance_on:
        if q == "workload":
            if potential_weight > 0 and pot.sum() > 0 and w.sum() > 0:
                quantities.append((1 - potential_weight) * w / w.sum() * 100
                                  + potential_weight * pot / pot.sum() * 100)
                names.append("load")
            else:
                quantities.append(w)
                names.append("workload")
        else:
            quantities.append(pot)
            names.append("potential")
    qa = np.vstack(quantities)
    target = qa.sum(axis=1)[:, None] * share[None, :]
    lo, hi = target * (1 - tolerance), target * (1 + tolerance)
    mvw = np.where(cur >= 0, 1.0 if moved_by == "accounts" else pot / max(pot.sum(), 1e-300), 0.0)
    if moved_by == "accounts":
        budget = np.inf if max_moved_share is None else np.floor(max_moved_share * n + 1e-9)
    else:
        budget = np.inf if max_moved_share is None else max_moved_share + 1e-12
    d = distance_matrix(acc["lat"], acc["lon"], tr["base_lat"], tr["base_lon"],
                        dtype=np.float32 if n * m > 5_000_000 else np.float64)
    return _Problem(acc, tr, d, elig, w, pot, qa, names, target, lo, hi, cur, lock, key, mvw, budget,
                    float(disruption_km), violations)


def _precheck(pr: _Problem, tolerance: float) -> list[str]:
    """Requests no assignment can meet, each with the constraint and the amount."""
    out = []
    unit = {"workload": "h/month", "potential": "potential", "load": "% of load"}
    for r, name in enumerate(pr.names):
        u = unit[name]
        if pr.elig is not None:
            spec = pr.elig[np.flatnonzero(pr.key)[0]] if pr.key.any() else None
            if spec is not None:
                need = pr.a[r, pr.key].sum()
                room = pr.hi[r, spec].sum()
                if need > room + 1e-9:
                    tol = need / pr.target[r, spec].sum() - 1
                    out.append(f"key accounts carry {need:,.1f} {u} of {name} but the {int(spec.sum())} "
                               f"key-account specialist(s) may carry at most {room:,.1f} at +{tolerance:.0%} "
                               f"(short by {need - room:,.1f}); raise the tolerance to {tol:.0%} or add a "
                               "specialist")
        locked_load = np.bincount(pr.cur[pr.locked], pr.a[r, pr.locked], minlength=pr.m)
        over = locked_load - pr.hi[r]
        for j in np.flatnonzero(over > 1e-9)[:5]:
            out.append(f"locked accounts give rep {pr.reps.at[j, 'rep_id']} {locked_load[j]:,.1f} {u} of {name}, "
                       f"{over[j]:,.1f} above its cap of {pr.hi[r, j]:,.1f} (+{tolerance:.0%})")
        # an account too big for every rep it may go to
        biggest = np.zeros(pr.n)
        for s in range(0, pr.n, 8192):
            e = pr.eligible(slice(s, s + 8192))
            biggest[s:s + 8192] = np.where(e, pr.hi[r][None, :], -np.inf).max(axis=1)
        big = np.flatnonzero((pr.a[r] > biggest + 1e-9) & ~pr.locked)
        for i in big[:5]:
            need_tol = pr.a[r, i] / (biggest[i] / (1 + tolerance)) - 1
            out.append(f"account {pr.accounts.at[i, 'account_id']} alone carries {pr.a[r, i]:,.1f} {u} of {name}, "
                       f"more than any rep it may go to may carry ({biggest[i]:,.1f} at +{tolerance:.0%}); "
                       f"raise the tolerance to {need_tol:.0%}")
    return out


# ---------------------------------------------------------------------------
# candidates, prices and the lower bound
# ---------------------------------------------------------------------------
def _candidates(pr: _Problem, k: int, lam: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(n, K) candidate rep indices (-1 padding) and their costs (inf padding).

    The ``k`` nearest eligible reps, or with prices ``lam`` (R, m) the ``k``
    cheapest at those prices, plus the current rep.
    """
    n, m = pr.n, pr.m
    k = min(k, m)
    width = k + 1
    cand = np.full((n, width), -1, dtype=np.intp)
    for s in range(0, n, 8192):
        rows = slice(s, s + 8192)
        key = pr.d[rows] if lam is None else _priced(pr, np.arange(n)[rows], lam, 0.0)
        dd = np.where(pr.eligible(rows), key, np.inf)
        if k < m:
            idx = np.argpartition(dd, k - 1, axis=1)[:, :k]
        else:
            idx = np.broadcast_to(np.arange(m), dd.shape).copy()
        ok = np.isfinite(np.take_along_axis(dd, idx, axis=1))
        cand[rows, :k] = np.where(ok, idx, -1)
    # the current rep is always a candidate
    c = pr.cur
    has = (cand[:, :k] == c[:, None]).any(axis=1)
    cur_ok = c >= 0
    if pr.elig is not None:
        cur_ok &= pr.elig[np.arange(n), np.maximum(c, 0)]
    cand[:, k] = np.where(cur_ok & ~has, c, -1)
    # locked accounts: the current rep only
    cand[pr.locked] = -1
    cand[pr.locked, 0] = pr.cur[pr.locked]
    valid = cand >= 0
    rows = np.broadcast_to(np.arange(n)[:, None], cand.shape)
    cost = np.full(cand.shape, np.inf)
    cost[valid] = pr.cost(rows[valid], cand[valid])
    return cand, cost


def _fixed(pr: _Problem) -> tuple[float, np.ndarray]:
    """Cost and (R, m) load of the locked accounts."""
    li = np.flatnonzero(pr.locked)
    cost = float(pr.cost(li, pr.cur[li]).sum())
    load = pr.loads(pr.cur[li], li)
    return cost, load


def _priced(pr: _Problem, i: np.ndarray, lam: np.ndarray, nu: float) -> np.ndarray:
    """(len(i), m) cost of accounts ``i`` at every rep, plus the prices ``lam`` (R, m) of their
    balanced quantities and ``nu`` per unit of moved weight (eligibility not applied)."""
    moved = (pr.cur[i, None] >= 0) & (np.arange(pr.m)[None, :] != pr.cur[i, None])
    rc = pr.w[i, None] * (pr.d[i] + pr.disruption * moved) + pr.a[:, i].T @ lam
    if nu:
        rc = rc + nu * pr.mvw[i, None] * moved
    return rc


def _dual_value(pr: _Problem, mu_u, mu_l, nu):
    """Lagrangian dual function over every eligible rep: a valid lower bound on the cost.

    Valid for any prices ``mu_u, mu_l >= 0`` (upper/lower balance bounds) and
    ``nu >= 0`` (moved cap), whatever the candidate pruning.

    Returns
    -------
    (value, best_j, best_v)
        The bound; per account the cheapest priced rep and its reduced cost
        (for pricing new candidates).
    """
    lam = mu_u - mu_l  # (R, m)
    fcost, fload = _fixed(pr)
    free = np.flatnonzero(~pr.locked)
    total = fcost
    best_j = pr.cur.copy()
    best_v = np.full(pr.n, np.inf)
    for s in range(0, len(free), 4096):
        i = free[s:s + 4096]
        rc = _priced(pr, i, lam, nu)
        if pr.elig is not None:
            rc = np.where(pr.elig[i], rc, np.inf)
        j = rc.argmin(axis=1)
        best_j[i] = j
        best_v[i] = rc[np.arange(len(i)), j]
        total += float(best_v[i].sum())
    total -= float((mu_u * (pr.hi - fload)).sum()) - float((mu_l * (pr.lo - fload)).sum())
    if np.isfinite(pr.budget):
        total -= nu * pr.budget
    return total, best_j, best_v


def _knapsack_floor(v: np.ndarray, w: np.ndarray, lo: float, hi: float, combos: int = KNAPSACK_COMBOS,
                    classes: tuple[np.ndarray, np.ndarray] | None = None) -> float:
    """Lower bound on ``min sum(v x)`` over binary ``x`` with ``lo <= sum(w x) <= hi`` (``w >= 0``).

    Items of the largest sizes are kept whole: for each size class, taking
    ``k`` items is best done with its ``k`` cheapest, so every count of
    every whole class is enumerated (classes are added, largest size first,
    while the number of combinations stays within ``combos``).  The other
    items are relaxed to fractions (the greedy LP knapsack, exact for a
    convex piecewise-linear value of the load they carry).  With every item
    in a whole class the value is exact; in general it lies between the LP
    relaxation and the integer optimum.  ``inf`` when no selection fits.
    ``classes`` -- the distinct sizes and each item's index into them --
    saves finding them again when the caller knows them.
    """
    free = w <= 0
    base = float(np.minimum(v[free], 0).sum())
    if hi < 0:
        return np.inf
    sizes, code = np.unique(w, return_inverse=True) if classes is None else classes
    code = code[~free]
    v, w = v[~free], w[~free]
    counts = np.bincount(code, minlength=len(sizes))
    load, value = np.zeros(1), np.zeros(1)
    whole = np.zeros(len(w), dtype=bool)
    for q in np.flatnonzero(counts)[::-1]:
        s, c = sizes[q], counts[q]
        k = int(min(c, np.floor(hi / s)))
        if len(load) * (k + 1) > combos:
            if len(load) * 2 > combos and k > 0:
                break  # not even one more item of any size fits the enumeration
            continue
        sel = code == q
        whole |= sel
        cheapest = np.sort(np.partition(v[sel], k - 1)[:k] if 0 < k < c else v[sel][:k])
        load = (load[:, None] + s * np.arange(k + 1)).ravel()
        value = (value[:, None] + np.r_[0.0, np.cumsum(cheapest)]).ravel()
        keep = load <= hi
        load, value = load[keep], value[keep]
    vr, wr = v[~whole], w[~whole]
    ratio = vr / np.where(wr > 0, wr, 1)
    k = min(len(wr), int(np.ceil(hi / wr.min())) + 1) if len(wr) else 0
    part = np.argpartition(ratio, k - 1)[:k] if 0 < k < len(wr) else np.arange(k)
    order = part[np.argsort(ratio[part], kind="stable")]  # enough of the best ratios to carry hi
    cum_w = np.r_[0.0, np.cumsum(wr[order])]
    cum_v = np.r_[0.0, np.cumsum(vr[order])]
    best = cum_w[np.searchsorted(ratio[order], 0.0)]  # unconstrained optimum: every negative ratio
    need_lo, need_hi = np.maximum(lo - load, 0), hi - load
    fits = need_lo <= cum_w[-1]
    carried = np.clip(best, need_lo, need_hi)
    total = np.where(fits, value + np.interp(carried, cum_w, cum_v), np.inf)
    return base + float(total.min()) if len(total) else np.inf


def _integral_bound(pr: _Problem, mu_u, mu_l, nu, dual: tuple[float, np.ndarray]) -> tuple[float, float]:
    """The Lagrangian dual at the prices, and the same dual with each rep's knapsack kept integral.

    Dualising the one-rep-per-account rows with ``u_i`` (each account's
    cheapest priced cost) leaves one problem per rep: pick the accounts that
    minimise ``sum(c_ij - u_i)`` with its first balanced quantity within its
    band (the other quantities, and the moved cap, stay priced).  The plain
    dual bounds each rep's problem by its prices alone, which is the LP
    bound; :func:`_knapsack_floor` bounds it with the big accounts whole.
    That closes the gap the LP leaves where a rep's band cannot be filled
    with whole accounts -- a specialist whose key accounts all carry 4 h a
    month can hold 408 h but not the 411.9 h its band allows.  Both values
    are valid lower bounds on the cost of every feasible assignment.
    ``dual`` is :func:`_dual_value` at these prices: its value and ``u``.
    """
    dual, u = dual
    if not np.isfinite(dual):
        return dual, dual
    _, fload = _fixed(pr)
    hi, lo = pr.hi - fload, pr.lo - fload
    priced = -(mu_u * hi).sum(axis=0) + (mu_l * lo).sum(axis=0)  # (m,) each rep's term of the dual
    others = -(mu_u[1:] * hi[1:]).sum(axis=0) + (mu_l[1:] * lo[1:]).sum(axis=0)
    lam = mu_u - mu_l
    free = np.flatnonzero(~pr.locked)
    sizes, code = np.unique(pr.a[0, free], return_inverse=True)
    gain = 0.0
    for j in range(pr.m):
        take = slice(None) if pr.elig is None else pr.elig[free, j]
        i = free[take]
        v = pr.cost(i, np.full(len(i), j)) - u[i] + pr.a[1:, i].T @ lam[1:, j]
        if nu:
            v = v + nu * pr.moves(i, np.full(len(i), j))
        tol = 1e-9 * max(1.0, abs(pr.hi[0, j]))
        floor = _knapsack_floor(v, pr.a[0, i], lo[0, j] - tol, hi[0, j] + tol,
                                classes=(sizes, code[take])) + others[j]
        if np.isfinite(floor):
            gain += max(floor - priced[j], 0.0)
    return dual, dual + gain


def _reduced(pr, cand, ccost, lam, nu) -> np.ndarray:
    valid = cand >= 0
    cj = np.maximum(cand, 0)
    rc = ccost.copy()
    for r in range(len(pr.a)):
        rc += pr.a[r][:, None] * lam[r][cj]
    if nu:
        rows = np.broadcast_to(np.arange(pr.n)[:, None], cand.shape)
        rc += nu * np.where(valid, pr.moves(rows, cj), 0)
    rc[~valid] = np.inf
    return rc


def _pairs_model(pr: _Problem, ii: np.ndarray, jj: np.ndarray, fixed: np.ndarray | None = None):
    """LP/MILP data over the pairs (ii, jj): c, A_eq, A_ub, b_ub and whether a moved cap row exists.

    ``fixed`` (n,) gives the rep of every account that is not a variable
    (-1 for variables); by default the locked accounts are fixed to their
    current rep and every other account is a variable.
    """
    if fixed is None:
        fixed = np.where(pr.locked, pr.cur, -1)
    var = np.flatnonzero(fixed < 0)
    pos = np.full(pr.n, -1)
    pos[var] = np.arange(len(var))
    nv = len(ii)
    c = pr.cost(ii, jj)
    a_eq = csr_matrix((np.ones(nv), (pos[ii], np.arange(nv))), shape=(len(var), nv))
    fi = np.flatnonzero(fixed >= 0)
    fload = pr.loads(fixed[fi], fi)
    blocks, b = [], []
    for r in range(len(pr.a)):
        load = csr_matrix((pr.a[r, ii], (jj, np.arange(nv))), shape=(pr.m, nv))
        blocks += [load, -load]
        b += [pr.hi[r] - fload[r], -(pr.lo[r] - fload[r])]
    has_cap = np.isfinite(pr.budget)
    if has_cap:
        blocks.append(csr_matrix(pr.moves(ii, jj)[None, :]))
        b.append(np.array([pr.budget - pr.moves(fi, fixed[fi]).sum()]))
    return c, a_eq, vstack(blocks).tocsr(), np.concatenate(b), has_cap


def _free_pairs(pr: _Problem) -> tuple[np.ndarray, np.ndarray]:
    """(account, rep) index arrays of every eligible pair of the accounts that are not locked."""
    free = np.flatnonzero(~pr.locked)
    r_, jj = np.nonzero(pr.eligible(free))
    return free[r_], jj


def _lp_prices(pr: _Problem, ii: np.ndarray, jj: np.ndarray):
    """Exact LP over the pairs (ii, jj), the locked accounts held (HiGHS dual simplex).

    Returns ``(mu_u, mu_l, nu, x)`` -- the duals of the balance and moved-cap
    rows and the primal values of the pairs -- or None when that LP has no
    feasible point.
    """
    c, a_eq, a_ub, b_ub, has_cap = _pairs_model(pr, ii, jj)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(a_eq.shape[0]), bounds=(0, None),
                  method="highs")
    if res.status != 0:
        return None
    marg = -res.ineqlin.marginals
    n_r, m = len(pr.a), pr.m
    mu = marg[:2 * n_r * m].reshape(n_r, 2, m)
    nu = float(marg[-1]) if has_cap else 0.0
    return np.maximum(mu[:, 0], 0), np.maximum(mu[:, 1], 0), max(nu, 0.0), res.x


def _aggregate(pr: _Problem, max_groups: int) -> _Problem:
    """The problem with accounts pooled into groups: same grid cell, key flag, current rep and lock.

    The cell is the smallest of 1, 2, 4, ... km that gives at most
    ``max_groups`` groups.  A group's cost to a rep is the sum of its
    accounts' costs (its distance is the workload-weighted mean distance) and
    its balanced quantities and moved weight are sums, so a fractional
    assignment of groups is a fractional assignment of accounts: the pooled LP
    is a restriction of the account LP, small enough to solve in a moment,
    and its duals are close to the account LP's.
    """
    acc = pr.accounts
    lat = acc["lat"].to_numpy(dtype=float)
    y = lat * 111.2
    x = acc["lon"].to_numpy(dtype=float) * np.cos(np.radians(lat)) * 111.2
    same = np.c_[pr.key, pr.cur, pr.locked].astype(np.int64)
    size = 1.0
    while True:
        cells = np.c_[np.floor(x / size), np.floor(y / size)].astype(np.int64)
        _, first, group = np.unique(np.c_[cells, same], axis=0, return_index=True, return_inverse=True)
        if len(first) <= max_groups:
            break
        size *= 2
    group = group.ravel()
    g_n = len(first)
    members = csr_matrix((pr.w, (group, np.arange(pr.n))), shape=(g_n, pr.n))
    w_g = np.bincount(group, pr.w, minlength=g_n)
    d_g = np.asarray(members @ pr.d, dtype=float) / np.where(w_g > 0, w_g, 1)[:, None]
    if (w_g <= 0).any():  # groups without workload: plain mean distance
        plain = csr_matrix((np.ones(pr.n), (group, np.arange(pr.n))), shape=(g_n, pr.n))
        counts = np.bincount(group, minlength=g_n)
        zero = w_g <= 0
        d_g[zero] = np.asarray(plain[zero] @ pr.d, dtype=float) / counts[zero, None]
    a_g = np.vstack([np.bincount(group, q, minlength=g_n) for q in pr.a])
    return _Problem(
        accounts=pd.DataFrame(index=range(g_n)), reps=pr.reps, d=d_g,
        elig=None if pr.elig is None else pr.elig[first], w=w_g,
        p=np.bincount(group, pr.p, minlength=g_n), a=a_g, names=pr.names, target=pr.target,
        lo=pr.lo, hi=pr.hi, cur=pr.cur[first], locked=pr.locked[first], key=pr.key[first],
        mvw=np.bincount(group, pr.mvw, minlength=g_n), budget=pr.budget, disruption=pr.disruption)


def _cand_pairs(cand: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(account, rep) index arrays of the candidate slots in ``mask``."""
    rows = np.broadcast_to(np.arange(cand.shape[0])[:, None], cand.shape)
    return rows[mask], cand[mask]


def _price_columns(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, mu_u, mu_l, nu, rel_tol: float):
    """Price every eligible rep at the given prices (column generation).

    Returns ``(dual, cand, ccost, added)``: the dual bound at the prices and
    each account's cheapest priced cost (``(value, u)``, which
    :func:`_integral_bound` raises), and the candidates with, for each
    account, the rep cheaper at those prices
    than all its candidates (by more than ``rel_tol`` of the mean reduced
    cost) appended as a new column; ``added`` says whether any was.
    """
    lower, best_j, best_v = _dual_value(pr, mu_u, mu_l, nu)
    rc = _reduced(pr, cand, ccost, mu_u - mu_l, nu)
    tol = rel_tol * max(float(np.abs(best_v[np.isfinite(best_v)]).mean()), 1.0)
    new = (rc.min(axis=1) - best_v > tol) & ~pr.locked & ~(cand == best_j[:, None]).any(axis=1)
    if not new.any():
        return (lower, best_v), cand, ccost, False
    extra = np.where(new, best_j, -1)
    col = np.full(pr.n, np.inf)
    col[new] = pr.cost(np.flatnonzero(new), extra[new])
    return (lower, best_v), np.c_[cand, extra], np.c_[ccost, col], True


def _largest_share(n: int, ii: np.ndarray, jj: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Round an LP solution: each account to the rep with its largest share (-1 where it has none)."""
    pick = np.full(n, -1)
    order = np.lexsort((-share, ii))
    head = np.unique(ii[order], return_index=True)[1]
    pick[ii[order][head]] = jj[order][head]
    return pick


def _banded_flow(src: np.ndarray, dst: np.ndarray, uc: np.ndarray, supply: np.ndarray,
                 lo: np.ndarray, hi: np.ndarray):
    """Min-cost flow from sources to reps, each rep taking between ``lo`` and ``hi`` units (OR-Tools).

    Source ``src[e]`` may send up to its whole ``supply`` to rep ``dst[e]``
    at ``uc[e]`` a unit (integers).  Penalty arcs -- a rep taking more than
    ``hi``, or less than ``lo`` -- keep the network feasible whatever the
    request; each unit on them costs more than any path of real arcs.

    Returns
    -------
    (flows, pen) or None
        Flows of the source arcs, then of the ``m`` arcs within the bands,
        the ``m`` over and the ``m`` short penalty arcs and the spare-to-sink
        arc; the penalty per unit.  None when the solver fails.
    """
    from ortools.graph.python import min_cost_flow

    k, m = len(supply), len(lo)
    total, need = int(supply.sum()), int(lo.sum())
    pen = (int(np.abs(uc).max(initial=0)) + 1) * (m + 2)
    reps, sink, spare = k + np.arange(m), k + m, k + m + 1
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = f.add_arcs_with_capacity_and_unit_cost(
        np.r_[src, reps, reps, np.full(m, spare), spare],
        np.r_[reps[dst], np.full(2 * m, sink), reps, sink],
        np.r_[supply[src], hi - lo, np.full(m, total), lo, need],
        np.r_[uc, np.zeros(m, np.int64), np.full(2 * m, pen), 0])
    f.set_nodes_supplies(np.arange(k + m + 2), np.r_[supply, -lo, -total, need])
    if f.solve() != f.OPTIMAL:
        return None
    return f.flows(arcs), pen


def _network_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray):
    """Prices of the candidate LP of a single balanced quantity, solved as a min-cost flow.

    With one balanced quantity ``a`` and no moved-share cap, the LP is a
    transportation problem: account ``i`` supplies ``a_i`` units of load,
    rep ``j`` takes between ``lo_j`` and ``hi_j`` units, and a unit sent from
    ``i`` to ``j`` costs ``c_ij / a_i``.  It is solved by OR-Tools' min-cost
    flow on integers (load in steps of 1/1,000 of the smallest account, cost
    in steps of 1e-7 of the largest unit cost).  Penalty arcs make the network
    feasible whatever the request; a solution that uses them means the
    candidate LP is infeasible.  The rep prices are potentials of the
    optimal flow: shortest distances in its residual network with the
    accounts condensed away (Bellman-Ford over ``m + 3`` nodes).

    Returns
    -------
    (mu_u, mu_l, pick, penalised) or None
        Prices of the upper and lower balance bounds (1, m), each account's
        rep with the largest flow, and whether the flow needed a penalty arc
        (no feasible point among these candidates: the prices then steer
        column generation towards one); None when the solver fails.
    """
    n, m = pr.n, pr.m
    a = pr.a[0]
    net = ~pr.locked & (a > 0)
    _, fload = _fixed(pr)
    valid = (cand >= 0) & net[:, None] & np.isfinite(ccost)
    if not net.any() or not valid.any(axis=1)[net].all():
        return None
    ii, jj = _cand_pairs(cand, valid)
    scale = 1000.0 / float(a[net].min())
    sup = np.rint(a * scale).astype(np.int64)
    unit = ccost[valid] / a[ii]
    q = 1e7 / max(float(np.abs(unit).max()), 1e-300)
    uc = np.rint(unit * q).astype(np.int64)
    lo = np.ceil((pr.lo[0] - fload[0]) * scale - 1e-9).clip(0).astype(np.int64)
    hi = np.floor((pr.hi[0] - fload[0]) * scale + 1e-9).astype(np.int64)
    if (hi < lo).any():
        return None
    need = int(lo.sum())
    solved = _banded_flow(ii, jj, uc, np.where(net, sup, 0), lo, hi)
    if solved is None:
        return None
    flows, pen = solved
    nl = len(ii)
    fl = flows[:nl]
    reg, over, short, rest = flows[nl:nl + m], flows[nl + m:nl + 2 * m], flows[nl + 2 * m:nl + 3 * m], flows[-1]
    # potentials: shortest distances in the residual network, accounts condensed away (an
    # account i with flow at j and a candidate k gives the residual path j -> i -> k)
    width = cand.shape[1]
    ucm = np.zeros(cand.shape, np.int64)
    ucm[valid] = uc
    flm = np.zeros(cand.shape, np.int64)
    flm[valid] = fl
    ri, si = np.nonzero(flm > 0)
    at, base = cand[ri, si], ucm[ri, si]
    t_node, p_node, src = m, m + 1, m + 2  # sink, spare supply, search origin
    r_ = np.arange(m)
    edges = []  # (tails, heads, weights) of residual arcs

    def arc(tail, head, weight, residual, reverse):
        """Residual arcs of an arc: forward where below capacity, backward where it carries flow."""
        tail, head = np.broadcast_to(tail, (m,)), np.broadcast_to(head, (m,))
        w = np.broadcast_to(np.asarray(weight, float), (m,))
        edges.append((tail[residual], head[residual], w[residual]))
        edges.append((head[reverse], tail[reverse], -w[reverse]))

    for s_ in range(width):
        ok = valid[ri, s_] & (cand[ri, s_] != at)
        edges.append((at[ok], cand[ri[ok], s_], (ucm[ri[ok], s_] - base[ok]).astype(float)))
    arc(r_, t_node, 0.0, reg < hi - lo, reg > 0)
    arc(r_, t_node, float(pen), np.ones(m, bool), over > 0)
    arc(p_node, r_, float(pen), short < lo, short > 0)
    if rest < need:  # the spare -> sink arc: forward below capacity, backward when it carries flow
        edges.append((np.array([p_node]), np.array([t_node]), np.zeros(1)))
    if rest > 0:
        edges.append((np.array([t_node]), np.array([p_node]), np.zeros(1)))
    edges.append((np.full(m + 2, src), np.arange(m + 2), np.zeros(m + 2)))
    t_, h_, w_ = (np.concatenate(x) for x in zip(*edges))
    key = t_.astype(np.int64) * (m + 3) + h_
    order = np.lexsort((w_, key))
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]]
    graph = csr_matrix((w_[first], (t_[first], h_[first])), shape=(m + 3, m + 3))
    try:
        dist = shortest_path(graph, method="BF", directed=True, indices=src)
    except Exception:  # a negative cycle: the flow is not optimal (numerical trouble)
        return None
    lam = (dist[t_node] - dist[:m]) / q
    pick = _largest_share(n, ii, jj, fl)
    return np.maximum(lam, 0)[None, :], np.maximum(-lam, 0)[None, :], pick, bool(over.any() or short.any())


def _flow_prices(pr: _Problem, k: int, max_rounds: int = 30):
    """Exact LP prices of a single balanced quantity by min-cost flow and column generation.

    Prices of the pooled problem (:func:`_aggregate`) choose each account's
    ``k`` cheapest priced reps as candidates, so that pricing over all reps
    rarely finds a better one; the account network is then solved, and a rep
    cheaper at the new prices than every candidate of an account joins them,
    until none is (the LP optimum over all eligible pairs).

    Returns ``(mu_u, mu_l, nu, dual, cand, ccost, pick)`` as
    :func:`_lp_column_prices` (``nu`` = 0), or None when the LP is
    infeasible.
    """
    lam = None
    if pr.n > POOL_FROM:
        g = _aggregate(pr, max_groups=max(POOL_FROM // 4, 10 * pr.m))
        gres = _flow_prices(g, k, max_rounds)
        lam = None if gres is None else gres[0] - gres[1]
    cand, ccost = _candidates(pr, k, lam)
    best = None
    for _ in range(max_rounds):
        res = _network_prices(pr, cand, ccost)
        if res is None:
            return None
        mu_u, mu_l, pick, penalised = res
        dual, cand_next, ccost_next, added = _price_columns(pr, cand, ccost, mu_u, mu_l, 0.0, 1e-6)
        best = None if penalised else (mu_u, mu_l, 0.0, dual, cand, ccost, pick)
        if not added:
            break
        cand, ccost = cand_next, ccost_next
    return best


def _smooth_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, z0: np.ndarray | None = None):
    """Prices maximising an entropy-smoothed Lagrangian dual (L-BFGS-B, annealed smoothing).

    Returns the prices whose exact dual value (over the candidates) is best.
    """
    n_r, m = len(pr.a), pr.m
    free = ~pr.locked
    cand_f, cost_f = cand[free], ccost[free]
    a_f = pr.a[:, free]
    valid = cand_f >= 0
    cj = np.maximum(cand_f, 0)
    rows = np.broadcast_to(np.flatnonzero(free)[:, None], cand_f.shape)
    mv = np.where(valid, pr.moves(rows, cj), 0.0)
    _, fload = _fixed(pr)
    hi_f, lo_f = pr.hi - fload, pr.lo - fload
    has_cap = np.isfinite(pr.budget)
    flat = cj.ravel()
    best_cost = np.where(valid, cost_f, np.inf).min(axis=1)
    scale = float(np.mean(best_cost[np.isfinite(best_cost)])) if np.isfinite(best_cost).any() else 1.0
    scale = scale if scale > 0 else 1.0
    n_var = 2 * n_r * m + (1 if has_cap else 0)

    def unpack(z):
        mu = z[:2 * n_r * m].reshape(n_r, 2, m)
        return mu[:, 0], mu[:, 1], (z[-1] if has_cap else 0.0)

    def value(z, eps):
        mu_u, mu_l, nu = unpack(z)
        lam = mu_u - mu_l
        rc = cost_f.copy()
        for r in range(n_r):
            rc += a_f[r][:, None] * lam[r][cj]
        if has_cap:
            rc += nu * mv
        rc[~valid] = np.inf
        base = rc.min(axis=1)
        if eps is None:
            f = base.sum()
            pi = (rc == base[:, None]).astype(float)
            pi /= pi.sum(axis=1, keepdims=True)
        else:
            ex = np.exp(-(rc - base[:, None]) / eps)
            s = ex.sum(axis=1)
            f = float((base - eps * np.log(s)).sum())
            pi = ex / s[:, None]
        f -= float((mu_u * hi_f).sum() - (mu_l * lo_f).sum())
        g = np.zeros(n_var)
        gm = g[:2 * n_r * m].reshape(n_r, 2, m)
        for r in range(n_r):
            load = np.bincount(flat, (pi * a_f[r][:, None]).ravel(), minlength=m)
            gm[r, 0] = load - hi_f[r]
            gm[r, 1] = lo_f[r] - load
        if has_cap:
            f -= nu * pr.budget
            g[-1] = float((pi * mv).sum()) - pr.budget
        return -f, -g

    z = np.zeros(n_var) if z0 is None else z0
    best = (-np.inf, z)
    for frac in (0.1, 0.02, 0.004, 0.001, 0.00025) if z0 is None else (0.002, 0.0005, 0.00025):
        eps = scale * frac
        res = minimize(value, z, args=(eps,), jac=True, method="L-BFGS-B",
                       bounds=[(0, None)] * n_var, options={"maxiter": 300, "ftol": 1e-13, "gtol": 1e-9})
        z = res.x
        exact = -value(z, None)[0]
        if exact > best[0]:
            best = (exact, z.copy())
    return (*unpack(best[1]), best[1])


def _lp_column_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, rounds: int = 8):
    """Duals of the candidate LP (HiGHS) with column generation.

    Returns ``(mu_u, mu_l, nu, dual, cand, ccost, pick)`` -- ``pick`` each
    account's rep with the largest LP share -- or None when the candidate LP
    has no feasible point.
    """
    for _ in range(rounds):
        valid = (cand >= 0) & ~pr.locked[:, None]
        ii, jj = _cand_pairs(cand, valid)
        prices = _lp_prices(pr, ii, jj)
        if prices is None:
            return None
        mu_u, mu_l, nu, x = prices
        dual, cand, ccost, added = _price_columns(pr, cand, ccost, mu_u, mu_l, nu, 1e-9)
        if not added:
            break
    pick = _largest_share(pr.n, ii, jj, x)
    return mu_u, mu_l, nu, dual, cand, ccost, pick


def _lagrangian_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, rounds: int = 8):
    """Smoothed-dual prices with column generation: ``(mu_u, mu_l, nu, dual, cand, ccost)``.

    A rep outside an account's candidates that is cheaper at the prices joins
    them, and the prices are computed again, ``rounds`` times at most.
    """
    z = None
    for _ in range(rounds):
        mu_u, mu_l, nu, z = _smooth_prices(pr, cand, ccost, z)
        dual, cand, ccost, added = _price_columns(pr, cand, ccost, mu_u, mu_l, nu, 1e-9)
        if not added:
            break
    return mu_u, mu_l, nu, dual, cand, ccost


# ---------------------------------------------------------------------------
# primal: repair and local search
# ---------------------------------------------------------------------------
class _State:
    """Current assignment with loads, cost and moves, for repair and local search."""

    def __init__(self, pr: _Problem, cand: np.ndarray, ccost: np.ndarray, assign: np.ndarray):
        self.pr, self.cand, self.ccost = pr, cand, ccost
        self.assign = assign.copy()
        self.loads = pr.loads(assign)
        self.moved = float(pr.moves(np.arange(pr.n), assign).sum())
        self.free = ~pr.locked
        order = np.argsort(cand.ravel(), kind="stable")
        flat = cand.ravel()[order]
        start = np.searchsorted(flat, np.arange(pr.m + 1))
        self.inv_acc = order // cand.shape[1]
        self.inv_start = start  # accounts with rep j among candidates: inv_acc[start[j]:start[j+1]]
        self.chains = 0
        self.tabu = np.zeros(pr.n, dtype=bool)  # accounts a chain moved: not moved by another chain

    def violation(self, loads: np.ndarray, j) -> np.ndarray:
        pr = self.pr
        v = np.maximum(loads - pr.hi[:, j], 0) + np.maximum(pr.lo[:, j] - loads, 0)
        return (v / np.maximum(pr.target[:, j], 1e-300)).sum(axis=0)

    def delta_violation(self, ii: np.ndarray, ss: np.ndarray, tt: np.ndarray) -> np.ndarray:
        """Change in total violation if each account ``ii`` went from rep ``ss`` to rep ``tt`` alone."""
        a = self.pr.a[:, ii]
        return (self.violation(self.loads[:, ss] - a, ss) + self.violation(self.loads[:, tt] + a, tt)
                - self.violation(self.loads[:, ss], ss) - self.violation(self.loads[:, tt], tt))

    def move_delta(self, i: int, t: int) -> float:
        """Change in the moved measure if account ``i`` went to rep ``t``."""
        i_, pr = np.array([i]), self.pr
        return float(pr.moves(i_, np.array([t]))[0] - pr.moves(i_, self.assign[i_])[0])

    def total_violation(self) -> np.ndarray:
        return self.violation(self.loads, np.arange(self.pr.m))

    def apply(self, i: int, t: int) -> None:
        pr = self.pr
        s = self.assign[i]
        self.loads[:, s] -= pr.a[:, i]
        self.loads[:, t] += pr.a[:, i]
        self.moved += self.move_delta(i, t)
        self.assign[i] = t

    def repair(self, max_steps: int) -> None:
        """Move accounts until every balance bound holds: least cost per unit of violation removed."""
        pr = self.pr
        self._restore_budget()
        blocked: set[int] = set()
        for _ in range(max_steps):
            viol = self.total_violation()
            viol[list(blocked)] = 0
            if viol.max() <= 1e-12:
                return
            j = int(np.argmax(viol))
            over = (self.loads[:, j] > pr.hi[:, j] + 1e-12).any()
            if over:
                i = np.flatnonzero((self.assign == j) & self.free)
                ii = np.repeat(i, self.cand.shape[1])
                tt = self.cand[i].ravel()
            else:
                i = self.inv_acc[self.inv_start[j]:self.inv_start[j + 1]]
                i = i[(self.assign[i] != j) & self.free[i]]
                ii, tt = i, np.full(len(i), j)
            ok = (tt >= 0) & (tt != self.assign[ii])
            ii, tt = ii[ok], tt[ok]
            if len(ii) == 0:
                blocked.add(j)
                continue
            ss = self.assign[ii]
            dv = self.delta_violation(ii, ss, tt)
            dm = pr.moves(ii, tt) - pr.moves(ii, ss)
            good = (dv < -1e-12) & (self.moved + dm <= pr.budget + 1e-9)
            if not good.any():
                wanted = np.flatnonzero(dv < -1e-12)
                if len(wanted) and self._move_with_revert(ii[wanted], tt[wanted], dv[wanted]):
                    blocked.clear()
                elif not self._chain(j, over):
                    blocked.add(j)
                continue
            dc = pr.cost(ii, tt) - pr.cost(ii, ss)
            score = np.where(good, dc / np.where(good, -dv, 1), np.inf)
            k = int(np.argmin(score))
            self.apply(int(ii[k]), int(tt[k]))
            blocked.clear()

    def class_flows(self, sweeps: int) -> None:
        """Re-assign the accounts of one load at a time, exactly, the others held (one balanced quantity).

        Accounts of equal load are interchangeable in the balance, so with
        every other account held, giving them reps is a transportation
        problem whose integer optimum a min-cost flow finds (OR-Tools): each
        rep takes a whole number of them between what its band leaves room
        for, penalty arcs absorbing what no count can meet.  This moves
        many accounts at once along cycles and chains of reps, which single
        moves and swaps cannot.  Loads shared by at least as many accounts
        as there are reps are taken, smallest first, and a result
        is kept when it lowers the total violation, or the cost at no more
        violation; sweeps stop when one changes nothing.
        """
        pr = self.pr
        a = pr.a[0]
        pool = ~pr.locked & (a > 0)
        sizes, counts = np.unique(a[pool], return_counts=True)
        m = pr.m
        for _ in range(sweeps):
            changed = False
            for size in sizes[counts >= max(2, m)]:  # smaller classes: single moves and swaps do as well
                idx = np.flatnonzero(pool & (a == size))
                held = self.loads[0] - size * np.bincount(self.assign[idx], minlength=m)
                ub = np.floor((pr.hi[0] - held) / size + 1e-9).astype(np.int64).clip(0)
                lb = np.minimum(np.ceil((pr.lo[0] - held) / size - 1e-9).astype(np.int64).clip(0), ub)
                valid = (self.cand[idx] >= 0) & np.isfinite(self.ccost[idx])
                rows, cols = np.nonzero(valid)
                to, cost = self.cand[idx][rows, cols], self.ccost[idx][rows, cols]
                uc = np.rint(cost * (1e7 / max(float(np.abs(cost).max()), 1e-300))).astype(np.int64)
                solved = _banded_flow(rows, to, uc, np.ones(len(idx), np.int64), lb, ub)
                if solved is None:
                    continue
                used = solved[0][:len(rows)] > 0
                new = self.assign.copy()
                new[idx[rows[used]]] = to[used]
                loads = pr.loads(new)
                v0, v1 = self.total_violation().sum(), self.violation(loads, np.arange(m)).sum()
                c0 = float(pr.cost(idx, self.assign[idx]).sum())
                c1 = float(pr.cost(idx, new[idx]).sum())
                if v1 < v0 - 1e-12 or (v1 <= v0 + 1e-12 and c1 < c0 - 1e-9 * max(abs(c0), 1.0)):
                    self.assign, self.loads = new, loads
                    self.moved = float(pr.moves(np.arange(pr.n), new).sum())
                    changed = True
            if not changed:
                return

    def _reverts(self) -> np.ndarray:
        """Accounts away from their current rep that could go back."""
        pr = self.pr
        return np.flatnonzero(self.free & (pr.cur >= 0) & (self.assign != pr.cur))

    def _restore_budget(self) -> None:
        """Send accounts back to their current rep until the moved-share cap holds.

        Cheapest first, preferring returns that do not unbalance either rep.
        """
        pr = self.pr
        while self.moved > pr.budget + 1e-9:
            back = self._reverts()
            if len(back) == 0:
                return
            s, t = self.assign[back], pr.cur[back]
            dv = self.delta_violation(back, s, t)
            dc = pr.cost(back, t) - pr.cost(back, s)
            k = int(np.lexsort((dc, np.maximum(dv, 0) > 1e-12))[0])
            self.apply(int(back[k]), int(t[k]))

    def _move_with_revert(self, ii: np.ndarray, tt: np.ndarray, dv: np.ndarray) -> bool:
        """A move the moved-share cap blocks, paired with sending another account home."""
        pr = self.pr
        back = self._reverts()
        if len(back) == 0:
            return False
        for k in np.argsort(dv)[:5]:
            i, t = int(ii[k]), int(tt[k])
            s = int(self.assign[i])
            self.apply(i, t)
            v0 = self.total_violation().sum()
            b = back[back != i]
            bs, bt = self.assign[b], pr.cur[b]
            dvb = self.delta_violation(b, bs, bt)
            ok = dvb + dv[k] < -1e-12
            if ok.any():
                dc = np.where(ok, pr.cost(b, bt) - pr.cost(b, bs), np.inf)
                q = int(np.argmin(dc))
                self.apply(int(b[q]), int(bt[q]))
                if self.moved <= pr.budget + 1e-9 and self.total_violation().sum() < v0 - dv[k] - 1e-12:
                    return True
                self.apply(int(b[q]), int(bs[q]))
            self.apply(i, s)
        return False

    def _chain(self, j: int, over: bool) -> bool:
        """Pass load along the cheapest chain of reps (an ejection chain).

        Every direct move from (to) rep ``j`` would overload (underload) its
        neighbour, so load is passed along the shortest path in the graph of
        reps whose edge s -> t costs the cheapest move, per unit of load, of an
        account from s to t, ending at the nearest rep with enough room.  Each
        link moves the cheapest accounts per unit until the excess (deficit)
        it received is passed on.
        """
        pr = self.pr
        viol = (np.maximum(self.loads[:, j] - pr.hi[:, j], 0) if over
                else np.maximum(pr.lo[:, j] - self.loads[:, j], 0))
        r = int(np.argmax(viol / np.maximum(pr.target[:, j], 1e-300)))
        need = float(viol[r])
        idx = np.flatnonzero(self.free & (pr.a[r] > 0) & ~self.tabu)
        width = self.cand.shape[1]
        ii = np.repeat(idx, width)
        tt = self.cand[idx].ravel()
        ss = self.assign[ii]
        ok = (tt >= 0) & (tt != ss)
        ii, tt, ss = ii[ok], tt[ok], ss[ok]
        dm = pr.moves(ii, tt) - pr.moves(ii, ss)
        keep = self.moved + np.maximum(dm, 0) <= pr.budget + 1e-9
        ii, tt, ss = ii[keep], tt[keep], ss[keep]
        if len(ii) == 0:
            return False
        rate = (pr.cost(ii, tt) - pr.cost(ii, ss)) / pr.a[r, ii]
        key = ss.astype(np.int64) * pr.m + tt
        low = np.full(pr.m * pr.m, np.inf)
        np.minimum.at(low, key, rate)
        cheapest = np.flatnonzero(rate <= low[key])
        best = cheapest[np.unique(key[cheapest], return_index=True)[1]]  # per rep pair, its cheapest move
        e_s, e_t = ss[best], tt[best]
        weight = np.maximum(rate[best], 0) + 1e-6 * max(float(np.abs(rate).mean()), 1.0)
        graph = csr_matrix((weight, (e_s, e_t)), shape=(pr.m, pr.m))
        room = (pr.hi[r] - self.loads[r]) if over else (self.loads[r] - pr.lo[r])
        g = graph if over else graph.T.tocsr()
        dist, pred = shortest_path(g, method="D", directed=True, indices=j, return_predecessors=True)
        # what the last link brings: at least the best account of the edge into each rep
        size = np.zeros(pr.m)
        reach = np.flatnonzero(np.isfinite(dist) & (np.arange(pr.m) != j))
        if len(reach):
            e_size = dict(zip((e_s * pr.m + e_t).tolist(), pr.a[r, ii[best]].tolist()))
            for t in reach:
                p_ = int(pred[t])
                size[t] = e_size.get(p_ * pr.m + t if over else t * pr.m + p_, 0.0)
        ends = np.flatnonzero(np.isfinite(dist) & (room >= np.maximum(need, size) - 1e-9)
                              & (np.arange(pr.m) != j))
        if len(ends) == 0:
            return False
        end = int(ends[np.argmin(dist[ends])])
        path = [end]
        while path[-1] != j:
            path.append(int(pred[path[-1]]))
        path = path[::-1]
        for a_, b_ in zip(path[:-1], path[1:]):
            s_, t_ = (a_, b_) if over else (b_, a_)
            sel = np.flatnonzero(key == s_ * pr.m + t_)
            sel = sel[np.argsort(rate[sel], kind="stable")]  # accounts s_ -> t_, cheapest per unit first
            sel = sel[self.assign[ii[sel]] == s_]
            moved_load = 0.0
            for k in sel:
                if moved_load >= need - 1e-9:
                    break
                self.apply(int(ii[k]), t_)
                self.tabu[ii[k]] = True
                moved_load += pr.a[r, ii[k]]
            if moved_load == 0:
                return False
            nxt = b_
            need = float(self.loads[r, nxt] - pr.hi[r, nxt]) if over else float(pr.lo[r, nxt] - self.loads[r, nxt])
            if need <= 1e-9:
                break
        self.chains += 1
        return self.chains < 10 * pr.m + 100

    def polish(self, rc: np.ndarray, size: int, time_limit: float) -> bool:
        """Re-solve the most ambiguous accounts exactly (a MILP neighbourhood), the rest fixed.

        The accounts whose two cheapest priced reps are closest, and those the
        repair moved off their cheapest priced rep, are freed; the current
        assignment is a feasible point of that MILP. The neighbourhood is
        solved to ``POLISH_GAP``, so the result depends on the inputs alone;
        ``time_limit`` is only a guard, and a search it cuts short is
        discarded rather than kept half-done (which would make the plan
        depend on the machine's speed).
        """
        pr = self.pr
        if self.total_violation().max() > 1e-9 or size <= 0:
            return False
        free_idx = np.flatnonzero(self.free)
        part = np.partition(rc[free_idx], 1, axis=1) if rc.shape[1] > 1 else np.c_[rc[free_idx], rc[free_idx]]
        gap = part[:, 1] - part[:, 0]
        off = self.cand[free_idx, rc[free_idx].argmin(axis=1)] != self.assign[free_idx]
        gap = np.where(off, -np.inf, gap)
        pick = free_idx[np.argsort(gap, kind="stable")[:size]]
        fixed = self.assign.copy()
        fixed[pick] = -1
        valid = self.cand[pick] >= 0
        ii = np.broadcast_to(pick[:, None], valid.shape)[valid]
        jj = self.cand[pick][valid]
        c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, ii, jj, fixed)
        res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(0, 1),
                   constraints=[LinearConstraint(a_eq, 1, 1), LinearConstraint(a_ub, -np.inf, b_ub)],
                   options={"time_limit": time_limit, "mip_rel_gap": POLISH_GAP})
        if res.status != 0 or res.x is None:
            return False
        before = float(pr.cost(pick, self.assign[pick]).sum())
        if res.fun >= before - 1e-9:
            return False
        x = res.x > 0.5
        for i, t in zip(ii[x], jj[x]):
            if self.assign[i] != t:
                self.apply(int(i), int(t))
        return True

    def improve(self, rounds: int, rng: np.random.Generator) -> None:
        """Apply improving single moves, then improving swaps, until none is left."""
        for _ in range(rounds):
            changed = self._improve_moves(rng)
            changed += self._improve_swaps()
            if not changed:
                return

    def _improve_moves(self, rng: np.random.Generator) -> int:
        pr = self.pr
        idx = np.flatnonzero(self.free)
        cur_cost = pr.cost(idx, self.assign[idx])
        dc = self.ccost[idx] - cur_cost[:, None]
        dc[self.cand[idx] == self.assign[idx, None]] = np.inf
        # feasible with the present loads (both ends stay within their bounds)
        s = self.assign[idx]
        ok = np.isfinite(dc) & (dc < -1e-9)
        for r in range(len(pr.a)):
            ok &= (self.loads[r, s] - pr.a[r, idx] >= pr.lo[r, s] - 1e-9)[:, None]
            t = np.maximum(self.cand[idx], 0)
            ok &= self.loads[r, t] + pr.a[r, idx][:, None] <= pr.hi[r, t] + 1e-9
        dc = np.where(ok, dc, np.inf)
        best = dc.argmin(axis=1)
        gain = dc[np.arange(len(idx)), best]
        sel = np.flatnonzero(np.isfinite(gain))
        if len(sel) == 0:
            return 0
        tie = rng.permutation(len(sel))
        order = sel[np.lexsort((tie, gain[sel]))]
        n_done = 0
        loads = self.loads
        for q in order:
            i = int(idx[q])
            t = int(self.cand[i, best[q]])
            s_ = int(self.assign[i])
            ai = pr.a[:, i]
            if ((loads[:, s_] - ai < pr.lo[:, s_] - 1e-9).any() or (loads[:, t] + ai > pr.hi[:, t] + 1e-9).any()):
                continue
            if self.moved + self.move_delta(i, t) > pr.budget + 1e-9:
                continue
            self.apply(i, t)
            n_done += 1
        return n_done

    def _improve_swaps(self) -> int:
        """Exchange two accounts between neighbouring reps when that lowers cost and keeps bounds."""
        pr = self.pr
        idx = np.flatnonzero(self.free)
        cur_cost = pr.cost(idx, self.assign[idx])
        dc = self.ccost[idx] - cur_cost[:, None]
        dc[self.cand[idx] == self.assign[idx, None]] = np.inf
        # accounts that want to move (blocked by a bound): best wished move per account
        want = np.where(dc < -1e-9, dc, np.inf)
        b = want.argmin(axis=1)
        g = want[np.arange(len(idx)), b]
        sel = np.flatnonzero(np.isfinite(g))
        if len(sel) == 0:
            return 0
        i_all = idx[sel]
        t_all = self.cand[i_all, b[sel]]
        s_all = self.assign[i_all]
        g_all = g[sel]
        # index the wishes by (from, to) pair
        key = s_all.astype(np.int64) * pr.m + t_all
        order = np.lexsort((g_all, key))
        key_s, i_s = key[order], i_all[order]
        pairs, first = np.unique(key_s, return_index=True)
        n_done = 0
        touched = np.zeros(pr.n, dtype=bool)
        ends = np.r_[first[1:], len(key_s)]
        for p, f, f_end in zip(pairs, first, ends):
            s_, t = divmod(int(p), pr.m)
            rev = t * pr.m + s_
            k = np.searchsorted(pairs, rev)
            if k >= len(pairs) or pairs[k] != rev or s_ > t:
                continue
            # best partner pairs among the few most eager accounts each way
            A = i_s[f:min(f_end, f + 8)]
            B = i_s[first[k]:min(ends[k], first[k] + 8)]
            for i in A:
                if touched[i]:
                    continue
                for i2 in B:
                    if touched[i2]:
                        continue
                    di = pr.a[:, i] - pr.a[:, i2]
                    if ((self.loads[:, s_] - di < pr.lo[:, s_] - 1e-9).any()
                            or (self.loads[:, s_] - di > pr.hi[:, s_] + 1e-9).any()
                            or (self.loads[:, t] + di > pr.hi[:, t] + 1e-9).any()
                            or (self.loads[:, t] + di < pr.lo[:, t] - 1e-9).any()):
                        continue
                    ii = np.array([i, i2])
                    new, old = np.array([t, s_]), np.array([s_, t])
                    delta = float((pr.cost(ii, new) - pr.cost(ii, old)).sum())
                    dm = float((pr.moves(ii, new) - pr.moves(ii, old)).sum())
                    if delta < -1e-9 and self.moved + dm <= pr.budget + 1e-9:
                        self.apply(int(i), t)
                        self.apply(int(i2), s_)
                        touched[[i, i2]] = True
                        n_done += 1
                        break
        return n_done


# ---------------------------------------------------------------------------
# public entry points
# ---------------------------------------------------------------------------
def assign(
    accounts: pd.DataFrame,
    reps: pd.DataFrame,
    *,
    balance_on: Sequence[str] = ("workload",),
    tolerance: float | None = None,
    max_moved_share: float | None = None,
    locked: Iterable[str] | None = None,
    key_account_threshold: float | None = None,
    method: str = "auto",
    seed: int | None = None,
    best_effort: bool = False,
    assumptions: Assumptions | None = None,
    potential_weight: float | None = None,
    disruption_km: float | None = None,
    moved_by: str = "accounts",
    candidates: int = 12,
    time_limit: float = 60.0,
    polish: bool = True,
    polish_time: float = 10.0,
) -> Assignment:
    """Assign accounts to reps: balanced, compact, with little disruption.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``account_id, lat, lon, segment, annual_potential`` and optionally
        ``name, city, visits_per_month, current_rep_id, locked``.
    reps : pandas.DataFrame
        ``rep_id, role, status, fte, base_lat, base_lon`` (and ``name``).
        Only sales roles that are active or open carry a territory.
    balance_on : tuple of {"workload", "potential"}
        Quantities held within ``± tolerance`` of each rep's FTE share.
    tolerance : float, optional
        Allowed relative deviation (default ``territory.tolerance``, 0.10).
    max_moved_share : float, optional
        Cap on the share of accounts (or of potential, ``moved_by``) that
        change hands; ``None``: no cap.
    locked : iterable of str, optional
        Account ids that stay with their current rep (added to the
        ``locked`` column).
    key_account_threshold : float, optional
        Annual potential from which an account is a key account (30,000).
    method : {"auto", "lp", "flow", "lagrangian", "milp"}
        ``lp``: prices from the HiGHS candidate LP; ``flow``: from a min-cost
        flow (one balanced quantity, no ``max_moved_share``; any size);
        ``lagrangian``: from the smoothed dual (any request, slow at scale);
        ``auto`` picks ``lp`` up to 60,000 candidate pairs, else ``flow``
        where it applies, else ``lagrangian``; ``milp``: exact (small
        instances, ``time_limit``).
    seed : int, optional
        Breaks ties between equally good moves (default ``assumptions.seed``).
    best_effort : bool
        Return the closest assignment with the violations listed in
        ``metrics["violations"]`` instead of raising :class:`InfeasibleError`.
    assumptions : Assumptions, optional
        Workload norms, ``disruption_km``, ``potential_weight`` and defaults.
    potential_weight : float, optional
        0..1: the balanced "load" blends workload share and potential share.
    disruption_km : float, optional
        Penalty in km (weighted by workload) for moving an account.
    moved_by : {"accounts", "potential"}
        What ``max_moved_share`` counts.
    candidates : int
        Nearest eligible reps each account considers (besides its current rep).
    time_limit : float
        Seconds for ``method="milp"``.
    polish : bool
        Re-solve the most ambiguous accounts exactly at the end (a small
        MILP neighbourhood of ``POLISH_SIZE`` accounts).
    polish_time : float
        Guard on the polish, seconds: a polish that has not finished by
        then is dropped, so the plan never depends on how fast the machine
        is (the polish normally takes well under a second).

    Returns
    -------
    Assignment

    Raises
    ------
    InfeasibleError
        When the request cannot be met (which constraint, by how much),
        unless ``best_effort``.
    InputError
        Bad parameters or columns.
    """
    t0 = time.perf_counter()
    a = assumptions or Assumptions()
    ta = a.territory
    tolerance = ta.tolerance if tolerance is None else float(tolerance)
    key_account_threshold = ta.key_account_threshold if key_account_threshold is None else key_account_threshold
    potential_weight = ta.potential_weight if potential_weight is None else potential_weight
    disruption_km = ta.disruption_km if disruption_km is None else disruption_km
    if method not in METHODS:
        raise InputError("assign(method=...)", [f"got {method!r}; valid: {', '.join(METHODS)}"])
    rng = np.random.default_rng([a.seed if seed is None else seed, 3])
    pr = _problem(accounts, reps, tuple(balance_on), tolerance, max_moved_share, locked, key_account_threshold,
                  moved_by, potential_weight, disruption_km, best_effort, a)
    problems = _precheck(pr, tolerance)
    if problems and not best_effort:
        raise InfeasibleError("territories cannot be balanced: " + "; ".join(problems))
    cand, ccost = _candidates(pr, candidates)
    n_pairs = int(((cand >= 0) & ~pr.locked[:, None]).sum())
    network = len(pr.a) == 1 and not np.isfinite(pr.budget)
    if method == "auto":
        used = "lp" if n_pairs <= LP_LIMIT else ("flow" if network else "lagrangian")
    elif method == "flow" and not network:
        raise InputError("assign(method=...)", ["'flow' needs one balanced quantity and no max_moved_share; "
                                               "use 'lp' or 'lagrangian'"])
    else:
        used = method
    bound_exact = None
    if used == "milp":
        assign_idx, bound_exact = _milp(pr, time_limit)
    else:
        res = (_flow_prices(pr, candidates) if used == "flow"
               else _lp_column_prices(pr, cand, ccost) if used == "lp" else None)
        if res is not None:
            mu_u, mu_l, nu, dual, cand, ccost, pick = res
        else:
            # the LP has no feasible point (pruning, a binding cap, or method="lagrangian"): the
            # smoothed dual still prices the request; the repair reports what cannot be met
            used = "lagrangian"
            mu_u, mu_l, nu, dual, cand, ccost = _lagrangian_prices(pr, cand, ccost)
            pick = np.full(pr.n, -1)
        rc = _reduced(pr, cand, ccost, mu_u - mu_l, nu)
        pick = np.where(pick >= 0, pick, cand[np.arange(pr.n), rc.argmin(axis=1)])
        pick[pr.locked] = pr.cur[pr.locked]
        state = _State(pr, cand, ccost, pick)
        state.repair(max_steps=50 * pr.m + 10 * pr.n)
        state.improve(rounds=20, rng=rng)
        state.repair(max_steps=50 * pr.m + 10 * pr.n)
        if network:
            state.class_flows(sweeps=2)
        if polish and state.polish(rc, size=POLISH_SIZE, time_limit=polish_time):
            state.improve(rounds=5, rng=rng)
        assign_idx = state.assign
        dual, lower = _integral_bound(pr, mu_u, mu_l, nu, dual)
    if problems:
        lower = dual = float("nan")  # the request itself is infeasible: no bound to speak of
    elif used == "milp":
        lower = dual = bound_exact
    result = _result(pr, assign_idx, (dual, lower), used, tolerance, problems, t0)
    if result.metrics["violations"] and not best_effort:
        v = result.metrics["violations"]
        more = f" (and {len(v) - 5} more)" if len(v) > 5 else ""
        cap = "" if max_moved_share is None else f", max_moved_share {max_moved_share:.0%}"
        raise InfeasibleError(
            f"no assignment found within tolerance ±{tolerance:.0%}{cap}; the closest one still breaks: "
            + "; ".join(v[:5]) + more + ". Loosen the tolerance or the moved-share cap, or ask for best effort")
    return result


def _milp(pr: _Problem, time_limit: float) -> tuple[np.ndarray, float]:
    """Exact assignment over every eligible pair (small instances)."""
    ii, jj = _free_pairs(pr)
    c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, ii, jj)
    res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(a_eq, 1, 1), LinearConstraint(a_ub, -np.inf, b_ub)],
               options={"time_limit": time_limit, "mip_rel_gap": 1e-6})
    if res.x is None:
        raise InfeasibleError(f"the exact model found no feasible assignment ({res.message})")
    x = res.x > 0.5
    out = pr.cur.copy()
    out[ii[x]] = jj[x]
    fcost, _ = _fixed(pr)
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(res.fun) if bound is None or not np.isfinite(bound) else float(bound)
    return out, bound + fcost


def _problem_from(accounts: pd.DataFrame, reps: pd.DataFrame, kwargs: dict, *, best_effort: bool) -> _Problem:
    """The problem :func:`assign` would solve for these keyword arguments (defaults from assumptions)."""
    a = kwargs.pop("assumptions", None) or Assumptions()
    ta = a.territory
    return _problem(accounts, reps, tuple(kwargs.pop("balance_on", ("workload",))),
                    kwargs.pop("tolerance", None) or ta.tolerance, kwargs.pop("max_moved_share", None),
                    kwargs.pop("locked", None), kwargs.pop("key_account_threshold", None) or ta.key_account_threshold,
                    kwargs.pop("moved_by", "accounts"), kwargs.pop("potential_weight", ta.potential_weight),
                    kwargs.pop("disruption_km", ta.disruption_km), best_effort, a)


def lp_bound(accounts: pd.DataFrame, reps: pd.DataFrame, **kwargs) -> float:
    """The exact LP-relaxation bound over every eligible pair (HiGHS); for checks on small instances.

    Takes the same keyword arguments as :func:`assign`.
    """
    pr = _problem_from(accounts, reps, kwargs, best_effort=False)
    c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, *_free_pairs(pr))
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(a_eq.shape[0]), bounds=(0, None), method="highs")
    if res.status != 0:
        raise InfeasibleError(f"the LP relaxation is infeasible ({res.message})")
    return float(res.fun) + _fixed(pr)[0]


def _result(pr: _Problem, idx: np.ndarray, bounds: tuple[float, float], method: str, tolerance: float,
            problems: list[str], t0: float) -> Assignment:
    n = pr.n
    dual, lower = bounds
    rows = np.arange(n)
    dist = pr.d[rows, idx].astype(float)
    cost_i = pr.cost(rows, idx)
    moved = (pr.cur >= 0) & (idx != pr.cur)
    acc, tr = pr.accounts, pr.reps
    rep_ids = tr["rep_id"].astype(str).to_numpy()
    table = pd.DataFrame({
        "account_id": acc["account_id"].astype(str).to_numpy(),
        "name": acc["name"].astype(str).to_numpy() if "name" in acc else "",
        "city": acc["city"].astype(str).to_numpy() if "city" in acc else "",
        "segment": acc["segment"].astype(str).to_numpy(),
        "key_account": pr.key,
        "locked": pr.locked,
        "workload": pr.w,
        "potential": pr.p,
        "current_rep_id": np.where(pr.cur >= 0, rep_ids[np.maximum(pr.cur, 0)],
                                   acc["current_rep_id"].astype("string").fillna("").to_numpy()
                                   if "current_rep_id" in acc else ""),
        "rep_id": rep_ids[idx],
        "distance_km": np.round(dist, 1),
        "moved": moved,
    })
    m = pr.m
    load = pr.loads(idx)
    dev = load / np.where(pr.target > 0, pr.target, 1) - 1
    worst_r = np.abs(dev).argmax(axis=0)
    summary = pd.DataFrame({
        "rep_id": rep_ids,
        "name": tr["name"].astype(str).to_numpy() if "name" in tr else rep_ids,
        "role": tr["role"].astype(str).to_numpy(),
        "fte": tr["fte"].to_numpy(dtype=float) if "fte" in tr else 1.0,
        "accounts": np.bincount(idx, minlength=m),
        "key_accounts": np.bincount(idx, pr.key, minlength=m).astype(int),
        "workload": np.bincount(idx, pr.w, minlength=m),
        "potential": np.bincount(idx, pr.p, minlength=m),
        "balanced_on": [pr.names[r] for r in worst_r],
        "target_load": pr.target[worst_r, np.arange(m)],
        "load": load[worst_r, np.arange(m)],
        "deviation": dev[worst_r, np.arange(m)],
        "travel_km": np.bincount(idx, dist, minlength=m),
        "cost": np.bincount(idx, cost_i, minlength=m),
    })
    cost = float(cost_i.sum())
    violations = list(pr.violations) + list(problems)
    over = np.abs(dev) > tolerance + 1e-9
    for r, j in zip(*np.nonzero(over)):
        violations.append(f"rep {rep_ids[j]}: {pr.names[r]} {load[r, j]:,.1f} is {dev[r, j]:+.1%} from its "
                          f"target {pr.target[r, j]:,.1f} (allowed ±{tolerance:.0%})")
    moved_w = float(pr.moves(rows, idx).sum())
    if moved_w > pr.budget + 1e-9:
        violations.append(f"moved {moved_w:,.4g}, above the cap of {pr.budget:,.4g}")
    if violations:
        lower = dual = float("nan")  # a bound on feasible assignments says nothing about this one
    metrics = {
        "accounts": n,
        "reps": m,
        "method": method,
        "max_abs_deviation": float(np.abs(dev).max()),
        "cost": cost,
        "lower_bound": float(lower),
        "dual_bound": float(dual),
        "gap_pct": float(100 * (cost - lower) / abs(lower)) if lower and np.isfinite(lower) else float("nan"),
        "moved": int(moved.sum()),
        "moved_share": float(moved.mean()) if n else 0.0,
        "travel_km": float(dist.sum()),
        "runtime_s": time.perf_counter() - t0,
        "violations": violations,
    }
    return Assignment(table, summary, metrics, tr)


def evaluate(accounts: pd.DataFrame, reps: pd.DataFrame, rep_ids: Sequence[str], **kwargs) -> dict:
    """Cost, balance and moves of a given assignment under the :func:`assign` model.

    Used to score other methods (or the current territories) on the same
    objective.  Keyword arguments are those of :func:`assign`.

    Returns
    -------
    dict
        ``cost, max_abs_deviation, moved_share, travel_km``.
    """
    pr = _problem_from(accounts, reps, kwargs, best_effort=True)
    idx = pd.Index(pr.reps["rep_id"].astype(str)).get_indexer([str(x) for x in rep_ids])
    if (idx < 0).any():
        raise InputError("evaluate(rep_ids=...)", ["every account needs a rep that carries a territory"])
    rows = np.arange(pr.n)
    load = pr.loads(idx)
    dev = load / pr.target - 1
    return {"cost": float(pr.cost(rows, idx).sum()), "max_abs_deviation": float(np.abs(dev).max()),
            "moved_share": float(((pr.cur >= 0) & (idx != pr.cur)).mean()),
            "travel_km": float(pr.d[rows, idx].sum())}


def territory_sheets(assignment: Assignment) -> dict[str, pd.DataFrame]:
    """Workbook sheets of an assignment.

    Returns
    -------
    dict
        ``"Territories"`` (one row per rep), ``"Territory accounts"`` (one
        row per account) and ``"Territory metrics"`` (cost, bound, gap,
        balance, moves, violations).
    """
    s = assignment.summary.copy()
    for c in ("workload", "potential", "target_load", "load", "travel_km", "cost"):
        s[c] = s[c].round(2)
    s["deviation"] = s["deviation"].round(4)
    m = assignment.metrics
    labels = {
        "accounts": "Accounts", "reps": "Reps carrying a territory", "method": "Method",
        "max_abs_deviation": "Largest deviation from target load", "cost": "Cost (workload-weighted km)",
        "lower_bound": "Lower bound on the cost", "gap_pct": "Gap to the bound (%)", "moved": "Accounts moved",
        "moved_share": "Share of accounts moved", "travel_km": "Distance to all accounts (km)",
        "runtime_s": "Run time (s)",
    }
    rows = [(label, m[k]) for k, label in labels.items()]
    rows += [("Violation", v) for v in m["violations"]]
    metrics = pd.DataFrame(rows, columns=["metric", "value"])
    metrics["value"] = metrics["value"].map(lambda v: round(v, 4) if isinstance(v, float) else v).astype(str)
    return {"Territories": s, "Territory accounts": assignment.table.copy(), "Territory metrics": metrics}
