"""Write a plan to a formatted Excel workbook, and read its targets back.

The workbook is written to a temporary file beside the destination and then
renamed over it, so an existing workbook is never left half-written (a crash
or a full disk leaves the old file intact).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from salesplan.targets import TARGET_COLUMNS, pivot

__all__ = ["to_excel", "read_excel", "write_workbook", "DATA_SHEET"]

#: Sheet holding the long target table that :func:`read_excel` reads back.
DATA_SHEET = "Targets data"
_METRIC_LABEL = {"revenue": "Revenue", "collections": "Collections", "new_customers": "New customers"}


def _flatten(d: dict, prefix: str = "") -> Iterable[tuple[str, str]]:
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v and all(not isinstance(x, dict) for x in v.values()) and len(v) <= 8:
            yield key, ", ".join(f"{kk}: {vv:g}" if isinstance(vv, float) else f"{kk}: {vv}"
                                 for kk, vv in v.items())
        elif isinstance(v, dict):
            yield from _flatten(v, key + ".")
        elif isinstance(v, list):
            yield key, ", ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in v)
        else:
            yield key, "" if v is None else str(v)


def assumptions_table(plan) -> pd.DataFrame:
    """Setting / value rows of the plan's assumptions plus its fingerprint."""
    rows = [("input fingerprint", plan.fingerprint), ("input folder", str(plan.inputs.folder or ""))]
    rows += list(_flatten(plan.assumptions.to_dict()))
    return pd.DataFrame(rows, columns=["setting", "value"])


def _metric_blocks(targets: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    blocks = []
    for metric in [m for m in _METRIC_LABEL if m in set(targets["metric"])]:
        tab = pivot(targets, by, metric=metric).reset_index()
        tab.insert(0, "metric", _METRIC_LABEL[metric])
        blocks.append(tab)
    return pd.concat(blocks, ignore_index=True)


def target_sheets(plan) -> dict[str, pd.DataFrame]:
    """The target sheets of the workbook, as DataFrames."""
    t = plan.targets
    company = t.groupby([t["month"].dt.month, "metric"])["target"].sum().unstack("metric")
    company = company.reindex(columns=[m for m in _METRIC_LABEL if m in company.columns])
    company.index = [pd.Timestamp(2000, m, 1).strftime("%b") for m in company.index]
    company.loc["Year"] = company.sum()
    company = company.rename(columns=_METRIC_LABEL).rename_axis("month").reset_index()
    reps = (t.drop_duplicates("rep_id").set_index("rep_id")[["name", "role"]])
    by_rep = _metric_blocks(t, ["region", "team", "rep_id"])
    by_rep.insert(4, "name", by_rep["rep_id"].map(reps["name"]).fillna(""))
    by_rep.insert(5, "role", by_rep["rep_id"].map(reps["role"]).fillna(""))
    sheets = {
        "Targets by month": company,
        "Targets by rep": by_rep,
        "Targets by region-product": _metric_blocks(t, ["region", "product_line"]),
        "Targets by team": _metric_blocks(t, ["team"]),
    }
    gap = plan.commitment_gap("rep_id")
    if len(gap):
        sheets["Commitments gap"] = gap
    data = t[TARGET_COLUMNS].copy()
    data["month"] = data["month"].astype(str)
    sheets[DATA_SHEET] = data
    return sheets


def write_workbook(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write formatted sheets to ``path`` atomically.

    Every sheet gets a bold header row frozen in place, an autofilter,
    thousands-separated number formats (percent for share columns), and
    column widths fitted to the content.

    Parameters
    ----------
    path : str or Path
        Destination ``.xlsx`` (its folder is created).
    sheets : dict of str to DataFrame
        Sheet name (at most 31 characters) to table, in order.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as xw:
            book = xw.book
            head = book.add_format({"bold": True, "bg_color": "#DDE5F0", "border": 1, "text_wrap": True,
                                    "valign": "top"})
            num = book.add_format({"num_format": "#,##0"})
            dec = book.add_format({"num_format": "#,##0.00"})
            pct = book.add_format({"num_format": "0.0%"})
            for name, df in sheets.items():
                df = _plain(df.reset_index(drop=True))
                df.to_excel(xw, sheet_name=name[:31], index=False)
                ws = xw.sheets[name[:31]]
                for j, col in enumerate(df.columns):
                    ws.write(0, j, str(col), head)
                    s = df[col]
                    text_len = s.astype(str).str.len().max() if len(s) else 0
                    width = min(max(len(str(col)), int(text_len or 0)) + 2, 60)
                    fmt = None
                    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
                        is_share = any(k in str(col) for k in ("pct", "share", "deviation", "rate"))
                        vals = s.to_numpy(dtype=float, na_value=np.nan)
                        integral = np.all(np.isnan(vals) | (np.abs(vals - np.round(vals)) < 1e-9))
                        fmt = pct if is_share else (num if integral else dec)
                        width = max(len(str(col)) + 2, 12)
                        if name == DATA_SHEET:
                            fmt = None  # raw values, read back exactly
                    ws.set_column(j, j, width, fmt)
                n_key = sum(1 for c in df.columns if not pd.api.types.is_numeric_dtype(df[c]))
                ws.freeze_panes(1, min(n_key, 6))
                if len(df):
                    ws.autofilter(0, 0, len(df), max(len(df.columns) - 1, 0))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Periods and timestamps as text a spreadsheet shows as written."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if isinstance(s.dtype, pd.PeriodDtype):
            out[c] = s.astype(str).where(s.notna(), "")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s.dt.strftime("%Y-%m-%d").where(s.notna(), "")
    return out


def to_excel(plan, path: str | Path) -> Path:
    """Write the plan workbook.

    Sheets: Assumptions, Targets by month, Targets by rep, Targets by
    region-product, Targets by team, Commitments gap (when reps committed),
    Territories (when built), the staffing sheets (when built), any
    ``plan.extras``, and ``Targets data`` (the long table
    :func:`read_excel` reads back).

    Parameters
    ----------
    plan : Plan
        The plan to write.
    path : str or Path
        Destination ``.xlsx``; replaced atomically.

    Returns
    -------
    pathlib.Path
    """
    sheets = {"Assumptions": assumptions_table(plan)}
    sheets.update(target_sheets(plan))
    data = sheets.pop(DATA_SHEET)
    if plan.territories is not None:
        from salesplan.territory import territory_sheets

        sheets.update(territory_sheets(plan.territories))
    if plan.staffing is not None:
        names = {"sizing": "Staffing", "capacity": "Capacity", "hiring": "Hiring plan", "org": "Org structure",
                 "cost": "Cost", "headcount": "Headcount"}
        for key, df in plan.staffing.items():
            if isinstance(df, pd.DataFrame):
                sheets[names.get(key, key.replace("_", " ").capitalize())[:31]] = df
    for key, df in plan.extras.items():
        sheets[key[:31]] = df
    sheets[DATA_SHEET] = data
    return write_workbook(path, sheets)


def read_excel(path: str | Path) -> pd.DataFrame:
    """Read the long target table back from a plan workbook.

    Returns
    -------
    pandas.DataFrame
        The same columns, types and values as ``plan.targets``.
    """
    from salesplan.errors import InputError

    try:
        df = pd.read_excel(path, sheet_name=DATA_SHEET, dtype={"region": str, "team": str,
                           "product_line": str, "rep_id": str, "name": str, "role": str, "month": str,
                           "metric": str})
    except ValueError as exc:
        raise InputError(str(path), [f"no sheet {DATA_SHEET!r}: not a salesplan workbook ({exc})"]) from None
    missing = [c for c in TARGET_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(str(path), [f"sheet {DATA_SHEET!r} lacks columns {missing}"])
    df["month"] = pd.PeriodIndex(df["month"], freq="M")
    df["target"] = df["target"].astype(float)
    df["exact"] = df["exact"].astype(float)
    return df[TARGET_COLUMNS]
