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

__all__ = ["leaf_weights", "annual_totals", "growth_bounds", "history_metric"]


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
    months: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Relative share of each rep x product line in that product line's target.

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
        * ``capacity`` -- the rep's fully ramped monthly run-rate x the
          months they are available in the plan year (ramp-up of new hires
          and FTE included).  Reps without a usable history take the median
          run-rate of their role.  A June joiner or an open requisition gets
          a prorated share, a leaver none.
    blend : dict, optional
        Weights of ``history``, ``potential`` and ``equal`` for ``blended``.
    ramp_curve : sequence of float, optional
        Ramp-up curve used by ``capacity``.
    months : sequence of int, optional
        Months (1..12) of the plan year whose availability ``capacity``
        counts (a re-plan shares only the rest of the year); default all 12.

    Returns
    -------
    pandas.DataFrame
        Index ``rep_id`` (order of ``reps``), one column per product line;
        every column sums to 1 (or is all zero when nobody can carry it).
    """
    if method not in SPLIT_METHODS:
        raise InputError("split_method", [f"{method!r} is not one of {', '.join(SPLIT_METHODS)}"])
    ids = reps["rep_id"].astype(str).to_numpy()
    lines = sorted(history["product_line"].astype(str).unique())
    ly = last_year(history, year)
    ly_tab = (ly.groupby(["rep_id", "product_line"], observed=True)[metric].sum()
              .unstack(fill_value=0.0).reindex(index=ids, columns=lines, fill_value=0.0))
    ly_tab = ly_tab.astype(float)
    comp_mix = ly_tab.sum(axis=0)
    comp_mix = comp_mix / comp_mix.sum() if comp_mix.sum() > 0 else comp_mix + 1 / len(lines)
    own = ly_tab.sum(axis=1)
    mix = ly_tab.div(own.where(own > 0, 1), axis=0)
    mix[own <= 0] = comp_mix.to_numpy()

    def norm(t: pd.DataFrame) -> pd.DataFrame:
        s = t.sum(axis=0)
        return t.div(s.where(s > 0, 1), axis=1)

    def hist_w() -> pd.DataFrame:
        return norm(ly_tab)

    def pot_w() -> pd.DataFrame:
        held = accounts.groupby("current_rep_id", observed=True)["annual_potential"].sum()
        pot = pd.Series(ids, index=ids).map(held).fillna(0.0).astype(float)
        return norm(mix.mul(pot.to_numpy(), axis=0))

    def eq_w() -> pd.DataFrame:
        return norm(mix.copy())

    if method == "history":
        w = hist_w()
    elif method == "potential":
        w = pot_w()
    elif method == "equal":
        w = eq_w()
    elif method == "blended":
        b = {"history": 0.6, "potential": 0.3, "equal": 0.1, **(blend or {})}
        tot = sum(b.values())
        w = norm(hist_w() * (b["history"] / tot) + pot_w() * (b["potential"] / tot)
                 + eq_w() * (b["equal"] / tot))
    else:
        avail = availability(reps, year, ramp_curve=ramp_curve)
        avail = avail if months is None else avail[list(months)]
        w = norm(mix.mul(run_rate(reps, history, year, metric, ramp_curve), axis=0)
                 .mul(avail.sum(axis=1).to_numpy(), axis=0))
    return w


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

