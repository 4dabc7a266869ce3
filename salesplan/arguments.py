"""Checks of the arguments of public functions: a wrong argument is an :class:`InputError` naming it.

A public function given a list of the wrong kind, a table without a column
it needs or a month written as text must say so in the caller's terms --
never fail with a ``KeyError`` or ``AttributeError`` deep inside, and never
read a single name as the list of its letters.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from salesplan.errors import InputError

_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?")

__all__ = ["require_frame", "as_list", "as_month", "with_months", "month_index", "require_attrs"]


def require_frame(obj: Any, where: str, columns: Iterable[str] = ()) -> pd.DataFrame:
    """``obj`` itself when it is a DataFrame holding ``columns``.

    Parameters
    ----------
    obj : object
        The argument.
    where : str
        The argument as the caller wrote it (``"assign(accounts=...)"``).
    columns : iterable of str
        Columns it must have.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        Not a DataFrame, or missing columns (named, with those it has).
    """
    columns = list(columns)
    if not isinstance(obj, pd.DataFrame):
        need = f" with columns {', '.join(columns)}" if columns else ""
        raise InputError(where, [f"must be a table (pandas DataFrame){need} (got {type(obj).__name__})"])
    missing = [c for c in columns if c not in obj.columns]
    if missing:
        has = ", ".join(map(str, list(obj.columns)[:15])) + (" ..." if len(obj.columns) > 15 else "")
        raise InputError(where, [f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                 f"(it has {has or 'no columns'})"])
    return obj


def require_attrs(obj: Any, where: str, kind: str, attrs: Sequence[str]) -> Any:
    """``obj`` itself when it has every attribute of ``attrs`` (an :class:`Inputs`, a :class:`Plan` ...).

    Parameters
    ----------
    obj : object
        The argument.
    where : str
        The argument as the caller wrote it.
    kind : str
        What it must be, named in the error (``"Inputs (salesplan.load_inputs)"``).
    attrs : sequence of str
        Attributes it must have.

    Returns
    -------
    object

    Raises
    ------
    InputError
        An attribute is missing.
    """
    if not all(hasattr(obj, a) for a in attrs):
        raise InputError(where, [f"must be {kind} (got {type(obj).__name__})"])
    return obj


def as_list(value: Any, where: str, *, allow_none: bool = False) -> list | None:
    """A list of names from a list, a tuple, a set, a Series or a single name.

    A single text is one item, not its letters (``locked="A001"`` is one
    account).

    Parameters
    ----------
    value : object
        The argument.
    where : str
        The argument as the caller wrote it.
    allow_none : bool
        ``None`` is returned as ``None`` instead of being an error.

    Returns
    -------
    list or None

    Raises
    ------
    InputError
        Neither a name nor a collection of them.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, (str, np.str_)):
        return [str(value)]
    if isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        return list(value)
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict, pd.DataFrame)):
        return list(value)
    raise InputError(where, [f"must be a name or a list of names (got {type(value).__name__})"])


def as_month(value: Any, where: str) -> pd.Period:
    """A monthly ``Period`` from a ``Period``, ``"YYYY-MM"`` (or ``"YYYY-MM-DD"``), a date or a timestamp.

    Parameters
    ----------
    value : object
        The month.
    where : str
        The argument as the caller wrote it.

    Returns
    -------
    pandas.Period
        Frequency ``M``.

    Raises
    ------
    InputError
        Not a month.
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, (pd.Timestamp, _dt.date, np.datetime64)):
        return pd.Timestamp(value).to_period("M")
    if isinstance(value, str):
        m = _MONTH.fullmatch(value.strip())
        if m and 1 <= int(m["m"]) <= 12 and (m["d"] is None or 1 <= int(m["d"]) <= 31):
            return pd.Period(year=int(m["y"]), month=int(m["m"]), freq="M")
    raise InputError(where, [f"{value!r} is not a month; give 'YYYY-MM' or a pandas Period"])


def _months(values: Any, where: str) -> pd.PeriodIndex:
    idx = pd.Index(values)
    if isinstance(idx, pd.PeriodIndex):
        return idx.asfreq("M")
    if isinstance(idx, pd.DatetimeIndex):
        return idx.to_period("M")
    return pd.PeriodIndex([as_month(v, where) for v in idx], freq="M")


def with_months(table: pd.DataFrame, where: str, column: str = "month") -> pd.DataFrame:
    """``table`` with its ``column`` of months as ``Period[M]`` (text ``"YYYY-MM"`` converted).

    Parameters
    ----------
    table : pandas.DataFrame
        A table with a column of months.
    where : str
        The argument as the caller wrote it.
    column : str
        The column of months.

    Returns
    -------
    pandas.DataFrame
        ``table`` itself when the months are already periods, else a copy.

    Raises
    ------
    InputError
        Not a table, no such column, or a value that is not a month.
    """
    require_frame(table, where, [column])
    if isinstance(table[column].dtype, pd.PeriodDtype):
        return table
    out = table.copy()
    out[column] = _months(table[column], f"{where}, column '{column}'").to_numpy()
    out[column] = out[column].astype("period[M]")
    return out


def month_index(series: pd.Series, where: str) -> pd.Series:
    """``series`` indexed by ``Period[M]`` (an index of ``"YYYY-MM"`` texts or dates converted).

    Parameters
    ----------
    series : pandas.Series
        Values by month.
    where : str
        The argument as the caller wrote it.

    Returns
    -------
    pandas.Series

    Raises
    ------
    InputError
        Not a Series, or an index value that is not a month.
    """
    if not isinstance(series, pd.Series):
        raise InputError(where, [f"must be a pandas Series indexed by month (got {type(series).__name__})"])
    if isinstance(series.index, pd.PeriodIndex):
        return series
    return series.set_axis(_months(series.index, where))
