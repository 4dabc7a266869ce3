"""The result of an assignment: tables, metrics and workbook sheets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesplan.territory.problem import _Problem


@dataclass(frozen=True)
class Assignment:
    """Result of :func:`assign` (treat the frames as read-only).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per account: ``account_id, name, city, segment, key_account,
        locked, workload, potential, current_rep_id, rep_id, distance_km,
        moved``.
    summary : pandas.DataFrame
        One row per rep carrying a territory: ``rep_id, name, role, fte,
        accounts, key_accounts, workload, potential, target_load, load,
        deviation, travel_km, cost`` (``load``/``target_load`` in the balanced
        unit; ``deviation`` = load / target - 1).
    metrics : dict
        ``max_abs_deviation, cost, lower_bound, dual_bound, gap_pct, moved,
        moved_share, runtime_s, method, violations`` and the instance size.
        ``lower_bound`` is a proven lower bound on the cost of every
        assignment that meets the request, ``gap_pct`` the cost above it;
        ``dual_bound`` is the (weaker) Lagrangian bound at the prices, the LP
        relaxation's value when the prices are its duals.
    reps : pandas.DataFrame
        The reps that carry territories (with their bases), for maps.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    metrics: dict
    reps: pd.DataFrame = field(default_factory=pd.DataFrame)

    def moved_accounts(self) -> pd.DataFrame:
        """Accounts that change hands, biggest workload first."""
        t = self.table[self.table["moved"]]
        return t.sort_values(["workload", "account_id"], ascending=[False, True]).reset_index(drop=True)


def _result(pr: _Problem, idx: np.ndarray, bounds: tuple[float, float], method: str, tolerance: float,
            problems: list[str], t0: float) -> Assignment:
    n = pr.n
    dual, lower = bounds
    rows = np.arange(n)
    dist = pr.d[rows, idx].astype(float)
    cost_i = pr.cost(rows, idx)
    moved = (pr.cur >= 0) & (idx != pr.cur)
    acc, tr = pr.accounts, pr.reps
    rep_ids = tr["rep_id"].astype(str).to_numpy()
    table = pd.DataFrame({
        "account_id": acc["account_id"].astype(str).to_numpy(),
        "name": acc["name"].astype(str).to_numpy() if "name" in acc else "",
        "city": acc["city"].astype(str).to_numpy() if "city" in acc else "",
        "segment": acc["segment"].astype(str).to_numpy(),
        "key_account": pr.key,
        "locked": pr.locked,
        "workload": pr.w,
        "potential": pr.p,
        "current_rep_id": np.where(pr.cur >= 0, rep_ids[np.maximum(pr.cur, 0)],
                                   acc["current_rep_id"].astype("string").fillna("").to_numpy()
                                   if "current_rep_id" in acc else ""),
        "rep_id": rep_ids[idx],
        "distance_km": np.round(dist, 1),
        "moved": moved,
    })
    m = pr.m
    load = pr.loads(idx)
    dev = load / np.where(pr.target > 0, pr.target, 1) - 1
    worst_r = np.abs(dev).argmax(axis=0)
    summary = pd.DataFrame({
        "rep_id": rep_ids,
        "name": tr["name"].astype(str).to_numpy() if "name" in tr else rep_ids,
        "role": tr["role"].astype(str).to_numpy(),
        "fte": tr["fte"].to_numpy(dtype=float) if "fte" in tr else 1.0,
        "accounts": np.bincount(idx, minlength=m),
        "key_accounts": np.bincount(idx, pr.key, minlength=m).astype(int),
        "workload": np.bincount(idx, pr.w, minlength=m),
        "potential": np.bincount(idx, pr.p, minlength=m),
        "balanced_on": [pr.names[r] for r in worst_r],
        "target_load": pr.target[worst_r, np.arange(m)],
        "load": load[worst_r, np.arange(m)],
        "deviation": dev[worst_r, np.arange(m)],
        "travel_km": np.bincount(idx, dist, minlength=m),
        "cost": np.bincount(idx, cost_i, minlength=m),
    })
    cost = float(cost_i.sum())
    violations = list(pr.violations) + list(problems)
    over = np.abs(dev) > tolerance + 1e-9
    for r, j in zip(*np.nonzero(over)):
        violations.append(f"rep {rep_ids[j]}: {pr.names[r]} {load[r, j]:,.1f} is {dev[r, j]:+.1%} from its "
                          f"target {pr.target[r, j]:,.1f} (allowed ±{tolerance:.0%})")
    moved_w = float(pr.moves(rows, idx).sum())
    if moved_w > pr.budget + 1e-9:
        violations.append(f"moved {moved_w:,.4g}, above the cap of {pr.budget:,.4g}")
    if violations:
        lower = dual = float("nan")  # a bound on feasible assignments says nothing about this one
    metrics = {
        "accounts": n,
        "reps": m,
        "method": method,
        "max_abs_deviation": float(np.abs(dev).max()),
        "cost": cost,
        "lower_bound": float(lower),
        "dual_bound": float(dual),
        "gap_pct": float(100 * (cost - lower) / abs(lower)) if lower and np.isfinite(lower) else float("nan"),
        "moved": int(moved.sum()),
        "moved_share": float(moved.mean()) if n else 0.0,
        "travel_km": float(dist.sum()),
        "runtime_s": time.perf_counter() - t0,
        "violations": violations,
    }
    return Assignment(table, summary, metrics, tr)


def territory_sheets(assignment: Assignment) -> dict[str, pd.DataFrame]:
    """Workbook sheets of an assignment.

    Returns
    -------
    dict
        ``"Territories"`` (one row per rep), ``"Territory accounts"`` (one
        row per account) and ``"Territory metrics"`` (cost, bound, gap,
        balance, moves, violations).
    """
    s = assignment.summary.copy()
    for c in ("workload", "potential", "target_load", "load", "travel_km", "cost"):
        s[c] = s[c].round(2)
    s["deviation"] = s["deviation"].round(4)
    m = assignment.metrics
    labels = {
        "accounts": "Accounts", "reps": "Reps carrying a territory", "method": "Method",
        "max_abs_deviation": "Largest deviation from target load", "cost": "Cost (workload-weighted km)",
        "lower_bound": "Lower bound on the cost", "gap_pct": "Gap to the bound (%)", "moved": "Accounts moved",
        "moved_share": "Share of accounts moved", "travel_km": "Distance to all accounts (km)",
        "runtime_s": "Run time (s)",
    }
    rows = [(label, m[k]) for k, label in labels.items()]
    rows += [("Violation", v) for v in m["violations"]]
    metrics = pd.DataFrame(rows, columns=["metric", "value"])
    metrics["value"] = metrics["value"].map(lambda v: round(v, 4) if isinstance(v, float) else v).astype(str)
    return {"Territories": s, "Territory accounts": assignment.table.copy(), "Territory metrics": metrics}
