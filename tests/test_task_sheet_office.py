"""The office's task sheet as the office keeps it (issue 22): several lead units in one cell, the
year in the title row or the file name, 完成时限 in words, rows matched by their 工作要点 text.

Like tests/test_task_sheet.py, these work on a copy of the real docs/ and choose values that differ
from whatever the points hold today (test units are named 测试…), so editors' updates never break them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_task_sheet import first_plan, office_sheet, tree_digest

from kb_testlib import DOCS, run_kb
from scripts.kb.adapter import inventory
from scripts.kb.collections.plan import queries as plan_queries
from scripts.kb.collections.plan.pages import PlanRenderer
from scripts.kb.content import text
from scripts.kb.outputs.page_view import PageView


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def load(docs: Path):
    return inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)


def header_value(kb, point_id: str, lang: str, label_key: str) -> str:
    entry = plan_queries.point(kb, point_id)
    view = (kb.registry.extension(entry.collection).view or PageView)(entry, lang, entry.url, kb, text.strings()[lang])
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
    point = plan_queries.point(kb, p.id)
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
    assert plan_queries.point(load(docs), p.id).data.lead_unit == ["测试文史委员会", "测试办公室"]
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


# --- rows matched by their 工作要点 text -------------------------------------------------------------


def sorted_sheet(path: Path, year: int, points, *, renumber: bool = False, numbers: bool = True) -> tuple[Path, dict]:
    """The office's sheet (a merged title row) with each point's own test values, its rows sorted by
    牵头单位 as Excel sorts a whole table. `renumber`: 序号 refilled 1, 2, 3… after sorting."""
    from openpyxl import Workbook

    expected = {}
    rows = []
    for p in points:
        progress = (p.data.number * 7) % 90 + 5
        if progress == p.data.progress:
            progress += 1
        unit = f"测试单位{(p.data.number * 7) % len(points):02d}"  # sorting by it shuffles the points
        expected[p.id] = (unit, progress)
        rows.append([p.data.number, p.data.title, unit, progress])
    rows.sort(key=lambda r: r[2])
    assert [r[0] for r in rows] != sorted(r[0] for r in rows)  # the sort did move rows
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([f"门头沟区政协{year}年工作要点任务分解表"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "工作要点", "牵头单位", "完成进度"])
    for i, row in enumerate(rows, start=1):
        number = i if renumber else row[0] if numbers else None
        ws.append([number, *row[1:]])
    wb.save(path)
    return path, expected


def test_a_sheet_sorted_by_lead_unit_updates_the_right_points(docs, tmp_path):
    kb, year, points = first_plan(docs)
    sheet, expected = sorted_sheet(tmp_path / f"{year}年任务分解表.xlsx", year, points)
    result = run_kb("import", "tasks", str(sheet), "--year", str(year), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    kb = load(docs)
    assert {p.id: (p.data.lead_unit[0], p.data.progress) for p in plan_queries.points(kb, year)} == expected


def test_rows_without_numbers_are_matched_by_their_text(docs, tmp_path):
    kb, year, points = first_plan(docs)
    sheet, expected = sorted_sheet(tmp_path / "no-numbers.xlsx", year, points, numbers=False)
    result = run_kb("import", "tasks", str(sheet), "--year", str(year), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    kb = load(docs)
    assert {p.id: (p.data.lead_unit[0], p.data.progress) for p in plan_queries.points(kb, year)} == expected


def test_numbers_refilled_after_sorting_are_refused_cell_by_cell_and_nothing_is_written(docs, tmp_path):
    kb, year, points = first_plan(docs)
    sheet, _ = sorted_sheet(tmp_path / "renumbered.xlsx", year, points, renumber=True)
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), "--year", str(year), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree_digest(docs) == before and "没有写入任何文件" in result.stderr
    from openpyxl import load_workbook

    ws = load_workbook(sheet).active
    by_title = {p.data.title: p for p in points}
    mismatched = []
    for r in range(3, ws.max_row + 1):
        number, title = ws.cell(r, 1).value, ws.cell(r, 2).value
        if by_title[title].data.number != number:
            mismatched.append((r, by_title[title], next(p for p in points if p.data.number == number)))
    assert mismatched
    problems = [line for line in result.stderr.splitlines() if "!B" in line]
    assert len(problems) == len(mismatched), result.stderr
    for r, text_point, numbered in mismatched:
        line = next(line for line in problems if f"{sheet}:Sheet1!B{r}:" in line)
        assert f"第 {text_point.data.number} 项“" in line and f"序号 A{r} 是第 {numbered.data.number} 项“" in line


def test_a_row_whose_text_is_no_point_is_refused(docs, tmp_path):
    _, year, points = first_plan(docs)
    sheet = office_sheet(
        tmp_path / "other.xlsx",
        year,
        [
            [
                points[0].data.number,
                "测试：与任何一项都不相干的一句话，用来核对导入",
                "测试办公室",
                None,
                None,
                None,
                None,
                None,
            ]
        ],
    )
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1
    assert f"{sheet}:{year}年任务分解表!B3:" in result.stderr and f"第 {points[0].data.number} 项" in result.stderr
    assert tree_digest(docs) == before


def test_text_score_follows_the_changes_page_rule():
    from scripts.kb.collections.plan import changes as plan_changes
    from scripts.kb.collections.plan import task_sheet

    kb = load(DOCS)
    year = plan_queries.plans(kb)[-1].data.year
    points = plan_queries.points(kb, year)
    p = points[0]
    assert task_sheet.text_score(f"{p.data.number}. {p.data.title}。", p) == 1.0  # numbered, punctuated
    assert task_sheet.text_score(p.body.strip()[:12], p) == 1.0  # an excerpt of the text
    assert task_sheet.text_score("测试：与任何一项都不相干的一句话", p) < plan_changes.SAME_POINT


# --- 完成时限 in words ---------------------------------------------------------------------------------

DEADLINE_PHRASES = {
    "2024年12月底": (2024, 12, 31),
    "年底": (2024, 12, 31),
    "年底前": (2024, 12, 31),
    "全年": (2024, 12, 31),
    "上半年": (2024, 6, 30),
    "下半年": (2024, 12, 31),
    "一季度": (2024, 3, 31),
    "三季度末": (2024, 9, 30),
    "6月底": (2024, 6, 30),
    "六月底": (2024, 6, 30),
    "10月中旬": (2024, 10, 20),
    "10月上旬": (2024, 10, 10),
    "10月下旬": (2024, 10, 31),
    "2025年6月": (2025, 6, 30),
    "2024年2月底": (2024, 2, 29),
    "12月31日": (2024, 12, 31),
}


@pytest.mark.parametrize("phrase", list(DEADLINE_PHRASES))
def test_deadline_phrases_map_to_the_days_the_guide_documents(phrase):
    import datetime as dt

    from scripts.kb.collections.plan import task_sheet

    assert task_sheet.parse_deadline(task_sheet.Cell("G2", phrase), 2024) == dt.date(*DEADLINE_PHRASES[phrase])


def test_the_guide_documents_each_deadline_phrase_in_both_languages():
    for name in ("index.md", "index.en.md"):
        guide = (DOCS / "guide" / name).read_text("utf-8")
        for phrase in ("年底", "全年", "上半年", "下半年", "一季度", "三季度末", "6月底", "10月中旬", "10月上旬"):
            assert f"`{phrase}`" in guide, (name, phrase)


def test_deadline_words_import_and_no_deadline_words_are_said(docs, tmp_path):
    _, year, points = first_plan(docs)
    a, b = points[0], points[1]
    sheet = office_sheet(
        tmp_path / "deadlines.xlsx",
        year,
        [
            [a.data.number, "", None, None, None, None, "全年", None],
            [b.data.number, "", None, None, None, None, f"{year}年11月底", None],
        ],
    )
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    kb = load(docs)
    assert plan_queries.point(kb, a.id).data.deadline.isoformat() == f"{year}-12-31"
    assert plan_queries.point(kb, b.id).data.deadline.isoformat() == f"{year}-11-30"
    # 长期, 持续推进: no date; the cell is read as such, said, and the deadline left as it was (issue 29)
    long_term = office_sheet(
        tmp_path / "long-term.xlsx", year, [[a.data.number, "", None, None, None, None, "长期", None]]
    )
    result = run_kb("import", "tasks", str(long_term), docs=docs)
    assert result.returncode == 0 and f"{long_term}:{year}年任务分解表!G3: 完成时限“长期”不是一个日期" in result.stdout
    assert plan_queries.point(load(docs), a.id).data.deadline.isoformat() == f"{year}-12-31"


# --- the year from the title row or the file name ----------------------------------------------------


class TwoPlans:
    """A knowledge base with plans for 2023 and 2024 only: detect_year may not fall back to "the only plan"."""

    def cached(self, key, compute):
        return compute()

    def of(self, collection):
        return [SimpleNamespace(data=SimpleNamespace(year=year)) for year in (2023, 2024)]


def sheet_named(path: str, title: str, name: str | None = "Sheet1"):
    from scripts.kb.collections.plan import task_sheet

    return task_sheet.Sheet(path, name, 2, {"number": 0}, [], [], title)


def test_year_comes_from_the_title_row_or_the_file_name():
    from scripts.kb.collections.plan import task_sheet

    kb = TwoPlans()
    assert task_sheet.detect_year(sheet_named("tasks.xlsx", "门头沟区政协2023年工作要点任务分解表"), kb) == 2023
    assert task_sheet.detect_year(sheet_named("/tmp/x/2023年任务分解表（6月）.xlsx", ""), kb) == 2023
    assert task_sheet.detect_year(sheet_named("2023-tasks.csv", "", None), kb) == 2023
    # A title naming the plan's year and the day it was updated: the year with a plan.
    title = "2023年工作要点任务分解表（2025年1月更新）"
    assert task_sheet.detect_year(sheet_named("tasks.xlsx", title), kb) == 2023
    assert task_sheet.detect_year(sheet_named("tasks.xlsx", ""), kb) is None  # then --year is asked for


def test_title_row_and_file_name_naming_different_years_are_refused():
    from scripts.kb.collections.plan import task_sheet

    with pytest.raises(task_sheet.YearError) as refused:
        task_sheet.detect_year(sheet_named("2023年任务分解表.xlsx", "门头沟区政协2024年工作要点任务分解表"), TwoPlans())
    message = str(refused.value)
    assert "标题行" in message and "2024" in message and "文件名" in message and "2023" in message
    assert "--year" in message


def test_kb_import_tasks_reads_the_year_from_the_title_and_refuses_a_contradicting_file_name(docs, tmp_path):
    from openpyxl import Workbook

    _, year, points = first_plan(docs)
    p = points[0]

    def sheet(path: Path) -> Path:
        wb = Workbook()
        ws = wb.active  # named "Sheet", no year
        ws.append([f"门头沟区政协{year}年工作要点任务分解表"])
        ws.merge_cells("A1:C1")
        ws.append(["序号", "工作要点", "完成进度"])
        ws.append([p.data.number, p.data.title, 35 if p.data.progress != 35 else 40])
        wb.save(path)
        return path

    before = tree_digest(docs)
    wrong = sheet(tmp_path / f"{year - 1}年任务分解表.xlsx")
    result = run_kb("import", "tasks", str(wrong), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"标题行“门头沟区政协{year}年工作要点任务分解表”写的是 {year} 年" in result.stderr
    assert f"文件名“{year - 1}年任务分解表.xlsx”写的是 {year - 1} 年" in result.stderr
    assert tree_digest(docs) == before
    right = sheet(tmp_path / "任务分解表.xlsx")
    result = run_kb("import", "tasks", str(right), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(docs) != before


# --- the office's own layout, all of it at once (issue 17 keeps it importing) ------------------------


def test_the_offices_own_layout_imports_without_year_and_with_its_own_words(docs, tmp_path):
    """A merged title row naming the year, the office's header words, a merged 所属部分 column, the
    工作要点 written with its number, several lead units in one cell, deadlines in words, labels."""
    from openpyxl import Workbook

    kb, year, points = first_plan(docs)
    chosen = points[:4]
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append([f"政协北京市门头沟区委员会{year}年工作要点任务分解表"])
    ws.merge_cells("A1:H1")
    ws.append(["编号", "部分", "重点任务", "责任单位", "协办单位", "状态", "进度", "时限"])
    deadlines = ["全年", "上半年", "三季度末", f"{year}年10月底"]
    for i, p in enumerate(chosen):
        ws.append(
            [
                f"{p.data.number}.",
                f"第{p.data.section}部分",
                f"{p.data.number}. {p.data.title}",
                "测试文史委员会、测试办公室",
                "测试甲局，测试乙局",
                "推进中" if p.data.status != "in-progress" else "已完成",
                f"{(i + 1) * 10 + 1}%",
                deadlines[i],
            ]
        )
    ws.merge_cells(f"B3:B{2 + len(chosen)}")  # one merged 所属部分 cell, as the office draws it
    sheet = tmp_path / "督办表.xlsx"
    wb.save(sheet)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    kb = load(docs)
    expected_days = [(12, 31), (6, 30), (9, 30), (10, 31)]
    for i, p in enumerate(chosen):
        d = plan_queries.point(kb, p.id).data
        assert d.lead_unit == ["测试文史委员会", "测试办公室"] and d.cooperating_units == ["测试甲局", "测试乙局"]
        assert d.progress == (i + 1) * 10 + 1 and (d.deadline.month, d.deadline.day) == expected_days[i]
        assert d.deadline.year == year and d.status in ("in-progress", "completed") and d.status != p.data.status


def test_year_option_is_refused_when_the_title_row_names_another_year(docs, tmp_path):
    _, year, points = first_plan(docs)
    p = points[0]
    sheet = office_sheet(tmp_path / "t.xlsx", year, [[p.data.number, "", "测试办公室", None, None, None, None, None]])
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), "--year", str(year + 1), docs=docs)
    assert result.returncode == 1 and f"写的是 {year} 年，但 --year 是 {year + 1}" in result.stderr
    assert tree_digest(docs) == before
    assert run_kb("import", "tasks", str(sheet), "--year", str(year), docs=docs).returncode == 0


def test_an_over_long_title_cell_is_refused_before_it_is_compared(docs, tmp_path):
    from scripts.kb.collections.plan import task_sheet

    _, year, points = first_plan(docs)
    long_text = points[0].data.title * (task_sheet.TITLE_CHARS // len(points[0].data.title) + 1)
    sheet = office_sheet(tmp_path / "long.xlsx", year, [[points[0].data.number, long_text, "测试办公室"]])
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1
    assert f"{year}年任务分解表!B3: 单元格有 {len(long_text)} 个字符，“工作要点”最多" in result.stderr
