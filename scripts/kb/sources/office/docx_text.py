"""The text Word prints for each paragraph, and a plan's Word file as the issued-text form.

`plan_lines` turns a Word plan into the text form `plan_text.parse` reads, with the numbers Word
prints for automatic numbering, one line per paragraph; `paragraph_of_line` maps the parser's line
numbers back to paragraphs for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

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
    text: str  # the issued-text form, one line per paragraph (more where a paragraph has line breaks)
    paragraph_of_line: list[int]  # index = line number - 1


def _style(ppr: ET.Element | None) -> str | None:
    if ppr is None:
        return None
    return _val(ppr.find(f"{W}pStyle"))


def plan_lines(raw: bytes, name: str) -> PlanLines:
    """The Word plan as the text form `plan_text.parse` reads: each paragraph (a table row counts as
    one) on its own line, each automatic number as Word prints it before the paragraph's text."""
    z = load_docx(raw, name)
    document = parse_xml(z, "word/document.xml", name)
    numbering = Numbering(parse_xml(z, "word/numbering.xml", name), parse_xml(z, "word/styles.xml", name))
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        raise WordError(f"{name} 里没有正文：请用 Word 打开确认内容后重新另存为 .docx。")
    lines: list[str] = []
    para_of: list[int] = []
    counter = 0

    def add(text: str, para: int) -> None:
        if not any(line.strip() for line in lines) and text.strip().startswith("关于印发"):
            # a notice title set on two lines with a line break is still one title
            text = "".join(part.strip() for part in text.split("\n"))
        for line in text.split("\n"):
            lines.append(line)
            para_of.append(para)

    def para(p: ET.Element) -> str:
        nonlocal counter
        counter += 1
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

    def block_paragraphs(el: ET.Element) -> None:
        for child in el:
            if child.tag == f"{W}p":
                text = para(child)
                add(text, counter)
            elif child.tag == f"{W}tbl":
                for tr in child.iter(f"{W}tr"):
                    cells, first = [], None
                    for tc in tr.findall(f"{W}tc"):
                        texts = []
                        for p in tc.iter(f"{W}p"):
                            texts.append(para(p))
                            first = first or counter
                        cells.append("".join(texts))
                    if first is not None:
                        add("\t".join(c for c in cells if c.strip()), first)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
                block_paragraphs(child)

    block_paragraphs(body)
    return PlanLines("\n".join(lines) + "\n", para_of)


def paragraph_message(message: str, lines: PlanLines) -> str:
    """A parser message's "第 N 行" (line numbers of the text form) as paragraphs of the Word file."""

    def to_para(m: re.Match) -> str:
        n = int(m.group(1))
        return f"第 {lines.paragraph_of_line[n - 1]} 段" if 0 < n <= len(lines.paragraph_of_line) else m.group(0)

    return re.sub(r"第 (\d+) 行", to_para, message)
