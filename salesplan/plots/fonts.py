"""A font for Chinese labels: Noto Sans CJK (or another CJK font) when installed, and how to get one.

Matplotlib's default font has no Chinese characters, so names, regions and
titles in Chinese show as empty boxes.  :func:`use_cjk_font` finds an
installed CJK font -- also one installed after matplotlib built its font
cache -- and adds it as a fallback after the
default family (``font.family``): Latin text looks as before, Chinese characters come from the
CJK font.  When none is installed it warns once, saying how to install
Noto Sans CJK.
"""

from __future__ import annotations

import functools
import warnings

__all__ = ["use_cjk_font", "CJK_FONTS", "INSTALL_HINT"]

#: CJK fonts looked for, in order of preference.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP",
             "Microsoft YaHei", "PingFang SC", "Heiti SC", "SimHei", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Arial Unicode MS")
#: What to do when no CJK font is installed.
INSTALL_HINT = ("No font with Chinese characters is installed, so Chinese text in charts shows as boxes. "
                "Install Noto Sans CJK -- Debian/Ubuntu: sudo apt-get install fonts-noto-cjk; "
                "Fedora: sudo dnf install google-noto-sans-cjk-fonts; Windows and macOS: Microsoft YaHei or "
                "PingFang SC are used when present -- then restart Python.")


def _installed() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def _add_system_cjk_fonts() -> None:
    """Register CJK font files installed after matplotlib's font cache was built."""
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        name = path.rsplit("/", 1)[-1].lower()
        if any(k in name for k in ("cjk", "sourcehan", "wqy", "simhei", "msyh", "pingfang", "notosanssc")):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # a file matplotlib cannot read
                continue


@functools.cache
def _cjk_family() -> str | None:
    """The installed CJK font to use (looked up once)."""
    found = next((f for f in CJK_FONTS if f in _installed()), None)
    if found is None:
        _add_system_cjk_fonts()
        found = next((f for f in CJK_FONTS if f in _installed()), None)
    return found


def use_cjk_font(*, warn: bool = True) -> str | None:
    """Make matplotlib draw Chinese characters with an installed CJK font.

    Parameters
    ----------
    warn : bool
        Warn (``UserWarning``) with :data:`INSTALL_HINT` when no CJK font is
        installed.

    Returns
    -------
    str or None
        The font family used for Chinese characters, or None when none is
        installed.
    """
    import matplotlib

    found = _cjk_family()
    if found is None:
        if warn:
            warnings.warn(INSTALL_HINT, UserWarning, stacklevel=2)
        return None
    families = list(matplotlib.rcParams["font.family"])
    if found not in families:
        matplotlib.rcParams["font.family"] = families + [found]  # a fallback: glyphs the first font lacks
    return found
