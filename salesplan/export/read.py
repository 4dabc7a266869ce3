"""Read a plan workbook back: the target table (checked) and the filled-in sign-off sheet.

:func:`read_excel` returns the long target table exactly as the plan had
it, and refuses a workbook whose targets were edited: a target that is not
a whole multiple of its rounding unit, or a figure that no longer adds up
-- the target data against the quota sheets and their plan rows -- raises
:class:`~salesplan.errors.InputError` naming the sheet and the cell.
:func:`read_signoff` returns the commitments, agreements, signatures and
dates typed into the sign-off sheet.  Both find their tables through the
workbook's defined names, so they read a Chinese workbook as well as an
English one, and a sheet that was sorted or filtered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter, range_boundaries

from salesplan.errors import InputError
from salesplan.export.names import read_names
from salesplan.i18n import catalogue, reverse

__all__ = ["read_excel", "read_signoff"]

_YES = {"yes", "y", "true", "1", "是", "同意", "√", "✓"}
_NO = {"no", "n", "false", "0", "否", "不同意", "×", "✗"}


def _open(path: str | Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(str(path), ["file not found"]) from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise InputError(str(path), [f"not an Excel workbook (.xlsx): {exc}"]) from None


def _block(wb, sheet: str, ref: str) -> tuple[list[tuple], int, int]:
    """Values of a range, with its first row and first column (1-based)."""
    c0, r0, c1, r1 = range_boundaries(ref)
    ws = wb[sheet]
    rows = list(ws.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1, values_only=True))
    return rows, r0, c0


def _cell(sheet: str, row: int, col: int) -> str:
    return f"sheet '{sheet}', cell {get_column_letter(col)}{row}"


def _number(v: Any) -> float | None:
    """A number typed in a cell (``1,200`` typed as text too); None when empty; NaN when not a number."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        return float("nan")
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).replace(",", "").replace(" ", ""))
    except ValueError:
        return float("nan")


# ---------------------------------------------------------------------------
# the target table
# ---------------------------------------------------------------------------
def _data_sheet(wb, names: dict, path) -> tuple[str, list[tuple], int, int]:
    from salesplan.targets import DATA_SHEET

    if "salesplan_data" in names:
        sheet, ref = names["salesplan_data"]
        rows, r0, c0 = _block(wb, sheet, ref)
        return sheet, rows, r0, c0
    if DATA_SHEET not in wb.sheetnames:
        raise InputError(str(path), [f"no sheet {DATA_SHEET!r} (or defined name salesplan_data): "
                                     "not a salesplan workbook"])
    rows = list(wb[DATA_SHEET].iter_rows(values_only=True))
    return DATA_SHEET, rows, 1, 1


def _columns(header: tuple, sheet: str, path) -> dict[str, int]:
    """Position of each target column, its header in any language."""
    from salesplan.targets import TARGET_COLUMNS

    cols = catalogue()["columns"]
    pos = {}
    for key in TARGET_COLUMNS:
        accepted = {key, *(str(cols[key][lang]) for lang in ("en", "zh"))} if key in cols else {key}
        hit = [j for j, h in enumerate(header) if str(h) in accepted]
        if hit:
            pos[key] = hit[0]
    missing = [c for c in TARGET_COLUMNS if c not in pos]
    if missing:
        raise InputError(str(path), [f"sheet {sheet!r} lacks columns {missing}"])
    return pos


def _month(v: Any) -> pd.Period:
    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Period(year=v.year, month=v.month, freq="M")
    return pd.Period(str(v), freq="M")


def _target_frame(rows: list[tuple], pos: dict[str, int], sheet: str, r0: int, c0: int, path) -> pd.DataFrame:
    from salesplan.targets import TARGET_COLUMNS

    body = rows[1:]
    roles, metrics = reverse("roles"), reverse("metrics")
    data: dict[str, list] = {}
    problems = []
    for key in TARGET_COLUMNS:
        j = pos[key]
        raw = [r[j] for r in body]
        if key in ("target", "exact"):
            vals = [_number(v) for v in raw]
            bad = [i for i, v in enumerate(vals) if v is None or v != v]
            problems += [f"{_cell(sheet, r0 + 1 + i, c0 + j)}: {raw[i]!r} is not a number" for i in bad[:10]]
            data[key] = [np.nan if v is None else v for v in vals]
        elif key == "month":
            data[key] = [_month(v) for v in raw]
        else:
            text = ["" if v is None else str(v) for v in raw]
            table = roles if key == "role" else metrics if key == "metric" else None
            data[key] = [table.get(v, v) for v in text] if table else text
    if problems:
        raise InputError(str(path), problems)
    df = pd.DataFrame({k: v for k, v in data.items() if k != "month"})
    df.insert(TARGET_COLUMNS.index("month"), "month", pd.PeriodIndex(data["month"], freq="M"))
    df["target"] = df["target"].astype(float)
    df["exact"] = df["exact"].astype(float)
    return df[TARGET_COLUMNS]


def _check_units(df: pd.DataFrame, names: dict, sheet: str, r0: int, col: int) -> list[str]:
    problems = []
    for metric, idx in df.groupby("metric", sort=False).groups.items():
        unit = names.get(f"salesplan_unit_{metric}")
        if not isinstance(unit, float) or unit <= 0:
            continue
        q = df.loc[idx, "target"].to_numpy(dtype=float) / unit
        bad = np.flatnonzero((np.abs(q - np.rint(q)) > 1e-6) | (q < 0))
        for i in bad[:10]:
            row = int(np.asarray(idx)[i])
            problems.append(f"{_cell(sheet, r0 + 1 + row, col)}: {df.at[row, 'target']:,.0f} is not a whole multiple "
                            f"of the {metric} unit {unit:,.0f}")
    return problems


def read_excel(path: str | Path) -> pd.DataFrame:
    """Read the long target table back from a plan workbook, refusing edited targets.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`~salesplan.export.to_excel` (in any
        language).

    Returns
    -------
    pandas.DataFrame
        The same columns, types and values as ``plan.targets.table``.

    Raises
    ------
    InputError
        Not a plan workbook; or a target that is not a number, not a whole
        multiple of its rounding unit, or that no longer adds up (the target
        data against the quota sheets and their plan rows): each problem
        names the sheet and the cell.
    """
    from salesplan.export.verify import check_quotas

    wb = _open(path)
    try:
        names = read_names(wb)
        sheet, rows, r0, c0 = _data_sheet(wb, names, path)
        if not rows:
            raise InputError(str(path), [f"sheet {sheet!r} is empty"])
        pos = _columns(rows[0], sheet, path)
        df = _target_frame(rows, pos, sheet, r0, c0, path)
        problems = _check_units(df, names, sheet, r0, c0 + pos["target"])
        problems += check_quotas(wb, names, df, sheet, r0, c0 + pos["target"])
    finally:
        wb.close()
    if problems:
        raise InputError(str(path), problems)
    return df


# ---------------------------------------------------------------------------
# the sign-off sheet
# ---------------------------------------------------------------------------
def _agreed(v: Any) -> Any:
    if v is None or (isinstance(v, str) and not v.strip()):
        return pd.NA
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower()
    return True if text in _YES else False if text in _NO else None


def _date(v: Any) -> Any:
    if v is None or (isinstance(v, str) and not v.strip()):
        return pd.NaT
    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Timestamp(v).normalize()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from openpyxl.utils.datetime import from_excel

        return pd.Timestamp(from_excel(v)).normalize()
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(v).strip()))
    except ValueError:
        return None


def read_signoff(path: str | Path) -> pd.DataFrame:
    """The rows of the sign-off sheet as filled in.

    Parameters
    ----------
    path : str or Path
        A plan workbook whose sign-off sheet was filled in (in Excel,
        LibreOffice or WPS).

    Returns
    -------
    pandas.DataFrame
        One row per rep and metric: ``rep_id``, ``metric``, ``target``
        (currency or count a year), ``commitment`` (same unit; NaN when
        empty), ``agreed`` (nullable boolean: Yes / 是 is True, No / 否
        False), ``signed_by`` (text, missing when empty), ``date``
        (datetime64, NaT when empty).

    Raises
    ------
    InputError
        No sign-off sheet, or a cell that is not what it should be (a
        commitment that is not a number or negative, an answer other than
        Yes or No, a date that is not a date), naming the sheet and cell.
    """
    from salesplan.export.signoff import SIGNOFF_COLUMNS

    wb = _open(path)
    try:
        names = read_names(wb)
        if "salesplan_signoff" not in names:
            raise InputError(str(path), ["no sign-off sheet (defined name salesplan_signoff): not a plan workbook "
                                         "written by salesplan.export.to_excel"])
        sheet, ref = names["salesplan_signoff"]
        rows, r0, c0 = _block(wb, sheet, ref)
    finally:
        wb.close()
    col = {name: j for j, name in enumerate(SIGNOFF_COLUMNS)}
    out, problems = [], []
    metrics = reverse("metrics")
    for i, row in enumerate(rows):
        if row[col["rep_id"]] is None:
            continue
        where = {name: _cell(sheet, r0 + i, c0 + j) for name, j in col.items()}
        commitment, agreed, date = _number(row[col["commitment"]]), _agreed(row[col["agreed"]]), _date(row[col["date"]])
        if commitment is not None and (commitment != commitment or commitment < 0):
            problems.append(f"{where['commitment']}: {row[col['commitment']]!r} is not a number >= 0")
        if agreed is None:
            problems.append(f"{where['agreed']}: {row[col['agreed']]!r} is not Yes or No (是 / 否)")
        if date is None:
            problems.append(f"{where['date']}: {row[col['date']]!r} is not a date (YYYY-MM-DD)")
        signed = row[col["signed_by"]]
        key = row[col["metric_key"]] or metrics.get(str(row[col["metric"]]), str(row[col["metric"]]))
        out.append((str(row[col["rep_id"]]), str(key), _number(row[col["target"]]),
                    np.nan if commitment is None else commitment, agreed,
                    pd.NA if signed is None or not str(signed).strip() else str(signed).strip(), date))
    if problems:
        raise InputError(str(path), problems)
    df = pd.DataFrame(out, columns=["rep_id", "metric", "target", "commitment", "agreed", "signed_by", "date"])
    df["target"] = df["target"].astype(float)
    df["commitment"] = df["commitment"].astype(float)
    df["agreed"] = df["agreed"].astype("boolean")
    df["date"] = pd.to_datetime(df["date"])
    return df
