"""The planning app for managers: pick a company, check its files, explore the plan in tabs, download it.

:class:`PlannerApp` is what ``app/planner.ipynb`` shows (``make app`` serves
it with Voila).  The company comes from the bundled sample, a folder on the
server or uploaded files; they are checked by
:func:`salesplan.load_inputs`, the same checks as ``salesplan validate``,
and every error (file, line, column) or warning shows in the page.  The
Excel workbook is built by :func:`salesplan.export.to_excel` and offered as
a browser download -- nothing is left on the server; when the company has
actuals, the workbook carries the review of the month the Review tab shows.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path

import ipywidgets as w

from salesplan.datasets import sample_folder
from salesplan.errors import InfeasibleError, InputError
from salesplan.inputs import load_inputs
from salesplan.widgets.base import _BUSY, error_html, language_of, month_label, warnings_html
from salesplan.widgets.labels import text
from salesplan.widgets.replan import ReplanExplorer
from salesplan.widgets.review import ReviewExplorer
from salesplan.widgets.staffing import StaffingExplorer
from salesplan.widgets.targets import TargetExplorer
from salesplan.widgets.territory import TerritoryExplorer

__all__ = ["PlannerApp", "TABS", "UPLOAD_NAMES", "XLSX_MIME"]

#: The tabs, in order: (label key, explorer class).  A tab whose explorer is
#: :meth:`~salesplan.widgets.base.Explorer.unavailable` for the company (the
#: review without ``actuals.csv``) says what is missing instead.
TABS = (
    ("tab.targets", TargetExplorer),
    ("tab.territories", TerritoryExplorer),
    ("tab.staffing", StaffingExplorer),
    ("tab.review", ReviewExplorer),
    ("tab.replan", ReplanExplorer),
)
#: Files an upload may hold (as named in a company folder).
UPLOAD_NAMES = ("accounts.csv", "reps.csv", "history.csv", "commitments.csv", "actuals.csv", "assumptions.yaml")
#: Media type of an Excel workbook.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlannerApp:
    """Company picker, findings, one tab per explorer and the workbook download.

    Parameters
    ----------
    folder : str or Path, optional
        A company folder on the server to propose (default: ``$SALESPLAN_DATA``).
    language : {"en", "zh"}, optional
        Language of the page (default: the company's assumptions).

    Attributes
    ----------
    inputs : Inputs or None
        The company loaded (None after files with errors).
    explorers : dict of str to Explorer
        Tab label key -> its explorer (tabs that cannot show the company
        are left out).
    source : ipywidgets.ToggleButtons
        ``sample``, ``folder`` or ``upload``.
    folder, upload, load_button, export_button : ipywidgets widgets
    status, problems, warnings, download : ipywidgets.HTML
    tabs : ipywidgets.Tab
    """

    def __init__(self, folder: str | Path | None = None, *, language: str | None = None):
        self.language = language or "en"
        self._fixed_language = language is not None
        self.title, self.company = w.HTML(), w.HTML()
        self.source = w.ToggleButtons(options=["sample", "folder", "upload"], value="sample",
                                      style={"button_width": "auto"})
        self.folder = w.Text(value=str(folder or os.environ.get("SALESPLAN_DATA", "")), layout=w.Layout(width="420px"))
        self.upload = w.FileUpload(accept=".csv,.yaml,.yml", multiple=True, layout=w.Layout(width="200px"))
        self.load_button = w.Button(button_style="primary", layout=w.Layout(width="200px"))
        self.status, self.problems, self.warnings = w.HTML(), w.HTML(), w.HTML()
        self.tabs = w.Tab()
        self.export_button = w.Button(layout=w.Layout(width="260px"))
        self.download = w.HTML()
        self.inputs = None
        self.explorers: dict = {}
        self._where = w.VBox()
        self._relabel()
        self.source.observe(lambda _: self._show_source(), names="value")
        self.load_button.on_click(lambda _: self.load())
        self.export_button.on_click(lambda _: self.export())
        self._show_source()
        self.load()

    # -- company ---------------------------------------------------------------
    def _relabel(self) -> None:
        """Put the page's own words in the page's language (it follows the company loaded)."""
        lang, kind = self.language, self.source.value
        self.company.value = f"<b>{html.escape(text('app.company', lang))}</b>"
        self.source.options = [(text(f"app.source.{k}", lang), k) for k in ("sample", "folder", "upload")]
        self.source.value = kind  # new options select the first one
        self.folder.placeholder = text("app.folder.placeholder", lang)
        self.upload.description = text("app.upload", lang)
        self.load_button.description = text("app.load", lang)
        self.export_button.description = text("app.export", lang)

    def _show_source(self) -> None:
        lang, kind = self.language, self.source.value
        rows = {"sample": [],
                "folder": [w.HBox([w.Label(text("app.folder", lang)), self.folder])],
                "upload": [w.HBox([self.upload, w.HTML(f"<small>{html.escape(text('app.upload.hint', lang))}"
                                                       "</small>")])]}[kind]
        self._where.children = rows

    def load(self) -> None:
        """Check the chosen company's files and build every tab (errors shown, never raised)."""
        lang = self.language
        self.load_button.disabled = True
        self.status.value = _BUSY.format(text=html.escape(text("app.loading", lang)))
        self.problems.value = self.warnings.value = self.download.value = ""
        try:
            inputs, name = self._read()
        except (InputError, InfeasibleError) as exc:
            self._no_plan(exc)
            return
        finally:
            self.load_button.disabled = False
        self._use(inputs, name)

    def _read(self):
        """The chosen company's inputs and a name to show."""
        kind = self.source.value
        if kind == "sample":
            return load_inputs(sample_folder()), text("app.source.sample", self.language)
        if kind == "folder":
            path = Path(self.folder.value.strip()).expanduser()
            return load_inputs(path), str(path)
        return self._read_upload(), ", ".join(f["name"] for f in self.upload.value)

    def _read_upload(self):
        """Inputs from the uploaded files, checked in a temporary folder that is removed after."""
        files = list(self.upload.value)
        if not files:
            raise InputError(text("app.upload", self.language), [text("app.upload.none", self.language)])
        wrong = [f["name"] for f in files if _upload_name(f["name"]) is None]
        if wrong:
            raise InputError(text("app.upload", self.language),
                             [text("app.upload.unknown", self.language, name=n, valid=", ".join(UPLOAD_NAMES))
                              for n in wrong])
        with tempfile.TemporaryDirectory(prefix="salesplan-upload-") as tmp:
            for f in files:
                (Path(tmp) / _upload_name(f["name"])).write_bytes(bytes(f["content"]))
            return load_inputs(tmp)

    def _no_plan(self, exc: BaseException) -> None:
        self.inputs, self.explorers = None, {}
        self.tabs.children = ()
        self.status.value = ""
        self.problems.value = f"<p><b>{html.escape(text('app.bad_input', self.language))}</b></p>" + error_html(
            exc, self.language)

    def _use(self, inputs, name: str) -> None:
        """Show ``inputs``: summary, warnings and a fresh explorer in every tab."""
        if not self._fixed_language and language_of(inputs) != self.language:
            self.language = language_of(inputs)
            self._relabel()
            self._show_source()
        lang = self.language
        self.inputs = inputs
        h = inputs.history
        self.title.value = f"<h2 style='margin:4px 0'>{html.escape(text('app.title', lang, year=inputs.assumptions.plan_year))}</h2>"
        self.status.value = html.escape(text("app.loaded", lang, name=name, accounts=len(inputs.accounts),
                                             staff=len(inputs.reps), first=h["month"].min(), last=h["month"].max()))
        self.explorers, pages = {}, []
        for key, cls in TABS:
            reason = cls.unavailable(inputs, lang)
            if reason is None:
                self.explorers[key] = cls(inputs, language=lang)
                pages.append(self.explorers[key].widget())
            else:
                pages.append(w.HTML(f"<p class='sp-unavailable' style='max-width:760px'>{html.escape(reason)}</p>"))
        plan = getattr(self.explorers.get("tab.targets"), "plan", None)
        self.warnings.value = warnings_html(plan.findings if plan is not None else inputs.findings, lang)
        self.tabs.children = pages
        self.tabs.titles = [text(key, lang) for key, _ in TABS]
        self.tabs.selected_index = 0

    # -- export ------------------------------------------------------------------
    def plan(self):
        """One plan with the settings of every tab: targets, territories, staffing and odds.

        Returns
        -------
        Plan
        """
        from salesplan.plan import build_plan

        changes, inputs = {}, self.inputs
        for e in self.explorers.values():
            changes.update(e.changes())
            if hasattr(e, "scenario_inputs"):
                inputs = e.scenario_inputs()
        a = self.inputs.assumptions.replace(**changes) if changes else None
        return build_plan(inputs, a, territories=True, staffing=True, simulation=True)

    def export(self) -> bytes | None:
        """Build the workbook and offer it as a download link (a data URL: nothing stays on the server).

        Returns
        -------
        bytes or None
            The workbook, or None when there is no plan (the reason is shown).
        """
        from salesplan.export import to_excel

        lang = self.language
        if self.inputs is None:
            return None
        self.export_button.disabled = True
        self.download.value = _BUSY.format(text=html.escape(text("app.export.busy", lang)))
        try:
            plan = self.plan()
            name = f"plan-{plan.year}.xlsx"
            shown = self.explorers.get("tab.review")
            if shown is not None and shown.review is not None:
                plan = plan.with_review(shown.review_for(plan))
                name = f"review-{plan.review.as_of}.xlsx"
            with tempfile.TemporaryDirectory(prefix="salesplan-export-") as tmp:
                data = Path(to_excel(plan, Path(tmp) / name)).read_bytes()
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self.download.value = error_html(exc, lang)
            return None
        finally:
            self.export_button.disabled = False
        href = f"data:{XLSX_MIME};base64,{base64.b64encode(data).decode()}"
        label = html.escape(text("app.export.ready", lang, name=name, size=max(1, round(len(data) / 1024))))
        note = text("app.export.note", lang) + (" " + text("app.export.review", lang, as_of=month_label(
            plan.review.as_of, lang)) if plan.review is not None else "")
        self.download.value = (f"<a class='sp-download' download='{name}' href='{href}' style='font-weight:600'>"
                               f"{label}</a> <small>{html.escape(note)}</small>")
        return data

    # -- display -------------------------------------------------------------------
    def widget(self) -> w.Widget:
        """The whole page.

        Returns
        -------
        ipywidgets.VBox
        """
        company = w.VBox([self.company, self.source, self._where, self.load_button, self.status, self.problems,
                          self.warnings])
        export = w.HBox([self.export_button, self.download], layout=w.Layout(align_items="center"))
        return w.VBox([self.title, company, export, self.tabs], layout=w.Layout(max_width="1250px"))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def _upload_name(name: str) -> str | None:
    """The company-folder name of an uploaded file (``assumptions.yml`` -> ``assumptions.yaml``), or None."""
    base = Path(name).name.lower()
    base = "assumptions.yaml" if base == "assumptions.yml" else base
    return base if base in UPLOAD_NAMES else None
