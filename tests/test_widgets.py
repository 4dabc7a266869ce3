"""The explorers and the app: defaults equal the notebooks' plans, every control shows a change, no raw output."""

from __future__ import annotations

import datetime
import io
import re
import threading

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from salesplan.plan import build_plan  # noqa: E402
from salesplan.widgets.format import fmt, html_table, parse_share  # noqa: E402
from salesplan.widgets.labels import LABELS, LANGUAGES, options, text  # noqa: E402


# -- formatting ---------------------------------------------------------------------
@pytest.mark.parametrize("typed,share", [("10%", 0.10), ("10 %", 0.10), ("10", 0.10), ("0.1", 0.10), (".1", 0.10),
                                         ("-5%", -0.05), ("12.5%", 0.125), ("１０％", 0.10), ("1", 1.0)])
def test_percentage_box_reads_what_managers_type(typed, share):
    assert parse_share(typed, low=-0.5, high=1.0) == pytest.approx(share)


@pytest.mark.parametrize("typed,message", [("ten", "not a number"), ("60%", "outside"), ("", "not a number")])
def test_percentage_box_refuses_instead_of_clamping(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_share(typed, low=0.0, high=0.5)


def test_tables_have_separators_percentages_and_no_nan():
    df = pd.DataFrame({"rep_id": ["R01", None], "target": [1138888.45, np.nan], "share": [0.93, pd.NA],
                       "month": [pd.Period("2027-03", "M"), pd.NaT]})
    out = html_table(df, {"rep_id": ("Rep", "text"), "target": ("Target (¥)", "money"),
                          "share": ("Attainment", "share"), "month": ("Month", "month")})
    assert "1,138,888" in out and "93%" in out and "2027-03" in out and "Target (¥)" in out
    for raw in ("NaN", "NaT", "<NA>", "None", "e+06", ".00", "0.93", "rep_id"):
        assert raw not in out
    assert fmt(0.125, "share", digits=1) == "12.5%" and fmt(None) == ""


def test_every_label_has_both_languages_and_the_same_placeholders():
    for key, pair in LABELS.items():
        assert len(pair) == len(LANGUAGES), key
        places = [sorted(re.findall(r"{(\w+)", p)) for p in pair]
        assert places[0] == places[1], f"{key}: {places}"
    from salesplan.schema import METRICS, SEASONALITY_METHODS, SPLIT_METHODS
    from salesplan.widgets.targets import LEVELS

    for names in (METRICS, SEASONALITY_METHODS, SPLIT_METHODS, LEVELS):
        for label, value in options(names):
            assert label != value and "_" not in label  # no code names in a dropdown
    assert text("split_method", "zh") != text("split_method", "en")


# -- explorers: defaults are the notebooks' plans ------------------------------------------
def test_target_explorer_opens_on_the_notebook_plan(sample_inputs, sample_plan):
    from salesplan.widgets import TargetExplorer

    e = TargetExplorer(sample_inputs)
    pd.testing.assert_frame_equal(e.plan.targets.table, sample_plan.targets.table)
    assert e.plan.assumptions == sample_plan.assumptions
    assert f"¥{sample_plan.total('revenue'):,.0f}" in e.headline.value


def test_staffing_explorer_opens_on_the_notebook_plan_and_ramp_curve(sample_inputs):
    from salesplan.simulate import simulate
    from salesplan.widgets import StaffingExplorer

    plan = build_plan(sample_inputs, staffing=True)  # notebook 03
    odds = simulate(plan, runs=10_000)
    e = StaffingExplorer(sample_inputs)
    assert e.plan.assumptions.staffing.ramp_curve == sample_inputs.assumptions.staffing.ramp_curve
    assert e.plan.staffing.metrics == plan.staffing.metrics
    pd.testing.assert_frame_equal(e.plan.staffing.capacity, plan.staffing.capacity)
    assert e.simulation.metrics.p_hit_annual == odds.metrics.p_hit_annual
    assert f"Heads required {plan.staffing.metrics.heads_required} " in e.headline.value
    assert f"{odds.metrics.p_hit_annual:.0%}" in e.headline.value


# -- every control changes something on screen ------------------------------------------------
def _screen(e) -> tuple:
    return e.headline.value, e.tables.value, bytes(e.image.value)


def _moves(e, control, value) -> None:
    before = _screen(e)
    control.value = value
    e.wait()
    assert e.message.value == "", e.message.value
    assert _screen(e) != before, f"{control} changed nothing on screen"


def test_every_target_control_changes_the_screen(sample_inputs):
    from salesplan.widgets import TargetExplorer

    e = TargetExplorer(sample_inputs)
    _moves(e, e.growth, 0.30)
    assert e.plan.assumptions.targets.growth == 0.30
    assert e.line_growth["HID"].value == 0.30 and e.line_growth["NEW"].value == 0.80  # HID followed, NEW kept
    for box, value in [(e.line_growth["NEW"], 0.5), (e.split, "history"), (e.season, "flat"),
                       (e.level, "rep_id"), (e.metric, "new_customers")]:
        _moves(e, box, value)
    assert e.plan.targets.table.query("rep_id == 'O01'")["target"].sum() == 0  # history split: no history
    assert "O01 Open requisition 1" in e.tables.value


def test_typing_into_the_growth_box(sample_inputs):
    from salesplan.widgets import TargetExplorer

    e = TargetExplorer(sample_inputs)
    for typed in ("10%", "10", "0.1"):
        e.growth.box.value = typed
        assert e.growth.value == pytest.approx(0.10) and e.growth.box.value == "10%"
        assert e.plan.assumptions.targets.growth == pytest.approx(0.10)
        e.growth.box.value = "25%"
    e.growth.box.value = "lots"
    assert "not a number" in e.growth.message.value and e.growth.value == 0.25


def test_every_staffing_control_changes_the_screen(sample_inputs):
    from salesplan.widgets import StaffingExplorer

    e = StaffingExplorer(sample_inputs, runs=500)
    _moves(e, e.attrition, 0.30)
    _moves(e, e.ramp, 6)
    assert e.plan.assumptions.staffing.ramp_curve == [0.45, 0.7, 0.84, 0.91, 0.96, 1.0]
    _moves(e, e.fill, 4)
    _moves(e, e.visits, 4.5)
    rows_before = _screen(e)
    e.hires.add_row("2027-03", 3)
    e.hires.add_row("2027-06", 2)
    assert _screen(e) == rows_before  # typing rows re-plans nothing
    e.hires.apply()
    assert _screen(e) != rows_before
    assert (e.plan.inputs.reps["rep_id"].str.startswith("N")).sum() == 5


def test_territory_explorer_opens_on_the_notebook_proposal_and_every_control_counts(sample_inputs):
    from salesplan.territory import assign
    from salesplan.widgets import TerritoryExplorer

    e = TerritoryExplorer(sample_inputs)
    proposal = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=sample_inputs.assumptions)
    pd.testing.assert_frame_equal(e.assignment.table, proposal.table)  # notebook 02's proposal
    _moves(e, e.cap, 0.25)  # a first plan at once, the polished one after (e.wait())
    capped = assign(sample_inputs.accounts, sample_inputs.reps, assumptions=sample_inputs.assumptions,
                    max_moved_share=0.25)
    pd.testing.assert_frame_equal(e.assignment.table, capped.table)
    assert e.busy.value == "" and "(25.0%)" in e.headline.value
    _moves(e, e.tolerance, 0.15)
    _moves(e, e.weight, 0.5)
    with e.hold():  # an impossible request is explained, not raised
        e.tolerance.value, e.cap.value = 0.02, 0.0
    e.refresh()
    assert "sp-error" in e.message.value and "Traceback" not in e.message.value
    assert "the last plan that could be built" in e.message.value  # the chart below is not the request
    assert not any(c.disabled for c in e.controls())


def test_no_blank_chart_while_another_thread_draws_with_pyplot(sample_inputs):
    """The explorer's figure is its own: pyplot figures drawn meanwhile on another thread do not blank it."""
    import matplotlib.pyplot as plt
    from PIL import Image, ImageStat

    from salesplan.widgets import TargetExplorer

    e = TargetExplorer(sample_inputs)
    stop = threading.Event()

    def notebook_cells():
        while not stop.is_set():
            fig, ax = plt.subplots()
            ax.plot(range(10))
            fig.savefig(io.BytesIO(), format="png")
            plt.close(fig)

    t = threading.Thread(target=notebook_cells)
    t.start()
    try:
        for k in range(4):
            e.level.value = ("region", "team", "product_line", "rep_id")[k % 4]
            img = Image.open(io.BytesIO(e.image.value)).convert("L")
            assert ImageStat.Stat(img).stddev[0] > 10
    finally:
        stop.set()
        t.join()


# -- the app ----------------------------------------------------------------------------------
def test_app_loads_the_sample_and_exports_a_workbook(sample_inputs):
    from salesplan.export import read_excel
    from salesplan.widgets.app import PlannerApp

    app = PlannerApp()
    assert list(app.tabs.titles) == ["Targets", "Territories", "Staffing"]
    app.explorers["tab.targets"].growth.value = 0.30
    app.explorers["tab.staffing"].attrition.value = 0.20
    data = app.export()
    assert data and "sp-download" in app.download.value and "download='plan-2027.xlsx'" in app.download.value
    table = read_excel(io.BytesIO(data))
    assert table.query("metric == 'revenue'")["target"].sum() == app.explorers["tab.targets"].plan.total()
    sheets = pd.ExcelFile(io.BytesIO(data)).sheet_names
    assert {"Territories", "Capacity"} <= set(sheets)
    assert app.plan().assumptions.staffing.annual_attrition == 0.20


def _file(name: str, content: bytes) -> dict:
    return {"name": name, "type": "", "size": len(content), "content": memoryview(content),
            "last_modified": datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)}


def test_app_shows_the_problems_of_uploaded_files(sample_dir):
    from salesplan.widgets.app import PlannerApp

    app = PlannerApp()
    accounts = (sample_dir / "accounts.csv").read_text(encoding="utf-8").splitlines()
    head = accounts[0].split(",")
    row = accounts[5].split(",")
    row[head.index("lat")] = "north"
    accounts[5] = ",".join(row)
    files = [_file("accounts.csv", ("\n".join(accounts) + "\n").encode())]
    files += [_file(n, (sample_dir / n).read_bytes()) for n in ("reps.csv", "history.csv", "assumptions.yaml")]
    app.source.value = "upload"
    app.upload.value = files
    app.load()
    assert "accounts.csv" in app.problems.value and "line 6" in app.problems.value
    assert "&#x27;north&#x27; is not a number" in app.problems.value
    assert app.inputs is None and len(app.tabs.children) == 0
    app.upload.value = [_file("notes.txt", b"x")]
    app.load()
    assert "notes.txt" in app.problems.value and "accounts.csv" in app.problems.value
    app.upload.value = files[1:] + [_file("accounts.csv", (sample_dir / "accounts.csv").read_bytes())]
    app.load()
    assert app.problems.value == "" and len(app.tabs.children) == 3


def test_app_reads_a_folder_on_the_server_and_reports_a_wrong_one(sample_copy, tmp_path):
    from salesplan.widgets.app import PlannerApp

    app = PlannerApp(folder=tmp_path / "nowhere")
    app.source.value = "folder"
    app.load()
    assert "not a folder" in app.problems.value
    app.folder.value = str(sample_copy)
    app.load()
    assert str(sample_copy) in app.status.value and app.problems.value == ""


# -- charts ---------------------------------------------------------------------------------------
def test_twenty_reps_get_twenty_distinct_colours():
    from matplotlib.colors import to_rgb

    from salesplan.plots import colours_for

    colours = list(colours_for([f"R{i:02d}" for i in range(20)]).values())
    assert len(set(colours)) == 20
    rgb = np.array([to_rgb(c) for c in colours])
    gaps = np.linalg.norm(rgb[:, None] - rgb[None], axis=2) + np.eye(20)
    assert gaps.min() > 0.15


def _outside(ax) -> bool:
    fig = ax.figure
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    return legend.x0 >= ax.get_window_extent().x1


def test_charts_put_legends_outside_and_units_in_titles(sample_plan):
    from matplotlib.figure import Figure

    from salesplan.plots.targets import plot_seasonality, plot_targets
    from salesplan.targets import seasonality

    ax = plot_targets(sample_plan.targets, by="rep_id", ax=Figure(layout="constrained").add_subplot())
    assert _outside(ax) and "thousand ¥" in ax.get_ylabel()
    ax = plot_seasonality({m: seasonality(sample_plan.inputs.history, m, year=2027) for m in ("flat", "working_days")},
                          ax=Figure(layout="constrained").add_subplot())
    assert _outside(ax) and "%" in ax.get_ylabel()


def test_territory_map_has_provinces_bases_and_a_legend(sample_inputs):
    from matplotlib.figure import Figure

    from salesplan.plots.territory import plot_territory_map, province_outlines

    names = {n for n, _, _ in province_outlines()}
    assert {"Guangdong", "Sichuan", "Xinjiang", "Taiwan"} <= names and len(names) == 32
    reps = sample_inputs.reps[sample_inputs.reps["status"] != "left"]
    ax = plot_territory_map(sample_inputs.accounts, sample_inputs.accounts["current_rep_id"], reps,
                            ax=Figure(figsize=(10, 6), layout="constrained").add_subplot())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Rep's base" in labels and any(label.startswith("R01 Zhang Min") for label in labels)
    outlines = [c for c in ax.collections if c.get_zorder() == 0]
    assert len(outlines) == 1 and len(outlines[0].get_paths()) > 32 and _outside(ax)  # provinces under the accounts


def test_capacity_band_and_target_contrast_and_chinese_labels(sample_inputs):
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from salesplan.plots.staffing import BAND_COLOUR, TARGET_COLOUR, plot_capacity

    plan = build_plan(sample_inputs, staffing=True, simulation={"runs": 200})
    ax = plot_capacity(plan.staffing.capacity, plan.simulation, ax=Figure().add_subplot(), language="zh")
    assert to_hex(ax.patches[0].get_facecolor()) == TARGET_COLOUR and TARGET_COLOUR != BAND_COLOUR
    assert "预计销售" in ax.get_title() and "千元" in ax.get_ylabel()
    from salesplan.plots import cjk_families

    assert ax.title.get_fontfamily() == cjk_families()
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["1月", "2月"]


def test_app_lists_the_warnings_of_the_checks(sample_inputs):
    import dataclasses

    from salesplan.errors import WARNING, Finding
    from salesplan.widgets.app import PlannerApp

    app = PlannerApp()
    doubt = Finding(WARNING, "growth_implausible", "assumptions.yaml", "growth of 25% is above the last 3 years",
                    column="targets.growth")
    app._use(dataclasses.replace(sample_inputs, findings=(doubt,)), "sample")
    assert "Please check (1)" in app.warnings.value
    assert "assumptions.yaml: targets.growth: growth of 25% is above" in app.warnings.value
