"""Matplotlib charts of plans; every function draws on ``ax`` (or a new one) and returns it.

Chinese names and labels are drawn with an installed CJK font
(:func:`~salesplan.plots.fonts.use_cjk_font`, Noto Sans CJK preferred);
without one, the first chart warns how to install it.
"""

from __future__ import annotations

__all__ = ["axes_or_new"]


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

        _, ax = plt.subplots(figsize=size)
    return ax
