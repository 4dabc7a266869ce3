"""Target decomposition: annual target -> months -> product lines, regions, teams, reps.

The annual target of each metric is split top-down along the hierarchy in
``assumptions.targets.hierarchy`` (default ``product_line -> region -> team ->
rep_id``).  At every level the children's annual targets are rounded with
:func:`allocate` (largest remainder, floors and caps honoured by
redistribution) and the parent's month targets are shared among the children
by *controlled rounding* of a fitted month x child table, so that

* every figure is an integer multiple of the metric's unit,
* every row and every column of every month x entity table adds up exactly to
  its parent (company -> product line -> region -> team -> rep), and
* every figure is within one unit of its fitted exact share.

Seasonality comes from history (:func:`seasonality`), and each rep's months
are further shaped by when they are on the payroll, so that a rep joining in
June, or an open requisition, has no target before the start month.
"""

from __future__ import annotations

import calendar
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack
from scipy.sparse.csgraph import maximum_flow

from salesplan.assumptions import METRICS, SALES_ROLES, SEASONALITY_METHODS, SPLIT_METHODS, Assumptions
from salesplan.errors import InfeasibleError, InputError

__all__ = [
    "seasonality",
    "allocate",
    "availability",
    "leaf_weights",
    "run_rate",
    "decompose",
    "commitment_gap",
    "pivot",
    "check_coherence",
    "rounding_deviation",
    "TARGET_COLUMNS",
]

#: Columns of the long target table returned by :func:`decompose`.
TARGET_COLUMNS = ["region", "team", "product_line", "rep_id", "name", "role", "month", "metric",
                  "target", "exact"]
_EPS = 1e-9


# ---------------------------------------------------------------------------
# seasonality
# ---------------------------------------------------------------------------
def seasonality(
    history: pd.DataFrame,
    method: str = "average_of_proportions",
    *,
    metric: str = "revenue",
    year: int | None = None,
    override: Sequence[float] | None = None,
    holidays: Sequence[str] | None = None,
) -> pd.Series:
    """Twelve monthly weights that sum to 1.

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history with columns ``month`` (Period[M]) and ``metric``.
    method : {"average_of_proportions", "proportion_of_averages", "flat", "working_days"}
        * ``average_of_proportions`` -- each full calendar year's monthly
          shares, averaged over the years (every year counts the same).
        * ``proportion_of_averages`` -- each calendar month's average over the
          years, normalised (big years count more).
        * ``flat`` -- 1/12 each.
        * ``working_days`` -- Monday-to-Friday days of ``year`` less
          ``holidays``.
    metric : str
        History column to measure (``revenue``).
    year : int, optional
        Plan year (needed by ``working_days``).
    override : sequence of 12 float, optional
        The manager's own weights (normalised); ``method`` is then ignored.
    holidays : sequence of "YYYY-MM-DD", optional
        Public holidays removed from the working days.

    Returns
    -------
    pandas.Series
        Index 1..12 (month number), name ``"weight"``; sums to 1.

    Raises
    ------
    InputError
        Unknown method, an override that is not 12 non-negative numbers, or
        history without a full calendar year.
    """
    if override is not None:
        w = np.asarray(override, dtype=float)
        if w.shape != (12,) or (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise InputError("seasonality(override=...)",
                             [f"must be 12 non-negative numbers, not all zero (got {list(override)})"])
        return _weights(w / w.sum())
    if method not in SEASONALITY_METHODS:
        raise InputError("seasonality(method=...)",
                         [f"{method!r} is not one of {', '.join(SEASONALITY_METHODS)}"])
    if method == "flat":
        return _weights(np.full(12, 1 / 12))
    if method == "working_days":
        if year is None:
            raise InputError("seasonality(year=...)", ["the plan year is needed for working_days"])
        starts = np.array([f"{year}-{m:02d}-01" for m in range(1, 13)] + [f"{year + 1}-01-01"],
                          dtype="datetime64[D]")
        days = np.busday_count(starts[:-1], starts[1:], holidays=list(holidays or []))
        return _weights(days / days.sum())
    if metric not in history.columns:
        raise InputError("seasonality(metric=...)", [f"history has no column {metric!r}"])
    by_month = history.groupby("month", observed=True)[metric].sum()
    table = pd.DataFrame({"year": by_month.index.year, "m": by_month.index.month,
                          "v": by_month.to_numpy(dtype=float)})
    full = table.groupby("year")["m"].nunique()
    years = full.index[full == 12]
    if len(years) == 0:
        raise InputError("history.csv", ["no full calendar year (Jan..Dec) to measure seasonality; "
                                         "give at least 12 months from January, or use method 'flat'"])
    grid = table[table["year"].isin(years)].pivot(index="year", columns="m", values="v").to_numpy()
    if method == "average_of_proportions":
        tot = grid.sum(axis=1, keepdims=True)
        w = (grid / np.where(tot > 0, tot, 1)).mean(axis=0)
    else:
        w = grid.mean(axis=0)
    if w.sum() <= 0:
        return _weights(np.full(12, 1 / 12))
    return _weights(w / w.sum())


def _weights(w: np.ndarray) -> pd.Series:
    return pd.Series(w, index=pd.RangeIndex(1, 13, name="month"), name="weight")


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
    out = _allocate_groups(np.array([round(units)], dtype=float), w, np.zeros(n, dtype=np.intp),
                           lo, hi, label=lambda g: "allocate()", unit=unit)
    out = out * unit
    return pd.Series(out, index=index, name=getattr(weights, "name", None)) if index is not None else out


def _allocate_groups(
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

    All quantities are in units (integers as floats).  ``lo``/``hi`` are
    integral bounds per item (``inf`` allowed).
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


def _round_table(e: np.ndarray, rows: np.ndarray, cols: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Integer table within one unit of ``e`` with exact row and per-parent column sums.

    ``e`` already has (to 1e-7) row sums ``rows`` and per-parent column sums
    ``cols``.  Cells are rounded down, then each month the parent's missing
    units go to the children owed most so far (cumulative exact minus
    cumulative given), children who could otherwise not reach their annual
    figure first; this keeps each child's running total close to its exact
    running total.  Any parent where that greedy pass gets stuck is solved
    exactly as a maximum flow (source -> child -> month -> sink), which always
    has a solution for such a table.
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


# ---------------------------------------------------------------------------
# leaf weights
# ---------------------------------------------------------------------------
def availability(reps: pd.DataFrame, year: int, *, ramp_curve: Sequence[float] | None = None) -> pd.DataFrame:
    """Share of each month a rep is on the payroll (x FTE, x ramp-up when given).

    Parameters
    ----------
    reps : pandas.DataFrame
        Columns ``rep_id, status, hire_date, end_date, fte``.  For an open
        requisition ``hire_date`` is the planned start; a ``left`` rep is
        never available.
    year : int
        Plan year.
    ramp_curve : sequence of float, optional
        Productivity by tenure month (month 1 first), held at its last value.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id``, columns 1..12, values in [0, 1].
    """
    first = pd.Timestamp(year=year, month=1, day=1)
    month_start = pd.date_range(first, periods=12, freq="MS").to_numpy()
    month_end = month_start + np.array([calendar.monthrange(year, m)[1] for m in range(1, 13)],
                                       dtype="timedelta64[D]")
    hire = reps["hire_date"].to_numpy(dtype="datetime64[ns]")
    end = reps["end_date"].to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(end), np.datetime64("2200-01-01"), end) + np.timedelta64(1, "D")
    a = np.maximum(hire[:, None], month_start[None, :])
    b = np.minimum(end[:, None], month_end[None, :])
    days = (b - a) / np.timedelta64(1, "D")
    span = (month_end - month_start) / np.timedelta64(1, "D")
    share = np.clip(days / span[None, :], 0, 1)
    share[(reps["status"] == "left").to_numpy()] = 0.0
    if ramp_curve is not None:
        rc = np.asarray(ramp_curve, dtype=float)
        hire_m = pd.DatetimeIndex(hire).year * 12 + pd.DatetimeIndex(hire).month
        tenure = (year * 12 + np.arange(1, 13))[None, :] - np.asarray(hire_m)[:, None]  # 0 = start month
        share = share * rc[np.clip(tenure, 0, len(rc) - 1)]
    share = share * reps["fte"].to_numpy(dtype=float)[:, None]
    return pd.DataFrame(share, index=pd.Index(reps["rep_id"].astype(str), name="rep_id"),
                        columns=pd.RangeIndex(1, 13, name="month"))


def leaf_weights(
    reps: pd.DataFrame,
    history: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    year: int,
    metric: str = "revenue",
    method: str = "capacity",
    blend: dict[str, float] | None = None,
    ramp_curve: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Relative share of each rep x product line in that product line's target.

    Parameters
    ----------
    reps, history, accounts : pandas.DataFrame
        Target-carrying reps (active and open), monthly history, accounts.
    year : int
        Plan year; last year is ``year - 1``.
    metric : str
        History column the weights are measured on.
    method : {"history", "potential", "blended", "equal", "capacity"}
        * ``history`` -- the rep's own last-year result in the product line;
        * ``potential`` -- annual potential of the accounts the rep holds
          (split over product lines by the rep's mix);
        * ``equal`` -- one share per rep (by mix);
        * ``blended`` -- ``blend`` mix of the three above, each normalised;
        * ``capacity`` -- the rep's fully ramped monthly run-rate x the
          months they are available in the plan year (ramp-up of new hires
          and FTE included).  Reps without a usable history take the median
          run-rate of their role.  A June joiner or an open requisition gets
          a prorated share, a leaver none.
    blend : dict, optional
        Weights of ``history``, ``potential`` and ``equal`` for ``blended``.
    ramp_curve : sequence of float, optional
        Ramp-up curve used by ``capacity``.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id`` (order of ``reps``), one column per product line;
        every column sums to 1 (or is all zero when nobody can carry it).
    """
    if method not in SPLIT_METHODS:
        raise InputError("split_method", [f"{method!r} is not one of {', '.join(SPLIT_METHODS)}"])
    ids = reps["rep_id"].astype(str).to_numpy()
    lines = sorted(history["product_line"].astype(str).unique())
    ly = _last_year(history, year)
    ly_tab = (ly.groupby(["rep_id", "product_line"], observed=True)[metric].sum()
              .unstack(fill_value=0.0).reindex(index=ids, columns=lines, fill_value=0.0))
    ly_tab = ly_tab.astype(float)
    comp_mix = ly_tab.sum(axis=0)
    comp_mix = comp_mix / comp_mix.sum() if comp_mix.sum() > 0 else comp_mix + 1 / len(lines)
    own = ly_tab.sum(axis=1)
    mix = ly_tab.div(own.where(own > 0, 1), axis=0)
    mix[own <= 0] = comp_mix.to_numpy()

    def norm(t: pd.DataFrame) -> pd.DataFrame:
        s = t.sum(axis=0)
        return t.div(s.where(s > 0, 1), axis=1)

    def hist_w() -> pd.DataFrame:
        return norm(ly_tab)

    def pot_w() -> pd.DataFrame:
        held = accounts.groupby("current_rep_id", observed=True)["annual_potential"].sum()
        pot = pd.Series(ids, index=ids).map(held).fillna(0.0).astype(float)
        return norm(mix.mul(pot.to_numpy(), axis=0))

    def eq_w() -> pd.DataFrame:
        return norm(mix.copy())

    if method == "history":
        w = hist_w()
    elif method == "potential":
        w = pot_w()
    elif method == "equal":
        w = eq_w()
    elif method == "blended":
        b = {"history": 0.6, "potential": 0.3, "equal": 0.1, **(blend or {})}
        tot = sum(b.values())
        w = norm(hist_w() * (b["history"] / tot) + pot_w() * (b["potential"] / tot)
                 + eq_w() * (b["equal"] / tot))
    else:
        w = norm(mix.mul(run_rate(reps, history, year, metric, ramp_curve), axis=0)
                 .mul(availability(reps, year, ramp_curve=ramp_curve).sum(axis=1).to_numpy(), axis=0))
    return w


def run_rate(reps: pd.DataFrame, history: pd.DataFrame, year: int, metric: str = "revenue",
             ramp_curve: Sequence[float] | None = None) -> np.ndarray:
    """Fully ramped monthly result of one full-time head, per rep.

    Last year's monthly average of ``metric``, divided by the rep's FTE and by
    their average ramp-up factor over the months they worked.  Reps with
    fewer than 3 months of history take the median of their role (or of
    everyone when nobody of the role has a history).

    Returns
    -------
    numpy.ndarray
        One value per row of ``reps`` (currency or count a month).
    """
    ly = _last_year(history, year)
    per_rep = ly.groupby(["rep_id", "month"], observed=True)[metric].sum().groupby(level=0).agg(["sum", "count"])
    ids = reps["rep_id"].astype(str)
    got = per_rep.reindex(ids)
    last = reps.assign(year=year - 1)
    ramp = availability(last.assign(status="active", end_date=pd.NaT), year - 1, ramp_curve=ramp_curve)
    plain = availability(last.assign(status="active", end_date=pd.NaT), year - 1)
    factor = (ramp.sum(axis=1) / plain.sum(axis=1).where(plain.sum(axis=1) > 0, 1)).to_numpy()
    fte = reps["fte"].to_numpy(dtype=float)
    rate = got["sum"].to_numpy(dtype=float) / np.maximum(got["count"].to_numpy(dtype=float), 1)
    rate = rate / np.where(factor > 0, factor, 1) / fte  # per full-time, fully ramped head
    usable = np.nan_to_num(got["count"].to_numpy(dtype=float)) >= 3
    rate = np.where(usable, rate, np.nan)
    roles = reps["role"].astype(str).to_numpy()
    med_all = np.nanmedian(rate) if np.isfinite(rate).any() else 1.0
    out = rate.copy()
    for r in np.unique(roles):
        sel = roles == r
        med = np.nanmedian(rate[sel]) if np.isfinite(rate[sel]).any() else med_all
        out[sel & ~usable] = med
    return np.nan_to_num(out, nan=med_all)


# ---------------------------------------------------------------------------
# decomposition
# ---------------------------------------------------------------------------
def _last_year(history: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of calendar year ``year - 1`` (by the month's ordinal: fast)."""
    ordinal = history["month"].array.asi8
    lo = (year - 1 - 1970) * 12
    return history[(ordinal >= lo) & (ordinal < lo + 12)]


def _target_reps(reps: pd.DataFrame) -> pd.DataFrame:
    r = reps[reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "open"])]
    return r.reset_index(drop=True)


def _annual_totals(history, lines, year, metric, a: Assumptions, revenue_totals=None) -> pd.Series:
    """Exact annual target per product line (currency or count)."""
    t = a.targets
    ly = _last_year(history, year)
    by_line = ly.groupby("product_line", observed=True)[metric].sum().reindex(lines, fill_value=0.0)
    if metric == "revenue":
        growth = pd.Series({pl: t.product_line_growth.get(pl, t.growth) for pl in lines})
        out = by_line * (1 + growth)
        if t.total is not None:
            out = out * (t.total / out.sum()) if out.sum() > 0 else pd.Series(t.total / len(lines), lines)
        return out.astype(float)
    if metric == "collections":
        if t.collections_ratio is not None:
            return revenue_totals * t.collections_ratio
        rev = ly.groupby("product_line", observed=True)["revenue"].sum().reindex(lines, fill_value=0.0)
        ratio = by_line.sum() / rev.sum() if rev.sum() > 0 else 1.0
        return revenue_totals * ratio
    return (by_line * (1 + t.new_customers_growth)).astype(float)


def decompose(
    inputs,
    assumptions: Assumptions | None = None,
    *,
    metrics: Sequence[str] = METRICS,
) -> pd.DataFrame:
    """Annual targets split to rep x product line x month, coherently rounded.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs (:func:`salesplan.load_inputs`).
    assumptions : Assumptions, optional
        Overrides ``inputs.assumptions``.
    metrics : sequence of str
        Any of ``revenue``, ``collections``, ``new_customers``.

    Returns
    -------
    pandas.DataFrame
        Long table with columns :data:`TARGET_COLUMNS`: one row per
        rep x product line x month x metric.  ``target`` is an integer
        multiple of the metric's unit; ``exact`` is the unrounded share.
        Rows sum exactly, per month and per year, to every level of the
        hierarchy and to the company total.

    Raises
    ------
    InputError
        History that does not cover the year before the plan year, unknown
        metrics, nobody to carry a target.
    InfeasibleError
        Growth floors/caps that cannot all hold.
    """
    a = assumptions or inputs.assumptions
    t = a.targets
    year = a.plan_year
    history = inputs.history
    bad = [m for m in metrics if m not in METRICS]
    if bad:
        raise InputError("decompose(metrics=...)", [f"unknown metric(s) {bad}; valid: {', '.join(METRICS)}"])
    last = history["month"].max()
    months_ly = _last_year(history, year)["month"].nunique()
    if months_ly < 12:
        raise InputError("history.csv", [
            f"last year ({year - 1}) has {months_ly} of 12 months (history ends {last}); the plan "
            f"year {year} (assumptions plan_year) needs a full year of history before it"])
    reps = _target_reps(inputs.reps)
    if reps.empty:
        raise InputError("reps.csv", ["no active or open rep with a sales role "
                                      f"({', '.join(SALES_ROLES)}) to carry a target"])
    lines = sorted(history["product_line"].astype(str).unique())
    season = seasonality(history, t.seasonality, year=year, override=t.seasonality_override).to_numpy()
    avail = availability(reps, year).to_numpy()
    frames = []
    rev_totals = None
    for metric in metrics:
        totals = _annual_totals(history, lines, year, metric, a, rev_totals)
        if metric == "revenue":
            rev_totals = totals
        if metric == "collections" and rev_totals is None:
            rev_totals = _annual_totals(history, lines, year, "revenue", a)
            totals = _annual_totals(history, lines, year, metric, a, rev_totals)
        hist_metric = "revenue" if metric == "collections" and t.collections_ratio is not None else metric
        w = leaf_weights(reps, history, inputs.accounts, year=year, metric=hist_metric,
                         method=t.split_method, blend=t.blend, ramp_curve=a.staffing.ramp_curve)
        frames.append(_decompose_metric(reps, w, totals, season, avail, history, year, metric, a))
    out = pd.concat(frames, ignore_index=True)
    for c in ("region", "team", "product_line", "rep_id", "name", "role", "metric"):
        out[c] = out[c].astype(str)
    return out


def _growth_bounds(reps, history, lines, year, metric, a, unit):
    """Floors and caps (units) per leaf from rep_min_growth / rep_max_growth."""
    t = a.targets
    n = len(reps) * len(lines)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    if metric != "revenue" or (t.rep_min_growth is None and t.rep_max_growth is None):
        return lo, hi
    ly = _last_year(history, year)
    full = ly.groupby("rep_id", observed=True)["month"].nunique() == 12
    tab = (ly.groupby(["rep_id", "product_line"], observed=True)["revenue"].sum().unstack(fill_value=0.0)
           .reindex(index=reps["rep_id"].astype(str), columns=lines, fill_value=0.0))
    ok = reps["rep_id"].astype(str).map(full).fillna(False).to_numpy(dtype=bool)
    base = tab.to_numpy(dtype=float).ravel() / unit
    okl = np.repeat(ok, len(lines))
    if t.rep_min_growth is not None:
        lo = np.where(okl, np.ceil(base * (1 + t.rep_min_growth) - 1e-9), 0.0)
    if t.rep_max_growth is not None:
        hi = np.where(okl, np.floor(base * (1 + t.rep_max_growth) + 1e-9), np.inf)
    return lo, hi


def _decompose_metric(reps, w, totals, season, avail, history, year, metric, a) -> pd.DataFrame:
    t = a.targets
    unit = float(t.unit.get(metric, 1.0))
    lines = list(w.columns)
    n_r, n_l = len(reps), len(lines)
    # leaves: rep-major, product line minor
    leaf_exact = (w.to_numpy() * (totals.reindex(lines).to_numpy() / unit)[None, :]).ravel()
    prof = season[None, :] * avail  # rep x 12
    ps = prof.sum(axis=1, keepdims=True)
    prof = np.where(ps > 0, prof / np.where(ps > 0, ps, 1), season[None, :])
    e0 = leaf_exact[:, None] * np.repeat(prof, n_l, axis=0)  # leaf x 12, units
    lo, hi = _growth_bounds(reps, history, lines, year, metric, a, unit)
    cols = {
        "rep_id": np.repeat(reps["rep_id"].astype(str).to_numpy(), n_l),
        "region": np.repeat(reps["region"].astype(str).to_numpy(), n_l),
        "team": np.repeat(reps["team"].astype(str).to_numpy(), n_l),
        "product_line": np.tile(np.asarray(lines, dtype=object), n_r),
    }
    total_units = float(np.floor(leaf_exact.sum() + 0.5))
    x = _nested_round(e0, leaf_exact, total_units, cols, list(t.hierarchy), lo, hi, metric, unit)
    n_leaf = len(leaf_exact)
    # exact share of each cell: the same top-down split without rounding
    frame = pd.DataFrame({
        "region": np.repeat(cols["region"], 12),
        "team": np.repeat(cols["team"], 12),
        "product_line": np.repeat(cols["product_line"], 12),
        "rep_id": np.repeat(cols["rep_id"], 12),
        "name": np.repeat(np.repeat(reps["name"].astype(str).to_numpy(), n_l), 12),
        "role": np.repeat(np.repeat(reps["role"].astype(str).to_numpy(), n_l), 12),
        "month": pd.arrays.PeriodArray(
            np.tile(pd.period_range(f"{year}-01", periods=12, freq="M").asi8, n_leaf), dtype="period[M]"),
        "metric": metric,
        "target": (x.ravel() * unit),
        "exact": np.round(e0.ravel() * unit, 4),  # 4 decimals: survives a spreadsheet round trip
    })
    return frame


def _nested_round(e0, leaf_exact, total, cols, hierarchy, lo, hi, metric, unit) -> np.ndarray:
    """Top-down rounding along ``hierarchy``; returns leaf x 12 integer units."""
    n = len(leaf_exact)
    hi = np.where(leaf_exact > 0, hi, lo)  # leaves without weight never take leftovers
    company_months = _allocate_groups(np.array([total]), e0.sum(axis=0), np.zeros(12, np.intp),
                                      label=lambda g: f"{metric}: company months")
    prev_id = np.zeros(n, dtype=np.intp)
    prev_rows = np.array([total])
    prev_cols = company_months[None, :]
    keys: list[np.ndarray] = []
    for level in hierarchy:
        keys.append(cols[level])
        node_frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        node_id = node_frame.groupby(list(node_frame.columns), sort=True).ngroup().to_numpy()
        n_nodes = int(node_id.max()) + 1
        parent = np.zeros(n_nodes, dtype=np.intp)
        parent[node_id] = prev_id
        wts = np.bincount(node_id, leaf_exact, minlength=n_nodes)
        nlo = np.bincount(node_id, lo, minlength=n_nodes)
        nhi = np.bincount(node_id, np.where(np.isfinite(hi), hi, 0), minlength=n_nodes)
        nhi = np.where(np.bincount(node_id, ~np.isfinite(hi), minlength=n_nodes) > 0, np.inf, nhi)
        first_leaf = np.zeros(n_nodes, dtype=np.intp)
        first_leaf[node_id[::-1]] = np.arange(n)[::-1]

        def label(g, _prev=prev_id, _keys=list(keys[:-1])):
            if not _keys:
                return f"{metric}: company"
            leaf = int(np.flatnonzero(_prev == g)[0])
            return f"{metric}: " + " / ".join(str(k[leaf]) for k in _keys)

        rows = _allocate_groups(prev_rows, wts, parent, nlo, nhi, label=label, unit=unit)
        e_node = _group_sum(e0, node_id, n_nodes)
        try:
            fitted = _fit_margins(e_node, rows, prev_cols, parent)
        except InfeasibleError:
            # the rounded months of the parent cannot hold the rounded years of children
            # that are active only part of the year: move the fewest units between children
            rows, fitted = _repair_rows(e_node, rows, prev_cols, parent, nlo, nhi, label)
        table = _round_table(fitted, rows, prev_cols, parent)
        prev_id, prev_rows, prev_cols = node_id, rows, table
    # the last level is rep_id, one node per leaf
    out = np.zeros((n, 12))
    out[np.arange(n)] = prev_cols[prev_id]
    return out


# ---------------------------------------------------------------------------
# reporting
# ---------------------------------------------------------------------------
def pivot(targets: pd.DataFrame, by: str | Sequence[str], *, metric: str = "revenue",
          totals: bool = True) -> pd.DataFrame:
    """Month x entity view: one row per ``by`` value, one column per month, plus Year.

    Parameters
    ----------
    targets : pandas.DataFrame
        Output of :func:`decompose`.
    by : str or list of str
        ``region``, ``team``, ``product_line``, ``rep_id`` (or several).
    metric : str
        Which metric.
    totals : bool
        Append a ``Total`` row.

    Returns
    -------
    pandas.DataFrame
        Columns ``Jan`` .. ``Dec`` and ``Year``.
    """
    by = [by] if isinstance(by, str) else list(by)
    t = targets[targets["metric"] == metric]
    tab = t.pivot_table(index=by, columns=t["month"].dt.month, values="target", aggfunc="sum",
                        fill_value=0, observed=True)
    tab = tab.reindex(columns=range(1, 13), fill_value=0)
    tab.columns = [calendar.month_abbr[m] for m in tab.columns]
    tab["Year"] = tab.sum(axis=1)
    if totals:
        total = tab.sum(axis=0).to_frame().T
        total.index = pd.MultiIndex.from_tuples([("Total",) + ("",) * (len(by) - 1)], names=by) \
            if len(by) > 1 else pd.Index(["Total"], name=by[0])
        tab = pd.concat([tab, total])
    return tab


def check_coherence(targets: pd.DataFrame, units: dict[str, float] | None = None,
                    hierarchy: Sequence[str] = ("product_line", "region", "team", "rep_id"),
                    totals: dict[str, float] | None = None) -> list[str]:
    """List every way a target table fails to add up (empty list: coherent).

    Checks that every figure is a non-negative multiple of its metric's unit,
    that at each prefix of ``hierarchy`` the nodes' month figures add up to
    the company's month figures and their annual figures to the company total,
    and (when ``totals`` is given) that the company total is as expected.
    Works on a table read back from a workbook as well.
    """
    problems = []
    for metric, t in targets.groupby("metric", observed=True):
        unit = (units or {}).get(metric, 1.0)
        q = t["target"].to_numpy(dtype=float) / unit
        if np.abs(q - np.rint(q)).max(initial=0) > 1e-6 or (q < 0).any():
            problems.append(f"{metric}: some targets are not non-negative multiples of {unit:g}")
        company = t.groupby("month", observed=True)["target"].sum()
        total = float(company.sum())
        if totals and metric in totals and abs(total - totals[metric]) > 1e-6:
            problems.append(f"{metric}: company total {total:,.0f} differs from {totals[metric]:,.0f}")
        keys: list[str] = []
        for level in hierarchy:
            keys.append(level)
            node = t.pivot_table(index=keys, columns="month", values="target", aggfunc="sum",
                                 observed=True, fill_value=0)
            if not np.allclose(node.sum(axis=0).reindex(company.index).to_numpy(), company.to_numpy()):
                problems.append(f"{metric}: months at level {level} do not add up to the company months")
            if abs(node.to_numpy().sum() - total) > 1e-6 * max(1.0, total):
                problems.append(f"{metric}: level {level} does not add up to the company total")
    return problems


def rounding_deviation(targets: pd.DataFrame, units: dict[str, float] | None = None,
                       hierarchy: Sequence[str] = ("product_line", "region", "team", "rep_id")) -> pd.DataFrame:
    """Largest gap, in units, between a rounded figure and its exact share.

    Returns
    -------
    pandas.DataFrame
        One row per metric and level: ``max_month`` (any node-month) and
        ``max_year`` (any node's annual figure), in units of the metric.
    """
    rows = []
    for metric, t in targets.groupby("metric", observed=True):
        unit = (units or {}).get(metric, 1.0)
        keys: list[str] = []
        for level in hierarchy:
            keys.append(level)
            g = t.groupby(keys + ["month"], observed=True)[["target", "exact"]].sum()
            y = g.groupby(level=list(range(len(keys))), observed=True).sum()
            rows.append((metric, level, float((g["target"] - g["exact"]).abs().max() / unit),
                         float((y["target"] - y["exact"]).abs().max() / unit)))
    return pd.DataFrame(rows, columns=["metric", "level", "max_month", "max_year"])


def commitment_gap(targets: pd.DataFrame, commitments: pd.DataFrame | None,
                   *, by: str = "rep_id") -> pd.DataFrame:
    """Top-down target vs the reps' own bottom-up commitments.

    Parameters
    ----------
    targets : pandas.DataFrame
        Output of :func:`decompose`.
    commitments : pandas.DataFrame or None
        ``rep_id, metric, commitment`` (annual, currency or count).
    by : {"rep_id", "team", "region"}
        Entity the gap is reported for.

    Returns
    -------
    pandas.DataFrame
        ``by, metric, target, committed_target, commitment, gap, gap_pct,
        uncommitted_target``.  ``gap = commitment - committed_target`` is taken
        over the reps who committed (negative: they commit to less than they
        are asked); ``uncommitted_target`` is the target of reps who gave no
        commitment (open requisitions, typically), whose gap is empty.
    """
    cols = [by, "metric", "target", "committed_target", "commitment", "gap", "gap_pct", "uncommitted_target"]
    if commitments is None or len(commitments) == 0:
        return pd.DataFrame(columns=cols)
    com = pd.DataFrame({"rep_id": commitments["rep_id"].astype(str), "metric": commitments["metric"].astype(str),
                        "commitment": commitments["commitment"].astype(float)})
    t = targets[targets["metric"].isin(com["metric"].unique())]
    annual = t.groupby(["region", "team", "rep_id", "metric"], observed=True)["target"].sum().reset_index()
    m = annual.merge(com, on=["rep_id", "metric"], how="left")
    has = m["commitment"].notna()
    m["committed_target"] = m["target"].where(has)
    m["uncommitted_target"] = m["target"].where(~has, 0.0)
    out = m.groupby([by, "metric"], observed=True).agg(
        target=("target", "sum"), committed_target=("committed_target", "sum"),
        commitment=("commitment", "sum"), uncommitted_target=("uncommitted_target", "sum"),
        n=("commitment", "count")).reset_index()
    none = out["n"] == 0
    out.loc[none, ["committed_target", "commitment"]] = np.nan
    out["gap"] = out["commitment"] - out["committed_target"]
    out["gap_pct"] = out["gap"] / out["committed_target"].where(out["committed_target"] > 0)
    return out[cols]
