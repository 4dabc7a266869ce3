"""Split weights: each rep's share of a product line's target, the annual totals, floors and caps.

Sales logic of the split (which rep gets how much); the rounding that
makes the shares add up lives in :mod:`salesplan.rounding`.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from salesplan.assumptions import Assumptions
from salesplan.errors import InputError
from salesplan.history import availability, last_year, run_rate
from salesplan.schema import SPLIT_METHODS

__all__ = ["member_weights", "month_shares", "line_eligibility", "leaf_weights", "annual_totals", "growth_bounds",
           "history_metric"]


def member_weights(
    reps: pd.DataFrame,
    history: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    year: int,
    metric: str = "revenue",
    method: str = "capacity",
    blend: dict[str, float] | None = None,
    ramp_curve: Sequence[float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What each member brings to a product line, and how much of each month they can sell.

    A member's share of a month of a product line is proportional to
    ``base x capacity`` of that month (:func:`month_shares`), so a leaver
    and a new hire get months in proportion to what they can sell.

    Parameters
    ----------
    reps, history, accounts : pandas.DataFrame
        Target-carrying reps (active and open), monthly history, accounts.
    year : int
        Plan year; last year is ``year - 1``.
    metric : str
        History column the weights are measured on.
    method : {"history", "potential", "blended", "equal", "capacity"}
        * ``history`` -- the rep's own last-year result in the product line;
        * ``potential`` -- annual potential of the accounts the rep holds
          (split over product lines by the rep's mix);
        * ``equal`` -- one share per rep (by mix);
        * ``blended`` -- ``blend`` mix of the three above, each normalised;
        * ``capacity`` -- the rep's fully ramped monthly run-rate of one
          full-time head (reps without a usable history take the median of
          their role), with FTE in the capacity.
    blend : dict, optional
        Weights of ``history``, ``potential`` and ``equal`` for ``blended``.
    ramp_curve : sequence of float, optional
        Productivity by tenure month (month 1 first) in the capacity.

    Returns
    -------
    base : pandas.DataFrame
        Index ``rep_id`` (order of ``reps``), one column per product line:
        the member's weight in the line for a month they are fully there.
    capacity : pandas.DataFrame
        Index ``rep_id``, columns 1..12: share 0..1 of a full month on the
        payroll x ramp-up at that tenure (x FTE for ``capacity``, whose base
        is per full-time head).
    """
    from salesplan.arguments import require_frame

    if method not in SPLIT_METHODS:
        raise InputError("split_method", [f"{method!r} is not one of {', '.join(SPLIT_METHODS)}"])
    require_frame(reps, "reps", ["rep_id", "role", "status", "hire_date", "end_date", "fte"])
    require_frame(history, "history", ["month", "rep_id", "product_line", metric])
    ids = reps["rep_id"].astype(str).to_numpy()
    lines = sorted(history["product_line"].astype(str).unique())
    ly = last_year(history, year)
    ly_tab = (ly.groupby(["rep_id", "product_line"], observed=True)[metric].sum()
              .unstack(fill_value=0.0).reindex(index=ids, columns=lines, fill_value=0.0))
    elig = line_eligibility(reps, lines)
    ly_tab = ly_tab.astype(float) * elig  # a rep of one product line: nothing of the others
    comp_mix = ly_tab.sum(axis=0)
    comp_mix = comp_mix / comp_mix.sum() if comp_mix.sum() > 0 else comp_mix + 1 / len(lines)
    own = ly_tab.sum(axis=1)
    mix = ly_tab.div(own.where(own > 0, 1), axis=0)
    fallback = elig * comp_mix.to_numpy()[None, :]  # no history in their lines: the company's mix of them
    fallback = fallback / np.where(fallback.sum(axis=1, keepdims=True) > 0, fallback.sum(axis=1, keepdims=True), 1)
    mix[own <= 0] = fallback[(own <= 0).to_numpy()]
    capacity = availability(reps, year, ramp_curve=ramp_curve)
    if method == "capacity":
        return mix.mul(run_rate(reps, history, year, metric, ramp_curve), axis=0), capacity
    fte = reps["fte"].to_numpy(dtype=float)
    capacity = capacity.div(np.where(fte > 0, fte, 1), axis=0)

    def norm(t: pd.DataFrame) -> pd.DataFrame:
        s = t.sum(axis=0)
        return t.div(s.where(s > 0, 1), axis=1)

    def pot_w() -> pd.DataFrame:
        require_frame(accounts, "accounts", ["current_rep_id", "annual_potential"])
        held = accounts.groupby("current_rep_id", observed=True)["annual_potential"].sum()
        pot = pd.Series(ids, index=ids).map(held).fillna(0.0).astype(float)
        return norm(mix.mul(pot.to_numpy(), axis=0))

    parts = {"history": lambda: norm(ly_tab), "potential": pot_w, "equal": lambda: norm(mix.copy())}
    if method != "blended":
        return parts[method](), capacity
    b = {"history": 0.6, "potential": 0.3, "equal": 0.1, **(blend or {})}
    tot = sum(b.values())
    return norm(sum(parts[k]() * (b[k] / tot) for k in parts)), capacity


def line_eligibility(reps: pd.DataFrame, lines: Sequence[str]) -> np.ndarray:
    """Which product lines each member may carry a target in.

    Parameters
    ----------
    reps : pandas.DataFrame
        Target-carrying reps; an optional ``product_line`` names the one line
        a rep sells (empty: every line).
    lines : sequence of str
        Product lines, in the order of the result's columns.

    Returns
    -------
    numpy.ndarray of bool, shape (reps, lines)
    """
    lines = [str(x) for x in lines]
    if "product_line" not in reps:
        return np.ones((len(reps), len(lines)), dtype=bool)
    own = reps["product_line"].astype("string").str.strip().fillna("").to_numpy(dtype=object)
    return (own[:, None] == "") | (own[:, None] == np.asarray(lines, dtype=object)[None, :])


def month_shares(base: np.ndarray, capacity: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
    """Each member's share of every product line x month: proportional to base x capacity that month.

    Parameters
    ----------
    base : numpy.ndarray, shape (reps, lines)
        Weight of each member in each line (:func:`member_weights`).
    capacity : numpy.ndarray, shape (reps, 12)
        Share of each month a member can sell (0 before the start, after
        the end; ramp-up in between).
    eligible : numpy.ndarray of bool, shape (reps, lines), optional
        Lines each member may carry (:func:`line_eligibility`; default:
        every line).  A member never gets a share of another line, not even
        in the fall-backs below.

    Returns
    -------
    numpy.ndarray, shape (reps, lines, 12)
        Shares 0..1; every line x month sums to 1.  Where no member with a
        weight in the line is there that month, the members who may carry it
        and are there share it by capacity; where nobody is there at all, by
        base (and equally when both are zero), so no part of a target is
        ever lost.

    Raises
    ------
    InputError
        A product line no member may carry.
    """
    base = np.asarray(base, dtype=float)
    cap = np.asarray(capacity, dtype=float)
    ok = np.ones(base.shape, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if not ok.any(axis=0).all():
        raise InputError("month_shares(eligible=...)", [f"column {k} of the product lines: nobody may carry it"
                                                        for k in np.flatnonzero(~ok.any(axis=0))])
    base = base * ok
    x = base[:, :, None] * cap[:, None, :]
    s = x.sum(axis=0, keepdims=True)
    by_cap = cap[:, None, :] * ok[:, :, None]
    x = np.where(s > 0, x, by_cap)
    s = x.sum(axis=0, keepdims=True)
    x = np.where(s > 0, x, np.broadcast_to(base[:, :, None], x.shape))
    s = x.sum(axis=0, keepdims=True)
    x = np.where(s > 0, x, np.broadcast_to(ok[:, :, None], x.shape).astype(float))
    return x / x.sum(axis=0, keepdims=True)


def leaf_weights(
    reps: pd.DataFrame,
    history: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    year: int,
    metric: str = "revenue",
    method: str = "capacity",
    blend: dict[str, float] | None = None,
    ramp_curve: Sequence[float] | None = None,
    season: Sequence[float] | None = None,
    months: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Relative share of each rep x product line in that product line's annual target.

    The annual share a member gets when every month of a line is shared by
    ``base x capacity`` (:func:`member_weights`, :func:`month_shares`) and
    the months weigh ``season``: a June joiner or an open requisition gets
    the months they are there (at their ramp-up), a leaver the months
    before they go.

    Parameters
    ----------
    reps, history, accounts : pandas.DataFrame
        Target-carrying reps (active and open), monthly history, accounts.
    year : int
        Plan year; last year is ``year - 1``.
    metric : str
        History column the weights are measured on.
    method : {"history", "potential", "blended", "equal", "capacity"}
        See :func:`member_weights`.
    blend : dict, optional
        Weights of ``history``, ``potential`` and ``equal`` for ``blended``.
    ramp_curve : sequence of float, optional
        Ramp-up curve in the capacity.
    season : sequence of 12 float, optional
        Weight of each month (default: equal).
    months : sequence of int, optional
        Months (1..12) of the plan year to share (a re-plan shares only the
        rest of the year); default all 12.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id`` (order of ``reps``), one column per product line;
        every column sums to 1.
    """
    base, cap = member_weights(reps, history, accounts, year=year, metric=metric, method=method, blend=blend,
                               ramp_curve=ramp_curve)
    s = np.full(12, 1 / 12) if season is None else np.asarray(season, dtype=float) / np.sum(season)
    if months is not None:
        s = s * np.isin(np.arange(1, 13), list(months))
    w = (month_shares(base.to_numpy(), cap.to_numpy(), line_eligibility(reps, base.columns))
         * s[None, None, :]).sum(axis=2)
    w = w / np.where(w.sum(axis=0) > 0, w.sum(axis=0), 1)[None, :]
    return pd.DataFrame(w, index=base.index, columns=base.columns)


def annual_totals(history: pd.DataFrame, lines: Sequence[str], year: int, metric: str, a: Assumptions,
                  revenue_totals: pd.Series | None = None) -> pd.Series:
    """Exact annual target of ``metric`` per product line, before rounding.

    Parameters
    ----------
    history : pandas.DataFrame
        Monthly history.
    lines : sequence of str
        Product lines (the index of the result).
    year : int
        Plan year; last year is ``year - 1``.
    metric : {"revenue", "collections", "new_customers", "new_outlets", "gross_profit"}
        Revenue: last year x (1 + growth, or the line's own growth), scaled
        to ``targets.total`` when given.  Collections: the revenue target x
        ``collections_ratio`` (or last year's collections / revenue).  New
        customers and new outlets: last year x (1 + ``new_customers_growth``
        / ``new_outlets_growth``).  Gross profit: the revenue target x the
        line's ``gross_margin`` (or last year's gross profit / revenue).
    a : Assumptions
    revenue_totals : pandas.Series, optional
        The revenue targets per line, needed for collections and gross profit.

    Returns
    -------
    pandas.Series
        Per product line, currency (revenue, collections, gross profit) or a
        count.

    Raises
    ------
    InputError
        A new-outlet target without new outlets in last year's history, or a
        gross-profit target for a line with neither a ``gross_margin`` nor a
        full year of ``gross_profit`` in the history.
    """
    t = a.targets
    ly = last_year(history, year)
    if metric == "gross_profit":
        return revenue_totals * _gross_margins(ly, lines, t.gross_margin)
    if metric == "new_outlets" and ("new_outlets" not in ly or ly["new_outlets"].isna().all()):
        raise InputError("history.csv", [f"column 'new_outlets' is empty for {year - 1}; targets.metrics asks for "
                                         "new-outlet targets, which grow last year's new outlets"])
    by_line = ly.groupby("product_line", observed=True)[metric].sum().reindex(lines, fill_value=0.0).astype(float)
    if metric == "revenue":
        growth = pd.Series({pl: t.product_line_growth.get(pl, t.growth) for pl in lines})
        out = by_line * (1 + growth)
        if t.total is not None:
            out = out * (t.total / out.sum()) if out.sum() > 0 else pd.Series(t.total / len(lines), lines)
        return out.astype(float)
    if metric == "collections":
        if t.collections_ratio is not None:
            return revenue_totals * t.collections_ratio
        rev = ly.groupby("product_line", observed=True)["revenue"].sum().reindex(lines, fill_value=0.0)
        ratio = by_line.sum() / rev.sum() if rev.sum() > 0 else 1.0
        return revenue_totals * ratio
    growth = t.new_outlets_growth if metric == "new_outlets" else t.new_customers_growth
    return (by_line * (1 + growth)).astype(float)


def _gross_margins(ly: pd.DataFrame, lines: Sequence[str], given: dict[str, float]) -> pd.Series:
    """Gross profit / revenue per line: the assumption where given, else last year's (share 0..1)."""
    gp = ly["gross_profit"] if "gross_profit" in ly else pd.Series(np.nan, index=ly.index)
    known = gp.notna().groupby(ly["product_line"], observed=True).all().reindex(lines, fill_value=False)
    missing = [pl for pl in lines if pl not in given and not known[pl]]
    if missing:
        raise InputError("targets.gross_margin", [
            f"no gross margin for product line{'s' if len(missing) > 1 else ''} {', '.join(missing)}: give "
            "targets.gross_margin (share of revenue, e.g. {" + f"{missing[0]}: 0.3" + "}) or a gross_profit "
            "column in history.csv filled for every row of last year"])
    rev = ly.groupby("product_line", observed=True)["revenue"].sum().reindex(lines, fill_value=0.0)
    hist = gp.groupby(ly["product_line"], observed=True).sum().reindex(lines, fill_value=0.0)
    own = hist / rev.where(rev > 0)
    return pd.Series({pl: given[pl] if pl in given else float(np.nan_to_num(own[pl])) for pl in lines})


def history_metric(metric: str, history: pd.DataFrame, a: Assumptions) -> str:
    """History column whose last year splits ``metric`` among reps.

    Parameters
    ----------
    metric : str
        The targeted metric.
    history : pandas.DataFrame
        Monthly history.
    a : Assumptions
        ``targets.collections_ratio`` (collections set from revenue are
        split like revenue).

    Returns
    -------
    str
        ``metric`` itself, or ``revenue`` for collections set by a ratio and
        for gross profit without a ``gross_profit`` column filled for all of
        last year.
    """
    if metric == "collections" and a.targets.collections_ratio is not None:
        return "revenue"
    if metric == "gross_profit":
        ly = last_year(history, a.plan_year)
        return "gross_profit" if "gross_profit" in ly and len(ly) and ly["gross_profit"].notna().all() else "revenue"
    return metric


def growth_bounds(reps: pd.DataFrame, history: pd.DataFrame, lines: Sequence[str], year: int, metric: str,
                  a: Assumptions, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Floors and caps per rep x product line from ``rep_min_growth`` / ``rep_max_growth``.

    They apply to revenue, and to reps with a full year of history: a rep's
    target in a line lies within their last year there times ``1 +
    rep_min_growth`` and ``1 + rep_max_growth``.

    Parameters
    ----------
    reps : pandas.DataFrame
        The target-carrying reps (leaf order).
    history : pandas.DataFrame
        Monthly history.
    lines : sequence of str
        Product lines (leaf order within a rep).
    year : int
        Plan year.
    metric : str
        Only ``revenue`` is bounded.
    a : Assumptions
        ``targets.rep_min_growth`` / ``rep_max_growth``.
    unit : float
        Rounding unit of the metric (currency).

    Returns
    -------
    (lo, hi) : tuple of numpy.ndarray
        Whole units per leaf (rep-major, product line minor); 0 and ``inf``
        where no bound applies.
    """
    t = a.targets
    n = len(reps) * len(lines)
    lo, hi = np.zeros(n), np.full(n, np.inf)
    if metric != "revenue" or (t.rep_min_growth is None and t.rep_max_growth is None):
        return lo, hi
    ly = last_year(history, year)
    full = ly.groupby("rep_id", observed=True)["month"].nunique() == 12
    tab = (ly.groupby(["rep_id", "product_line"], observed=True)["revenue"].sum().unstack(fill_value=0.0)
           .reindex(index=reps["rep_id"].astype(str), columns=lines, fill_value=0.0))
    ok = reps["rep_id"].astype(str).map(full).fillna(False).to_numpy(dtype=bool)
    base = tab.to_numpy(dtype=float).ravel() / unit
    okl = np.repeat(ok, len(lines))
    if t.rep_min_growth is not None:
        lo = np.where(okl, np.ceil(base * (1 + t.rep_min_growth) - 1e-9), 0.0)
    if t.rep_max_growth is not None:
        hi = np.where(okl, np.floor(base * (1 + t.rep_max_growth) + 1e-9), np.inf)
    return lo, hi

