"""Plausibility warnings: inputs a plan can be computed from, but that look wrong.

Each check adds :class:`~salesplan.errors.Finding` records of level
warning to a :class:`~salesplan.inputs.checks.Context`, with a "did you
mean" where one fits.  ``salesplan validate --strict`` and
``salesplan plan --strict`` turn them into errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesplan.errors import WARNING
from salesplan.geo import haversine
from salesplan.history import last_year
from salesplan.inputs.checks import Context, month_ranges, period
from salesplan.schema import SALES_ROLES, sales_staff

__all__ = ["plausibility_warnings", "GROWTH_LIMIT", "OUTLIER_FACTOR", "FAR_KM", "TOTAL_RATIO"]

#: Growth (share) above which a growth setting is taken for a percent written as a number (2 = +200 %).
GROWTH_LIMIT = 2.0
#: A history month above this multiple of the rep's median month is flagged.
OUTLIER_FACTOR = 20.0
#: An account (or a rep's base) further than this from the centre of the accounts, in km, and further
#: than three times the 90th-percentile distance, is flagged.
FAR_KM = 1500.0
#: An absolute revenue target outside last year's sales / this .. x this is flagged.
TOTAL_RATIO = 3.0


def _growth(ctx: Context) -> None:
    t = ctx.assumptions.targets
    settings = {"targets.growth": t.growth, "targets.new_customers_growth": t.new_customers_growth,
                "targets.rep_min_growth": t.rep_min_growth, "targets.rep_max_growth": t.rep_max_growth}
    settings.update({f"targets.product_line_growth.{k}": v for k, v in t.product_line_growth.items()})
    for key, g in settings.items():
        if g is not None and g > GROWTH_LIMIT:
            ctx.add_key(WARNING, "growth_implausible", key,
                        f"{g:g} means +{g:.0%} on last year; growth is a share (0.12 = +12 %); "
                        f"did you mean {g / 100:g} (+{g:g} %)?")


def _total(ctx: Context) -> None:
    total = ctx.assumptions.targets.total
    if total is None:
        return
    ly = float(last_year(ctx.tables["history"], ctx.assumptions.plan_year)["revenue"].sum())
    if ly <= 0 or 1 / TOTAL_RATIO <= total / ly <= TOTAL_RATIO:
        return
    hint = next((f"; did you mean {total * f:,.0f}{note}?" for f, note in
                 ((10_000, " (the total in 万元 x 10,000)"), (1_000, " (in thousands x 1,000)"), (1e-4, ""))
                 if 1 / TOTAL_RATIO <= total * f / ly <= TOTAL_RATIO), "")
    ctx.add_key(WARNING, "total_implausible", "targets.total",
                f"{total:,.0f} is {total / ly:.1%} of last year's revenue ({ly:,.0f}){hint}")


def _outliers(ctx: Context) -> None:
    hist = ctx.tables["history"]
    for metric in ("revenue", "collections"):
        month = hist.groupby(["rep_id", "month"], observed=True)[metric].transform("sum").to_numpy(dtype=float)
        per = hist.assign(_v=month).drop_duplicates(["rep_id", "month"])
        median = per.groupby("rep_id", observed=True)["_v"].median()
        med = hist["rep_id"].map(median).to_numpy(dtype=float)
        big = (med > 0) & (month > OUTLIER_FACTOR * med)
        for rep_id in pd.unique(hist.loc[big, "rep_id"])[:5]:
            sel = big & (hist["rep_id"] == rep_id).to_numpy()
            months = hist.loc[sel, "month"]
            top = month[sel].max()
            ctx.add(WARNING, "history_outlier", "history", sel, metric,
                    f"rep {rep_id}'s {metric} in {month_ranges(months)} ({top:,.0f} in a month) is "
                    f"{top / median[rep_id]:.0f}x their median month ({median[rep_id]:,.0f}); a typo or a "
                    "one-off deal? It raises their share of the target")


def _far(ctx: Context, table: str, cols: tuple[str, str], subset: np.ndarray, centre: tuple[float, float],
         limit: float) -> None:
    """Rows of ``subset`` whose coordinates lie further than ``limit`` km from ``centre``."""
    df = ctx.tables[table]
    lat, lon = df[cols[0]].to_numpy(dtype=float), df[cols[1]].to_numpy(dtype=float)
    d = haversine(lat, lon, centre[0], centre[1])
    far = subset & (d > limit)
    if not far.any():
        return
    zero = far & (lat == 0) & (lon == 0)
    swap_ok = (np.abs(lon) <= 90) & (haversine(np.clip(lon, -90, 90), lat, centre[0], centre[1]) <= limit)
    for mask, hint in ((zero, "; 0, 0 looks like missing coordinates"),
                       (far & ~zero & swap_ok, f"; are {cols[0]} and {cols[1]} swapped?"),
                       (far & ~zero & ~swap_ok, "")):
        if mask.any():
            ctx.add(WARNING, "coordinates_far", table, mask, cols[0],
                    f"{cols[0]}/{cols[1]} {lat[mask][0]:g}, {lon[mask][0]:g} lie {d[mask].max():,.0f} km from "
                    f"the centre of the accounts ({centre[0]:.1f}, {centre[1]:.1f}), far outside their area "
                    f"({limit:,.0f} km){hint}")


def _coordinates(ctx: Context) -> None:
    acc, reps = ctx.tables["accounts"], ctx.tables["reps"]
    if len(acc) < 5:
        return
    lat, lon = acc["lat"].to_numpy(dtype=float), acc["lon"].to_numpy(dtype=float)
    centre = (float(np.median(lat)), float(np.median(lon)))
    limit = max(FAR_KM, 3 * float(np.percentile(haversine(lat, lon, centre[0], centre[1]), 90)))
    _far(ctx, "accounts", ("lat", "lon"), np.ones(len(acc), bool), centre, limit)
    _far(ctx, "reps", ("base_lat", "base_lon"), reps["role"].isin(SALES_ROLES).to_numpy(), centre, limit)


def _variants(ctx: Context) -> None:
    """Names that differ only by case or spaces: planned as two product lines (regions, teams)."""
    places = {"product_line": [("history", "product_line")],
              "region": [("accounts", "region"), ("reps", "region"), ("history", "region")],
              "team": [("reps", "team"), ("history", "team")]}
    for what, cols in places.items():
        seen: dict[str, set[str]] = {}
        for table, col in cols:
            for v in ctx.tables[table][col].dropna().astype(str).unique():
                seen.setdefault("".join(v.split()).lower(), set()).add(v)
        for variants in (sorted(v) for v in seen.values() if len(v) > 1):
            table, col = next((t, c) for t, c in cols if ctx.tables[t][c].astype(str).isin(variants[1:]).any())
            rows = ctx.tables[table][col].astype(str).isin(variants[1:]).to_numpy()
            ctx.add(WARNING, "name_variants", table, rows, col,
                    f"{' and '.join(repr(v) for v in variants)} differ only by case or spaces and are planned as "
                    f"different {what.replace('_', ' ')}s; did you mean '{variants[0]}'?")


_OPEN_END = 10**7  # month ordinal of "no end date" (far beyond any plan)


def _employment(reps: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Month ordinals of each rep's employment: hire and end month, and the first and last whole month
    (the months the history must hold)."""
    hire, end = reps["hire_date"], reps["end_date"]
    hire_m = hire.dt.to_period("M").array.asi8
    end_m = np.where(end.isna().to_numpy(), _OPEN_END, end.dt.to_period("M").array.asi8)
    last_day = end.dt.is_month_end.fillna(False).to_numpy(dtype=bool)
    return hire_m, end_m, hire_m + (hire.dt.day > 1).to_numpy(), np.where(last_day, end_m, end_m - 1)


def _coverage(ctx: Context) -> None:
    """Sales staff without history in months they were employed, or with history outside them."""
    reps, hist = ctx.tables["reps"], ctx.tables["history"]
    h0, h1 = int(hist["month"].min().ordinal), int(hist["month"].max().ordinal)
    staff = (reps["role"].isin(SALES_ROLES) & reps["status"].isin(["active", "left"])).to_numpy()
    hire_m, end_m, first, last = _employment(reps)
    months = hist.groupby("rep_id", observed=True)["month"].agg(lambda s: set(s.array.asi8))
    for i in np.flatnonzero(staff):
        rid = str(reps["rep_id"].iat[i])
        lo, hi = max(first[i], h0), min(last[i], h1)
        have = months.get(rid, set())
        missing = [period(o) for o in range(lo, hi + 1) if o not in have]
        if missing:
            when = "no rows at all" if not have else f"no rows for {month_ranges(missing)}"
            ctx.add(WARNING, "rep_history_missing", "reps", [i], "rep_id",
                    f"rep {rid} was employed from {reps['hire_date'].iat[i]:%Y-%m-%d} but history.csv has {when} "
                    f"({len(missing)} month{'s' if len(missing) > 1 else ''}); their run-rate and share of the "
                    "target assume they sold nothing then; add the rows (zeros for months without sales)")
        for side, outside in (("hire_date", [o for o in have if o < hire_m[i]]),
                              ("end_date", [o for o in have if o > end_m[i]])):
            if outside:
                ctx.add(WARNING, "history_outside_employment", "reps", [i], side,
                        f"history.csv has rows for rep {rid} in {month_ranges([period(o) for o in outside])}, "
                        f"{'before their hire_date' if side == 'hire_date' else 'after their end_date'}; check the "
                        "dates")


def _dates(ctx: Context) -> None:
    reps, hist = ctx.tables["reps"], ctx.tables["history"]
    year = ctx.assumptions.plan_year
    end = hist["month"].max()
    if year <= end.year:
        ctx.add_key(WARNING, "plan_year", "plan_year",
                    f"plan year {year} but history.csv runs to {end}: the plan year's own months are history; "
                    f"did you mean plan_year: {end.year + 1}?")
    start = pd.Timestamp(year=year, month=1, day=1)
    late = ((reps["status"] == "active") & (reps["hire_date"] > start)).to_numpy()
    if late.any():
        ctx.add(WARNING, "hired_after_start", "reps", late, "hire_date",
                f"an active rep hired after the plan year starts ({start:%Y-%m-%d}); if the post is not filled "
                "yet, set status to open")
    data_end = (end + 1).start_time
    overdue = ((reps["status"] == "open") & (reps["hire_date"] < data_end)).to_numpy()
    if overdue.any():
        ctx.add(WARNING, "requisition_overdue", "reps", overdue, "hire_date",
                f"an open requisition whose start date has passed (history runs to {end}): the plan counts it as "
                "a rep already on the payroll; set status active with the real hire date, or give the planned start")


def _commitments(ctx: Context) -> None:
    com = ctx.tables.get("commitments")
    if com is None or com.empty:
        return
    carry = set(sales_staff(ctx.tables["reps"])["rep_id"].astype(str))
    none = ~com["rep_id"].astype(str).isin(carry).to_numpy()
    if none.any():
        ctx.add(WARNING, "commitment_no_target", "commitments", none, "rep_id",
                f"commitment of {', '.join(sorted(set(com.loc[none, 'rep_id'].astype(str))))}, who carry no target "
                f"(roles {', '.join(SALES_ROLES)}, active or open); it is left out of the gap")


def _calendar(ctx: Context) -> None:
    from salesplan.calendar import calendar_findings

    a = ctx.assumptions
    if a.targets.seasonality != "working_days" or a.targets.seasonality_override is not None:
        return  # the months' targets do not follow the working days
    for f in calendar_findings(a.plan_year, a.calendar, lang=a.language):
        ctx.add_key(WARNING, f.check, f.column, f.message, f.translations)


def plausibility_warnings(ctx: Context) -> None:
    """Add every plausibility warning to ``ctx``.

    Growth above :data:`GROWTH_LIMIT`; an absolute total far from last year;
    history months above :data:`OUTLIER_FACTOR` x the rep's median;
    coordinates far outside the accounts' area (0, 0; swapped); names
    that differ only by case or spaces; sales staff without history in
    months they were employed (or with history outside them); a plan year
    not following the history; active reps hired after the plan year
    starts; open requisitions whose start has passed; commitments of staff
    who carry no target; a working-day seasonality for a plan year whose
    make-up working days the holiday library does not know yet.

    Parameters
    ----------
    ctx : Context
        Typed tables that passed every error check.
    """
    for check in (_growth, _total, _outliers, _coordinates, _variants, _coverage, _dates, _commitments, _calendar):
        check(ctx)
