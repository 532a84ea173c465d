"""The task breakdown attached to an issued plan (附件：任务分解表): each point's 牵头单位, 配合单位 and
完成时限, read in the same `kb import plan` that reads the text.

The attachment is a table as offices lay it out: a header row (序号, 工作任务, 牵头单位, 配合单位,
完成时限, under the names task_sheet.COLUMNS knows), section rows (一、在……上见行动, often one cell
across the table), one row per point or several (a point split into measures, its 序号 merged down
over them: their units are joined), merged cells (the text form repeats a merged cell's text in
each row it covers), and 完成时限 as offices write it (全年, 年底, 6月底; 持续推进 and 长期 are no date).
A row names its point by 序号 and 工作任务 together, as the sheet import does: a row whose number
and text name different points, or that names none, is refused with its place in the file.

Messages name lines of the text form ("第 N 行"); the command turns them into places in the file
(第 40 段（表格第 3 行） for Word, 第 2 页第 5 行 for a PDF).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ...content import fields
from ...sources import workbook
from . import changes as plan_changes
from . import task_sheet
from .source_text import SECTION, Attachment, Line, PlanText, Point

IMPORTED = ("lead_unit", "cooperating_units", "deadline")
_SECTION_CELL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
# A note under the table (注：责任单位排在第一位的为牵头单位。), a paragraph of its own or a row across it
_NOTE = re.compile(r"^(?:注|说明|备注|填表说明)\s*[0-9０-９]*\s*[:：]")


def heading_key(text: str) -> str | None:
    """The column a heading names: the task sheet's headings and their aliases (task_sheet.COLUMNS)."""
    return task_sheet._header_key(text)


@dataclass
class PointTasks:
    number: int
    lead_unit: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    line: int = 0  # the first row that names the point

    def fields(self) -> dict:
        out: dict = {}
        if self.lead_unit:
            out["lead_unit"] = self.lead_unit
        if self.cooperating_units:
            out["cooperating_units"] = self.cooperating_units
        if self.deadline:
            out["deadline"] = self.deadline
        return out


@dataclass
class TaskTable:
    attachment: Attachment | None = None
    points: dict[int, PointTasks] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line of the text form, message)
    notes: list[str] = field(default_factory=list)


def _header(rows: list[Line]) -> tuple[int, dict[str, int]] | None:
    """The header row among the first rows, and the column of each field it names."""
    for k, row in enumerate(rows[:6]):
        columns: dict[str, int] = {}
        for i, cell in enumerate(row.cells):
            key = heading_key(cell)
            if key and key not in columns:
                columns[key] = i
        if ("number" in columns or "title" in columns) and any(key in columns for key in IMPORTED):
            return k, columns
    return None


def _normal(text: str) -> str:
    return task_sheet._normal(text)


def score(text: str, point: Point) -> float:
    """How well a row's 工作任务 names `point` (task_sheet.text_score, for a point not yet on the site)."""
    t = _normal(text)
    if not t:
        return 0.0
    title, body = _normal(point.title), _normal(point.body)
    if len(t) >= task_sheet.EXCERPT_CHARS and (t in title or t in body):
        return 1.0
    return max(plan_changes.similarity(t, title), plan_changes.similarity(t, body))


def _units(text: str) -> list[str]:
    # a cell's paragraphs come joined by spaces: each is a unit, as are parts split by 、，；
    return [u for part in text.split() for u in fields.split_units(part)]


def _cell(row: Line, index: int | None) -> str:
    cells = row.cells
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _point_of(row: Line, columns: dict[str, int], plan: PlanText, table: TaskTable) -> Point | None:
    number_text, title = _cell(row, columns.get("number")), _cell(row, columns.get("title"))
    numbered = None
    if number_text:
        try:
            number = task_sheet.parse_number(workbook.Cell("", number_text))
        except task_sheet.CellError:
            table.problems.append(
                (
                    row.number,
                    f"任务分解表这一行的序号“{number_text}”不是工作要点的序号：请核对原文（序号写数字，例如 5）。",
                )
            )
            return None
        numbered = next((p for p in plan.points if p.number == number), None)
        if numbered is None:
            table.problems.append(
                (
                    row.number,
                    f"任务分解表这一行的序号是 {number}，但工作要点只有 {len(plan.points)} 项：请核对附件表格与正文是否一致。",
                )
            )
            return None
        if not title or score(title, numbered) >= plan_changes.SAME_POINT:
            return numbered
    if not title:
        return None
    ranked = sorted(plan.points, key=lambda p: (-score(title, p), p.number))
    best = ranked[0]
    best_score = score(title, best)
    short = task_sheet._short(title)
    if numbered is not None:
        said = f"序号 {numbered.number} 是第 {numbered.number} 项“{task_sheet._short(numbered.title)}”"
        other = f"像第 {best.number} 项" if best_score >= plan_changes.SAME_POINT else "也不像其他任何一项"
        table.problems.append(
            (
                row.number,
                f"任务分解表这一行的工作任务“{short}”与{said}对不上，{other}。"
                "请核对附件表格与正文：序号和工作任务应说的是同一项。",
            )
        )
        return None
    if best_score < plan_changes.SAME_POINT:
        table.problems.append(
            (
                row.number,
                f"任务分解表这一行的工作任务“{short}”不像正文中的任何一项，也没有序号。"
                "请核对附件表格：每一行应是正文中的一项（写上序号，或照正文写工作任务）。",
            )
        )
        return None
    return best


def read(plan: PlanText) -> TaskTable:
    """The points' units and deadlines from the plan's task-breakdown attachment (the first
    attachment whose table has a header naming 序号 or 工作任务 and 牵头单位, 配合单位 or 完成时限)."""
    table = TaskTable()
    for attachment in plan.attachments:
        found = _header(attachment.rows)
        if found is None:
            if attachment.rows:
                table.notes.append(
                    f"{attachment.label}“{attachment.title[:30]}”不是任务分解表（找不到“序号”“工作任务”“牵头单位”这样的表头），没有导入。"
                )
            continue
        if table.attachment is not None:
            table.notes.append(f"{attachment.label}“{attachment.title[:30]}”是第二张任务分解表，没有导入。")
            continue
        table.attachment = attachment
        header, columns = found
        _read_rows(attachment.rows[header + 1 :], columns, plan, table)
    return table


def _section_row(row: Line, columns: dict[str, int]) -> bool:
    values = [c for c in row.cells if c.strip()]
    if not values:
        return True
    if len(set(values)) == 1 and (SECTION.match(values[0]) or _SECTION_CELL.match(values[0])):
        return True
    first = _cell(row, columns.get("number")) or _cell(row, columns.get("title"))
    return bool(first and (SECTION.match(first) or _SECTION_CELL.match(first))) and not any(
        _cell(row, columns.get(key)) for key in IMPORTED
    )


def _read_rows(rows: list[Line], columns: dict[str, int], plan: PlanText, table: TaskTable) -> None:
    for row in rows:
        if _section_row(row, columns):
            continue
        if _NOTE.match(row.text):
            table.notes.append(f"附件表格下的“{row.text[:20]}”是注释，不是任务，跳过。")
            continue
        point = _point_of(row, columns, plan, table)
        if point is None:
            if not any(row.cells[i].strip() for i in range(len(row.cells)) if i not in columns.values()) and not any(
                _cell(row, columns.get(k)) for k in ("number", "title")
            ):
                continue  # a note under the table, in a column of its own
            if not any(message for line, message in table.problems if line == row.number):
                table.problems.append(
                    (row.number, "任务分解表这一行既没有序号也没有工作任务，不知道是哪一项：请核对附件表格。")
                )
            continue
        tasks = table.points.setdefault(point.number, PointTasks(point.number, line=row.number))
        for key in ("lead_unit", "cooperating_units"):
            for unit in _units(_cell(row, columns.get(key))):
                if unit not in getattr(tasks, key) and unit not in task_sheet.NOT_RECORDED:
                    getattr(tasks, key).append(unit)
        text = _cell(row, columns.get("deadline"))
        if not text or text in task_sheet.NOT_RECORDED:
            continue
        plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        if plain in task_sheet.NO_DEADLINE:
            table.notes.append(
                f"第 {point.number} 项的完成时限是“{text}”，不是一个日期：网站上这一项的完成时限显示“尚未记录”。"
            )
            continue
        try:
            day = task_sheet.parse_deadline(workbook.Cell("", text), plan.year)
        except task_sheet.CellError as exc:
            table.problems.append((row.number, f"第 {point.number} 项的{exc}"))
            continue
        tasks.deadline = max(tasks.deadline, day) if tasks.deadline else day
