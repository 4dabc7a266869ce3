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

from salesplan.targets import DATA_SHEET, TARGET_COLUMNS

__all__ = ["to_excel", "read_excel", "write_workbook", "plan_frames", "assumptions_table", "DATA_SHEET"]


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
    """Setting / value rows of the plan's assumptions plus its fingerprint.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    pandas.DataFrame
        ``setting, value``: the input fingerprint and folder, then every
        assumption by dotted key.
    """
    rows = [("input fingerprint", plan.fingerprint), ("input folder", str(plan.inputs.folder or ""))]
    rows += list(_flatten(plan.assumptions.to_dict()))
    return pd.DataFrame(rows, columns=["setting", "value"])


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


def plan_frames(plan) -> dict[str, pd.DataFrame]:
    """Every sheet of the plan workbook, in order, as DataFrames.

    Parameters
    ----------
    plan : Plan
        A built plan.

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name -> table:

    Assumptions first, then each part's :meth:`to_frames` (targets, the
    commitment gap when reps committed, territories, staffing, odds), any
    ``plan.extras``, and last :data:`DATA_SHEET` (the long target table that
    :func:`read_excel` reads back).
    """
    sheets = {"Assumptions": assumptions_table(plan)}
    targets = plan.targets.to_frames()
    data = targets.pop(DATA_SHEET)
    sheets.update(targets)
    gap = plan.commitment_gap("rep_id")
    if len(gap):
        sheets["Commitments gap"] = gap
    for part in (plan.territories, plan.staffing, plan.simulation):
        if part is not None:
            sheets.update(part.to_frames())
    for key, df in plan.extras.items():
        sheets[key[:31]] = df
    sheets[DATA_SHEET] = data
    return sheets


def to_excel(plan, path: str | Path) -> Path:
    """Write the plan workbook (the sheets of :func:`plan_frames`).

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
    return write_workbook(path, plan_frames(plan))


def read_excel(path: str | Path) -> pd.DataFrame:
    """Read the long target table back from a plan workbook.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`to_excel`.

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
