"""The words of the workbook and the command line, in English and Chinese.

Every text lives in one catalogue, ``catalogue.yaml`` beside this module:
sheet names and titles, column headers (with the kind of number each
column holds), month and quarter labels, role labels, metric names, the
choices shown in cells, one line per assumption, the labels of the cover
and the sign-off sheet and the lines the command line prints.
:func:`texts` gives the words of one language::

    t = texts("zh")
    t.month(1), t.quarter(1), t.role("key_account")   # ('1月', '第一季度', '大客户专员')

A label missing from the catalogue is shown as the key itself, so a missing
Chinese word shows up as English text (the tests look for that).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml

__all__ = ["LANGUAGES", "Texts", "texts", "catalogue", "reverse", "finding", "listing"]

#: Languages of the catalogue.
LANGUAGES = ("en", "zh")
#: A compound column name: a period (``Jan`` .. ``Dec``, ``Q1`` .. ``Q4``, ``YTD``), then a field
#: of the ``period_fields`` section (``Q1 target``, ``Jan pct``, ``YTD actual``).
COMPOUND = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Q[1-4]|YTD) (\w+)$")


@functools.cache
def catalogue() -> dict[str, Any]:
    """The whole catalogue as read from ``catalogue.yaml`` (cached; treat as read-only).

    Returns
    -------
    dict
        Section -> key -> ``{"en": ..., "zh": ...}`` (``months`` and
        ``quarters``: language -> list of labels).
    """
    text = (files("salesplan.i18n") / "catalogue.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.cache
def reverse(section: str) -> dict[str, str]:
    """Label -> key of one section, in every language (to read a workbook back).

    Parameters
    ----------
    section : str
        ``"roles"``, ``"metrics"``, ``"columns"``, ``"values"`` ...

    Returns
    -------
    dict of str to str
        Each label (English and Chinese) and each key mapped to its key.
    """
    out: dict[str, str] = {}
    for key, entry in catalogue()[section].items():
        out[key] = key
        for lang in LANGUAGES:
            out.setdefault(str(entry[lang]), key)
    return out


@dataclass(frozen=True)
class Texts:
    """The words of one language.

    Attributes
    ----------
    lang : str
        One of :data:`LANGUAGES`.
    """

    lang: str = "en"

    def _entry(self, section: str, key: str, **fields: Any) -> str:
        entry = catalogue()[section].get(key)
        if entry is None:
            return key
        text = str(entry[self.lang])
        return text.format(**fields) if fields else text

    def text(self, key: str, **fields: Any) -> str:
        """A label of the cover, quota, sign-off or checks sheets (``text`` section), filled in."""
        return self._entry("text", key, **fields)

    def cli(self, key: str, **fields: Any) -> str:
        """A line of the command line's summary (``cli`` section), filled in."""
        return self._entry("cli", key, **fields)

    def sheet(self, key: str, part: str = "name", **fields: Any) -> str:
        """Name, title or description (``part``: ``name``, ``title``, ``about``) of a sheet."""
        entry = catalogue()["sheets"].get(key)
        if entry is None:
            return key
        text = str(entry[part][self.lang])
        return text.format(**fields) if fields else text

    def column(self, name: str) -> str:
        """Header of a table column (the column's own name when the catalogue lacks it).

        A compound name, a period then a field (``Q1 target``, ``Jan pct``,
        ``YTD actual``), is put together from the period's label and the
        field's: ``Q1 target`` / ``第一季度目标``, ``Jan attainment`` / ``1月达成率``.
        """
        name = str(name)
        parts = _compound(name)
        if name in catalogue()["months"]["en"] and name not in catalogue()["columns"]:
            return self.month(catalogue()["months"]["en"].index(name) + 1)  # a month across: Jan / 1月
        if name in catalogue()["columns"] or parts is None:
            return self._entry("columns", name)
        period, field = parts
        if period == "YTD":
            label = self.text("ytd")
        elif period.startswith("Q"):
            label = self.quarter(int(period[1]))
        else:
            label = self.month(catalogue()["months"]["en"].index(period) + 1)
        return self.text("period_field", period=label, field=self._entry("period_fields", field))

    def kind(self, name: str) -> str | None:
        """Kind of number a column holds (``money``, ``count``, ``share`` ...), or None when unknown."""
        entry = catalogue()["columns"].get(str(name))
        if entry is None and (parts := _compound(str(name))) is not None:
            entry = catalogue()["period_fields"][parts[1]]
        return None if entry is None else entry.get("kind")

    def month(self, month: int) -> str:
        """Label of month 1..12 (``Jan`` / ``1月``)."""
        return catalogue()["months"][self.lang][month - 1]

    def quarter(self, quarter: int) -> str:
        """Label of quarter 1..4 (``Q1`` / ``第一季度``)."""
        return catalogue()["quarters"][self.lang][quarter - 1]

    def role(self, role: str) -> str:
        """A role spelled out (``key_account`` -> ``Key-account specialist``)."""
        return self._entry("roles", str(role))

    def metric(self, metric: str) -> str:
        """Name of a metric (``new_customers`` -> ``New customers``)."""
        return self._entry("metrics", str(metric))

    def value(self, value: Any) -> str:
        """A choice shown in a cell (methods, kinds of rows, yes/no); other text unchanged."""
        if isinstance(value, bool):
            value = "true" if value else "false"
        return self._entry("values", str(value))

    def labelled(self, section: str, key: str) -> tuple[str, str]:
        """Label and kind of ``key`` in ``section`` (``settings``, ``territory_metrics`` ...); ``(key, "text")`` when missing."""
        entry = catalogue()[section].get(key)
        if entry is None:
            return key, "text"
        return str(entry[self.lang]), entry.get("kind", "text")

    def setting(self, key: str) -> tuple[str, str]:
        """Description and kind of an assumption by dotted key (``targets.growth``)."""
        return self.labelled("settings", key)

    def money_unit(self, display_unit: float, currency: str) -> str:
        """What money is shown in: ``CNY``, ``CNY thousands``, ``万元`` ..."""
        return self._entry("units", str(int(display_unit)), currency=currency)

    def count_unit(self) -> str:
        """What counts are shown in (``count`` / ``个``)."""
        return self._entry("units", "count")

    def unit_of(self, metric: str, display_unit: float, currency: str) -> str:
        """The unit of a metric's figures: money in the display unit, or the count unit."""
        if catalogue()["metrics"].get(metric, {}).get("kind") == "count":
            return self.count_unit()
        return self.money_unit(display_unit, currency)


def _compound(name: str) -> tuple[str, str] | None:
    """``("Q1", "target")`` for a compound column name whose field the catalogue knows, else None."""
    m = COMPOUND.match(name)
    if m is None or m.group(2) not in catalogue()["period_fields"]:
        return None
    return m.group(1), m.group(2)


@functools.cache
def texts(lang: str = "en") -> Texts:
    """The words of ``lang``.

    Parameters
    ----------
    lang : {"en", "zh"}

    Returns
    -------
    Texts

    Raises
    ------
    ValueError
        An unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return Texts(lang)


def finding(level: str, check: str, source: str, render, *, lang: str = "en", **where: Any):
    """A finding whose message the catalogue words in every language.

    Parameters
    ----------
    level, check, source : str
        As :class:`~salesplan.errors.Finding`.
    render : callable
        ``render(t)`` gives the message in the words of ``t`` (a :class:`Texts`).
    lang : {"en", "zh"}
        Language of :attr:`~salesplan.errors.Finding.message`.
    **where
        ``line``, ``column`` or ``lines`` of the finding.

    Returns
    -------
    Finding
        Its message in ``lang``, every language in ``translations``.
    """
    from salesplan.errors import Finding

    words = {code: render(texts(code)) for code in LANGUAGES}
    return Finding(level, check, source, words[lang], **where, translations=tuple(words.items()))


def listing(items: list[str], t: Texts, quoted: int) -> str:
    """The first ``quoted`` items, separated as the language separates them, and how many more.

    Parameters
    ----------
    items : list of str
    t : Texts
    quoted : int
        Items named before " and N more".

    Returns
    -------
    str
    """
    more = t.text("and_more", n=len(items) - quoted) if len(items) > quoted else ""
    return t.text("list_sep").join(items[:quoted]) + more
