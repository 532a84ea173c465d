"""The task breakdown as a spreadsheet: export (build and `kb export tasks`), `kb import tasks`.

The import tests work on a copy of the real docs/ and choose values that differ from whatever the
points hold today, so an editor updating a point never breaks them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kb_testlib import DOCS, ROOT, TEST_SITE_URL, assert_same_site, build_tree, build_with_switch, page_text, run_kb
from scripts.kb.adapter import inventory
from scripts.kb.collections.plan import queries as plan_queries
from scripts.kb.collections.plan import task_sheet
from scripts.kb.collections.plan.model import WorkPoint
from scripts.kb.content import vocab
from scripts.kb.sources import frontmatter_edit

HEADERS = [c.header for c in task_sheet.COLUMNS]


def tree_digest(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.rglob("*.md")}


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def first_plan(docs: Path):
    kb = inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)
    plan = plan_queries.plans(kb)[-1]
    return kb, plan.data.year, plan_queries.points(kb, plan.data.year)


def other_status(current: str) -> str:
    return next(code for code in ("in-progress", "completed") if code != current)


def other_progress(current: int | None) -> int:
    return 35 if current != 35 else 40


def office_sheet(path: Path, year: int, rows: list[list], headers=None) -> Path:
    """A sheet as the office would send it: a title row above the header, an extra column."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年任务分解表"
    ws.append([f"门头沟区政协{year}年工作要点任务分解表"])
    ws.append(
        headers or ["序号", "工作要点", "牵头单位", "配合单位", "落实状态", "完成进度", "完成时限", "最新进展", "备注"]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


# --- export --------------------------------------------------------------------------------------


def test_export_has_chinese_headers_frozen_header_row_and_one_row_per_point(docs, tmp_path):
    kb, year, points = first_plan(docs)
    target = tmp_path / "tasks.xlsx"
    result = run_kb("export", "tasks", str(year), "--xlsx", str(target), docs=docs)
    assert result.returncode == 0, result.stderr
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in ws[1])
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width  # titles get room
    numbers = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert numbers == [p.data.number for p in points]
    labels = set(vocab.ALL["status"].labels[c]["zh"] for c in vocab.ALL["status"].codes)
    assert {ws.cell(r, 6).value for r in range(2, ws.max_row + 1)} <= labels
    assert ws.cell(2, 10).hyperlink.target.endswith(f"/plan/{year}/{points[0].data.number:02d}/")


def test_build_publishes_the_same_sheets_and_links_them_from_both_task_pages(docs, tmp_path, monkeypatch):
    _, year, _ = first_plan(docs)
    site = build_tree(docs, tmp_path)
    monkeypatch.setenv("KB_SITE_URL", TEST_SITE_URL)  # the address the site was built for (its links)
    exported = tmp_path / "exported.xlsx"
    assert run_kb("export", "tasks", str(year), "--xlsx", str(exported), docs=docs).returncode == 0
    assert (site / f"plan/{year}/tasks.xlsx").read_bytes() == exported.read_bytes()
    csv_out = tmp_path / "exported.csv"
    assert run_kb("export", "tasks", str(year), "--csv", str(csv_out), docs=docs).returncode == 0
    assert (site / f"plan/{year}/tasks.csv").read_bytes() == csv_out.read_bytes()
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf" + "序号".encode())  # Excel opens it as UTF-8
    for page, prefix in (
        (site / f"plan/{year}/tasks/index.html", "../"),
        (site / f"en/plan/{year}/tasks/index.html", "../../"),
    ):
        html = page.read_text("utf-8")
        assert f'href="{prefix}../../plan/{year}/tasks.xlsx"' in html
        assert f'href="{prefix}../../plan/{year}/tasks.csv"' in html


def test_export_without_edits_then_import_changes_nothing(docs, tmp_path):
    _, year, _ = first_plan(docs)
    before = tree_digest(docs)
    for fmt in ("--xlsx", "--csv"):
        sheet = tmp_path / f"tasks{fmt.replace('--', '.')}"
        assert run_kb("export", "tasks", str(year), fmt, str(sheet), docs=docs).returncode == 0
        result = run_kb("import", "tasks", str(sheet), docs=docs)
        assert result.returncode == 0, result.stderr
        assert "没有需要更新的内容" in result.stdout
    assert tree_digest(docs) == before


# --- import -----------------------------------------------------------------------------------------


def test_import_updates_two_points_and_the_site_shows_it(docs, tmp_path):
    kb, year, points = first_plan(docs)
    a, b = points[0], points[1]
    status_a, status_b = other_status(a.data.status), other_status(b.data.status)
    progress_a = other_progress(a.data.progress)
    sheet = office_sheet(
        tmp_path / "office.xlsx",
        year,
        [
            [
                a.data.number,
                a.data.title,
                "区政协办公室",
                "区委宣传部、区文旅局",
                vocab.ALL["status"].label(status_a, "zh"),
                f"{progress_a}%",
                dt.datetime(year, 11, 30),
                f"{year}-05-10 测试：召开专题协调会",
                "请于月底前报送",
            ],
            [
                b.data.number,
                b.data.title,
                None,
                None,
                vocab.ALL["status"].label(status_b, "zh"),
                100,
                f"{year}年12月31日",
                f"{year}年6月1日 测试：完成调研报告",
                None,
            ],
        ],
    )
    before = {p.src: (docs / p.src).read_text("utf-8") for p in (a, b)}
    untouched = {k: v for k, v in tree_digest(docs).items() if k not in before}

    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "备注" in result.stdout and "忽略" in result.stdout  # the unknown column is named

    after_a = (docs / a.src).read_text("utf-8")
    # Only the changed fields change: every line that was there is still there, in order.
    old_lines = before[a.src].splitlines()
    assert [line for line in after_a.splitlines() if line in old_lines] == [
        line for line in old_lines if not line.startswith(("status:", "progress:"))
    ]
    assert {k: v for k, v in tree_digest(docs).items() if k not in before} == untouched
    assert "cooperating_units: [区委宣传部, 区文旅局]" in after_a
    assert f"deadline: {year}-11-30" in after_a

    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout
    kb2 = inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)
    a2, b2 = plan_queries.point(kb2, a.id), plan_queries.point(kb2, b.id)
    assert (a2.data.status, a2.data.progress, a2.data.lead_unit) == (status_a, progress_a, ["区政协办公室"])
    assert (b2.data.status, b2.data.progress, b2.data.deadline) == (status_b, 100, dt.date(year, 12, 31))
    assert b2.data.milestones[-1].note == "测试：完成调研报告"

    site = build_tree(docs, tmp_path)
    tasks = page_text(site, f"/plan/{year}/tasks/")
    for text in ("区政协办公室", "区委宣传部、区文旅局", f"{progress_a}%", "测试：召开专题协调会", f"{year}年11月30日"):
        assert text in tasks
    page_a = page_text(site, f"/{a.url}")
    for text in (
        vocab.ALL["status"].label(status_a, "zh"),
        f"{progress_a}%",
        "区委宣传部、区文旅局",
        f"{year}年11月30日",
        "测试：召开专题协调会",
    ):
        assert text in page_a
    page_b = page_text(site, f"/{b.url}")
    assert "100%" in page_b and "测试：完成调研报告" in page_b and vocab.ALL["status"].label(status_b, "zh") in page_b

    # Importing the same sheet again appends no milestone twice and changes nothing.
    snapshot = tree_digest(docs)
    again = run_kb("import", "tasks", str(sheet), docs=docs)
    assert again.returncode == 0 and "没有需要更新的内容" in again.stdout
    assert tree_digest(docs) == snapshot


def test_bad_cells_are_refused_with_their_address_and_nothing_is_written(docs, tmp_path):
    _, year, points = first_plan(docs)
    sheet = office_sheet(
        tmp_path / "bad.xlsx",
        year,
        [
            [points[0].data.number, "", "区政协办公室", None, "推进中", 140, None, None, None],
            [points[1].data.number, "", None, None, "进行中", None, None, None, None],
            [points[2].data.number, "", None, None, "已完成", "80%", f"{year}-02-30", None, None],
        ],
    )
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    where = f"{sheet}:{year}年任务分解表!"
    assert f"{where}F3:" in result.stderr and "progress 必须在 0 到 100 之间" in result.stderr  # progress 140
    assert f"{where}E4:" in result.stderr and "进行中" in result.stderr and "推进中" in result.stderr
    assert f"{where}G5:" in result.stderr and "不存在" in result.stderr  # 2024-02-30
    assert "没有写入任何文件" in result.stderr
    assert tree_digest(docs) == before


def test_dry_run_lists_changes_point_by_point_and_writes_nothing(docs, tmp_path):
    _, year, points = first_plan(docs)
    p = points[0]
    sheet = office_sheet(
        tmp_path / "dry.xlsx",
        year,
        [[p.data.number, "", None, None, None, other_progress(p.data.progress), None, None, None]],
    )
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), "--dry-run", docs=docs)
    assert result.returncode == 0, result.stderr
    assert f"docs/{p.src}" in result.stdout and "完成进度" in result.stdout and "→" in result.stdout
    assert "没有写入" in result.stdout
    assert tree_digest(docs) == before


def test_unknown_point_and_missing_year_are_explained(docs, tmp_path):
    _, year, _ = first_plan(docs)
    sheet = office_sheet(tmp_path / "x.xlsx", year, [[99, "", None, None, "推进中", None, None, None, None]])
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1 and f"{sheet}:{year}年任务分解表!A3:" in result.stderr and "第 99 项" in result.stderr
    not_sheet = tmp_path / "notes.txt"
    not_sheet.write_text("x", "utf-8")
    result = run_kb("import", "tasks", str(not_sheet), docs=docs)
    assert result.returncode == 1 and ".xlsx" in result.stderr and "Traceback" not in result.stderr


# --- the front-matter editor ------------------------------------------------------------------------


def test_every_front_matter_in_docs_round_trips_unchanged():
    """frontmatter_edit rewrites only what it is asked to: with nothing to change, every page's
    text comes back byte for byte (an invariant of the live docs/, whatever they hold)."""
    for path in DOCS.rglob("*.md"):
        text = path.read_text("utf-8")
        if text.startswith("---\n"):
            assert frontmatter_edit.update_text(text, {}, WorkPoint) == text, path


def test_editing_keeps_comments_order_and_quoting():
    text = (
        "---\n"
        "year: 2024\n"
        "number: 4  # 第四项\n"
        "section: 2\n"
        "title: 测试\n"
        'label: "4．"\n'
        "# 进度由办公室填报\n"
        "status: not-reported\n"
        "milestones:\n"
        "- date: 2024-03-01\n"
        "  note: 启动\n"
        "related: [wenshi/x]\n"
        "---\n\n正文\n"
    )
    out = frontmatter_edit.update_text(
        text,
        {"status": "in-progress", "deadline": dt.date(2024, 12, 31)},
        WorkPoint,
        appended={"milestones": [{"date": dt.date(2024, 5, 1), "note": "推进: 第二次会议"}]},
    )
    assert out.splitlines() == [
        "---",
        "year: 2024",
        "number: 4  # 第四项",
        "section: 2",
        "title: 测试",
        'label: "4．"',
        "# 进度由办公室填报",
        "status: in-progress",
        "deadline: 2024-12-31",
        "milestones:",
        "- date: 2024-03-01",
        "  note: 启动",
        "- date: 2024-05-01",
        "  note: '推进: 第二次会议'",
        "related: [wenshi/x]",
        "---",
        "",
        "正文",
    ]


def test_progress_cells_as_excel_writes_them():
    cell = task_sheet.Cell
    assert task_sheet.parse_progress(cell("F2", 0.6, "0%")) == 60
    assert task_sheet.parse_progress(cell("F2", 60, '0"%"')) == 60
    assert task_sheet.parse_progress(cell("F2", "60％")) == 60
    with pytest.raises(task_sheet.CellError):
        task_sheet.parse_progress(cell("F2", "六成"))
    assert task_sheet.parse_date(cell("G2", "2024/6/30")) == dt.date(2024, 6, 30)
    with pytest.raises(task_sheet.CellError, match="不存在"):
        task_sheet.parse_date(cell("G2", "2024年2月30日"))
    assert task_sheet.parse_units(cell("D2", "甲，乙、丙")) == ["甲", "乙", "丙"]


# --- the same bytes whatever else is installed ------------------------------------------------------


def test_the_site_is_the_same_without_lxml(real_site, tmp_path):
    """openpyxl writes with lxml when it can import it (python-docx brings it into the test
    environment; an install of requirements.txt alone has none): the published files must not
    depend on it. The build again with lxml made unimportable, compared file by file."""
    shim = tmp_path / "no-lxml" / "lxml"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("lxml is hidden by this test")\n', "utf-8")
    check = subprocess.run(
        [sys.executable, "-c", "import openpyxl; print(openpyxl.xml.lxml_available())"],
        env={**os.environ, "PYTHONPATH": str(shim.parent)},
        capture_output=True,
        text=True,
    )
    assert check.stdout.strip() == "False", check.stderr  # the shim hides it from openpyxl
    site = build_with_switch(tmp_path, {"PYTHONPATH": os.pathsep.join([str(shim.parent), str(ROOT)])})
    files = assert_same_site(real_site, site)
    assert any(f.name == "tasks.xlsx" for f in files)
