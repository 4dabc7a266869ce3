"""Integer rounding that adds up: largest remainder, water-filling, controlled rounding.

Pure numerics, free of sales logic: :func:`allocate` splits a total into
multiples of a unit in proportion to weights (floors and caps redistributed
by water-filling, then the largest-remainder method); :func:`round_table`
rounds a fractional table to integers with exact row and column sums
(controlled rounding); :func:`round_hierarchy` does both top-down along a
hierarchy, so that every level adds up to its parent, month by month and
over the year.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack
from scipy.sparse.csgraph import maximum_flow

from salesplan.errors import InfeasibleError, InputError

__all__ = ["allocate", "allocate_groups", "round_table", "round_hierarchy"]

# ---------------------------------------------------------------------------
# integer allocation
# ---------------------------------------------------------------------------
def allocate(
    total: float,
    weights: Sequence[float] | pd.Series,
    *,
    floors: Sequence[float] | None = None,
    caps: Sequence[float] | None = None,
    unit: float = 1,
) -> np.ndarray | pd.Series:
    """Split ``total`` into multiples of ``unit`` in proportion to ``weights``.

    The exact shares are first clipped to ``[floors, caps]`` with the excess
    (or shortfall) redistributed proportionally among the others
    (water-filling), then rounded by the largest-remainder method, so the
    parts sum exactly to ``total`` and each is within one ``unit`` of its
    (clipped) exact share.

    Parameters
    ----------
    total : float
        Amount to split; must be a multiple of ``unit``.
    weights : array-like or Series
        Non-negative weights (not all zero unless floors absorb the total).
    floors, caps : array-like, optional
        Minimum and maximum per part (rounded inward to multiples of
        ``unit``); ``numpy.inf`` caps nothing.
    unit : float
        Rounding unit (1,000 gives targets in whole thousands).

    Returns
    -------
    numpy.ndarray or pandas.Series
        Same shape (and index, for a Series) as ``weights``.

    Raises
    ------
    InputError
        Negative or non-finite weights, mismatched lengths, a total that is
        not a multiple of ``unit``.
    InfeasibleError
        Floors above the total or caps below it (says by how much).

    Examples
    --------
    >>> allocate(10, [1, 1, 1]).tolist()
    [4.0, 3.0, 3.0]
    """
    index = weights.index if isinstance(weights, pd.Series) else None
    w = np.asarray(weights, dtype=float)
    n = w.size
    problems = []
    if w.ndim != 1:
        problems.append(f"weights must be one-dimensional (got shape {w.shape})")
    if unit <= 0 or not np.isfinite(unit):
        problems.append(f"unit must be positive (got {unit})")
    if not np.isfinite(w).all() or (w < 0).any():
        problems.append("weights must be finite and non-negative")
    units = total / unit if unit > 0 else 0.0
    if not np.isfinite(total) or total < 0 or abs(units - round(units)) > 1e-6 * max(1.0, abs(units)):
        problems.append(f"total {total!r} must be a non-negative multiple of unit {unit!r}")
    lo = np.zeros(n) if floors is None else np.asarray(floors, dtype=float) / unit
    hi = np.full(n, np.inf) if caps is None else np.asarray(caps, dtype=float) / unit
    for name, arr in (("floors", lo), ("caps", hi)):
        if arr.shape != w.shape:
            problems.append(f"{name} has {arr.size} values but weights has {n}")
    if problems:
        raise InputError("allocate()", problems)
    lo = np.ceil(lo - 1e-9)
    hi = np.floor(hi + 1e-9)
    out = allocate_groups(np.array([round(units)], dtype=float), w, np.zeros(n, dtype=np.intp),
                           lo, hi, label=lambda g: "allocate()", unit=unit)
    out = out * unit
    return pd.Series(out, index=index, name=getattr(weights, "name", None)) if index is not None else out


def allocate_groups(
    totals: np.ndarray,
    w: np.ndarray,
    group: np.ndarray,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    *,
    label: Callable[[int], str],
    unit: float = 1.0,
) -> np.ndarray:
    """Vectorised largest-remainder allocation of integer ``totals[g]`` within groups.

    Parameters
    ----------
    totals : numpy.ndarray
        Whole number of units to share in each group.
    w : numpy.ndarray
        Non-negative weight of each item.
    group : numpy.ndarray of int
        Group of each item (``0 .. len(totals) - 1``).
    lo, hi : numpy.ndarray, optional
        Integral floor and cap of each item, in units (``inf`` allowed);
        the shares are water-filled between them before rounding.
    label : callable
        Group index -> text naming the group in errors.
    unit : float
        Size of a unit (for messages only: every quantity here is in units).

    Returns
    -------
    numpy.ndarray
        Whole units per item (as floats), adding up to each group's total.

    Raises
    ------
    InfeasibleError
        A group whose floors exceed, or whose caps fall short of, its total,
        or with a total to share but no weight.
    """
    n_g = len(totals)
    n = len(w)
    wsum = np.bincount(group, w, minlength=n_g)
    bounded = lo is not None and (np.any(lo > 0) or np.any(np.isfinite(hi)))
    if not bounded:
        bad = (wsum <= 0) & (totals > 0)
        if bad.any():
            g = int(np.flatnonzero(bad)[0])
            raise InfeasibleError(f"{label(g)}: a total of {totals[g] * unit:,.10g} to share but every "
                                  "weight is zero; give some weight or a floor")
        exact = totals[group] * w / np.where(wsum > 0, wsum, 1)[group]
    else:
        hi = np.where(w > 0, hi, lo)  # a part with no weight gets its floor, never the leftovers
        flo = np.bincount(group, lo, minlength=n_g)
        fhi = np.bincount(group, hi, minlength=n_g)
        if np.any(flo > totals + 1e-9):
            g = int(np.flatnonzero(flo > totals + 1e-9)[0])
            raise InfeasibleError(f"{label(g)}: floors add up to {flo[g] * unit:,.10g}, "
                                  f"{(flo[g] - totals[g]) * unit:,.10g} above the total of "
                                  f"{totals[g] * unit:,.10g}")
        if np.any(fhi < totals - 1e-9):
            g = int(np.flatnonzero(fhi < totals - 1e-9)[0])
            raise InfeasibleError(f"{label(g)}: caps add up to {fhi[g] * unit:,.10g}, "
                                  f"{(totals[g] - fhi[g]) * unit:,.10g} short of the total of "
                                  f"{totals[g] * unit:,.10g}")
        exact = _water_fill(totals, w, group, lo, hi, wsum)
    base = np.floor(exact + 1e-9)
    if lo is not None:
        base = np.clip(base, lo, hi)
    frac = np.where(exact - base > 1e-9, exact - base, 0.0)
    rem = np.rint(totals - np.bincount(group, base, minlength=n_g)).astype(np.int64)
    order = np.lexsort((np.arange(n), -frac, group))
    g_sorted = group[order]
    start = np.searchsorted(g_sorted, np.arange(n_g))
    rank = np.arange(n) - start[g_sorted]
    up = np.zeros(n, dtype=bool)
    up[order] = rank < rem[g_sorted]
    return base + up


def _water_fill(totals, w, group, lo, hi, wsum):
    """Exact shares ``clip(lam_g * w, lo, hi)`` summing to ``totals[g]`` (bisection on lam)."""
    n_g = len(totals)
    lam_lo = np.zeros(n_g)
    pos = w > 0
    need = np.maximum(totals[group], np.where(np.isfinite(hi), hi, 0))
    ratio = np.where(pos, need / np.where(pos, w, 1), 0)
    lam_hi = np.maximum(np.bincount(group, ratio, minlength=n_g), 1.0) * 2
    for _ in range(200):
        lam = 0.5 * (lam_lo + lam_hi)
        s = np.bincount(group, np.clip(lam[group] * w, lo, hi), minlength=n_g)
        over = s > totals
        lam_hi = np.where(over, lam, lam_hi)
        lam_lo = np.where(over, lam_lo, lam)
        if np.all(lam_hi - lam_lo <= 1e-13 * np.maximum(lam_hi, 1e-300)):
            break
    x = np.clip(lam_hi[group] * w, lo, hi)
    # remove the bisection residue proportionally on items strictly inside their bounds
    resid = totals - np.bincount(group, x, minlength=n_g)
    free = (x > lo + 1e-12) & (x < hi - 1e-12)
    fw = np.bincount(group, np.where(free, x, 0), minlength=n_g)
    x = x + np.where(free, x * (resid / np.where(fw > 0, fw, 1))[group], 0)
    # zero-weight groups that still owe something: fill from the floors up
    x = np.clip(x, lo, hi)
    short = totals - np.bincount(group, x, minlength=n_g)
    if np.any(np.abs(short) > 1e-6):
        room = np.where(np.isfinite(hi), hi, totals[group]) - x
        rs = np.bincount(group, room, minlength=n_g)
        x = x + room * (short / np.where(rs > 0, rs, 1))[group]
    return x


# ---------------------------------------------------------------------------
# controlled rounding of month x child tables
# ---------------------------------------------------------------------------
def _fit_margins(e0: np.ndarray, rows: np.ndarray, cols: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Scale ``e0`` (children x 12) so rows sum to ``rows`` and each parent's columns to ``cols``.

    Iterative proportional fitting (RAS), vectorised over all parents.
    Support is widened where the integer margins need it (a child rounded
    up from zero, a month whose children were all rounded to zero).
    """
    n, m = e0.shape
    n_p = cols.shape[0]
    e = e0.copy()
    # rows that must carry something but have no profile: take the parent's months
    empty = (rows > 0) & (e.sum(axis=1) <= 0)
    if empty.any():
        e[empty] = cols[parent[empty]]
    e[rows <= 0] = 0.0
    # months where a parent needs target but its children with rows > 0 have none
    colsum = _group_sum(e, parent, n_p)
    hole = (cols > 0) & (colsum <= 0)
    if hole.any():
        e += 1e-6 * hole[parent] * (rows > 0)[:, None] * rows[:, None]
    for _ in range(500):
        rs = e.sum(axis=1)
        e *= np.where(rs > 0, rows / np.where(rs > 0, rs, 1), 0)[:, None]
        cs = _group_sum(e, parent, n_p)
        e *= np.where(cs > 0, cols / np.where(cs > 0, cs, 1), 0)[parent]
        if np.abs(e.sum(axis=1) - rows).max(initial=0) < 1e-7:
            break
    else:
        worst = int(np.argmax(np.abs(e.sum(axis=1) - rows)))
        raise InfeasibleError(
            f"month targets cannot be shared: child {worst} needs {rows[worst]:g} units but its "
            "active months cannot take them; check start and end dates")
    return e


def _support(e0: np.ndarray, rows: np.ndarray, cols: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Cells (child, month) that may carry target: the child's own active months, every month of
    its parent for a child without a profile, and a parent's month none of its children covers."""
    n_p = cols.shape[0]
    sup = e0 > 0
    sup[sup.sum(axis=1) == 0] = True
    covered = _group_sum(sup.astype(float), parent, n_p) > 0
    sup |= ~covered[parent]
    return sup & (cols[parent] > 0)


def _repair_rows(e0, rows, cols, parent, lo, hi, label) -> tuple[np.ndarray, np.ndarray]:
    """Closest integer child totals (fewest units moved) that the parents' months can hold.

    A transportation problem per parent: cells on each child's active months,
    column sums fixed to the parent's integer months, row sums free within the
    child's floor/cap at an L1 cost from ``rows``.  The constraint matrix is a
    network matrix, so the simplex vertex HiGHS returns is integral.  Returns
    the new rows and a table with those margins (fitted proportionally where
    possible, the integral vertex otherwise).
    """
    n, m = e0.shape
    n_p = cols.shape[0]
    ri, mi = np.nonzero(_support(e0, rows, cols, parent))
    k = len(ri)
    # variables: x cells (k), up (n), down (n)
    eq_cells = coo_matrix((np.ones(k), (ri, np.arange(k))), shape=(n, k))
    eye = coo_matrix((np.ones(n), (np.arange(n), np.arange(n))), shape=(n, n))
    a_rows = hstack([eq_cells, -eye, eye])
    a_cols = hstack([coo_matrix((np.ones(k), (parent[ri] * m + mi, np.arange(k))), shape=(n_p * m, k)),
                      coo_matrix((n_p * m, 2 * n))])
    a_eq = vstack([a_rows, a_cols])
    b_eq = np.concatenate([rows, cols.ravel()])
    hi_f = np.where(np.isfinite(hi), hi, 1e12)
    bounds = np.concatenate([
        np.column_stack([np.zeros(k), np.full(k, np.inf)]),
        np.column_stack([np.zeros(n), np.maximum(hi_f - rows, 0)]),
        np.column_stack([np.zeros(n), np.maximum(rows - lo, 0)]),
    ])
    c = np.concatenate([np.zeros(k), np.ones(2 * n)])
    res = linprog(c, A_eq=a_eq.tocsr(), b_eq=b_eq, bounds=bounds, method="highs-ds")
    if res.status != 0:
        short = cols.sum(axis=1) - np.bincount(parent, rows, minlength=n_p)
        g = int(np.argmax(np.abs(short)))
        raise InfeasibleError(f"{label(g)}: the month targets cannot be shared among its members "
                              "within their active months, floors and caps; check start and end dates")
    x = np.rint(res.x)
    new_rows = rows + x[k:k + n] - x[k + n:]
    try:
        return new_rows, _fit_margins(e0, new_rows, cols, parent)
    except InfeasibleError:
        pass
    # the margins are only met on the boundary (some active cells must be empty), where
    # proportional fitting crawls: take the table closest to the child profiles in L1
    rs = e0.sum(axis=1)
    ref = e0[ri, mi] * np.where(rs > 0, new_rows / np.where(rs > 0, rs, 1), 0)[ri]
    eye_k = coo_matrix((np.ones(k), (np.arange(k), np.arange(k))), shape=(k, k))
    a2 = vstack([hstack([eq_cells, coo_matrix((n, 2 * k))]),
                 hstack([a_cols.tocsr()[:, :k], coo_matrix((n_p * m, 2 * k))]),
                 hstack([eye_k, -eye_k, eye_k])])
    b2 = np.concatenate([new_rows, cols.ravel(), ref])
    c2 = np.concatenate([np.zeros(k), np.ones(2 * k)])
    res2 = linprog(c2, A_eq=a2.tocsr(), b_eq=b2, bounds=(0, None), method="highs")
    table = np.zeros((n, m))
    table[ri, mi] = res2.x[:k] if res2.status == 0 else x[:k]
    return new_rows, table


def _group_sum(x: np.ndarray, group: np.ndarray, n_g: int) -> np.ndarray:
    out = np.zeros((n_g, x.shape[1]))
    np.add.at(out, group, x)
    return out


def round_table(e: np.ndarray, rows: np.ndarray, cols: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Integer table within one unit of ``e`` with exact row and per-parent column sums.

    ``e`` already has (to 1e-7) row sums ``rows`` and per-parent column sums
    ``cols``.  Cells are rounded down, then each month the parent's missing
    units go to the children owed most so far (cumulative exact minus
    cumulative given), children who could otherwise not reach their annual
    figure first; this keeps each child's running total close to its exact
    running total.  Any parent where that greedy pass gets stuck is solved
    exactly as a maximum flow (source -> child -> month -> sink), which always
    has a solution for such a table.

    Parameters
    ----------
    e : numpy.ndarray, shape (children, m)
        Fractional table, in units.
    rows : numpy.ndarray
        Whole-unit total of each child.
    cols : numpy.ndarray, shape (parents, m)
        Whole-unit month totals of each parent.
    parent : numpy.ndarray of int
        Parent of each child.

    Returns
    -------
    numpy.ndarray, shape (children, m)
        Whole units with the given row and per-parent column sums.
    """
    n, m = e.shape
    n_p = cols.shape[0]
    base = np.floor(e + 1e-7)
    frac = e - base
    cand = frac > 1e-7
    need_r = np.rint(rows - base.sum(axis=1)).astype(np.int64)
    need_c = np.rint(cols - _group_sum(base, parent, n_p)).astype(np.int64)
    if need_r.sum() == 0 and not need_c.any():
        return base
    if (need_r < 0).any() or (need_c < 0).any() or need_r.sum() != need_c.sum():
        raise InfeasibleError("month targets cannot be rounded coherently (margins disagree)")
    extra = np.zeros((n, m), dtype=bool)
    left = need_r.copy()
    failed = np.zeros(n_p, dtype=bool)
    opp_after = np.cumsum(cand[:, ::-1], axis=1)[:, ::-1] - cand  # candidate months after j
    cum = np.cumsum(frac, axis=1)
    given = np.zeros(n)
    idx = np.arange(n)
    for j in range(m):
        elig = cand[:, j] & (left > 0)
        forced = elig & (left > opp_after[:, j])
        owed = cum[:, j] - given
        sel = np.flatnonzero(elig)
        order = sel[np.lexsort((idx[sel], -owed[sel], ~forced[sel], parent[sel]))]
        g = parent[order]
        start = np.searchsorted(g, np.arange(n_p))
        rank = np.arange(len(order)) - start[g]
        take = order[rank < need_c[g, j]]
        extra[take, j] = True
        left[take] -= 1
        given[take] += 1
        got = np.bincount(parent[take], minlength=n_p)
        n_forced = np.bincount(parent[forced], minlength=n_p)
        failed |= (got < need_c[:, j]) | (n_forced > need_c[:, j])
    failed |= np.bincount(parent, left != 0, minlength=n_p) > 0
    out = base + extra
    if failed.any():
        sub = np.flatnonzero(failed[parent])
        remap = np.full(n_p, -1)
        remap[failed] = np.arange(failed.sum())
        out[sub] = base[sub] + _flow_extras(cand[sub], need_r[sub], need_c[failed], remap[parent[sub]])
    return out


def _flow_extras(cand: np.ndarray, need_r: np.ndarray, need_c: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Exact 0/1 extras on candidate cells meeting row and parent-month needs (max flow)."""
    n, m = cand.shape
    n_p = need_c.shape[0]
    ri, mi = np.nonzero(cand)
    src, sink = 0, 1 + n + n_p * m
    col_node = 1 + n + parent[ri] * m + mi
    rows_with = np.flatnonzero(need_r > 0)
    pm = np.flatnonzero(need_c.ravel() > 0)
    u = np.concatenate([np.full(len(rows_with), src), 1 + ri, 1 + n + pm])
    v = np.concatenate([1 + rows_with, col_node, np.full(len(pm), sink)])
    cap = np.concatenate([need_r[rows_with], np.ones(len(ri), np.int64), need_c.ravel()[pm]])
    graph = csr_matrix((cap.astype(np.int32), (u, v)), shape=(sink + 1, sink + 1))
    res = maximum_flow(graph, src, sink, method="dinic")
    if res.flow_value != need_r.sum():
        raise InfeasibleError("month targets cannot be rounded coherently "
                              f"({need_r.sum() - res.flow_value} units unplaced)")
    f = np.asarray(res.flow.tocsr()[1 + ri, col_node]).ravel()
    out = np.zeros((n, m))
    out[ri, mi] = f > 0
    return out


def round_hierarchy(e0: np.ndarray, leaf_exact: np.ndarray, total: float, levels: Sequence[np.ndarray],
                    lo: np.ndarray, hi: np.ndarray, *, name: str, unit: float) -> np.ndarray:
    """Round a leaf x month table top-down along a hierarchy, coherent at every level.

    The company's months are rounded first (largest remainder).  Then, level
    by level, each node's annual figure is rounded within its parent
    (:func:`allocate_groups`, floors and caps honoured), the node x month
    table is fitted to the rounded margins (iterative proportional fitting,
    or the fewest units moved between children when part-year children
    cannot hold their rounded years) and rounded with exact margins
    (:func:`round_table`).

    Parameters
    ----------
    e0 : numpy.ndarray, shape (leaves, m)
        Exact leaf x month figures, in units.
    leaf_exact : numpy.ndarray
        Exact annual figure of each leaf (units): the weights of the split.
    total : float
        Company total, a whole number of units.
    levels : sequence of numpy.ndarray
        Per level (top first), each leaf's key; the last level must give
        every leaf its own key.
    lo, hi : numpy.ndarray
        Integral floors and caps per leaf (units; ``inf`` caps nothing).
    name : str
        Prefix of error messages (e.g. the metric).
    unit : float
        Size of a unit (for messages).

    Returns
    -------
    numpy.ndarray, shape (leaves, m)
        Whole units; every level's node x month table adds up to its parent's
        months and years and to the company total.
    """
    n, m = e0.shape
    hi = np.where(leaf_exact > 0, hi, lo)  # leaves without weight never take leftovers
    company_months = allocate_groups(np.array([total]), e0.sum(axis=0), np.zeros(m, np.intp),
                                     label=lambda g: f"{name}: company months")
    prev_id = np.zeros(n, dtype=np.intp)
    prev_rows = np.array([total])
    prev_cols = company_months[None, :]
    keys: list[np.ndarray] = []
    for level in levels:
        keys.append(level)
        node_frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        node_id = node_frame.groupby(list(node_frame.columns), sort=True).ngroup().to_numpy()
        n_nodes = int(node_id.max()) + 1
        parent = np.zeros(n_nodes, dtype=np.intp)
        parent[node_id] = prev_id
        wts = np.bincount(node_id, leaf_exact, minlength=n_nodes)
        nlo = np.bincount(node_id, lo, minlength=n_nodes)
        nhi = np.bincount(node_id, np.where(np.isfinite(hi), hi, 0), minlength=n_nodes)
        nhi = np.where(np.bincount(node_id, ~np.isfinite(hi), minlength=n_nodes) > 0, np.inf, nhi)

        def label(g, _prev=prev_id, _keys=list(keys[:-1])):
            if not _keys:
                return f"{name}: company"
            leaf = int(np.flatnonzero(_prev == g)[0])
            return f"{name}: " + " / ".join(str(k[leaf]) for k in _keys)

        rows = allocate_groups(prev_rows, wts, parent, nlo, nhi, label=label, unit=unit)
        e_node = _group_sum(e0, node_id, n_nodes)
        try:
            fitted = _fit_margins(e_node, rows, prev_cols, parent)
        except InfeasibleError:
            # the rounded months of the parent cannot hold the rounded years of children
            # that are active only part of the year: move the fewest units between children
            rows, fitted = _repair_rows(e_node, rows, prev_cols, parent, nlo, nhi, label)
        table = round_table(fitted, rows, prev_cols, parent)
        prev_id, prev_rows, prev_cols = node_id, rows, table
    return prev_cols[prev_id]
