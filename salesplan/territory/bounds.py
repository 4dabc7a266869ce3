"""Lower bounds: the Lagrangian dual value and its rise by keeping whole accounts."""

from __future__ import annotations

import numpy as np

from salesplan.territory.problem import PRICE_CHUNK, _fixed, _priced, _Problem

#: Combinations of whole-account counts per rep enumerated by the integral bound.
KNAPSACK_COMBOS = 65_536


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
    for s in range(0, len(free), PRICE_CHUNK):
        i = free[s:s + PRICE_CHUNK]
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
