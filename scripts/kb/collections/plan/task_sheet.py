"""The task breakdown (任务分解表) as a spreadsheet: one row per work point, out and back in.

The office keeps the breakdown in Excel or WPS and sends it round for 督办. `rows()` is the row
model, `to_xlsx()`/`to_csv()` write it (the build publishes both beside each year's task page;
`kb export tasks` writes the same bytes), and `read_sheet()`/`plan_import()` read a sheet the
office filled in and turn it into front-matter changes, validated with the same schema as
`kb check`. `frontmatter_edit.py` writes the changes.

openpyxl reads and writes .xlsx without Excel or LibreOffice, is pure Python and is the library
the Python ecosystem uses for the format (pandas reads .xlsx through it); WPS saves .xlsx too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...content import fields, personal_data, urls
from ...content.model import Entry, KnowledgeBase
from ...content.validate import _message
from ...sources import workbook
from . import changes, progress, queries
from .model import STATUS, Milestone, WorkPoint, section_label


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese heading, as the office writes it
    width: int  # in Excel's character units
    aliases: tuple[str, ...] = ()  # other headings office sheets use for the same column
    imported: bool = True  # False: shown for reading, never written back


COLUMNS = (
    Column("number", "序号", 6, ("编号", "项目序号"), imported=False),
    Column("section", "所属部分", 28, ("部分",), imported=False),
    Column(
        "title",
        "工作要点",
        36,
        ("工作任务", "任务", "重点任务", "任务内容", "主要任务", "工作内容", "重点工作", "具体任务", "工作事项"),
        imported=False,
    ),
    Column("lead_unit", "牵头单位", 20, ("责任单位", "牵头部门", "责任部门", "主责单位", "牵头责任单位")),
    Column(
        "cooperating_units", "配合单位", 24, ("协办单位", "配合部门", "参与单位", "协同单位", "参与部门", "协办部门")
    ),
    Column("status", "落实状态", 10, ("状态", "进展状态")),
    Column("progress", "完成进度", 10, ("进度", "完成比例")),
    Column("deadline", "完成时限", 12, ("时限", "完成时间", "截止日期", "完成期限", "时间节点", "时间安排")),
    Column("milestones", "最新进展", 40, ("进展情况", "进展")),
    Column("link", "链接", 40, ("网址",), imported=False),
)
BY_HEADER = {name: c for c in COLUMNS for name in (c.header, *c.aliases)}
FIXED_TIME = dt.datetime(2000, 1, 1)  # in the file's properties and zip entries: same data, same bytes


def site_path(year: int) -> str:
    """Where the build publishes a year's sheets, without the extension."""
    return f"plan/{year}/tasks"


def sheet_name(year: int) -> str:
    return f"{year}年任务分解表"


@dataclass
class TaskRow:
    number: int
    section: str
    title: str
    lead_unit: list[str]
    cooperating_units: list[str]
    status: str  # the Chinese label
    progress: int | None
    deadline: dt.date | None
    latest_milestone: str | None
    link: str


def latest_milestone(point: Entry) -> Milestone | None:
    # The same milestone the task page shows (the first of the latest date).
    return max(point.data.milestones, key=lambda m: m.date) if point.data.milestones else None


def milestone_text(m: Milestone) -> str:
    return f"{m.date.isoformat()} {m.note}"


def rows(kb: KnowledgeBase, year: int, site_url: str) -> list[TaskRow]:
    plan = queries.plan(kb, year)
    if plan is None:
        raise LookupError(year)
    headings = {s.number: s.heading for s in plan.data.sections}
    out = []
    for p in queries.points(kb, year):
        d = p.data
        latest = latest_milestone(p)
        out.append(
            TaskRow(
                number=d.number,
                section=section_label(d.section, "zh") + headings.get(d.section, ""),
                title=d.title,
                lead_unit=list(d.lead_unit),
                cooperating_units=list(d.cooperating_units),
                status=STATUS.label(d.status, "zh"),
                progress=progress.shown_progress(p),
                deadline=d.deadline,
                latest_milestone=milestone_text(latest) if latest else None,
                link=urls.absolute(site_url, urls.url(p.src)),
            )
        )
    return out


def _cells(row: TaskRow) -> dict[str, object]:
    """The row's value in each column (`COLUMNS`, by key), as the .xlsx holds it."""
    return {
        "number": row.number,
        "section": row.section,
        "title": row.title,
        "lead_unit": "、".join(row.lead_unit) or None,
        "cooperating_units": "、".join(row.cooperating_units) or None,
        "status": row.status,
        "progress": row.progress,
        "deadline": row.deadline,
        "milestones": row.latest_milestone,
        "link": row.link,
    }


def _column(key: str) -> int:
    """The 1-based position of column `key` in the sheet."""
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


def to_xlsx(task_rows: list[TaskRow], year: int) -> bytes:
    import openpyxl
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    if openpyxl.LXML:  # scripts/kb/__init__.py chooses the standard library's writer for every process
        raise RuntimeError("openpyxl was imported before scripts.kb: the sheet would depend on lxml being installed")

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(year)
    ws.append([c.header for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, row in enumerate(task_rows, start=2):
        cells = _cells(row)
        for col, c in enumerate(COLUMNS, start=1):
            # Every value is data: text a spreadsheet would run (=HYPERLINK(...), @SUM(...)) is a string cell.
            workbook.set_text(ws.cell(r, col), cells[c.key])
    top = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(task_rows, start=2):
        for cell in ws[r]:
            cell.alignment = top
        # Shown as "60%" like the site, kept a number so the office can sort and sum it.
        ws.cell(r, _column("progress")).number_format = '0"%"'
        ws.cell(r, _column("deadline")).number_format = "yyyy-mm-dd"
        link = ws.cell(r, _column("link"))
        link.hyperlink = row.link
        link.style = "Hyperlink"
        link.alignment = top
    for i, c in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = c.width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{ws.cell(1, len(COLUMNS)).column_letter}{max(1, len(task_rows) + 1)}"
    wb.properties.creator = "政协门头沟区知识库"
    wb.properties.title = sheet_name(year)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return _reproducible_zip(raw.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same rows give the same bytes: openpyxl stamps zip entries with the current time, so an
    unchanged table would otherwise be a new file on every build (and every deploy)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to now on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    data,
                )
            dst.writestr(fixed, data)
    return out.getvalue()


def to_csv(task_rows: list[TaskRow]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel opens Chinese CSV as GBK and shows garbage."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for row in task_rows:
        cells = _cells(row)
        cells["progress"] = progress.percent_text(row.progress) if row.progress is not None else None
        cells["deadline"] = row.deadline.isoformat() if row.deadline else None
        # OWASP's advice for CSV: text a spreadsheet would run gets a leading ' (import strips it).
        writer.writerow(["" if cells[c.key] is None else workbook.escape_csv(cells[c.key]) for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


# --- reading a sheet back ------------------------------------------------------------------------


Cell = workbook.Cell
_letter = workbook.letter


@dataclass
class Sheet:
    path: str  # as given on the command line
    name: str | None  # None for CSV
    header_row: int
    columns: dict[str, int]  # column key -> 0-based index
    unknown: list[tuple[str, str]]  # (column letter, heading) of columns not recognised
    rows: list[list[Cell]]
    title: str = ""  # the text of the rows above the header ("门头沟区政协2024年工作要点任务分解表")

    def where(self, cell: Cell) -> str:
        return f"{self.path}:{self.name}!{cell.address}" if self.name else f"{self.path}:{cell.address}"


class SheetError(Exception):
    """The file cannot be read as a task sheet at all (not .xlsx/.csv, no header row)."""


def _header_key(value) -> str | None:
    if value is None:
        return None
    # a note in parentheses does not count: 牵头单位（部门）, 完成时限（2025年）
    text = re.sub(r"[（(][^）)]*[)）]", "", re.sub(r"\s+", "", str(value))).rstrip(":：")
    column = BY_HEADER.get(text)
    return column.key if column else None


def _is_header(row: list[Cell]) -> bool:
    # 序号 or 工作要点: a row is found by either (a sheet without numbers is matched by its text).
    return any(_header_key(c.value) in ("number", "title") for c in row)


def read_sheet(path: Path | str, shown: str | None = None) -> Sheet:
    """The first visible sheet with a header row, read by `workbook` (archive limits, cached values
    only, error values and formulas without a value marked, merged cells filled); or the first
    table with one in a Word file (.docx): the breakdown as it is attached to the plan."""
    shown = shown or str(path)
    if Path(path).suffix.lower() in (".docx", ".doc", ".wps"):
        return _word_sheet(Path(path), shown)
    try:
        grid, header = workbook.pick_sheet(path, shown, _is_header, _no_header(shown))
    except workbook.WorkbookError as exc:
        raise SheetError(str(exc)) from None
    return _sheet(grid, header, shown)


def _word_sheet(path: Path, shown: str) -> Sheet:
    """The first table of a Word file whose header names 序号 or 工作要点 (任务分解表 as attached to
    the plan), as a sheet named 第N个表格: cell C5 is the table's 5th row, 3rd column. A merged
    cell's text is in each row it covers; a cell across columns in the first of them."""
    from ...sources.office import docx_text, files

    try:
        raw = files.read_source(str(path))
        lines = docx_text.plan_lines(raw, shown)
    except files.WordError as exc:
        raise SheetError(str(exc)) from None
    except OSError as exc:
        raise SheetError(f"{shown}: 无法读取（{exc.strerror}）。请检查文件路径。") from None
    tables: list[tuple[list[str], list[list[Cell]]]] = []
    before: list[str] = []
    for text, place in zip(lines.text.split("\n"), lines.where, strict=False):
        m = re.search(r"表格第 (\d+) 行", place)
        if not m:
            if text.strip():
                before = [*before[-1:], text.strip()]
            continue
        k = int(m.group(1))
        if k == 1:
            tables.append((before, []))
        cells = [Cell(f"{_letter(i)}{k}", c.strip() or None) for i, c in enumerate(text.split("\t"))]
        tables[-1][1].append(cells)
    for t, (title, rows) in enumerate(tables, 1):
        header = workbook.find_header(workbook.Grid(shown, None, rows), _is_header)
        if header is not None:
            sheet = _sheet(workbook.Grid(shown, f"第{t}个表格", rows), header, shown)
            sheet.title = sheet.title or " ".join(title)
            return sheet
    raise SheetError(_no_header(shown) + "（Word 文件中的任务分解表应是一张表格，第一行是列标题。）")


def _sheet(grid: workbook.Grid, header: int, shown: str) -> Sheet:
    columns, unknown = {}, []
    for i, cell in enumerate(grid.rows[header]):
        key = _header_key(cell.value)
        if key and key not in columns:
            columns[key] = i
        elif cell.value not in (None, ""):
            unknown.append((_letter(i), str(cell.value).strip()))
    body = [row for row in grid.rows[header + 1 :] if any(c.value not in (None, "") for c in row)]
    title_parts: list[str] = []
    for row in grid.rows[:header]:
        for cell in row:  # a merged title row is filled into every cell of the merge: once is enough
            text = str(cell.value).strip() if cell.value is not None and not cell.problem else ""
            if text and text not in title_parts:
                title_parts.append(text)
    return Sheet(shown, grid.name, header + 1, columns, unknown, body, " ".join(title_parts))


def _no_header(shown: str) -> str:
    return (
        f"{shown}: 找不到表头。表格前十行中应有一行列标题，其中包括“序号”或“工作要点”；"
        f"可识别的列：{'、'.join(c.header for c in COLUMNS)}。"
    )


# --- turning cells into values ---------------------------------------------------------------------

NOT_RECORDED = {"尚未记录", "未记录", "—", "-", "/"}


class CellError(ValueError):
    pass


class NoDeadline(CellError):
    """完成时限 that is no date (持续推进, 长期): the field stays empty, the editor is told."""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", *NOT_RECORDED))


def _percent_format(number_format: str) -> bool:
    # '0%' scales by 100; '0"%"' (the export's) only prints a percent sign.
    return "%" in re.sub(r'"[^"]*"', "", number_format or "")


def parse_progress(cell: Cell) -> int:
    v = cell.value
    if isinstance(v, bool):
        raise CellError("progress-type")
    if isinstance(v, (int, float)):
        number = v * 100 if _percent_format(cell.number_format) else v
    else:
        text = str(v).strip().replace("％", "%")
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*%?", text)
        if not m:
            raise CellError(f"完成进度“{text}”不是数字。请写 0 到 100 之间的整数，或百分比，例如 60 或 60%。")
        number = float(m.group(1))
    if abs(number - round(number)) > 1e-6:
        raise CellError(f"完成进度 {number:g} 不是整数。请写 0 到 100 之间的整数，例如 60 或 60%。")
    return int(round(number))


_DATE_TEXT = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")


def parse_date_text(text: str) -> dt.date:
    m = _DATE_TEXT.fullmatch(text.strip())
    if not m:
        raise CellError(f"“{text}”不是日期。请写成 YYYY-MM-DD（例如 2024-06-30），或在表格中设为日期格式。")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(
            f"日期“{text.strip()}”不存在（例如 2 月没有 30 日）。请改为真实的日期，格式 YYYY-MM-DD。"
        ) from None


def parse_date(cell: Cell) -> dt.date:
    v = cell.value
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        raise CellError(f"“{v}”不是日期。请写成 YYYY-MM-DD（例如 2024-06-30），或在表格中设为日期格式。")
    return parse_date_text(str(v))


# 完成时限 as the office writes it, and the day each phrase stands for (the guide's table says the
# same). A phrase without a year is in the point's own year: "年底" in the 2024 plan is 2024-12-31.
YEAR_END = ("全年", "年底", "年末", "年内", "年度", "年度内", "本年", "本年度", "当年", "底", "末", "")
HALVES = {"上半年": 6, "年中": 6, "下半年": 12}
QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
PARTS_OF_MONTH = {"上旬": 10, "初": 10, "月初": 10, "中旬": 20, "中": 20, "月中": 20}
NO_DEADLINE = ("长期", "长期坚持", "持续", "持续推进", "常态化", "经常性", "随时")
_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
_DEADLINE_SUFFIX = re.compile(r"(?:以前|之前|前|以内|内|完成|止)$")
_QUARTER = re.compile(r"第?([一二三四1-4])季度(?:末|底)?")
_MONTH = re.compile(r"(?:[-/.]|(?<![\d]))(\d{1,2})(?:月份?)?(上旬|中旬|下旬|月初|月中|月底|月末|初|中|底|末)?")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def parse_deadline(cell: Cell, year: int) -> dt.date:
    """A date cell or text (as `parse_date`), or a phrase: 2024年12月底, 6月底, 年底, 全年, 上半年,
    一季度, 三季度末, 10月中旬. `year`: the plan's, for phrases that name none."""
    v = cell.value
    if isinstance(v, (dt.date, dt.datetime)) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return parse_date(cell)
    raw = str(v).strip()
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if _DATE_TEXT.fullmatch(text):
        return parse_date_text(text)
    if text in NO_DEADLINE:
        raise NoDeadline(f"完成时限“{raw}”不是一个日期，没有导入：网站上这一项的完成时限显示“尚未记录”。")
    # 六月底, 十二月: the month in Chinese numerals
    text = re.sub(r"(十[一二]|[一二三四五六七八九十])(?=月)", lambda n: str(_CN_MONTHS.index(n.group(1)) + 1), text)
    m = re.fullmatch(r"(?:(\d{4})年?)?(.*)", text)
    named_year = int(m.group(1)) if m.group(1) else None
    rest = _DEADLINE_SUFFIX.sub("", m.group(2)) if m.group(2) not in YEAR_END else m.group(2)
    when = named_year or year
    if rest in YEAR_END and (rest or named_year):
        return dt.date(when, 12, 31)
    if rest in HALVES:
        return _month_end(when, HALVES[rest])
    if q := _QUARTER.fullmatch(rest):
        return _month_end(when, QUARTERS[q.group(1)])
    if md := re.fullmatch(r"(\d{1,2})月(\d{1,2})日?", rest):
        return parse_date_text(f"{when}-{md.group(1)}-{md.group(2)}")
    if (mo := _MONTH.fullmatch(rest)) and 1 <= int(mo.group(1)) <= 12 and (rest[0] in "-/." or "月" in rest):
        month, part = int(mo.group(1)), mo.group(2) or ""
        if part in PARTS_OF_MONTH:
            return dt.date(when, month, PARTS_OF_MONTH[part])
        return _month_end(when, month)
    raise CellError(
        f"完成时限“{raw}”认不出。请写日期（例如 2024-06-30 或 2024年6月30日），或写“年底”“全年”“上半年”"
        "“三季度末”“6月底”“10月中旬”这样的说法（各自对应的日期见编辑指南）。"
    )


def parse_status(cell: Cell) -> str:
    text = str(cell.value).strip()
    code = STATUS.code_for(text)
    if code is not None:
        return code
    allowed = "、".join(labels["zh"] for labels in STATUS.labels.values())
    raise CellError(f"落实状态“{text}”不认识。请填写其中之一：{allowed}。")


def parse_units(cell: Cell) -> list[str]:
    return fields.split_units(str(cell.value))


_MILESTONE = re.compile(
    r"(?P<date>\d{4}\s*(?:-|/|\.|年)\s*\d{1,2}\s*(?:-|/|\.|月)\s*\d{1,2}\s*日?)\s*[:：，,]?\s*(?P<note>.*)"
)


def parse_milestones(cell: Cell) -> list[dict]:
    """One milestone per line: "2024-05-10 召开协调会" (the date may be 2024年5月10日 or 2024/5/10)."""
    v = cell.value
    if isinstance(v, (dt.date, dt.datetime)):
        raise CellError("最新进展要写明日期和内容，例如“2024-05-10 召开协调会”，不能只有日期。")
    found = []
    for line in str(v).splitlines():
        if not line.strip():
            continue
        m = _MILESTONE.fullmatch(line.strip())
        if not m:
            raise CellError(f"最新进展“{line.strip()}”缺少日期。请写成“日期 内容”，例如“2024-05-10 召开协调会”。")
        if not m.group("note").strip():
            raise CellError(
                f"最新进展“{line.strip()}”只有日期，没有内容。请写成“日期 内容”，例如“2024-05-10 召开协调会”。"
            )
        found.append({"date": parse_date_text(m.group("date")), "note": m.group("note").strip()})
    return found


# The longest text a cell may bring into one field: a unit's name or a status is one line; the
# progress notes of a year fit easily. Longer is a paste gone wrong, refused with its address (a
# cut value would be a silent change, and a page's front matter is limited to 64 KB by kb check).
ONE_LINE_CHARS = 500
FIELD_CHARS = {"cooperating_units": 2000, "milestones": 20000}

PARSERS = {
    "lead_unit": parse_units,
    "cooperating_units": parse_units,
    "status": parse_status,
    "progress": parse_progress,
    "deadline": parse_deadline,  # given the point's year
    "milestones": parse_milestones,
}


def parse_number(cell: Cell) -> int:
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return int(v)
    m = re.fullmatch(r"第?\s*(\d{1,2})\s*(?:项|[.．、])?", str(v).strip())
    if not m:
        raise CellError(f"序号“{v}”不是工作要点的序号。请写数字，例如 5。")
    return int(m.group(1))


# --- comparing with the front matter -------------------------------------------------------------


@dataclass
class PointChange:
    point: Entry
    row: int  # sheet row, for messages
    fields: dict[str, object] = field(default_factory=dict)  # field -> new value (milestones: the full list)
    new_milestones: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fields)


@dataclass
class ImportPlan:
    year: int
    changes: list[PointChange]
    problems: list[str]  # "FILE:sheet!C7: 说明"
    notes: list[str]  # not errors: ignored columns, read-only columns

    @property
    def ok(self) -> bool:
        return not self.problems


class YearError(ValueError):
    """The sheet names two different years (title row, file name, sheet name)."""


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _years_named(text: str, kb: KnowledgeBase) -> set[int]:
    """The years a title or file name names; where it names several ("2024年任务分解表（2025年1月
    更新）"), those that have a plan, if that leaves one."""
    years = {int(y) for y in _YEAR_IN_TEXT.findall(unicodedata.normalize("NFKC", text or ""))}
    with_plan = {y for y in years if queries.plan(kb, y) is not None}
    return with_plan if len(years) > 1 and len(with_plan) == 1 else years


def title_contradicts(sheet: Sheet, kb: KnowledgeBase, year: int) -> str | None:
    """Why `--year` cannot be right for this sheet: its title row names another year. (A file name
    may be old or careless and `--year` is how the editor overrides it; the title is the sheet's own
    word, and the next year's points are similar enough to the last's to take its values unnoticed.)"""
    named = _years_named(sheet.title, kb)
    if named and year not in named:
        return (
            f"{sheet.path}: 标题行“{sheet.title}”写的是 {'、'.join(str(y) for y in sorted(named))} 年，"
            f"但 --year 是 {year}。请核对是不是选错了文件，或改正标题行。"
        )
    return None


def detect_year(sheet: Sheet, kb: KnowledgeBase) -> int | None:
    """The year the sheet names in its title row, its file name and its sheet name ("2024年任务分解表");
    YearError when they name different years. Without any: from its links, else the only plan there is."""
    sources = [
        ("标题行", sheet.title),
        ("文件名", Path(sheet.path).name),
        ("工作表名称", sheet.name or ""),
    ]
    named = [(where, text, _years_named(text, kb)) for where, text in sources]
    named = [(where, text, years) for where, text, years in named if years]
    years = set().union(*(y for _, _, y in named)) if named else set()
    if len(years) > 1:
        said = "；".join(
            f"{where}“{text}”写的是 {'、'.join(str(y) for y in sorted(ys))} 年" for where, text, ys in named
        )
        raise YearError(
            f"{sheet.path}: 看不出是哪一年的任务分解表：{said}。请改正标题或文件名，或用 --year 指定年度，例如 --year {min(years)}。"
        )
    if years:
        return years.pop()
    link = sheet.columns.get("link")
    if link is not None:
        for row in sheet.rows:
            if link < len(row) and row[link].value:
                m = re.search(r"/plan/(\d{4})/", str(row[link].value))
                if m:
                    return int(m.group(1))
    plans = queries.plans(kb)
    return plans[0].data.year if len(plans) == 1 else None


def plan_import(kb: KnowledgeBase, sheet: Sheet, year: int) -> ImportPlan:
    plan = ImportPlan(year, [], [], [])
    for letter, heading in sheet.unknown:
        plan.notes.append(f"忽略不认识的列 {letter}“{heading}”。可识别的列：{'、'.join(c.header for c in COLUMNS)}。")
    read_only = [
        c.header for c in COLUMNS if not c.imported and c.key in sheet.columns and c.key not in ("number", "title")
    ]
    if read_only:
        plan.notes.append(f"{'、'.join(read_only)} 列只供阅读，不会导入（要改原文请改页面本身）。")
    if queries.plan(kb, year) is None:
        plan.problems.append(f"{sheet.path}: 知识库里没有 {year} 年的工作要点。请用 --year 指定年度。")
        return plan
    if "number" not in sheet.columns and "title" not in sheet.columns:
        plan.problems.append(_no_header(sheet.path))
        return plan

    points = queries.points(kb, year)
    seen: dict[str, str] = {}  # point id -> address of the row that took it
    for row in sheet.rows:
        if _section_row(row, sheet):
            continue
        point, where = _row_point(row, sheet, year, points, plan)
        if point is None:
            continue
        if point.id in seen:
            plan.problems.append(
                f"{where}: 第 {point.data.number} 项重复出现（{seen[point.id]} 已有一行）。请删去其中一行。"
            )
            continue
        seen[point.id] = where
        change = _row_change(point, row, sheet, plan)
        if change is not None and change.changed:
            plan.changes.append(change)
    return plan


# --- which point a row is ------------------------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^(?:第?\s*\d{1,2}\s*项?[.．、:：)）]?|[（(]?[一二三四五六七八九十]+[）)、.．])\s*")
# An excerpt this long that occurs in a point's text names that point (a sheet that abbreviates
# 工作要点 to its first clause); shorter ones (委员会, 调研) say nothing.
EXCERPT_CHARS = 6
# A point's whole text is a few hundred characters; a longer 工作要点 cell is a paste gone wrong.
TITLE_CHARS = 2000


def _normal(text: str) -> str:
    """For comparing a sheet's 工作要点 with a point: NFKC (full-width forms), no spaces, no
    leading number such as 5. or （五）, no closing punctuation."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"\s+", "", text)
    text = _LEADING_NUMBER.sub("", text, count=1)
    return text.rstrip("。.;；,，")


def text_score(text: str, point: Entry) -> float:
    """How well a sheet's 工作要点 names `point`: the changes page's similarity (changes.py) with
    the point's title (what the export writes) or its whole text, whichever is higher; 1.0 for an
    excerpt of at least EXCERPT_CHARS characters of either."""
    t = _normal(text)
    if not t:
        return 0.0
    title, body = _normal(point.data.title), _normal(point.body)
    if len(t) >= EXCERPT_CHARS and (t in title or t in body):
        return 1.0
    return max(changes.similarity(t, title), changes.similarity(t, body))


def _cell(row: list[Cell], sheet: Sheet, key: str) -> Cell | None:
    index = sheet.columns.get(key)
    return row[index] if index is not None and index < len(row) else None


def _short(text: str, limit: int = 24) -> str:
    text = re.sub(r"\s+", "", str(text))
    return text if len(text) <= limit else text[:limit] + "…"


def _row_point(row: list[Cell], sheet: Sheet, year: int, points: list[Entry], plan: ImportPlan):
    """(the point a row updates, the address to name it by), or (None, None) after recording why
    not. A row is matched by its 序号 and its 工作要点 text together: a number whose point's text
    is not the row's text (a sheet sorted or filtered, a row inserted, numbers refilled) is refused,
    never applied to the numbered point; a row with text and no number is matched by its text."""
    number_cell, title_cell = _cell(row, sheet, "number"), _cell(row, sheet, "title")
    for cell in (number_cell, title_cell):
        if cell is not None and cell.problem:
            plan.problems.append(f"{sheet.where(cell)}: {cell.problem}")
            return None, None
    has_number = number_cell is not None and not _is_blank(number_cell.value)
    text = str(title_cell.value).strip() if title_cell is not None and not _is_blank(title_cell.value) else ""
    if len(text) > TITLE_CHARS:  # compared with every point's text: bounded like an imported cell
        plan.problems.append(
            f"{sheet.where(title_cell)}: 单元格有 {len(text)} 个字符，“工作要点”最多 {TITLE_CHARS} 个。"
            "请只写这一项的标题或原文。"
        )
        return None, None
    numbered = None
    if has_number:
        try:
            number = parse_number(number_cell)
        except CellError as exc:
            plan.problems.append(f"{sheet.where(number_cell)}: {exc}")
            return None, None
        numbered = next((p for p in points if p.data.number == number), None)
        if numbered is None:
            plan.problems.append(
                f"{sheet.where(number_cell)}: {year} 年工作要点中没有第 {number} 项。请核对序号（共 {len(points)} 项）。"
            )
            return None, None
        if not text:
            return numbered, sheet.where(number_cell)
    if not text:
        if any(
            _cell(row, sheet, c.key) is not None and not _is_blank(_cell(row, sheet, c.key).value)
            for c in COLUMNS
            if c.imported
        ):
            plan.problems.append(
                f"{sheet.path}: 第 {_row_number(row)} 行有内容，但没有序号也没有工作要点，不知道是哪一项。"
                "请填上序号或工作要点。"
            )
        return None, None
    scores = sorted(((text_score(text, p), p) for p in points), key=lambda sp: (-sp[0], sp[1].data.number))
    best_score, best = scores[0]
    where = sheet.where(title_cell)
    if numbered is not None:
        own = text_score(text, numbered)
        if own >= changes.SAME_POINT:
            return numbered, sheet.where(number_cell)
        said = f"序号 {number_cell.address} 是第 {numbered.data.number} 项“{_short(numbered.data.title)}”"
        if best_score >= changes.SAME_POINT:
            plan.problems.append(
                f"{where}: 这一行的工作要点是第 {best.data.number} 项“{_short(best.data.title)}”，但{said}。"
                "表格排序、筛选或插入行后，序号和工作要点可能错开了。请按网站上的原文核对这一行的序号，"
                "改正后再导入（不会把这一行写进任何一项）。"
            )
        else:
            plan.problems.append(
                f"{where}: 工作要点“{_short(text)}”与{said}对不上，也不像其他任何一项。"
                "请按网站上的原文改正这一格，或把它清空，只按序号导入。"
            )
        return None, None
    if best_score < changes.SAME_POINT:
        plan.problems.append(
            f"{where}: 工作要点“{_short(text)}”不像 {year} 年的任何一项。请填上序号，或按网站上的原文写工作要点。"
        )
        return None, None
    if len(scores) > 1 and scores[1][0] == best_score:
        plan.problems.append(
            f"{where}: 工作要点“{_short(text)}”既像第 {best.data.number} 项也像第 {scores[1][1].data.number} 项。"
            "请填上序号。"
        )
        return None, None
    return best, where


_SECTION_TEXT = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


def _section_row(row: list[Cell], sheet: Sheet) -> bool:
    """A row that heads a section of the breakdown (一、在……上见行动), often merged across the
    table: no point of its own, and nothing to import."""
    first = next((c for c in (_cell(row, sheet, "number"), _cell(row, sheet, "title")) if c and c.value), None)
    if first is None or not _SECTION_TEXT.match(str(first.value).strip()):
        return False
    others = {str(c.value).strip() for c in row if c.value not in (None, "") and c is not first}
    return others <= {str(first.value).strip()}


def _row_number(row: list[Cell]) -> int:
    return int(re.sub(r"\D", "", row[0].address))


def _row_change(point: Entry, row: list[Cell], sheet: Sheet, plan: ImportPlan) -> PointChange | None:
    current = point.data.model_dump()
    meta = dict(point.parsed.meta)
    change = PointChange(point, int(re.sub(r"\D", "", row[0].address)))
    cells: dict[str, Cell] = {}
    bad = False
    for key, parse in PARSERS.items():
        index = sheet.columns.get(key)
        if index is not None and index < len(row) and row[index].problem:
            plan.problems.append(f"{sheet.where(row[index])}: {row[index].problem}")
            bad = True
            continue
        if index is None or index >= len(row) or _is_blank(row[index].value):
            continue  # a blank cell leaves the page as it is
        cell = row[index]
        if key in ("lead_unit", "cooperating_units") and str(cell.value).strip() == "、".join(current[key]):
            continue  # as exported: a unit's own comma (@SUM(1,2)) must not split it on the way back
        cells[key] = cell
        if isinstance(cell.value, str) and len(cell.value) > FIELD_CHARS.get(key, ONE_LINE_CHARS):
            header = next(c.header for c in COLUMNS if c.key == key)
            plan.problems.append(
                f"{sheet.where(cell)}: 单元格有 {len(cell.value)} 个字符，“{header}”最多 "
                f"{FIELD_CHARS.get(key, ONE_LINE_CHARS)} 个。请删短后再导入（表格里的内容不会被截断后写入）。"
            )
            bad = True
            continue
        if isinstance(cell.value, str) and (hits := personal_data.find(cell.value)):
            public = point.visibility == "public" and not point.draft
            if public:  # refused: the page is published
                plan.problems.append(f"{sheet.where(cell)}: {personal_data.message(hits, public=True)}")
                bad = True
                continue
            plan.notes.append(f"{sheet.where(cell)}: {personal_data.message(hits, public=False)}")
        try:
            value = parse(cell, point.data.year) if key == "deadline" else parse(cell)
        except NoDeadline as exc:
            plan.notes.append(f"{sheet.where(cell)}: {exc}")
            continue
        except CellError as exc:
            plan.problems.append(f"{sheet.where(cell)}: {exc}")
            bad = True
            continue
        if key == "milestones":
            known = {(m["date"], m["note"]) for m in current["milestones"]}
            fresh = []
            for m in value:
                if (m["date"], m["note"]) not in known and m not in fresh:
                    fresh.append(m)
            if fresh:
                change.new_milestones = fresh
                meta["milestones"] = [*(meta.get("milestones") or []), *fresh]
                change.fields["milestones"] = meta["milestones"]
        elif value != current[key]:
            meta[key] = value
            change.fields[key] = value
    if change.fields.get("progress") == 100 and current["progress"] is None and meta.get("status") in progress.DONE:
        # What the sheet shows for a point completed without a percentage (progress.shown_progress):
        # read back, it records nothing new.
        del change.fields["progress"]
        meta.pop("progress", None)
    if bad or not change.changed:
        return None if bad else change
    # The same schema as `kb check`: a value the build would refuse never reaches a file.
    try:
        WorkPoint.model_validate(meta)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0])
            cell = cells.get(key)
            where = sheet.where(cell) if cell else f"{sheet.path}: 第 {change.row} 行"
            header = next((c.header for c in COLUMNS if c.key == key), key)
            plan.problems.append(f"{where}: “{header}”列：{_message(err, WorkPoint)}")
        return None
    return change


def describe(change: PointChange) -> list[str]:
    """What an import changes in one point, for the editor (zh)."""
    d = change.point.data
    lines = [f"docs/{change.point.src}（第 {d.number} 项 {d.title}）"]
    for key, new in change.fields.items():
        if key == "milestones":
            continue
        header = next(c.header for c in COLUMNS if c.key == key)
        lines.append(f"  {header}：{_shown(key, getattr(d, key))} → {_shown(key, new)}")
    for m in change.new_milestones:
        lines.append(f"  新增进展节点：{m['date'].isoformat()} {m['note']}")
    return lines


def _shown(key: str, value) -> str:
    if value in (None, []):
        return "尚未记录"
    if key == "status":
        return STATUS.label(value, "zh")
    if key == "progress":
        return progress.percent_text(value)
    if key in ("lead_unit", "cooperating_units"):
        return "、".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
