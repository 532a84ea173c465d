"""`kb import proposals FILE.xlsx`: the office's list of proposals (提案) into docs/proposals/.

One record per (year, 提案号). A proposal not on the site yet becomes a new record made by
`kb new proposal`'s own scaffold (`scaffold.prepare`: the archetype, its comments, the slug
`2024-015-...`); one already there gets only the fields whose cells differ, through the
round-trip editor (`frontmatter_edit`), so importing the same list again changes no byte and an
updated list changes only what changed. A blank cell leaves the record's field as it is.

The sheet is read by `workbook` (archive limits, cached values only, error values and formulas
without a value refused, merged cells filled, title rows skipped, hidden sheets never read). Any
bad cell is reported as `FILE:sheet!E2: what is wrong and the fix`, and then nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ...content import fields, personal_data, vocab
from ...content.model import Entry, KnowledgeBase
from ...content.validate import _message
from ...sources import frontmatter_edit, scaffold, workbook
from ..plan.task_sheet import CellError, parse_date
from .model import PROPOSAL, PROPOSAL_STATUS, PROPOSER_KIND, SATISFACTION, Proposal


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the heading `kb` names in messages
    aliases: tuple[str, ...] = ()  # what office lists also write
    max_chars: int = 500  # longest text a cell may bring


# One table of every heading office lists use for each column; `kb` names a column by its first.
COLUMNS = (
    Column("number", "提案号", ("提案编号", "案号", "编号", "提案序号", "提案号码")),
    Column("title", "题目", ("案由", "提案题目", "提案案由", "标题", "提案名称", "题目/案由", "案由/题目")),
    Column("proposers", "提案人", ("提案者", "领衔人", "第一提案人", "提案人(领衔)", "提案委员"), 2000),
    Column("proposer_kind", "提案者类别", ("提案人类别", "提案形式", "提案方式")),
    Column("category", "类别", ("提案类别", "分类", "类型", "提案类型")),
    Column(
        "status",
        "办理状态",
        ("状态", "办理情况", "立案情况", "处理状态", "办理结果", "办复结果", "答复类别", "办理类别"),
    ),
    Column("handling_units", "承办单位", ("办理单位", "主办单位", "承办部门", "交办单位", "主办部门"), 2000),
    Column("reply_date", "答复日期", ("答复时间", "办复日期", "办复时间", "回复日期", "办结时间", "办结日期")),
    Column("satisfaction", "满意度", ("满意程度", "提案人意见", "反馈意见", "是否满意")),
    Column("year", "年度", ("年份", "提案年度")),
)
BY_HEADER = {workbook.normalise_heading(name): c for c in COLUMNS for name in (c.header, *c.aliases)}
# Headings of columns that are known and not imported (the site has no field for them): said once.
NOT_IMPORTED = ("序号", "备注", "协办单位", "协办部门", "会办单位", "联系电话", "联系方式", "分管领导")
# Rows that are no proposal: a total, a note under the table
_NOT_A_PROPOSAL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共计|注|说明|备注|填表说明)\s*[:：]?")
# 十一届三次会议 in a title row: its year comes from the site's settings (mkdocs.yml extra.sessions)
_SESSION = re.compile(r"(?P<session>[一二三四五六七八九十]+届[一二三四五六七八九十]+次(?:全体)?会议)")
HEADER_OF = {c.key: c.header for c in COLUMNS}
# The separators the editors' guide documents for 提案人 and 承办单位: 顿号, comma, semicolon, a new
# line; never inside brackets ("张三（民建，区政协委员）" is one proposer).
LIST_SEPARATORS = "、，,；;\n"
_OPENING, _CLOSING = "（(【[《“", "）)】]》”"
NOT_RECORDED = {"尚未记录", "未记录", "—", "-", "/", "无"}


def _key(value) -> str | None:
    column = BY_HEADER.get(workbook.normalise_heading(value)) if value not in (None, "") else None
    return column.key if column else None


def _is_header(row: list[workbook.Cell]) -> bool:
    keys = {_key(c.value) for c in row}
    return "number" in keys and "title" in keys


def _no_header(shown: str) -> str:
    return (
        f"{shown}: 找不到表头。表格前十行中应有一行列标题，至少包括“提案号”和“题目”（或“案由”）；"
        f"可识别的列：{'、'.join(c.header for c in COLUMNS)}。"
    )


@dataclass
class Row:
    number_cell: workbook.Cell
    year: int
    number: int
    values: dict[str, object]  # field -> value from the sheet (blank cells left out)
    cells: dict[str, workbook.Cell]


@dataclass
class Write:
    path: Path
    text: str
    new: bool
    lines: list[str]  # what changes, for the editor


@dataclass
class ImportPlan:
    writes: list[Write] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- cells to values ----------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", *NOT_RECORDED))


def parse_number(cell: workbook.Cell) -> int:
    v = cell.value
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and v >= 1:
        return int(v)
    m = re.fullmatch(r"(?:提案)?第?\s*0*(\d{1,5})\s*号?", unicodedata.normalize("NFKC", str(v)).strip())
    if not m or int(m.group(1)) < 1:
        raise CellError(f"提案号“{v}”不是编号。请写提案委员会的编号（正整数），例如 15 或 第15号。")
    return int(m.group(1))


def _coded(v: vocab.Vocabulary, what: str):
    def parse_coded(cell: workbook.Cell) -> str:
        code = v.code_for(cell.value)
        if code is None:
            allowed = "、".join(names["zh"] for names in v.labels.values())
            raise CellError(f"{what}“{str(cell.value).strip()}”不认识。请填写其中之一：{allowed}。")
        return code

    return parse_coded


def split_list(text: str) -> list[str]:
    """A cell's names, split on the documented separators outside brackets."""
    out, current, depth = [], [], 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        if ch in LIST_SEPARATORS and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [u.strip() for u in out if u.strip()]


def parse_list(cell: workbook.Cell) -> list[str]:
    return split_list(str(cell.value))


def parse_text(cell: workbook.Cell) -> str:
    if isinstance(cell.value, (dt.date, dt.datetime)):
        raise CellError("这里应是文字，表格却存成了日期。请把单元格设为“文本”后重新填写。")
    text = str(cell.value).strip()
    if isinstance(cell.value, float) and cell.value.is_integer():
        text = str(int(cell.value))
    return text


def parse_year(cell: workbook.Cell) -> int:
    m = re.fullmatch(r"(\d{4})\s*年?(?:度)?", parse_text(cell))
    if not m:
        raise CellError(f"年度“{cell.value}”不是年份。请写四位数的年份，例如 2024。")
    return int(m.group(1))


PARSERS = {
    "title": parse_text,
    "proposers": parse_list,
    "proposer_kind": _coded(PROPOSER_KIND, "提案者类别"),
    "category": parse_text,
    "status": _coded(PROPOSAL_STATUS, "办理状态"),
    "handling_units": parse_list,
    "reply_date": parse_date,
    "satisfaction": _coded(SATISFACTION, "满意度"),
}


def sheet_year(grid: workbook.Grid, header: int, path: Path) -> int | None:
    """The year the title row, the sheet's name or the file's name states ("2024年提案办理情况")."""
    texts = [str(c.value) for row in grid.rows[:header] for c in row if isinstance(c.value, str)]
    texts += [grid.name or "", path.stem]
    for text in texts:
        m = re.search(r"(?<!\d)(20\d{2}|19\d{2})\s*年", text) or re.match(r"\s*(20\d{2})(?!\d)", text)
        if m:
            return int(m.group(1))
    return None


# --- the import -----------------------------------------------------------------------------------


def read(path: Path | str, shown: str | None = None) -> tuple[workbook.Grid, int]:
    shown = shown or str(path)
    return workbook.pick_sheet(path, shown, _is_header, _no_header(shown))


def _refuse_coded_columns(grid, header: int, unknown: list[int], columns: dict[str, int], plan: ImportPlan) -> None:
    """A column whose heading `kb` does not know is skipped with a note, unless its cells are the
    words of a column it does know (办理状态, 满意度, 提案者类别): then it is refused, with its cells
    and the heading to use. A status column under another committee's heading must never be
    skipped silently (every proposal would go out as 尚未记录)."""
    for i in unknown:
        heading = str(grid.rows[header][i].value).strip()
        values = [
            str(row[i].value).strip()
            for row in grid.rows[header + 1 :]
            if i < len(row) and row[i].value not in (None, "") and not row[i].header_copy and not _note_row(row)
        ]
        for key in ("status", "satisfaction", "proposer_kind"):
            v = fields.vocabulary_of(Proposal, key)
            known = [x for x in values if v.code_for(x)]
            if values and len(known) * 2 >= len(values) and key not in columns:
                shown = "、".join(dict.fromkeys(values))[:60]
                plan.problems.append(
                    f"{grid.where(f'{workbook.letter(i)}{header + 1}')}: 列“{heading}”认不出，但其中的“{shown}”是{HEADER_OF[key]}。"
                    f"请把列标题改为“{HEADER_OF[key]}”再导入（不会把它当作不认识的列跳过）。"
                )
                break
        else:
            plan.notes.append(
                f"忽略不认识的列 {workbook.letter(i)}“{heading}”。可识别的列：{'、'.join(c.header for c in COLUMNS)}。"
            )


def _note_row(cells: list[workbook.Cell]) -> bool:
    """A 合计 or 注 row (a note merged across the table fills every cell of its row)."""
    first_text = next((str(c.value).strip() for c in cells if c.value not in (None, "")), "")
    return bool(_NOT_A_PROPOSAL.match(first_text))


def _session_year(grid, header: int, sessions: dict | None, plan: ImportPlan) -> int | None:
    """The year of the session a title row names (区政协十一届三次会议以来…), from the table editors
    keep in mkdocs.yml (extra: sessions: {十一届三次会议: 2024})."""
    texts = [str(c.value) for row in grid.rows[:header] for c in row if isinstance(c.value, str)]
    for text in texts:
        if m := _SESSION.search(text):
            session = m["session"].replace("全体", "")
            table = {str(k).replace("全体", ""): v for k, v in (sessions or {}).items()}
            if session in table:
                return int(table[session])
            plan.problems.append(
                f"{grid.path}: 标题行“{text.strip()[:40]}”写的是“{session}”，网站设置里没有这次会议对应的年度。"
                f"请在 mkdocs.yml 的 extra: sessions: 下加一行“{session}: 年度”（例如 {session}: 2024），或加 --year 2024。"
            )
            return None
    return None


def plan_import(
    kb: KnowledgeBase,
    docs: Path,
    path: Path | str,
    *,
    year: int | None = None,
    shown: str | None = None,
    sessions: dict | None = None,
) -> ImportPlan:
    path = Path(path)
    shown = shown or str(path)
    plan = ImportPlan()
    try:
        grid, header = read(path, shown)
    except workbook.WorkbookError as exc:
        plan.problems.append(str(exc))
        return plan
    columns: dict[str, int] = {}
    unknown: list[int] = []
    for i, cell in enumerate(grid.rows[header]):
        key = _key(cell.value)
        if key and key not in columns:
            columns[key] = i
        elif key and cell.merged_from is not None:
            continue  # one heading merged over several columns (办理情况 over two rows' headings)
        elif key:
            first = workbook.letter(columns[key])
            plan.problems.append(
                f"{grid.where(cell)}: 列“{str(cell.value).strip()}”和 {first} 列“{grid.rows[header][columns[key]].value}”"
                f"都是“{HEADER_OF[key]}”，不知道以哪一列为准。请删去其中一列，或把不是{HEADER_OF[key]}的那一列改个标题。"
            )
        elif workbook.normalise_heading(cell.value) in NOT_IMPORTED:
            plan.notes.append(f"{workbook.letter(i)} 列“{str(cell.value).strip()}”网站没有对应的字段，不导入。")
        elif cell.value not in (None, ""):
            unknown.append(i)
    # A two-row header: headings merged down over both rows, and a group heading (办理情况) over
    # its own headings (办理状态, 承办单位) in the second row.
    below = grid.rows[header + 1] if header + 1 < len(grid.rows) else []
    if any(c.header_copy for c in below):
        for i, cell in enumerate(below):
            key = _key(cell.value)
            if key and key not in columns:
                columns[key] = i
                plan.notes[:] = [n for n in plan.notes if not n.startswith(f"忽略不认识的列 {workbook.letter(i)}“")]
    _refuse_coded_columns(grid, header, unknown, columns, plan)
    if grid.hidden_rows:
        plan.notes.append(
            f"第 {'、'.join(map(str, grid.hidden_rows[:10]))} 行在表格中是隐藏的，也会导入。请在 Excel 中取消隐藏，确认内容。"
        )
    default_year = year or sheet_year(grid, header, path)
    session_said = False  # the title row's session has no year in the settings: said once, not per row
    if default_year is None:
        before = len(plan.problems)
        default_year = _session_year(grid, header, sessions, plan)
        session_said = len(plan.problems) > before
    existing = {(e.data.year, e.data.number): e for e in kb.entries.values() if e.collection is PROPOSAL}

    def public(ident: tuple[int, int]) -> bool:
        """A new proposal is public; one already on the site as its page says."""
        entry = existing.get(ident)
        return entry is None or (entry.visibility == "public" and not entry.draft)

    rows = _rows(grid, header, columns, default_year, plan, public, session_said=session_said)
    for row in rows:
        entry = existing.get((row.year, row.number))
        if entry is None:
            _new_record(docs, row, grid, plan)
        else:
            _update_record(docs, entry, row, grid, plan)
    return plan


def _rows(
    grid: workbook.Grid,
    header: int,
    columns: dict[str, int],
    default_year,
    plan: ImportPlan,
    public=lambda ident: True,
    *,
    session_said=False,
) -> list[Row]:
    rows, seen = [], {}
    for cells in grid.rows[header + 1 :]:
        if not any(c.value not in (None, "") for c in cells) and not any(c.problem for c in cells):
            continue
        number_cell = cells[columns["number"]] if columns["number"] < len(cells) else None
        if number_cell is not None and number_cell.header_copy:
            continue  # a second header row (提案号 merged down over it)
        first_text = next((str(c.value).strip() for c in cells if c.value not in (None, "")), "")
        if _note_row(cells):
            plan.notes.append(f"第 {_row_number(cells)} 行“{first_text[:20]}”不是提案（合计、注释），跳过。")
            continue
        if number_cell is None or (number_cell.problem is None and _blank(number_cell.value)):
            if any(c.value not in (None, "") for c in cells):
                where = grid.where(f"{workbook.letter(columns['number'])}{_row_number(cells)}")
                plan.problems.append(f"{where}: 这一行没有提案号。请填写提案委员会的编号；不是提案的行请删去。")
            continue
        bad = False
        values, used = {}, {}
        try:
            if number_cell.problem:
                raise CellError(number_cell.problem)
            number = parse_number(number_cell)
        except CellError as exc:
            plan.problems.append(f"{grid.where(number_cell)}: {exc}")
            continue
        row_year = default_year
        if "year" in columns and columns["year"] < len(cells) and not _blank(cells[columns["year"]].value):
            try:
                if cells[columns["year"]].problem:
                    raise CellError(cells[columns["year"]].problem)
                row_year = parse_year(cells[columns["year"]])
            except CellError as exc:
                plan.problems.append(f"{grid.where(cells[columns['year']])}: {exc}")
                bad = True
        if row_year is None and not bad:
            if not session_said:
                plan.problems.append(
                    f"{grid.where(number_cell)}: 看不出这件提案是哪一年的。请加上 --year（例如 --year 2024），"
                    "或在表格中加一列“年度”，或在标题行写明“2024年”。"
                )
            bad = True
        ident = (row_year, number)
        if row_year is not None and ident in seen:
            plan.problems.append(
                f"{grid.where(number_cell)}: {row_year} 年第 {number} 号提案重复出现（{seen[ident]} 已有一行）。"
                "请删去其中一行，或改正提案号。"
            )
            continue
        seen[ident] = number_cell.address
        for key, parse_cell in PARSERS.items():
            index = columns.get(key)
            if index is None or index >= len(cells):
                continue
            cell = cells[index]
            if cell.problem:
                plan.problems.append(f"{grid.where(cell)}: {cell.problem}")
                bad = True
                continue
            if _blank(cell.value):
                continue
            limit = next(c.max_chars for c in COLUMNS if c.key == key)
            if isinstance(cell.value, str) and len(cell.value) > limit:
                plan.problems.append(
                    f"{grid.where(cell)}: 单元格有 {len(cell.value)} 个字符，“{HEADER_OF[key]}”最多 {limit} 个。"
                    "请删短后再导入（表格里的内容不会被截断后写入）。"
                )
                bad = True
                continue
            if isinstance(cell.value, str) and (hits := personal_data.find(cell.value)):
                if public(ident):  # refused: the proposal is published
                    plan.problems.append(f"{grid.where(cell)}: {personal_data.message(hits, public=True)}")
                    bad = True
                    continue
                plan.notes.append(f"{grid.where(cell)}: {personal_data.message(hits, public=False)}")
            try:
                values[key] = parse_cell(cell)
                used[key] = cell
            except CellError as exc:
                plan.problems.append(f"{grid.where(cell)}: {exc}")
                bad = True
        if bad:
            continue
        rows.append(Row(number_cell, row_year, number, values, used))
    return rows


def _row_number(cells: list[workbook.Cell]) -> int:
    return int(re.sub(r"\D", "", cells[0].address))


def _shown(key: str, value) -> str:
    if value in (None, [], ""):
        return "尚未记录"
    v = fields.vocabulary_of(Proposal, key)
    if v is not None and value in v.labels:
        return v.label(value, "zh")
    if isinstance(value, list):
        return "、".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _schema_problems(grid: workbook.Grid, row: Row, errors, plan: ImportPlan) -> None:
    for err in errors:
        key = str(err["loc"][0]) if err["loc"] else ""
        cell = row.cells.get(key)
        where = grid.where(cell) if cell else grid.where(row.number_cell)
        plan.problems.append(f"{where}: “{HEADER_OF.get(key, key)}”列：{_message(err, Proposal)}")


def _passes_check(text: str, path: Path, grid: workbook.Grid, row: Row, plan: ImportPlan) -> bool:
    """What is written must pass `kb check`: the same parser and schema, on the text itself."""
    problems = frontmatter_edit.problems_in(text, path, Proposal)
    for message in problems:
        plan.problems.append(f"{grid.where(row.number_cell)}: 写入 {path.name} 后无法通过检查：{message}")
    return not problems


def _new_record(docs: Path, row: Row, grid: workbook.Grid, plan: ImportPlan) -> None:
    values = dict(row.values)
    title = values.pop("title", None)
    if not title:
        plan.problems.append(
            f"{grid.where(row.number_cell)}: {row.year} 年第 {row.number} 号提案还不在网站上，新建需要题目。"
            f"请在“{HEADER_OF['title']}”列填写提案题目。"
        )
        return
    try:
        Proposal.model_validate({"title": title, "year": row.year, "number": row.number, **values})
    except ValidationError as exc:
        _schema_problems(grid, row, exc.errors(), plan)
        return
    fields = {"year": row.year, "number": row.number}
    for key, value in values.items():
        # a list stays the list split here (kb new's own splitting would cut "张三（民建，区政协委员）")
        fields[key] = value.isoformat() if isinstance(value, dt.date) else value
    slug = scaffold.slugify(title)
    if (docs / PROPOSAL.folder / f"{row.year}-{row.number:03d}-{slug}.md").exists():
        plan.problems.append(
            f"{grid.where(row.number_cell)}: 要新建的文件 docs/{PROPOSAL.folder}/{row.year}-{row.number:03d}-{slug}.md "
            f"已经存在，但其中不是 {row.year} 年第 {row.number} 号提案。请打开该文件核对年度（year）和提案号（number）。"
        )
        return
    try:
        # kb new's own scaffold: the archetype, and the same check kb check makes
        from .. import REGISTRY  # every collection, for the work points a record names

        path, text = scaffold.prepare(docs, PROPOSAL, REGISTRY, title=title, date=None, slug=slug, fields=fields)
    except scaffold.ScaffoldError as exc:
        plan.problems.append(f"{grid.where(row.number_cell)}: {exc}")
        return
    lines = [f"新建 {_rel(path, docs)}（{row.year} 年第 {row.number} 号 {title}）"]
    plan.writes.append(Write(path, text, True, lines))


def _update_record(docs: Path, entry: Entry, row: Row, grid: workbook.Grid, plan: ImportPlan) -> None:
    current = entry.data.model_dump()
    changes = {k: v for k, v in row.values.items() if v != current.get(k)}
    if not changes:
        plan.unchanged += 1
        return
    meta = {**dict(entry.parsed.meta), **changes}
    try:
        Proposal.model_validate(meta)
    except ValidationError as exc:
        _schema_problems(grid, row, exc.errors(), plan)
        return
    path = docs / entry.src
    text = frontmatter_edit.update_text(path.read_text("utf-8"), changes, Proposal)
    if _passes_check(text, path, grid, row, plan):
        lines = [f"更新 {_rel(path, docs)}（{row.year} 年第 {row.number} 号 {entry.data.title}）"]
        lines += [f"  {HEADER_OF[k]}：{_shown(k, current.get(k))} → {_shown(k, v)}" for k, v in changes.items()]
        plan.writes.append(Write(path, text, False, lines))


def _rel(path: Path, docs: Path) -> str:
    return f"docs/{path.relative_to(docs).as_posix()}"
