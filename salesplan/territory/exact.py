"""Exact models over (account, rep) pairs: the LP/MILP data, the MILP, its polish, the LP bound."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, vstack

from salesplan.assumptions import Assumptions
from salesplan.errors import InfeasibleError
from salesplan.territory.problem import _fixed, _Problem, _problem_from

#: Relative MILP gap to which the final polish solves its neighbourhood.
POLISH_GAP = 1e-3
#: Relative MILP gap of ``method="milp"`` (within its time limit).
MILP_GAP = 1e-6


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


def _milp(pr: _Problem, time_limit: float) -> tuple[np.ndarray, float]:
    """Exact assignment over every eligible pair (small instances)."""
    ii, jj = _free_pairs(pr)
    c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, ii, jj)
    res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(a_eq, 1, 1), LinearConstraint(a_ub, -np.inf, b_ub)],
               options={"time_limit": time_limit, "mip_rel_gap": MILP_GAP})
    if res.x is None:
        raise InfeasibleError(f"the exact model found no feasible assignment ({res.message})")
    x = res.x > 0.5
    out = pr.cur.copy()
    out[ii[x]] = jj[x]
    fcost, _ = _fixed(pr)
    bound = getattr(res, "mip_dual_bound", None)
    bound = float(res.fun) if bound is None or not np.isfinite(bound) else float(bound)
    return out, bound + fcost


def lp_bound(accounts: pd.DataFrame, reps: pd.DataFrame, *, assumptions: Assumptions | None = None,
             locked: Iterable[str] | None = None, **options: Any) -> float:
    """The exact LP-relaxation bound over every eligible pair (HiGHS); for checks on small instances.

    Parameters
    ----------
    accounts, reps, assumptions, locked, **options
        As for :func:`~salesplan.territory.assign` (options resolved the
        same way; a misspelt keyword raises :class:`TypeError`).

    Returns
    -------
    float
        Lower bound on the cost of every feasible assignment, in km weighted
        by workload hours a month (the unit of ``metrics.cost``).

    Raises
    ------
    InfeasibleError
        When even the relaxation has no feasible point.
    """
    pr = _problem_from(accounts, reps, assumptions, options, where="lp_bound()", locked=locked)
    c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, *_free_pairs(pr))
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.ones(a_eq.shape[0]), bounds=(0, None), method="highs")
    if res.status != 0:
        raise InfeasibleError(f"the LP relaxation is infeasible ({res.message})")
    return float(res.fun) + _fixed(pr)[0]


def _polish(state, rc: np.ndarray, size: int, time_limit: float) -> bool:
    """Re-solve the most ambiguous accounts exactly (a MILP neighbourhood), the rest fixed.

    The accounts whose two cheapest priced reps are closest, and those the
    repair moved off their cheapest priced rep, are freed; the current
    assignment is a feasible point of that MILP. The neighbourhood is
    solved to ``POLISH_GAP``, so the result depends on the inputs alone;
    ``time_limit`` is only a guard, and a search it cuts short is
    discarded rather than kept half-done (which would make the plan
    depend on the machine's speed).
    """
    pr = state.pr
    if state.total_violation().max() > 1e-9 or size <= 0:
        return False
    free_idx = np.flatnonzero(state.free)
    part = np.partition(rc[free_idx], 1, axis=1) if rc.shape[1] > 1 else np.c_[rc[free_idx], rc[free_idx]]
    gap = part[:, 1] - part[:, 0]
    off = state.cand[free_idx, rc[free_idx].argmin(axis=1)] != state.assign[free_idx]
    gap = np.where(off, -np.inf, gap)
    pick = free_idx[np.argsort(gap, kind="stable")[:size]]
    fixed = state.assign.copy()
    fixed[pick] = -1
    valid = state.cand[pick] >= 0
    ii = np.broadcast_to(pick[:, None], valid.shape)[valid]
    jj = state.cand[pick][valid]
    c, a_eq, a_ub, b_ub, _ = _pairs_model(pr, ii, jj, fixed)
    res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(a_eq, 1, 1), LinearConstraint(a_ub, -np.inf, b_ub)],
               options={"time_limit": time_limit, "mip_rel_gap": POLISH_GAP})
    if res.status != 0 or res.x is None:
        return False
    before = float(pr.cost(pick, state.assign[pick]).sum())
    if res.fun >= before - 1e-9:
        return False
    x = res.x > 0.5
    for i, t in zip(ii[x], jj[x]):
        if state.assign[i] != t:
            state.apply(int(i), int(t))
    return True
