"""Charts draw Chinese with an installed CJK font, or say how to install one."""

from __future__ import annotations

import matplotlib
import pytest

from salesplan.plots import fonts


def test_an_installed_cjk_font_becomes_the_fallback(monkeypatch):
    monkeypatch.setattr(fonts, "_cjk_family", lambda: "Noto Sans CJK SC")
    with matplotlib.rc_context({"font.family": ["sans-serif"]}):
        assert fonts.use_cjk_font() == "Noto Sans CJK SC"
        assert list(matplotlib.rcParams["font.family"]) == ["sans-serif", "Noto Sans CJK SC"]  # Latin unchanged


def test_without_a_cjk_font_it_says_how_to_install_noto(monkeypatch):
    monkeypatch.setattr(fonts, "_cjk_family", lambda: None)
    with pytest.warns(UserWarning, match="Noto Sans CJK.*apt-get install fonts-noto-cjk"):
        assert fonts.use_cjk_font() is None


def test_chinese_labels_render_without_missing_glyphs():
    if fonts._cjk_family() is None:
        pytest.skip("no CJK font installed")
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fonts.use_cjk_font()
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_title("销售目标（万元）")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise
        fig.canvas.draw()
