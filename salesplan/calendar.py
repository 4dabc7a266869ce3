"""Working days of a plan year: Monday to Friday, less public holidays, plus make-up working days.

The public holidays come from the ``holidays`` library, which computes the
lunar holidays (the Spring Festival, Dragon Boat and Mid-Autumn festivals)
for any year and knows the official PRC schedule of the years it has been
told of, make-up working days on weekends (调休上班日) included.  The
``calendar`` section of the assumptions adds what the library cannot know:
company days off and, for a year whose official schedule is not yet in the
library, its make-up working days.

The working-days seasonality (:func:`salesplan.history.seasonality`) and the
monthly visit capacity of the staffing model read their days from
:func:`working_days`.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from salesplan.errors import WARNING, Finding

if TYPE_CHECKING:  # pragma: no cover
    from salesplan.assumptions import CalendarAssumptions

__all__ = ["working_days", "holiday_table", "known_country", "calendar_findings"]


@functools.cache
def _supported() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


def known_country(country: str) -> bool:
    """Whether the holiday library knows the public holidays of ``country``.

    Parameters
    ----------
    country : str
        ISO 3166 code (``CN``).

    Returns
    -------
    bool
    """
    return country in _supported()


@functools.cache
def _library(year: int, country: str) -> tuple[tuple, tuple]:
    """(date, name) of the public days off and the make-up working days the library knows for ``year``."""
    import holidays

    cal = holidays.country_holidays(country, years=year)
    off = tuple(sorted((d, str(n)) for d, n in cal.items() if d.year == year))
    make_up = tuple(sorted(d for d in getattr(cal, "weekend_workdays", ()) if d.year == year))
    return off, make_up


def _settings(calendar: "CalendarAssumptions | None") -> "CalendarAssumptions":
    if calendar is None:
        from salesplan.assumptions import CalendarAssumptions

        return CalendarAssumptions()
    return calendar


def holiday_table(year: int, calendar: "CalendarAssumptions | None" = None) -> pd.DataFrame:
    """Every day of ``year`` that is not an ordinary working day or weekend.

    Parameters
    ----------
    year : int
        Calendar year.
    calendar : CalendarAssumptions, optional
        Country, extra days off and make-up working days (default: the PRC,
        nothing added).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64), ``name``, ``kind`` (``public`` holiday of the
        library, ``extra`` day off of the assumptions, ``workday``: a weekend
        day worked), sorted by date.
    """
    cal = _settings(calendar)
    off, make_up = _library(year, cal.country)
    rows = [(d, name, "public") for d, name in off]
    rows += [(dt.date.fromisoformat(d), "", "extra") for d in cal.holidays if d.startswith(f"{year}-")]
    rows += [(d, "", "workday") for d in sorted(set(make_up) | _dates(cal.workdays, year))]
    table = pd.DataFrame(rows, columns=["date", "name", "kind"])
    table["date"] = pd.to_datetime(table["date"])
    return table.sort_values(["date", "kind"], kind="stable").reset_index(drop=True)


def _dates(texts: Iterable[str], year: int) -> set[dt.date]:
    return {dt.date.fromisoformat(t) for t in texts if t.startswith(f"{year}-")}


def working_days(year: int, calendar: "CalendarAssumptions | None" = None, *,
                 holidays: Iterable[str] = ()) -> pd.Series:
    """Working days in each month of ``year``.

    A day is worked when it is a Monday to Friday and not a public holiday,
    or when it is a make-up working day (the library's or the assumptions');
    an extra day off (``calendar.holidays`` or ``holidays``) is never worked.

    Parameters
    ----------
    year : int
        Calendar year.
    calendar : CalendarAssumptions, optional
        Country, extra days off and make-up working days (default: the PRC,
        nothing added).
    holidays : iterable of "YYYY-MM-DD", optional
        Further days off.

    Returns
    -------
    pandas.Series
        Index 1..12 (month), name ``"working_days"``, whole days.
    """
    cal = _settings(calendar)
    off, make_up = _library(year, cal.country)
    dates = np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")
    public = np.array([d for d, _ in off], dtype="datetime64[D]")
    worked = np.array(sorted(set(make_up) | _dates(cal.workdays, year)), dtype="datetime64[D]")
    extra = np.array(sorted(_dates(list(cal.holidays) + list(holidays), year)), dtype="datetime64[D]")
    work = (np.is_busday(dates) & ~np.isin(dates, public)) | np.isin(dates, worked)
    work &= ~np.isin(dates, extra)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    counts = np.bincount(month, weights=work, minlength=12).astype(np.int64)
    return pd.Series(counts, index=pd.RangeIndex(1, 13, name="month"), name="working_days")


def calendar_findings(year: int, calendar: "CalendarAssumptions | None" = None, *,
                      lang: str = "en") -> list[Finding]:
    """Warnings about the calendar of ``year``.

    The PRC shifts weekends around its long holidays; the official schedule
    of a year is published the autumn before.  When the library knows none
    for ``year`` and the assumptions list none, the working days miss them.

    Parameters
    ----------
    year : int
        Plan year.
    calendar : CalendarAssumptions, optional
    lang : {"en", "zh"}
        Language of the message (the finding carries both).

    Returns
    -------
    list of Finding
        Empty, or one warning (check ``calendar_make_up_days``) naming the
        ``calendar.workdays`` key.
    """
    cal = _settings(calendar)
    if cal.country != "CN":
        return []
    _, make_up = _library(year, cal.country)
    if make_up or _dates(cal.workdays, year):
        return []
    from salesplan.i18n import finding

    return [finding(WARNING, "calendar_make_up_days", "assumptions.yaml",
                    lambda t: t.text("calendar_makeup", year=year), lang=lang, column="calendar.workdays")]
