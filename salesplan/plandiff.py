"""What changed between two plans: targets per rep and metric, and accounts that changed hands.

:func:`diff_plans` (``old.diff(new)``) compares the long target tables
month by month and the account owners, and returns a frozen
:class:`PlanDiff` with typed metrics, ``to_frames()`` (the workbook's
``Re-plan changes`` and ``Re-plan accounts`` sheets) and ``summary()``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["diff_plans", "PlanDiff", "DiffMetrics", "owners"]


@dataclass(frozen=True)
class DiffMetrics:
    """Headline figures of a plan comparison.

    Attributes
    ----------
    reps_changed : int
        Reps with at least one target that changed.
    cells_changed : int
        Rep x metric x month targets that changed.
    revenue_moved : float
        Revenue target (currency) taken from some reps and given to others:
        the sum of the increases over reps and months.
    revenue_change : float
        New minus old company revenue target of the year (currency).
    accounts_moved : int
        Accounts with another rep (an unassigned account getting one
        included).
    """

    reps_changed: int
    cells_changed: int
    revenue_moved: float
    revenue_change: float
    accounts_moved: int


@dataclass(frozen=True)
class PlanDiff:
    """Changes from one plan to another (treat the frames as read-only).

    Attributes
    ----------
    targets : pandas.DataFrame
        Per rep and metric with a change: ``rep_id, name, metric, months``
        (the months that changed, e.g. ``2027-06..2027-12``), ``old, new,
        change`` (sums over those months) and ``old_year, new_year`` (the
        rep's annual target); currency or count.
    months : pandas.DataFrame
        Every changed rep x metric x month: ``old, new, change``.
    accounts : pandas.DataFrame
        Accounts with another rep: ``account_id, name, city, potential``
        (currency a year), ``from_rep, to_rep`` (empty: unassigned) and
        ``reason`` (``from a leaver``: a rep who holds no account in the new
        plan; ``unassigned``; ``moved``).
    metrics : DiffMetrics
        Headline figures.
    """

    targets: pd.DataFrame
    months: pd.DataFrame
    accounts: pd.DataFrame
    metrics: DiffMetrics

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """Named tables for the workbook (``Re-plan changes``, ``Re-plan accounts``).

        Returns
        -------
        dict of str to pandas.DataFrame
        """
        return {"Re-plan changes": self.targets, "Re-plan accounts": self.accounts}

    def summary(self) -> str:
        """A short text: how many reps and accounts changed and how much revenue target moved."""
        m = self.metrics
        return (f"{m.reps_changed} reps with new targets ({m.cells_changed} rep-month-metric figures); revenue "
                f"target moved between reps {m.revenue_moved:,.0f}, company year {m.revenue_change:+,.0f}; "
                f"{m.accounts_moved} accounts with another rep")


def owners(plan) -> pd.Series:
    """The rep of every account in a plan: its territories when built, else ``current_rep_id``.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    pandas.Series
        Index ``account_id``, values rep ids (missing: unassigned).
    """
    if plan.territories is not None:
        t = plan.territories.table
        return pd.Series(t["rep_id"].to_numpy(), index=t["account_id"].astype(str).to_numpy(), name="rep_id")
    acc = plan.inputs.accounts
    return pd.Series(acc["current_rep_id"].to_numpy(), index=acc["account_id"].astype(str).to_numpy(),
                     name="rep_id")


def _span(months: pd.Series) -> str:
    """``2027-06..2027-12`` for consecutive months, else the months listed."""
    m = sorted(months)
    if len(m) > 1 and (m[-1] - m[0]).n == len(m) - 1:
        return f"{m[0]}..{m[-1]}"
    return ", ".join(map(str, m))


def diff_plans(old, new) -> PlanDiff:
    """What changed from plan ``old`` to plan ``new``.

    Parameters
    ----------
    old, new : Plan
        Two plans of the same year (e.g. a plan and its re-plan,
        :func:`salesplan.replan.replan`).

    Returns
    -------
    PlanDiff
        Targets that changed per rep, metric and month, and accounts that
        changed hands.
    """
    def per_month(plan):
        t = plan.targets.table
        return t.groupby(["rep_id", "metric", "month"], observed=True)["target"].sum()

    both = pd.concat([per_month(old), per_month(new)], axis=1, keys=["old", "new"]).fillna(0.0)
    both["change"] = both["new"] - both["old"]
    cells = both[np.abs(both["change"]) > 1e-9].reset_index()
    names = pd.concat([new.targets.table, old.targets.table]).drop_duplicates("rep_id").set_index("rep_id")["name"]
    year = both.groupby(level=["rep_id", "metric"])[["old", "new"]].sum()
    if len(cells):
        g = cells.groupby(["rep_id", "metric"], sort=False)
        targets = g.agg(months=("month", _span), old=("old", "sum"), new=("new", "sum"),
                        change=("change", "sum")).reset_index()
        targets = targets.join(year.rename(columns={"old": "old_year", "new": "new_year"}), on=["rep_id", "metric"])
    else:
        targets = pd.DataFrame(columns=["rep_id", "metric", "months", "old", "new", "change", "old_year", "new_year"])
    targets.insert(1, "name", targets["rep_id"].map(names).fillna(""))
    a, b = owners(old), owners(new)
    b = b.reindex(a.index)
    moved = a.fillna("").astype(str) != b.fillna("").astype(str)
    leaving = set(a.dropna()) - set(b.dropna())  # reps who hold no account any more
    acc = new.inputs.accounts.set_index(new.inputs.accounts["account_id"].astype(str))
    ids = a.index[moved.to_numpy()]
    frm = a[moved].fillna("").astype(str).to_numpy()
    accounts = pd.DataFrame({
        "account_id": ids, "name": acc["name"].reindex(ids).to_numpy(), "city": acc["city"].reindex(ids).to_numpy(),
        "potential": acc["annual_potential"].reindex(ids).to_numpy(dtype=float), "from_rep": frm,
        "to_rep": b[moved].fillna("").astype(str).to_numpy(),
        "reason": np.where(frm == "", "unassigned", np.where(np.isin(frm, list(leaving)), "from a leaver",
                                                             "moved"))})
    rev = cells[cells["metric"] == "revenue"] if len(cells) else cells
    t_old, t_new = old.targets.table, new.targets.table
    metrics = DiffMetrics(
        reps_changed=int(cells["rep_id"].nunique()) if len(cells) else 0, cells_changed=int(len(cells)),
        revenue_moved=float(rev["change"].clip(lower=0).sum()) if len(rev) else 0.0,
        revenue_change=float(t_new.loc[t_new["metric"] == "revenue", "target"].sum()
                             - t_old.loc[t_old["metric"] == "revenue", "target"].sum()),
        accounts_moved=int(moved.sum()))
    return PlanDiff(targets=targets, months=cells, accounts=accounts, metrics=metrics)
