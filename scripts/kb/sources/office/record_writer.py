"""A Word article as a record: Markdown for its body and the pictures it holds.

pandoc's Word reader gives the document tree; it is walked here so every character of Word text is
escaped and no HTML, script link or outside picture gets through.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from ...content import fields, media, personal_data
from . import record_facts, visible
from .files import WordError, load_docx, parse_xml, read_member
from .record_facts import _plain

# are written as character references, which Markdown passes through (a backslash before "<"
# would stay visible).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|#])")
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)](?=\s|$))")
_AUTO_ALT = re.compile(r"(描述已自动生成|description automatically generated|自动生成的说明)\s*$", re.I)
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def escape(text: str) -> str:
    """Word text as Markdown that renders to exactly these characters, with no HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _protect_start(line: str) -> str:
    """A paragraph that would start a heading, list, quote or rule: its first marker escaped."""
    m = _LINE_START.match(line)
    if not m:
        return line
    marker = m.group(2)
    if marker == "=":  # not a backslash escape in Markdown: a character reference
        return m.group(1) + "&#61;" + line[m.end() :]
    if marker[0].isdigit():
        return m.group(1) + marker[:-1] + "\\" + marker[-1] + line[m.end() :]
    return m.group(1) + "\\" + marker + line[m.end() :]


@dataclass
class Picture:
    member: str  # zip member, e.g. word/media/image1.png
    alt: str
    caption: str
    filename: str = ""  # written next to the record
    data: bytes = b""


@dataclass
class Record:
    title: str | None
    markdown: str
    pictures: list[Picture] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the editor, in Chinese
    facts: dict[str, str] = field(default_factory=dict)  # labelled lines read from its top: {fact: value}
    paragraphs: list[tuple[str, int, str]] = field(default_factory=list)  # (part, number, text) as Word shows them

    def personal_data(self) -> list[tuple[str, list]]:
        """(where, findings) for each paragraph (the title, alt texts and captions too) holding
        personal data."""
        where = {"word/document.xml": "正文", "word/footnotes.xml": "脚注", "word/endnotes.xml": "尾注"}
        out = []
        if self.title and (hits := personal_data.find(self.title)):
            out.append(("标题", hits))
        for part, number, text in self.paragraphs:
            if hits := personal_data.find(text):
                out.append((f"{where.get(part, part)}第 {number} 段", hits))
        for number, pic in enumerate(self.pictures, 1):  # alt text and captions are published too
            if hits := personal_data.find(f"{pic.alt} {pic.caption}"):
                out.append((f"第 {number} 张图片的替代文字或图注", hits))
        return out


def pandoc_tree(raw: bytes, name: str) -> dict:
    """pandoc's document tree (JSON) of a .docx; pandoc runs sandboxed (no file or network access)."""
    import pypandoc  # the pandoc binary ships in the pypandoc-binary wheel

    try:
        result = subprocess.run(
            # accept: a tracked deletion is gone and an insertion is text, as Word shows the document
            [pypandoc.get_pandoc_path(), "--sandbox", "--track-changes=accept", "-f", "docx", "-t", "json"],
            input=raw,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WordError(f"无法读取 {name}（{exc}）：请用 Word 重新另存为 .docx 后再试。") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise WordError(f"{name} 无法读取（{detail[0]}）：请用 Word 或 WPS 打开后重新另存为 .docx。")
    return json.loads(result.stdout)


_LISTS = ("BulletList", "OrderedList")


class _Writer:
    def __init__(self, name: str):
        self.name = name
        self.pictures: list[Picture] = []
        self.notes: list[str] = []
        self.footnotes: list[str] = []
        self.dropped_links: list[str] = []
        self.long_headings: list[str] = []  # over fields.TITLE_MAX characters: refused
        self.shift = 0  # added to heading levels so the body's top headings are level 2

    # inline content --------------------------------------------------------------------------
    def inlines(self, items: list) -> str:
        out = []
        for el in items:
            t, c = el["t"], el.get("c")
            if t == "Str":
                out.append(escape(c))
            elif t in ("Space", "SoftBreak"):
                out.append(" ")
            elif t == "LineBreak":
                out.append("  \n")
            elif t == "Strong":
                out.append(self._wrap("**", c))
            elif t == "Emph":
                out.append(self._wrap("*", c))
            elif t in ("Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Span"):
                out.append(self.inlines(c[1] if t == "Span" else c))
            elif t == "Quoted":
                q = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
                out.append(q[0] + self.inlines(c[1]) + q[1])
            elif t == "Cite":
                out.append(self.inlines(c[1]))
            elif t in ("Code", "Math"):
                out.append(escape(c[1]))
            elif t == "Link":
                out.append(self.link(c))
            elif t == "Image":
                out.append(self.image(c, caption=""))
            elif t == "Note":
                self.footnotes.append(self.note_text(c))
                out.append(f"\\[{len(self.footnotes)}\\]")
            # RawInline: dropped (Word text never becomes HTML)
        return "".join(out)

    def _wrap(self, mark: str, content: list) -> str:
        inner = self.inlines(content)
        stripped = inner.strip()
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{mark}{stripped}{mark}{trail}"

    def link(self, c: list) -> str:
        text = self.inlines(c[1])
        target = c[2][0]
        if target.startswith(SAFE_SCHEMES) and not re.search(r"[\s<>\"']", target):
            return f"[{text}](<{target}>)" if "(" in target or ")" in target else f"[{text}]({target})"
        if target.startswith("#"):
            return text  # a bookmark in the Word file: no such anchor on the page
        self.dropped_links.append(f"“{_plain(c[1])[:20]}” → {target[:60]}")
        return text

    def image(self, c: list, caption: str) -> str:
        attrs, alt_inlines, (src, title) = c
        member = "word/" + src if not src.startswith("word/") else src
        alt = _plain(alt_inlines).strip() or (title or "").strip()
        if _AUTO_ALT.search(alt):
            self.notes.append(
                f"第 {len(self.pictures) + 1} 张图片的替代文字是 Word 自动生成的“{alt[:30]}”，已留空，请写明图片内容。"
            )
            alt = ""
        pic = Picture(member, alt, caption)
        self.pictures.append(pic)
        return f"\x00PIC{len(self.pictures) - 1}\x00"

    def note_text(self, blocks: list) -> str:
        return " ".join(self.inlines(b["c"]).strip() for b in blocks if b["t"] in ("Para", "Plain")).strip()

    # blocks ----------------------------------------------------------------------------------
    def blocks(self, items: list, indent: str = "") -> list[str]:
        out = []
        previous = None
        for b in items:
            text = self.block(b, indent)
            if text is not None and text.strip():
                if b["t"] in _LISTS and previous in _LISTS:
                    # Python-Markdown would continue the list above: an empty comment ends it
                    out.append(indent + "<!-- -->")
                out.append(text)
                previous = b["t"]
        return out

    def block(self, b: dict, indent: str) -> str | None:
        t, c = b["t"], b.get("c")
        if t in ("Para", "Plain"):
            return "\n".join(indent + _protect_start(line) for line in self.inlines(c).strip().split("\n"))
        if t == "Header":
            level, _, inl = c
            if len(_plain(inl).strip()) > fields.TITLE_MAX:
                self.long_headings.append(_plain(inl).strip())
            return indent + "#" * min(6, level + self.shift) + " " + self.inlines(inl).strip()
        if t == "BulletList":
            return "\n".join(self.item("- ", item, indent) for item in c)
        if t == "OrderedList":
            (start, _, _), items = c
            return "\n".join(self.item(f"{start + i}. ", item, indent) for i, item in enumerate(items))
        if t == "BlockQuote":
            return "\n>\n".join(indent + "> " + x.strip() for x in self.blocks(c))
        if t in ("Div",):
            return "\n\n".join(self.blocks(c[1], indent))
        if t == "LineBlock":
            return indent + "  \n".join(self.inlines(line) for line in c)
        if t == "CodeBlock":
            return indent + "  \n".join(escape(line) for line in c[1].split("\n"))
        if t == "HorizontalRule":
            return indent + "---"
        if t == "Table":
            return self.table(c, indent)
        if t == "Figure":
            _, (_, caption_blocks), content = c
            caption = " ".join(_plain(x["c"]) for x in caption_blocks if x["t"] in ("Para", "Plain")).strip()
            parts = []
            for x in content:
                for el in x.get("c", []) if x["t"] in ("Para", "Plain") else []:
                    if el["t"] == "Image":
                        parts.append(self.image(el["c"], caption))
                        caption = ""  # one caption per figure
            return indent + " ".join(parts) if parts else None
        if t == "DefinitionList":
            return "\n\n".join(
                indent
                + "**"
                + self.inlines(term).strip()
                + "**\n\n"
                + "\n\n".join(x for d in defs for x in self.blocks(d, indent))
                for term, defs in c
            )
        return None  # RawBlock and anything unknown: left out

    def item(self, marker: str, blocks: list, indent: str) -> str:
        inner = self.blocks(blocks, indent + "    ")
        if not inner:
            return indent + marker.rstrip()
        text = indent + marker + inner[0][len(indent) + 4 :]
        for block in inner[1:]:
            nested = re.match(r"\s*(- |\d+\. )", block) is not None
            text += ("\n" if nested else "\n\n") + block  # Python-Markdown nests by four spaces
        return text

    def table(self, c: list, indent: str) -> str:
        _, _, colspecs, head, bodies, foot = c
        ncols = len(colspecs)
        rows: list[list[str]] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a cell spanning rows

        def add_rows(row_list: list) -> None:
            for row in row_list:
                cells = row[1]
                out: list[str] = []
                col = 0
                it = iter(cells)
                while col < ncols:
                    if pending.get(col, 0) > 0:
                        pending[col] -= 1
                        out.append("")
                        col += 1
                        continue
                    cell = next(it, None)
                    if cell is None:
                        out.append("")
                        col += 1
                        continue
                    _, _, rowspan, colspan, blocks = cell
                    text = " ".join(
                        self.inlines(x["c"]).strip().replace("\n", " ") for x in blocks if x["t"] in ("Para", "Plain")
                    )
                    for extra in blocks:
                        if extra["t"] not in ("Para", "Plain"):
                            text += " " + " ".join(self.blocks([extra])).replace("\n", " ")
                    out.append(text.strip())
                    if rowspan > 1:
                        pending[col] = rowspan - 1
                    for k in range(1, colspan):
                        out.append("")
                        if rowspan > 1:
                            pending[col + k] = rowspan - 1
                    col += colspan
                rows.append(out[:ncols])

        add_rows(head[1])
        head_rows = len(rows)
        for body in bodies:
            add_rows(body[2])
            add_rows(body[3])
        add_rows(foot[1])
        if not rows:
            return ""
        if head_rows == 0:
            head_rows = 1
        header = rows[0]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
        for row in rows[1:]:
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(indent + line for line in lines)


def convert_record(raw: bytes, name: str, *, title: str | None = None) -> Record:
    """An article in Word as Markdown for a record's body, and its pictures (not yet named)."""
    z = load_docx(raw, name, for_record=True)
    members = set(z.namelist())
    if "word/document.xml" not in members:
        raise WordError(f"{name} 里没有正文：请用 Word 打开确认内容后重新另存为 .docx。")
    # Only what Word shows goes on: hidden and deleted text out, simple fields' results in.
    shown = visible.visible_document(z, read_member, parse_xml, name)
    if shown.unseen:
        raise WordError(visible.unseen_message(name, shown.unseen))
    document_xml = shown.parts["word/document.xml"]
    notes: list[str] = []
    if shown.hidden_runs:
        notes.append(
            f"文档中有 {shown.hidden_runs} 处设为“隐藏”的文字（Word 中不显示、不打印），没有导入。"
            "需要发布的话，请在 Word 中取消隐藏（字体 → 隐藏）后重新导入。"
        )
    linked = document_xml.count(b"r:link=")
    if linked:
        notes.append(
            f"{linked} 张图片链接到 Word 文件以外的地址，没有导入（网站不显示外部图片）：请在 Word 中把图片插入文档后重新导入，或把照片放在 images/ 文件夹里引用。"
        )
    if (
        any(m.startswith("word/embeddings/") for m in members)
        or b"<w:object" in document_xml
        or b"<o:OLEObject" in document_xml
    ):
        notes.append(
            "文档中嵌入的对象（Excel 表格、其他文件等）没有导入：网站只收文字、表格和图片。需要时请把它另存为附件，放在 files/ 文件夹里链接。"
        )
    tree = pandoc_tree(visible.rewritten(z, shown.parts, read_member, name), name)
    blocks = tree.get("blocks", [])
    meta_title = tree.get("meta", {}).get("title")
    found_title = None
    if meta_title:
        found_title = _plain(meta_title.get("c", [])) if meta_title.get("t") == "MetaInlines" else None
    # the first heading, when the article starts with one, is its title; or the opening line set
    # as a title (centred, bold or large) where the office typed it without the heading style
    if blocks and blocks[0]["t"] == "Header":
        heading = _plain(blocks.pop(0)["c"][2]).strip()
        found_title = found_title or heading
    elif blocks and blocks[0]["t"] in ("Para", "Plain"):
        typed = record_facts.title_paragraph(ET.fromstring(document_xml))  # as shown: no hidden text
        if typed and _plain(blocks[0]["c"]).strip() == typed:
            blocks.pop(0)
            found_title = found_title or typed
    facts = record_facts.take_facts(blocks)
    blocks = record_facts.captions(blocks)
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    writer = _Writer(name)
    writer.shift = 2 - min(levels) if levels else 0
    parts = writer.blocks(blocks)
    long = [found_title] if title is None and found_title and len(found_title.strip()) > fields.TITLE_MAX else []
    long += writer.long_headings
    if long:
        raise WordError(
            f"{name} 中有 {len(long)} 个标题超过了 {fields.TITLE_MAX} 个字的上限，第一个是“{long[0][:30]}……”"
            f"（{len(long[0])} 个字）：标题会完整显示在浏览器标签、目录、搜索结果和分享卡片上。"
            "多半是正文段落误设成了“标题”样式：请在 Word 中把它改为“正文”样式，或改短，再重新导入"
            "（文章标题也可以用 --title 给出）。"
        )
    if writer.footnotes:
        parts.append("## 注释")
        parts.append("\n".join(f"{i}. {text}" for i, text in enumerate(writer.footnotes, 1)))
    markdown = "\n\n".join(parts).strip() + "\n"
    if writer.dropped_links:
        notes.append(
            "以下链接指向网页以外的地址（javascript:、file: 等），为安全起见只保留了文字："
            + "；".join(writer.dropped_links)
        )
    notes += writer.notes
    embedded = len(re.findall(rb"<a:blip\b[^>]*\br:embed=", document_xml))
    if embedded > len(writer.pictures):
        notes.append(
            f"文档中有 {embedded - len(writer.pictures)} 张图片无法读取（在文本框或形状里，或指向文档以外的位置），没有导入："
            "请在 Word 中把它们另存为图片（PNG 或 JPEG），放在 images/ 文件夹里，再在正文中引用。"
        )
    for pic in writer.pictures:
        if pic.member not in members:
            notes.append(f"图片 {pic.member} 不在文档中，没有导入。")
            continue
        pic.data = read_member(z, pic.member, name)
    return Record(
        (title or found_title or "").strip() or None, markdown, writer.pictures, notes, facts, shown.paragraphs
    )


_KEEP = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def prepare_pictures(record: Record, name: str, max_bytes: int) -> list[Picture]:
    """The pictures the page can show, each read by the project's one image reader
    (media.read_image: the pixel limit on the header before decoding, then decoded whole): JPEG,
    PNG and WebP kept as they are, GIF/BMP/TIFF saved as PNG, Word's vector drawings (EMF/WMF)
    and damaged pictures left out with a note. Raises WordError for a picture over a limit."""
    kept = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, pic in enumerate(record.pictures, 1):
            if not pic.data:
                continue
            suffix = PurePosixPath(pic.member).suffix.lower()
            path = Path(tmp) / f"picture-{number}{suffix}"
            path.write_bytes(pic.data)
            try:
                info, image = media.read_image(path)
            except media.ImageRefused as exc:
                if exc.reason == "pixels":
                    raise WordError(
                        f"{name} 中的第 {number} 张图片，为安全起见不导入："
                        + exc.message(pic.alt or pic.member, suffix)
                    ) from None
                kind = (
                    "Word 的矢量图（EMF/WMF）"
                    if suffix in (".emf", ".wmf")
                    else f"无法读取的图片（{suffix or '无扩展名'}）"
                )
                record.notes.append(
                    f"第 {number} 张图片是{kind}，网页无法显示，没有导入：请在 Word 中右键该图片“另存为图片”"
                    "（PNG 或 JPEG），放在 images/ 文件夹里，再在正文中引用。"
                )
                continue
            if info.format in _KEEP:
                pic.filename = _KEEP[info.format]
            else:  # GIF, BMP, TIFF …: saved as PNG from the decoded picture
                out = io.BytesIO()
                image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
                pic.data, pic.filename = out.getvalue(), ".png"
            if len(pic.data) > max_bytes:
                raise WordError(
                    f"{name} 中的第 {number} 张图片（{pic.alt or pic.member}）有 {len(pic.data) / 1024 / 1024:.1f} MB，"
                    f"超过每个文件 {max_bytes // 1024 // 1024} MB 的上限：请在 Word 中压缩图片（图片格式 → 压缩图片）后再导入。"
                )
            kept.append(pic)
    return kept


def _title_attr(caption: str) -> str:
    return caption.replace("\\", "＼").replace('"', "”")


def body_with_pictures(record: Record, kept: list[Picture], stem: str, folder: str = "images") -> str:
    """The Markdown with each picture's place holder replaced by its image reference (or removed)."""
    names = {}
    for number, pic in enumerate(kept, 1):
        pic.filename = f"{stem}-{number}{pic.filename}" if not pic.filename.startswith(stem) else pic.filename
        names[id(pic)] = pic

    def ref(m: re.Match) -> str:
        pic = record.pictures[int(m.group(1))]
        if id(pic) not in names:
            return ""
        title = f' "{escape(_title_attr(pic.caption))}"' if pic.caption else ""
        return f"![{escape(pic.alt)}]({folder}/{pic.filename}{title})"

    text = re.sub("\x00PIC(\\d+)\x00", ref, record.markdown)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
