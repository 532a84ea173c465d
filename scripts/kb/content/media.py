"""Photos and attachments in editors' pages: what `kb check` refuses, and what record headers list.

An image needs alternative text (WCAG 1.1.1); no file in docs/ may exceed `MAX_BYTES` (a phone
photo is 3–8 MB, a 30 MB scan is a mistake that would be published as is); every image and
attachment a page names must exist. The build's responsive variants live in `images.py`.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from . import links
from .model import KnowledgeBase
from .problems import Problem

MAX_BYTES = 10 * 1024 * 1024
MAX_LABEL = "10 MB"
RASTER = (".jpg", ".jpeg", ".png", ".webp")
ATTACHMENT_TYPES = {
    ".pdf": "PDF",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".odp": "OpenDocument 演示文稿",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument 文本",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ods": "OpenDocument 表格",
    ".zip": "ZIP",
    ".mp3": "MP3",
    ".mp4": "MP4",
}
ATTACHMENT_TYPES_EN = {
    ".odp": "OpenDocument presentation",
    ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet",
}

GENERATED = re.compile(r"(^|/)(feed\.xml|calendar\.ics|sitemap\.xml|tasks\.(xlsx|csv))$")
_FENCE = re.compile(r"^(?P<fence>```+|~~~+)[^\n]*\n.*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_INDENTED = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*\n?)+")
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'(](?P<title>[^\"')]*)[\"')])?\s*\)")
_MD_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'(][^\"')]*[\"')])?\s*\)")
_HTML_IMG = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""(?P<name>[a-zA-Z_:][-\w:.]*)\s*(?:=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def attributes(text: str) -> dict[str, str | None]:
    out = {}
    for m in _ATTR.finditer(text):
        value = m.group("value")
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        out[m.group("name").lower()] = value
    return out


def mask_code(body: str) -> str:
    """The body with code (fences, indented blocks, spans) blanked out, newlines kept, so that
    examples in the guide are not taken for images and line numbers stay right."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return _CODE_SPAN.sub(blank, _INDENTED.sub(blank, _FENCE.sub(blank, body)))


@dataclass(frozen=True)
class Reference:
    kind: str  # "image" | "link"
    src: str  # as written
    alt: str | None  # images: the alternative text (None: no alt attribute at all)
    title: str | None
    line: int  # 1-based, in the file
    html: bool = False


def references(body: str, body_line: int) -> list[Reference]:
    text = mask_code(body)
    found = []
    for m in _MD_IMAGE.finditer(text):
        found.append(
            Reference(
                "image", m.group("src"), m.group("alt"), m.group("title"), body_line + text.count("\n", 0, m.start())
            )
        )
    for m in _HTML_IMG.finditer(text):
        attrs = attributes(m.group("attrs"))
        found.append(
            Reference(
                "image",
                attrs.get("src") or "",
                attrs.get("alt"),
                attrs.get("title"),
                body_line + text.count("\n", 0, m.start()),
                html=True,
            )
        )
    for m in _MD_LINK.finditer(text):
        found.append(Reference("link", m.group("src"), None, None, body_line + text.count("\n", 0, m.start())))
    return found


def is_local(src: str) -> bool:
    return bool(src) and not re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)", src)


def resolve(page_src: str, src: str) -> str:
    """The docs-relative path a page's relative reference names ("../images/a.jpg" from
    "lectures/x.md" is "images/a.jpg"); "/x" is from the docs root."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_src), path))


def is_attachment(path: str) -> bool:
    return Path(path).suffix.lower() in ATTACHMENT_TYPES


@dataclass(frozen=True)
class Attachment:
    src: str  # docs-relative
    text: str
    kind: str  # "PDF", "PowerPoint" ...
    size: int  # bytes

    def kind_in(self, lang: str) -> str:
        suffix = Path(self.src).suffix.lower()
        return ATTACHMENT_TYPES_EN.get(suffix, self.kind) if lang != "zh" else self.kind


def attachments(docs_dir: Path, page_src: str, body: str) -> list[Attachment]:
    """Files other than images that a page links to, in order, once each."""
    out: dict[str, Attachment] = {}
    for m in _MD_LINK.finditer(mask_code(body)):
        src = m.group("src")
        if not is_local(src):
            continue
        target = resolve(page_src, src)
        path = docs_dir / target
        if is_attachment(target) and path.is_file() and target not in out:
            text = m.group("text").strip() or Path(target).name
            out[target] = Attachment(target, text, ATTACHMENT_TYPES[Path(target).suffix.lower()], path.stat().st_size)
    return list(out.values())


def readable_image(path: Path) -> bool:
    """Whether Pillow recognises the file (reads its header only: cheap)."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            img.size  # noqa: B018
        return True
    except Exception:  # any failure means the same to the editor: not a usable photo
        return False


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} B"


def check(kb: KnowledgeBase, prefix: str) -> list[Problem]:
    """Images without alternative text, references to missing files, files over the size limit."""
    docs = kb.docs_dir
    problems = []

    def shown(src: str) -> str:
        return f"{prefix}/{src}" if prefix != "." else src

    pages = []
    for e in kb.entries.values():
        pages.append((e.src, e.parsed))
        pages += [(t.src, t.parsed) for t in e.translations.values()]
        cover = getattr(e.data, "cover", None)
        if cover:
            line = e.parsed.line_of(("cover",))
            target = resolve(e.src, cover)
            if not is_local(cover) or not (docs / target).is_file():
                problems.append(
                    Problem(
                        shown(e.src),
                        line,
                        f"封面图片“{cover}”不存在：找不到 {shown(target)}。请写相对于本页的路径，例如 images/cover.jpg，并确认文件已放入该文件夹。",
                    )
                )
            elif Path(target).suffix.lower() not in RASTER:
                problems.append(
                    Problem(shown(e.src), line, f"封面“{cover}”不是图片。请用 .jpg、.png 或 .webp 格式的图片。")
                )
    for src, parsed in pages:
        for ref in references(parsed.body, parsed.body_line):
            if ref.kind == "image" and (ref.alt is None or not ref.alt.strip()):
                example = (
                    f"![讲座现场，主讲人在台上]({ref.src})"
                    if not ref.html
                    else f'<img src="{ref.src}" alt="讲座现场，主讲人在台上">'
                )
                problems.append(
                    Problem(
                        shown(src),
                        ref.line,
                        f"图片“{ref.src}”缺少替代文字（看不到图片的读者听到的说明）。请写明图片的内容，例如 {example}。",
                    )
                )
            if not is_local(ref.src):
                continue
            target = links.resolve(src, ref.src, ref.html) if ref.html else resolve(src, ref.src)
            if (
                target is None
                or target.endswith(".md")
                or target in (".", "")
                or target.startswith("../")
                or GENERATED.search(target)
            ):
                continue  # page links are MkDocs' to check; generated files exist only in the build
            path = docs / target
            if ref.kind == "image" and path.suffix.lower() in RASTER and path.is_file() and not readable_image(path):
                problems.append(
                    Problem(
                        shown(src),
                        ref.line,
                        f"图片“{ref.src}”无法读取（文件损坏，或不是 {path.suffix} 格式）。网站会原样发布它，但不会生成适合手机的版本，"
                        "也无法去除其中的拍摄地点。请用看图软件打开确认，必要时重新导出为 JPEG。",
                        severity="warning",
                    )
                )
            if ref.kind == "link" and not Path(target).suffix:
                continue  # a directory URL ("../x/"), not a file
            if not path.is_file():
                what = "图片" if ref.kind == "image" else "附件"
                hint = (
                    # Raw HTML is resolved by the browser against the page's address, which is one
                    # folder deeper than its file (lectures/x.md is served as lectures/x/).
                    "HTML 写法（<img src>、<a href>）的路径相对于本页的网址而不是文件，比 Markdown 写法多一层，"
                    "通常要在前面加 ../，或改用 Markdown 写法 ![说明](路径)。"
                    if ref.html
                    else "请检查文件名（区分大小写）和相对路径，并确认文件已放入该文件夹。"
                )
                problems.append(
                    Problem(shown(src), ref.line, f"{what}“{ref.src}”不存在：找不到 {shown(target)}。{hint}")
                )
    for root, dirs, files in os.walk(docs):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if name.endswith(".md"):
                continue
            size = path.stat().st_size
            if size > MAX_BYTES:
                rel = path.relative_to(docs).as_posix()
                hint = (
                    "照片请缩小到长边 3000 像素左右再放入（网站会自动生成适合手机和电脑的尺寸）"
                    if path.suffix.lower() in RASTER
                    else "PDF 请用“压缩 PDF”或降低扫描分辨率（150 dpi 足够阅读）后再放入"
                )
                problems.append(
                    Problem(
                        shown(rel),
                        1,
                        f"文件有 {human_size(size)}，超过了 {MAX_LABEL} 的上限。{hint}。",
                    )
                )
    return problems
