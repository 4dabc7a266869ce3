"""What the history says: last year, seasonality, who is on the payroll when, ramp-up, run-rate.

Targets and staffing both read the past through these functions, so a
rep's ramp-up at a given tenure, their months on the payroll and their
proven run-rate are computed in one place.
"""

from __future__ import annotations

import calendar
from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.arguments import as_list, require_frame, with_months
from salesplan.errors import InputError
from salesplan.schema import SEASONALITY_METHODS

__all__ = ["last_year", "seasonality", "ramp_factor", "availability", "run_rate", "MONTHS"]

#: Months in a plan year.
MONTHS = 12


def last_year(history: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of calendar year ``year - 1`` (the year before the plan year).

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history with a ``month`` column of ``Period[M]``.
    year : int
        Plan year.

    Returns
    -------
    pandas.DataFrame
        The rows whose month lies in ``year - 1`` (selected by the month's
        ordinal, which is fast).
    """
    history = with_months(history, "history")
    ordinal = history["month"].array.asi8
    lo = (year - 1 - 1970) * 12
    return history[(ordinal >= lo) & (ordinal < lo + 12)]


def seasonality(
    history: pd.DataFrame,
    method: str = "average_of_proportions",
    *,
    metric: str = "revenue",
    year: int | None = None,
    override: Sequence[float] | None = None,
    holidays: Sequence[str] | None = None,
    calendar=None,
) -> pd.Series:
    """Twelve monthly weights that sum to 1.

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history with columns ``month`` (Period[M]) and ``metric``.
    method : {"average_of_proportions", "proportion_of_averages", "flat", "working_days"}
        * ``average_of_proportions`` -- each full calendar year's monthly
          shares, averaged over the years (every year counts the same).
        * ``proportion_of_averages`` -- each calendar month's average over the
          years, normalised (big years count more).
        * ``flat`` -- 1/12 each.
        * ``working_days`` -- working days of ``year``: Monday to Friday
          less public holidays, plus make-up working days
          (:func:`salesplan.calendar.working_days`).
    metric : str
        History column to measure (``revenue``).
    year : int, optional
        Plan year (needed by ``working_days``).
    override : sequence of 12 float, optional
        The manager's own weights (normalised); ``method`` is then ignored.
    holidays : sequence of "YYYY-MM-DD", optional
        Further days off removed from the working days.
    calendar : CalendarAssumptions, optional
        Country, extra days off and make-up working days of ``working_days``
        (default: PRC public holidays).

    Returns
    -------
    pandas.Series
        Index 1..12 (month number), name ``"weight"``; shares of the year
        that sum to 1.

    Raises
    ------
    InputError
        Unknown method, an override that is not 12 non-negative numbers, or
        history without a full calendar year.
    """
    if override is not None:
        try:
            w = np.asarray(override, dtype=float)
        except (TypeError, ValueError):
            w = np.full(1, np.nan)
        if w.shape != (12,) or (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise InputError("seasonality(override=...)",
                             [f"must be 12 non-negative numbers, not all zero (got {list(override)})"])
        return _weights(w / w.sum())
    if method not in SEASONALITY_METHODS:
        raise InputError("seasonality(method=...)",
                         [f"{method!r} is not one of {', '.join(SEASONALITY_METHODS)}"])
    if method == "flat":
        return _weights(np.full(12, 1 / 12))
    if method == "working_days":
        if year is None:
            raise InputError("seasonality(year=...)", ["the plan year is needed for working_days"])
        from salesplan.calendar import working_days

        holidays = as_list(holidays, "seasonality(holidays=...)", allow_none=True) or ()  # one date is one day
        days = working_days(year, calendar, holidays=holidays).to_numpy(dtype=float)
        return _weights(days / days.sum())
    history = with_months(history, "seasonality(history=...)")
    if metric not in history.columns:
        raise InputError("seasonality(metric=...)", [f"history has no column {metric!r}"])
    by_month = history.groupby("month", observed=True)[metric].sum()
    table = pd.DataFrame({"year": by_month.index.year, "m": by_month.index.month,
                          "v": by_month.to_numpy(dtype=float)})
    full = table.groupby("year")["m"].nunique()
    years = full.index[full == 12]
    if len(years) == 0:
        raise InputError("history.csv", ["no full calendar year (Jan..Dec) to measure seasonality; "
                                         "give at least 12 months from January, or use method 'flat'"])
    grid = table[table["year"].isin(years)].pivot(index="year", columns="m", values="v").to_numpy()
    if method == "average_of_proportions":
        tot = grid.sum(axis=1, keepdims=True)
        w = (grid / np.where(tot > 0, tot, 1)).mean(axis=0)
    else:
        w = grid.mean(axis=0)
    if w.sum() <= 0:
        return _weights(np.full(12, 1 / 12))
    return _weights(w / w.sum())


def _weights(w: np.ndarray) -> pd.Series:
    return pd.Series(w, index=pd.RangeIndex(1, 13, name="month"), name="weight")


def ramp_factor(tenure: np.ndarray, ramp_curve: Sequence[float]) -> np.ndarray:
    """Productivity at a tenure, as a share of a fully ramped head.

    Parameters
    ----------
    tenure : array_like of int
        Months since the start month (0 = the first month); negative before
        the start.
    ramp_curve : sequence of float
        Productivity by tenure month (month 1 first), held at its last value.

    Returns
    -------
    numpy.ndarray
        ``ramp_curve[tenure]`` (the last value beyond the curve), 0 before
        the start; the shape of ``tenure``.
    """
    rc = np.asarray(ramp_curve, dtype=float)
    k = np.asarray(tenure)
    return np.where(k >= 0, rc[np.clip(k, 0, len(rc) - 1)], 0.0)


def availability(reps: pd.DataFrame, year: int, *, ramp_curve: Sequence[float] | None = None) -> pd.DataFrame:
    """Share of each month a rep is on the payroll (x FTE, x ramp-up when given).

    Parameters
    ----------
    reps : pandas.DataFrame
        Columns ``rep_id, status, hire_date, end_date, fte``.  For an open
        requisition ``hire_date`` is the planned start; a ``left`` rep is
        never available.
    year : int
        Plan year.
    ramp_curve : sequence of float, optional
        Productivity by tenure month (month 1 first), held at its last value.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id``, columns 1..12, values in [0, 1] (share of the
        month's days, times FTE and ramp-up).
    """
    reps = _staff_dates(reps, "availability(reps=...)")
    first = pd.Timestamp(year=year, month=1, day=1)
    month_start = pd.date_range(first, periods=12, freq="MS").to_numpy()
    month_end = month_start + np.array([calendar.monthrange(year, m)[1] for m in range(1, 13)],
                                       dtype="timedelta64[D]")
    hire = reps["hire_date"].to_numpy(dtype="datetime64[ns]")
    end = reps["end_date"].to_numpy(dtype="datetime64[ns]")
    end = np.where(np.isnat(end), np.datetime64("2200-01-01"), end) + np.timedelta64(1, "D")
    a = np.maximum(hire[:, None], month_start[None, :])
    b = np.minimum(end[:, None], month_end[None, :])
    days = (b - a) / np.timedelta64(1, "D")
    span = (month_end - month_start) / np.timedelta64(1, "D")
    share = np.clip(days / span[None, :], 0, 1)
    share[(reps["status"] == "left").to_numpy()] = 0.0
    if ramp_curve is not None:
        hire_m = pd.DatetimeIndex(hire).year * 12 + pd.DatetimeIndex(hire).month
        tenure = (year * 12 + np.arange(1, 13))[None, :] - np.asarray(hire_m)[:, None]  # 0 = start month
        share = share * ramp_factor(tenure, ramp_curve)
    share = share * reps["fte"].to_numpy(dtype=float)[:, None]
    return pd.DataFrame(share, index=pd.Index(reps["rep_id"].astype(str), name="rep_id"),
                        columns=pd.RangeIndex(1, 13, name="month"))


def _staff_dates(reps: pd.DataFrame, where: str) -> pd.DataFrame:
    """``reps`` with the columns availability needs, dates as timestamps (text ``YYYY-MM-DD`` converted)."""
    require_frame(reps, where, ["rep_id", "status", "hire_date", "fte"])
    if "end_date" not in reps:
        reps = reps.assign(end_date=pd.NaT)
    out = reps
    for col in ("hire_date", "end_date"):
        if not pd.api.types.is_datetime64_any_dtype(reps[col]):
            conv = pd.to_datetime(reps[col], errors="coerce", format="ISO8601")
            bad = conv.isna() & reps[col].notna() & (reps[col].astype(str).str.strip() != "")
            if bad.any():
                raise InputError(where, [f"column {col}: {reps.loc[bad, col].iloc[0]!r} is not a date YYYY-MM-DD"])
            out = out.assign(**{col: conv})
    return out


def run_rate(reps: pd.DataFrame, history: pd.DataFrame, year: int, metric: str = "revenue",
             ramp_curve: Sequence[float] | None = None) -> np.ndarray:
    """Fully ramped monthly result of one full-time head, per rep.

    Last year's monthly average of ``metric``, divided by the rep's FTE and by
    their average ramp-up factor over the months they worked.  Reps with
    fewer than 3 months of history take the median of their role (or of
    everyone when nobody of the role has a history).

    Parameters
    ----------
    reps : pandas.DataFrame
        ``rep_id, role, hire_date, fte`` (and ``status``).
    history : pandas.DataFrame
        Monthly history.
    year : int
        Plan year; last year is ``year - 1``.
    metric : str
        History column.
    ramp_curve : sequence of float, optional
        Ramp-up curve the rep's months of last year are corrected for.

    Returns
    -------
    numpy.ndarray
        One value per row of ``reps`` (currency or count a month).
    """
    require_frame(reps, "run_rate(reps=...)", ["rep_id", "role", "hire_date", "fte"])
    require_frame(history, "run_rate(history=...)", ["month", "rep_id", metric])
    ly = last_year(history, year)
    per_rep = ly.groupby(["rep_id", "month"], observed=True)[metric].sum().groupby(level=0).agg(["sum", "count"])
    ids = reps["rep_id"].astype(str)
    got = per_rep.reindex(ids)
    last = reps.assign(year=year - 1)
    ramp = availability(last.assign(status="active", end_date=pd.NaT), year - 1, ramp_curve=ramp_curve)
    plain = availability(last.assign(status="active", end_date=pd.NaT), year - 1)
    factor = (ramp.sum(axis=1) / plain.sum(axis=1).where(plain.sum(axis=1) > 0, 1)).to_numpy()
    fte = reps["fte"].to_numpy(dtype=float)
    rate = got["sum"].to_numpy(dtype=float) / np.maximum(got["count"].to_numpy(dtype=float), 1)
    rate = rate / np.where(factor > 0, factor, 1) / fte  # per full-time, fully ramped head
    usable = np.nan_to_num(got["count"].to_numpy(dtype=float)) >= 3
    rate = np.where(usable, rate, np.nan)
    roles = reps["role"].astype(str).to_numpy()
    med_all = np.nanmedian(rate) if np.isfinite(rate).any() else 1.0
    out = rate.copy()
    for r in np.unique(roles):
        sel = roles == r
        med = np.nanmedian(rate[sel]) if np.isfinite(rate[sel]).any() else med_all
        out[sel & ~usable] = med
    return np.nan_to_num(out, nan=med_all)
