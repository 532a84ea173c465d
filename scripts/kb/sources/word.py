"""Word files from the office: what a file is, the issued plan's text, and an article as a record.

- `identify` says what a file is from its bytes (a .docx is a zip holding word/document.xml; .doc
  and .wps are OLE compound files, magic D0CF11E0; a PDF starts with %PDF), and `refusal` gives the
  one plain sentence an editor reads when the file cannot be imported.
- `plan_text` turns a Word plan into the issued-text form `plan_text.parse` reads, with the numbers
  Word prints for automatic numbering (numbering.xml: the paragraph's numId/ilvl, the level's
  format, start, text and any restart), one line per paragraph; `paragraph_of_line` maps the
  parser's line numbers back to paragraphs for messages.
- `convert_record` turns an article into Markdown (pandoc's Word reader, its document tree walked
  here so every character of Word text is escaped and no HTML, script link or outside picture gets
  through) and the pictures it holds.

A Word file is a zip: its unpacked size and compression ratio are checked before anything is read,
XML with a DOCTYPE is refused (Word never writes one), macros are never run (a .docm is refused).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from ..content import media, personal_data, schemas
from . import word_visible, workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# A Word file holds text and a few photos: 200 MB unpacked is far beyond any real one, and an entry
# that inflates over 100 times (XML compresses about 10:1) is what a zip bomb has and a document has
# not. The check itself is the spreadsheets' (workbook.check_archive), with these limits.
WORD_LIMITS = workbook.Limits(file_bytes=100 * workbook.MB, unpacked_bytes=200 * workbook.MB, entries=5000)


class WordError(Exception):
    """A file that cannot be imported; the message is one plain Chinese sentence (or a few)."""


# --- what a file is ------------------------------------------------------------------------------


@dataclass
class Kind:
    name: str  # docx, docm, doc, pdf, pdf-scanned, text, zip, xlsx, odt, image, rtf, unknown
    archive: zipfile.ZipFile | None = None


def identify(raw: bytes) -> str:
    """What the bytes are, by content: docx, docm, ole (.doc/.wps/.xls), pdf, xlsx, pptx, odt,
    zip, rtf, image, text."""
    if raw[:4] == b"PK\x03\x04" or raw[:4] == b"PK\x05\x06":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                names = set(z.namelist())

                def small(member: str) -> bytes:  # never inflate a big entry to tell what the file is
                    info = z.getinfo(member) if member in names else None
                    return z.read(info) if info is not None and info.file_size <= 1024 * 1024 else b""

                types, mimetype = small("[Content_Types].xml"), small("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError):
            return "zip"
        if "word/document.xml" in names:
            if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
                return "docm"
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return "odt"
        return "zip"
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if raw[:5] == b"%PDF-" or raw[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if raw[:5] == b"{\\rtf":
        return "rtf"
    if (
        raw[:3] == b"\xff\xd8\xff"
        or raw[:8] == b"\x89PNG\r\n\x1a\n"
        or raw[:4] in (b"GIF8", b"RIFF")
        or (raw[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"))
    ):
        return "image"
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def refusal(kind: str, name: str, *, for_record: bool = False) -> str:
    """The sentence for a file that is not a .docx (or, for the plan, a .docx, PDF or text)."""
    ext = PurePosixPath(name).suffix.lower()
    wanted = ".docx" if for_record else ".docx（或文本文件）"
    if kind == "ole":
        if ext == ".wps":
            what = "这是 WPS 文字的旧格式文档（.wps）"
        elif ext in (".xls", ".et"):
            return f"{name} 是旧版 Excel 表格（{ext}），不是 Word 文档，请确认选对了文件。"
        else:
            what = "这是旧版 Word 文档（.doc）"
        return f"{name}：{what}，请用 WPS 或 Word 另存为 .docx 后再导入。"
    if kind == "docm":
        return (
            f"{name} 是启用宏的 Word 文档（.docm），为安全起见不导入（宏不会被运行）："
            "请用 Word 或 WPS 另存为不含宏的 .docx 后再导入。"
        )
    if kind == "pdf-scanned":
        return (
            f"{name} 是扫描的 PDF（只有图片，没有文字层），无法读出文字：请改用 Word 原稿（.docx），"
            "或先用 WPS 的“PDF 转 Word”识别文字并核对后，另存为 .docx 再导入。"
        )
    if kind == "pdf":
        return f"{name} 是 PDF 文件；记录只能从 Word 文档导入：请用 Word 原稿（.docx），或用 WPS 把 PDF 转成 .docx 并核对后再导入。"
    if kind == "xlsx":
        return f"{name} 是 Excel 表格，不是 Word 文档，请确认选对了文件（任务分解表用 kb import tasks 导入）。"
    if kind == "pptx":
        return f"{name} 是 PowerPoint 演示文稿，不是 Word 文档：请把文字放进 Word 文档另存为 .docx 后再导入，演示文稿可作为附件链接。"
    if kind == "odt":
        return f"{name} 是 OpenDocument 文档（.odt），请用 WPS 或 Word 另存为 .docx 后再导入。"
    if kind == "rtf":
        return f"{name} 是 RTF 文档，请用 WPS 或 Word 另存为 .docx 后再导入。"
    if kind == "image":
        return f"{name} 是图片，不是 Word 文档；照片请放在记录旁边的 images/ 文件夹里，在正文中引用。"
    if kind == "zip":
        return f"{name} 是压缩包（或已损坏的 Word 文档），不是可读的 .docx：请解压后选择其中的 .docx，或用 Word 重新另存为 .docx。"
    if kind == "binary":
        return f"{name} 不是 Word 文档（.docx），也不是文本文件，无法导入：请选择{wanted}文件。"
    return f"{name} 不是 Word 文档（.docx），请选择{wanted}文件。"


# --- reading a .docx safely ----------------------------------------------------------------------


def read_source(name: str) -> bytes:
    """The file an editor names, refused unread when it is far larger than any plan or article."""
    size = Path(name).stat().st_size
    if size > WORD_LIMITS.file_bytes:
        raise WordError(
            f"{name} 有 {size / workbook.MB:.0f} MB，超过 {WORD_LIMITS.file_bytes // workbook.MB} MB 的上限，没有读取："
            "工作要点或一篇文章远没有这么大，请确认选对了文件；图片多的文章请先在 Word 中压缩图片（图片格式 → 压缩图片）。"
        )
    return Path(name).read_bytes()


def open_docx(raw: bytes, name: str) -> zipfile.ZipFile:
    """The zip, after checking its declared sizes: refused before anything is unpacked when the
    entries would unpack to more than WORD_LIMITS allows or one entry inflates too many times."""
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise WordError(
            f"{name} 已损坏，无法作为 Word 文档打开（{exc}）：请用 Word 或 WPS 打开后重新另存为 .docx。"
        ) from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    try:  # the limits every office zip (.xlsx, .docx) is held to, before anything is unpacked
        workbook.check_archive(raw, name, WORD_LIMITS)
    except workbook.WorkbookError:
        raise WordError(
            f"{name} 解压后有 {total / 1024 / 1024:.0f} MB（压缩比 {total / packed:.0f} 倍），不像正常的 Word 文档，"
            "为安全起见不导入：请用 Word 打开它，确认内容后另存为新的 .docx 再导入。"
        ) from None
    return z


def read_member(z: zipfile.ZipFile, member: str, name: str) -> bytes:
    info = z.getinfo(member)
    with z.open(info) as f:
        data = f.read(info.file_size + 1)
    if len(data) > info.file_size:  # the zip lied about the size
        raise WordError(f"{name} 已损坏（{member} 的大小与记录不符）：请用 Word 重新另存为 .docx。")
    return data


def parse_xml(z: zipfile.ZipFile, member: str, name: str) -> ET.Element | None:
    if member not in z.namelist():
        return None
    data = read_member(z, member, name)
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise WordError(
            f"{name} 中的 {member} 含有 Word 从不写入的 DOCTYPE/实体声明，为安全起见不导入：请用 Word 重新另存为 .docx。"
        )
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise WordError(f"{name} 已损坏（{member}：{exc}）：请用 Word 或 WPS 打开后重新另存为 .docx。") from None


def load_docx(raw: bytes, name: str, *, for_record: bool = False) -> zipfile.ZipFile:
    kind = identify(raw)
    if kind != "docx":
        raise WordError(refusal(kind, name, for_record=for_record))
    return open_docx(raw, name)


# --- automatic numbering -------------------------------------------------------------------------

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = digits[0] + digits[rest]
        elif rest < 20:
            tail = digits[1] + _chinese(rest, digits, ten, hundred)
        else:
            tail = _chinese(rest, digits, ten, hundred)
        return digits[n // 100] + hundred + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str | None:
    """The number as Word prints it in the format `fmt` (w:numFmt); None for a format we do not know."""
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    table = {
        "decimal": lambda: str(n),
        "decimalHalfWidth": lambda: str(n),
        "decimalZero": lambda: f"{n:02d}",
        "decimalFullWidth": lambda: str(n).translate(full),
        "decimalFullWidth2": lambda: str(n).translate(full),
        "chineseCounting": lambda: _chinese(n),
        "chineseCountingThousand": lambda: _chinese(n),
        "japaneseCounting": lambda: _chinese(n),
        "taiwaneseCounting": lambda: _chinese(n),
        "ideographDigital": lambda: "".join(_CN[int(d)] for d in str(n)),
        "chineseLegalSimplified": lambda: _chinese(n, _CN_LEGAL, "拾", "佰"),
        "ideographTraditional": lambda: _TIANGAN[(n - 1) % 10],
        "ideographZodiac": lambda: _DIZHI[(n - 1) % 12],
        "decimalEnclosedCircle": lambda: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedCircleChinese": lambda: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedParen": lambda: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
        "decimalEnclosedFullstop": lambda: chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
        "lowerLetter": lambda: _letters(n),
        "upperLetter": lambda: _letters(n).upper(),
        "lowerRoman": lambda: _roman(n),
        "upperRoman": lambda: _roman(n).upper(),
        "none": lambda: "",
    }
    fn = table.get(fmt)
    return fn() if fn else None


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never


def _val(el: ET.Element | None, default=None):
    return el.get(f"{W}val", default) if el is not None else default


def _level(lvl: ET.Element, base: Level | None = None) -> Level:
    out = Level(**vars(base)) if base else Level()
    if (el := lvl.find(f"{W}start")) is not None:
        out.start = int(_val(el, "1"))
    if (el := lvl.find(f"{W}numFmt")) is not None:
        out.fmt = _val(el, "decimal")
    if (el := lvl.find(f"{W}lvlText")) is not None:
        out.text = _val(el, "")
    if (el := lvl.find(f"{W}suff")) is not None:
        out.suffix = _val(el, "tab")
    if lvl.find(f"{W}isLgl") is not None:
        out.legal = _val(lvl.find(f"{W}isLgl"), "1") not in ("0", "false")
    if (el := lvl.find(f"{W}lvlRestart")) is not None:
        out.restart = int(_val(el, "0"))
    return out


class NumberingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Numbering:
    """Word's list numbers: numbering.xml's definitions and the counters as Word advances them.

    Instances (w:num) of one definition (w:abstractNum) share its counters, so points keep counting
    across section headings; an instance with a start override (w:lvlOverride/w:startOverride, what
    Word writes for "restart numbering") counts on its own from that value. Going to a level resets
    the deeper ones (unless w:lvlRestart says otherwise).
    """

    def __init__(self, numbering: ET.Element | None, styles: ET.Element | None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum with w:numStyleLink -> style id
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[tuple, dict[int, int]] = {}
        if styles is not None:
            for st in styles.iter(f"{W}style"):
                sid = st.get(f"{W}styleId")
                if not sid:
                    continue
                if (b := st.find(f"{W}basedOn")) is not None:
                    self.style_based[sid] = _val(b)
                ppr = st.find(f"{W}pPr")
                num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
                if num_pr is not None:
                    ilvl = num_pr.find(f"{W}ilvl")
                    self.style_num[sid] = (
                        _val(num_pr.find(f"{W}numId")),
                        int(_val(ilvl)) if ilvl is not None else None,
                    )
        if numbering is None:
            return
        for a in numbering.iter(f"{W}abstractNum"):
            levels = {int(lvl.get(f"{W}ilvl", "0")): _level(lvl) for lvl in a.findall(f"{W}lvl")}
            aid = a.get(f"{W}abstractNumId")
            self.abstract[aid] = levels
            if (link := a.find(f"{W}numStyleLink")) is not None:
                self.style_link[aid] = _val(link)
        for n in numbering.iter(f"{W}num"):
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for o in n.findall(f"{W}lvlOverride"):
                ilvl = int(o.get(f"{W}ilvl", "0"))
                if (s := o.find(f"{W}startOverride")) is not None:
                    starts[ilvl] = int(_val(s, "1"))
                if (lvl := o.find(f"{W}lvl")) is not None:
                    overrides[ilvl] = _level(lvl)
            self.nums[n.get(f"{W}numId")] = (_val(n.find(f"{W}abstractNumId")), overrides, starts)

    def _abstract_of(self, num_id: str) -> str | None:
        aid = self.nums.get(num_id, (None, {}, {}))[0]
        # a definition that only points at a numbering style: follow the style to its instance
        for _ in range(3):
            if aid in self.style_link:
                sid = self.style_link[aid]
                linked = self.style_num.get(sid, (None, None))[0]
                aid = self.nums.get(linked, (None, {}, {}))[0] if linked else None
            else:
                break
        return aid

    def num_pr(self, ppr: ET.Element | None, style: str | None) -> tuple[str, int] | None:
        """(numId, level) of a paragraph: its own w:numPr, or its style's (through basedOn)."""
        num_id = ilvl = None
        if ppr is not None and (np_ := ppr.find(f"{W}numPr")) is not None:
            num_id = _val(np_.find(f"{W}numId"))
            if (lv := np_.find(f"{W}ilvl")) is not None:
                ilvl = int(_val(lv, "0"))
        seen = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            s_num, s_lvl = self.style_num.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = self.style_based.get(style)
        if num_id in (None, "0"):
            return None
        return num_id, ilvl or 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """(number text as printed, what follows it: "\\t", " " or "") for the next paragraph of
        this list at this level; advances the counters."""
        if num_id not in self.nums:
            raise NumberingError(f"自动编号引用了不存在的编号定义（numId {num_id}）")
        aid = self._abstract_of(num_id)
        if aid is None or aid not in self.abstract:
            raise NumberingError(f"自动编号的编号定义缺失（numId {num_id}）")
        _, overrides, starts = self.nums[num_id]
        levels = {**self.abstract[aid], **overrides}
        level = levels.get(ilvl)
        if level is None:
            raise NumberingError(f"自动编号的第 {ilvl + 1} 级没有定义（numId {num_id}）")
        key = (aid, num_id) if starts or overrides else (aid,)
        counters = self.counters.setdefault(key, {})
        start = starts.get(ilvl, level.start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                del counters[deeper]

        def one(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvl_k = levels.get(k, Level())
            value = counters.get(k, starts.get(k, lvl_k.start))
            fmt = "decimal" if level.legal and lvl_k.fmt not in ("none",) else lvl_k.fmt
            text = format_number(value, fmt)
            if text is None:
                raise NumberingError(f"自动编号的格式“{fmt}”无法识别")
            return text

        if level.fmt == "bullet":
            text = level.text
        else:
            if format_number(1, level.fmt) is None:
                raise NumberingError(f"自动编号的格式“{level.fmt}”无法识别")
            text = re.sub(r"%([1-9])", one, level.text)
        suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(level.suffix, "\t")
        return text, suffix if text else ""


# --- paragraphs as printed -----------------------------------------------------------------------

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
    styles = parse_xml(z, "word/styles.xml", name)
    numbering = Numbering(parse_xml(z, "word/numbering.xml", name), styles)
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        raise WordError(f"{name} 里没有正文：请用 Word 打开确认内容后重新另存为 .docx。")
    # What Word shows: text hidden directly or by a style, deleted text and field codes out.
    _, unseen = word_visible.clean_part(document, word_visible.RunFormats(styles), "word/document.xml")
    if unseen:
        raise WordError(_unseen_message(name, unseen))
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


# --- an article as a record ----------------------------------------------------------------------

# Python-Markdown's backslash escapes, plus "|" (tables) and "{" "}" (attr_list); "&" and "<" ">"
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
    paragraphs: list[tuple[str, int, str]] = field(default_factory=list)  # (part, number, text) as Word shows them

    def personal_data(self) -> list[tuple[str, list]]:
        """(where, findings) for each paragraph (the title too) holding personal data."""
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


def _plain(inlines: list) -> str:
    """Inline content as plain text (titles, alt text, captions)."""
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak") or t == "LineBreak":
            out.append(" ")
        elif t in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(_plain(c))
        elif t == "Quoted":
            q = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(q[0] + _plain(c[1]) + q[1])
        elif t in ("Link", "Span"):
            out.append(_plain(c[1] if t == "Link" else c[1]))
        elif t == "Cite":
            out.append(_plain(c[1]))
        elif t in ("Code", "Math"):
            out.append(c[1])
    return "".join(out)


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
        self.long_headings: list[str] = []  # over schemas.TITLE_MAX characters: refused
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
            if len(_plain(inl).strip()) > schemas.TITLE_MAX:
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
    shown = word_visible.visible_document(z, read_member, parse_xml, name)
    if shown.unseen:
        raise WordError(_unseen_message(name, shown.unseen))
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
    tree = pandoc_tree(word_visible.rewritten(z, shown.parts, read_member, name), name)
    blocks = tree.get("blocks", [])
    meta_title = tree.get("meta", {}).get("title")
    found_title = None
    if meta_title:
        found_title = _plain(meta_title.get("c", [])) if meta_title.get("t") == "MetaInlines" else None
    # the first heading, when the article starts with one, is its title
    if blocks and blocks[0]["t"] == "Header":
        heading = _plain(blocks.pop(0)["c"][2]).strip()
        found_title = found_title or heading
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    writer = _Writer(name)
    writer.shift = 2 - min(levels) if levels else 0
    parts = writer.blocks(blocks)
    long = [found_title] if title is None and found_title and len(found_title.strip()) > schemas.TITLE_MAX else []
    long += writer.long_headings
    if long:
        raise WordError(
            f"{name} 中有 {len(long)} 个标题超过了 {schemas.TITLE_MAX} 个字的上限，第一个是“{long[0][:30]}……”"
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
    return Record((title or found_title or "").strip() or None, markdown, writer.pictures, notes, shown.paragraphs)


def _unseen_message(name: str, unseen: list[word_visible.Unseen]) -> str:
    where = {"word/document.xml": "正文", "word/footnotes.xml": "脚注", "word/endnotes.xml": "尾注"}
    listed = "；".join(
        f"{where.get(u.part, u.part)}第 {u.paragraph} 段{u.why}的文字“{u.text.strip()[:20]}”" for u in unseen[:5]
    )
    more = f"等 {len(unseen)} 处" if len(unseen) > 5 else ""
    return (
        f"{name} 中有读者看不见的文字：{listed}{more}。网页会把它们显示出来，所以没有导入。"
        "请在 Word 中删除这些文字，或改成正常的颜色、字号（至少 4 磅）和字宽（缩放至少 50%），再重新导入。"
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


# --- a PDF with a text layer ---------------------------------------------------------------------

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

    from .plan_text import ATTACHMENT, IMPRINT, POINT, SECTION

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
        for x, end, size, text in texts:
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
            previous = (end, right, size)
    if sum(len(p.strip()) for p in paragraphs) < 20:
        raise WordError(refusal("pdf-scanned", name))
    return PlanLines("\n".join(paragraphs) + "\n", list(range(1, len(paragraphs) + 1)))
