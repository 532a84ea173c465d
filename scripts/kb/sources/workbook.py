"""Reading the office's spreadsheets (.xlsx and .csv) safely, for every importer that takes one.

A spreadsheet from outside is untrusted input: an .xlsx is a zip archive of XML, so a 1 MB file
can unpack to gigabytes, carry formulas whose cached result is missing or an error value
(`#DIV/0!`), hide sheets, rows and columns, or hold cells far longer than any field. Everything
here is refused with the file, sheet and cell (`FILE:sheet!E2`) and the fix, before anything is
written; nothing raises a traceback.

- The archive's central directory is checked BEFORE anything is unpacked: the total unpacked
  size, each entry's compression ratio and the number of entries (`LIMITS`). Python's zipfile
  stops an entry at the size the directory declares (and then fails its CRC), so the declared
  sizes are the ones that count.
- Worksheets are streamed (openpyxl's read-only mode; only cells that are present are kept), with
  the cached values Excel saved (never a formula's text). Nested XML entities ("billion laughs")
  are refused by the parsers themselves: expat (2.4+) streams the sheets, and openpyxl parses the
  small parts with lxml when it is installed, which stops at its amplification limit; both are
  tested (tests/test_sheet_safety.py) to refuse in under 2 s.
- A cell that is an Excel error, a formula without a cached value, or longer than `MAX_CELL`
  characters is a `CellProblem` with its address; importers refuse it.
- Merged cells take the value of their top-left cell (the office merges 类别 or 承办单位 over
  several rows); a title row above the header is skipped (`find_header`).
- Spreadsheet formula injection: values that start with `=`, `+`, `-`, `@`, tab or CR are written
  as text: in .xlsx as string cells (`set_text`), in .csv behind a `'` (`escape_csv`, as OWASP
  recommends); reading a .csv strips that `'` again (`unescape`), so export -> import is exact.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import encodings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20 * MB  # the file as sent (a year's proposals are tens of KB)
    unpacked_bytes: int = 100 * MB  # the sum of the archive's entries once unpacked
    ratio: int = 100  # unpacked / packed, per entry (Apache POI's default "min inflate ratio" 0.01)
    ratio_floor: int = 1 * MB  # entries smaller than this may compress better (empty styles, etc.)
    entries: int = 1000  # parts in the archive
    rows: int = 10000  # rows with content in one sheet
    columns: int = 100  # columns with content


LIMITS = Limits()
MAX_CELL = 32767  # Excel's own limit for a cell's text; importers set lower ones per field

# Excel's error values as they are cached in a saved file (and as Excel writes them to CSV).
ERROR_VALUES = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)


class WorkbookError(Exception):
    """The file cannot be read at all; the message (Chinese) names the file and the fix."""


@dataclass
class Cell:
    address: str  # "C7"
    value: object
    number_format: str = "General"
    problem: str | None = None  # why the value cannot be used (error value, formula without value, too long)
    merged_from: tuple[int, int] | None = None  # (row, column) of the merged range's top-left cell
    header_copy: bool = False  # blank: below the header, in a cell merged down from a heading


@dataclass
class Grid:
    """One sheet's cells as read: rows of cells, positional (index 0 is column A)."""

    path: str  # as shown in messages
    name: str | None  # the sheet's name; None for CSV
    rows: list[list[Cell]]
    hidden_rows: list[int] = field(default_factory=list)  # 1-based row numbers hidden in Excel

    def where(self, cell: Cell | str) -> str:
        address = cell.address if isinstance(cell, Cell) else cell
        return f"{self.path}:{self.name}!{address}" if self.name else f"{self.path}:{address}"


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- formula injection ------------------------------------------------------------------------------

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-\d+(?:\.\d+)?%?")


def runs_in_spreadsheet(value: str) -> bool:
    """Would Excel, WPS or LibreOffice take this text as a formula (OWASP "CSV injection")?"""
    return value.startswith(_TRIGGERS) and not _NUMBER.fullmatch(value)


def _needs_prefix(value: str) -> bool:
    # A value that already starts with the prefix and a trigger (or a second prefix) gets one more,
    # so that stripping one on the way back gives the value exactly.
    return runs_in_spreadsheet(value) or (
        value.startswith("'") and (value[1:2] == "'" or runs_in_spreadsheet(value[1:]))
    )


def escape_csv(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text a spreadsheet would run gets a leading `'`."""
    if isinstance(value, str) and _needs_prefix(value):
        return "'" + value
    return value


def unescape(value: object) -> object:
    """The value `escape_csv` was given (also after the office opened and re-saved the CSV)."""
    if isinstance(value, str) and value.startswith("'") and (value[1:2] == "'" or runs_in_spreadsheet(value[1:])):
        return value[1:]
    return value


def set_text(cell, value: object) -> None:
    """Set an openpyxl cell so that a string is always data, never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl takes a str starting with "=" for a formula otherwise
        if runs_in_spreadsheet(value):
            cell.quotePrefix = True  # Excel shows it as text and keeps it text when edited


# --- reading --------------------------------------------------------------------------------------


def _human(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def check_archive(data: bytes, shown: str, limits: Limits = LIMITS) -> None:
    """Refuse a zip whose central directory promises too much, before unpacking anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkbookError(
            f"{shown}: 文件已损坏，或不是 .xlsx 格式（.xlsx 是一个 zip 压缩包）。"
            "请在 Excel 或 WPS 中打开后“另存为” Excel 工作簿（.xlsx）再导入。"
        ) from None
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise WorkbookError(
            f"{shown}: 压缩包里有 {len(infos)} 个部件，超过上限 {limits.entries}。这不像一份普通的表格；"
            "请在 Excel 或 WPS 中打开后“另存为”新的 .xlsx 再导入。"
        )
    total = 0
    for info in infos:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and info.file_size / packed > limits.ratio:
            raise WorkbookError(
                f"{shown}: 压缩包中的 {info.filename} 解压后 {_human(info.file_size)}，是压缩后大小的 "
                f"{info.file_size // packed} 倍（上限 {limits.ratio} 倍）。这是“压缩炸弹”的特征，没有读取。"
                "请确认文件来源；正常的表格请在 Excel 或 WPS 中“另存为”新的 .xlsx 再导入。"
            )
    if total > limits.unpacked_bytes:
        raise WorkbookError(
            f"{shown}: 文件解压后共 {_human(total)}，超过上限 {_human(limits.unpacked_bytes)}，没有读取。"
            "请只保留要导入的工作表和行，另存为新的 .xlsx 再导入。"
        )


def _read_file(path: Path, shown: str, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise WorkbookError(f"{shown}: 找不到这个文件。请检查文件名和路径。") from None
    if size > limits.file_bytes:
        raise WorkbookError(
            f"{shown}: 文件有 {_human(size)}，超过上限 {_human(limits.file_bytes)}。请只保留要导入的工作表和行再导入。"
        )
    return path.read_bytes()


def _cell_problem(value: object, formula: bool, data_type: str) -> str | None:
    if data_type == "e" or (isinstance(value, str) and value.strip() in ERROR_VALUES):
        return f"单元格是错误值 {str(value).strip()}（公式算不出结果）。请改正公式，或把单元格改成要导入的文字或数字。"
    if formula and value is None:
        return "单元格是公式，但文件里没有保存计算结果。请在 Excel 或 WPS 中打开、保存后再导入，或把公式改成文字。"
    if isinstance(value, str) and len(value) > MAX_CELL:
        return f"单元格有 {len(value)} 个字符，超过表格单元格的上限 {MAX_CELL}。请删短后再导入。"
    return None


def _sheet_parser():
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """openpyxl's streaming worksheet parser, noting which cells hold a formula: with
        data_only it reports only the cached value, and None for a formula never calculated."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    return Parser


def _merged_ranges(parser) -> list[tuple[int, int, int, int]]:
    merged = getattr(parser, "merged_cells", None)
    out = []
    for rng in getattr(merged, "mergeCell", None) or []:
        from openpyxl.utils.cell import range_boundaries

        try:
            min_col, min_row, max_col, max_row = range_boundaries(rng.ref)
        except (TypeError, ValueError):
            continue
        out.append((min_col, min_row, max_col, max_row))
    return out


def _xlsx_grids(data: bytes, shown: str, limits: Limits) -> Iterator[tuple[Grid, str]]:
    """(grid, sheet state) for each worksheet, in the workbook's order."""
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; not the editor's concern
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # a renamed .xls, a damaged file, entity expansion refused by expat
        raise WorkbookError(
            f"{shown}: 无法作为 .xlsx 表格打开（{type(exc).__name__}）。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入。"
        ) from None
    try:
        yield from _sheets(wb, shown, limits)
    except WorkbookError:
        raise
    except Exception as exc:  # damaged XML, entity expansion refused by expat, a bad reference
        raise WorkbookError(
            f"{shown}: 无法作为 .xlsx 表格读取（{type(exc).__name__}）。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入。"
        ) from None
    finally:
        wb.close()


def _sheets(wb, shown: str, limits: Limits) -> Iterator[tuple[Grid, str]]:
    import warnings

    from openpyxl.cell.read_only import ReadOnlyCell

    Parser = _sheet_parser()
    for ws in wb.worksheets:
        if not hasattr(ws, "_get_source"):
            continue  # a chart sheet
        cells: dict[tuple[int, int], Cell] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with ws._get_source() as src:
                parser = Parser(
                    src,
                    ws._shared_strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                rows_seen = 0
                for _index, row in parser.parse():
                    present = [c for c in row if c["value"] is not None or c["formula"]]
                    if not present:
                        continue
                    rows_seen += 1
                    if rows_seen > limits.rows:
                        raise WorkbookError(
                            f"{shown}: 工作表“{ws.title}”有 {limits.rows} 行以上的内容，超过上限。"
                            "请把要导入的行放在一个新的工作表里再导入。"
                        )
                    for c in present:
                        if c["column"] > limits.columns:
                            raise WorkbookError(
                                f"{shown}:{ws.title}!{letter(c['column'] - 1)}{c['row']}: "
                                f"表格超过 {limits.columns} 列。请删去多余的列再导入。"
                            )
                        formula = c.pop("formula")
                        ro = ReadOnlyCell(ws, **c)
                        value = c["value"]
                        cells[(c["row"], c["column"])] = Cell(
                            f"{letter(c['column'] - 1)}{c['row']}",
                            value,
                            ro.number_format or "General",
                            _cell_problem(value, formula, c["data_type"]),
                        )
        # Merged cells: every cell of the range reads as the top-left one.
        for min_col, min_row, max_col, max_row in _merged_ranges(parser):
            top = cells.get((min_row, min_col))
            if top is None or (max_row - min_row + 1) * (max_col - min_col + 1) > limits.rows:
                continue
            for r in range(min_row, max_row + 1):
                for col in range(min_col, min(max_col, limits.columns) + 1):
                    if (r, col) != (min_row, min_col):
                        cells[(r, col)] = Cell(
                            f"{letter(col - 1)}{r}", top.value, top.number_format, top.problem, (min_row, min_col)
                        )
        hidden = sorted(
            int(r) for r, attrs in parser.row_dimensions.items() if str(attrs.get("hidden", "0")) in ("1", "true")
        )
        yield (
            Grid(shown, ws.title, _positional(cells), [r for r in hidden if any(k[0] == r for k in cells)]),
            (ws.sheet_state or "visible"),
        )


def _positional(cells: dict[tuple[int, int], Cell]) -> list[list[Cell]]:
    if not cells:
        return []
    max_row = max(r for r, _ in cells)
    max_col = max(c for _, c in cells)
    return [
        [cells.get((r, c)) or Cell(f"{letter(c - 1)}{r}", None) for c in range(1, max_col + 1)]
        for r in range(1, max_row + 1)
    ]


def _csv_grid(data: bytes, shown: str, limits: Limits) -> Grid:
    text, _ = encodings.office_text(data)  # WPS and Excel save CSV as GBK on Chinese Windows
    if text is None:
        raise WorkbookError(
            f"{shown}: 读不出文字（既不是 UTF-8 也不是 GBK 编码）。请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 再导入。"
        )
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for r, line in enumerate(reader, start=1):
            if len(line) > limits.columns and any(v.strip() for v in line[limits.columns :]):
                raise WorkbookError(
                    f"{shown}:{letter(limits.columns)}{r}: 表格超过 {limits.columns} 列。请删去多余的列再导入。"
                )
            row = []
            for c, v in enumerate(line[: limits.columns]):
                value = unescape(v) if v != "" else None
                row.append(Cell(f"{letter(c)}{r}", value, problem=_cell_problem(value, False, "s")))
            rows.append(row)
            if sum(1 for row in rows if any(c.value not in (None, "") for c in row)) > limits.rows:
                raise WorkbookError(f"{shown}: 有 {limits.rows} 行以上的内容，超过上限。请只保留要导入的行再导入。")
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise WorkbookError(
                f"{shown}: 第 {reader.line_num} 行有一个单元格超过 {csv.field_size_limit()} 个字符，没有读取。请删短后再导入。"
            ) from None
        raise WorkbookError(
            f"{shown}: 第 {reader.line_num} 行不是规范的 CSV（{exc}）。请在 Excel 或 WPS 中另存为 .xlsx 再导入。"
        ) from None
    return Grid(shown, None, rows)


def read_grids(path: Path | str, shown: str | None = None, limits: Limits = LIMITS) -> Iterator[tuple[Grid, str]]:
    """Every sheet of an .xlsx (or the one of a .csv) as (grid, state: visible/hidden/veryHidden)."""
    path = Path(path)
    shown = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        if suffix in (".xls", ".et", ".wps"):
            raise WorkbookError(
                f"{shown}: 不能直接导入 {suffix} 文件。请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）再导入。"
            )
        raise WorkbookError(f"{shown}: 只能导入 .xlsx 或 .csv 文件。.xls（Excel 97-2003）请先“另存为” .xlsx。")
    data = _read_file(path, shown, limits)
    if suffix == ".csv":
        if data.startswith(b"PK\x03\x04"):
            raise WorkbookError(f"{shown}: 这是一个 .xlsx 文件，却以 .csv 结尾。请把文件名改为 .xlsx 再导入。")
        yield _csv_grid(data, shown, limits), "visible"
        return
    check_archive(data, shown, limits)
    yield from _xlsx_grids(data, shown, limits)


def find_header(grid: Grid, is_header: Callable[[list[Cell]], bool], within: int = 10) -> int | None:
    """The 0-based index of the header row: the first of the first `within` rows that `is_header`
    accepts (a title row, often merged across the columns, may sit above it)."""
    for r, row in enumerate(grid.rows[:within]):
        if is_header(row):
            return r
    return None


def normalise_heading(value: object) -> str:
    """A heading as the office writes it, without spaces, line breaks or a trailing colon."""
    return re.sub(r"[\s:：*＊]+", "", str(value or "")).replace("（", "(").replace("）", ")")


def pick_sheet(
    path: Path | str, shown: str | None, is_header: Callable[[list[Cell]], bool], no_header: str
) -> tuple[Grid, int]:
    """The first visible sheet with a header row, and that row's index. A hidden sheet is never
    read: what the office cannot see in Excel does not reach the site."""
    hidden_with_header = None
    for grid, state in read_grids(path, shown):
        header = find_header(grid, is_header)
        if header is None:
            continue
        if state != "visible":
            hidden_with_header = hidden_with_header or grid.name
            continue
        # A heading merged down over two rows (序号 over rows 2-3, beside 完成情况 over 状态 and 进度)
        # is part of the header, not a value of the rows below it.
        header_number = header + 1
        for row in grid.rows[header + 1 :]:
            for i, cell in enumerate(row):
                if cell.merged_from and cell.merged_from[0] <= header_number:
                    row[i] = Cell(cell.address, None, header_copy=True)
        return grid, header
    if hidden_with_header:
        raise WorkbookError(
            f"{shown or path}: 表头所在的工作表“{hidden_with_header}”是隐藏的，没有读取。"
            "请在 Excel 或 WPS 中取消隐藏（右键工作表标签 → 取消隐藏），确认内容后再导入。"
        )
    raise WorkbookError(no_header)
