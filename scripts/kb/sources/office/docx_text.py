"""The text Word prints for each paragraph, and a plan's Word file as the issued-text form.

`plan_lines` turns a Word plan into the text form `plan_text.parse` reads, with the numbers Word
prints for automatic numbering, one line per paragraph; `paragraph_of_line` maps the parser's line
numbers back to paragraphs for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from . import visible
from .files import W, WordError, load_docx, parse_xml
from .numbering import Numbering, NumberingError, _val

_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr", f"{W}fldData"}


def _hidden(run: ET.Element) -> bool:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return False
    v = rpr.find(f"{W}vanish")
    return v is not None and _val(v, "1") not in ("0", "false")


def paragraph_text(p: ET.Element) -> str:
    """The text Word prints for a paragraph (without its automatic number): runs, tabs and line
    breaks, inside hyperlinks, insertions, fields and content controls; deleted and hidden text,
    field instructions and text boxes left out."""
    out: list[str] = []

    def walk(el: ET.Element) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{W}r":
                if _hidden(child):
                    continue
                for part in child:
                    t = part.tag
                    if t == f"{W}t":
                        out.append(part.text or "")
                    elif t == f"{W}tab":
                        out.append("\t")
                    elif t in (f"{W}br", f"{W}cr"):
                        out.append("\n")
                    elif t == f"{W}noBreakHyphen":
                        out.append("-")
                    elif t == f"{W}sym":
                        code = part.get(f"{W}char", "")
                        try:
                            ch = chr(int(code, 16))
                            out.append(ch if ch.isprintable() and not 0xF000 <= ord(ch) <= 0xF0FF else "")
                        except ValueError:
                            pass
            elif tag.endswith("}AlternateContent"):
                continue
            else:  # hyperlink, ins, fldSimple, smartTag, sdt, sdtContent, customXml, bdo, dir …
                walk(child)

    walk(p)
    return "".join(out)


@dataclass
class PlanLines:
    """The text form of a plan from a Word file or a PDF, and where each of its lines is there."""

    text: str  # the issued-text form, one line per paragraph (more where a paragraph has line breaks)
    where: list[str]  # index = line number - 1: "第 12 段", "第 40 段（表格第 3 行）", "第 2 页第 5 行"
    advice: str = ""  # added to a refusal: what to change in a file of this kind

    def at(self, line: int) -> str:
        """Where a line of the text form is, as the editor finds it in the file."""
        return self.where[min(max(line, 1), len(self.where)) - 1] if self.where else f"第 {line} 行"


def _style(ppr: ET.Element | None) -> str | None:
    if ppr is None:
        return None
    return _val(ppr.find(f"{W}pStyle"))


def _deleted_mark(p: ET.Element) -> bool:
    """A paragraph whose mark was deleted with track changes on: Word shows it joined to the next."""
    ppr = p.find(f"{W}pPr")
    rpr = ppr.find(f"{W}rPr") if ppr is not None else None
    return rpr is not None and rpr.find(f"{W}del") is not None


def plan_lines(raw: bytes, name: str) -> PlanLines:
    """The Word plan as the text form `plan_text.parse` reads: each paragraph on its own line, each
    automatic number as Word prints it before the paragraph's text; a table row on one line, its
    cells separated by tabs, in the table's columns (a merged cell's text in each row it covers,
    a cell spanning columns in the first of them). Page headers and footers are other parts of the
    package and never read."""
    z = load_docx(raw, name)
    document = parse_xml(z, "word/document.xml", name)
    styles = parse_xml(z, "word/styles.xml", name)
    numbering = Numbering(parse_xml(z, "word/numbering.xml", name), styles)
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        raise WordError(f"{name} 里没有正文：请用 Word 打开确认内容后重新另存为 .docx。")
    # What Word shows: text hidden directly or by a style, deleted text and field codes out.
    _, unseen = visible.clean_part(document, visible.RunFormats(styles), "word/document.xml")
    if unseen:
        raise WordError(visible.unseen_message(name, unseen))
    lines: list[str] = []
    where: list[str] = []
    counter = 0
    carried = ""  # text of paragraphs whose mark was deleted (tracked changes): joined to the next

    def add(text: str, at: str) -> None:
        if text.strip().startswith("关于") and "\n" in text.strip():
            # a notice title set on two lines with a line break is still one title
            text = "".join(part.strip() for part in text.split("\n"))
        for line in text.split("\n"):
            lines.append(line)
            where.append(at)

    def para(p: ET.Element) -> str:
        ppr = p.find(f"{W}pPr")
        text = paragraph_text(p)
        found = numbering.num_pr(ppr, _style(ppr))
        if found:
            try:
                label, suffix = numbering.label(*found)
            except NumberingError as exc:
                raise WordError(
                    f"{name}:第{counter}段: {exc.message}。请在 Word 中把这一段的编号重新设为“1.”这样的常用编号，"
                    "或改成手工输入的序号，再另存为 .docx。"
                ) from None
            text = label + suffix + text
        return text

    def table(tbl: ET.Element) -> None:
        nonlocal counter
        above: dict[int, str] = {}
        for k, tr in enumerate(tbl.findall(f"{W}tr"), 1):
            counter += 1
            trpr = tr.find(f"{W}trPr")
            before = trpr.find(f"{W}gridBefore") if trpr is not None else None
            col = int(_val(before, "0")) if before is not None else 0
            row: dict[int, str] = {}
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span_el = tcpr.find(f"{W}gridSpan") if tcpr is not None else None
                span = max(1, int(_val(span_el, "1"))) if span_el is not None else 1
                merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                texts = [para(p).replace("\t", " ").replace("\n", " ").strip() for p in tc.iter(f"{W}p")]
                text = " ".join(t for t in texts if t)
                if merge is not None and _val(merge, "continue") != "restart":
                    text = above.get(col, "")
                row[col] = text
                for extra in range(1, span):
                    row[col + extra] = ""
                col += span
            above = {**above, **row}
            width = max(row) + 1 if row else 0
            add("\t".join(row.get(c, "") for c in range(width)), f"第 {counter} 段（表格第 {k} 行）")

    def block_paragraphs(el: ET.Element) -> None:
        nonlocal counter, carried
        for child in el:
            if child.tag == f"{W}p":
                counter += 1
                text = carried + para(child)
                if _deleted_mark(child):
                    carried = text
                    continue
                carried = ""
                add(text, f"第 {counter} 段")
            elif child.tag == f"{W}tbl":
                table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
                block_paragraphs(child)

    block_paragraphs(body)
    if carried:
        add(carried, f"第 {counter} 段")
    return PlanLines("\n".join(lines) + "\n", where)


def located_message(message: str, lines: PlanLines) -> str:
    """A parser message's "第 N 行" (line numbers of the text form) as places in the file."""

    def to_place(m: re.Match) -> str:
        n = int(m.group(1))
        return lines.at(n) if 0 < n <= len(lines.where) else m.group(0)

    return re.sub(r"第 (\d+) 行", to_place, message)


paragraph_message = located_message
