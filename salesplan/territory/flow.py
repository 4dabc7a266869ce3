"""Min-cost flows: the banded flow, network prices of one balanced quantity, pooled start prices."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from salesplan.geo import distance_matrix
from salesplan.territory.geometry import _Points, _priced_pairs, centres, grid
from salesplan.territory.bounds import _dual_value
from salesplan.territory.pricing import (_candidates, _cand_pairs, _first_of_pairs, _largest_share, _price_columns,
                                         _Prices)
from salesplan.territory.problem import DENSE_PAIRS, _fixed, _Problem

#: Accounts from which the min-cost flow starts from the prices of pooled accounts.
POOL_FROM = 8_000
#: Accounts up to which the account-level LP is solved as a min-cost flow (beyond: the finest pooling's
#: prices, whose flow has a sixth of the nodes and far fewer ties).
ACCOUNT_FLOW_MAX = 30_000
#: A pooling keeps at most this many groups a rep, and at most 1 / ``POOL_SHRINK`` of the accounts;
#: a problem too small to keep ``MIN_GROUPS_PER_REP`` is not pooled.
GROUPS_PER_REP, POOL_SHRINK, MIN_GROUPS_PER_REP = 25, 6, 4
#: The coarsest pooling of a big problem offers each rep its nearest accounts (at most
#: ``FEED_NEIGHBOURS``) until they could fill its band ``FEED`` times over.
FEED, FEED_NEIGHBOURS = 3.0, 64
#: Km beyond which a grid cell holds every point (the pooling stops coarsening).
EARTH_KM = 40_000.0
#: Integer steps of load in the smallest account, and of cost in the largest unit cost, of the flows;
#: big problems (no dense distances) take coarser costs: the solver's phases grow with their range.
FLOW_LOAD_STEPS, FLOW_COST_STEPS, FLOW_COST_STEPS_BIG = 1000.0, 1e7, 1e5
#: Rounds of column generation of the flow prices (the LP optimum is normally reached in a few), and
#: of a pooled problem once it has a feasible flow.
FLOW_ROUNDS, POOLED_ROUNDS = 30, 4
#: Offset and span of a grid coordinate in the pooling code (cells of 1 km or more anywhere on Earth).
GRID_OFFSET, GRID_SPAN = 1 << 20, 1 << 21


def _aggregate(pr: _Problem, max_groups: int) -> tuple[np.ndarray, _Problem]:
    """The problem with accounts pooled into groups: same grid cell, key flag, current rep and lock.

    The cell is the smallest of 1, 2, 4, ... km that gives at most
    ``max_groups`` groups.  A group's balanced quantities and moved weight
    are sums.  With a dense distance matrix a group's cost to a rep is the
    sum of its accounts' costs (its distance is the workload-weighted mean
    distance), so a fractional assignment of groups is a fractional
    assignment of accounts: the pooled LP is a restriction of the account
    LP, small enough to solve in a moment, and its duals are close to the
    account LP's.  Without one (big problems) a group sits at its centre,
    which is within a cell of each of its accounts.
    """
    lat, lon = pr.coordinates()
    group, first, g_n = _groups(pr, lat, lon, max_groups)
    w_g = np.bincount(group, pr.w, minlength=g_n)
    clat, clon = centres(pr.where, group, g_n)
    if pr.d is not None:
        members = csr_matrix((pr.w, (group, np.arange(pr.n))), shape=(g_n, pr.n))
        d_g = np.asarray(members @ pr.d, dtype=float) / np.where(w_g > 0, w_g, 1)[:, None]
        if (w_g <= 0).any():  # groups without workload: plain mean distance
            plain = csr_matrix((np.ones(pr.n), (group, np.arange(pr.n))), shape=(g_n, pr.n))
            counts = np.bincount(group, minlength=g_n)
            zero = w_g <= 0
            d_g[zero] = np.asarray(plain[zero] @ pr.d, dtype=float) / counts[zero, None]
    else:
        d_g = (distance_matrix(clat, clon, np.degrees(pr.bases.lat), np.degrees(pr.bases.lon))
               if g_n * pr.m <= DENSE_PAIRS else None)
    a_g = np.vstack([np.bincount(group, q, minlength=g_n) for q in pr.a])
    return group, _Problem(
        accounts=pd.DataFrame({"lat": clat, "lon": clon}), reps=pr.reps, where=_Points.of(clat, clon),
        bases=pr.bases, d=d_g, spec=pr.spec, w=w_g,
        p=np.bincount(group, pr.p, minlength=g_n), a=a_g, names=pr.names, target=pr.target,
        lo=pr.lo, hi=pr.hi, cur=pr.cur[first], locked=pr.locked[first], key=pr.key[first],
        mvw=np.bincount(group, pr.mvw, minlength=g_n), budget=pr.budget, disruption=pr.disruption)


def _groups(pr: _Problem, lat: np.ndarray, lon: np.ndarray, max_groups: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Group of each account (grid cell, key flag, current rep, lock), each group's first account, groups.

    Groups are numbered in the order of (cell, key, current rep, lock), the
    cell the smallest of 1, 2, 4 ... km giving at most ``max_groups``.
    """
    size = 1.0
    tail = ((pr.key.astype(np.int64) * (pr.m + 1) + (pr.cur + 1)) * 2 + pr.locked)
    span = 2 * (pr.m + 1) * 2
    while True:
        cells = grid(lat, lon, size) + GRID_OFFSET
        code = (cells[:, 0] * GRID_SPAN + cells[:, 1]) * span + tail
        _, first, group = np.unique(code, return_index=True, return_inverse=True)
        if len(first) <= max_groups or size > EARTH_KM:  # (no coarser grid can merge more)
            return group.ravel(), first, len(first)
        size *= 2


def _integer_costs(cost: np.ndarray, big: bool = False) -> tuple[np.ndarray, float]:
    """Costs as integers for the flow solver, the largest |cost| at ``FLOW_COST_STEPS`` (``big``:
    ``FLOW_COST_STEPS_BIG``), and the scale used."""
    q = (FLOW_COST_STEPS_BIG if big else FLOW_COST_STEPS) / max(float(np.abs(cost).max()), 1e-300)
    return np.rint(cost * q).astype(np.int64), q


def _banded_flow(src: np.ndarray, dst: np.ndarray, uc: np.ndarray, supply: np.ndarray,
                 lo: np.ndarray, hi: np.ndarray, *, strict: bool = False):
    """Min-cost flow from sources to reps, each rep taking between ``lo`` and ``hi`` units (OR-Tools).

    Source ``src[e]`` may send up to its whole ``supply`` to rep ``dst[e]``
    at ``uc[e]`` a unit (integers).  Penalty arcs -- a rep taking more than
    ``hi``, or less than ``lo`` -- keep the network feasible whatever the
    request; each unit on them costs more than any path of real arcs.
    ``strict`` first solves the network without them: their cost, hundreds
    of times the largest real one, makes the solver's cost scaling run
    through more phases (100,000 x 300: the class flows 25 % faster); only
    when no flow meets the bands that way is the penalised network solved.

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
    if strict:
        arcs = f.add_arcs_with_capacity_and_unit_cost(
            np.r_[src, reps], np.r_[reps[dst], np.full(m, sink)], np.r_[supply[src], hi - lo],
            np.r_[uc, np.zeros(m, np.int64)])
        f.set_nodes_supplies(np.arange(k + m + 1), np.r_[supply, -lo, need - total])
        if f.solve() == f.OPTIMAL:
            return np.r_[f.flows(arcs), np.zeros(2 * m, np.int64), need], pen
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
    (mu_u, mu_l, pick, penalised, split) or None
        Prices of the upper and lower balance bounds (1, m), each account's
        rep with the largest flow, whether the flow needed a penalty arc
        (no feasible point among these candidates: the prices then steer
        column generation towards one), and the flow itself (account, rep,
        load of the pairs that carry some); None when the solver fails.
    """
    n, m = pr.n, pr.m
    a = pr.a[0]
    net = ~pr.locked & (a > 0)
    _, fload = _fixed(pr)
    valid = (cand >= 0) & net[:, None] & np.isfinite(ccost)
    if not net.any() or not valid.any(axis=1)[net].all():
        return None
    ii, jj = _cand_pairs(cand, valid)
    scale = FLOW_LOAD_STEPS / float(a[net].min())
    sup = np.rint(a * scale).astype(np.int64)
    uc, q = _integer_costs(ccost[valid] / a[ii], big=pr.d is None)
    lo = np.ceil((pr.lo[0] - fload[0]) * scale - 1e-9).clip(0).astype(np.int64)
    hi = np.floor((pr.hi[0] - fload[0]) * scale + 1e-9).astype(np.int64)
    if (hi < lo).any():
        return None
    solved = _banded_flow(ii, jj, uc, np.where(net, sup, 0), lo, hi, strict=True)
    if solved is None:
        return None
    flows, pen = solved
    nl = len(ii)
    fl = flows[:nl]
    lam = _potentials(cand, valid, uc, fl, flows[nl:], lo, hi, pen)
    if lam is None:
        return None
    lam = lam / q
    over, short = flows[nl + m:nl + 2 * m], flows[nl + 2 * m:nl + 3 * m]
    used = fl > 0
    split = (ii[used], jj[used], fl[used] / scale)
    return (np.maximum(lam, 0)[None, :], np.maximum(-lam, 0)[None, :], _largest_share(n, ii, jj, fl),
            bool(over.any() or short.any()), split)


def _potentials(cand: np.ndarray, valid: np.ndarray, uc: np.ndarray, fl: np.ndarray, rep_flows: np.ndarray,
                lo: np.ndarray, hi: np.ndarray, pen: int) -> np.ndarray | None:
    """(m,) rep prices (flow cost units) of an optimal banded flow: shortest distances in its residual network.

    The accounts are condensed away (an account with flow at rep ``j`` and a
    candidate ``k`` gives the residual path j -> k); Bellman-Ford over
    ``m + 3`` nodes.  ``rep_flows`` are the flows of the within-band, over,
    short and spare arcs (:func:`_banded_flow`).  None on a negative cycle
    (the flow is not optimal: numerical trouble).
    """
    m = len(lo)
    reg, over, short, rest = rep_flows[:m], rep_flows[m:2 * m], rep_flows[2 * m:3 * m], rep_flows[-1]
    need = int(lo.sum())
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
    dist = _bellman_ford(t_[first], h_[first], w_[first], m + 3)
    if dist is None:  # a negative cycle: the flow is not optimal (numerical trouble)
        return None
    return dist[t_node] - dist[:m]


def _bellman_ford(tails: np.ndarray, heads: np.ndarray, weights: np.ndarray, n_nodes: int) -> np.ndarray | None:
    """(n_nodes,) shortest distances from an origin joined to every node at 0; None on a negative cycle.

    Every arc is relaxed at once, round after round, until no distance
    changes -- as many rounds as the deepest shortest path has arcs (a
    handful in a flow's residual network, against the ``n_nodes`` rounds of
    a plain Bellman-Ford; 1,000,000 x 3,000: 6 s less).  Integer
    weights (as float) give the exact distances.
    """
    order = np.argsort(heads, kind="stable")
    t, w, h = tails[order], weights[order], heads[order]
    if len(h) == 0:
        return np.zeros(n_nodes)
    at = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    into = h[at]
    dist = np.zeros(n_nodes)
    for _ in range(n_nodes + 1):
        best = np.minimum(dist[into], np.minimum.reduceat(dist[t] + w, at))
        if np.array_equal(best, dist[into]):
            return dist
        dist[into] = best
    return None


def _pool_size(pr: _Problem) -> int:
    """Groups of the pooling of ``pr``: a sixth of its accounts, at most ``GROUPS_PER_REP`` a rep.

    0 when ``pr`` is not worth pooling: at most ``POOL_FROM`` accounts, or
    too few for ``MIN_GROUPS_PER_REP`` groups a rep (prices need each rep's
    surroundings in some detail).
    """
    size = max(POOL_FROM // 4, min(pr.n // POOL_SHRINK, GROUPS_PER_REP * pr.m))
    return size if pr.n > POOL_FROM and size >= MIN_GROUPS_PER_REP * pr.m else 0


def _flow_prices(pr: _Problem, k: int, max_rounds: int = FLOW_ROUNDS, *, top: bool = True, steer: bool = False):
    """Exact LP prices of a single balanced quantity by min-cost flow and column generation.

    Prices of the pooled problem (:func:`_aggregate`, itself priced this way,
    so big problems are priced from coarse to fine) choose each account's
    ``k`` cheapest priced reps as candidates, so that pricing over all reps
    rarely finds a better one; the account network is then solved, and a rep
    cheaper at the new prices than every candidate of an account joins them,
    until none is (the LP optimum over all eligible pairs).  Beyond
    ``ACCOUNT_FLOW_MAX`` accounts the finest pooling's prices are kept
    (:func:`_at_prices`): its flow has a sixth of the nodes.

    A pooling whose prices only steer a finer pooling (``steer``) stops
    its column generation after ``POOLED_ROUNDS`` rounds with a feasible
    flow; the finest one runs to the optimum: its prices and flow make the
    bound and the start.

    Returns :class:`_Prices` as :func:`_lp_column_prices` (``nu`` = 0, and
    the flow in ``split``), or None when the LP is infeasible.
    """
    lam = None
    if _pool_size(pr):
        group, g = _aggregate(pr, max_groups=_pool_size(pr))
        gres = _flow_prices(g, k, max_rounds, top=False, steer=not (top and pr.n > ACCOUNT_FLOW_MAX))
        lam = None if gres is None else gres.mu_u - gres.mu_l
        if top and gres is not None and pr.n > ACCOUNT_FLOW_MAX:
            return _at_prices(pr, k, lam, group, gres.split)
    cand, ccost = _candidates(pr, k, lam)
    if lam is None and pr.d is None:
        cand, ccost = _feeding(pr, cand, ccost)
    best = None
    for round_ in range(max_rounds):
        if best is not None and steer and round_ >= POOLED_ROUNDS:
            break  # these prices only steer the next finer pooling: near-optimal ones do
        res = _network_prices(pr, cand, ccost)
        if res is None:
            return None
        mu_u, mu_l, pick, penalised, split = res
        dual, cand_next, ccost_next, added = _price_columns(pr, cand, ccost, mu_u, mu_l, 0.0, 1e-6)
        best = None if penalised else _Prices(mu_u, mu_l, 0.0, dual, cand, ccost, pick, split)
        if not added:
            break
        cand, ccost = cand_next, ccost_next
    return best


def _feeding(pr: _Problem, cand: np.ndarray, ccost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Candidates with each rep added to the nearest accounts that could fill its band ``FEED`` times over.

    Without prices (the coarsest pooling of a big problem), each account's
    nearest reps leave a rep in a small town, far from the accounts it
    needs, unfed: the flow would need many rounds of column generation to
    reach them.
    """
    from scipy.spatial import cKDTree

    free = np.flatnonzero(~pr.locked & (pr.a[0] > 0))
    if len(free) == 0:
        return cand, ccost
    k = min(len(free), FEED_NEIGHBOURS)
    _, near = cKDTree(pr.where.unit()[free]).query(pr.bases.unit(), k=k)
    near = free[np.asarray(near).reshape(pr.m, k)]
    ok = np.cumsum(pr.a[0, near], axis=1) - pr.a[0, near] < FEED * pr.hi[0][:, None]
    if pr.spec is not None:
        ok &= ~pr.key[near] | pr.spec[:, None]
    ok &= ~(cand[near] == np.arange(pr.m)[:, None, None]).any(axis=2)
    jj, slot = np.nonzero(ok)
    ii = near[jj, slot]
    order = np.lexsort((jj, ii))
    ii, jj = ii[order], jj[order]
    extra = _first_of_pairs(pr.n, int(np.bincount(ii, minlength=1).max(initial=0)), ii, jj)
    rows = np.broadcast_to(np.arange(pr.n)[:, None], extra.shape)
    col = np.full(extra.shape, np.inf)
    col[extra >= 0] = pr.cost(rows[extra >= 0], extra[extra >= 0])
    return np.c_[cand, extra], np.c_[ccost, col]


def _at_prices(pr: _Problem, k: int, lam: np.ndarray, group: np.ndarray, split) -> _Prices:
    """:func:`_flow_prices`' answer from the prices and flow of the pooled problem.

    Each account's ``k`` cheapest priced reps are its candidates, the dual
    value is taken over every rep, and each account's pick shares its
    group's flow out (:func:`_disaggregate`); a picked rep that is not yet a
    candidate of its account joins them.
    """
    mu_u, mu_l = np.maximum(lam, 0), np.maximum(-lam, 0)
    # one pricing for both: each account's k cheapest, by cost, start with its cheapest
    pairs = _priced_pairs(pr, lam, k=k) if pr.d is None else None
    cand, ccost = _candidates(pr, k, lam, pairs)
    value, best_j, best_v = _dual_value(pr, mu_u, mu_l, 0.0, pairs)
    pick = _disaggregate(pr, group, split, lam, best_j)
    new = ~(cand == pick[:, None]).any(axis=1) & ~pr.locked
    if new.any():
        col = np.full(pr.n, np.inf)
        col[new] = pr.cost(np.flatnonzero(new), pick[new])
        cand, ccost = np.c_[cand, np.where(new, pick, -1)], np.c_[ccost, col]
    return _Prices(mu_u, mu_l, 0.0, (value, best_v), cand, ccost, pick)


def _disaggregate(pr: _Problem, group: np.ndarray, split, lam: np.ndarray, best_j: np.ndarray) -> np.ndarray:
    """Each account's rep from its group's share of the pooled flow.

    A group whose flow goes to one rep sends all its accounts there.  A
    split group hands its reps, biggest flow first, the accounts that
    prefer them most (smallest priced cost above their cheapest other rep of
    the split) until each has about its flow.  Accounts of groups without
    flow take their cheapest priced rep.
    """
    gi, gj, gf = split
    pick = best_j.copy()
    pick[pr.locked] = pr.cur[pr.locked]
    members = np.argsort(group, kind="stable")
    start = np.searchsorted(group[members], np.arange(group.max(initial=-1) + 2))
    n_reps = np.bincount(gi, minlength=len(start) - 1)
    single = n_reps[gi] == 1
    only = np.full(len(start) - 1, -1, dtype=np.intp)
    only[gi[single]] = gj[single]
    whole = (only[group] >= 0) & ~pr.locked & pr.eligible_pairs(np.arange(pr.n), np.maximum(only[group], 0))
    pick[whole] = only[group[whole]]
    order = np.lexsort((-gf, gi))
    gi, gj, gf = gi[order], gj[order], gf[order]
    for h in np.searchsorted(gi, np.flatnonzero(n_reps > 1)):
        g = gi[h]
        acc = members[start[g]:start[g + 1]]
        acc = acc[~pr.locked[acc]]
        reps, flows = gj[h:h + n_reps[g]], gf[h:h + n_reps[g]]
        rows, cols = np.repeat(acc, len(reps)), np.tile(reps, len(acc))
        cost = np.where(pr.eligible_pairs(rows, cols), pr.priced_pairs(rows, cols, lam, 0.0), np.inf)
        cost = cost.reshape(len(acc), len(reps))
        left = np.ones(len(acc), dtype=bool)
        for r, (j, f) in enumerate(zip(reps[:-1], flows[:-1])):
            others = cost[:, r + 1:].min(axis=1)
            edge = np.where(np.isfinite(cost[:, r]), cost[:, r] - np.where(np.isfinite(others), others, 0), np.inf)
            prefer = np.flatnonzero(left)[np.argsort(edge[left], kind="stable")]
            prefer = prefer[np.isfinite(edge[prefer])]
            carried = np.cumsum(pr.a[0, acc[prefer]])
            take = prefer[carried - pr.a[0, acc[prefer]] / 2 <= f]
            pick[acc[take]] = j
            left[take] = False
        last = left & np.isfinite(cost[:, -1])
        pick[acc[last]] = reps[-1]
    return pick
