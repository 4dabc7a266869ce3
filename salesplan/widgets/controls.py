"""Controls a manager can read and type into: a percentage box and a hiring-schedule editor.

Both are ipywidgets containers with an observable value (``value`` of
:class:`PercentBox`, ``applied`` of :class:`HiresEditor`), so an explorer
observes them like any slider.
"""

from __future__ import annotations

import ipywidgets as w
import traitlets

from salesplan.widgets.format import fmt, parse_share
from salesplan.widgets.labels import text

__all__ = ["PercentBox", "HiresEditor", "LABEL_WIDTH", "labelled"]

#: Width of the labels in front of the controls (full labels, never cut).
LABEL_WIDTH = "360px"


def labelled(label: str, control: w.Widget, *extra: w.Widget) -> w.HBox:
    """``control`` (and ``extra`` widgets) behind a full-width label.

    Parameters
    ----------
    label : str
        The words in front of the control.
    control : ipywidgets.Widget
    *extra : ipywidgets.Widget
        Further widgets on the same line (a message, say).

    Returns
    -------
    ipywidgets.HBox
    """
    return w.HBox([w.Label(label, layout=w.Layout(width=LABEL_WIDTH)), control, *extra],
                  layout=w.Layout(align_items="center"))


class PercentBox(w.HBox):
    """A percentage slider with a box that accepts "10%", "10" and "0.1".

    Parameters
    ----------
    label : str
        Full label in front of the slider.
    value : float
        Share (0.1 = 10 %).
    low, high : float
        Range (shares).
    step : float
        Slider step (share).
    language : {"en", "zh"}
        Language of the messages.

    Attributes
    ----------
    value : float
        The share shown; observe it like a slider's ``value``.
    slider : ipywidgets.FloatSlider
    box : ipywidgets.Text
        Typed text is read when Enter is pressed or the box loses focus.
    message : ipywidgets.HTML
        Why a typed text was refused.
    """

    value = traitlets.Float()
    disabled = traitlets.Bool(False)

    def __init__(self, label: str, value: float, *, low: float, high: float, step: float = 0.01,
                 language: str = "en"):
        self.low, self.high, self.language = low, high, language
        self.slider = w.FloatSlider(value=value, min=low, max=high, step=step, readout=False,
                                    continuous_update=False, layout=w.Layout(width="240px"))
        self.box = w.Text(value=fmt(value, "share", digits=_digits(value)), continuous_update=False,
                          layout=w.Layout(width="80px"))
        self.message = w.HTML()
        super().__init__([w.Label(label, layout=w.Layout(width=LABEL_WIDTH)), self.slider, self.box,
                          self.message], layout=w.Layout(align_items="center"))
        self.value = value
        self.slider.observe(lambda ch: setattr(self, "value", round(ch["new"], 4)), names="value")
        self.box.observe(self._typed, names="value")
        self.observe(self._show, names="value")
        self.observe(self._disable, names="disabled")

    def _typed(self, change) -> None:
        try:
            share = parse_share(change["new"], low=self.low, high=self.high, language=self.language)
        except ValueError as exc:
            self.message.value = f"<span style='color:#b00020'>{exc}</span>"
            return
        self.message.value = ""
        self.value = share
        self._show()

    def _show(self, change=None) -> None:
        if abs(self.slider.value - self.value) > 1e-9:
            self.slider.value = self.value
        shown = fmt(self.value, "share", digits=_digits(self.value))
        if self.box.value != shown:
            self.box.value = shown

    def _disable(self, change) -> None:
        self.slider.disabled = self.box.disabled = change["new"]


def _digits(share: float) -> int:
    """Decimals a percentage needs to show ``share`` exactly (0, 1 or 2)."""
    for d in (0, 1, 2):
        if abs(round(share * 100, d) - share * 100) < 1e-9:
            return d
    return 2


class HiresEditor(w.VBox):
    """Hires entered as rows (month, people) and applied with one button.

    Parameters
    ----------
    months : list of str
        Months a hire may start (``YYYY-MM``).
    language : {"en", "zh"}

    Attributes
    ----------
    applied : dict of str to int
        Month -> people of the last applied schedule; observe it.
    rows : ipywidgets.VBox
        One line per month.
    apply_button, add_button : ipywidgets.Button
    """

    applied = traitlets.Dict()
    disabled = traitlets.Bool(False)

    def __init__(self, months: list[str], *, language: str = "en"):
        self.months, self.language = list(months), language
        self.rows = w.VBox()
        self.add_button = w.Button(description=text("hires.add", language))
        self.apply_button = w.Button(description=text("hires.apply", language), button_style="primary")
        self.note = w.HTML(text("hires.none", language))
        self.add_button.on_click(lambda _: self.add_row())
        self.apply_button.on_click(lambda _: self.apply())
        super().__init__([w.Label(text("hires", language)), self.rows,
                          w.HBox([self.add_button, self.apply_button]), self.note])
        self.observe(self._disable, names="disabled")

    def add_row(self, month: str | None = None, people: int = 1) -> None:
        """Add a line (a month and a number of people).

        Parameters
        ----------
        month : str, optional
            ``YYYY-MM`` (default: the first month of the plan year).
        people : int
            Hires starting that month.
        """
        pick = w.Dropdown(options=self.months, value=month or self.months[0], layout=w.Layout(width="120px"))
        count = w.BoundedIntText(value=people, min=0, max=100, layout=w.Layout(width="80px"))
        remove = w.Button(description=text("hires.remove", self.language), layout=w.Layout(width="90px"))
        line = w.HBox([pick, count, remove])
        remove.on_click(lambda _: setattr(self.rows, "children", tuple(r for r in self.rows.children
                                                                           if r is not line)))
        self.rows.children = (*self.rows.children, line)

    def schedule(self) -> dict[str, int]:
        """The rows as month -> people (months repeated are added up, zero rows left out).

        Returns
        -------
        dict of str to int
        """
        out: dict[str, int] = {}
        for line in self.rows.children:
            month, people = line.children[0].value, int(line.children[1].value)
            if people > 0:
                out[month] = out.get(month, 0) + people
        return dict(sorted(out.items()))

    def apply(self) -> None:
        """Make the rows the applied schedule (the explorer re-plans)."""
        hires = self.schedule()
        self.note.value = (text("hires.applied", self.language,
                                hires=", ".join(f"{m}: {n}" for m, n in hires.items()))
                           if hires else text("hires.none", self.language))
        self.applied = hires

    def _disable(self, change) -> None:
        self.add_button.disabled = self.apply_button.disabled = change["new"]
