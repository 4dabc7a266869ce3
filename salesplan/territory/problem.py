"""The assignment problem as arrays: inputs, options, balance bands and the feasibility precheck."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from salesplan.accounts import account_visits, split_lines
from salesplan.arguments import as_list, require_frame
from salesplan.assumptions import Assumptions, TerritoryAssumptions, override
from salesplan.errors import InfeasibleError, InputError
from salesplan.geo import distance_matrix
from salesplan.schema import SALES_ROLES, sales_staff
from salesplan.visits import rep_fte
from salesplan.territory.geometry import _Cells, _cells, _km, _Points

#: Accounts per block when a pass over the (accounts x reps) arrays is done in blocks.
ROW_CHUNK = 8192
#: Accounts per block when every rep is priced for every account (the dual value).
PRICE_CHUNK = 4096
#: Accounts x reps up to which the distances are held as a dense matrix (beyond: micro-areas).
DENSE_PAIRS = 4_000_000
#: Name of the row of visits a month held within each rep's capacity (``capacity="hard"``).
CAPACITY_ROW = "visits"


def account_workload(accounts: pd.DataFrame, assumptions: Assumptions | None = None) -> pd.Series:
    """Monthly workload of each account in hours: visits a month x hours a visit.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Columns ``account_id, segment`` and optionally ``visits_per_month``
        (visits a month; empty: the segment default) and ``sales_last_year``
        (an empty segment is the class by sales,
        :func:`salesplan.accounts.account_visits`).
    assumptions : Assumptions, optional
        ``territory.visits_per_month`` and ``territory.hours_per_visit`` by
        segment (default :class:`~salesplan.assumptions.Assumptions`).

    Returns
    -------
    pandas.Series
        Hours a month, indexed like ``accounts``.

    Raises
    ------
    InputError
        A segment without visit norms.
    """
    return _workload(accounts, (assumptions or Assumptions()).territory)


def _workload(accounts: pd.DataFrame, t: TerritoryAssumptions) -> pd.Series:
    """:func:`account_workload` with the norms of a (resolved) territory section."""
    seg, visits = account_visits(accounts, t)
    return (visits * seg.map(t.hours_per_visit).astype(float)).rename("workload")


def territory_reps(reps: pd.DataFrame) -> pd.DataFrame:
    """Reps that carry a territory: the sales staff with an FTE above 0, each with a base.

    The sales staff are :func:`salesplan.schema.sales_staff`: sales roles,
    active or open requisitions (the plan assigns the territory the new hire
    will take over).  Managers, supervisors, assistants and other
    non-selling roles carry none, nor do reps who left.

    Parameters
    ----------
    reps : pandas.DataFrame
        ``rep_id, role, status, base_lat, base_lon`` (degrees) and
        optionally ``fte`` (full-time equivalents).

    Returns
    -------
    pandas.DataFrame
        The rows of ``reps`` that carry a territory, in their order, with a
        fresh index.

    Raises
    ------
    InputError
        A rep carrying a territory without ``base_lat``/``base_lon``.
    """
    out = sales_staff(reps)
    if "fte" in out:
        out = out[out["fte"].astype(float) > 0].reset_index(drop=True)
    missing = out[out["base_lat"].isna() | out["base_lon"].isna()] if "base_lat" in out else out
    if len(missing):
        raise InputError("reps", [f"rep {r}: base_lat/base_lon missing; a rep carrying a territory needs a base"
                                  for r in missing["rep_id"]])
    return out


def _settings(assumptions: Assumptions | None, where: str,
              options: Mapping[str, Any]) -> tuple[Assumptions, TerritoryAssumptions]:
    """The assumptions (default :class:`Assumptions`) and their territory section with ``options`` applied.

    The one place the options of :func:`assign`, :func:`evaluate` and
    :func:`lp_bound` are resolved (:func:`salesplan.assumptions.override`):
    a misspelt keyword raises :class:`TypeError`, a bad value
    :class:`InputError` naming ``where``.
    """
    a = assumptions if assumptions is not None else Assumptions()
    return a, override(a.territory, where, options)


def _problem_from(accounts: pd.DataFrame, reps: pd.DataFrame, assumptions: Assumptions | None = None,
                  options: Mapping[str, Any] | None = None, *, where: str = "assign()",
                  locked: Iterable[str] | None = None, best_effort: bool = False) -> _Problem:
    """The problem :func:`assign` would solve for these options (defaults from the assumptions)."""
    a, settings = _settings(assumptions, where, options or {})
    return _problem(accounts, reps, settings, locked=locked, best_effort=best_effort,
                    full_month=_full_month(a, settings))


def _full_month(a: Assumptions, settings: TerritoryAssumptions) -> float | None:
    """Visits a full month of a full-time rep when the request holds reps to their capacity, else None."""
    if settings.capacity != "hard":
        return None
    from salesplan.visits import full_month_visits

    return full_month_visits(a)


@dataclass
class _Problem:
    """Arrays of one assignment problem (reps = territory reps only).

    Distances are held as a dense (n, m) matrix ``d`` only while n x m is
    at most ``DENSE_PAIRS``; beyond, a pair's distance is computed from the
    coordinates when needed and whole rows are never formed (the
    micro-areas of :mod:`~salesplan.territory.geometry` find the reps worth
    evaluating).
    """

    accounts: pd.DataFrame
    reps: pd.DataFrame
    where: _Points           # accounts
    bases: _Points           # reps' bases
    d: np.ndarray | None     # (n, m) km, small problems only
    spec: np.ndarray | None  # (m,) reps that may take key accounts; None: every rep may take every account
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
    _cells: _Cells | None = field(default=None, repr=False)
    visits: np.ndarray | None = None       # (n,) visits a month
    segment: np.ndarray | None = None      # (n,) A/B/C the workload was made of
    lines: tuple[np.ndarray, np.ndarray] | None = None  # product lines: (n,) account and (m,) rep bit masks
    visit_cap: np.ndarray | None = None    # (m,) visits a full month (capacity "hard")

    @property
    def balanced(self) -> np.ndarray:
        """(R,) which rows of ``a`` are balanced quantities (the others are capacity rows: an upper bound only)."""
        return np.array([name != CAPACITY_ROW for name in self.names])

    @property
    def n(self) -> int:
        """Accounts."""
        return len(self.w)

    @property
    def m(self) -> int:
        """Reps carrying a territory."""
        return len(self.bases.lat)

    def km(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Km from account(s) ``i`` to the base of rep(s) ``j`` (pairs)."""
        if self.d is not None:
            return self.d[i, j]
        return _km(self.where, i, self.bases, j)

    def rows(self, i: np.ndarray) -> np.ndarray:
        """(len(i), m) km from accounts ``i`` to every base (keep ``i`` short on big problems)."""
        if self.d is not None:
            return self.d[i]
        return _km(self.where, np.asarray(i)[:, None], self.bases, np.arange(self.m)[None, :])

    def cost(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cost of giving account(s) ``i`` to rep(s) ``j``."""
        moved = (self.cur[i] >= 0) & (j != self.cur[i])
        return self.w[i] * (self.km(i, j) + self.disruption * moved)

    def priced_pairs(self, i: np.ndarray, j: np.ndarray, lam: np.ndarray, nu: float, *,
                     moved: bool = True) -> np.ndarray:
        """Cost of pairs (i, j) plus the prices ``lam`` (R, m) of their balanced quantities and ``nu`` per
        unit of moved weight (``moved=False``: the distance alone, no disruption or moved price)."""
        out = self.w[i] * self.km(i, j)
        if moved:
            away = (self.cur[i] >= 0) & (j != self.cur[i])
            out = out + self.w[i] * self.disruption * away
            if nu:
                out = out + nu * self.mvw[i] * away
        for r in range(len(self.a)):
            out = out + self.a[r, i] * lam[r, j]
        return out

    def moves(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Moved-share weight spent by giving ``i`` to ``j``."""
        return self.mvw[i] * ((self.cur[i] >= 0) & (j != self.cur[i]))

    def loads(self, reps_of: np.ndarray, accounts: np.ndarray | None = None) -> np.ndarray:
        """(R, m) balanced load of ``accounts`` (default: all) given to ``reps_of``."""
        a = self.a if accounts is None else self.a[:, accounts]
        return np.vstack([np.bincount(reps_of, a[r], minlength=self.m) for r in range(len(a))])

    def eligible(self, rows: slice | np.ndarray) -> np.ndarray:
        """(len(rows), m) which reps may take the accounts ``rows``."""
        key = self.key[rows]
        if self.spec is None:
            return np.ones((len(key), self.m), dtype=bool)
        ok = ~key[:, None] | self.spec[None, :]
        if self.lines is not None:
            ok &= (self.lines[0][rows][:, None] & self.lines[1][None, :]) != 0
        return ok

    def eligible_pairs(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Whether rep(s) ``j`` may take account(s) ``i`` (pairs)."""
        if self.spec is None:
            return np.ones(np.broadcast(i, j).shape, dtype=bool)
        ok = ~self.key[i] | self.spec[j]
        if self.lines is not None:
            ok = ok & ((self.lines[0][i] & self.lines[1][j]) != 0)
        return ok

    def micro_areas(self) -> _Cells:
        """The micro-areas of the free accounts with workload (built once, on first use)."""
        if self._cells is None:
            pos = np.flatnonzero(~self.locked & (self.w > 0))
            lat, lon = self.coordinates()
            self._cells = _cells(self.where, self.bases, pos, w=self.w, a=self.a, key=self.key, cur=self.cur,
                                 mvw=self.mvw, disruption=self.disruption, lat_deg=lat, lon_deg=lon)
        return self._cells

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of the accounts, degrees."""
        return self.accounts["lat"].to_numpy(dtype=float), self.accounts["lon"].to_numpy(dtype=float)


def _problem(accounts: pd.DataFrame, reps: pd.DataFrame, settings: TerritoryAssumptions, *,
             locked: Iterable[str] | None = None, best_effort: bool = False,
             full_month: float | None = None) -> _Problem:
    """The arrays of one request; ``settings`` are resolved options (:func:`_settings`); ``full_month``:
    visits a full month of a full-time rep (:func:`salesplan.visits.full_month_visits`), needed by
    ``capacity="hard"``."""
    require_frame(accounts, "accounts", ["account_id", "lat", "lon", "annual_potential"])
    require_frame(reps, "reps", ["rep_id", "role", "status", "base_lat", "base_lon"])
    tr = territory_reps(reps)
    if tr.empty:
        raise InfeasibleError("no rep can carry a territory (roles " + ", ".join(SALES_ROLES)
                              + ", status active or open)")
    acc = accounts.reset_index(drop=True)
    n, m = len(acc), len(tr)
    cur, lock = _current_and_locked(acc, tr, locked)
    seg, visits = account_visits(acc, settings)
    w = (visits * seg.map(settings.hours_per_visit).astype(float)).to_numpy(dtype=float)
    pot = acc["annual_potential"].to_numpy(dtype=float)
    key = pot >= settings.key_account_threshold
    spec, violations = _eligibility(key, tr, settings.key_account_threshold, best_effort)
    lines = _line_masks(acc, tr)
    if lines is not None and spec is None:
        spec = np.ones(m, dtype=bool)  # a restriction: every check of eligibility asks the pairs
    fte = rep_fte(tr)
    share = fte / fte.sum()
    qa, names = _balanced(settings.balance_on, w, pot, settings.potential_weight)
    target = qa.sum(axis=1)[:, None] * share[None, :]
    tolerance = settings.tolerance
    lo, hi = target * (1 - tolerance), target * (1 + tolerance)
    v = visits.to_numpy(dtype=float)
    cap = None
    if settings.capacity == "hard":  # a second, upper-only band: visits a month within a full month's capacity
        cap = float(full_month) * fte
        qa, names = np.vstack([qa, v]), names + [CAPACITY_ROW]
        target, lo, hi = np.vstack([target, cap]), np.vstack([lo, np.zeros(m)]), np.vstack([hi, cap])
    mvw, budget = _moved_measure(cur, pot, settings.moved_by, settings.max_moved_share)
    where, bases = _Points.of(acc["lat"], acc["lon"]), _Points.of(tr["base_lat"], tr["base_lon"])
    d = distance_matrix(acc["lat"], acc["lon"], tr["base_lat"], tr["base_lon"]) if n * m <= DENSE_PAIRS else None
    return _Problem(acc, tr, where, bases, d, spec, w, pot, qa, names, target, lo, hi, cur, lock, key, mvw,
                    budget, float(settings.disruption_km), violations, visits=v,
                    segment=seg.to_numpy(dtype=object), lines=lines, visit_cap=cap)


def _line_masks(acc: pd.DataFrame, tr: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Product lines as bit masks: (n,) the lines each account buys and (m,) the lines each rep sells.

    None (no restriction) unless some rep sells one product line only and some
    account names the lines it buys; an account that names none buys every
    line and a rep without a line sells every line.
    """
    if "product_line" not in tr or "product_lines" not in acc:
        return None
    rep_line = tr["product_line"].astype("string").str.strip().fillna("")
    bought = acc["product_lines"].astype("string").fillna("").map(split_lines)
    if not (rep_line != "").any() or not bought.map(len).any():
        return None
    names = sorted(set(rep_line[rep_line != ""]) | {x for b in bought for x in b})
    if len(names) > 62:
        raise InputError("accounts", [f"column product_lines: {len(names)} product lines; at most 62 are supported"])
    bit = {name: 1 << k for k, name in enumerate(names)}
    every = (1 << len(names)) - 1
    acc_mask = np.array([sum(bit[x] for x in b) if b else every for b in bought], dtype=np.int64)
    rep_mask = np.array([bit[x] if x else every for x in rep_line], dtype=np.int64)
    return acc_mask, rep_mask


def _current_and_locked(acc: pd.DataFrame, tr: pd.DataFrame,
                        locked: Iterable[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Each account's current rep (index into ``tr``, -1: none that carries a territory) and lock."""
    n = len(acc)
    rep_index = pd.Index(tr["rep_id"].astype(str))
    cur_ids = acc["current_rep_id"].astype("string") if "current_rep_id" in acc else pd.Series(pd.NA, index=acc.index)
    cur = rep_index.get_indexer(cur_ids.fillna("").astype(str))
    lock = acc["locked"].fillna(False).astype(bool).to_numpy() if "locked" in acc else np.zeros(n, bool)
    locked = as_list(locked, "assign(locked=...)", allow_none=True)  # one id is one account, not its letters
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
    return cur, lock


def _eligibility(key: np.ndarray, tr: pd.DataFrame, threshold: float,
                 best_effort: bool) -> tuple[np.ndarray | None, list[str]]:
    """(m,) the reps that may take key accounts (None: every rep any account), and the violation when
    there are key accounts but no specialist."""
    spec = (tr["role"] == "key_account").to_numpy()
    if not key.any():
        return None, []
    if spec.any():
        return spec, []
    msg = (f"{int(key.sum())} key accounts (annual potential >= {threshold:,.0f}) but no "
           "key-account specialist carries a territory")
    if not best_effort:
        raise InfeasibleError(msg + "; add one (role key_account) or ask for best effort")
    return None, [msg + "; they go to any rep"]


def _balanced(balance_on: Iterable[str], w: np.ndarray, pot: np.ndarray,
              potential_weight: float) -> tuple[np.ndarray, list[str]]:
    """(R, n) balanced quantities and their names: workload (or its blend with potential), potential."""
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
    return np.vstack(quantities), names


def _moved_measure(cur: np.ndarray, pot: np.ndarray, moved_by: str,
                   max_moved_share: float | None) -> tuple[np.ndarray, float]:
    """Each account's weight in the moved-share measure, and the budget in that unit (inf: no cap)."""
    n = len(cur)
    mvw = np.where(cur >= 0, 1.0 if moved_by == "accounts" else pot / max(pot.sum(), 1e-300), 0.0)
    if moved_by == "accounts":
        budget = np.inf if max_moved_share is None else np.floor(max_moved_share * n + 1e-9)
    else:
        budget = np.inf if max_moved_share is None else max_moved_share + 1e-12
    return mvw, budget


def precheck(accounts: pd.DataFrame, reps: pd.DataFrame, assumptions: Assumptions | None = None) -> list[str]:
    """Why :func:`~salesplan.territory.assign` would refuse these tables, without solving.

    The checks ``assign`` runs before it solves: key accounts without a
    specialist, key accounts the specialists cannot carry within the
    tolerance, locked accounts overloading a rep or held by nobody who
    carries a territory, an account bigger than any rep may carry.

    Parameters
    ----------
    accounts, reps : pandas.DataFrame
        As for :func:`~salesplan.territory.assign`.
    assumptions : Assumptions, optional
        Workload norms, tolerance and threshold (default
        :class:`~salesplan.assumptions.Assumptions`).

    Returns
    -------
    list of str
        One line per problem, with the constraint and the amount (empty:
        nothing stops the assignment).
    """
    a, s = _settings(assumptions, "assign()", {})
    try:
        pr = _problem(accounts, reps, s, full_month=_full_month(a, s))
    except InputError as exc:
        return list(exc.problems)
    except InfeasibleError as exc:
        return [str(exc)]
    return _precheck(pr, s.tolerance)


def _precheck(pr: _Problem, tolerance: float) -> list[str]:
    """Requests no assignment can meet, each with the constraint and the amount."""
    out = []
    unit = {"workload": "h/month", "potential": "potential", "load": "% of load"}
    for r, name in enumerate(pr.names):
        if name == CAPACITY_ROW:
            out += _capacity_precheck(pr, r)
            continue
        u = unit[name]
        if pr.spec is not None:
            spec = pr.spec
            if pr.key.any():
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
        biggest = np.full(pr.n, pr.hi[r].max())
        if pr.spec is not None:
            biggest[pr.key] = pr.hi[r, pr.spec].max()
        big = np.flatnonzero((pr.a[r] > biggest + 1e-9) & ~pr.locked)
        for i in big[:5]:
            need_tol = pr.a[r, i] / (biggest[i] / (1 + tolerance)) - 1
            out.append(f"account {pr.accounts.at[i, 'account_id']} alone carries {pr.a[r, i]:,.1f} {u} of {name}, "
                       f"more than any rep it may go to may carry ({biggest[i]:,.1f} at +{tolerance:.0%}); "
                       f"raise the tolerance to {need_tol:.0%}")
    if pr.lines is not None:
        held = np.flatnonzero(pr.locked)
        wrong = held[~pr.eligible_pairs(held, pr.cur[held])]
        if len(wrong):
            ids = ", ".join(pr.accounts["account_id"].astype(str).to_numpy()[wrong[:5]])
            out.append(f"{len(wrong)} locked account(s) ({ids}) locked to a rep who sells none of the product lines "
                       "they buy; unlock them or correct product_lines")
        sold = np.bitwise_or.reduce(pr.lines[1])
        alone = np.flatnonzero((pr.lines[0] & sold) == 0)
        if len(alone):
            ids = ", ".join(pr.accounts["account_id"].astype(str).to_numpy()[alone[:5]])
            out.append(f"{len(alone)} account(s) ({ids}) buy only product lines no rep carrying a territory sells; "
                       "give them a product line of a rep (column product_lines) or a rep that line")
    return out


def _capacity_precheck(pr: _Problem, r: int) -> list[str]:
    """Requests the reps' visit capacity (row ``r``) cannot meet: the whole team, the key-account
    specialists, locked accounts, an account alone."""
    from salesplan.visits import TeamVisits

    cap, need = pr.hi[r], pr.a[r]
    fte = rep_fte(pr.reps)
    per = float(cap.sum() / fte.sum()) if fte.sum() > 0 else 0.0
    team = TeamVisits(needed=float(need.sum()), per_rep=per, reps=pr.m, fte=float(fte.sum()))
    out = []
    if team.short > 1e-9:
        out.append(f"the team cannot cover the accounts at all: they need {team.needed:,.0f} visits a month and the "
                   f"{team.reps} reps carrying a territory can make {team.capacity:,.0f} ({per:,.1f} a full-time rep "
                   f"in a full month); short by {team.short:,.0f} visits a month, {team.reps_short} more full-time "
                   "reps, or fewer visits a month per account (territory.visits_per_month)")
    if pr.spec is not None and pr.key.any() and need[pr.key].sum() > cap[pr.spec].sum() + 1e-9:
        short = need[pr.key].sum() - cap[pr.spec].sum()
        out.append(f"key accounts need {need[pr.key].sum():,.0f} visits a month but the {int(pr.spec.sum())} "
                   f"key-account specialist(s) can make {cap[pr.spec].sum():,.0f}; short by {short:,.0f} visits, "
                   f"{math.ceil(short / max(per, 1e-9) - 1e-9)} more specialists")
    locked = np.bincount(pr.cur[pr.locked], need[pr.locked], minlength=pr.m)
    for j in np.flatnonzero(locked > cap + 1e-9)[:5]:
        out.append(f"locked accounts need {locked[j]:,.1f} visits a month from rep {pr.reps.at[j, 'rep_id']}, who can "
                   f"make {cap[j]:,.1f}")
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
    rc = pr.w[i, None] * (pr.rows(i) + pr.disruption * moved) + pr.a[:, i].T @ lam
    if nu:
        rc = rc + nu * pr.mvw[i, None] * moved
    return rc
