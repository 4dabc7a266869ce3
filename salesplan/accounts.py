"""Accounts by class: A/B/C from last year's sales (the 80/20 rule), and the visits each class needs.

The handbooks class customers A/B/C and manage them by class; about 20 % of
the customers bring 80 % of the volume, and the supervisor must know and hold
that 20 %.  :func:`abc_classes` ranks the accounts by last year's sales and
cuts the cumulative share at ``territory.abc_shares`` (default 80 / 15 / 5 %):
the accounts that bring the first 80 % of sales are A, the next 15 % B and
the last 5 % C.  :func:`pareto` is the ranked table behind the Pareto chart
and :func:`top_share` the share of sales the top 20 % of accounts hold.

:func:`classify_accounts` gives every account the segment and the visits a
month the plan works with: the ``segment`` of ``accounts.csv`` where given
(``territory.segments: auto``), else -- or for every account with
``segments: sales`` -- the class by sales; ``visits_per_month`` where given,
else the norm of the segment (``territory.visits_per_month``).  The values of
the file are kept beside (``segment_given``, ``visits_given``), so other
assumptions re-derive the classes from the file, not from a derived table.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from salesplan.errors import InputError
from salesplan.schema import LINE_SEPARATORS, SEGMENTS

__all__ = ["abc_classes", "pareto", "top_share", "classify_accounts", "account_visits", "segment_rule", "split_lines",
           "TOP_SHARE"]

#: Share of the accounts (the biggest first) whose share of sales :func:`top_share` reports by default.
TOP_SHARE = 0.2


def abc_classes(sales, shares: Mapping[str, float] | None = None) -> np.ndarray:
    """A/B/C class of each account by its cumulative share of last year's sales.

    Accounts are ranked by sales, biggest first (ties in the order given).
    An account is A while the accounts ranked above it hold less than
    ``shares["A"]`` of the total, B while they hold less than
    ``shares["A"] + shares["B"]``, else C; so the account that crosses 80 %
    is still A.  Accounts without sales are C.

    Parameters
    ----------
    sales : array_like
        Last year's sales per account (currency, >= 0).
    shares : mapping, optional
        Share 0..1 of sales per class, ``{"A": 0.8, "B": 0.15, "C": 0.05}``
        by default (``territory.abc_shares``).

    Returns
    -------
    numpy.ndarray of str
        ``"A"``, ``"B"`` or ``"C"`` per account, in the order given.

    Examples
    --------
    >>> abc_classes([50, 30, 10, 5, 5]).tolist()
    ['A', 'A', 'B', 'C', 'C']
    """
    s = np.asarray(sales, dtype=float)
    s = np.where(np.isfinite(s) & (s > 0), s, 0.0)
    shares = {"A": 0.80, "B": 0.15, "C": 0.05, **(shares or {})}
    out = np.full(len(s), "C", dtype=object)
    total = s.sum()
    if total <= 0:
        return out
    order = np.argsort(-s, kind="stable")
    before = (np.cumsum(s[order]) - s[order]) / total  # share held by the accounts ranked above
    a_cut, b_cut = shares["A"], shares["A"] + shares["B"]
    out[order] = np.where(before < a_cut - 1e-12, "A", np.where(before < b_cut - 1e-12, "B", "C"))
    out[s <= 0] = "C"
    return out


def pareto(accounts: pd.DataFrame, shares: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The accounts ranked by last year's sales with their cumulative shares: the Pareto table.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``account_id, sales_last_year`` (currency) and optionally ``name``.
    shares : mapping, optional
        Class shares as for :func:`abc_classes`.

    Returns
    -------
    pandas.DataFrame
        One row per account, biggest first: ``rank`` (1 = biggest),
        ``account_id, name, sales_last_year``, ``share`` (of total sales,
        0..1), ``cumulative_share`` (0..1), ``accounts_share`` (rank / number
        of accounts, 0..1) and ``abc_class``.
    """
    _require(accounts, ["account_id", "sales_last_year"], "pareto(accounts=...)")
    sales = pd.to_numeric(accounts["sales_last_year"], errors="coerce").fillna(0.0).clip(lower=0).to_numpy(float)
    order = np.argsort(-sales, kind="stable")
    total = sales.sum()
    s = sales[order]
    n = len(s)
    share = s / total if total > 0 else np.zeros(n)
    return pd.DataFrame({
        "rank": np.arange(1, n + 1),
        "account_id": accounts["account_id"].astype(str).to_numpy()[order],
        "name": (accounts["name"].astype(str).to_numpy()[order] if "name" in accounts else ""),
        "sales_last_year": s,
        "share": share,
        "cumulative_share": np.cumsum(share),
        "accounts_share": np.arange(1, n + 1) / max(n, 1),
        "abc_class": abc_classes(sales, shares)[order],
    })


def top_share(accounts: pd.DataFrame, top: float = TOP_SHARE) -> float:
    """Share of last year's sales held by the biggest ``top`` share of the accounts.

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``account_id, sales_last_year`` (currency).
    top : float
        Share 0..1 of the accounts, biggest first (0.2: the top 20 %,
        rounded to whole accounts).

    Returns
    -------
    float
        Share 0..1 of the total sales (0 when nobody sold anything).
    """
    if not 0 < top <= 1:
        raise InputError("top_share(top=...)", [f"must be a share within (0, 1] (got {top!r})"])
    p = pareto(accounts)
    k = max(int(round(top * len(p))), 1) if len(p) else 0
    return float(p["share"].iloc[:k].sum()) if k else 0.0


def _require(accounts: pd.DataFrame, columns: list[str], where: str) -> None:
    from salesplan.arguments import require_frame

    require_frame(accounts, where, columns)


def segment_rule(territory) -> str:
    """The settings a table's segments and visits were derived with, as the text of column ``segment_rule``.

    Parameters
    ----------
    territory : TerritoryAssumptions
        ``segments``, ``abc_shares`` and ``visits_per_month``.

    Returns
    -------
    str
        E.g. ``"auto; A 80% B 15% C 5%; visits A 2 B 1 C 0.34"``.
    """
    shares = " ".join(f"{k} {v:.4g}" for k, v in sorted(territory.abc_shares.items()))
    visits = " ".join(f"{k} {v:g}" for k, v in sorted(territory.visits_per_month.items()))
    return f"{territory.segments}; {shares}; visits {visits}"


def _given(accounts: pd.DataFrame, territory) -> tuple[pd.Series, pd.Series]:
    """The segment and visits a month to derive from (empty where they are to be derived).

    A table as read gives its own ``segment`` and ``visits_per_month``.  A
    table :func:`classify_accounts` made gives them too (edits by hand
    count) while the settings are those it was made with (``segment_rule``);
    under other settings it is derived again from the file's values
    (``segment_given``, ``visits_given``).
    """
    derived = "segment_given" in accounts and "visits_given" in accounts and "segment_rule" in accounts
    if derived and not (accounts["segment_rule"] == segment_rule(territory)).all():
        seg, vis = accounts["segment_given"], accounts["visits_given"]
    else:
        seg = accounts["segment"] if "segment" in accounts else pd.Series(pd.NA, index=accounts.index)
        vis = accounts["visits_per_month"] if "visits_per_month" in accounts else pd.Series(np.nan, index=accounts.index)
        if derived and territory.segments == "sales":
            seg = pd.Series(pd.NA, index=accounts.index)  # the classes by sales the table holds already
    seg = seg.astype("string").str.strip().replace("", pd.NA)
    return seg, pd.to_numeric(vis, errors="coerce").astype(float)


def account_visits(accounts: pd.DataFrame, territory) -> tuple[pd.Series, pd.Series]:
    """The segment each account is managed in and its visits a month (what the workload is made of).

    Parameters
    ----------
    accounts : pandas.DataFrame
        ``segment`` (may be empty) and optionally ``visits_per_month``,
        ``sales_last_year`` (needed where a class comes from sales) and the
        ``segment_given`` / ``visits_given`` columns of
        :func:`classify_accounts`.
    territory : TerritoryAssumptions
        ``segments``, ``abc_shares`` and ``visits_per_month`` (by segment).

    Returns
    -------
    segment : pandas.Series of str
        A, B or C, indexed like ``accounts``.
    visits : pandas.Series of float
        Visits a month: the account's own where given, else its segment's norm.

    Raises
    ------
    InputError
        A segment outside A/B/C, or classes by sales without
        ``sales_last_year``.
    """
    given, own = _given(accounts, territory)
    by_sales = territory.segments == "sales" or given.isna().any()
    if by_sales:
        if "sales_last_year" not in accounts:
            raise InputError("accounts", ["column sales_last_year: needed to class accounts A/B/C by last year's "
                                          "sales (territory.segments, or an empty segment)"])
        abc = pd.Series(abc_classes(pd.to_numeric(accounts["sales_last_year"], errors="coerce").to_numpy(float),
                                    territory.abc_shares), index=accounts.index)
        seg = abc if territory.segments == "sales" else given.fillna(abc)
    else:
        seg = given
    seg = seg.astype(str)
    unknown = sorted(set(seg) - set(territory.visits_per_month))
    if unknown:
        raise InputError("accounts", [f"column segment: unknown segment(s) {unknown}; valid: {', '.join(SEGMENTS)}"])
    visits = own.where(own.notna(), seg.map(territory.visits_per_month).astype(float))
    return seg, visits


def classify_accounts(accounts: pd.DataFrame, territory) -> pd.DataFrame:
    """The accounts with the segment and the visits a month the plan works with.

    Parameters
    ----------
    accounts : pandas.DataFrame
        As read from ``accounts.csv`` (``segment`` and ``visits_per_month``
        may be empty; ``sales_last_year`` in currency), or a table this
        function made before (derived again from its ``*_given`` columns).
    territory : TerritoryAssumptions
        ``segments`` (``auto``: the file's segment where given, else the
        class by sales; ``sales``: every account by sales), ``abc_shares``
        and the visit norms by segment.

    Returns
    -------
    pandas.DataFrame
        A copy with ``segment`` (A/B/C used by the plan) and
        ``visits_per_month`` (visits a month used by the plan), and beside
        them ``segment_given``, ``visits_given`` (the file's values, empty
        where it gave none), ``abc_class`` (class by last year's sales) and
        ``segment_rule`` (:func:`segment_rule`: the settings they were
        derived with).  The models take ``segment`` and
        ``visits_per_month`` as they are under those settings (edit them to
        try other values) and derive them again from the file's values under
        others.
    """
    acc = accounts.copy()
    if "segment_given" in acc and "visits_given" in acc:
        given, own = acc["segment_given"].astype("string"), pd.to_numeric(acc["visits_given"], errors="coerce")
    else:
        given = (acc["segment"] if "segment" in acc else pd.Series(pd.NA, index=acc.index)).astype("string")
        given = given.str.strip().replace("", pd.NA)
        own = pd.to_numeric(acc["visits_per_month"], errors="coerce") if "visits_per_month" in acc else \
            pd.Series(np.nan, index=acc.index)
    base = acc.drop(columns=[c for c in ("segment_rule",) if c in acc]).assign(segment=given, visits_per_month=own)
    seg, visits = account_visits(base, territory)
    acc["segment"] = seg.to_numpy(dtype=object)
    acc["visits_per_month"] = visits.to_numpy(dtype=float)
    acc["segment_given"] = given.to_numpy(dtype=object)
    acc["visits_given"] = own.to_numpy(dtype=float)
    sales = pd.to_numeric(acc["sales_last_year"], errors="coerce").to_numpy(float) if "sales_last_year" in acc else None
    acc["abc_class"] = abc_classes(sales, territory.abc_shares) if sales is not None else "C"
    acc["segment_rule"] = segment_rule(territory)
    return acc


def split_lines(text: str) -> tuple[str, ...]:
    """The product lines named in one cell of ``accounts.product_lines`` (``"LED;HID"``), in order, once each.

    Parameters
    ----------
    text : str
        Lines separated by any of :data:`~salesplan.schema.LINE_SEPARATORS`.

    Returns
    -------
    tuple of str
        Empty when the cell names none.
    """
    text = str(text)
    for sep in LINE_SEPARATORS[1:]:
        text = text.replace(sep, LINE_SEPARATORS[0])
    return tuple(dict.fromkeys(x.strip() for x in text.split(LINE_SEPARATORS[0]) if x.strip()))
