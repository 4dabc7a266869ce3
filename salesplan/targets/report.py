"""Views and checks of a target table: pivots, coherence, rounding gaps, commitments, export frames.

Every function takes the long target table (or a :class:`~salesplan.targets.Targets`
result, whose ``table`` is used), so it works as well on a table read back
from a workbook.
"""

from __future__ import annotations

import calendar
from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.arguments import as_list, require_frame
from salesplan.errors import InputError
from salesplan.targets.decompose import TARGET_COLUMNS

__all__ = ["pivot", "check_coherence", "rounding_deviation", "commitment_gap", "target_frames", "DATA_SHEET",
           "QUARTERS"]

#: Name of the frame (and workbook sheet) holding the long target table.
DATA_SHEET = "Targets data"
_METRIC_LABEL = {"revenue": "Revenue", "collections": "Collections", "new_customers": "New customers",
                 "new_outlets": "New outlets", "gross_profit": "Gross profit"}
#: Quarter columns of every month x entity table, after the months.
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


_LEVELS = ("region", "team", "product_line", "rep_id", "name", "role")


def _table(targets, where: str = "targets", levels: Sequence[str] = (), metric: str | None = None
           ) -> pd.DataFrame:
    """The long table of a :class:`Targets` result, or the table itself, checked: the columns it needs,
    the ``levels`` and ``metric`` asked for, months as periods (``"YYYY-MM"`` text converted)."""
    from salesplan.arguments import with_months
    from salesplan.inputs.tables import did_you_mean

    t = getattr(targets, "table", targets)
    require_frame(t, where, ["metric", "month", "target"])
    for level in levels:
        if level not in t.columns:
            valid = [c for c in _LEVELS if c in t.columns]
            raise InputError(where, [f"no level {level!r}{did_you_mean(str(level), valid)}; valid: {', '.join(valid)}"])
    if metric is not None and metric not in set(t["metric"]):
        have = sorted(set(t["metric"].astype(str)))
        raise InputError(where, [f"no metric {metric!r}{did_you_mean(str(metric), have)}; valid: {', '.join(have)}"])
    return with_months(t, where)


def pivot(targets: pd.DataFrame, by: str | Sequence[str], *, metric: str = "revenue",
          totals: bool = True) -> pd.DataFrame:
    """Month x entity view: one row per ``by`` value, one column per month, the quarters and the Year.

    Parameters
    ----------
    targets : pandas.DataFrame
        Output of :func:`decompose`.
    by : str or list of str
        ``region``, ``team``, ``product_line``, ``rep_id`` (or several).
    metric : str
        Which metric.
    totals : bool
        Append a ``Total`` row.

    Returns
    -------
    pandas.DataFrame
        Columns ``Jan`` .. ``Dec``, ``Q1`` .. ``Q4`` (sums of their three
        months) and ``Year``.
    """
    by = as_list(by, "pivot(by=...)")
    targets = _table(targets, "pivot(targets=...)", by, metric)
    t = targets[targets["metric"] == metric]
    tab = t.pivot_table(index=by, columns=t["month"].dt.month, values="target", aggfunc="sum",
                        fill_value=0, observed=True)
    tab = tab.reindex(columns=range(1, 13), fill_value=0)
    tab.columns = [calendar.month_abbr[m] for m in tab.columns]
    months = tab.to_numpy()
    for q, name in enumerate(QUARTERS):
        tab[name] = months[:, 3 * q:3 * q + 3].sum(axis=1)
    tab["Year"] = months.sum(axis=1)
    if totals:
        total = tab.sum(axis=0).to_frame().T
        total.index = pd.MultiIndex.from_tuples([("Total",) + ("",) * (len(by) - 1)], names=by) \
            if len(by) > 1 else pd.Index(["Total"], name=by[0])
        tab = pd.concat([tab, total])
    return tab


def check_coherence(targets: pd.DataFrame, units: dict[str, float] | None = None,
                    hierarchy: Sequence[str] = ("product_line", "region", "team", "rep_id"),
                    totals: dict[str, float] | None = None) -> list[str]:
    """List every way a target table fails to add up (empty list: coherent).

    Checks that every figure is a non-negative multiple of its metric's unit,
    that at each prefix of ``hierarchy`` the nodes' month figures add up to
    the company's month figures and their annual figures to the company total,
    and (when ``totals`` is given) that the company total is as expected.
    Works on a table read back from a workbook as well.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The long target table.
    units : dict, optional
        Rounding unit per metric (default 1).
    hierarchy : sequence of str
        Levels to check, top first.
    totals : dict, optional
        Expected company annual total per metric (currency or count).

    Returns
    -------
    list of str
        One line per problem; empty when the table is coherent.
    """
    problems = []
    hierarchy = as_list(hierarchy, "check_coherence(hierarchy=...)")
    for metric, t in _table(targets, "check_coherence(targets=...)", hierarchy).groupby("metric", observed=True):
        unit = (units or {}).get(metric, 1.0)
        q = t["target"].to_numpy(dtype=float) / unit
        if np.abs(q - np.rint(q)).max(initial=0) > 1e-6 or (q < 0).any():
            problems.append(f"{metric}: some targets are not non-negative multiples of {unit:g}")
        company = t.groupby("month", observed=True)["target"].sum()
        total = float(company.sum())
        if totals and metric in totals and abs(total - totals[metric]) > 1e-6:
            problems.append(f"{metric}: company total {total:,.0f} differs from {totals[metric]:,.0f}")
        keys: list[str] = []
        for level in hierarchy:
            keys.append(level)
            node = t.pivot_table(index=keys, columns="month", values="target", aggfunc="sum",
                                 observed=True, fill_value=0)
            if not np.allclose(node.sum(axis=0).reindex(company.index).to_numpy(), company.to_numpy()):
                problems.append(f"{metric}: months at level {level} do not add up to the company months")
            if abs(node.to_numpy().sum() - total) > 1e-6 * max(1.0, total):
                problems.append(f"{metric}: level {level} does not add up to the company total")
    return problems


def rounding_deviation(targets: pd.DataFrame, units: dict[str, float] | None = None,
                       hierarchy: Sequence[str] = ("product_line", "region", "team", "rep_id")) -> pd.DataFrame:
    """Largest gap, in units, between a rounded figure and its exact share.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The long target table (with ``exact``).
    units : dict, optional
        Rounding unit per metric (default 1).
    hierarchy : sequence of str
        Levels to measure, top first.

    Returns
    -------
    pandas.DataFrame
        One row per metric and level: ``max_month`` (any node-month) and
        ``max_year`` (any node's annual figure), in units of the metric.
    """
    rows = []
    hierarchy = as_list(hierarchy, "rounding_deviation(hierarchy=...)")
    table = _table(targets, "rounding_deviation(targets=...)", list(hierarchy) + ["exact"])
    for metric, t in table.groupby("metric", observed=True):
        unit = (units or {}).get(metric, 1.0)
        keys: list[str] = []
        for level in hierarchy:
            keys.append(level)
            g = t.groupby(keys + ["month"], observed=True)[["target", "exact"]].sum()
            y = g.groupby(level=list(range(len(keys))), observed=True).sum()
            rows.append((metric, level, float((g["target"] - g["exact"]).abs().max() / unit),
                         float((y["target"] - y["exact"]).abs().max() / unit)))
    return pd.DataFrame(rows, columns=["metric", "level", "max_month", "max_year"])


def commitment_gap(targets: pd.DataFrame, commitments: pd.DataFrame | None,
                   *, by: str = "rep_id") -> pd.DataFrame:
    """Top-down target vs the reps' own bottom-up commitments.

    Parameters
    ----------
    targets : pandas.DataFrame
        Output of :func:`decompose`.
    commitments : pandas.DataFrame or None
        ``rep_id, metric, commitment`` (annual, currency or count).
    by : {"rep_id", "team", "region"}
        Entity the gap is reported for.

    Returns
    -------
    pandas.DataFrame
        ``by, metric, target, committed_target, commitment, gap, gap_pct,
        uncommitted_target``.  ``gap = commitment - committed_target`` is taken
        over the reps who committed (negative: they commit to less than they
        are asked); ``uncommitted_target`` is the target of reps who gave no
        commitment (open requisitions, typically), whose gap is empty.
    """
    if by not in ("rep_id", "team", "region"):
        raise InputError("commitment_gap(by=...)", [f"{by!r} is not one of rep_id, team, region"])
    cols = [by, "metric", "target", "committed_target", "commitment", "gap", "gap_pct", "uncommitted_target"]
    targets = _table(targets, "commitment_gap(targets=...)", ["region", "team", "rep_id"])
    if commitments is None or len(commitments) == 0:
        return pd.DataFrame(columns=cols)
    require_frame(commitments, "commitment_gap(commitments=...)", ["rep_id", "metric", "commitment"])
    com = pd.DataFrame({"rep_id": commitments["rep_id"].astype(str), "metric": commitments["metric"].astype(str),
                        "commitment": commitments["commitment"].astype(float)})
    t = targets[targets["metric"].isin(com["metric"].unique())]
    annual = t.groupby(["region", "team", "rep_id", "metric"], observed=True)["target"].sum().reset_index()
    m = annual.merge(com, on=["rep_id", "metric"], how="left")
    has = m["commitment"].notna()
    m["committed_target"] = m["target"].where(has)
    m["uncommitted_target"] = m["target"].where(~has, 0.0)
    out = m.groupby([by, "metric"], observed=True).agg(
        target=("target", "sum"), committed_target=("committed_target", "sum"),
        commitment=("commitment", "sum"), uncommitted_target=("uncommitted_target", "sum"),
        n=("commitment", "count")).reset_index()
    none = out["n"] == 0
    out.loc[none, ["committed_target", "commitment"]] = np.nan
    out["gap"] = out["commitment"] - out["committed_target"]
    out["gap_pct"] = out["gap"] / out["committed_target"].where(out["committed_target"] > 0)
    return out[cols]


def _metric_blocks(targets: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    blocks = []
    for metric in [m for m in _METRIC_LABEL if m in set(targets["metric"])]:
        tab = pivot(targets, by, metric=metric).reset_index()
        tab.insert(0, "metric", _METRIC_LABEL[metric])
        blocks.append(tab)
    return pd.concat(blocks, ignore_index=True)


def target_frames(targets) -> dict[str, pd.DataFrame]:
    """Named tables of a target plan, for the workbook and the widgets.

    Parameters
    ----------
    targets : Targets or pandas.DataFrame
        The long target table.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``Targets by month`` (company, month x metric, then the quarters and
        the year), ``Targets by rep``, ``Targets by region-product``,
        ``Targets by team`` (one block of month columns per metric, then
        ``Q1`` .. ``Q4`` and ``Year``) and :data:`DATA_SHEET` (the long table
        with months as ``YYYY-MM`` text, which
        :func:`salesplan.export.read_excel` reads back).  Money in currency,
        counts as counts.
    """
    t = _table(targets)
    company = t.groupby([t["month"].dt.month, "metric"])["target"].sum().unstack("metric")
    company = company.reindex(index=range(1, 13), columns=[m for m in _METRIC_LABEL if m in company.columns],
                              fill_value=0.0)
    company.index = [calendar.month_abbr[m] for m in company.index]
    months = company.copy()
    for q, name in enumerate(QUARTERS):
        company.loc[name] = months.iloc[3 * q:3 * q + 3].sum()
    company.loc["Year"] = months.sum()
    company = company.rename(columns=_METRIC_LABEL).rename_axis("month").reset_index()
    reps = t.drop_duplicates("rep_id").set_index("rep_id")[["name", "role"]]
    by_rep = _metric_blocks(t, ["region", "team", "rep_id"])
    by_rep.insert(4, "name", by_rep["rep_id"].map(reps["name"]).fillna(""))
    by_rep.insert(5, "role", by_rep["rep_id"].map(reps["role"]).fillna(""))
    data = t[TARGET_COLUMNS].copy()
    data["month"] = data["month"].astype(str)
    return {
        "Targets by month": company,
        "Targets by rep": by_rep,
        "Targets by region-product": _metric_blocks(t, ["region", "product_line"]),
        "Targets by team": _metric_blocks(t, ["team"]),
        DATA_SHEET: data,
    }
