"""Lower bounds: the Lagrangian dual value and its rise by keeping whole accounts."""

from __future__ import annotations

import numpy as np

from salesplan.territory.geometry import _priced_pairs, _rep_pairs
from salesplan.territory.problem import PRICE_CHUNK, _fixed, _priced, _Problem

#: Combinations of whole-account counts per rep enumerated by the integral bound.
KNAPSACK_COMBOS = 65_536
#: Km (per unit of workload) above its cheapest priced rep within which every rep of an account is
#: first listed for the integral bound of big problems (the others are bounded together), and the
#: rounds of raising it fourfold for the reps whose bound it limits.
BOUND_SLACK, BOUND_ROUNDS = 10.0, 4
#: Most km a rep's first slack adds for its price (a rep priced at 900 km would list half the map).
BOUND_SLACK_CAP = 150.0
#: Share of an average rep's cost below which what a wider list could add to a rep's floor is let go.
BOUND_MATERIAL = 1e-4


def _dual_value(pr: _Problem, mu_u, mu_l, nu, pairs: tuple | None = None):
    """Lagrangian dual function over every eligible rep: a valid lower bound on the cost.

    Valid for any prices ``mu_u, mu_l >= 0`` (upper/lower balance bounds) and
    ``nu >= 0`` (moved cap), whatever the candidate pruning.  ``pairs`` --
    :func:`_priced_pairs` at these prices (big problems) -- saves pricing
    again.

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
    if pr.d is None:
        ii, jj, vv = _priced_pairs(pr, lam, nu, k=1) if pairs is None else pairs
        head = np.r_[True, ii[1:] != ii[:-1]] if len(ii) else np.zeros(0, bool)
        best_j[ii[head]], best_v[ii[head]] = jj[head], vv[head]
        total += float(best_v[free].sum())
    for s in range(0, len(free) if pr.d is not None else 0, PRICE_CHUNK):
        i = free[s:s + PRICE_CHUNK]
        rc = _priced(pr, i, lam, nu)
        if pr.spec is not None:
            rc = np.where(pr.eligible(i), rc, np.inf)
        j = rc.argmin(axis=1)
        best_j[i] = j
        best_v[i] = rc[np.arange(len(i)), j]
        total += float(best_v[i].sum())
    total -= float((mu_u * (pr.hi - fload)).sum()) - float((mu_l * (pr.lo - fload)).sum())
    if np.isfinite(pr.budget):
        total -= nu * pr.budget
    return total, best_j, best_v


def _knapsack_floor(v: np.ndarray, w: np.ndarray, lo: float, hi: float, combos: int = KNAPSACK_COMBOS,
                    classes: tuple[np.ndarray, np.ndarray] | None = None, filler: float | None = None,
                    plain: bool = False):
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
    saves finding them again when the caller knows them.  ``filler`` is the
    value per unit of size of an unlimited, divisible item standing for
    items left out whose value per unit is known to be at least that;
    ``plain`` returns the floor with it and the floor without it (one
    enumeration for both).
    """
    free = w <= 0
    base = float(np.minimum(v[free], 0).sum())
    if hi < 0:
        return (np.inf, np.inf) if plain else np.inf
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
    floor = base + _fractional_floor(vr, wr, load, value, lo, hi, filler)
    return (floor, base + _fractional_floor(vr, wr, load, value, lo, hi, None)) if plain else floor


def _fractional_floor(vr: np.ndarray, wr: np.ndarray, load: np.ndarray, value: np.ndarray, lo: float, hi: float,
                      filler: float | None) -> float:
    """Least ``value + greedy LP knapsack of the items (vr, wr)`` over the whole-class combinations
    ``(load, value)`` that it can bring within ``[lo, hi]`` (:func:`_knapsack_floor`)."""
    if filler is not None and hi > 0:
        vr, wr = np.r_[vr, filler * hi], np.r_[wr, hi]
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
    return float(total.min()) if len(total) else np.inf


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
    free = np.flatnonzero(~pr.locked)
    sizes, code_free = np.unique(pr.a[0, free], return_inverse=True)
    code_of = np.zeros(pr.n, dtype=np.intp)
    code_of[free] = code_free.ravel()

    def floor(j: int, v: np.ndarray, i: np.ndarray, filler: float | None, plain: bool = False):
        """Rep ``j``'s knapsack floor over the accounts ``i`` with values ``v``, its other terms added
        (``plain``: with the filler and without it)."""
        tol = 1e-9 * max(1.0, abs(pr.hi[0, j]))
        f = _knapsack_floor(v, pr.a[0, i], lo[0, j] - tol, hi[0, j] + tol, classes=(sizes, code_of[i]),
                            filler=filler, plain=plain)
        return (f[0] + others[j], f[1] + others[j]) if plain else f + others[j]

    gain = 0.0
    if pr.d is not None:
        lam = mu_u - mu_l
        for j in range(pr.m):
            i = free if pr.spec is None else free[pr.eligible_pairs(free, j)]
            v = pr.cost(i, np.full(len(i), j)) - u[i] + pr.a[1:, i].T @ lam[1:, j]
            if nu:
                v = v + nu * pr.moves(i, np.full(len(i), j))
            f = floor(j, v, i, None)
            gain += max(f - priced[j], 0.0) if np.isfinite(f) else 0.0
    else:
        gain = float(np.clip(_listed_floors(pr, mu_u - mu_l, nu, u, floor) - priced, 0, None).sum())
    return dual, dual + gain


def _listed_floors(pr: _Problem, lam: np.ndarray, nu: float, u: np.ndarray, floor) -> np.ndarray:
    """(m,) each rep's knapsack floor over the free accounts that list it (big problems; 0 when none fits).

    An account lists rep ``j`` when its priced cost there is within
    ``slack_j`` km a unit of workload of its cheapest (:func:`_priced_pairs`),
    so the value per unit of the first balanced quantity of any account left
    out is at least ``slack_j x min(w / a) - lam_j``: one divisible filler
    item at that value stands for them all.  Where the filler still lowers a
    rep's floor by more than ``BOUND_MATERIAL`` of an average rep's cost, its
    slack is raised fourfold and the rep priced again (``BOUND_ROUNDS`` times
    at most).
    """
    a0, w = pr.a[0, ~pr.locked], pr.w[~pr.locked]
    pos = (a0 > 0) & (w > 0)
    per_km = float((w[pos] / a0[pos]).min()) if pos.any() else 0.0
    # a rep priced above 0 wants every account it can hold up to that price: list them (within a cap)
    slack = BOUND_SLACK + np.minimum(np.maximum(lam[0], 0) / max(per_km, 1e-300), BOUND_SLACK_CAP)
    out = np.full(pr.m, np.nan)
    material = BOUND_MATERIAL * max(float(np.abs(u[np.isfinite(u)]).sum()), 1.0) / pr.m
    for last in [False] * (BOUND_ROUNDS - 1) + [True]:
        todo = np.isnan(out)
        ii, jj, vv = _rep_pairs(pr, lam, nu, u, slack, np.flatnonzero(todo))
        v = vv - pr.a[0, ii] * lam[0, jj] - u[ii]
        order = np.argsort(jj, kind="stable")
        start = np.searchsorted(jj[order], np.arange(pr.m + 1))
        for j in np.flatnonzero(todo):
            sel = order[start[j]:start[j + 1]]
            if last:
                f = floor(j, v[sel], ii[sel], slack[j] * per_km - lam[0, j])
            else:
                f, f_plain = floor(j, v[sel], ii[sel], slack[j] * per_km - lam[0, j], plain=True)
            if last or not f < f_plain - material:
                out[j] = f if np.isfinite(f) else -np.inf
        slack *= 4
        if not np.isnan(out).any():
            break
    return out
