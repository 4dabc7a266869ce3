"""Visits of a territory plan: each rep's visits against capacity by month, and the stand-ins of requisitions.

An open requisition's accounts have nobody until the new hire starts.  Each
of them gets a *stand-in*: the active rep (on the payroll all year) who may
take it and costs least by the plan's own cost -- km from the rep's base,
plus the disruption penalty unless the stand-in is the account's current
rep -- from the first month of the plan year until the hire's start month
plus ``territory.handover_months`` (the overlap in which the stand-in
introduces the new owner).  The hand-over schedule lists every such account,
its stand-in, its new owner and the month the new owner takes it over; the
stand-ins' extra visits count in their months.

Each rep's visits a month (own accounts from the month they take them over,
plus those they stand in for) are set against their capacity that month
(:func:`salesplan.visits.visit_capacity`: visits a day x working days x FTE
x ramp-up), and against a full month (:func:`salesplan.visits.full_month_visits`
x FTE) in the warnings (check ``visit_capacity``).

Everything that needs the calendar is worked out when first asked for
(:class:`~salesplan.territory.Assignment` keeps a :class:`VisitContext`), so
an assignment nobody looks at the visits of costs no calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesplan.errors import WARNING, Finding
from salesplan.territory.problem import PRICE_CHUNK, _Problem

__all__ = ["VisitContext", "visit_context", "monthly_visits", "rep_capacity", "handover_schedule", "stand_in_load",
           "visit_findings", "visit_sheets", "QUOTED", "MONTH_NAMES"]

#: Column names of the months in the wide tables (the workbook shows them in its language).
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: Reps (or stand-ins) named in one warning before "and N more".
QUOTED = 5
_MONTHS = 12


@dataclass(frozen=True)
class VisitContext:
    """What the visits of an assignment are worked out from.

    Attributes
    ----------
    assumptions : Assumptions
        Plan year, calendar, visit norms, ramp-up (capacity).
    reps : pandas.DataFrame
        The reps carrying a territory (in the order of the indexes below).
    accounts : pandas.DataFrame
        ``account_id, name, city`` of every account.
    visits, workload : numpy.ndarray
        Visits a month and hours a month of each account.
    rep_of : numpy.ndarray
        Index of each account's rep.
    stand_in : numpy.ndarray
        Index of each account's stand-in (-1: none needed, or nobody may).
    takeover : numpy.ndarray
        Per rep, the month index (0 = January of the plan year) from which
        they carry their own accounts: 0 for reps on the payroll, the start
        month plus the overlap for an open requisition (12 or more: not in
        the plan year).
    distance : numpy.ndarray
        Km from each account to its stand-in's base (NaN without one).
    first : int
        Month index from which the visits are planned (0: January; a
        re-plan's first month after the months kept): requisitions that
        start by then need no stand-in, and earlier months are left out of
        the stand-ins' work and the warnings.
    """

    assumptions: object
    reps: pd.DataFrame
    accounts: pd.DataFrame
    visits: np.ndarray
    workload: np.ndarray
    rep_of: np.ndarray
    stand_in: np.ndarray
    takeover: np.ndarray
    distance: np.ndarray
    first: int = 0

    @property
    def covered(self) -> np.ndarray:
        """(n,) accounts of a rep who takes them over after the first planned month (an open requisition)."""
        return self.takeover[self.rep_of] > self.first

    def months(self):
        """The plan year's months (``PeriodIndex``)."""
        return pd.period_range(f"{self.assumptions.plan_year}-01", periods=_MONTHS, freq="M")


def _takeover(reps: pd.DataFrame, year: int, overlap: int) -> np.ndarray:
    """(m,) month index from which each rep carries their accounts (open requisitions: start + overlap)."""
    m = len(reps)
    if "status" not in reps or "hire_date" not in reps:
        return np.zeros(m, dtype=np.int64)
    hire = pd.to_datetime(reps["hire_date"], errors="coerce")
    start = ((hire.dt.year - year) * 12 + hire.dt.month - 1).fillna(0).to_numpy(dtype=np.int64)
    opened = (reps["status"] == "open").to_numpy()
    return np.where(opened, np.maximum(start + overlap, 0), 0).astype(np.int64)


def _available(reps: pd.DataFrame, year: int) -> np.ndarray:
    """(m,) reps who can stand in: active, and not leaving before the plan year ends."""
    if "status" not in reps:
        return np.ones(len(reps), dtype=bool)
    ok = (reps["status"] == "active").to_numpy(dtype=bool)
    if "end_date" in reps:
        end = pd.to_datetime(reps["end_date"], errors="coerce")
        ok = ok & (end.isna() | (end >= pd.Timestamp(year=year, month=12, day=31))).to_numpy(dtype=bool)
    return ok


def visit_context(pr: _Problem, idx: np.ndarray, assumptions, settings) -> VisitContext:
    """Stand-ins of the accounts of open requisitions, and what the visits of the assignment need later.

    Parameters
    ----------
    pr : _Problem
        The request (accounts, reps, costs, eligibility).
    idx : numpy.ndarray
        Each account's rep (index into ``pr.reps``).
    assumptions : Assumptions
    settings : TerritoryAssumptions
        ``handover_months``.

    Returns
    -------
    VisitContext
    """
    year = assumptions.plan_year
    takeover = _takeover(pr.reps, year, settings.handover_months)
    stand = np.full(pr.n, -1, dtype=np.int64)
    dist = np.full(pr.n, np.nan)
    need = np.flatnonzero(takeover[idx] > 0)
    able = np.flatnonzero(_available(pr.reps, year))
    for c0 in range(0, len(need) if len(able) else 0, PRICE_CHUNK):
        i = need[c0:c0 + PRICE_CHUNK]
        km = pr.rows(i)[:, able]
        moved = (pr.cur[i, None] >= 0) & (able[None, :] != pr.cur[i, None])
        cost = np.where(pr.eligible(i)[:, able], km + pr.disruption * moved, np.inf)  # the plan's cost per hour
        best = cost.argmin(axis=1)
        ok = np.isfinite(cost[np.arange(len(i)), best])
        stand[i[ok]] = able[best[ok]]
        dist[i[ok]] = km[np.arange(len(i)), best][ok]
    visits = pr.visits if pr.visits is not None else np.zeros(pr.n)
    acc = pr.accounts
    ids = pd.DataFrame({"account_id": acc["account_id"].astype(str).to_numpy(),
                        "name": acc["name"].astype(str).to_numpy() if "name" in acc else "",
                        "city": acc["city"].astype(str).to_numpy() if "city" in acc else ""})
    return VisitContext(assumptions, pr.reps, ids, visits, pr.w, np.asarray(idx), stand, takeover, dist)


def _grid(ctx: VisitContext) -> tuple[np.ndarray, np.ndarray]:
    """(m, 12) own visits and stand-in visits of each rep in each month."""
    m = len(ctx.reps)
    t = np.arange(_MONTHS)
    own = np.bincount(ctx.rep_of, ctx.visits, minlength=m)[:, None] * (t[None, :] >= ctx.takeover[:, None])
    extra = np.zeros((m, _MONTHS))
    waiting = ctx.takeover[ctx.rep_of]  # month from which each account's own rep carries it
    has = (ctx.stand_in >= 0) & ctx.covered
    for month in range(ctx.first, _MONTHS):
        sel = has & (month < waiting)
        extra[:, month] = np.bincount(ctx.stand_in[sel], ctx.visits[sel], minlength=m)
    return own, extra


def monthly_visits(ctx: VisitContext) -> pd.DataFrame:
    """Each rep's visits in each month of the plan year against their capacity that month.

    Parameters
    ----------
    ctx : VisitContext

    Returns
    -------
    pandas.DataFrame
        One row per rep x month: ``rep_id, name, role, month``,
        ``own_visits`` (their accounts, from the month they take them
        over), ``stand_in_visits`` (accounts of requisitions they stand in
        for), ``visits`` (the two), ``capacity`` (visits a day x working
        days x share of the month on the payroll x ramp-up x FTE) and
        ``over_capacity`` (visits above capacity); visits a month.
    """
    from salesplan.visits import visit_capacity

    own, extra = _grid(ctx)
    cap = visit_capacity(ctx.reps, ctx.assumptions).to_numpy()
    m = len(ctx.reps)
    reps = ctx.reps
    total = own + extra
    return pd.DataFrame({
        "rep_id": np.repeat(reps["rep_id"].astype(str).to_numpy(), _MONTHS),
        "name": np.repeat(reps["name"].astype(str).to_numpy() if "name" in reps else "", _MONTHS),
        "role": np.repeat(reps["role"].astype(str).to_numpy(), _MONTHS),
        "month": np.tile(np.asarray(ctx.months()), m),
        "own_visits": own.ravel(), "stand_in_visits": extra.ravel(), "visits": total.ravel(),
        "capacity": cap.ravel(), "over_capacity": (total > cap + 1e-9).ravel(),
    })


def rep_capacity(ctx: VisitContext) -> pd.DataFrame:
    """Each rep's visits a month against a full month's capacity (the figure the balance is judged by).

    Parameters
    ----------
    ctx : VisitContext

    Returns
    -------
    pandas.DataFrame
        One row per rep: ``rep_id``, ``visits`` (a month, own accounts),
        ``visit_capacity`` (a full month of a fully ramped rep at their
        FTE), ``visit_use`` (share 0..1 and beyond) and ``over_capacity``.
    """
    from salesplan.visits import full_month_visits, rep_fte

    reps = ctx.reps
    cap = full_month_visits(ctx.assumptions) * rep_fte(reps)
    visits = np.bincount(ctx.rep_of, ctx.visits, minlength=len(reps))
    return pd.DataFrame({"rep_id": reps["rep_id"].astype(str).to_numpy(), "visits": visits, "visit_capacity": cap,
                         "visit_use": visits / np.where(cap > 0, cap, np.nan), "over_capacity": visits > cap + 1e-9})


def handover_schedule(ctx: VisitContext) -> pd.DataFrame:
    """Every account of an open requisition: who stands in until the new owner takes it over, and when.

    Parameters
    ----------
    ctx : VisitContext

    Returns
    -------
    pandas.DataFrame
        ``account_id, name, city, new_owner, stand_in`` (empty: no active
        rep may take it), ``from_month`` (the plan year's first month),
        ``handover_month`` (the new owner's first month with it: start month
        plus the overlap; in the next year for a start late in the year),
        ``visits`` (a month), ``workload`` (hours a month) and
        ``distance_km`` (stand-in's base to the account), by new owner,
        month and account.
    """
    sel = np.flatnonzero(ctx.covered)
    rep_ids = ctx.reps["rep_id"].astype(str).to_numpy()
    january = pd.Period(f"{ctx.assumptions.plan_year}-01", "M")
    out = ctx.accounts.iloc[sel].reset_index(drop=True).assign(
        new_owner=rep_ids[ctx.rep_of[sel]],
        stand_in=np.where(ctx.stand_in[sel] >= 0, rep_ids[np.maximum(ctx.stand_in[sel], 0)], ""),
        from_month=january + ctx.first,
        handover_month=pd.PeriodIndex([january + int(k) for k in ctx.takeover[ctx.rep_of[sel]]], freq="M"),
        visits=ctx.visits[sel], workload=ctx.workload[sel], distance_km=np.round(ctx.distance[sel], 1))
    return out.sort_values(["new_owner", "handover_month", "account_id"], kind="stable").reset_index(drop=True)


def stand_in_load(ctx: VisitContext) -> pd.DataFrame:
    """The stand-ins' temporary extra work: per stand-in and month, the accounts they cover and their visits.

    Parameters
    ----------
    ctx : VisitContext

    Returns
    -------
    pandas.DataFrame
        One row per stand-in x month with work: ``rep_id, month``,
        ``accounts`` (count), ``visits`` and ``workload`` (visits and hours a
        month) and ``for_reps`` (the requisitions whose accounts they keep).
    """
    rep_ids = ctx.reps["rep_id"].astype(str).to_numpy()
    rows = []
    waiting = ctx.takeover[ctx.rep_of]
    months = ctx.months()
    for month in range(ctx.first, _MONTHS):
        sel = (ctx.stand_in >= 0) & ctx.covered & (month < waiting)
        for j in np.unique(ctx.stand_in[sel]):
            mine = sel & (ctx.stand_in == j)
            rows.append((rep_ids[j], months[month], int(mine.sum()), float(ctx.visits[mine].sum()),
                         float(ctx.workload[mine].sum()), ", ".join(sorted(set(rep_ids[ctx.rep_of[mine]])))))
    out = pd.DataFrame(rows, columns=["rep_id", "month", "accounts", "visits", "workload", "for_reps"])
    return out.sort_values(["rep_id", "month"], kind="stable").reset_index(drop=True)


def visit_findings(ctx: VisitContext) -> tuple[Finding, ...]:
    """The warnings of an assignment's visits (check ``visit_capacity``).

    The team cannot make the visits its accounts need
    (:func:`salesplan.visits.team_finding`); reps whose accounts need more
    visits than a full month allows; stand-ins who carry more than they can
    make in a month; accounts of a requisition nobody may stand in for.

    Parameters
    ----------
    ctx : VisitContext

    Returns
    -------
    tuple of Finding
        Level warning, source ``territories``.
    """
    from salesplan.i18n import finding, listing
    from salesplan.visits import CHECK, SOURCE, TeamVisits, full_month_visits, rep_fte, team_finding

    a = ctx.assumptions
    cap = rep_capacity(ctx)
    team = TeamVisits(needed=float(ctx.visits.sum()), per_rep=full_month_visits(a), reps=len(ctx.reps),
                      fte=float(rep_fte(ctx.reps).sum()))
    out = [f for f in [team_finding(team, a)] if f is not None]
    over = cap[cap["over_capacity"]].sort_values(["visit_use", "rep_id"], ascending=[False, True])
    if len(over):
        def reps_over(t):
            items = [t.text("visits_rep_item", rep=r.rep_id, visits=f"{r.visits:,.0f}",
                            capacity=f"{r.visit_capacity:,.0f}") for r in over.itertuples()]
            hint = t.text("visits_hard_hint") if a.territory.capacity != "hard" else ""
            return t.text("visits_reps", n=len(over), total=len(cap), items=listing(items, t, QUOTED)) + hint
        out.append(finding(WARNING, CHECK, SOURCE, reps_over))
    month = monthly_visits(ctx)
    busy = month[(month["stand_in_visits"] > 0) & month["over_capacity"]]  # (only months from ``first``)
    if len(busy):
        worst = busy.loc[busy.groupby("rep_id")["visits"].idxmax()].sort_values("visits", ascending=False)

        def stand_ins_over(t):
            items = [t.text("visits_standin_item", rep=r.rep_id, visits=f"{r.visits:,.0f}", month=r.month,
                            capacity=f"{r.capacity:,.0f}", stood=f"{r.stand_in_visits:,.0f}")
                     for r in worst.itertuples()]
            return t.text("visits_standins", items=listing(items, t, QUOTED))
        out.append(finding(WARNING, CHECK, SOURCE, stand_ins_over))
    alone = ctx.covered & (ctx.stand_in < 0)
    if alone.any():
        ids = ", ".join(ctx.accounts["account_id"].to_numpy()[alone][:QUOTED])
        out.append(finding(WARNING, CHECK, SOURCE,
                           lambda t: t.text("visits_alone", n=int(alone.sum()), ids=ids)))
    return tuple(out)


def visit_sheets(ctx: VisitContext, visits: pd.DataFrame, schedule: pd.DataFrame,
                 load: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The visit tables as a manager reads them: months across, one block per rep.

    Parameters
    ----------
    ctx : VisitContext
    visits, schedule, load : pandas.DataFrame
        :func:`monthly_visits`, :func:`handover_schedule` and
        :func:`stand_in_load` of ``ctx``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"Visit capacity"`` (per rep two rows -- ``measure`` visits a
        month, own and stood in for, and capacity a month -- and the months
        ``Jan`` .. ``Dec``), ``"Hand-over"`` (per requisition and stand-in:
        accounts, visits and hours a month, from and to which month),
        ``"Hand-over accounts"`` (:func:`handover_schedule`, every account)
        and ``"Stand-ins"`` (per stand-in, ``rep_id, name`` and the visits a
        month stood in for, months across); the last three only when some
        account waits for a requisition.
    """
    long = visits.melt(id_vars=["rep_id", "name", "month"], value_vars=["visits", "capacity"],
                       var_name="measure", value_name="value")
    names = {"visits": "visits a month", "capacity": "capacity a month"}
    long["measure"] = long["measure"].map(names)
    long["m"] = long["month"].map(lambda p: MONTH_NAMES[p.month - 1])
    wide = long.pivot_table(index=["rep_id", "name", "measure"], columns="m", values="value", sort=False,
                            observed=True).reindex(columns=list(MONTH_NAMES)).round(1).reset_index()
    order = {r: k for k, r in enumerate(ctx.reps["rep_id"].astype(str))}
    wide = wide.sort_values(["rep_id", "measure"], key=lambda c: c.map(order) if c.name == "rep_id" else
                            c.map({v: k for k, v in enumerate(names.values())}), kind="stable").reset_index(drop=True)
    wide.columns.name = None
    summary = (schedule.groupby(["new_owner", "stand_in"], sort=True)
               .agg(accounts=("account_id", "size"), visits=("visits", "sum"), workload=("workload", "sum"),
                    from_month=("from_month", "first"), handover_month=("handover_month", "first"))
               .reset_index().round({"visits": 2, "workload": 2}))
    stand = load.assign(m=load["month"].map(lambda p: MONTH_NAMES[p.month - 1])) if len(load) else load
    if len(stand):
        stand = (stand.pivot_table(index="rep_id", columns="m", values="visits", fill_value=0.0, observed=True)
                 .reindex(columns=list(MONTH_NAMES), fill_value=0.0).round(1).reset_index())
        stand.columns.name = None
        names = dict(zip(ctx.reps["rep_id"].astype(str), ctx.reps["name"].astype(str))) if "name" in ctx.reps else {}
        stand.insert(1, "name", stand["rep_id"].map(names).fillna(""))
    else:
        stand = pd.DataFrame(columns=["rep_id", "name", *MONTH_NAMES])
    if not len(schedule):  # no requisition starts after the first planned month: nothing to hand over
        return {"Visit capacity": wide}
    return {"Visit capacity": wide, "Hand-over": summary, "Hand-over accounts": schedule.copy(), "Stand-ins": stand}
