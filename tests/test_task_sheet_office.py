"""The office's task sheet as the office keeps it (issue 22): several lead units in one cell, the
year in the title row or the file name, 完成时限 in words, rows matched by their 工作要点 text.

Like tests/test_task_sheet.py, these work on a copy of the real docs/ and choose values that differ
from whatever the points hold today (test units are named 测试…), so editors' updates never break them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_task_sheet import first_plan, office_sheet, tree_digest

from kb_testlib import DOCS, run_kb
from scripts.kb.adapter import inventory
from scripts.kb.content import text
from scripts.kb.outputs.page_view import PageView
from scripts.kb.outputs.plan_pages import PlanRenderer


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def load(docs: Path):
    return inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)


def header_value(kb, point_id: str, lang: str, label_key: str) -> str:
    entry = kb.point(point_id)
    view = PageView(entry, lang, entry.url, kb, text.strings()[lang])
    label = text.strings()[lang][label_key]
    return next(row.text for row in view.header_rows if row.label == label)


# --- several units in one cell ---------------------------------------------------------------------


def test_lead_and_cooperating_units_split_into_lists_and_show_joined_per_language(docs, tmp_path):
    kb, year, points = first_plan(docs)
    p = points[0]
    sheet = office_sheet(
        tmp_path / "units.xlsx",
        year,
        [
            [
                p.data.number,
                p.data.title,
                "测试文史委员会、测试办公室",
                "测试甲局；测试乙局,测试丙局",
                None,
                None,
                None,
                None,
            ]
        ],
    )
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (docs / p.src).read_text("utf-8")
    assert "lead_unit: [测试文史委员会, 测试办公室]" in page
    assert "cooperating_units: [测试甲局, 测试乙局, 测试丙局]" in page

    en = docs / p.src.replace(".md", ".en.md")
    en.write_text(
        en.read_text("utf-8").replace(
            "\ntitle:", "\nlead_unit: Test Committee on Culture, History; Test Office\ntitle:", 1
        ),
        "utf-8",
    )
    kb = load(docs)
    assert kb.ok, [x.message for x in kb.problems if x.severity == "error"]
    point = kb.point(p.id)
    assert point.data.lead_unit == ["测试文史委员会", "测试办公室"]
    assert point.translations["en"].data.lead_unit == ["Test Committee on Culture, History", "Test Office"]
    assert header_value(kb, p.id, "zh", "lead_unit") == "测试文史委员会、测试办公室"
    assert header_value(kb, p.id, "en", "lead_unit") == "Test Committee on Culture, History, Test Office"
    assert header_value(kb, p.id, "en", "cooperating_units") == "测试甲局, 测试乙局, 测试丙局"  # untranslated
    zh_table = PlanRenderer(kb, f"plan/{year}/tasks.md", "zh").plan_tasks([str(year)])
    assert "<span>测试文史委员会、测试办公室</span>" in zh_table
    en_table = PlanRenderer(kb, f"plan/{year}/tasks.en.md", "en").plan_tasks([str(year)])
    assert "<span>Test Committee on Culture, History, Test Office</span>" in en_table


def test_a_string_of_units_in_front_matter_is_a_list_and_exports_back_unchanged(docs, tmp_path):
    _, year, points = first_plan(docs)
    p = points[1]
    path = docs / p.src
    path.write_text(
        path.read_text("utf-8").replace("\ntitle:", "\nlead_unit: 测试文史委员会、测试办公室\ntitle:", 1), "utf-8"
    )
    assert load(docs).point(p.id).data.lead_unit == ["测试文史委员会", "测试办公室"]
    before = tree_digest(docs)
    for fmt in ("--xlsx", "--csv"):
        exported = tmp_path / f"tasks{fmt.replace('--', '.')}"
        assert run_kb("export", "tasks", str(year), fmt, str(exported), docs=docs).returncode == 0
        result = run_kb("import", "tasks", str(exported), docs=docs)
        assert result.returncode == 0 and "没有需要更新的内容" in result.stdout, result.stdout + result.stderr
    assert tree_digest(docs) == before


def test_one_lead_unit_is_still_written_as_one_line(docs, tmp_path):
    kb, year, points = first_plan(docs)
    p = points[2]
    sheet = office_sheet(tmp_path / "one.xlsx", year, [[p.data.number, "", "测试办公室", None, None, None, None, None]])
    assert run_kb("import", "tasks", str(sheet), docs=docs).returncode == 0
    assert "\nlead_unit: 测试办公室\n" in (docs / p.src).read_text("utf-8")
