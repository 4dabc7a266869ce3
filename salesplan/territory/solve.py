"""Entry points: :func:`assign` and :func:`evaluate`."""

from __future__ import annotations

import time
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InfeasibleError, InputError
from salesplan.schema import TERRITORY_METHODS as METHODS
from salesplan.territory.bounds import _integral_bound
from salesplan.territory.exact import _milp, _polish
from salesplan.territory.flow import _flow_prices
from salesplan.territory.pricing import _candidates, _lagrangian_prices, _lp_column_prices, _reduced
from salesplan.territory.problem import _precheck, _problem, _problem_from
from salesplan.territory.result import Assignment, _result
from salesplan.territory.search import _State

#: Candidate-LP size (variables) up to which ``auto`` prices with HiGHS duals.
LP_LIMIT = 60_000
#: Accounts re-solved exactly by the final polish, and its relative MILP gap.
POLISH_SIZE = 60


def assign(
    accounts: pd.DataFrame,
    reps: pd.DataFrame,
    *,
    balance_on: Sequence[str] = ("workload",),
    tolerance: float | None = None,
    max_moved_share: float | None = None,
    locked: Iterable[str] | None = None,
    key_account_threshold: float | None = None,
    method: str = "auto",
    seed: int | None = None,
    best_effort: bool = False,
    assumptions: Assumptions | None = None,
    potential_weight: float | None = None,
    disruption_km: float | None = None,
    moved_by: str = "accounts",
    candidates: int = 12,
    time_limit: float = 60.0,
    polish: bool = True,
    polish_time: float = 10.0,
) -> Assignment:
    """Assign accounts to reps: balanced, compact, with little disruption.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``account_id, lat, lon, segment, annual_potential`` and optionally
        ``name, city, visits_per_month, current_rep_id, locked``.
    reps : pandas.DataFrame
        ``rep_id, role, status, fte, base_lat, base_lon`` (and ``name``).
        Only sales roles that are active or open carry a territory.
    balance_on : tuple of {"workload", "potential"}
        Quantities held within ``± tolerance`` of each rep's FTE share.
    tolerance : float, optional
        Allowed relative deviation (default ``territory.tolerance``, 0.10).
    max_moved_share : float, optional
        Cap on the share of accounts (or of potential, ``moved_by``) that
        change hands; ``None``: no cap.
    locked : iterable of str, optional
        Account ids that stay with their current rep (added to the
        ``locked`` column).
    key_account_threshold : float, optional
        Annual potential from which an account is a key account (30,000).
    method : {"auto", "lp", "flow", "lagrangian", "milp"}
        ``lp``: prices from the HiGHS candidate LP; ``flow``: from a min-cost
        flow (one balanced quantity, no ``max_moved_share``; any size);
        ``lagrangian``: from the smoothed dual (any request, slow at scale);
        ``auto`` picks ``lp`` up to 60,000 candidate pairs, else ``flow``
        where it applies, else ``lagrangian``; ``milp``: exact (small
        instances, ``time_limit``).
    seed : int, optional
        Breaks ties between equally good moves (default ``assumptions.seed``).
    best_effort : bool
        Return the closest assignment with the violations listed in
        ``metrics["violations"]`` instead of raising :class:`InfeasibleError`.
    assumptions : Assumptions, optional
        Workload norms, ``disruption_km``, ``potential_weight`` and defaults.
    potential_weight : float, optional
        0..1: the balanced "load" blends workload share and potential share.
    disruption_km : float, optional
        Penalty in km (weighted by workload) for moving an account.
    moved_by : {"accounts", "potential"}
        What ``max_moved_share`` counts.
    candidates : int
        Nearest eligible reps each account considers (besides its current rep).
    time_limit : float
        Seconds for ``method="milp"``.
    polish : bool
        Re-solve the most ambiguous accounts exactly at the end (a small
        MILP neighbourhood of ``POLISH_SIZE`` accounts).
    polish_time : float
        Guard on the polish, seconds: a polish that has not finished by
        then is dropped, so the plan never depends on how fast the machine
        is (the polish normally takes well under a second).

    Returns
    -------
    Assignment

    Raises
    ------
    InfeasibleError
        When the request cannot be met (which constraint, by how much),
        unless ``best_effort``.
    InputError
        Bad parameters or columns.
    """
    t0 = time.perf_counter()
    a = assumptions or Assumptions()
    ta = a.territory
    tolerance = ta.tolerance if tolerance is None else float(tolerance)
    key_account_threshold = ta.key_account_threshold if key_account_threshold is None else key_account_threshold
    potential_weight = ta.potential_weight if potential_weight is None else potential_weight
    disruption_km = ta.disruption_km if disruption_km is None else disruption_km
    if method not in METHODS:
        raise InputError("assign(method=...)", [f"got {method!r}; valid: {', '.join(METHODS)}"])
    rng = np.random.default_rng([a.seed if seed is None else seed, 3])
    pr = _problem(accounts, reps, tuple(balance_on), tolerance, max_moved_share, locked, key_account_threshold,
                  moved_by, potential_weight, disruption_km, best_effort, a)
    problems = _precheck(pr, tolerance)
    if problems and not best_effort:
        raise InfeasibleError("territories cannot be balanced: " + "; ".join(problems))
    cand, ccost = _candidates(pr, candidates)
    n_pairs = int(((cand >= 0) & ~pr.locked[:, None]).sum())
    network = len(pr.a) == 1 and not np.isfinite(pr.budget)
    if method == "auto":
        used = "lp" if n_pairs <= LP_LIMIT else ("flow" if network else "lagrangian")
    elif method == "flow" and not network:
        raise InputError("assign(method=...)", ["'flow' needs one balanced quantity and no max_moved_share; "
                                               "use 'lp' or 'lagrangian'"])
    else:
        used = method
    bound_exact = None
    if used == "milp":
        assign_idx, bound_exact = _milp(pr, time_limit)
    else:
        res = (_flow_prices(pr, candidates) if used == "flow"
               else _lp_column_prices(pr, cand, ccost) if used == "lp" else None)
        if res is not None:
            mu_u, mu_l, nu, dual, cand, ccost, pick = res
        else:
            # the LP has no feasible point (pruning, a binding cap, or method="lagrangian"): the
            # smoothed dual still prices the request; the repair reports what cannot be met
            used = "lagrangian"
            mu_u, mu_l, nu, dual, cand, ccost = _lagrangian_prices(pr, cand, ccost)
            pick = np.full(pr.n, -1)
        rc = _reduced(pr, cand, ccost, mu_u - mu_l, nu)
        pick = np.where(pick >= 0, pick, cand[np.arange(pr.n), rc.argmin(axis=1)])
        pick[pr.locked] = pr.cur[pr.locked]
        state = _State(pr, cand, ccost, pick)
        state.repair(max_steps=50 * pr.m + 10 * pr.n)
        state.improve(rounds=20, rng=rng)
        state.repair(max_steps=50 * pr.m + 10 * pr.n)
        if network:
            state.class_flows(sweeps=2)
        if polish and _polish(state, rc, size=POLISH_SIZE, time_limit=polish_time):
            state.improve(rounds=5, rng=rng)
        assign_idx = state.assign
        dual, lower = _integral_bound(pr, mu_u, mu_l, nu, dual)
    if problems:
        lower = dual = float("nan")  # the request itself is infeasible: no bound to speak of
    elif used == "milp":
        lower = dual = bound_exact
    result = _result(pr, assign_idx, (dual, lower), used, tolerance, problems, t0)
    if result.metrics["violations"] and not best_effort:
        v = result.metrics["violations"]
        more = f" (and {len(v) - 5} more)" if len(v) > 5 else ""
        cap = "" if max_moved_share is None else f", max_moved_share {max_moved_share:.0%}"
        raise InfeasibleError(
            f"no assignment found within tolerance ±{tolerance:.0%}{cap}; the closest one still breaks: "
            + "; ".join(v[:5]) + more + ". Loosen the tolerance or the moved-share cap, or ask for best effort")
    return result


def evaluate(accounts: pd.DataFrame, reps: pd.DataFrame, rep_ids: Sequence[str], **kwargs) -> dict:
    """Cost, balance and moves of a given assignment under the :func:`assign` model.

    Used to score other methods (or the current territories) on the same
    objective.  Keyword arguments are those of :func:`assign`.

    Returns
    -------
    dict
        ``cost, max_abs_deviation, moved_share, travel_km``.
    """
    pr = _problem_from(accounts, reps, kwargs, best_effort=True)
    idx = pd.Index(pr.reps["rep_id"].astype(str)).get_indexer([str(x) for x in rep_ids])
    if (idx < 0).any():
        raise InputError("evaluate(rep_ids=...)", ["every account needs a rep that carries a territory"])
    rows = np.arange(pr.n)
    load = pr.loads(idx)
    dev = load / pr.target - 1
    return {"cost": float(pr.cost(rows, idx).sum()), "max_abs_deviation": float(np.abs(dev).max()),
            "moved_share": float(((pr.cur >= 0) & (idx != pr.cur)).mean()),
            "travel_km": float(pr.d[rows, idx].sum())}
