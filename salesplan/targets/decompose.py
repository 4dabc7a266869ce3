"""Target decomposition: annual target -> months -> product lines, regions, teams, reps.

The annual target of each metric is split top-down along the hierarchy in
``assumptions.targets.hierarchy`` (default ``product_line -> region -> team ->
rep_id``).  Each month of a product line (its seasonal weight of the
annual target) is shared among the members by their weight in the line times
their expected capacity in that month (:func:`~salesplan.targets.member_weights`:
months on the payroll x ramp-up at that tenure x FTE), so a rep joining in
June, or an open requisition, has no target before the start month and a
small one while ramping up, and a leaver gets the months before they go.  :func:`~salesplan.rounding.round_hierarchy` then rounds the
whole table so that every figure is a whole multiple of the metric's unit
and every level adds up exactly to its parent, month by month and over the
year.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.arguments import as_list, require_attrs, with_months
from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import last_year, seasonality
from salesplan.rounding import round_hierarchy
from salesplan.schema import METRICS, SALES_ROLES, sales_staff
from salesplan.targets.result import TargetMetrics, Targets
from salesplan.targets.weights import (annual_totals, growth_bounds, history_metric, line_eligibility, member_weights,
                                       month_shares)

__all__ = ["decompose", "TARGET_COLUMNS"]

#: Columns of the long target table (:attr:`Targets.table`).
TARGET_COLUMNS = ["region", "team", "product_line", "rep_id", "name", "role", "month", "metric",
                  "target", "exact"]


def decompose(
    inputs,
    assumptions: Assumptions | None = None,
    *,
    metrics: str | Sequence[str] | None = None,
) -> Targets:
    """Annual targets split to rep x product line x month, coherently rounded.

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs (:func:`salesplan.load_inputs`).
    assumptions : Assumptions, optional
        Overrides ``inputs.assumptions``.
    metrics : str or sequence of str, optional
        Any of :data:`~salesplan.schema.METRICS`; default
        ``assumptions.targets.metrics`` (revenue, collections and new
        customers unless new outlets or gross profit are asked for).

    Returns
    -------
    Targets
        ``table`` has one row per rep x product line x month x metric;
        ``target`` is a whole multiple of the metric's unit (currency or
        count), ``exact`` the unrounded share.  Rows sum exactly, per month
        and per year, to every level of the hierarchy and to the company
        total.

    Raises
    ------
    InputError
        History that does not cover the year before the plan year, unknown
        metrics, nobody to carry a target.
    InfeasibleError
        Growth floors/caps that cannot all hold.
    """
    require_attrs(inputs, "decompose(inputs=...)", "Inputs (salesplan.load_inputs)",
                  ("reps", "history", "accounts", "assumptions"))
    a = assumptions or inputs.assumptions
    t = a.targets
    year = a.plan_year
    history = with_months(inputs.history, "decompose(inputs=...).history")
    metrics = tuple(t.metrics) if metrics is None else tuple(as_list(metrics, "decompose(metrics=...)"))
    bad = [m for m in metrics if m not in METRICS]
    if bad:
        raise InputError("decompose(metrics=...)", [f"unknown metric(s) {bad}; valid: {', '.join(METRICS)}"])
    months_ly = last_year(history, year)["month"].nunique()
    if months_ly < 12:
        raise InputError("history.csv", [
            f"last year ({year - 1}) has {months_ly} of 12 months (history ends {history['month'].max()}); "
            f"the plan year {year} (assumptions plan_year) needs a full year of history before it"])
    reps = sales_staff(inputs.reps)
    if reps.empty:
        raise InputError("reps.csv", ["no active or open rep with a sales role "
                                      f"({', '.join(SALES_ROLES)}) to carry a target"])
    lines = sorted(history["product_line"].astype(str).unique())
    _check_lines(reps, lines)
    season = seasonality(history, t.seasonality, year=year, override=t.seasonality_override,
                         calendar=a.calendar)
    revenue = annual_totals(history, lines, year, "revenue", a)
    frames = []
    for metric in metrics:
        totals = revenue if metric == "revenue" else annual_totals(history, lines, year, metric, a, revenue)
        base, cap = member_weights(reps, history, inputs.accounts, year=year,
                                   metric=history_metric(metric, history, a), method=t.split_method,
                                   blend=t.blend, ramp_curve=a.staffing.ramp_curve)
        share = month_shares(base.reindex(columns=lines, fill_value=0.0).to_numpy(), cap.to_numpy(),
                             line_eligibility(reps, lines))
        frames.append(_decompose_metric(reps, share, lines, totals, season.to_numpy(), history, year, metric, a))
    table = pd.concat(frames, ignore_index=True)
    for c in ("region", "team", "product_line", "rep_id", "name", "role", "metric"):
        table[c] = table[c].astype(str)
    result_metrics = TargetMetrics(
        year=year,
        totals={m: float(table.loc[table["metric"] == m, "target"].sum()) for m in metrics},
        units={m: float(t.unit.get(m, 1.0)) for m in metrics},
        reps_with_target=int(table.loc[table["target"] > 0, "rep_id"].nunique()),
        split_method=t.split_method,
        seasonality="override" if t.seasonality_override is not None else t.seasonality,
        hierarchy=tuple(t.hierarchy),
    )
    return Targets(table=table, seasonality=season, metrics=result_metrics)


def _check_lines(reps: pd.DataFrame, lines: list[str]) -> None:
    """Reps of one product line sell a line of the history, and every line has somebody to carry it."""
    if "product_line" not in reps:
        return
    own = reps["product_line"].astype("string").str.strip().fillna("")
    bad = [f"rep {r}: product_line '{pl}' is not a product line of history.csv; valid: {', '.join(lines)} "
           "(empty: every line)" for r, pl in zip(reps["rep_id"], own) if pl and pl not in lines]
    elig = line_eligibility(reps, lines)
    bad += [f"product line {pl} has nobody to carry its target: every rep with a target sells another line "
            "(column product_line)" for pl, ok in zip(lines, elig.any(axis=0)) if not ok]
    if bad:
        raise InputError("reps.csv", bad)


def _decompose_metric(reps, share, lines, totals, season, history, year, metric, a) -> pd.DataFrame:
    """One metric's long table: each line x month shared among the members by ``share``, then rounded.

    ``share`` (rep x line x month) follows each member's expected capacity in
    that month, so a part-year member's months carry what they can sell.
    """
    t = a.targets
    unit = float(t.unit.get(metric, 1.0))
    n_r, n_l = len(reps), len(lines)
    line_month = (totals.reindex(lines).to_numpy(dtype=float) / unit)[:, None] * season[None, :]  # units
    e0 = (share * line_month[None, :, :]).reshape(n_r * n_l, 12)  # leaves: rep-major, product line minor
    leaf_exact = e0.sum(axis=1)
    lo, hi = growth_bounds(reps, history, lines, year, metric, a, unit)
    cols = {
        "rep_id": np.repeat(reps["rep_id"].astype(str).to_numpy(), n_l),
        "region": np.repeat(reps["region"].astype(str).to_numpy(), n_l),
        "team": np.repeat(reps["team"].astype(str).to_numpy(), n_l),
        "product_line": np.tile(np.asarray(lines, dtype=object), n_r),
    }
    total_units = float(np.floor(leaf_exact.sum() + 0.5))
    x = round_hierarchy(e0, leaf_exact, total_units, [cols[level] for level in t.hierarchy], lo, hi,
                        name=metric, unit=unit)
    n_leaf = len(leaf_exact)
    return pd.DataFrame({
        "region": np.repeat(cols["region"], 12),
        "team": np.repeat(cols["team"], 12),
        "product_line": np.repeat(cols["product_line"], 12),
        "rep_id": np.repeat(cols["rep_id"], 12),
        "name": np.repeat(np.repeat(reps["name"].astype(str).to_numpy(), n_l), 12),
        "role": np.repeat(np.repeat(reps["role"].astype(str).to_numpy(), n_l), 12),
        "month": pd.arrays.PeriodArray(
            np.tile(pd.period_range(f"{year}-01", periods=12, freq="M").asi8, n_leaf), dtype="period[M]"),
        "metric": metric,
        "target": (x.ravel() * unit),
        "exact": np.round(e0.ravel() * unit, 4),  # 4 decimals: survives a spreadsheet round trip
    })
