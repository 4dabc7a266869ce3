"""Min-cost flows: the banded flow, network prices of one balanced quantity, pooled start prices."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from salesplan.territory.pricing import _candidates, _cand_pairs, _largest_share, _price_columns
from salesplan.territory.problem import _fixed, _Problem

#: Accounts from which the min-cost flow starts from the prices of pooled accounts.
POOL_FROM = 8_000
#: Integer steps of load in the smallest account, and of cost in the largest unit cost, of the flows.
FLOW_LOAD_STEPS, FLOW_COST_STEPS = 1000.0, 1e7
#: Rounds of column generation of the flow prices (the LP optimum is normally reached in a few).
FLOW_ROUNDS = 30
#: Km per degree of latitude (the pooling grid's scale).
KM_PER_DEGREE = 111.2


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
    y = lat * KM_PER_DEGREE
    x = acc["lon"].to_numpy(dtype=float) * np.cos(np.radians(lat)) * KM_PER_DEGREE
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


def _integer_costs(cost: np.ndarray) -> tuple[np.ndarray, float]:
    """Costs as integers for the flow solver, the largest |cost| at ``FLOW_COST_STEPS``, and the scale used."""
    q = FLOW_COST_STEPS / max(float(np.abs(cost).max()), 1e-300)
    return np.rint(cost * q).astype(np.int64), q


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
    scale = FLOW_LOAD_STEPS / float(a[net].min())
    sup = np.rint(a * scale).astype(np.int64)
    uc, q = _integer_costs(ccost[valid] / a[ii])
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


def _flow_prices(pr: _Problem, k: int, max_rounds: int = FLOW_ROUNDS):
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
        g = _aggregate(pr, max_groups=max(POOL_FROM // 4, 10 * pr.m))  # a quarter of POOL_FROM, 10 a rep at least
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
