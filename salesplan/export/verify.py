"""Does the target data still add up to the quota sheets and their plan rows?

A plan workbook holds every target twice: in the long target data (rep x
product line x month) and in the quota sheets (rep x month), whose plan
row holds the company's month figures.  When they disagree, something was
edited; the plan row tells which copy: if the data's company months differ
from it, the data was edited; otherwise a quota cell was.  Each problem
names the sheet and the cell to look at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter, range_boundaries

__all__ = ["check_quotas"]

_SHOWN = 10  # problems named per metric


def _cell(sheet: str, row: int, col: int) -> str:
    return f"sheet '{sheet}', cell {get_column_letter(col)}{row}"


def _grid(wb, names: dict, metric: str):
    """Rep ids, their 12 month cells and the plan row of a quota sheet, with where they are."""
    sheet, ids_ref = names[f"salesplan_quota_{metric}_ids"]
    _, months_ref = names[f"salesplan_quota_{metric}_months"]
    _, plan_ref = names[f"salesplan_quota_{metric}_plan"]
    ws = wb[sheet]
    ic, ir0, _, ir1 = range_boundaries(ids_ref)
    mc, mr0, _, mr1 = range_boundaries(months_ref)
    pc, pr, _, _ = range_boundaries(plan_ref)
    ids = [r[0] for r in ws.iter_rows(min_row=ir0, max_row=ir1, min_col=ic, max_col=ic, values_only=True)]
    cells = list(ws.iter_rows(min_row=mr0, max_row=mr1, min_col=mc, max_col=mc + 11, values_only=True))
    plan = next(ws.iter_rows(min_row=pr, max_row=pr, min_col=pc, max_col=pc + 11, values_only=True))
    return sheet, ids, cells, plan, (mr0, mc), (pr, pc)


def _num(v) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan


def check_quotas(wb, names: dict, df: pd.DataFrame, data_sheet: str, r0: int, target_col: int) -> list[str]:
    """Problems where the target data and the quota sheets disagree (empty: they agree).

    Parameters
    ----------
    wb : openpyxl.Workbook
        The workbook, open.
    names : dict
        Its defined names (:func:`~salesplan.export.names.read_names`).
    df : pandas.DataFrame
        The target data as read.
    data_sheet : str
        Sheet of the target data.
    r0 : int
        Row of its header (1-based).
    target_col : int
        Column of its targets (1-based).

    Returns
    -------
    list of str
        Each names a sheet and cell and says which figures disagree.
    """
    problems: list[str] = []
    for metric in dict.fromkeys(df["metric"]):
        if f"salesplan_quota_{metric}_ids" not in names:
            continue
        sheet, ids, cells, plan, (mr0, mc), (pr, pc) = _grid(wb, names, metric)
        sub = df[df["metric"] == metric]
        month = sub["month"].dt.month.to_numpy() - 1
        reps = pd.Index(dict.fromkeys(str(i) for i in ids if i is not None))
        data = np.zeros((len(reps), 12))
        pos = reps.get_indexer(sub["rep_id"])
        known = pos >= 0
        np.add.at(data, (pos[known], month[known]), sub["target"].to_numpy(dtype=float)[known])
        grid = np.array([[_num(v) for v in row] for row in cells], dtype=float).reshape(-1, 12)
        row_of = {str(i): k for k, i in enumerate(ids) if i is not None}
        quota = grid[[row_of[r] for r in reps]] if len(reps) else np.zeros((0, 12))
        plan_months = np.array([_num(v) for v in plan], dtype=float)
        data_total = np.bincount(month, weights=sub["target"].to_numpy(dtype=float), minlength=12)
        data_edited = ~np.isclose(data_total, plan_months)
        differ = np.argwhere(~np.isclose(quota, data) | np.isnan(quota))
        found = []
        for k, m in differ:
            rep = reps[k]
            qcell = _cell(sheet, mr0 + row_of[rep], mc + m)
            if data_edited[m]:
                rows = np.flatnonzero((sub["rep_id"].to_numpy() == rep) & (month == m))
                dcell = _cell(data_sheet, r0 + 1 + int(sub.index[rows[0]]), target_col) if len(rows) else data_sheet
                found.append(f"{dcell}: the targets of {rep} for month {m + 1} add up to {data[k, m]:,.0f}, "
                             f"but {qcell} and the plan's month total hold {quota[k, m]:,.0f}; "
                             "the target data was edited and no longer adds up")
            else:
                found.append(f"{qcell} ({rep}, month {m + 1}): {cells[row_of[rep]][m]!r} no longer adds up: the "
                             f"plan's targets of {rep} for that month add up to {data[k, m]:,.0f} "
                             f"(sheet '{data_sheet}') and to the plan's month total")
        if not len(differ):
            for m in np.flatnonzero(data_edited):
                found.append(f"{_cell(sheet, pr, pc + m)}: the plan's total for month {m + 1} is "
                             f"{plan[m]!r}, but the targets add up to {data_total[m]:,.0f}")
        problems += found[:_SHOWN] + ([f"... and {len(found) - _SHOWN} more on sheet '{sheet}'"]
                                      if len(found) > _SHOWN else [])
    return problems
