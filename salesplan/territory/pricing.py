"""Candidates and prices: reduced costs, HiGHS LP duals, the smoothed Lagrangian, column generation."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog, minimize

from salesplan.territory.bounds import _dual_value
from salesplan.territory.exact import _pairs_model
from salesplan.territory.geometry import _priced_pairs
from salesplan.territory.problem import ROW_CHUNK, _fixed, _priced, _Problem

#: Rounds of column generation of the LP and smoothed-dual prices.
CG_ROUNDS = 8
#: New candidates an account may take in one round of column generation (big problems).
ADD_COLUMNS = 6
#: Smoothing of the Lagrangian dual, as a share of the mean cost, annealed from cold and from warm prices.
SMOOTHING = (0.1, 0.02, 0.004, 0.001, 0.00025)
SMOOTHING_WARM = (0.002, 0.0005, 0.00025)
#: L-BFGS-B options of each smoothing step.
LBFGS_OPTIONS = {"maxiter": 300, "ftol": 1e-13, "gtol": 1e-9}


class _Prices(NamedTuple):
    """Prices of the balance bands and the moved cap, with the candidates and plan they came with."""

    mu_u: np.ndarray                  # (R, m) price of each rep's upper band
    mu_l: np.ndarray                  # (R, m) price of each rep's lower band
    nu: float                         # price of a unit of moved weight
    dual: tuple[float, np.ndarray]    # dual value and each account's cheapest priced cost
    cand: np.ndarray                  # (n, K) candidates
    ccost: np.ndarray                 # (n, K) their costs
    pick: np.ndarray                  # (n,) each account's rep in the LP solution (-1: none)
    split: tuple | None = None        # the flow: (account, rep, load) of pairs that carry some


def _candidates(pr: _Problem, k: int, lam: np.ndarray | None = None,
                pairs: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(n, K) candidate rep indices (-1 padding) and their costs (inf padding).

    The ``k`` nearest eligible reps, or with prices ``lam`` (R, m) the ``k``
    cheapest at those prices, plus the current rep.  ``pairs`` --
    :func:`_priced_pairs` at ``lam`` with this ``k`` (big problems) -- saves
    pricing again.
    """
    n, m = pr.n, pr.m
    k = min(k, m)
    width = k + 1
    cand = np.full((n, width), -1, dtype=np.intp)
    if pr.d is None:
        if pairs is None:
            pairs = _priced_pairs(pr, np.zeros((len(pr.a), m)) if lam is None else lam, k=k, moved=lam is not None)
        cand[:, :k] = _first_of_pairs(n, k, *pairs[:2])
    else:
        for s in range(0, n, ROW_CHUNK):
            rows = slice(s, s + ROW_CHUNK)
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
    cur_ok = (c >= 0) & pr.eligible_pairs(np.arange(n), np.maximum(c, 0))
    cand[:, k] = np.where(cur_ok & ~has, c, -1)
    # locked accounts: the current rep only
    cand[pr.locked] = -1
    cand[pr.locked, 0] = pr.cur[pr.locked]
    valid = cand >= 0
    rows = np.broadcast_to(np.arange(n)[:, None], cand.shape)
    cost = np.full(cand.shape, np.inf)
    cost[valid] = pr.cost(rows[valid], cand[valid])
    return cand, cost


def _first_of_pairs(n: int, k: int, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """(n, k) the first ``k`` reps listed for each account in pairs sorted by account (-1 padding)."""
    start = np.searchsorted(ii, np.arange(n + 1))
    rank = np.arange(len(ii)) - start[ii]
    out = np.full((n, k), -1, dtype=np.intp)
    first = rank < k
    out[ii[first], rank[first]] = jj[first]
    return out


def _reduced(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, lam: np.ndarray, nu: float) -> np.ndarray:
    """(n, K) reduced cost of each candidate slot at prices ``lam`` (R, m) and ``nu`` (inf where empty)."""
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
    cost) appended as a new column; ``added`` says whether any was.  Big
    problems (no dense distances) take up to ``ADD_COLUMNS`` such reps an
    account at once, cheapest first: their flows reach far across the map
    and would need as many rounds.
    """
    wide = pr.d is None
    pairs = _priced_pairs(pr, mu_u - mu_l, nu, k=ADD_COLUMNS) if wide else None
    lower, best_j, best_v = _dual_value(pr, mu_u, mu_l, nu, pairs)
    rc = _reduced(pr, cand, ccost, mu_u - mu_l, nu)
    tol = rel_tol * max(float(np.abs(best_v[np.isfinite(best_v)]).mean()), 1.0)
    low = rc.min(axis=1)
    new = (low - best_v > tol) & ~pr.locked & ~(cand == best_j[:, None]).any(axis=1)
    if not new.any():
        return (lower, best_v), cand, ccost, False
    if not wide:
        extra = np.where(new, best_j, -1)[:, None]
    else:
        ii, jj, vv = pairs
        fresh = new[ii] & (low[ii] - vv > tol) & ~(cand[ii] == jj[:, None]).any(axis=1)
        extra = _first_of_pairs(pr.n, ADD_COLUMNS, ii[fresh], jj[fresh])
        extra = extra[:, (extra >= 0).any(axis=0)]
    rows = np.broadcast_to(np.arange(pr.n)[:, None], extra.shape)
    col = np.full(extra.shape, np.inf)
    col[extra >= 0] = pr.cost(rows[extra >= 0], extra[extra >= 0])
    return (lower, best_v), np.c_[cand, extra], np.c_[ccost, col], True


def _largest_share(n: int, ii: np.ndarray, jj: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Round an LP solution: each account to the rep with its largest share (-1 where it has none)."""
    pick = np.full(n, -1)
    order = np.lexsort((-share, ii))
    head = np.unique(ii[order], return_index=True)[1]
    pick[ii[order][head]] = jj[order][head]
    return pick


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
        """The prices (mu_u, mu_l, nu) in the flat vector ``z``."""
        mu = z[:2 * n_r * m].reshape(n_r, 2, m)
        return mu[:, 0], mu[:, 1], (z[-1] if has_cap else 0.0)

    def value(z, eps):
        """Minus the dual smoothed by ``eps`` (exact with None) and its gradient, for L-BFGS-B."""
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
    for frac in SMOOTHING if z0 is None else SMOOTHING_WARM:
        eps = scale * frac
        res = minimize(value, z, args=(eps,), jac=True, method="L-BFGS-B",
                       bounds=[(0, None)] * n_var, options=dict(LBFGS_OPTIONS))
        z = res.x
        exact = -value(z, None)[0]
        if exact > best[0]:
            best = (exact, z.copy())
    return (*unpack(best[1]), best[1])


def _lp_column_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, rounds: int = CG_ROUNDS):
    """Duals of the candidate LP (HiGHS) with column generation.

    Returns :class:`_Prices` -- ``pick`` each account's rep with the
    largest LP share -- or None when the candidate LP has no feasible point.
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
    return _Prices(mu_u, mu_l, nu, dual, cand, ccost, _largest_share(pr.n, ii, jj, x))


def _lagrangian_prices(pr: _Problem, cand: np.ndarray, ccost: np.ndarray, rounds: int = CG_ROUNDS):
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
