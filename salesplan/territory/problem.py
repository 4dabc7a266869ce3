"""The assignment problem as arrays: accounts, territory reps, balance bands, the precheck."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InfeasibleError, InputError
from salesplan.geo import distance_matrix
from salesplan.schema import BALANCE_ON, SALES_ROLES


def account_workload(accounts: pd.DataFrame, assumptions: Assumptions | None = None) -> pd.Series:
    """Monthly workload of each account in hours: visits a month x hours a visit.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Columns ``account_id, segment`` and optionally ``visits_per_month``
        (empty: the segment default).
    assumptions : Assumptions, optional
        ``territory.visits_per_month`` and ``territory.hours_per_visit`` by
        segment.

    Returns
    -------
    pandas.Series
        Hours a month, indexed like ``accounts``.
    """
    t = (assumptions or Assumptions()).territory
    seg = accounts["segment"].astype(str)
    unknown = sorted(set(seg) - set(t.hours_per_visit))
    if unknown:
        raise InputError("accounts", [f"column segment: unknown segment(s) {unknown}; "
                                      f"valid: {', '.join(t.hours_per_visit)}"])
    visits = seg.map(t.visits_per_month).astype(float)
    if "visits_per_month" in accounts:
        own = pd.to_numeric(accounts["visits_per_month"], errors="coerce").astype(float)
        visits = own.where(own.notna(), visits)
    return (visits * seg.map(t.hours_per_visit).astype(float)).rename("workload")


def territory_reps(reps: pd.DataFrame) -> pd.DataFrame:
    """Reps that carry a territory: sales roles, active or open requisitions, FTE > 0.

    Open requisitions are included: the plan assigns the territory the new
    hire will take over.  Managers, supervisors, assistants and other
    non-selling roles carry none, nor do reps who left.
    """
    keep = reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "open"])
    if "fte" in reps:
        keep &= reps["fte"].astype(float) > 0
    out = reps[keep].reset_index(drop=True)
    missing = out[out["base_lat"].isna() | out["base_lon"].isna()] if "base_lat" in out else out
    if len(missing):
        raise InputError("reps", [f"rep {r}: base_lat/base_lon missing; a rep carrying a territory needs a base"
                                  for r in missing["rep_id"]])
    return out


@dataclass
class _Problem:
    """Arrays of one assignment problem (reps = territory reps only)."""

    accounts: pd.DataFrame
    reps: pd.DataFrame
    d: np.ndarray            # (n, m) km
    elig: np.ndarray | None  # (n, m) bool, None when every rep may take every account
    w: np.ndarray            # workload, hours a month
    p: np.ndarray            # potential
    a: np.ndarray            # (R, n) balanced quantities
    names: list[str]         # names of the balanced quantities
    target: np.ndarray       # (R, m)
    lo: np.ndarray           # (R, m)
    hi: np.ndarray           # (R, m)
    cur: np.ndarray          # (n,) current rep index or -1
    locked: np.ndarray       # (n,) bool
    key: np.ndarray          # (n,) bool
    mvw: np.ndarray          # (n,) weight of a move in the moved-share measure
    budget: float            # moved-share budget in mvw units (inf: no cap)
    disruption: float
    violations: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.w)

    @property
    def m(self) -> int:
        return self.d.shape[1]

    def cost(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cost of giving account(s) ``i`` to rep(s) ``j``."""
        moved = (self.cur[i] >= 0) & (j != self.cur[i])
        return self.w[i] * (self.d[i, j] + self.disruption * moved)

    def moves(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Moved-share weight spent by giving ``i`` to ``j``."""
        return self.mvw[i] * ((self.cur[i] >= 0) & (j != self.cur[i]))

    def loads(self, reps_of: np.ndarray, accounts: np.ndarray | None = None) -> np.ndarray:
        """(R, m) balanced load of ``accounts`` (default: all) given to ``reps_of``."""
        a = self.a if accounts is None else self.a[:, accounts]
        return np.vstack([np.bincount(reps_of, a[r], minlength=self.m) for r in range(len(a))])

    def eligible(self, rows: slice | np.ndarray) -> np.ndarray:
        if self.elig is None:
            return np.ones((len(self.w[rows]), self.m), dtype=bool)
        return self.elig[rows]


def _problem(accounts, reps, balance_on, tolerance, max_moved_share, locked, key_threshold,
             moved_by, potential_weight, disruption_km, best_effort, a: Assumptions) -> _Problem:
    if not isinstance(balance_on, (list, tuple)) or not balance_on or set(balance_on) - set(BALANCE_ON):
        raise InputError("assign(balance_on=...)", [f"got {balance_on!r}; valid: a non-empty tuple of "
                                                   f"{', '.join(BALANCE_ON)}"])
    if not 0 < tolerance < 1:
        raise InputError("assign(tolerance=...)", [f"must be within (0, 1) (got {tolerance})"])
    if max_moved_share is not None and not 0 <= max_moved_share <= 1:
        raise InputError("assign(max_moved_share=...)", [f"must be within 0..1 or None (got {max_moved_share})"])
    if moved_by not in ("accounts", "potential"):
        raise InputError("assign(moved_by=...)", [f"got {moved_by!r}; valid: accounts, potential"])
    if not 0 <= potential_weight <= 1:
        raise InputError("assign(potential_weight=...)", [f"must be within 0..1 (got {potential_weight})"])
    need = {"account_id", "lat", "lon", "segment", "annual_potential"} - set(accounts.columns)
    if need:
        raise InputError("accounts", [f"column {c}: missing (needed to assign territories)" for c in sorted(need)])
    tr = territory_reps(reps)
    if tr.empty:
        raise InfeasibleError("no rep can carry a territory (roles " + ", ".join(SALES_ROLES)
                              + ", status active or open)")
    acc = accounts.reset_index(drop=True)
    n, m = len(acc), len(tr)
    rep_index = pd.Index(tr["rep_id"].astype(str))
    cur_ids = acc["current_rep_id"].astype("string") if "current_rep_id" in acc else pd.Series(pd.NA, index=acc.index)
    cur = rep_index.get_indexer(cur_ids.fillna("").astype(str))
    lock = acc["locked"].fillna(False).astype(bool).to_numpy() if "locked" in acc else np.zeros(n, bool)
    if locked is not None:
        ids = pd.Index([str(x) for x in locked])
        unknown = ids.difference(acc["account_id"].astype(str))
        if len(unknown):
            raise InputError("assign(locked=...)", [f"unknown account_id {x}" for x in unknown[:10]])
        lock = lock | acc["account_id"].astype(str).isin(ids).to_numpy()
    bad = lock & (cur < 0)
    if bad.any():
        raise InputError("accounts", [
            f"row {i + 2}, column locked: account {acc.at[i, 'account_id']} is locked but its current_rep_id "
            f"({cur_ids.iloc[i] if pd.notna(cur_ids.iloc[i]) else 'empty'}) carries no territory"
            for i in np.flatnonzero(bad)[:10]])
    w = account_workload(acc, a).to_numpy(dtype=float)
    pot = acc["annual_potential"].to_numpy(dtype=float)
    key = pot >= key_threshold
    spec = (tr["role"] == "key_account").to_numpy()
    violations: list[str] = []
    elig = None
    if key.any():
        if spec.any():
            elig = np.ones((n, m), dtype=bool)
            elig[np.ix_(key, ~spec)] = False
        else:
            msg = (f"{int(key.sum())} key accounts (annual potential >= {key_threshold:,.0f}) but no "
                   "key-account specialist carries a territory")
            if not best_effort:
                raise InfeasibleError(msg + "; add one (role key_account) or ask for best effort")
            violations.append(msg + "; they go to any rep")
    fte = tr["fte"].to_numpy(dtype=float) if "fte" in tr else np.ones(m)
    share = fte / fte.sum()
    quantities, names = [], []
    for q in balance_on:
        if q == "workload":
            if potential_weight > 0 and pot.sum() > 0 and w.sum() > 0:
                quantities.append((1 - potential_weight) * w / w.sum() * 100
                                  + potential_weight * pot / pot.sum() * 100)
                names.append("load")
            else:
                quantities.append(w)
                names.append("workload")
        else:
            quantities.append(pot)
            names.append("potential")
    qa = np.vstack(quantities)
    target = qa.sum(axis=1)[:, None] * share[None, :]
    lo, hi = target * (1 - tolerance), target * (1 + tolerance)
    mvw = np.where(cur >= 0, 1.0 if moved_by == "accounts" else pot / max(pot.sum(), 1e-300), 0.0)
    if moved_by == "accounts":
        budget = np.inf if max_moved_share is None else np.floor(max_moved_share * n + 1e-9)
    else:
        budget = np.inf if max_moved_share is None else max_moved_share + 1e-12
    d = distance_matrix(acc["lat"], acc["lon"], tr["base_lat"], tr["base_lon"],
                        dtype=np.float32 if n * m > 5_000_000 else np.float64)
    return _Problem(acc, tr, d, elig, w, pot, qa, names, target, lo, hi, cur, lock, key, mvw, budget,
                    float(disruption_km), violations)


def _precheck(pr: _Problem, tolerance: float) -> list[str]:
    """Requests no assignment can meet, each with the constraint and the amount."""
    out = []
    unit = {"workload": "h/month", "potential": "potential", "load": "% of load"}
    for r, name in enumerate(pr.names):
        u = unit[name]
        if pr.elig is not None:
            spec = pr.elig[np.flatnonzero(pr.key)[0]] if pr.key.any() else None
            if spec is not None:
                need = pr.a[r, pr.key].sum()
                room = pr.hi[r, spec].sum()
                if need > room + 1e-9:
                    tol = need / pr.target[r, spec].sum() - 1
                    out.append(f"key accounts carry {need:,.1f} {u} of {name} but the {int(spec.sum())} "
                               f"key-account specialist(s) may carry at most {room:,.1f} at +{tolerance:.0%} "
                               f"(short by {need - room:,.1f}); raise the tolerance to {tol:.0%} or add a "
                               "specialist")
        locked_load = np.bincount(pr.cur[pr.locked], pr.a[r, pr.locked], minlength=pr.m)
        over = locked_load - pr.hi[r]
        for j in np.flatnonzero(over > 1e-9)[:5]:
            out.append(f"locked accounts give rep {pr.reps.at[j, 'rep_id']} {locked_load[j]:,.1f} {u} of {name}, "
                       f"{over[j]:,.1f} above its cap of {pr.hi[r, j]:,.1f} (+{tolerance:.0%})")
        # an account too big for every rep it may go to
        biggest = np.zeros(pr.n)
        for s in range(0, pr.n, 8192):
            e = pr.eligible(slice(s, s + 8192))
            biggest[s:s + 8192] = np.where(e, pr.hi[r][None, :], -np.inf).max(axis=1)
        big = np.flatnonzero((pr.a[r] > biggest + 1e-9) & ~pr.locked)
        for i in big[:5]:
            need_tol = pr.a[r, i] / (biggest[i] / (1 + tolerance)) - 1
            out.append(f"account {pr.accounts.at[i, 'account_id']} alone carries {pr.a[r, i]:,.1f} {u} of {name}, "
                       f"more than any rep it may go to may carry ({biggest[i]:,.1f} at +{tolerance:.0%}); "
                       f"raise the tolerance to {need_tol:.0%}")
    return out


def _fixed(pr: _Problem) -> tuple[float, np.ndarray]:
    """Cost and (R, m) load of the locked accounts."""
    li = np.flatnonzero(pr.locked)
    cost = float(pr.cost(li, pr.cur[li]).sum())
    load = pr.loads(pr.cur[li], li)
    return cost, load


def _priced(pr: _Problem, i: np.ndarray, lam: np.ndarray, nu: float) -> np.ndarray:
    """(len(i), m) cost of accounts ``i`` at every rep, plus the prices ``lam`` (R, m) of their
    balanced quantities and ``nu`` per unit of moved weight (eligibility not applied)."""
    moved = (pr.cur[i, None] >= 0) & (np.arange(pr.m)[None, :] != pr.cur[i, None])
    rc = pr.w[i, None] * (pr.d[i] + pr.disruption * moved) + pr.a[:, i].T @ lam
    if nu:
        rc = rc + nu * pr.mvw[i, None] * moved
    return rc


def _problem_from(accounts: pd.DataFrame, reps: pd.DataFrame, kwargs: dict, *, best_effort: bool) -> _Problem:
    """The problem :func:`assign` would solve for these keyword arguments (defaults from assumptions)."""
    a = kwargs.pop("assumptions", None) or Assumptions()
    ta = a.territory
    return _problem(accounts, reps, tuple(kwargs.pop("balance_on", ("workload",))),
                    kwargs.pop("tolerance", None) or ta.tolerance, kwargs.pop("max_moved_share", None),
                    kwargs.pop("locked", None), kwargs.pop("key_account_threshold", None) or ta.key_account_threshold,
                    kwargs.pop("moved_by", "accounts"), kwargs.pop("potential_weight", ta.potential_weight),
                    kwargs.pop("disruption_km", ta.disruption_km), best_effort, a)
