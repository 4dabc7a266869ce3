"""Territory allocation: accounts to reps, balanced, compact, with little disruption.

The model
---------
Each account ``i`` has a monthly workload ``w_i`` (visits a month x hours a
visit) and an annual potential ``p_i``; each rep ``j`` carrying a territory
has an FTE and a base.  An assignment minimises

    cost = sum_i w_i * (km from the rep's base to the account
                        + disruption_km if the account leaves its current rep)

subject to: every account assigned once; each rep's balanced load (workload,
or a blend with potential, or both separately) within ``± tolerance`` of the
rep's FTE share of the total; at most ``max_moved_share`` of the accounts
changing hands; locked accounts staying where they are; key accounts (annual
potential at or above the threshold) only with key-account specialists.

The algorithm
-------------
1. *Candidates*: each account considers its ``candidates`` nearest eligible
   reps and its current rep.
2. *Prices*: the balance and moved-share constraints are priced out
   (Lagrangian relaxation).  Up to a size limit the prices are the exact
   duals of the candidate LP (HiGHS).  Beyond it, with one balanced quantity
   and no moved-share cap, the LP is a transportation problem, solved as a
   min-cost flow (OR-Tools) whose potentials are the prices; the flow starts
   from the prices of accounts pooled by grid cell, which also choose each
   account's candidates by priced cost (big problems are pooled coarse to
   fine, and beyond 30,000 accounts the finest pooling's prices and flow
   are used directly).  Otherwise the prices come from
   maximising an entropy-smoothed Lagrangian dual with L-BFGS-B.  In every
   case a rep outside an account's candidates that is cheaper at the prices
   joins them and the prices are computed again (column generation).
3. *Lower bound*: the Lagrangian dual function evaluated at those prices
   over **all** eligible reps, not only the candidates -- a valid lower
   bound on the cost of every feasible assignment, equal to the LP bound when
   the prices are the LP duals and pruning cut nothing (``dual_bound``).
   It is then raised by keeping whole accounts: with the accounts' own
   multipliers fixed, each rep's share of the dual is a knapsack over its
   band, bounded with its biggest accounts whole rather than split
   (``lower_bound``, still valid; it closes the gap the LP leaves where whole
   accounts cannot fill a band, as with key-account specialists).
4. *Primal*: every account takes its cheapest priced rep, then a repair pass
   moves accounts (fewest cost per unit of imbalance removed) until every
   bound holds, and a local search applies improving moves and swaps.  With
   one balanced quantity and no moved cap, the accounts of each load are
   then re-assigned exactly, the others held (a min-cost flow per load).

Small instances can be solved exactly with ``method="milp"``
(``scipy.optimize.milp``).

Options
-------
Every option of :func:`assign`, :func:`evaluate` and :func:`lp_bound` is a
setting of :class:`~salesplan.assumptions.TerritoryAssumptions`; a keyword
given to the function wins over the assumptions, and both are checked by the
same declared ranges (a misspelt keyword raises :class:`TypeError`).

Modules
-------
``problem``
    The arrays of a request (:func:`account_workload`, :func:`territory_reps`,
    option resolution, the feasibility precheck).
``geometry``
    Distances without an (accounts x reps) matrix: micro-areas and the
    exact cheapest priced reps of every account (big problems).
``pricing``
    Candidates, priced and reduced costs, HiGHS LP prices, smoothed
    Lagrangian prices, column generation (step 2).
``flow``
    The banded min-cost flow, network prices and pooled start prices.
``bounds``
    The dual value, the knapsack floor and the integral bound (step 3).
``repair``, ``search``
    The primal state: repair and ejection chains; moves, swaps and class
    flows (step 4).
``exact``
    The pairs model, the MILP, the MILP polish and :func:`lp_bound`.
``solve``
    :func:`assign` and :func:`evaluate`.
``progress``
    The progress bar and the time limit (``stop_after``) of a run.
``result``
    :class:`Assignment`, :class:`TerritoryMetrics`, :class:`Evaluation` and
    the workbook sheets.

The solver constants re-exported here (``LP_LIMIT``, ``POOL_FROM`` ...) are
read from the module that uses them (``salesplan.territory.solve.LP_LIMIT``).
"""

from __future__ import annotations

from salesplan.schema import BALANCE_ON
from salesplan.schema import TERRITORY_METHODS as METHODS
from salesplan.territory.bounds import KNAPSACK_COMBOS
from salesplan.territory.exact import POLISH_GAP, lp_bound
from salesplan.territory.flow import POOL_FROM
from salesplan.territory.problem import account_workload, precheck, territory_reps
from salesplan.territory.result import Assignment, Evaluation, TerritoryMetrics, territory_sheets
from salesplan.territory.solve import LP_LIMIT, POLISH_SIZE, assign, evaluate

__all__ = [
    "Assignment",
    "BALANCE_ON",
    "Evaluation",
    "KNAPSACK_COMBOS",
    "LP_LIMIT",
    "METHODS",
    "POLISH_GAP",
    "POLISH_SIZE",
    "POOL_FROM",
    "TerritoryMetrics",
    "account_workload",
    "assign",
    "evaluate",
    "lp_bound",
    "precheck",
    "territory_reps",
    "territory_sheets",
]
