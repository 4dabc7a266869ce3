"""The app and the explorers in a real browser: Debian's Chromium driven by Playwright.

Voila serves ``app/planner.ipynb`` as ``make app`` does and JupyterLab runs
an explorer in a notebook, each on a free port of 127.0.0.1 for the tests of
this module only.  Every request that leaves the machine is refused and
recorded, so the page is shown to work with the network off.  Waits are for
the dependent text or picture, never fixed sleeps.

``SALESPLAN_SCREENSHOTS=DIR`` also saves a picture of each tab of the app
(the README's screenshots).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

import salesplan
from salesplan.datasets import sample_folder

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BIN = Path(sys.executable).parent
STARTUP_S = 120       # a server must answer within this
WAIT_MS = 60_000      # a dependent output must appear within this
SHOTS = os.environ.get("SALESPLAN_SCREENSHOTS")


def _require():
    missing = [what for what, ok in [(CHROMIUM, Path(CHROMIUM).exists()),
                                     ("voila", (BIN / "voila").exists()),
                                     ("jupyter-lab", (BIN / "jupyter-lab").exists())] if not ok]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright")
    if missing:
        message = f"browser tests need {', '.join(missing)} (.ci/run and `make test` install them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(cmd: list[str], url: str, log: Path, env: dict):
    """Start ``cmd``, wait until ``url`` answers (bounded), and always stop it with its children."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=ROOT)
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{cmd[0]} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{cmd[0]} did not answer within {STARTUP_S} s")
                time.sleep(0.3)
        yield url
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and everything it started (its process group)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _env(**extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg", **extra)
    env.pop("JUPYTER_PLATFORM_DIRS", None)
    return env


@pytest.fixture(scope="module")
def browser():
    _require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _offline_page(browser, origin: str, blocked: list[str]):
    """A page whose requests outside ``origin`` are refused and recorded (the network is off)."""
    page = browser.new_page(viewport={"width": 1320, "height": 950}, accept_downloads=True)

    def route(r):
        url = r.request.url
        if url.startswith(origin) or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.route("**/*", route)
    return page


def _money(textline: str, label: str) -> int:
    m = re.search(re.escape(label) + r"\s*¥([\d,]+)", textline)
    assert m, f"no {label!r} in {textline!r}"
    return int(m.group(1).replace(",", ""))


def _settled(page, scope: str = "body") -> None:
    """Wait until no explorer is busy (controls enabled again)."""
    page.wait_for_function("s => !document.querySelector(s + ' .sp-spinner')", arg=scope, timeout=WAIT_MS)


def _shot(page, name: str, top=None) -> None:
    """With ``SALESPLAN_SCREENSHOTS``, save the window (scrolled to ``top``) as ``name`` in that folder."""
    if not SHOTS:
        return
    if top is not None:
        top.evaluate("el => el.scrollIntoView()")
    page.screenshot(path=str(Path(SHOTS) / name))


def _not_blank(png: bytes) -> bool:
    from PIL import Image, ImageStat

    img = Image.open(io.BytesIO(png)).convert("L")
    return img.size[0] > 100 and ImageStat.Stat(img).stddev[0] > 10


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    _require()
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    cmd = [str(BIN / "voila"), "app/planner.ipynb", "--template=planner", f"--port={port}", "--no-browser",
           "--Voila.ip=127.0.0.1"]
    with _server(cmd, f"http://127.0.0.1:{port}/", log, _env(JUPYTER_PATH=str(ROOT / "app" / "jupyter"))) as url:
        yield url


def _bad_company(folder: Path) -> list[Path]:
    """The sample's files with a negative potential on line 4 of accounts.csv."""
    sample = ROOT / "salesplan" / "data" / "sample"
    folder.mkdir()
    for name in ("accounts.csv", "reps.csv", "history.csv", "assumptions.yaml"):
        shutil.copy(sample / name, folder / name)
    lines = (folder / "accounts.csv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[3].split(",")
    row[head.index("annual_potential")] = "-5000"
    lines[3] = ",".join(row)
    (folder / "accounts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(folder.iterdir())


def test_voila_app_works_offline_responds_exports_and_reports_bad_files(browser, voila, tmp_path):
    from salesplan.export import read_excel

    blocked: list[str] = []
    page = _offline_page(browser, voila.rstrip("/"), blocked)
    page.goto(voila, timeout=WAIT_MS)
    headline = page.locator("b", has_text="Revenue target ¥").first
    headline.wait_for(timeout=WAIT_MS)
    body = page.inner_text("body")
    assert "Traceback" not in body and "VBox(children" not in body and "NaN" not in body
    before, chart = headline.inner_text(), page.locator(".widget-image").first
    chart_before = chart.get_attribute("src")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "app-targets.png"))

    # the growth slider, moved with the keyboard: headline and chart follow
    page.locator(".noUi-handle").first.click()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("t => !document.body.innerText.includes(t)", arg=before, timeout=WAIT_MS)
    after = headline.inner_text()
    assert _money(after, "Revenue target") > _money(before, "Revenue target")
    assert page.locator("input[type=text]").first.input_value() == "26%"
    page.wait_for_function("([el, old]) => el.src !== old", arg=[chart.element_handle(), chart_before])
    _settled(page)

    # a dropdown, changed with the keyboard: the chart and the table follow
    table = page.locator("table.sp-table caption").first
    caption = table.inner_text()
    page.locator("select").nth(2).focus()  # Show by
    page.keyboard.press("ArrowDown")
    page.wait_for_function("c => !document.body.innerText.includes(c)", arg=caption, timeout=WAIT_MS)
    assert "team" in table.inner_text()
    assert _not_blank(chart.screenshot())

    # the other tabs
    page.get_by_role("tab", name="Territories").click()
    page.locator("b", has_text="Largest deviation").wait_for(timeout=WAIT_MS)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "app-territories.png"))
    page.get_by_role("tab", name="Staffing").click()
    staffing = page.locator("b", has_text="Heads required").first
    staffing.wait_for(timeout=WAIT_MS)
    heads = salesplan.build_plan(salesplan.load_inputs(sample_folder()), staffing=True).staffing.metrics
    assert f"Heads required {heads.heads_required}" in staffing.inner_text()   # the notebook's plan
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "app-staffing.png"))
    box = page.locator(".widget-text input:visible").first  # staff leaving a year
    old = staffing.inner_text()
    box.fill("30")
    box.press("Enter")
    page.wait_for_function("t => !document.body.innerText.includes(t)", arg=old, timeout=WAIT_MS)
    assert box.input_value() == "30%"
    _settled(page)

    # the review: the as-of dropdown, changed with the keyboard, moves the headline and the chart
    page.get_by_role("tab", name="Review").click()
    review = page.locator("b", has_text="chance to make the annual target").first
    review.wait_for(timeout=WAIT_MS)
    assert review.inner_text().startswith("Jun 2027: revenue ¥")
    _settled(page)
    _shot(page, "app-review.png", page.get_by_role("tablist"))
    chart = page.locator(".widget-image:visible").first
    src = chart.get_attribute("src")
    page.locator("select:visible").first.focus()  # Results up to
    page.keyboard.press("ArrowUp")
    page.wait_for_function("() => [...document.querySelectorAll('b')].some(b => b.innerText.startsWith('May 2027'))",
                           timeout=WAIT_MS)
    may = salesplan.review(salesplan.build_plan(salesplan.load_inputs(sample_folder())), "2027-05").metrics
    assert f"May 2027: revenue ¥{may.actual_ytd:,.0f} of ¥{may.target_ytd:,.0f}" in review.inner_text()
    page.wait_for_function("([el, old]) => el.src !== old", arg=[chart.element_handle(), src], timeout=WAIT_MS)
    _settled(page)
    assert _not_blank(chart.screenshot())
    if SHOTS:
        page.get_by_role("tab", name="Re-plan").click()
        page.locator("b", has_text="reps with new targets").wait_for(timeout=WAIT_MS)
        _shot(page, "app-replan.png", page.get_by_role("tablist"))

    # export: a workbook download that read_excel opens, with the revenue target on screen
    page.get_by_role("tab", name="Targets").click()
    page.get_by_role("button", name="Prepare the Excel workbook").click()
    link = page.locator("a.sp-download")
    link.wait_for(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as dl:
        link.click()
    assert dl.value.suggested_filename == "review-2027-05.xlsx"  # with the review of the month shown
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    table = read_excel(path)
    assert table.query("metric == 'revenue'")["target"].sum() == _money(after, "Revenue target")

    # bad files: the error names file, line and column; nothing is planned
    page.get_by_role("button", name="Upload my files").click()
    with page.expect_file_chooser(timeout=WAIT_MS) as chooser:
        page.get_by_role("button", name="Choose files").click()
    chooser.value.set_files([str(p) for p in _bad_company(tmp_path / "bad")])
    page.get_by_role("button", name="Choose files (4)").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Load and check").click()
    error = page.locator(".sp-error")
    error.wait_for(timeout=WAIT_MS)
    assert "accounts.csv" in error.inner_text() and "line 4" in error.inner_text()
    assert "annual_potential" in error.inner_text()
    assert page.locator("b", has_text="Revenue target ¥").count() == 0
    assert blocked == [], f"the page asked the network for {blocked}"
    page.close()


def test_voila_app_speaks_chinese_for_a_chinese_company(browser, voila, tmp_path):
    """A company whose assumptions say ``language: zh`` and ``display_unit: 10000``: tabs and money in Chinese."""
    company = tmp_path / "zh"
    shutil.copytree(ROOT / "salesplan" / "data" / "sample", company)
    with open(company / "assumptions.yaml", "a", encoding="utf-8") as f:
        f.write("language: zh\ndisplay_unit: 10000\n")
    blocked: list[str] = []
    page = _offline_page(browser, voila.rstrip("/"), blocked)
    page.goto(voila, timeout=WAIT_MS)
    page.locator("b", has_text="Revenue target ¥").first.wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="A folder on the server").click()
    page.get_by_placeholder("e.g. /data/acme").fill(str(company))
    page.get_by_role("button", name="Load and check").click()
    page.get_by_role("tab", name="回顾").wait_for(timeout=WAIT_MS)
    titles = [t.strip() for t in page.get_by_role("tab").all_inner_texts()]
    assert titles == ["目标", "区域", "人员", "回顾", "调整计划"]
    assert page.get_by_role("button", name="载入并检查").count() == 1  # the page's own words follow
    page.locator("b", has_text="发货目标").first.wait_for(timeout=WAIT_MS)
    assert "万元" in page.locator("b", has_text="发货目标").first.inner_text()
    page.get_by_role("tab", name="回顾").click()
    page.locator("b", has_text="达成全年目标的概率").first.wait_for(timeout=WAIT_MS)
    _settled(page)
    _shot(page, "app-review-zh.png", page.get_by_role("tablist"))
    body = page.inner_text("body")
    assert "Traceback" not in body and "NaN" not in body and "Year to date" not in body
    assert blocked == [], f"the page asked the network for {blocked}"
    page.close()


LAB_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "explorer", "metadata": {}, "outputs": [],
               "source": ["import salesplan\n", "from salesplan.datasets import sample_folder\n",
                          "from salesplan.widgets import TargetExplorer\n",
                          "inputs = salesplan.load_inputs(sample_folder())\n",
                          "TargetExplorer(inputs)"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _require()
    root = tmp_path_factory.mktemp("lab")
    (root / "explorer.ipynb").write_text(json.dumps(LAB_NOTEBOOK), encoding="utf-8")
    port = _free_port()
    cmd = [str(BIN / "jupyter-lab"), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=", "--LabApp.extension_manager=readonly", "--ServerApp.allow_root=True"]
    env = _env(JUPYTER_CONFIG_DIR=str(root / ".config"), JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"))
    with _server(cmd, f"http://127.0.0.1:{port}/lab", root / "lab.log", env) as url:
        yield url.rsplit("/lab", 1)[0]


def test_jupyterlab_explorer_stays_in_step_under_rapid_changes(browser, lab):
    """Several quick slider moves: the chart is never blank and the final picture matches the final value."""
    import salesplan
    from salesplan.datasets import sample_folder

    blocked: list[str] = []
    page = _offline_page(browser, lab, blocked)
    page.goto(f"{lab}/lab/tree/explorer.ipynb", timeout=WAIT_MS)
    cell = page.locator(".jp-Cell .jp-InputArea-editor").first
    cell.wait_for(timeout=WAIT_MS)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=WAIT_MS)  # the kernel is up
    cell.click()
    page.keyboard.press("Shift+Enter")
    headline = page.locator(".jp-OutputArea b", has_text="Revenue target ¥").first
    headline.wait_for(timeout=WAIT_MS)
    handle = page.locator(".jp-OutputArea .noUi-handle").first
    handle.click()
    for _ in range(6):  # quicker than a re-plan: presses land while the kernel is busy
        page.keyboard.press("ArrowRight")
    # queued changes reach the kernel one by one: wait until the slider, the box and the headline agree
    # on the last value (no stale or mixed state)
    inputs = salesplan.load_inputs(sample_folder())
    expected: dict[float, str] = {}
    box = page.locator(".jp-OutputArea .widget-text input").first
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        _settled(page, ".jp-OutputArea")
        growth = float(box.input_value().rstrip("%")) / 100
        if growth not in expected:
            total = salesplan.build_plan(inputs, inputs.assumptions.replace(**{"targets.growth": growth})).total()
            expected[growth] = f"Revenue target ¥{total:,.0f}"
        slider = float(handle.get_attribute("aria-valuetext"))  # where the browser's slider stands
        if abs(slider - growth) < 1e-6 and headline.inner_text().startswith(expected[growth]):
            break
        assert time.monotonic() < deadline, f"{headline.inner_text()!r} is not the plan of growth {growth:.0%}"
        page.wait_for_timeout(250)
    assert growth > 0.25
    chart = page.locator(".jp-OutputArea .widget-image").first
    assert _not_blank(chart.screenshot())
    # a dropdown with the keyboard: the table and the chart follow
    src = chart.get_attribute("src")
    page.locator(".jp-OutputArea select").nth(2).click()  # Show by: the mouse opens it, the keys pick
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea table.sp-table caption')]"
                           ".some(c => c.innerText.includes('month and team'))", timeout=WAIT_MS)
    page.wait_for_function("([el, old]) => el.src !== old", arg=[chart.element_handle(), src], timeout=WAIT_MS)
    out = page.inner_text(".jp-OutputArea")
    assert "Traceback" not in out and "VBox(children" not in out and "NaN" not in out
    assert blocked == [], f"the page asked the network for {blocked}"
    page.close()
