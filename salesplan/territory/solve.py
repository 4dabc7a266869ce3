"""Entry points: :func:`assign` and :func:`evaluate`."""

from __future__ import annotations

import time
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions, TerritoryAssumptions
from salesplan.errors import InfeasibleError, InputError
from salesplan.territory.bounds import _integral_bound
from salesplan.territory.exact import _milp, _polish
from salesplan.territory.flow import _flow_prices
from salesplan.territory.pricing import _candidates, _lagrangian_prices, _lp_column_prices, _reduced
from salesplan.territory.handover import visit_context
from salesplan.territory.problem import DENSE_PAIRS, _full_month, _precheck, _problem, _problem_from, _Problem, _settings
from salesplan.territory.progress import _Clock
from salesplan.territory.result import Assignment, Evaluation, _result
from salesplan.territory.search import _State

#: Candidate-LP size (variables) up to which ``auto`` prices with HiGHS duals.
LP_LIMIT = 60_000
#: Accounts re-solved exactly by the final polish (its relative MILP gap is ``exact.POLISH_GAP``).
POLISH_SIZE = 60
#: Repair steps allowed per rep and per account (a guard: the repair normally stops long before).
REPAIR_STEPS_PER_REP, REPAIR_STEPS_PER_ACCOUNT = 50, 10
#: Rounds of improving moves and swaps after the repair, and after a successful polish.
IMPROVE_ROUNDS, IMPROVE_ROUNDS_AFTER_POLISH = 20, 5
#: Sweeps over the load classes re-assigned exactly by min-cost flow (big problems: one, after the
#: sweep that balanced the start).
CLASS_FLOW_SWEEPS = 2
#: Violations quoted in the message of an assignment that breaks the request.
QUOTED_VIOLATIONS = 5
#: Stages of a run, as its progress bar shows them.
STAGES = ("problem", "prices", "balance", "repair", "improve", "class flows", "polish", "bound", "tables")


def assign(accounts: pd.DataFrame, reps: pd.DataFrame, *, assumptions: Assumptions | None = None,
           locked: Iterable[str] | None = None, seed: int | None = None, best_effort: bool = False,
           **options: Any) -> Assignment:
    """Assign accounts to reps: balanced, compact, with little disruption.

    Every option defaults to ``assumptions.territory`` and a keyword given
    here wins (:func:`salesplan.assumptions.override`), so a setting made only
    in ``assumptions.yaml`` -- a moved-share cap, say -- is honoured.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``account_id, lat, lon, segment, annual_potential`` and optionally
        ``name, city, visits_per_month, current_rep_id, locked``
        (coordinates in degrees, potential in currency a year).
    reps : pandas.DataFrame
        ``rep_id, role, status, fte, base_lat, base_lon`` (and ``name``).
        Only sales roles that are active or open carry a territory
        (:func:`territory_reps`).
    assumptions : Assumptions, optional
        Workload norms and the default of every option (default
        :class:`~salesplan.assumptions.Assumptions`).
    locked : iterable of str, optional
        Account ids that stay with their current rep (added to the
        ``locked`` column).
    seed : int, optional
        Breaks ties between equally good moves (default ``assumptions.seed``).
    best_effort : bool
        Return the closest assignment with the violations listed in
        ``metrics.violations`` instead of raising :class:`InfeasibleError`.
    **options
        Any setting of :class:`~salesplan.assumptions.TerritoryAssumptions`:
        ``tolerance`` (share, each rep's balanced load within ± this of its
        FTE-share target), ``max_moved_share`` (share 0..1 of accounts, or of
        potential with ``moved_by="potential"``, that may change hands;
        ``None``: no cap), ``key_account_threshold`` (currency a year),
        ``visits_per_month`` / ``hours_per_visit`` (by segment),
        ``disruption_km`` (km, weighted by workload, charged for moving an
        account), ``potential_weight`` (0..1, blend of potential share into
        the balanced load), ``balance_on`` (``workload`` and/or
        ``potential``), ``moved_by``, ``method``, ``candidates`` (nearest
        eligible reps an account considers), ``polish``, ``polish_time`` (s)
        and ``time_limit`` (s, ``method="milp"``).

        ``method``: ``lp`` prices from the HiGHS candidate LP; ``flow`` from
        a min-cost flow (one balanced quantity, no ``max_moved_share``; any
        size); ``lagrangian`` from the smoothed dual (any request, slow at
        scale); ``auto`` picks ``lp`` up to :data:`LP_LIMIT` candidate pairs,
        else ``flow`` where it applies, else ``lagrangian``; ``milp`` is
        exact (small instances).  ``polish`` re-solves the
        :data:`POLISH_SIZE` most ambiguous accounts exactly at the end; a
        polish not finished within ``polish_time`` is dropped, so the plan
        never depends on how fast the machine is.

    Returns
    -------
    Assignment

    Raises
    ------
    TypeError
        An option that is not a territory setting (a misspelt keyword).
    InfeasibleError
        When the request cannot be met (which constraint, by how much),
        unless ``best_effort``.
    InputError
        Bad option values or columns.
    """
    t0 = time.perf_counter()
    a, s = _settings(assumptions, "assign()", options)
    rng = np.random.default_rng([a.seed if seed is None else seed, 3])
    clock = _Clock(STAGES, s.stop_after, s.progress)
    try:
        clock.stage("problem")
        pr = _problem(accounts, reps, s, locked=locked, best_effort=best_effort, full_month=_full_month(a, s))
        problems = _precheck(pr, s.tolerance)
        if problems and not best_effort:
            raise InfeasibleError("territories cannot be balanced: " + "; ".join(problems))
        cand, ccost, used = _method(pr, s)
        if used == "milp":
            assign_idx, bound = _milp(pr, s.time_limit)
            dual = lower = bound
        else:
            used, assign_idx, (dual, lower) = _heuristic(pr, s, used, cand, ccost, rng, clock)
        if problems:
            lower = dual = float("nan")  # the request itself is infeasible: no bound to speak of
        clock.stage("tables")
        result = _result(pr, assign_idx, (dual, lower), used, s.tolerance, problems, t0,
                         stopped=s.stop_after if clock.cut_short else None, context=visit_context(pr, assign_idx, a, s))
    finally:
        clock.close()
    if result.metrics.violations and not best_effort:
        raise _infeasible(result.metrics.violations, s, clock.cut_short)
    return result


def _is_network(s: TerritoryAssumptions) -> bool:
    """One balanced quantity, no moved-share cap and no capacity bound: the LP is a transportation problem."""
    return len(s.balance_on) == 1 and s.max_moved_share is None and s.capacity != "hard"


def _method(pr: _Problem, s: TerritoryAssumptions) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """The nearest candidates (None when the method finds its own) and the method ``s.method`` stands for.

    ``auto`` is ``lp`` while the candidate LP has at most ``LP_LIMIT``
    variables, else ``flow`` for a network request, else ``lagrangian``.
    Reps of one product line (``pr.lines``) are priced by the LP or the
    Lagrangian only, up to ``DENSE_PAIRS`` account x rep pairs: the pooled
    flows and the micro-areas know only the key-account rule.
    """
    network = _is_network(s) and pr.lines is None
    if pr.lines is not None and (s.method == "flow" or pr.d is None):
        raise InputError("assign()", [f"reps of one product line: at most {DENSE_PAIRS:,} account x rep pairs "
                                      f"(this request has {pr.n * pr.m:,}) and a method other than 'flow'"])
    if s.method == "flow" and not network:
        raise InputError("assign(method=...)", ["'flow' needs one balanced quantity, no max_moved_share and no "
                                               "capacity bound; use 'lp' or 'lagrangian'"])
    surely_big = int((~pr.locked).sum()) * min(s.candidates, pr.m) > LP_LIMIT
    if (s.method == "flow" or (s.method == "auto" and network)) and surely_big:
        return None, None, "flow"
    cand, ccost = _candidates(pr, s.candidates)
    n_pairs = int(((cand >= 0) & ~pr.locked[:, None]).sum())
    if s.method == "auto":
        return cand, ccost, "lp" if n_pairs <= LP_LIMIT else ("flow" if network else "lagrangian")
    return cand, ccost, s.method


def _heuristic(pr: _Problem, s: TerritoryAssumptions, method: str, cand: np.ndarray | None,
               ccost: np.ndarray | None, rng: np.random.Generator,
               clock: _Clock) -> tuple[str, np.ndarray, tuple[float, float]]:
    """Prices, then a primal plan from them, then the bounds: ``(method used, rep per account, (dual, lower))``."""
    clock.stage("prices")
    res = (_flow_prices(pr, s.candidates) if method == "flow"
           else _lp_column_prices(pr, cand, ccost) if method == "lp" else None)
    if res is not None:
        mu_u, mu_l, nu, dual, cand, ccost, pick = res[:7]
    else:
        # the LP has no feasible point (pruning, a binding cap, or method="lagrangian"): the
        # smoothed dual still prices the request; the repair reports what cannot be met
        method = "lagrangian"
        if cand is None:
            cand, ccost = _candidates(pr, s.candidates)
        mu_u, mu_l, nu, dual, cand, ccost = _lagrangian_prices(pr, cand, ccost)
        pick = np.full(pr.n, -1)
    rc = _reduced(pr, cand, ccost, mu_u - mu_l, nu)
    pick = np.where(pick >= 0, pick, cand[np.arange(pr.n), rc.argmin(axis=1)])
    pick[pr.locked] = pr.cur[pr.locked]
    state = _State(pr, cand, ccost, pick)
    state.stop = clock.out_of_time
    _search(state, rc, s, rng, clock)
    clock.stage("bound")
    return method, state.assign, _integral_bound(pr, mu_u, mu_l, nu, dual)


def _search(state: _State, rc: np.ndarray, s: TerritoryAssumptions, rng: np.random.Generator,
            clock: _Clock) -> None:
    """Repair, local search, exact class flows (network requests) and the MILP polish, in place.

    On big network requests (no dense distances) the start -- the pooled
    LP solution shared out to whole accounts -- is first balanced by the
    class flows, which hand out the small accounts exactly where the
    rounding left a rep just outside its band; the greedy repair then mends
    what they leave.  Once the time limit is past, the stages left are
    skipped (a repair cut short may leave a band broken: the plan then
    carries its violations).
    """
    pr = state.pr
    steps = REPAIR_STEPS_PER_REP * pr.m + REPAIR_STEPS_PER_ACCOUNT * pr.n
    network = _is_network(s)
    if network and pr.d is None:
        clock.stage("balance")
        state.class_flows(sweeps=1)
    clock.stage("repair")
    state.repair(max_steps=steps)
    if not clock.out_of_time():
        clock.stage("improve")
        state.improve(rounds=IMPROVE_ROUNDS, rng=rng)
        state.repair(max_steps=steps)
    if network and not clock.out_of_time():
        clock.stage("class flows")
        state.class_flows(sweeps=CLASS_FLOW_SWEEPS if pr.d is not None else 1, rc=rc if pr.d is None else None)
    if s.polish and not clock.out_of_time():
        clock.stage("polish")
        if _polish(state, rc, size=POLISH_SIZE, time_limit=s.polish_time):
            state.improve(rounds=IMPROVE_ROUNDS_AFTER_POLISH, rng=rng)


def _infeasible(violations: Sequence[str], s: TerritoryAssumptions, cut_short: bool = False) -> InfeasibleError:
    """The error for a plan that still breaks the request: the first violations and what to loosen."""
    k = QUOTED_VIOLATIONS
    more = f" (and {len(violations) - k} more)" if len(violations) > k else ""
    cap = ("" if s.max_moved_share is None else f", max_moved_share {s.max_moved_share:.0%}") + \
        (", every rep within their visit capacity" if s.capacity == "hard" else "")
    if cut_short:
        return InfeasibleError(
            f"the time limit of {s.stop_after:g} s (stop_after) was reached before every rep was within "
            f"±{s.tolerance:.0%}{cap}; the best plan found so far still breaks: " + "; ".join(violations[:k])
            + more + ". Allow more time, or ask for best effort to get that plan")
    return InfeasibleError(
        f"no assignment found within tolerance ±{s.tolerance:.0%}{cap}; the closest one still breaks: "
        + "; ".join(violations[:k]) + more + ". Loosen the tolerance or the moved-share cap, or ask for best effort")


def evaluate(accounts: pd.DataFrame, reps: pd.DataFrame, rep_ids: Sequence[str], *,
             assumptions: Assumptions | None = None, **options: Any) -> Evaluation:
    """Cost, balance and moves of a given assignment under the :func:`assign` model.

    Used to score other methods (or the current territories) on the same
    objective.

    Parameters
    ----------
    accounts, reps : pandas.DataFrame
        As for :func:`assign`.
    rep_ids : sequence of str
        The rep of each account, in the order of ``accounts``; each must
        carry a territory.
    assumptions, **options
        As for :func:`assign`, resolved the same way (a misspelt keyword
        raises :class:`TypeError`).

    Returns
    -------
    Evaluation
        ``cost`` (km weighted by workload hours a month),
        ``max_abs_deviation`` (share), ``moved_share`` (share of accounts),
        ``travel_km`` (km).
    """
    pr = _problem_from(accounts, reps, assumptions, options, where="evaluate()", best_effort=True)
    idx = pd.Index(pr.reps["rep_id"].astype(str)).get_indexer([str(x) for x in rep_ids])
    if (idx < 0).any():
        raise InputError("evaluate(rep_ids=...)", ["every account needs a rep that carries a territory"])
    rows = np.arange(pr.n)
    load = pr.loads(idx)
    dev = load / pr.target - 1
    return Evaluation(cost=float(pr.cost(rows, idx).sum()), max_abs_deviation=float(np.abs(dev).max()),
                      moved_share=float(((pr.cur >= 0) & (idx != pr.cur)).mean()),
                      travel_km=float(pr.km(rows, idx).sum()))
