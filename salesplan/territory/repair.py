"""Primal state and its repair: moves, reverts and ejection chains until every bound holds."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from salesplan.territory.problem import _Problem

#: Ejection chains a repair may run: this many per rep, plus a floor.
CHAINS_PER_REP, CHAINS_MIN = 10, 100
#: Repair steps between two looks at the run's time limit.
STOP_CHECK = 256


def _never() -> bool:
    """No time limit."""
    return False


class _Repair:
    """Current assignment with its loads and moved measure, and the repair that makes it feasible."""

    def __init__(self, pr: _Problem, cand: np.ndarray, ccost: np.ndarray, assign: np.ndarray):
        self.pr, self.cand, self.ccost = pr, cand, ccost
        self.assign = assign.copy()
        self.here = pr.cost(np.arange(pr.n), assign)  # each account's cost where it is
        self.loads = pr.loads(assign)
        self.moved = float(pr.moves(np.arange(pr.n), assign).sum())
        self.free = ~pr.locked
        order = np.argsort(cand.ravel(), kind="stable")
        flat = cand.ravel()[order]
        start = np.searchsorted(flat, np.arange(pr.m + 1))
        self.inv_pos = order  # flat candidate slots naming rep j: inv_pos[start[j]:start[j+1]]
        self.inv_acc = order // cand.shape[1]
        self.inv_start = start
        self.chains = 0
        self.stop = _never  # called now and then: True once the run's time limit is past
        self.tabu = np.zeros(pr.n, dtype=bool)  # accounts a chain moved: not moved by another chain

    def violation(self, loads: np.ndarray, j) -> np.ndarray:
        """Relative excess over the bands of reps ``j`` carrying ``loads`` (R, len(j)), summed over quantities."""
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
        """(m,) each rep's present violation."""
        return self.violation(self.loads, np.arange(self.pr.m))

    def apply(self, i: int, t: int) -> None:
        """Give account ``i`` to rep ``t``, updating loads, cost and the moved measure."""
        pr = self.pr
        s = self.assign[i]
        self.loads[:, s] -= pr.a[:, i]
        self.loads[:, t] += pr.a[:, i]
        self.moved += self.move_delta(i, t)
        self.assign[i] = t
        slot = np.flatnonzero(self.cand[i] == t)
        self.here[i] = self.ccost[i, slot[0]] if len(slot) else pr.cost(np.array([i]), np.array([t]))[0]

    def accounts_of(self, j: int) -> np.ndarray:
        """The free accounts rep ``j`` holds (each holds one of its candidates)."""
        i = self.inv_acc[self.inv_start[j]:self.inv_start[j + 1]]
        return i[(self.assign[i] == j) & self.free[i]]

    def repair(self, max_steps: int) -> None:
        """Move accounts until every balance bound holds: least cost per unit of violation removed."""
        pr = self.pr
        self._restore_budget()
        blocked: set[int] = set()
        for step in range(max_steps):
            if step % STOP_CHECK == STOP_CHECK - 1 and self.stop():
                return
            viol = self.total_violation()
            viol[list(blocked)] = 0
            if viol.max() <= 1e-12:
                return
            j = int(np.argmax(viol))
            over = (self.loads[:, j] > pr.hi[:, j] + 1e-12).any()
            if over:
                i = self.accounts_of(j)
                ii = np.repeat(i, self.cand.shape[1])
                tt = self.cand[i].ravel()
                ct = self.ccost[i].ravel()
            else:
                pos = self.inv_pos[self.inv_start[j]:self.inv_start[j + 1]]
                i = pos // self.cand.shape[1]
                keep = (self.assign[i] != j) & self.free[i]
                ii, tt, ct = i[keep], np.full(int(keep.sum()), j), self.ccost.ravel()[pos[keep]]
            ok = (tt >= 0) & (tt != self.assign[ii])
            ii, tt, ct = ii[ok], tt[ok], ct[ok]
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
            dc = ct - self.here[ii]
            score = np.where(good, dc / np.where(good, -dv, 1), np.inf)
            k = int(np.argmin(score))
            self.apply(int(ii[k]), int(tt[k]))
            blocked.clear()

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
        ct = self.ccost[idx].ravel()
        ss = self.assign[ii]
        ok = (tt >= 0) & (tt != ss)
        ii, tt, ss, ct = ii[ok], tt[ok], ss[ok], ct[ok]
        dm = pr.moves(ii, tt) - pr.moves(ii, ss)
        keep = self.moved + np.maximum(dm, 0) <= pr.budget + 1e-9
        ii, tt, ss, ct = ii[keep], tt[keep], ss[keep], ct[keep]
        if len(ii) == 0:
            return False
        rate = (ct - self.here[ii]) / pr.a[r, ii]
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
        return self.chains < CHAINS_PER_REP * pr.m + CHAINS_MIN
