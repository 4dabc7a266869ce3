"""Quota sheets (one per metric: reps x months, quarters and year) and the targets by region.

A quota sheet lists the reps (id, name, role, team, region) ordered by
region and team, their month targets, quarters and year; below the
filtered block come the team and region subtotals (``SUMIFS``), the total
of the rows shown (``SUBTOTAL``), the plan's own month figures and their
difference, and a check cell under the title that says whether the
formulas agree with the plan.  The rep ids, the month cells and the plan
row are named in the workbook (``salesplan_quota_<metric>_ids`` ...), so
:func:`salesplan.export.read_excel` finds a target that was edited.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.export.monthly import write_month_table
from salesplan.export.names import define_range
from salesplan.i18n import catalogue
from salesplan.schema import METRICS

__all__ = ["build_quotas", "build_by_region", "plan_metrics", "rep_month_grid", "metric_kind", "QUOTA_KEYS"]

#: Key columns of a quota sheet, in order.
QUOTA_KEYS = ["rep_id", "name", "role", "team", "region"]
#: Row of the header of a quota sheet (title, subtitle and the check cell above it).
TOP = 3


def plan_metrics(table: pd.DataFrame) -> list[str]:
    """The metrics present in a target table, in the order of :data:`~salesplan.schema.METRICS` (others last).

    Parameters
    ----------
    table : pandas.DataFrame
        Long target table.

    Returns
    -------
    list of str
    """
    present = list(dict.fromkeys(table["metric"].astype(str)))
    return [m for m in METRICS if m in present] + [m for m in present if m not in METRICS]


def rep_month_grid(table: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Reps (ordered by region, team, id) and their month targets of ``metric``.

    Parameters
    ----------
    table : pandas.DataFrame
        Long target table.
    metric : str

    Returns
    -------
    keys : pandas.DataFrame
        ``rep_id, name, role, team, region``, one row per rep.
    values : numpy.ndarray, shape (reps, 12)
        Targets by month (product lines added up; currency or count).
    """
    t = table[table["metric"] == metric]
    month = t["month"].dt.month.to_numpy()
    keys = t.drop_duplicates("rep_id")[QUOTA_KEYS].sort_values(["region", "team", "rep_id"], kind="stable")
    keys = keys.reset_index(drop=True)
    row = pd.Index(keys["rep_id"]).get_indexer(t["rep_id"])
    values = np.zeros((len(keys), 12))
    np.add.at(values, (row, month - 1), t["target"].to_numpy(dtype=float))
    return keys, values


def metric_kind(metric: str) -> str:
    """``money`` or ``count``: how the figures of ``metric`` are shown.

    Parameters
    ----------
    metric : str

    Returns
    -------
    str
    """
    return catalogue()["metrics"].get(metric, {}).get("kind", "money")


def build_quotas(book) -> None:
    """One quota sheet per metric of the plan's target table.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    plan, t = book.plan, book.t
    table = plan.targets.table
    for metric in plan_metrics(table):
        keys, values = rep_month_grid(table, metric)
        label = t.metric(metric)
        ws = book.add_sheet("quota", metric=label)
        book.heading(ws, t.sheet("quota", "title", metric=label, unit=book.unit_of(metric)))
        company = table.loc[table["metric"] == metric].groupby(table["month"].dt.month)["target"].sum()
        plan_months = company.reindex(range(1, 13), fill_value=0).to_numpy(dtype=float)
        mt = write_month_table(book, ws, top=TOP, keys=keys, values=values, row_kind=[metric_kind(metric)] * len(keys),
                               groups=[("region", "team"), ("region",)], label="name", plan=plan_months,
                               check_cell=(2, 0))
        ws.freeze_panes(TOP + 1, 2)
        book.print_setup(ws, header_rows=(TOP, TOP), name_columns=(0, 1), area=(0, 0, mt.end, mt.last_col))
        sheet = book.sheets[-1].name
        define_range(book, f"salesplan_quota_{metric}_ids", sheet, mt.first, 0, mt.last, 0)
        define_range(book, f"salesplan_quota_{metric}_months", sheet, mt.first, mt.month_col, mt.last,
                     mt.month_col + 11)
        define_range(book, f"salesplan_quota_{metric}_plan", sheet, mt.plan_row, mt.month_col, mt.plan_row,
                     mt.month_col + 11)


def build_by_region(book) -> None:
    """Targets by region and product line, every metric, with region and metric subtotals.

    Parameters
    ----------
    book : Book
        The workbook being written (its plan, words and formats).
    """
    t = book.t
    table = book.plan.targets.table
    keys_all, grids = [], []
    for metric in plan_metrics(table):
        sub = table[table["metric"] == metric]
        g = sub.pivot_table(index=["region", "product_line"], columns=sub["month"].dt.month, values="target",
                            aggfunc="sum", fill_value=0, observed=True).reindex(columns=range(1, 13), fill_value=0)
        k = g.index.to_frame(index=False)
        k.insert(0, "metric", metric)
        keys_all.append(k)
        grids.append(g.to_numpy(dtype=float))
    keys = pd.concat(keys_all, ignore_index=True)
    values = np.vstack(grids)
    ws = book.add_sheet("targets_by_region")
    book.heading(ws, t.sheet("targets_by_region", "title", unit=book.money_unit))
    mt = write_month_table(book, ws, top=TOP, keys=keys, values=values,
                           row_kind=[metric_kind(m) for m in keys["metric"]],
                           groups=[("metric", "region"), ("metric",)], label="metric", total=False)
    ws.freeze_panes(TOP + 1, 3)
    book.print_setup(ws, header_rows=(TOP, TOP), name_columns=(0, 2), area=(0, 0, mt.end, mt.last_col))
