"""Matplotlib charts of plans; every function draws on ``ax`` (or a new one) and returns it.

Shared helpers: :data:`PALETTE` (20 colours that stay apart), the legend
placed outside the data (:func:`legend_outside`) and the fonts a language
needs (:func:`use_language`).  The widgets draw on figures they own
(:class:`matplotlib.figure.Figure`); with ``ax=None`` a chart opens a pyplot
figure, which suits a notebook cell.

Chinese names and labels are drawn with an installed CJK font
(:func:`~salesplan.plots.fonts.use_cjk_font`, Noto Sans CJK preferred);
without one, the first chart warns how to install it.
"""

from __future__ import annotations

__all__ = ["axes_or_new", "PALETTE", "colours_for", "legend_outside", "use_language", "cjk_families",
           "money_scale"]

#: 20 colours, pairwise at least 27 apart in CIELAB (ΔE76) and none grey (grey means "no rep").
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
           "#17becf", "#0804f9", "#ff08e8", "#2b5d34", "#0165fc", "#ffb07c", "#ff0789", "#886806",
           "#0add08", "#920a4e", "#01c08d", "#a00498")

def money_scale(display_unit: int = 1, language: str = "en") -> tuple[float, str]:
    """Divisor and unit of money on a chart's axis: thousands, or the display unit when it is larger (万元).

    Parameters
    ----------
    display_unit : int
        The ``display_unit`` assumption: 1, 1000 or 10000 (yuan).
    language : {"en", "zh"}

    Returns
    -------
    tuple of (float, str)
        Yuan per unit drawn, and its words (``thousand ¥`` / ``千元``, ``万元``).
    """
    from salesplan.widgets.labels import money_unit

    unit = max(int(display_unit), 1000)
    return float(unit), money_unit(unit, language)


def axes_or_new(ax=None, size: tuple[float, float] = (9, 3.5)):
    """``ax``, or the axes of a new figure of ``size`` inches.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
    size : tuple of float
        Width and height of a new figure, inches.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from salesplan.plots.fonts import use_cjk_font

    use_cjk_font()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def colours_for(names) -> dict:
    """A colour of :data:`PALETTE` for each name, in sorted order (20 distinct, then repeating).

    Parameters
    ----------
    names : iterable of str
        Rep ids, regions ... (duplicates ignored).

    Returns
    -------
    dict of str to str
        Name -> hex colour; the same name gets the same colour in every chart.
    """
    return {n: PALETTE[k % len(PALETTE)] for k, n in enumerate(sorted({str(x) for x in names}))}


def legend_outside(ax, *, title: str | None = None, ncol: int = 1, **kwargs):
    """A legend to the right of the axes, clear of the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    title : str, optional
    ncol : int
        Columns of entries.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.legend` (``handles``, ``labels``).

    Returns
    -------
    matplotlib.legend.Legend or None
        None when there is nothing to label.
    """
    handles, labels = ax.get_legend_handles_labels()
    if not handles and "handles" not in kwargs:
        return None
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False,
                     fontsize="small", title=title, ncol=ncol, **kwargs)


def use_language(figure, language: str = "en") -> None:
    """Give every text of ``figure`` a font that has the glyphs of ``language``.

    Sets the family of each text artist (titles, labels, ticks, legends), so
    no global matplotlib setting changes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    language : {"en", "zh"}
    """
    if language != "zh":
        return
    from matplotlib.text import Text

    families = cjk_families()
    for t in figure.findobj(Text):
        t.set_fontfamily(families)


def cjk_families() -> list[str]:
    """The font families to give a Chinese text: the installed CJK font, then DejaVu Sans.

    The CJK font is found by :mod:`salesplan.plots.fonts` (also one installed
    after matplotlib built its font cache).

    Returns
    -------
    list of str
        ``[CJK family, "DejaVu Sans"]``, or just ``["DejaVu Sans"]`` when no
        CJK font is installed (Chinese glyphs then show as boxes;
        :func:`~salesplan.plots.fonts.use_cjk_font` says how to install one).
    """
    from salesplan.plots.fonts import _cjk_family

    found = _cjk_family()
    return [found, "DejaVu Sans"] if found else ["DejaVu Sans"]
