"""Another committee's proposal list goes in as sent (issue 29): its own headings (案号, 提案者,
主办单位, 办理结果, 答复时间, 备注 …), a title row naming the session, 第15号, text dates, the
status words offices use, 合计 and 注 rows; a status column under a heading `kb` does not know is
refused with its cells, never skipped; duplicate columns are named.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from kb_testlib import DOCS
from scripts.kb.adapter import inventory
from scripts.kb.collections import REGISTRY
from scripts.kb.collections.proposal import sheet as proposal_sheet
from scripts.kb.content import fields

BASE = 9500
ROWS = [
    (
        f"第{BASE + 1}号",
        "张三",
        "关于加强古村落保护的建议",
        "区文化和旅游局",
        "区规划自然资源委",
        "已答复",
        "2024.3.5",
        "",
    ),
    (
        f"第{BASE + 2}号",
        "李四、王五",
        "关于完善社区养老服务的建议",
        "区民政局",
        "",
        "A类（已解决或采纳）",
        "2024年6月12日",
        "重点提案",
    ),
    (str(BASE + 3), "民盟门头沟区委", "关于设立新的产业园区的建议", "", "", "不予立案", "", ""),
    (f"第{BASE + 4}号", "赵六", "关于古村落保护的补充建议", "区文化和旅游局", "", "并案", "", f"并入第{BASE + 1}号"),
]


def committee_sheet(path: Path, status_heading: str = "办理结果", extra_column: tuple | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "提案办理"
    ws.append(["区政协十一届三次会议以来提案办理情况统计表"])
    ws.merge_cells("A1:H1")
    header = ["案号", "提案者", "案由", "主办单位", "协办单位", status_heading, "答复时间", "备注"]
    if extra_column:
        header.append(extra_column[0])
    ws.append(header)
    for row in ROWS:
        ws.append(list(row) + ([extra_column[1]] if extra_column else []))
    ws.append([])
    ws.append(["合计", "", "4件", "", "", "", "", ""])
    ws.append(["注：A类为已解决或采纳，B类为正在解决或列入计划解决。"])
    ws.merge_cells(f"A{ws.max_row}:H{ws.max_row}")  # a note across the table, as offices merge it
    wb.save(path)
    return path


@pytest.fixture()
def kb_docs(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    kb = inventory.load_knowledge_base(docs, include_drafts=True, edition="members", with_history=False)
    return kb, docs


def test_another_committees_list_goes_in_as_sent(kb_docs, tmp_path):
    kb, docs = kb_docs
    sheet = committee_sheet(tmp_path / "提案.xlsx")
    plan = proposal_sheet.plan_import(kb, docs, sheet, sessions={"十一届三次会议": 2024})
    assert plan.ok, plan.problems
    by_number = {}
    for w in plan.writes:
        meta = __import__("yaml").safe_load(w.text.split("---")[1])
        by_number[meta["number"]] = meta
    assert sorted(by_number) == [BASE + 1, BASE + 2, BASE + 3, BASE + 4]
    assert all(m["year"] == 2024 for m in by_number.values())
    one, two = by_number[BASE + 1], by_number[BASE + 2]
    assert one["status"] == "replied" and str(one["reply_date"]) == "2024-03-05"
    assert one["handling_units"] == ["区文化和旅游局"] and one["proposers"] == ["张三"]
    assert two["status"] == "replied" and str(two["reply_date"]) == "2024-06-12"
    assert by_number[BASE + 3]["status"] == "not-filed" and by_number[BASE + 4]["status"] == "merged"
    notes = "\n".join(plan.notes)
    assert "合计" in notes and "注：" in notes and "协办单位" in notes and "备注" in notes


def test_the_session_needs_its_year(kb_docs, tmp_path):
    kb, docs = kb_docs
    sheet = committee_sheet(tmp_path / "提案.xlsx")
    plan = proposal_sheet.plan_import(kb, docs, sheet, sessions={})
    assert not plan.ok and any("十一届三次会议" in p and "sessions" in p and "--year" in p for p in plan.problems)
    assert len(plan.problems) == 1, plan.problems  # said once for the title row, not again for every row
    assert proposal_sheet.plan_import(kb, docs, sheet, year=2024, sessions={}).ok


def test_a_status_column_under_an_unknown_heading_is_refused_with_its_cells(kb_docs, tmp_path):
    kb, docs = kb_docs
    sheet = committee_sheet(tmp_path / "提案.xlsx", status_heading="落实情况")
    plan = proposal_sheet.plan_import(kb, docs, sheet, year=2024)
    assert not plan.ok  # and so the command writes nothing
    message = next(p for p in plan.problems if "落实情况" in p)
    assert "提案办理!F2" in message and "已答复" in message and "请把列标题改为“办理状态”" in message
    assert "注：" not in message  # the note merged across the table is none of the column's cells


def test_duplicate_columns_are_named(kb_docs, tmp_path):
    kb, docs = kb_docs
    sheet = committee_sheet(tmp_path / "提案.xlsx", extra_column=("提案编号", "1"))
    plan = proposal_sheet.plan_import(kb, docs, sheet, year=2024)
    assert not plan.ok
    assert any("“提案编号”和 A 列“案号”都是“提案号”" in p for p in plan.problems), plan.problems


def test_office_status_words():
    v = fields.vocabulary_of(REGISTRY["proposal"].model, "status")
    for word, code in [
        ("已答复", "replied"),
        ("B类（正在解决或列入计划解决）", "replied"),
        ("并案", "merged"),
        ("撤案", "withdrawn"),
        ("已立案", "filed"),
        ("正在办理", "handling"),
    ]:
        assert v.code_for(word) == code, word
