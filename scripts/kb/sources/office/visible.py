"""What a Word document shows its readers, and only that.

Offices keep internal remarks in text formatted as hidden (w:vanish, directly or through a
character or paragraph style), leave deleted and moved-away text in tracked changes, and Word
prints a field's last result, not its code. pandoc's Word reader keeps hidden text, and drops the
result of a simple field (w:fldSimple) with its code. So a record is converted from the document
as Word shows it (`visible_document`): hidden runs, deleted and moved-away text and field codes
taken out, simple fields replaced by their results, the file's properties (docProps: a title or
author nobody sees in the document) left behind. Text that is there but cannot be seen (white on
white, a size no one can read) is refused with its paragraph, since what it is meant to be is a
question for the editor, not for the importer.

`RunFormats` resolves a run's formatting through styles.xml (document defaults, the paragraph's
style and the run's character style, each through basedOn), the way Word does for what matters
here; the plan's reader (docx_text.plan_lines) cleans its document the same way.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"

# Word's smallest readable print: text under 4 pt (w:sz is in half-points) is a hiding place.
MIN_HALF_POINTS = 8
# …nor is text squeezed to a sliver (Font → Advanced → Scale, which offers down to 1 %).
MIN_SCALE = 50
# Parts whose runs readers see: the body, footnotes and endnotes (pandoc reads those three).
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
# Removed with everything in them: deleted and moved-away text, deleted field codes.
_REMOVED = {f"{W}del", f"{W}moveFrom", f"{W}delText", f"{W}delInstrText"}
_WHITE = {"ffffff", "white", "background1"}


def _val(el: ET.Element | None, default: str | None = None) -> str | None:
    return el.get(f"{W}val", default) if el is not None else default


def _on(el: ET.Element | None) -> bool | None:
    """A toggle property (w:vanish …): None when not set here."""
    if el is None:
        return None
    return _val(el, "1").lower() not in ("0", "false", "off")


@dataclass
class Format:
    hidden: bool | None = None
    colour: str | None = None  # w:color/@w:val, or a theme colour name
    half_points: int | None = None
    shaded: bool | None = None  # a background (shading or highlight) that is not white
    scale: int | None = None  # w:w, the width of the characters in per cent

    def over(self, base: Format) -> Format:
        """This formatting applied over `base`."""
        return Format(
            self.hidden if self.hidden is not None else base.hidden,
            self.colour if self.colour is not None else base.colour,
            self.half_points if self.half_points is not None else base.half_points,
            self.shaded if self.shaded is not None else base.shaded,
            self.scale if self.scale is not None else base.scale,
        )


def _format(rpr: ET.Element | None) -> Format:
    if rpr is None:
        return Format()
    hidden = _on(rpr.find(f"{W}vanish"))
    if _on(rpr.find(f"{W}specVanish")):
        hidden = True
    colour = None
    if (c := rpr.find(f"{W}color")) is not None:
        colour = (c.get(f"{W}themeColor") or _val(c) or "").lower() or None
    size = None
    if (s := rpr.find(f"{W}sz")) is not None and (_val(s) or "").isdigit():
        size = int(_val(s))
    shaded = None
    shd, highlight = rpr.find(f"{W}shd"), rpr.find(f"{W}highlight")
    if shd is not None or highlight is not None:
        fill = (shd.get(f"{W}fill", "") if shd is not None else "").lower()
        mark = (_val(highlight) or "").lower()
        shaded = fill not in ("", "auto", "ffffff") or mark not in ("", "none", "white")
    scale = None
    if (w := rpr.find(f"{W}w")) is not None and (_val(w) or "").isdigit():
        scale = int(_val(w))
    return Format(hidden, colour, size, shaded, scale)


class RunFormats:
    """Run formatting as Word resolves it: direct, then the character style, then the paragraph
    style's run properties, then the document defaults (each style through basedOn)."""

    def __init__(self, styles: ET.Element | None):
        self.own: dict[str, Format] = {}
        self.based: dict[str, str] = {}
        self.defaults = Format()
        self.default_paragraph: str | None = None
        if styles is None:
            return
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = _format(defaults)
        for st in styles.iter(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if not sid:
                continue
            self.own[sid] = _format(st.find(f"{W}rPr"))
            if (b := st.find(f"{W}basedOn")) is not None and _val(b):
                self.based[sid] = _val(b)
            if st.get(f"{W}type") == "paragraph" and st.get(f"{W}default") in ("1", "true"):
                self.default_paragraph = sid

    def style(self, sid: str | None) -> Format:
        out, seen = Format(), set()
        while sid and sid not in seen:
            seen.add(sid)
            out = out.over(self.own.get(sid, Format()))
            sid = self.based.get(sid)
        return out

    def of(self, run: ET.Element, paragraph_style: str | None) -> Format:
        rpr = run.find(f"{W}rPr")
        char_style = _val(rpr.find(f"{W}rStyle")) if rpr is not None else None
        paragraph = self.style(paragraph_style or self.default_paragraph)
        return _format(rpr).over(self.style(char_style)).over(paragraph).over(self.defaults)

    def hidden(self, run: ET.Element, paragraph_style: str | None) -> bool:
        return bool(self.of(run, paragraph_style).hidden)


def paragraph_style(p: ET.Element) -> str | None:
    ppr = p.find(f"{W}pPr")
    return _val(ppr.find(f"{W}pStyle")) if ppr is not None else None


def _paragraph_shaded(p: ET.Element, cell_shaded: bool) -> bool:
    ppr = p.find(f"{W}pPr")
    shd = ppr.find(f"{W}shd") if ppr is not None else None
    if shd is not None:
        return shd.get(f"{W}fill", "").lower() not in ("", "auto", "ffffff")
    return cell_shaded


def _cell_shaded(tc: ET.Element) -> bool:
    shd = tc.find(f"{W}tcPr/{W}shd")
    return shd is not None and shd.get(f"{W}fill", "").lower() not in ("", "auto", "ffffff")


def _run_text(run: ET.Element) -> str:
    return "".join(t.text or "" for t in run.iter(f"{W}t"))


@dataclass(frozen=True)
class Unseen:
    """Text in the document that readers of the Word file cannot see."""

    paragraph: int  # 1-based, counting the part's paragraphs in order
    part: str
    text: str
    why: str  # "白色" or "字号 1.5 磅"


@dataclass
class Cleaned:
    parts: dict[str, bytes]  # part name -> its XML as Word shows it
    hidden_runs: int  # hidden runs taken out
    unseen: list[Unseen]
    paragraphs: list[tuple[str, int, str]] = field(default_factory=list)  # (part, number, text) as shown


def paragraph_texts(root: ET.Element) -> list[str]:
    """The text of each paragraph of a part (cleaned), in document order."""
    out = []
    for p in root.iter(f"{W}p"):
        out.append(
            "".join((t.text or "") if t.tag == f"{W}t" else "\t" for t in p.iter() if t.tag in (f"{W}t", f"{W}tab"))
        )
    return out


def _declarations(data: bytes) -> dict[str, str]:
    """prefix -> namespace URI of every xmlns declaration in the part (in document order)."""
    found: dict[str, str] = {}
    for _, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
        found.setdefault(prefix, uri)
    return found


def _serialise(root: ET.Element, declared: dict[str, str]) -> bytes:
    """The element as XML with the part's own prefixes, and every namespace it declared still
    declared on the root (mc:Ignorable names prefixes no element may use any more)."""
    for prefix, uri in declared.items():
        if prefix and not re.fullmatch(r"ns\d+", prefix):
            ET.register_namespace(prefix, uri)
    text = ET.tostring(root, encoding="unicode")
    head_end = text.index(">")
    head = text[:head_end]
    missing = [
        f'xmlns:{prefix}="{uri}"' if prefix else f'xmlns="{uri}"'
        for prefix, uri in declared.items()
        if (f"xmlns:{prefix}=" if prefix else "xmlns=") not in head
    ]
    if missing:
        text = head + " " + " ".join(missing) + text[head_end:]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text).encode("utf-8")


def clean_part(root: ET.Element, formats: RunFormats, part: str) -> tuple[int, list[Unseen]]:
    """Take out of `root` (in place) what Word does not show; return the hidden runs taken out and
    the text that stays but cannot be seen."""
    parent = {child: el for el in root.iter() for child in el}
    removed = 0
    # deleted and moved-away text, with whatever is inside; not the mark of a paragraph whose end
    # was deleted (w:pPr/w:rPr/w:del): the plan's reader joins that paragraph to the next by it
    for el in [e for e in root.iter() if e.tag in _REMOVED]:
        holder = parent.get(el)
        if holder is not None and holder.tag != f"{W}rPr":
            holder.remove(el)
    unseen: list[Unseen] = []
    number = 0
    for p in [e for e in root.iter(f"{W}p")]:
        number += 1
        style = paragraph_style(p)
        cell = p
        while cell is not None and cell.tag != f"{W}tc":
            cell = parent.get(cell)
        shaded_cell = cell is not None and _cell_shaded(cell)
        for run in [r for r in p.iter(f"{W}r")]:
            fmt = formats.of(run, style)
            holder = parent.get(run)
            if fmt.hidden:
                if holder is not None:
                    holder.remove(run)
                    removed += 1
                continue
            text = _run_text(run)
            if not text.strip():
                continue
            background = fmt.shaded if fmt.shaded is not None else _paragraph_shaded(p, shaded_cell)
            if fmt.colour in _WHITE and not background:
                unseen.append(Unseen(number, part, text, "白色"))
            elif fmt.half_points is not None and fmt.half_points < MIN_HALF_POINTS:
                unseen.append(Unseen(number, part, text, f"字号 {fmt.half_points / 2:g} 磅"))
            elif fmt.scale is not None and fmt.scale < MIN_SCALE:
                unseen.append(Unseen(number, part, text, f"字宽缩到 {fmt.scale}%"))
    # a simple field: Word shows its result (the runs inside), never its code (w:instr)
    for field_el in [e for e in root.iter(f"{W}fldSimple")]:
        holder = parent.get(field_el)
        if holder is None:
            continue
        at = list(holder).index(field_el)
        holder.remove(field_el)
        for k, child in enumerate(list(field_el)):
            holder.insert(at + k, child)
            parent[child] = holder
    return removed, unseen


def visible_document(z: zipfile.ZipFile, read_member, parse_xml, name: str) -> Cleaned:
    """The document's text parts as Word shows them. `read_member(z, member, name)` and
    `parse_xml(z, member, name)` are word.py's checked readers."""
    formats = RunFormats(parse_xml(z, "word/styles.xml", name))
    parts: dict[str, bytes] = {}
    hidden = 0
    unseen: list[Unseen] = []
    paragraphs: list[tuple[str, int, str]] = []
    names = set(z.namelist())
    for part in TEXT_PARTS:
        if part not in names:
            continue
        data = read_member(z, part, name)
        root = parse_xml(z, part, name)
        removed, found = clean_part(root, formats, part)
        hidden += removed
        unseen += found
        parts[part] = _serialise(root, _declarations(data))
        paragraphs += [(part, n, text) for n, text in enumerate(paragraph_texts(root), 1) if text.strip()]
    return Cleaned(parts, hidden, unseen, paragraphs)


def rewritten(z: zipfile.ZipFile, parts: dict[str, bytes], read_member, name: str) -> bytes:
    """The .docx with `parts` replaced and its properties (docProps/) left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in z.infolist():
            if info.filename.startswith("docProps/") or info.is_dir():
                continue
            data = parts.get(info.filename)
            target.writestr(info.filename, data if data is not None else read_member(z, info.filename, name))
    return out.getvalue()


def unseen_message(name: str, unseen: list[Unseen]) -> str:
    where = {"word/document.xml": "正文", "word/footnotes.xml": "脚注", "word/endnotes.xml": "尾注"}
    listed = "；".join(
        f"{where.get(u.part, u.part)}第 {u.paragraph} 段{u.why}的文字“{u.text.strip()[:20]}”" for u in unseen[:5]
    )
    more = f"等 {len(unseen)} 处" if len(unseen) > 5 else ""
    return (
        f"{name} 中有读者看不见的文字：{listed}{more}。网页会把它们显示出来，所以没有导入。"
        "请在 Word 中删除这些文字，或改成正常的颜色、字号（至少 4 磅）和字宽（缩放至少 50%），再重新导入。"
    )
