"""Spreadsheets in and out, as a hostile editor would use them (issues 19 and 23).

Out: every value the site writes into a cell (the published tasks.xlsx/tasks.csv, `kb export
tasks`) is data; no spreadsheet runs it. In: `scripts/kb/sources/workbook.py` refuses archives
that unpack too far, error values, formulas without a value and over-long cells, with the cell's
address, before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from pydantic import ValidationError

from kb_testlib import DOCS, build_tree, run_kb
from scripts.kb.adapter import inventory
from scripts.kb.collections import REGISTRY
from scripts.kb.collections.plan import queries as plan_queries
from scripts.kb.collections.plan import task_sheet
from scripts.kb.collections.plan.model import WorkPoint
from scripts.kb.sources import frontmatter_edit, workbook

HOSTILE_LEAD = '=HYPERLINK("http://example.invalid","点击查看")'
HOSTILE_UNITS = ["@SUM(1,2)", "+1+1", "-区文旅局", "=1+1", "'=2+2"]
# What Excel, WPS and LibreOffice take for a formula at the start of a cell (OWASP "CSV injection").
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def tree_digest(docs: Path) -> dict[str, str]:
    return {p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in docs.rglob("*.md")}


def would_run(text: str) -> bool:
    """Independent of the code under test: a cell a spreadsheet evaluates (a plain negative
    number such as -5 is a number, not a formula)."""
    if not text.startswith(TRIGGERS):
        return False
    try:
        float(text.rstrip("%"))
        return False
    except ValueError:
        return True


def assert_inert_xlsx(data: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(data))  # data_only=False: a formula would show as one
    ws = wb.active
    values = []
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        values.append([c.value for c in row])
    raw = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw and b"<f " not in raw
    return values


def assert_inert_csv(data: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            assert not would_run(value), f"CSV row {r} column {c + 1} would run: {value!r}"
    return rows


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


# --- out: the published files of a real build ---------------------------------------------------


def test_published_sheets_hold_hostile_units_as_text_and_round_trip(docs, tmp_path):
    kb = inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)
    year = plan_queries.plans(kb)[-1].data.year
    point = next(p for p in plan_queries.points(kb, year) if p.data.visibility == "public")
    path = docs / point.src
    path.write_text(
        frontmatter_edit.update_text(
            path.read_text("utf-8"), {"lead_unit": [HOSTILE_LEAD], "cooperating_units": HOSTILE_UNITS}, WorkPoint
        ),
        "utf-8",
    )
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout + check.stderr  # kb check accepts them: they are text

    site = build_tree(docs, tmp_path)
    xlsx = (site / f"plan/{year}/tasks.xlsx").read_bytes()
    values = assert_inert_xlsx(xlsx)
    row = next(v for v in values if v[0] == point.data.number)
    assert row[3] == HOSTILE_LEAD and row[4] == "、".join(HOSTILE_UNITS)
    ws = load_workbook(io.BytesIO(xlsx)).active
    lead = next(c for c in ws["D"] if c.value == HOSTILE_LEAD)
    assert lead.data_type == "s" and lead.quotePrefix  # Excel keeps it text when the cell is edited

    rows = assert_inert_csv((site / f"plan/{year}/tasks.csv").read_bytes())
    row = next(r for r in rows if r[0] == str(point.data.number))
    assert row[3] == "'" + HOSTILE_LEAD and row[4] == "'" + "、".join(HOSTILE_UNITS)

    before = tree_digest(docs)
    for name in ("tasks.xlsx", "tasks.csv"):
        result = run_kb("import", "tasks", str(site / f"plan/{year}/{name}"), "--year", str(year), docs=docs)
        assert result.returncode == 0, result.stderr
        assert "没有需要更新的内容" in result.stdout, result.stdout
    assert tree_digest(docs) == before


# Characters that matter to spreadsheets and to the unit splitter, and ordinary text.
_TEXT = st.text(alphabet=st.sampled_from(list("=+-@'\"、,，;%0123456789.()区文旅局 A#!")), min_size=1, max_size=12)


def _accepted(text: str) -> bool:
    try:
        REGISTRY["point"].model.model_validate(
            {"year": 2024, "number": 1, "section": 1, "title": "t", "lead_unit": [text]}
        )
        return True
    except ValidationError:
        return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=_TEXT.filter(_accepted), unit=_TEXT.filter(_accepted), title=_TEXT.filter(_accepted))
def test_any_accepted_text_is_written_as_data_and_read_back_exactly(tmp_path, lead, unit, title):
    lead, unit, title = lead.strip(), unit.strip(), title.strip()  # as the schema keeps them
    row = task_sheet.TaskRow(1, "一、", title, [lead], [unit], "推进中", None, None, None, "https://example.org/")
    xlsx, csv_bytes = task_sheet.to_xlsx([row], 2024), task_sheet.to_csv([row])
    values = assert_inert_xlsx(xlsx)
    assert values[1][2] == title and values[1][3] == lead and values[1][4] == unit
    assert_inert_csv(csv_bytes)
    for name, data in (("t.xlsx", xlsx), ("t.csv", csv_bytes)):
        (tmp_path / name).write_bytes(data)
        sheet = task_sheet.read_sheet(tmp_path / name)
        cells = sheet.rows[0]
        assert cells[sheet.columns["lead_unit"]].value == lead, name
        assert cells[sheet.columns["title"]].value == title, name
        assert cells[sheet.columns["cooperating_units"]].value == unit, name


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-x", "@SUM(1)", "\t=1", "\r=1", "'=1", "''", "'", "-5", "-5.5%", "区", "'区"]
)
def test_escape_and_unescape_are_inverse(value):
    escaped = workbook.escape_csv(value)
    assert not would_run(escaped)
    assert workbook.unescape(escaped) == value


# --- in: hostile workbooks ------------------------------------------------------------------------


def task_workbook(path: Path, rows: list[list], year: int = 2024) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年任务分解表"
    ws.append(["序号", "工作要点", "牵头单位", "配合单位", "落实状态"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def replace_in_zip(path: Path, member: str, old: bytes, new: bytes) -> None:
    """Rewrite one part of an .xlsx (the first match of the pattern `old`)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data, count = re.subn(old, new, data, count=1)
                assert count == 1, data[:400]
            dst.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def _first_point(docs: Path):
    kb = inventory.load_knowledge_base(docs, edition="members", include_drafts=True, with_history=False)
    year = plan_queries.plans(kb)[-1].data.year
    return year, plan_queries.points(kb, year)


def test_error_values_and_formulas_without_value_are_refused_with_their_address(docs, tmp_path):
    year, points = _first_point(docs)
    sheet = task_workbook(
        tmp_path / "errors.xlsx",
        [
            [points[0].data.number, "", "#DIV/0!", None, None],  # openpyxl stores it as an error cell
            [points[1].data.number, "", "=A2&B2", None, None],  # a formula never calculated
            [points[2].data.number, "", "=A3", None, "#N/A"],
        ],
        year,
    )
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    where = f"{sheet}:{year}年任务分解表!"
    assert f"{where}C2: 单元格是错误值 #DIV/0!" in result.stderr
    assert f"{where}C3: 单元格是公式，但文件里没有保存计算结果" in result.stderr
    assert f"{where}E4: 单元格是错误值 #N/A" in result.stderr
    assert "没有写入任何文件" in result.stderr
    assert tree_digest(docs) == before


def test_a_formula_with_a_cached_value_imports_the_value(docs, tmp_path):
    year, points = _first_point(docs)
    sheet = task_workbook(tmp_path / "cached.xlsx", [[points[0].data.number, "", "=B2", None, None]], year)
    replace_in_zip(
        sheet,
        "xl/worksheets/sheet1.xml",
        rb'<c r="C2"><f>B2</f>(<v\s*/>|<v></v>)',
        b'<c r="C2" t="str"><f>B2</f><v>Cached Unit</v>',
    )
    grid = task_sheet.read_sheet(sheet)
    assert grid.rows[0][2].value == "Cached Unit" and grid.rows[0][2].problem is None


def test_an_over_long_cell_is_refused_never_cut(docs, tmp_path):
    year, points = _first_point(docs)
    sheet = task_workbook(tmp_path / "long.xlsx", [[points[0].data.number, "", "PLACEHOLDER", None, None]], year)
    # Varied text (a repeated character would be refused as a zip bomb first).
    text = "".join(random.Random(0).choices([chr(c) for c in range(0x4E00, 0x9FA5)], k=1_000_000))
    replace_in_zip(sheet, "xl/worksheets/sheet1.xml", b"PLACEHOLDER", text.encode())
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(sheet), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{sheet}:{year}年任务分解表!C2: 单元格有 1000000 个字符" in result.stderr
    assert tree_digest(docs) == before
    # Within Excel's limit but beyond the field's: refused too, with the field's limit.
    sheet2 = task_workbook(tmp_path / "long2.xlsx", [[points[0].data.number, "", "区" * 600, None, None]], year)
    result = run_kb("import", "tasks", str(sheet2), docs=docs)
    assert result.returncode == 1 and "C2: 单元格有 600 个字符，“牵头单位”最多 500 个" in result.stderr
    # CSV: a cell beyond the csv module's limit is named by line.
    big = tmp_path / "long.csv"
    big.write_text(f"序号,牵头单位\n{points[0].data.number},{'区' * 200_000}\n", "utf-8")
    result = run_kb("import", "tasks", str(big), "--year", str(year), docs=docs)
    assert result.returncode == 1 and "第 2 行有一个单元格超过" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(docs) == before


def bomb(path: Path, unpacked: int) -> Path:
    """A valid-looking .xlsx whose sheet XML unpacks to `unpacked` bytes of whitespace."""
    wb = Workbook()
    wb.active.append(["序号", "牵头单位"])
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(raw)
    out = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            with out.open(info.filename, "w", force_zip64=True) as f:
                head, tail = data.split(b"<sheetData>")
                f.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(unpacked >> 20):
                    f.write(chunk)
                f.write(b"<sheetData>" + tail)
        else:
            out.writestr(info.filename, data)
    out.close()
    return path


def test_an_archive_that_unpacks_too_far_is_refused_before_reading(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx", 200 << 20)  # 200 MB of spaces, about 200 KB packed
    assert path.stat().st_size < 1 << 20
    start = time.perf_counter()
    with pytest.raises(task_sheet.SheetError) as exc:
        task_sheet.read_sheet(path)
    assert time.perf_counter() - start < 2
    assert "压缩炸弹" in str(exc.value) and "xl/worksheets/sheet1.xml" in str(exc.value)
    # Ratio within bounds but the total too big: also refused, by the total.
    with pytest.raises(workbook.WorkbookError, match="解压后共"):
        workbook.check_archive(path.read_bytes(), "x.xlsx", workbook.Limits(ratio=10_000, unpacked_bytes=10 << 20))


@pytest.mark.parametrize(
    "part, root, use",
    [
        ("xl/worksheets/sheet1.xml", rb"<worksheet", rb"<t>X</t>"),  # streamed by expat
        ("xl/workbook.xml", rb"<workbook", rb"<sheets>"),  # parsed whole (by lxml when installed)
    ],
)
def test_nested_xml_entities_are_refused_quickly(tmp_path, part, root, use):
    sheet = task_workbook(tmp_path / "lol.xlsx", [[1, "", "X", None, None]])
    entities = b'<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %c "%s">' % (ord("a") + i, (b"&%c;" % (ord("a") + i - 1)) * 10) for i in range(1, 10)
    )
    replace_in_zip(sheet, part, root, entities + b"]>" + root)
    replace_in_zip(sheet, part, use, use.replace(b"X", b"&j;") if b"X" in use else b"&j;" + use)
    start = time.perf_counter()
    with pytest.raises(task_sheet.SheetError, match="无法作为 .xlsx 表格"):
        task_sheet.read_sheet(sheet)
    assert time.perf_counter() - start < 2


def test_a_hidden_sheet_is_never_read(tmp_path):
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["这张表用于导入"])
    hidden = wb.create_sheet("2024年任务分解表")
    hidden.append(["序号", "牵头单位"])
    hidden.append([1, "区政协办公室"])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "hidden.xlsx")
    with pytest.raises(task_sheet.SheetError, match="是隐藏的"):
        task_sheet.read_sheet(tmp_path / "hidden.xlsx")


def test_merged_cells_read_as_their_top_left_value(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年任务分解表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "工作要点", "牵头单位", "配合单位", "落实状态"])
    ws.append([1, "", "区政协办公室", None, None])
    ws.append([2, "", None, None, None])
    ws.merge_cells("C3:C4")
    wb.save(tmp_path / "merged.xlsx")
    sheet = task_sheet.read_sheet(tmp_path / "merged.xlsx")
    assert sheet.header_row == 2
    assert [r[2].value for r in sheet.rows] == ["区政协办公室", "区政协办公室"]
    assert sheet.rows[1][2].address == "C4"


def test_many_rows_and_columns_are_refused_with_the_limit(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "牵头单位"])
    for i in range(workbook.LIMITS.rows + 5):
        ws.append([i, "x"])
    wb.save(tmp_path / "rows.xlsx")
    with pytest.raises(task_sheet.SheetError, match="行以上的内容"):
        task_sheet.read_sheet(tmp_path / "rows.xlsx")
    wb = Workbook()
    wb.active.append(["序号", "牵头单位"])
    wb.active.cell(2, 16384, "far")
    wb.save(tmp_path / "cols.xlsx")
    with pytest.raises(task_sheet.SheetError, match="XFD2: 表格超过 100 列"):
        task_sheet.read_sheet(tmp_path / "cols.xlsx")


def test_an_import_never_writes_a_page_kb_check_would_refuse(docs, tmp_path):
    """Each cell within its limit, the page grown past kb check's front-matter limit: refused."""
    year, points = _first_point(docs)
    point = points[0]
    path = docs / point.src
    notes = [
        {"date": (dt.date(year, 1, 1) + dt.timedelta(days=d)).isoformat(), "note": f"第{d}次进展：" + "区" * 1500}
        for d in range(40)
    ]
    path.write_text(
        frontmatter_edit.update_text(path.read_text("utf-8"), {}, WorkPoint, appended={"milestones": notes}), "utf-8"
    )
    assert run_kb("check", docs=docs).returncode == 0  # about 61,000 characters: accepted
    more = "\n".join(f"{year}-03-{d:02d} 第{d}次补充：" + "文" * 1500 for d in range(1, 13))
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年任务分解表"
    ws.append(["序号", "最新进展"])
    ws.append([point.data.number, more])
    wb.save(tmp_path / "grow.xlsx")
    before = tree_digest(docs)
    result = run_kb("import", "tasks", str(tmp_path / "grow.xlsx"), docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"写入 docs/{point.src} 后无法通过检查：front matter 太长" in result.stderr
    assert "没有写入任何文件" in result.stderr
    assert tree_digest(docs) == before


def test_a_heading_merged_down_over_two_rows_is_not_a_value(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "牵头单位", "完成情况", None])
    ws.append([None, None, "落实状态", "完成进度"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.append([1, "区政协办公室", "推进中", 50])
    wb.save(tmp_path / "two.xlsx")
    sheet = task_sheet.read_sheet(tmp_path / "two.xlsx")
    # The second header row is no point numbered 序号 led by 牵头单位 (its merged cells read blank).
    assert [(row[0].value, row[1].value) for row in sheet.rows] == [(None, None), (1, "区政协办公室")]
