"""A plan's PDF: its text layer read by the place of each piece of text on the page."""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
from dataclasses import dataclass, field

from .docx_text import PlanLines
from .files import WordError, refusal
from .pdf_overprint import Overprint
from .pdf_tables import TableRow, join_cells, rules, tables

# PDF makers often map a common character to the look-alike radical of the same glyph (门 printed,
# ⻔ U+2ED4 in the text layer). NFKC maps the Kangxi radicals; these simplified ones it does not.
_RADICALS = dict(
    zip(
        "⻅⻆⻉⻋⻓⻔⻙⻚⻛⻜⻢⻥⻦⻧⻨⻩⻪⻬⻮⻰⻄⻝⻣⻤⺠⺟⺩⻘⻗",
        "见角贝车长门韦页风飞马鱼鸟卤麦黄黾齐齿龙西食骨鬼民母王青雨",
        strict=True,
    )
)
# The dash of Chinese text (破折号, U+2014) comes out as the horizontal bar U+2015 (an old GBK
# mapping) and is put back in _fix_radicals.
_PAGE_NUMBER = re.compile(r"^[\s\-—–－]*[0-9０-９]{1,3}[\s\-—–－]*$")


PDF_ADVICE = (
    "这是 PDF 文件，无法在其中修改：请在 Word 原稿中改正后重新导出 PDF，或向发文单位要来 Word 原稿（.docx）导入。"
)


def _fix_radicals(text: str, name: str, page: int) -> str:
    out = []
    for ch in text:
        if ch == "―":
            ch = "—"
        if 0x2E80 <= ord(ch) <= 0x2FDF:
            fixed = _RADICALS.get(ch) or unicodedata.normalize("NFKC", ch)
            if 0x2E80 <= ord(fixed[0]) <= 0x2FDF:
                raise WordError(
                    f"{name} 第 {page} 页的文字层里有部首字符“{ch}”（U+{ord(ch):04X}），无法确定原字："
                    "PDF 的文字层不可靠，请改用 Word 原稿（.docx）导入。"
                )
            ch = fixed
        out.append(ch)
    return "".join(out)


@dataclass
class Chunk:
    """A piece of text as the page draws it."""

    x: float
    y: float
    size: float  # the text's height on the page, in points
    text: str
    fill: tuple  # the fill colour (DeviceGray, RGB or CMYK components)
    mode: int  # the text render mode (3: invisible)

    @property
    def width(self) -> float:
        # CJK glyphs are one em wide in every CJK font; Latin letters and digits about half
        return sum(self.size if ord(ch) > 0x2E7F else self.size * 0.5 for ch in self.text)


@dataclass
class PdfLine:
    page: int
    row: int  # the line's place on its page, counted from the top, as the editor counts
    x: float
    end: float
    y: float
    size: float
    text: str
    chunks: list[Chunk] = field(default_factory=list)
    table: TableRow | None = None  # a row of a ruled table: its cells separated by tabs in `text`


def _open(raw: bytes, name: str) -> list:
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise WordError(f"{name} 是加密的 PDF，无法读取：请用 Word 原稿（.docx）导入。")
        pages = list(reader.pages)
    except WordError:
        raise
    except Exception as exc:
        raise WordError(
            f"{name} 已损坏，无法作为 PDF 读取（{type(exc).__name__}）：请用 Word 原稿（.docx）导入。"
        ) from None
    if len(pages) > 200:
        raise WordError(f"{name} 有 {len(pages)} 页，不像一份工作要点：请确认选对了文件，或用 Word 原稿（.docx）导入。")
    return pages


def _chunks(page, name: str, number: int) -> tuple[list[Chunk], list[tuple], list[tuple], tuple | None]:
    """The page's text pieces with their place, size, fill colour and render mode, the filled
    rectangles drawn under them (x0, y0, x1, y1, colour): what a reader can see of each; the
    stroked straight segments ((x0, y0), (x1, y1)): with the thin rectangles, a table's borders;
    and where text is drawn over other text (x, y, size), if anywhere (pdf_overprint)."""
    over = Overprint(page)
    chunks: list[Chunk] = []
    rects: list[tuple] = []
    strokes: list[tuple] = []
    state = {"fill": (0.0,), "mode": 0, "size": 1.0, "stack": [], "path": [], "segments": [], "at": None}

    def place(x, y, cm):
        return (x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5])

    draws: dict[tuple[float, float], tuple] = {}

    def before(op, args, cm, tm):
        if op == b"q":
            state["stack"].append((state["fill"], state["mode"]))
        elif op == b"Q" and state["stack"]:
            state["fill"], state["mode"] = state["stack"].pop()
        elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
            with contextlib.suppress(TypeError, ValueError):
                state["fill"] = tuple(float(a) for a in args)
        elif op == b"Tr" and args:
            state["mode"] = int(args[0])
        elif op == b"Tf" and len(args) == 2:
            with contextlib.suppress(TypeError, ValueError):
                state["size"] = float(args[1])
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            # the state each piece is drawn with, by its place: the reader hands the text over later,
            # when the colour or size may have changed again
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[3]) or 1) * state["size"]
            draws[(round(x, 1), round(y, 1))] = (state["fill"], state["mode"], scale)
        elif op == b"re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            x0, y0 = x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]
            x1, y1 = (x + w) * cm[0] + (y + h) * cm[2] + cm[4], (x + w) * cm[1] + (y + h) * cm[3] + cm[5]
            state["path"].append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        elif op == b"m" and len(args) == 2:
            with contextlib.suppress(TypeError, ValueError):
                state["at"] = place(float(args[0]), float(args[1]), cm)
        elif op == b"l" and len(args) == 2 and state["at"] is not None:
            with contextlib.suppress(TypeError, ValueError):
                to = place(float(args[0]), float(args[1]), cm)
                state["segments"].append((state["at"], to))
                state["at"] = to
        elif op in (b"f", b"F", b"f*", b"B", b"B*"):
            rects.extend((*r, state["fill"]) for r in state["path"])
            state["path"], state["segments"] = [], []
        elif op in (b"S", b"s"):
            strokes.extend(state["segments"])
            for x0, y0, x1, y1 in state["path"]:  # a stroked rectangle: its four sides
                strokes.extend([((x0, y0), (x1, y0)), ((x0, y1), (x1, y1)), ((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))])
            state["path"], state["segments"] = [], []
        elif op == b"n":
            state["path"], state["segments"] = [], []
        over.operator(op, args, cm, state["size"])

    def visit(text, cm, tm, font, size):
        if not text or not text.strip("\n"):
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[3]) or 1) * (size or 1)
        fill, mode, drawn_size = draws.get((round(x, 1), round(y, 1)), (state["fill"], state["mode"], scale))
        chunks.append(Chunk(x, y, min(scale, drawn_size), text.replace("\n", ""), fill, mode))

    try:
        page.extract_text(visitor_text=visit, visitor_operand_before=before)
    except Exception as exc:
        raise WordError(
            f"{name} 第 {number} 页无法读取（{type(exc).__name__}）：请用 Word 原稿（.docx）导入。"
        ) from None
    return chunks, rects, strokes, over.found()


def _lines(chunks: list[Chunk], page: int) -> list[PdfLine]:
    """Pieces on one baseline are a line, in reading order; a wide gap between them is a tab."""
    groups: list[list[Chunk]] = []
    for chunk in sorted(chunks, key=lambda c: (-c.y, c.x)):
        if groups and abs(groups[-1][0].y - chunk.y) <= 0.3 * chunk.size:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    out = []
    for row, group in enumerate(groups, 1):
        group.sort(key=lambda c: c.x)
        text, end = "", None
        for c in group:
            if end is not None and c.x - end > 1.5 * c.size:
                text += "\t"
            text += c.text
            end = max(end or 0, c.x + c.width)
        # a line drawn in several pieces whose places the reader does not report: its width counts too
        end = max(end, group[0].x + sum(c.width for c in group))
        out.append(PdfLine(page, row, group[0].x, end, group[0].y, max(c.size for c in group), text, group))
    return out


def _table_line(row: TableRow, page: int) -> PdfLine:
    size = max((c.size for c in row.chunks), default=12.0)
    return PdfLine(page, 0, row.left, row.right, row.top, size, "\t".join(row.cells), row.chunks, row)


def _place(line: PdfLine) -> str:
    """Where a line is, as the editor finds it: 第 2 页第 5 行, or 第 4 页表格第 3 行."""
    if line.table is not None:
        return f"第 {line.page} 页表格第 {line.table.number} 行"
    return f"第 {line.page} 页第 {line.row} 行"


def _running_text(pages: list[list[PdfLine]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, row) of lines repeated at the same place on several pages near the top or the foot:
    running headers, footers, page numbers ("— 3 —", the digits may differ)."""
    seen: dict[tuple, set[int]] = {}
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            if 0.12 * height < line.y < 0.88 * height:
                continue
            key = (round(line.y / 4), re.sub(r"[0-9０-９]+", "#", line.text.strip()))
            seen.setdefault(key, set()).add(line.page)
    repeated = {key for key, found in seen.items() if len(found) >= 2 and len(found) >= len(pages) / 2}
    out = set()
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            outside = not 0.12 * height < line.y < 0.88 * height
            key = (round(line.y / 4), re.sub(r"[0-9０-９]+", "#", line.text.strip()))
            if outside and (key in repeated or _PAGE_NUMBER.match(line.text)):
                out.add((line.page, line.row))
    return out


def _hidden(line: PdfLine, rects: list[tuple], box, name: str) -> str | None:
    """Why readers cannot see (part of) a line that a text reader and a search engine would read:
    invisible render mode, drawn in the colour of what lies under it, too small to read, outside
    the page as cropped. (Text drawn on top of other text is found glyph by glyph from the drawing
    itself, pdf_overprint.py: the reader's places of pieces come too late to compare them.)"""
    x0, y0, x1, y1 = box
    for c in line.chunks:
        shown = c.text.strip()
        if not shown:
            continue
        if c.mode in (3, 7):
            return f"文字“{shown[:20]}”设为不显示（PDF 的隐藏文字），读者看不到，复制和搜索却读得到"
        if c.size < 3:
            return f"文字“{shown[:20]}”只有 {c.size:.1f} 磅，读者看不清"
        if not (x0 - 1 <= c.x <= x1 + 1 and y0 - 1 <= c.y <= y1 + 1):
            return f"文字“{shown[:20]}”在页面的显示范围之外，读者看不到"
        under = next(
            (r[4] for r in reversed(rects) if r[0] <= c.x <= r[2] and r[1] <= c.y <= r[3]),
            (1.0,),
        )
        if _colour(c.fill) == _colour(under):
            return f"文字“{shown[:20]}”的颜色与底色相同，读者看不到"
    return None


def _colour(components: tuple) -> tuple:
    """A fill colour as RGB rounded, whatever its colour space (gray, RGB, CMYK)."""
    v = [max(0.0, min(1.0, float(a))) for a in components]
    if len(v) == 1:
        v = v * 3
    elif len(v) == 4:
        c, m, y, k = v
        v = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    return tuple(round(a, 2) for a in v[:3])


def pdf_plan_lines(raw: bytes, name: str, block_starts: tuple[re.Pattern, ...]) -> PlanLines:
    """The text layer of a PDF plan as the text form, by layout: pieces placed in lines by their
    position (a wide gap kept as a tab); running headers, footers and page numbers (repeated at the
    same place on the pages) dropped; text readers cannot see refused with its page and line; the
    lines a paragraph wraps onto joined: a line that ends at the text block's right edge (measured
    from the page), followed by one that starts at the left margin (公文 indent each paragraph's
    first line) or, for a centred title, one centred under it, without a number of its own. The
    edge allows two characters: a browser moves an opening quote to the next line (禁则).
    `block_starts`: the patterns of lines that always start a paragraph (the plan's reader gives
    them: a section heading, a numbered point, 附件, the 版记's lines)."""

    pages = _open(raw, name)
    by_page: list[list[PdfLine]] = []
    table_rows: list[list[PdfLine]] = []
    overprints: list[tuple | None] = []
    heights: list[float] = []
    drawn: list[tuple[list[tuple], list[float]]] = []
    for number, page in enumerate(pages, 1):
        chunks, rects, strokes, overprinted = _chunks(page, name, number)
        overprints.append(overprinted)
        # a ruled table's text is read cell by cell (pdf_tables), the rest line by line
        found, rest = tables(chunks, *rules(rects, strokes))
        by_page.append(_lines(rest, number))
        table_rows.append([_table_line(row, number) for rows in found for row in rows])
        drawn.append((rects, [float(v) for v in page.cropbox]))
        heights.append(float(page.mediabox.height))
    running = _running_text(by_page, heights)
    body = []
    header: list[str] | None = None  # the header row of the table the pages are in
    cut: PdfLine | None = None  # the last row of the page before, when the page break cut it
    for lines, rows, (rects, box), overprinted in zip(by_page, table_rows, drawn, overprints, strict=True):
        kept = sorted([line for line in lines if (line.page, line.row) not in running] + rows, key=lambda ln: -ln.y)
        if kept and kept[0].table is not None and header is not None and kept[0].table.cells == header:
            kept.pop(0)  # a table going on from the page before, its header row repeated (重复标题行)
        if cut is not None and kept and kept[0].table is not None:
            # the rest of the row the page break cut: joined to it, cell by cell
            rest = kept.pop(0)
            cut.table.cells = join_cells(cut.table.cells, rest.table.cells)
            cut.text, cut.chunks = "\t".join(cut.table.cells), cut.chunks + rest.chunks
            cut.table.open_below = rest.table.open_below
        if kept:
            last = kept[-1]
            cut = last if last.table is not None and last.table.open_below else None
        elif cut is not None and not cut.table.open_below:
            cut = None
        row = 0
        for line in kept:  # counted as the editor counts: the page's text, not its header
            row += 1
            line.row = row
            if line.table is not None:
                row += line.table.lines - 1
                if line.table.number == 1:
                    header = line.table.cells
            if why := _hidden(line, rects, box, name):
                raise WordError(
                    f"{name}:{_place(line).replace(' ', '')}: {why}。这样的文字不能发布：请在 Word 原稿中删去它或改为正常显示，"
                    "重新导出 PDF；或向发文单位要来 Word 原稿（.docx）导入。"
                )
        if overprinted is not None and kept:
            x, y, size = overprinted
            line = min(kept, key=lambda ln: abs(ln.y - y) + (0 if ln.x <= x + size <= ln.end else size))
            raise WordError(
                f"{name}:{_place(line).replace(' ', '')}: 这一行（读出来是“{_fix_radicals(line.text, name, line.page).strip()[:20]}”）"
                "有文字叠印在另一段文字上面，"
                "读者只看得到上面的一段，复制、搜索和网站却会读到两段。这样的文字不能发布：请在 Word 原稿中删去被盖住的文字，"
                "重新导出 PDF；或向发文单位要来 Word 原稿（.docx）导入。"
            )
        body.append(kept)
    ends = [line.end for lines in body for line in lines if line.table is None]
    if not ends:
        raise WordError(refusal("pdf-scanned", name))
    block_right = max(ends)
    block_left = min(line.x for lines in body for line in lines if line.table is None)
    starts = block_starts
    paragraphs: list[str] = []
    where: list[str] = []
    previous: PdfLine | None = None
    for lines in body:
        page_right = max((line.end for line in lines if line.table is None), default=block_right)
        right = page_right if page_right > block_right - 4 * max((ln.size for ln in lines), default=12) else block_right
        for line in lines:
            text = _fix_radicals(line.text, name, line.page)
            s = text.strip()
            if line.table is not None or (previous is not None and previous.table is not None):
                paragraphs.append(text)  # a table's row is a line of its own, and never joins the next
                where.append(_place(line))
                previous = line
                continue
            fills = previous is not None and previous.end >= right - 2.5 * previous.size and "\t" not in previous.text
            at_margin = line.x <= block_left + 0.5 * line.size
            centred = (  # the second line of a wrapped centred title, narrower than the block
                previous is not None
                and previous.x <= block_left + 2.5 * line.size
                and line.x >= block_left + 3 * line.size
                and abs((line.x + line.end) / 2 - (block_left + right) / 2) <= 2 * line.size
            )
            same_size = previous is not None and abs(previous.size - line.size) <= 0.1 * line.size
            if fills and same_size and paragraphs and (at_margin or centred) and not any(p.match(s) for p in starts):
                paragraphs[-1] += s
            else:
                paragraphs.append(text)
                where.append(_place(line))
            previous = line
    if sum(len(p.strip()) for p in paragraphs) < 20:
        raise WordError(refusal("pdf-scanned", name))
    return PlanLines("\n".join(paragraphs) + "\n", where, PDF_ADVICE)
