"""The explorers and the app: defaults equal the notebooks' plans, every control shows a change, no raw output."""

from __future__ import annotations

import datetime
import io
import re
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from salesplan.plan import build_plan  # noqa: E402
from salesplan.widgets.format import fmt, html_table, parse_share  # noqa: E402
from salesplan.widgets.labels import LANGUAGES, options, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


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


def test_every_label_is_in_the_catalogue_in_both_languages_with_the_same_placeholders():
    from salesplan.i18n import catalogue

    app = catalogue()["app"]  # the widgets' words live in the one catalogue, beside the workbook's
    for key, entry in app.items():
        assert set(entry) == set(LANGUAGES), key
        places = [sorted(re.findall(r"{(\w+)", str(entry[lang]))) for lang in LANGUAGES]
        assert places[0] == places[1], f"{key}: {places}"
        assert entry["zh"] != entry["en"] or not entry["en"] or key in ("unit.money.1", "amount.1"), key
    from salesplan.schema import METRICS, SEASONALITY_METHODS, SPLIT_METHODS
    from salesplan.widgets.review import LEVELS as REVIEW_LEVELS
    from salesplan.widgets.targets import LEVELS

    for names in (METRICS, SEASONALITY_METHODS, SPLIT_METHODS, LEVELS, REVIEW_LEVELS, ("year", "remaining")):
        keys = [f"keep.{n}" for n in names] if "year" in names else names
        for language in LANGUAGES:
            for label, value in options(keys, language):
                assert label != value and "_" not in label  # no code names in a dropdown
    assert text("split_method", "zh") != text("split_method", "en")
    # every key the widgets and charts ask for is there (a missing one raises KeyError on screen)
    sources = [*(ROOT / "salesplan" / "widgets").glob("*.py"), *(ROOT / "salesplan" / "plots").glob("*.py")]
    used = {k for p in sources for k in re.findall(r'(?<![.\w])text\(\s*"([^"]+)"', p.read_text(encoding="utf-8"))}
    assert len(used) > 80 and used <= set(app), sorted(used - set(app))
    assert not [w for p in sources for w in _chinese_literals(p)]  # no Chinese word outside the catalogue


def _chinese_literals(path: Path) -> list[str]:
    """String literals of a module, docstrings left out, that hold Chinese characters."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs and re.search("[\u4e00-\u9fff]", n.value)]


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
    import openpyxl

    from salesplan.export import read_excel
    from salesplan.widgets.app import PlannerApp

    app = PlannerApp()
    assert list(app.tabs.titles) == ["Targets", "Territories", "Staffing", "Review", "Re-plan"]
    app.explorers["tab.targets"].growth.value = 0.30
    app.explorers["tab.staffing"].attrition.value = 0.20
    review = app.explorers["tab.review"]
    review.as_of.value = "2027-05"
    review.wait()
    data = app.export()
    assert data and "sp-download" in app.download.value and "download='review-2027-05.xlsx'" in app.download.value
    assert "actuals up to May 2027" in app.download.value
    table = read_excel(io.BytesIO(data))
    assert table.query("metric == 'revenue'")["target"].sum() == app.explorers["tab.targets"].plan.total()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert {"Territories", "Capacity", "Review", "Achievement by rep", "Allowances"} <= set(book.sheetnames)
    assert book["Review"]["A1"].value.startswith("The year so far, as of May 2027")  # the month the tab shows
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
    assert app.problems.value == "" and len(app.tabs.children) == 5
    assert "actuals.csv" in app.tabs.children[3].value and "tab.review" not in app.explorers  # said, not hidden
    app.upload.value = [*app.upload.value, _file("actuals.csv", (sample_dir / "actuals.csv").read_bytes())]
    app.load()
    assert "Jun 2027: revenue ¥9,465,430" in app.explorers["tab.review"].headline.value


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


# -- the year in progress: review and re-plan ----------------------------------------------------------
def test_review_explorer_opens_on_the_notebook_review_and_every_control_counts(sample_inputs, sample_plan):
    import salesplan
    from salesplan.widgets import ReviewExplorer

    e = ReviewExplorer(sample_inputs)
    notebook = salesplan.review(sample_plan)  # notebook 04's review
    assert e.review.metrics == notebook.metrics and e.as_of.value == "2027-06"
    pd.testing.assert_frame_equal(e.review.achievement, notebook.achievement)
    m = notebook.metrics
    assert f"Jun 2027: revenue ¥{m.actual_ytd:,.0f} of ¥{m.target_ytd:,.0f} to date ({m.attainment_ytd:.1%})" \
        in e.headline.value
    assert f"chance to make the annual target {m.p_hit_annual:.1%}" in e.headline.value
    assert "R03 has no results after 2027-04" in e.warnings.value  # the review's warning, above the headline
    assert [label for label, _ in e.as_of.options] == ["Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027", "May 2027",
                                                       "Jun 2027"]
    _moves(e, e.as_of, "2027-03")  # a first forecast at once, the full one after (e.wait())
    march = salesplan.review(sample_plan, "2027-03")
    assert e.review.metrics == march.metrics and e.busy.value == ""
    assert f"¥{march.metrics.actual_ytd:,.0f} of ¥{march.metrics.target_ytd:,.0f}" in e.headline.value
    for control, value in [(e.metric, "collections"), (e.level, "region"), (e.region, "North")]:
        _moves(e, control, value)
    tables = e.tables.value
    for raw in ("NaN", "nan", "<NA>", "None", "e+0", "rep_id", "p_hit", "attainment_ytd"):
        assert raw not in tables, raw
    assert "Where the year may end" in tables and "Best and worst to date: Cash collected by region" in tables
    allowed = march.allowances[march.allowances["month"] == march.as_of]
    assert "Transport and phone allowances of Mar 2027" in tables and len(allowed) > 0
    for row in allowed.itertuples():  # every rep's row: shipped, then the withheld allowance, as payroll reads it
        assert re.search(rf"<td class=''>{row.rep_id}</td>.*?<td class='num'>{row.shipment_actual:,.0f}</td>"
                         rf"(?:(?!</tr>).)*<td class='num'>{row.withheld:,.0f}</td></tr>", tables), row.rep_id
    paid = march.allowance_totals.set_index("month").loc["YTD", "paid"]
    assert re.search(rf"<tr class='total'><td class=''>Year to date</td>.*?{paid:,.0f}", tables)


def test_review_export_reviews_the_workbook_plan_as_of_the_month_shown(sample_inputs):
    import salesplan
    from salesplan.widgets import ReviewExplorer

    e = ReviewExplorer(sample_inputs, as_of="2027-04", runs=500)
    assert e.review_for(e.plan) is e.review  # the plan on screen: the review on screen
    other = build_plan(sample_inputs, sample_inputs.assumptions.replace(**{"targets.growth": 0.3}))
    again = e.review_for(other)
    assert str(again.as_of) == "2027-04" and again.fingerprint == other.fingerprint
    assert again.metrics == salesplan.review(other, "2027-04", runs=500).metrics


def test_replan_explorer_shows_who_takes_what(sample_inputs):
    import salesplan
    from salesplan.widgets import ReplanExplorer

    plan = build_plan(sample_inputs, territories=True)  # notebook 04
    e = ReplanExplorer(plan)  # the actuals show R03 left at the end of April: proposed first
    assert (e.leaver.value, str(e.last_day.value), e.as_of.value) == ("R03", "2027-04-30", "2027-06")
    after = salesplan.replan(plan, "2027-06", leavers={"R03": "2027-04-30"})
    pd.testing.assert_frame_equal(e.diff.targets, plan.diff(after).targets)
    d = after.changes.diff.metrics
    assert f"{d.reps_changed} reps with new targets" in e.headline.value
    assert f"{d.accounts_moved} accounts change rep" in e.headline.value
    assert "Jul–Dec" in e.tables.value and "R04 Wu Xia" in e.tables.value and "from a leaver" in e.tables.value
    assert "leaver_in_frozen_months" in e.warnings.value
    _moves(e, e.leaver, "R05")
    assert set(e.diff.accounts["from_rep"]) == {"R05"}
    _moves(e, e.keep, "remaining")
    assert e.new_plan.total() != plan.total()
    _moves(e, e.metric, "new_customers")
    e.as_of.value = "2027-08"  # no actuals yet: said, not a traceback
    assert "needs actuals up to 2027-08" in e.message.value and "Traceback" not in e.message.value
    assert not any(c.disabled for c in e.controls())


def test_display_unit_ten_thousand_in_headlines_tables_and_axes(sample_inputs):
    from salesplan.widgets import ReviewExplorer, TargetExplorer

    zh = sample_inputs.with_assumptions(sample_inputs.assumptions.replace(language="zh", display_unit=10000))
    e = TargetExplorer(zh)
    total = e.plan.total()
    assert f"发货目标 {total / 1e4:,.1f} 万元" in e.headline.value
    assert "（万元）" in e.tables.value and f"{total / 1e4:,.1f}</td></tr>" in e.tables.value  # the year, last
    assert "<th class='num'>12月</th><th class='num'>第一季度</th>" in e.tables.value
    assert "万元" in e.figure.axes[0].get_ylabel()
    r = ReviewExplorer(zh, runs=500)
    assert f"累计发货 {r.review.metrics.actual_ytd / 1e4:,.1f} 万元" in r.headline.value
    heat, _, fan, _ = r.figure.axes
    assert [t.get_text() for t in heat.get_xticklabels()][-2:] == ["6月", "累计"] and "万元" in fan.get_ylabel()
    assert "全年目标（万元）" in r.tables.value and "交通补贴（元）" in r.tables.value  # allowances as paid
    en = TargetExplorer(sample_inputs.with_assumptions(sample_inputs.assumptions.replace(display_unit=1000)))
    assert f"¥{total / 1e3:,.0f} thousand" in en.headline.value and "thousand ¥" in en.figure.axes[0].get_ylabel()


def test_app_speaks_the_company_language_and_says_when_the_review_needs_actuals(sample_copy):
    from salesplan.widgets.app import PlannerApp

    (sample_copy / "actuals.csv").unlink()
    yaml = sample_copy / "assumptions.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "language: zh\n", encoding="utf-8")
    app = PlannerApp(folder=sample_copy)
    assert app.tabs.titles[0] == "Targets"
    app.source.value = "folder"
    app.load()
    assert list(app.tabs.titles) == ["目标", "区域", "人员", "回顾", "调整计划"]
    assert app.load_button.description == "载入并检查" and app.source.value == "folder"
    assert "服务器上的文件夹" in [label for label, _ in app.source.options] and "公司数据" in app.company.value
    assert "actuals.csv" in app.tabs.children[3].value and "tab.review" not in app.explorers
    assert "tab.replan" in app.explorers  # a re-plan keeping the year needs no actuals


def test_warnings_box_words_a_finding_in_the_page_language():
    from salesplan.i18n import finding
    from salesplan.widgets.base import warnings_html

    f = finding("warning", "visit_capacity", "territories",
                lambda t: t.text("visits_alone", n=3, ids="A1, A2, A3"))
    assert "3 accounts of open requisitions have nobody" in warnings_html([f], "en")
    zh = warnings_html([f], "zh")
    assert "招聘中岗位的 3 个客户在新人到岗前无人负责" in zh and "accounts of open" not in zh
