"""The shared base of the explorers: busy state, headline, own figure, formatted tables, errors.

An explorer owns one :class:`matplotlib.figure.Figure` and shows it as PNG
bytes in an :class:`ipywidgets.Image`; tables are HTML strings in an
:class:`ipywidgets.HTML`.  Nothing goes through pyplot's global figures or
an ``Output`` widget's capture, so a widget message handled on a kernel
subshell thread (ipykernel 7, JupyterLab >= 4.4) never races a cell's
figures or display hooks -- the cause of charts turning into blank images.
A lock serialises the re-plans of one explorer, and a generation counter
makes sure only the newest request reaches the screen.
"""

from __future__ import annotations

import html
import io
import threading
import traceback
from contextlib import contextmanager
from typing import Any

import ipywidgets as w
from matplotlib.figure import Figure

from salesplan.errors import InfeasibleError, InputError
from salesplan.widgets.format import html_table
from salesplan.widgets.labels import amount, month_names, text

__all__ = ["Explorer", "language_of", "error_html", "warnings_html", "rep_names", "month_label", "plan_of",
           "RENDER_LOCK"]

#: Serialises matplotlib drawing of every explorer (matplotlib is not thread-safe).
RENDER_LOCK = threading.RLock()

_BUSY = ("<span style='display:inline-flex;align-items:center;gap:6px;color:#1f4e8c'>"
         "<span class='sp-spinner' style='width:12px;height:12px;border:2px solid #c9d6e8;"
         "border-top-color:#1f4e8c;border-radius:50%;display:inline-block;"
         "animation:sp-spin 0.8s linear infinite'></span>{text}</span>"
         "<style>@keyframes sp-spin {{to {{transform: rotate(360deg);}}}}</style>")


def language_of(inputs) -> str:
    """The language the assumptions ask for (``"en"`` until a ``language`` setting exists).

    Parameters
    ----------
    inputs : Inputs

    Returns
    -------
    str
    """
    return getattr(inputs.assumptions, "language", "en") or "en"


def rep_names(reps) -> dict[str, str]:
    """``rep_id -> "R01 Zhang Min"`` for tables, legends and dropdowns.

    Parameters
    ----------
    reps : pandas.DataFrame
        ``rep_id, name`` (a staff table).

    Returns
    -------
    dict of str to str
    """
    return {str(r): f"{r} {n}" for r, n in zip(reps["rep_id"], reps["name"])}


def month_label(month, language: str = "en") -> str:
    """A month with its year in words: ``Jun 2027`` / ``2027年6月``.

    Parameters
    ----------
    month : str or pandas.Period
        ``YYYY-MM``.
    language : {"en", "zh"}

    Returns
    -------
    str
    """
    year, number = str(month)[:4], int(str(month)[5:7])
    return text("month.year", language, month=month_names(language)[number - 1], year=year)


def plan_of(source, **parts):
    """``source`` when it is a plan, else the plan of the company ``source`` under its own assumptions.

    Parameters
    ----------
    source : Plan or Inputs
    **parts
        Parts to build with the plan (``territories=True`` ...), see
        :func:`salesplan.plan.build_plan`.

    Returns
    -------
    Plan
    """
    from salesplan.plan import Plan, build_plan

    return source if isinstance(source, Plan) else build_plan(source, **parts)


def error_html(exc: BaseException, language: str = "en") -> str:
    """An error as the page shows it: what went wrong, one problem a line, no traceback.

    Parameters
    ----------
    exc : Exception
        :class:`InputError` (each problem listed), :class:`InfeasibleError`
        or anything else (type and message).
    language : {"en", "zh"}

    Returns
    -------
    str
        HTML.
    """
    if isinstance(exc, InputError):
        items = "".join(f"<li>{html.escape(p)}</li>" for p in exc.problems)
        body = f"<b>{html.escape(exc.source)}</b><ul style='margin:2px 0'>{items}</ul>"
    elif isinstance(exc, InfeasibleError):
        body = f"{text('app.infeasible', language)}<br>{html.escape(str(exc))}"
    else:
        body = html.escape(text("app.unexpected", language, error=f"{type(exc).__name__}: {exc}"))
    return (f"<div class='sp-error' style='color:#8a0010;background:#fff0f0;border:1px solid #f3b7bd;"
            f"padding:6px 10px;border-radius:4px'>{body}</div>")


def warnings_html(findings, language: str = "en") -> str:
    """The warnings of the input checks as the page shows them (empty when there are none).

    Parameters
    ----------
    findings : sequence of Finding
    language : {"en", "zh"}

    Returns
    -------
    str
        HTML: a yellow box with one warning a line and its check's name.
    """
    if not findings:
        return ""
    items = "".join(f"<li>{html.escape(str(f.in_language(language)))} [{html.escape(f.check)}]</li>"
                    for f in findings)
    return (f"<div class='sp-warnings' style='background:#fff8e1;border:1px solid #f0d58c;padding:6px 10px;"
            f"border-radius:4px'><b>{html.escape(text('app.warnings', language, n=len(findings)))}</b>"
            f"<ul style='margin:2px 0'>{items}</ul></div>")


class Explorer:
    """Controls over one model, with a headline, a chart and tables; re-plans when a control moves.

    Subclasses set the controls, :meth:`build` (model call) and
    :meth:`draw` (figure and tables of a result).

    Parameters
    ----------
    inputs : Inputs
        Validated company inputs.
    language : {"en", "zh"}, optional
        Default: the assumptions' language.
    figsize : tuple of float
        Size of the explorer's figure, inches.

    Attributes
    ----------
    display_unit : int
        Yuan per unit of money in headlines and tables (the ``display_unit``
        assumption: 1, 1000 or 10000); charts draw money in thousands, or in
        the display unit when it is larger.
    result : object
        The newest result shown (a plan or an assignment).
    headline, message, busy, tables, warnings : ipywidgets.HTML
    image : ipywidgets.Image
        The figure as PNG.
    figure : matplotlib.figure.Figure
        The explorer's own figure.
    """

    #: Show a quick result first and refine it in the background (slow models).
    progressive = False
    #: Label key of the note shown while the quick result is refined.
    refining = "refining"

    def __init__(self, inputs, *, language: str | None = None, figsize: tuple[float, float] = (11, 3.6)):
        self.inputs = inputs
        self.language = language or language_of(inputs)
        self.display_unit = int(getattr(inputs.assumptions, "display_unit", 1) or 1)
        self.headline = w.HTML(layout=w.Layout(margin="6px 0"))
        self.message = w.HTML()
        self.busy = w.HTML()
        self.tables = w.HTML()
        self.warnings = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(width="auto", max_width="100%", height="auto"))
        self.figure = Figure(figsize=figsize, dpi=96, layout="constrained")
        self.result: Any = None
        self._lock = threading.RLock()
        self._generation = 0
        self._held = 0
        self._axes: list = []
        self._layout_key = None
        self._fresh = False
        self._worker: threading.Thread | None = None

    # -- to override ---------------------------------------------------------
    @classmethod
    def unavailable(cls, inputs, language: str = "en") -> str | None:
        """Why this explorer cannot show the company ``inputs`` (None: it can).

        Parameters
        ----------
        inputs : Inputs
        language : {"en", "zh"}

        Returns
        -------
        str or None
            A sentence for the page, saying what is missing.
        """
        return None

    def controls(self) -> list[w.Widget]:
        """The widgets that change the plan (disabled while it is rebuilt)."""
        raise NotImplementedError

    def build(self, *, final: bool = True):
        """Run the model for the controls' settings (``final=False``: a quick first result)."""
        raise NotImplementedError

    def draw(self, result) -> None:
        """Headline, figure and tables of ``result``."""
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        """Assumptions (dotted keys) the controls set apart from the company's (none by default)."""
        return {}

    def assumptions(self):
        """The assumptions the controls describe (the company's own object when unchanged).

        Returns
        -------
        Assumptions
        """
        changes = self.changes()
        return self.inputs.assumptions.replace(**changes) if changes else self.inputs.assumptions

    def money(self, value: float) -> str:
        """A sum of money as the headline writes it, in the display unit (``¥24,303,000``, ``2,430.3 万元``).

        Parameters
        ----------
        value : float
            Currency (yuan).

        Returns
        -------
        str
        """
        return amount(value, self.display_unit, self.language)

    def table(self, df, columns: dict[str, tuple[str, str]], **options) -> str:
        """``df`` as an HTML table in the explorer's language and display unit (:func:`html_table`).

        Parameters
        ----------
        df : pandas.DataFrame
        columns : dict of str to (str, str)
            Column -> (header, kind).
        **options
            ``caption``, ``total_row``, ``max_rows``.

        Returns
        -------
        str
        """
        return html_table(df, columns, language=self.language, display_unit=self.display_unit, **options)

    # -- machinery -------------------------------------------------------------
    def _watch(self, *controls: w.Widget, view: bool = False) -> None:
        """Re-plan (or, with ``view``, only redraw) when one of ``controls`` changes."""
        for c in controls:
            name = "applied" if hasattr(c, "applied") else "value"
            c.observe(self._redraw if view else self.refresh, names=name)

    def refresh(self, change=None) -> None:
        """Re-plan for the controls' settings and show it; errors are shown, never raised."""
        if self._held:
            return  # controls are being set together (see hold); one re-plan follows
        with self._lock:
            self._generation += 1
            generation = self._generation
        quick = self.progressive and change is not None
        self._set_busy(True, text("busy", self.language))
        try:
            result = self.build(final=not quick)
        except Exception as exc:  # noqa: BLE001 - shown in the page instead of a traceback
            self._fail(exc)
            self._set_busy(False)
            return
        self._show(result, generation)
        self._set_busy(False)
        if quick:
            self.busy.value = _BUSY.format(text=html.escape(text(self.refining, self.language)))
            self._worker = threading.Thread(target=self._refine, args=(generation,), daemon=True)
            self._worker.start()

    def _refine(self, generation: int) -> None:
        try:
            result = self.build(final=True)
        except Exception as exc:  # noqa: BLE001
            with self._lock:
                if generation == self._generation:
                    self._fail(exc)
            return
        self._show(result, generation, done=True)

    def _show(self, result, generation: int, *, done: bool = False) -> None:
        """Draw ``result`` unless a newer request came in; ``done`` clears the "refining" note."""
        with self._lock:
            if generation != self._generation:
                return  # a newer request is on its way
            self.result = result
            self.message.value = ""
            self.warnings.value = warnings_html(getattr(result, "findings", self.inputs.findings), self.language)
            self.draw(result)
            if done:
                self.busy.value = ""

    @contextmanager
    def hold(self):
        """Set several controls without a re-plan for each (call :meth:`refresh` after)."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    def _redraw(self, change=None) -> None:
        if self.result is not None:
            with self._lock:
                self.draw(self.result)

    def _fail(self, exc: BaseException) -> None:
        if not isinstance(exc, (InputError, InfeasibleError)):
            traceback.print_exc()  # to the server log; the page gets one readable line
        self.message.value = error_html(exc, self.language) + (
            f"<small>{html.escape(text('previous', self.language))}</small>" if self.result is not None else "")
        self.busy.value = ""

    def _set_busy(self, busy: bool, label: str = "") -> None:
        for c in self.controls():
            c.disabled = busy
        self.busy.value = _BUSY.format(text=html.escape(label)) if busy else ""

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a background refinement to finish (tests, benchmarks).

        Parameters
        ----------
        timeout : float
            Seconds at most.
        """
        if self._worker is not None:
            self._worker.join(timeout)

    def axes(self, make, key=None) -> list:
        """Empty axes to draw on: made by ``make(figure)``, or those of the last draw when ``key`` is the same.

        The first figure of a ``key`` is laid out by matplotlib's constrained
        layout (legends outside the axes get their room); later ones reuse its
        axes positions, which saves a layout pass on every change.

        Parameters
        ----------
        make : callable
            ``make(figure) -> list of Axes``.
        key : hashable, optional
            What decides the layout (e.g. the level shown); None: lay out afresh.

        Returns
        -------
        list of matplotlib.axes.Axes
        """
        if key is not None and key == self._layout_key:
            for ax in self._axes:
                ax.clear()
            return self._axes
        self.figure.clear()
        self.figure.set_layout_engine("constrained")
        self._axes, self._layout_key, self._fresh = list(make(self.figure)), key, True
        return self._axes

    def render(self) -> None:
        """Draw the figure into the image (PNG)."""
        buf = io.BytesIO()
        with RENDER_LOCK:
            self.figure.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
            if self._fresh and self._layout_key is not None:
                self.figure.set_layout_engine("none")  # keep the positions just laid out
            self._fresh = False
        self.image.value = buf.getvalue()

    def widget(self) -> w.Widget:
        """Controls, status, headline, chart and tables in one box."""
        return w.VBox([*self.layout(), self.busy, self.message, self.warnings, self.headline, self.image,
                       self.tables])

    def layout(self) -> list[w.Widget]:
        """The control lines shown above the results (default: one control a line)."""
        return list(self.controls())

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
