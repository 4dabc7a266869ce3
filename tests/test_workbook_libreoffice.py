"""The sample workbook as LibreOffice computes and prints it.

LibreOffice (headless) recalculates every formula of the workbook -- the
cached values are stripped first, so nothing is taken on trust -- and
prints it to PDF.  ``.ci/run`` installs ``libreoffice-calc-nogui`` and
``poppler-utils`` when they are missing; without them this test is skipped
on a developer's machine and fails in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from salesplan import export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")
if not (SOFFICE and PDFINFO):
    if os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) and pdfinfo are needed; .ci/run installs them", pytrace=False)
    pytest.skip("LibreOffice or poppler-utils not installed", allow_module_level=True)

MAX_PAGES = 30
ERRORS = re.compile(r"^(#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|Err:\d+)")
# Recalculate every formula on load, whatever the file says (0 = always).
RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def _soffice(profile: Path, fmt: str, outdir: Path, *files: Path) -> None:
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(outdir), *map(str, files)], check=True, capture_output=True, timeout=240)


@pytest.fixture(scope="module")
def rendered(sample_inputs, tmp_path_factory):
    import salesplan

    plan = salesplan.build_plan(sample_inputs, territories=True, staffing=True, simulation={"runs": 500})
    d = tmp_path_factory.mktemp("lo")
    path = export.to_excel(plan, d / "plan.xlsx")
    bare = d / "bare.xlsx"  # the same workbook without any cached formula value
    wb = openpyxl.load_workbook(path)
    wb.save(bare)
    out = d / "out"
    _soffice(d / "profile", "pdf", out, path)
    _soffice(d / "profile", "xlsx", out, bare)
    return plan, path, out / "plan.pdf", out / "bare.xlsx"


def test_printable_sheets_fit_in_30_pages(rendered):
    _, _, pdf, _ = rendered
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    print(f"printable sheets of the sample workbook: {pages} PDF pages")
    assert 0 < pages <= MAX_PAGES


def test_every_formula_evaluates_to_the_plans_numbers(rendered):
    plan, path, _, recalculated = rendered
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(recalculated, data_only=True)
    n = 0
    for ws in formulas.worksheets:
        got = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    v = got[cell.coordinate].value
                    assert v is not None or ws.title == "Sign-off", f"{ws.title}!{cell.coordinate} not computed"
                    assert not (isinstance(v, str) and ERRORS.match(v)), f"{ws.title}!{cell.coordinate}: {v}"
                    n += 1
    assert n > 500
    for metric, sheet in (("revenue", "Revenue target"), ("collections", "Collections target"),
                          ("new_customers", "New customers target")):
        ws = values[sheet]
        rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] is not None}
        first = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] is not None}
        by_region = plan.by("region", metric=metric)["Year"]
        for name in by_region.index.drop("Total"):
            assert rows[f"{name} total"][-1] == by_region[name], (sheet, name)
        assert first["Total (rows shown)"][-1] == plan.total(metric)
        monthly = plan.monthly_target(metric).to_numpy()
        assert list(first["Total (rows shown)"][5:17]) == list(monthly)
        assert ws["A3"].value == "Check: totals agree with the plan"
