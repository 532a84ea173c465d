"""A plan's PDF: its text layer read by the place of each piece of text on the page."""

from __future__ import annotations

import io
import re
import unicodedata

from .docx_text import PlanLines
from .files import WordError, refusal

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


def pdf_plan_lines(raw: bytes, name: str) -> PlanLines:
    """The text layer of a PDF plan as the text form: characters placed in lines by their position,
    a wide gap kept as a tab, page numbers dropped, and the lines a paragraph wraps onto joined
    (a line that fills the measure, followed by one that starts at the left margin without a
    number, goes on the same paragraph: 公文 indent each paragraph's first line)."""
    import logging

    import pypdf

    from ..plan_text import ATTACHMENT, IMPRINT, POINT, SECTION

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
    paragraphs: list[str] = []
    where: list[str] = []
    previous: tuple[float, float, float] | None = None  # (right end, right margin, size) of the last line
    for number, page in enumerate(pages, 1):
        chunks: list[tuple[float, float, float, str]] = []

        def visit(text, cm, tm, font, size, chunks=chunks):
            if not text or not text.strip("\n"):
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) or abs(tm[0]) or 1) * (size or 1)
            chunks.append((x, y, scale, text.replace("\n", "")))

        try:
            page.extract_text(visitor_text=visit)
        except Exception as exc:
            raise WordError(
                f"{name} 第 {number} 页无法读取（{type(exc).__name__}）：请用 Word 原稿（.docx）导入。"
            ) from None
        lines: list[list[tuple[float, float, float, str]]] = []
        for chunk in sorted(chunks, key=lambda c: (-c[1], c[0])):
            if lines and abs(lines[-1][0][1] - chunk[1]) <= 0.3 * chunk[2]:
                lines[-1].append(chunk)
            else:
                lines.append([chunk])
        texts = []
        for line in lines:
            line.sort(key=lambda c: c[0])
            text, end = "", None
            for x, _, size, part in line:
                if end is not None and x - end > 1.5 * size:
                    text += "\t"
                text += part
                end = x + sum(size if ord(ch) > 0x2E7F else size * 0.5 for ch in part)
            if _PAGE_NUMBER.match(text):
                continue
            texts.append((line[0][0], end or line[0][0], line[0][2], _fix_radicals(text, name, number)))
        if not texts:
            continue
        left = min(t[0] for t in texts)
        right = max(t[1] for t in texts)
        for row, (x, end, size, text) in enumerate(texts, 1):
            s = text.strip()
            starts_block = any(p.match(s) for p in (SECTION, POINT, ATTACHMENT, IMPRINT))
            if (
                previous is not None
                and paragraphs
                and previous[0] >= previous[1] - 2 * previous[2]
                and x <= left + 0.5 * size
                and not starts_block
            ):
                paragraphs[-1] += s
            else:
                paragraphs.append(text)
                where.append(f"第 {number} 页第 {row} 行")
            previous = (end, right, size)
    if sum(len(p.strip()) for p in paragraphs) < 20:
        raise WordError(refusal("pdf-scanned", name))
    return PlanLines("\n".join(paragraphs) + "\n", where, PDF_ADVICE)
