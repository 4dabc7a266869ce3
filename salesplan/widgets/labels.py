"""The words the planning app, the explorers and their charts show: the ``app`` section of the catalogue.

Every word lives in the one catalogue of :mod:`salesplan.i18n`
(``catalogue.yaml``, English and Chinese), beside the workbook's and the
command line's.  :func:`text` picks a label in a language and fills in its
placeholders; :func:`options` turns code names (``average_of_proportions``)
into ``(label, value)`` pairs for a dropdown; :func:`money_unit` and
:func:`amount` write money in the display unit of the assumptions
(``display_unit``: 1, 1000 or 10000 yuan, i.e. 元, 千元 or 万元).
"""

from __future__ import annotations

from salesplan.i18n import LANGUAGES, catalogue

__all__ = ["LANGUAGES", "text", "options", "month_names", "money_unit", "amount", "money_digits"]


def text(key: str, language: str = "en", **values) -> str:
    """The label ``key`` in ``language``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        A key of the catalogue's ``app`` section.
    language : {"en", "zh"}
        Language of the text.
    **values
        Values for the placeholders of the text (extra ones are ignored).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        ``key`` is not in the ``app`` section (a missing label is a bug,
        never a silent code name on screen).
    ValueError
        ``language`` is not one of :data:`LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: must be one of {', '.join(LANGUAGES)}")
    label = str(catalogue()["app"][key][language])
    return label.format(**values) if values else label


def options(values, language: str = "en") -> list[tuple[str, str]]:
    """Dropdown options ``(label, value)`` for code names.

    Parameters
    ----------
    values : iterable of str
        Code names, each a key of the ``app`` section.
    language : {"en", "zh"}

    Returns
    -------
    list of (str, str)
    """
    return [(text(v, language), v) for v in values]


def month_names(language: str = "en") -> tuple[str, ...]:
    """Short names of the twelve months (``Jan`` ... or ``1月`` ...), as the workbook writes them.

    Parameters
    ----------
    language : {"en", "zh"}

    Returns
    -------
    tuple of str
    """
    return tuple(catalogue()["months"][language])


def money_digits(display_unit: int) -> int:
    """Decimals of money in ``display_unit``: none in yuan and thousands, one in 万元 (as the workbook).

    Parameters
    ----------
    display_unit : int
        1, 1000 or 10000 (yuan).

    Returns
    -------
    int
    """
    return 1 if display_unit >= 10000 else 0


def money_unit(display_unit: int = 1, language: str = "en") -> str:
    """What money in ``display_unit`` is counted in: ``¥`` / ``元``, ``thousand ¥`` / ``千元``, ``万元``.

    Parameters
    ----------
    display_unit : int
        1, 1000 or 10000 (yuan).
    language : {"en", "zh"}

    Returns
    -------
    str
    """
    return text(f"unit.money.{int(display_unit)}", language)


def amount(value: float, display_unit: int = 1, language: str = "en") -> str:
    """A sum of money in ``display_unit`` with its unit: ``¥24,303,000``, ``2,430.3 万元``.

    Parameters
    ----------
    value : float
        Currency (yuan).
    display_unit : int
        1, 1000 or 10000.
    language : {"en", "zh"}

    Returns
    -------
    str
    """
    number = f"{value / display_unit:,.{money_digits(display_unit)}f}"
    return text(f"amount.{int(display_unit)}", language, value=number)
