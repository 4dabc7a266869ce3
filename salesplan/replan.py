"""Mid-year re-plan: the past frozen, leavers out, joiners in, the rest of the year re-spread.

``salesplan.replan(plan, as_of, leavers={"R03": "2027-05-31"})``
(:func:`replan`) returns a new :class:`~salesplan.plan.Plan`:

* the targets of every month up to ``as_of`` are kept exactly as planned;
* a leaver carries no target after their last day, and their accounts go
  to the remaining reps (and joiners) by the territory engine
  (:func:`salesplan.territory.assign`, without its final MILP polish, so a
  re-plan takes well under a second), every other account locked where it
  is unless ``max_moved_share`` lets some move;
* joiners (rows like ``reps.csv``, e.g. a replacement hire) take a target
  from their start, ramp-up included;
* ``keep="year"``: the annual target of every entity above the rep level
  (company, product line, region, team) stays as it was, and what is left of
  it after ``as_of`` is shared again over the remaining months and members
  -- by the plan's own split method and seasonality, rounded top-down by
  :func:`salesplan.rounding.round_hierarchy`, so every figure is a whole
  unit and every level adds up month by month;
* ``keep="remaining"``: the rest of the year of each entity above the rep
  level is instead its annual target less its actual result to date
  (a shortfall raises it, a surplus lowers it; never below zero).

The new plan carries the hand-over assignment, the staff table with the
leavers gone and the joiners in, and what was asked and what changed
(:class:`~salesplan.plandiff.ReplanChanges`, ``plan.changes``, whose diff
is :meth:`Plan.diff <salesplan.plan.Plan.diff>`), which the workbook shows
on its re-plan sheets.  Staffing and odds are
not carried over (:func:`salesplan.review.review` gives the in-year odds).
The module itself is callable: ``salesplan.replan(plan, ...)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import types
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from salesplan.errors import WARNING, Finding, InfeasibleError, InputError
from salesplan.history import availability
from salesplan.inputs import validate_table
from salesplan.plandiff import DiffMetrics, PlanDiff, ReplanChanges, diff_plans, owners
from salesplan.review import leaver_dates, parse_month
from salesplan.rounding import round_hierarchy
from salesplan.schema import PLANNED_STATUSES, REPS, SALES_ROLES, sales_staff
from salesplan.targets import TARGET_COLUMNS, TargetMetrics, Targets, history_metric, leaf_weights

__all__ = ["replan", "joiner_rows", "KEEP", "PlanDiff", "DiffMetrics", "ReplanChanges", "diff_plans"]

#: What a re-plan holds fixed above the rep level.
KEEP = ("year", "remaining")


def replan(plan, as_of: Any, *, leavers: Mapping[str, Any] | None = None, joiners: Any = None,
           keep: str = "year", max_moved_share: float | None = None):
    """Re-plan the rest of the year after ``as_of``.

    Parameters
    ----------
    plan : Plan
        The plan in force.
    as_of : str or pandas.Period
        Last month kept as planned (``YYYY-MM``, January to November).
    leavers : mapping, optional
        ``{rep_id: "YYYY-MM-DD"}``: last working day of reps who leave.
    joiners : pandas.DataFrame or list of dict, optional
        New staff rows with the columns of ``reps.csv`` (``rep_id, name,
        role, team, region, level, status, hire_date, base_lat, base_lon,
        fte``); ``hire_date`` is the start.
    keep : {"year", "remaining"}
        ``year``: every entity's annual target above the rep level stays;
        ``remaining``: the rest of the year is each entity's annual target
        less its actual result to date (needs actuals up to ``as_of``).
    max_moved_share : float, optional
        Share 0..1 of the other accounts that may change hands in the
        hand-over; default none: only the leavers' accounts move.

    Returns
    -------
    Plan
        Targets re-planned, the hand-over assignment (``territories``; also
        ``inputs.accounts.current_rep_id``), ``inputs.reps`` with the
        leavers' last days (status ``left`` once gone by the end of
        ``as_of``) and the joiners, warnings in ``findings`` and the request
        and its diff in ``changes`` (:class:`~salesplan.plandiff.ReplanChanges`:
        the workbook's sheets ``Re-plan``, ``Re-plan changes`` and
        ``Re-plan accounts``).

    Raises
    ------
    InputError
        A bad month, leaver, joiner or ``keep``; ``keep="remaining"``
        without actuals up to ``as_of``.
    InfeasibleError
        An entity whose target can no longer be carried by anyone (all its
        members left) with ``keep="year"``.
    """
    from salesplan.plan import Plan

    a = plan.assumptions
    month = _month(as_of, a.plan_year)
    if keep not in KEEP:
        raise InputError("replan(keep=...)", [f"{keep!r} is not one of {', '.join(KEEP)}"])
    given = leaver_dates(leavers, plan.inputs.reps, a.plan_year, where="replan(leavers=...)")
    new_rows = joiner_rows(joiners, plan.inputs.reps, a.plan_year)
    findings = [Finding(WARNING, "leaver_in_frozen_months", "replan(leavers=...)",
                        f"{rid} left {day.date()}, before the end of {month}: their targets up to {month} stay "
                        f"as planned (frozen); they carry none from {month + 1}")
                for rid, day in given.items() if day < month.end_time.normalize()]
    staff = _staff(plan.inputs.reps, given, new_rows)
    accounts, assignment, moved = _hand_over(plan, staff, given, max_moved_share)
    assignment = assignment.from_month(month + 1) if assignment is not None else None  # stand-ins: from now on
    findings += moved
    changed = set(given) | set(new_rows["rep_id"])
    if a.targets.split_method in ("potential", "blended"):  # the accounts a rep holds weigh in the split
        before = owners(plan).reindex(accounts["account_id"].astype(str)).fillna("").to_numpy()
        after = accounts["current_rep_id"].fillna("").astype(str).to_numpy()
        changed |= set(before[before != after]) | set(after[before != after])
    table = _respread(plan, staff, accounts, month, keep, changed)
    carried = table.groupby("rep_id")["target"].sum()
    findings += [Finding(WARNING, "joiner_without_target", "replan(joiners=...)",
                         f"{rid} carries no target: nothing of the year is left to share where they join "
                         f"({r.region} / {r.team}); re-plan with keep='remaining' or give them another team")
                 for rid, r in new_rows.set_index("rep_id").iterrows() if carried.get(rid, 0) == 0]
    m = plan.targets.metrics
    metrics = TargetMetrics(
        year=m.year, totals={k: float(table.loc[table["metric"] == k, "target"].sum()) for k in m.totals},
        units=m.units, reps_with_target=int(table.loc[table["target"] > 0, "rep_id"].nunique()),
        split_method=m.split_method, seasonality=m.seasonality, hierarchy=m.hierarchy)
    stamp = repr((str(month), sorted((k, str(v.date())) for k, v in given.items()), keep, max_moved_share,
                  pd.util.hash_pandas_object(new_rows, index=False).sum() if len(new_rows) else 0))
    gone = [rid for rid, day in given.items() if day < (month + 1).start_time]  # leaving later: still active
    inputs = dataclasses.replace(
        plan.inputs, reps=staff.assign(status=np.where(staff["rep_id"].isin(gone), "left", staff["status"])),
        accounts=accounts, findings=tuple(plan.inputs.findings) + tuple(findings),
        fingerprint=hashlib.sha256((plan.fingerprint + stamp).encode()).hexdigest()[:16])
    new = Plan(inputs=inputs, assumptions=a, targets=Targets(table=table, seasonality=plan.targets.seasonality,
                                                             metrics=metrics),
               territories=assignment if assignment is not None else plan.territories)
    changes = ReplanChanges(as_of=month, keep=keep, leavers=given,
                            joiners=dict(zip(new_rows["rep_id"].astype(str), new_rows["hire_date"])),
                            max_moved_share=max_moved_share, diff=diff_plans(plan, new), findings=tuple(findings))
    return dataclasses.replace(new, changes=changes)


def _month(as_of: Any, year: int) -> pd.Period:
    """``as_of`` as a month of the plan year that leaves something to re-plan."""
    month = parse_month(as_of, "replan(as_of=...)")
    if month.year != year or month.month == 12:
        raise InputError("replan(as_of=...)", [f"{month}: must be a month of the plan year {year} before "
                                               "December (the months after it are re-planned)"])
    return month


def joiner_rows(joiners: Any, reps: pd.DataFrame, year: int) -> pd.DataFrame:
    """Check new staff rows and convert their types like ``reps.csv``.

    Parameters
    ----------
    joiners : pandas.DataFrame, list of dict or None
        Rows with the columns of ``reps.csv``.
    reps : pandas.DataFrame
        The staff table (a joiner's ``rep_id`` must be new).
    year : int
        Plan year (a joiner starts in it).

    Returns
    -------
    pandas.DataFrame
        Typed rows (empty when ``joiners`` is None).

    Raises
    ------
    InputError
        Every problem, naming the row (1 = first joiner) and column.
    """
    if joiners is None or len(joiners) == 0:
        return reps.iloc[0:0].copy()
    raw = pd.DataFrame(joiners).reset_index(drop=True)
    for col in raw.columns:
        if pd.api.types.is_datetime64_any_dtype(raw[col]):
            raw[col] = raw[col].dt.strftime("%Y-%m-%d")
    text = raw.astype(object).where(raw.notna(), "").astype(str)
    table, problems = validate_table(text, REPS)
    if not problems:
        for i, r in table.iterrows():
            where = f"joiner {i + 1} ({r['rep_id']})"
            if r["rep_id"] in set(reps["rep_id"]):
                problems.append(f"{where}: rep_id is already in reps.csv; give a new one")
            if r["role"] not in SALES_ROLES or r["status"] not in PLANNED_STATUSES:
                problems.append(f"{where}: must be a sales role ({', '.join(SALES_ROLES)}) that is active or open")
            if r["hire_date"].year != year:
                problems.append(f"{where}: hire_date {r['hire_date'].date()} is not in the plan year {year}")
    if problems:
        raise InputError("replan(joiners=...)", [p.replace("line ", "joiner row ") for p in problems])
    return table[[c.name for c in REPS]]


def _staff(reps: pd.DataFrame, leavers: Mapping[str, pd.Timestamp], joiners: pd.DataFrame) -> pd.DataFrame:
    """The staff table with the leavers' last days and the joiners (leavers still active: they keep
    their targets up to their last day)."""
    staff = reps.copy()
    for rid, day in leavers.items():
        staff.loc[staff["rep_id"] == rid, "end_date"] = day
    return pd.concat([staff, joiners], ignore_index=True) if len(joiners) else staff


def _hand_over(plan, staff: pd.DataFrame, leavers: Mapping[str, pd.Timestamp],
               max_moved_share: float | None) -> tuple[pd.DataFrame, Any, list[Finding]]:
    """Accounts with their reps after the hand-over, the assignment (None: nothing to hand over) and warnings."""
    from salesplan.territory import assign

    acc = plan.inputs.accounts.copy()
    acc["current_rep_id"] = owners(plan).reindex(acc["account_id"]).to_numpy()
    leaving = acc["current_rep_id"].isin(list(leavers)).to_numpy()
    joining = len(staff) > len(plan.inputs.reps)
    if not leaving.any() and max_moved_share is None and not joining:
        return acc, None, []
    acc.loc[leaving, "locked"] = False  # a tie to a rep who left is void
    reps = staff.assign(status=np.where(staff["rep_id"].isin(list(leavers)), "left", staff["status"]))
    # no final MILP polish: the accounts of each workload are already re-assigned exactly (min-cost
    # flows); on the sample the polish took 1.7-6.5 s for a cost 0.04 % lower (benchmarks/replan.py)
    options = {"polish": False} if max_moved_share is None else {"polish": False, "max_moved_share": max_moved_share}
    locked = None
    if max_moved_share is None:
        keep = ~leaving & acc["current_rep_id"].isin(sales_staff(reps)["rep_id"]).to_numpy()
        locked = acc.loc[keep, "account_id"]
    result = assign(acc, reps, assumptions=plan.assumptions, locked=locked, best_effort=True, **options)
    findings = [Finding(WARNING, "handover_balance", "replan()",
                        f"territory hand-over: {v}; let other accounts move with max_moved_share")
                for v in result.metrics.violations]
    acc["current_rep_id"] = result.table["rep_id"].to_numpy()
    return acc, result, findings


def _respread(plan, staff: pd.DataFrame, accounts: pd.DataFrame, month: pd.Period, keep: str,
              changed: set[str]) -> pd.DataFrame:
    """The new long target table: months up to ``month`` as planned, the rest shared again where
    something changed (``changed`` reps; every entity with ``keep="remaining"``)."""
    a = plan.assumptions
    old = plan.targets.table
    reps = sales_staff(staff)
    lines = sorted(old["product_line"].astype(str).unique())
    leaf = pd.MultiIndex.from_product([reps["rep_id"].astype(str), lines], names=["rep_id", "product_line"])
    k = int(month.month)
    frames = []
    for metric in dict.fromkeys(old["metric"]):
        prev = old[old["metric"] == metric]
        grid = prev.pivot_table(index=["rep_id", "product_line"], columns=prev["month"].dt.month,
                                values=["target", "exact"], aggfunc="sum", observed=True)
        target, exact = (grid[v].reindex(index=leaf, columns=range(1, 13), fill_value=0.0)
                         .to_numpy(dtype=float, copy=True) for v in ("target", "exact"))
        unit = float(plan.targets.metrics.units.get(metric, 1.0))
        target[:, k:], exact[:, k:] = _rest_of_year(plan, reps, accounts, lines, metric, (target, exact), k, keep,
                                                    unit, changed)
        frames.append(_long_table(reps, lines, metric, target, exact, a.plan_year))
    return pd.concat(frames, ignore_index=True)


def _rest_of_year(plan, reps: pd.DataFrame, accounts: pd.DataFrame, lines: Sequence[str], metric: str,
                  planned: tuple[np.ndarray, np.ndarray], k: int, keep: str, unit: float,
                  changed: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """Leaf x months-to-come targets (currency or count) and exact shares.

    Entities above the rep level that nothing changed in keep their planned
    months; in the others the rest of the year (``keep``) is shared again
    over the remaining months and members by the plan's split method and
    seasonality, rounded top-down along the hierarchy.
    """
    a = plan.assumptions
    t = a.targets
    year, history = a.plan_year, plan.inputs.history
    target, exact = planned
    n_l = len(lines)
    levels = {"rep_id": np.repeat(reps["rep_id"].astype(str).to_numpy(), n_l),
              "region": np.repeat(reps["region"].astype(str).to_numpy(), n_l),
              "team": np.repeat(reps["team"].astype(str).to_numpy(), n_l),
              "product_line": np.tile(np.asarray(lines, dtype=object), len(reps))}
    upper = [lv for lv in t.hierarchy if lv != "rep_id"]
    node = pd.DataFrame({lv: levels[lv] for lv in upper}).groupby(upper, sort=True).ngroup().to_numpy()
    n_nodes = int(node.max()) + 1
    if keep == "year":
        owed = np.rint(np.bincount(node, target[:, k:].sum(axis=1) / unit, minlength=n_nodes))
        touched = np.bincount(node, np.isin(levels["rep_id"], sorted(changed)), minlength=n_nodes) > 0
    else:
        owed = np.rint(_owed_after_actuals(plan, levels, upper, node, target, k, metric, unit))
        touched = np.ones(n_nodes, dtype=bool)
    rest, rest_exact = target[:, k:].copy(), exact[:, k:].copy()
    sel = touched[node]
    if not sel.any():
        return rest, rest_exact
    months = list(range(k + 1, 13))
    avail = availability(reps, year)[months].to_numpy()
    w = leaf_weights(reps, history, accounts, year=year, metric=history_metric(metric, history, a),
                     method=t.split_method, blend=t.blend, ramp_curve=a.staffing.ramp_curve, months=months)
    w = w.reindex(columns=list(lines), fill_value=0.0).to_numpy(dtype=float).ravel()
    w = w * np.repeat(avail.sum(axis=1) > 0, n_l) * sel
    wsum = np.bincount(node, w, minlength=n_nodes)
    empty = np.flatnonzero(touched & (owed > 0) & (wsum <= 0))
    if len(empty):
        leaf = int(np.flatnonzero(node == empty[0])[0])
        where = " / ".join(str(levels[lv][leaf]) for lv in upper)
        raise InfeasibleError(f"{metric}: nobody is left in {where} to carry its {owed[empty[0]] * unit:,.0f} after "
                              f"{year}-{k:02d}; add a joiner there, or re-plan with keep='remaining'")
    leaf_exact = owed[node] * w / np.where(wsum > 0, wsum, 1)[node]
    season = plan.targets.seasonality.to_numpy()[k:]
    prof = season[None, :] * np.repeat(avail, n_l, axis=0)
    ps = prof.sum(axis=1, keepdims=True)
    prof = np.where(ps > 0, prof / np.where(ps > 0, ps, 1), season[None, :] / season.sum())
    e0 = leaf_exact[:, None] * prof
    total = float(owed[touched].sum())
    x = np.zeros((int(sel.sum()), len(months)))
    if total > 0:
        x = round_hierarchy(e0[sel], leaf_exact[sel], total, [levels[lv][sel] for lv in t.hierarchy],
                            np.zeros(int(sel.sum())), np.full(int(sel.sum()), np.inf), name=metric, unit=unit)
    if not np.array_equal(np.bincount(node[sel], x.sum(axis=1), minlength=n_nodes)[touched], owed[touched]):
        raise InfeasibleError(f"{metric}: the rest of the year could not be shared with every entity's total "
                              "kept; re-plan with keep='remaining'")
    rest[sel], rest_exact[sel] = x * unit, np.round(e0[sel] * unit, 4)
    return rest, rest_exact


def _owed_after_actuals(plan, levels: Mapping[str, np.ndarray], upper: Sequence[str], node: np.ndarray,
                        target: np.ndarray, k: int, metric: str, unit: float) -> np.ndarray:
    """Per entity above the rep level: annual target less the actual to date, in units, at least 0."""
    actuals = plan.inputs.actuals
    last = f"{plan.year}-{k:02d}"
    end = actuals["month"].max() if actuals is not None and len(actuals) else None
    if end is None or str(end) < last:
        raise InputError("replan(keep='remaining')", [f"needs actuals up to {last} (actuals.csv ends at "
                                                      f"{end or 'no month'})"])
    if metric not in actuals or actuals[metric].isna().all():
        raise InputError("replan(keep='remaining')", [f"actuals.csv has no {metric} to re-base the rest of the "
                                                      "year on; re-plan with keep='year'"])
    done = actuals[actuals["month"] <= pd.Period(last, freq="M")]
    got = done.groupby(list(upper), observed=True)[metric].sum()
    keys = pd.MultiIndex.from_arrays([levels[lv] for lv in upper]) if len(upper) > 1 else pd.Index(levels[upper[0]])
    per_leaf = got.reindex(keys).fillna(0.0).to_numpy(dtype=float)  # each leaf sees its entity's actual
    n_nodes = int(node.max()) + 1
    actual = np.zeros(n_nodes)
    actual[node] = per_leaf
    annual = np.bincount(node, target.sum(axis=1), minlength=n_nodes)
    return np.maximum(annual - actual, 0.0) / unit


def _long_table(reps: pd.DataFrame, lines: Sequence[str], metric: str, target: np.ndarray, exact: np.ndarray,
                year: int) -> pd.DataFrame:
    """One metric's rows in the layout of :func:`salesplan.targets.decompose` (rep-major, line, month)."""
    n_l, n_leaf = len(lines), target.shape[0]
    rep = lambda col: np.repeat(np.repeat(reps[col].astype(str).to_numpy(), n_l), 12)  # noqa: E731
    return pd.DataFrame({
        "region": rep("region"), "team": rep("team"),
        "product_line": np.repeat(np.tile(np.asarray(lines, dtype=object), len(reps)), 12).astype(str),
        "rep_id": rep("rep_id"), "name": rep("name"), "role": rep("role"),
        "month": pd.arrays.PeriodArray(np.tile(pd.period_range(f"{year}-01", periods=12, freq="M").asi8, n_leaf),
                                       dtype="period[M]"),
        "metric": metric, "target": target.ravel(), "exact": exact.ravel(),
    })[TARGET_COLUMNS]


class _CallableModule(types.ModuleType):
    """``salesplan.replan(plan, ...)`` calls :func:`replan` even once the module is imported."""

    def __call__(self, *args: Any, **kwargs: Any):
        return replan(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
