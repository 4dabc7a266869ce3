"""English and Chinese: one catalogue, a Chinese workbook and command line without English labels."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest

from salesplan import export
from salesplan.cli import main
from salesplan.i18n import LANGUAGES, catalogue, texts

LATIN = re.compile(r"[A-Za-z]{2,}")


def _data_words(plan) -> set[str]:
    """Words that come from the company's own files (names, regions, teams, product lines, ids)."""
    t = plan.targets.table
    words = set()
    for col in ("region", "team", "product_line", "rep_id", "name"):
        words |= set(t[col].astype(str))
    words |= {str(plan.inputs.folder.name), plan.fingerprint}
    return words


def _strip(text: str, words: set[str]) -> str:
    for w in sorted(words, key=len, reverse=True):
        text = text.replace(w, "")
    return text


def test_catalogue_has_every_entry_in_both_languages():
    cat = catalogue()
    for section, entries in cat.items():
        if section in ("months", "quarters"):
            assert all(len(entries[lang]) == (12 if section == "months" else 4) for lang in LANGUAGES)
            continue
        for key, entry in entries.items():
            parts = entry.values() if section == "sheets" else [entry]
            for part in parts:
                assert set(LANGUAGES) <= set(part), f"{section}.{key} lacks a language"
                placeholders = {lang: set(re.findall(r"\{(\w+)\}", str(part[lang]))) for lang in LANGUAGES}
                if section != "units":  # 元, 千元, 万元 need no currency code
                    assert placeholders["en"] == placeholders["zh"], f"{section}.{key}: placeholders differ"
    zh = texts("zh")
    assert (zh.month(1), zh.month(12), zh.quarter(1)) == ("1月", "12月", "第一季度")
    assert zh.sheet("quota", "title", metric=zh.metric("revenue"), unit=zh.money_unit(10000, "CNY")) == "销售目标（万元）"
    assert texts("en").sheet("quota", "title", metric="Revenue", unit="CNY") == "Revenue target, CNY"


@pytest.fixture(scope="module")
def zh_plan(sample_inputs):
    import salesplan

    plan = salesplan.build_plan(sample_inputs, territories=True, staffing=True, simulation={"runs": 200})
    plan = plan.with_review(salesplan.review(plan, runs=200))         # the review's sheets too
    return dataclasses.replace(plan, assumptions=plan.assumptions.replace(language="zh", display_unit=10000))


def test_chinese_workbook_has_no_english_labels(zh_plan, tmp_path):
    path = export.to_excel(zh_plan, tmp_path / "zh.xlsx")
    wb = openpyxl.load_workbook(path)
    words = _data_words(zh_plan) | {"assumptions.yaml", "calendar.workdays", "salesplan"}
    found = []
    for ws in wb.worksheets:
        labels = [ws.title, ws["A1"].value]
        labels += [c.value for c in ws[4]] if ws.title != "封面" else [c.value for c in ws["A"]]
        for v in labels:
            if isinstance(v, str) and LATIN.search(_strip(v, words)):
                found.append(f"{ws.title}: {v}")
    assert found == []
    quota = wb["销售目标"]
    assert quota["A1"].value == "销售目标（万元）"
    assert [c.value for c in quota[4]][5:7] == ["1月", "2月"] and quota["R4"].value == "第一季度"
    assert quota["F5"].number_format == "0\\.0,"  # 万元, one decimal: the value stays in yuan
    assert quota["C5"].value == "大客户专员"
    assert "第 &P 页，共 &N 页" in quota.oddFooter.right.text
    back = export.read_excel(path)
    assert back.equals(zh_plan.targets.table)


def test_chinese_command_line_summary(sample_dir, tmp_path, capsys):
    assert main(["plan", "--data", str(sample_dir), "--out", str(tmp_path / "p.xlsx"), "--runs", "200",
                 "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    import salesplan

    plan = salesplan.build_plan(salesplan.load_inputs(sample_dir))
    words = _data_words(plan) | {str(sample_dir), str(tmp_path / "p.xlsx")}
    lines = [line for line in out.splitlines() if LATIN.search(re.sub(r"\b[0-9a-f]{16}\b", "", _strip(line, words)))]
    assert lines == []
    assert "销售目标" in out and "已写入" in out
    assert openpyxl.load_workbook(tmp_path / "p.xlsx", read_only=True).sheetnames[0] == "封面"


def _latin_left(text: str, words: set[str]) -> list[str]:
    """Latin words of ``text`` once the company's own words and the named keys are taken out."""
    return LATIN.findall(re.sub(r"\b\d{4}-\d{2}\b", "", _strip(text, words)))


def test_visit_warnings_speak_the_workbook_and_command_line_language(zh_plan, sample_dir, tmp_path, capsys):
    visits = [f for f in zh_plan.findings if f.check == "visit_capacity"]
    assert len(visits) >= 2 and all(f.message.isascii() for f in visits)  # English in the plan itself
    keys = _data_words(zh_plan) | {"territories", "territory.capacity", "hard", "FTE"}
    wb = openpyxl.load_workbook(export.to_excel(zh_plan, tmp_path / "zh.xlsx"))
    rows = [r for r in wb["检查"].iter_rows(min_row=5, values_only=True) if r[1] == "visit_capacity"]
    assert [r[5] for r in rows] == [f.message_in("zh") for f in visits]
    assert all(_latin_left(r[5], keys) == [] and "拜访" in r[5] for r in rows)
    assert main(["plan", "--data", str(sample_dir), "--out", str(tmp_path / "p.xlsx"), "--runs", "200",
                 "--lang", "zh"]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if line.endswith("[visit_capacity]")]
    assert len(warned) == len(visits)
    assert all(_latin_left(line.removeprefix("warning: ").removesuffix(" [visit_capacity]"), keys) == []
               for line in warned), warned
    assert main(["plan", "--data", str(sample_dir), "--out", str(tmp_path / "e.xlsx"), "--runs", "200",
                 "--lang", "en"]) == 0
    english = [line for line in capsys.readouterr().err.splitlines() if line.endswith("[visit_capacity]")]
    assert english == [f"warning: {f} [visit_capacity]" for f in visits]
