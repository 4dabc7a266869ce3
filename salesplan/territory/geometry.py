"""Distances without an (accounts x reps) matrix: points, pair distances, micro-areas, priced shortlists.

A national request never holds a distance for every account and rep (1,000,000
x 3,000 of them would take 12 GB).  Accounts are grouped into micro-areas --
cells of a grid a few kilometres across -- and only each cell's distance to
every rep is kept.  By the triangle inequality an account's distance to a rep
lies within the cell's radius of the cell's distance, so for every account
the reps whose priced cost *could* be among its cheapest are known from its
cell alone; only those are evaluated exactly.  Nothing is approximated: a rep
left out is proven to cost more, so a dual value computed this way is still a
valid lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.geo import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from salesplan.territory.problem import _Problem

#: Km per degree of latitude (the scale of the micro-area grid).
KM_PER_DEGREE = 111.2
#: Cells x reps distances a problem keeps for its micro-areas (float32: 4 bytes each).
CELL_PAIRS = 24_000_000
#: Smallest micro-area, km across (cells are 1, 2, 4 ... km, the smallest within ``CELL_PAIRS``).
CELL_KM = 1.0
#: (account, rep) pairs evaluated at once when pricing (bounds the temporaries' memory).
CHUNK_PAIRS = 2_000_000
#: Relative and absolute margin (km) for single-precision cell distances (float32 keeps ~7 digits).
MARGIN_REL, MARGIN_KM = 1e-6, 1e-6


@dataclass(frozen=True)
class _Points:
    """Points on the sphere: latitude and longitude in radians and the cosine of the latitude."""

    lat: np.ndarray
    lon: np.ndarray
    cos: np.ndarray

    @classmethod
    def of(cls, lat_deg, lon_deg) -> "_Points":
        """Points from degrees."""
        lat = np.radians(np.asarray(lat_deg, dtype=float))
        return cls(lat, np.radians(np.asarray(lon_deg, dtype=float)), np.cos(lat))

    def unit(self) -> np.ndarray:
        """(n, 3) unit vectors (their chord distances order points as great circles do)."""
        return np.c_[self.cos * np.cos(self.lon), self.cos * np.sin(self.lon), np.sin(self.lat)]


def _km(a: _Points, i, b: _Points, j) -> np.ndarray:
    """Great-circle km from points ``a[i]`` to ``b[j]`` (indices broadcast like numpy arrays).

    The haversine of :func:`salesplan.geo.distance_matrix`, term for term, so a
    pair costs the same whether or not the problem holds a dense matrix.
    """
    h = (np.sin((b.lat[j] - a.lat[i]) / 2) ** 2
         + a.cos[i] * b.cos[j] * np.sin((b.lon[j] - a.lon[i]) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def nearest(lat_a, lon_a, lat_b, lon_b, *, among: np.ndarray | None = None) -> np.ndarray:
    """Index of the nearest point ``b`` (great circle) of each point ``a``, through a k-d tree.

    Parameters
    ----------
    lat_a, lon_a : array_like, shape (n,)
        Degrees.
    lat_b, lon_b : array_like, shape (m,)
        Degrees.
    among : numpy.ndarray of bool, shape (m,), optional
        Only these points ``b`` may be chosen.

    Returns
    -------
    numpy.ndarray of int, shape (n,)
        Index into ``b`` (-1 when ``among`` allows none).
    """
    from scipy.spatial import cKDTree

    b = _Points.of(lat_b, lon_b)
    pool = np.arange(len(b.lat)) if among is None else np.flatnonzero(among)
    if len(pool) == 0 or len(np.atleast_1d(lat_a)) == 0:
        return np.full(len(np.atleast_1d(lat_a)), -1)
    _, k = cKDTree(b.unit()[pool]).query(_Points.of(lat_a, lon_a).unit())
    return pool[k]


def grid(lat_deg: np.ndarray, lon_deg: np.ndarray, size_km: float) -> np.ndarray:
    """(n, 2) integer cell of each point on a grid of ``size_km`` (local east and north km)."""
    y = lat_deg * KM_PER_DEGREE
    x = lon_deg * np.cos(np.radians(lat_deg)) * KM_PER_DEGREE
    return np.c_[np.floor(x / size_km), np.floor(y / size_km)].astype(np.int64)


def centres(points: _Points, group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (degrees) of the centre of each group of points (mean direction)."""
    u = points.unit()
    s = np.vstack([np.bincount(group, u[:, k], minlength=n_groups) for k in range(3)]).T
    s /= np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-300)
    return np.degrees(np.arcsin(np.clip(s[:, 2], -1, 1))), np.degrees(np.arctan2(s[:, 1], s[:, 0]))


@dataclass
class _Cells:
    """Micro-areas of the priced accounts (free, with workload) and their distance to every rep.

    Per unit of workload an account ``i`` of cell ``c`` costs at rep ``j``
    ``km_ij + disruption [j != cur_i] + sum_r (a_ri / w_i) lam_rj (+ nu ...)``;
    ``km_ij`` is within ``radius_c`` of ``dist_cj``, and ``rho`` bounds
    ``a_r / w`` over the cell, so each cell bounds every account's cost at every rep.
    """

    of: np.ndarray       # (n,) cell of each account, -1 when it is not priced through a cell
    order: np.ndarray    # the accounts in cells, cell by cell
    start: np.ndarray    # (C + 1,) where each cell's accounts start in ``order``
    dist: np.ndarray     # (C, m) float32 km from the cell's centre to each rep
    radius: np.ndarray   # (C,) km from the centre to the cell's farthest account
    key: np.ndarray      # (C,) cell of key accounts
    disr: np.ndarray     # (C,) disruption km every account of the cell pays at a rep not its own
    rho: np.ndarray      # (R, 2, C) least and greatest a_r / w in the cell
    mv: np.ndarray       # (C,) greatest moved weight per unit of workload


def _cells(acc: _Points, reps: _Points, pos: np.ndarray, *, w: np.ndarray, a: np.ndarray, key: np.ndarray,
           cur: np.ndarray, mvw: np.ndarray, disruption: float, lat_deg: np.ndarray,
           lon_deg: np.ndarray) -> _Cells:
    """Micro-areas of the accounts ``pos`` (each with workload > 0): grid cell x key flag.

    The cell size is the smallest of ``CELL_KM`` x 1, 2, 4 ... that keeps
    cells x reps within ``CELL_PAIRS``.
    """
    m, n = len(reps.lat), len(w)
    size, budget = CELL_KM, max(CELL_PAIRS // max(m, 1), 1)
    while True:
        cell = grid(lat_deg[pos], lon_deg[pos], size)
        code = (cell[:, 0] * 4_000_003 + cell[:, 1]) * 2 + key[pos]
        uniq, local = np.unique(code, return_inverse=True)
        if len(uniq) <= budget or len(uniq) <= 1:
            break
        size *= 2
    n_c = len(uniq)
    local = local.ravel()
    order = pos[np.argsort(local, kind="stable")]
    start = np.searchsorted(np.sort(local), np.arange(n_c + 1))
    of = np.full(n, -1)
    of[pos] = local
    sub = _Points(acc.lat[pos], acc.lon[pos], acc.cos[pos])
    clat, clon = centres(sub, local, n_c)
    ctr = _Points.of(clat, clon)
    radius = np.zeros(n_c)
    np.maximum.at(radius, local, _km(ctr, local, sub, np.arange(len(pos))))
    dist = np.empty((n_c, m), dtype=np.float32)
    step = max(CHUNK_PAIRS // max(m, 1), 1)
    for s in range(0, n_c, step):
        dist[s:s + step] = _km(ctr, np.arange(s, min(s + step, n_c))[:, None], reps, np.arange(m)[None, :])
    ratio = a[:, pos] / w[pos]
    rho = np.empty((len(a), 2, n_c))
    for r in range(len(a)):
        rho[r, 0] = np.full(n_c, np.inf)
        rho[r, 1] = np.full(n_c, -np.inf)
        np.minimum.at(rho[r, 0], local, ratio[r])
        np.maximum.at(rho[r, 1], local, ratio[r])
    all_cur = np.ones(n_c, dtype=bool)
    np.logical_and.at(all_cur, local, cur[pos] >= 0)
    mv = np.zeros(n_c)
    np.maximum.at(mv, local, mvw[pos] / w[pos])
    c_key = np.zeros(n_c, dtype=bool)
    c_key[local] = key[pos]
    return _Cells(of, order, start, dist, radius, c_key, np.where(all_cur, disruption, 0.0), rho, mv)


def _cell_bounds(cells: _Cells, cs: slice, lam: np.ndarray, nu: float, disruption: float,
                 spec: np.ndarray | None, cols: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds, per unit of workload, on the priced cost of every account of cells ``cs``
    at every rep, or at the reps ``cols`` (inf where the cell may not go to the rep)."""
    cols = slice(None) if cols is None else cols
    d = cells.dist[cs][:, cols].astype(float)
    pad = MARGIN_REL * d + MARGIN_KM + cells.radius[cs, None]
    lo = d - pad + np.minimum(cells.disr[cs], disruption)[:, None]
    hi = d + pad + disruption + nu * cells.mv[cs, None]
    for r in range(len(lam)):
        at_lo, at_hi = cells.rho[r, 0, cs, None] * lam[r, cols], cells.rho[r, 1, cs, None] * lam[r, cols]
        lo += np.minimum(at_lo, at_hi)
        hi += np.maximum(at_lo, at_hi)
    if spec is not None:
        shut = cells.key[cs, None] & ~spec[None, cols]
        lo[shut] = np.inf
        hi[shut] = np.inf
    return lo, hi


def _cell_lists(lo: np.ndarray, hi: np.ndarray, k: int, slack) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per cell, the reps that may be within ``slack`` (per unit of workload; one for all reps, or one
    each) of an account's k-th cheapest.

    Each cell has ``k`` reps whose upper bound is at most ``T``, so no
    account of it has its k-th cheapest above ``T``; a rep whose lower bound
    exceeds ``T + slack`` can be left out.  Returns the rep lists (padded with
    -1), and the least lower bound of the reps left out (inf: none).
    """
    m = lo.shape[1]
    kk = min(k, m)
    top = np.partition(hi, kk - 1, axis=1)[:, kk - 1] if kk < m else hi.max(axis=1)
    keep = np.isfinite(lo) & (lo <= top[:, None] + slack)
    width = max(int(keep.sum(axis=1).max(initial=0)), 1)
    reps = np.argsort(~keep, axis=1, kind="stable")[:, :width]
    reps = np.where(np.take_along_axis(keep, reps, axis=1), reps, -1)
    out = np.where(keep, np.inf, lo).min(axis=1)
    return reps, out, top


def _chunks(start: np.ndarray, m: int, rows: int) -> list[tuple[int, int]]:
    """Consecutive runs of cells with at most ``rows`` accounts and ``CHUNK_PAIRS`` cell x rep bounds."""
    n_c = len(start) - 1
    most = max(CHUNK_PAIRS // max(m, 1), 1)
    out, c0 = [], 0
    while c0 < n_c:
        c1 = min(int(np.searchsorted(start, start[c0] + rows, side="right")) - 1, c0 + most, n_c)
        c1 = max(c1, c0 + 1)
        out.append((c0, c1))
        c0 = c1
    return out


def _select(pr: "_Problem", acc: np.ndarray, reps: np.ndarray, lam: np.ndarray, nu: float, moved: bool,
            k: int, slack) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact priced cost of accounts ``acc`` at the reps of their rows of ``reps`` (-1: none) and their
    current rep; the pairs within ``slack`` x workload of each account's k-th cheapest, by account and cost."""
    reps = np.c_[reps, np.where(pr.cur[acc] >= 0, pr.cur[acc], -1)]
    dup = (reps[:, :-1] == reps[:, -1:]).any(axis=1)
    reps[dup, -1] = -1
    ok = reps >= 0
    if pr.spec is not None:
        ok &= ~pr.key[acc, None] | pr.spec[np.maximum(reps, 0)]
    rows = np.broadcast_to(acc[:, None], reps.shape)
    j = np.maximum(reps, 0)
    val = np.full(reps.shape, np.inf)
    val[ok] = pr.priced_pairs(rows[ok], j[ok], lam, nu, moved=moved)
    kk = min(k, val.shape[1])
    kth = np.partition(val, kk - 1, axis=1)[:, kk - 1]
    order = np.argsort(val, axis=1, kind="stable")
    val = np.take_along_axis(val, order, axis=1)
    j = np.take_along_axis(j, order, axis=1)
    keep = np.isfinite(val)
    if np.all(np.isfinite(slack)):
        per_rep = np.broadcast_to(np.asarray(slack, dtype=float), (pr.m,))
        keep &= val <= kth[:, None] + per_rep[j] * pr.w[acc, None]
    return np.broadcast_to(acc[:, None], keep.shape)[keep], j[keep], val[keep]


def _priced_pairs(pr: "_Problem", lam: np.ndarray, nu: float = 0.0, *, k: int = 1, slack=0.0,
                  moved: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every eligible rep within ``slack`` x workload of each free account's k-th cheapest priced rep.

    ``slack`` is km a unit of workload, one for every rep or an (m,) array.

    The priced cost of account ``i`` at rep ``j`` is its cost plus the prices
    ``lam`` (R, m) of its balanced quantities and ``nu`` per unit of moved
    weight (``moved=False``: distance alone, no disruption or moved price).
    Accounts are priced through their micro-area (:func:`_cells`); those
    without workload, at every rep.

    Returns
    -------
    (ii, jj, vv)
        Account, rep and priced cost of each pair kept, by account and then
        cost.  Every eligible rep *not* kept for account ``i`` costs at least
        its k-th cheapest + ``slack * w_i`` (accounts without workload keep
        every eligible rep when ``slack`` > 0).
    """
    cells = pr.micro_areas()
    lam = np.asarray(lam, dtype=float).reshape(len(pr.a), pr.m)
    disruption = pr.disruption if moved else 0.0
    parts = []
    for c0, c1 in _chunks(cells.start, pr.m, rows=CHUNK_PAIRS // 64):
        lo, hi = _cell_bounds(cells, slice(c0, c1), lam, nu if moved else 0.0, disruption, pr.spec)
        lists, _, _ = _cell_lists(lo, hi, k, slack)
        acc = cells.order[cells.start[c0]:cells.start[c1]]
        parts.append(_select(pr, acc, lists[cells.of[acc] - c0], lam, nu, moved, k, slack))
    rest = np.flatnonzero(~pr.locked & (cells.of < 0))
    step = max(CHUNK_PAIRS // max(pr.m, 1), 1)
    for s in range(0, len(rest), step):
        acc = rest[s:s + step]
        every = np.broadcast_to(np.arange(pr.m), (len(acc), pr.m))
        parts.append(_select(pr, acc, every, lam, nu, moved, k, np.inf if np.any(np.asarray(slack) > 0) else 0.0))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    ii, jj, vv = (np.concatenate(x) for x in zip(*parts))
    order = np.argsort(ii, kind="stable")
    return ii[order], jj[order], vv[order]


def _rep_pairs(pr: "_Problem", lam: np.ndarray, nu: float, u: np.ndarray, slack: np.ndarray,
               reps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs :func:`_priced_pairs` keeps with ``k=1`` for the reps ``reps`` only, found rep by rep.

    ``u`` (n,) is each account's cheapest priced cost and ``slack`` (m,) km a
    unit of workload.  A cell is evaluated at a rep only where its lower
    bound there comes within the rep's slack of the greatest ``u / w`` of
    its accounts, so a few reps cost a few columns of cells, not the map.

    Returns
    -------
    (ii, jj, vv)
        Account, rep and priced cost of every free account within
        ``slack_j x w_i`` of ``u_i`` at rep ``j`` of ``reps`` (accounts
        without workload: every eligible rep of ``reps``), in no set order.
    """
    cells = pr.micro_areas()
    lam = np.asarray(lam, dtype=float).reshape(len(pr.a), pr.m)
    reps = np.asarray(reps, dtype=np.intp)
    parts = [(np.zeros(0, np.int64), np.zeros(0, np.intp), np.zeros(0))]
    if len(cells.order) and len(reps):
        acc = cells.order
        top = np.maximum.reduceat(u[acc] / pr.w[acc], cells.start[:-1])
        for c0, c1 in _chunks(cells.start, len(reps), rows=max(CHUNK_PAIRS // len(reps), 1)):
            lo, _ = _cell_bounds(cells, slice(c0, c1), lam, nu, pr.disruption, pr.spec, cols=reps)
            c, q = np.nonzero(lo <= top[c0:c1, None] + slack[reps][None, :])
            c += c0
            size = cells.start[c + 1] - cells.start[c]
            first = np.repeat(cells.start[c] - (np.cumsum(size) - size), size)
            i = acc[first + np.arange(int(size.sum()))]
            j = np.repeat(reps[q], size)
            v = pr.priced_pairs(i, j, lam, nu)
            keep = (v <= u[i] + slack[j] * pr.w[i]) & (j != pr.cur[i])
            parts.append((i[keep], j[keep], v[keep]))
        # a cell's bound charges the disruption its accounts pay away from their own reps: those pairs apart
        mine = np.zeros(pr.m, dtype=bool)
        mine[reps] = True
        i = acc[(pr.cur[acc] >= 0) & mine[np.maximum(pr.cur[acc], 0)]]
        j = pr.cur[i]
        v = pr.priced_pairs(i, j, lam, nu)
        keep = v <= u[i] + slack[j] * pr.w[i]
        parts.append((i[keep], j[keep], v[keep]))
    rest = np.flatnonzero(~pr.locked & (cells.of < 0))
    if len(rest) and len(reps):
        i, j = np.repeat(rest, len(reps)), np.tile(reps, len(rest))
        ok = pr.eligible_pairs(i, j)
        parts.append((i[ok], j[ok], pr.priced_pairs(i[ok], j[ok], lam, nu)))
    return tuple(np.concatenate(x) for x in zip(*parts))
