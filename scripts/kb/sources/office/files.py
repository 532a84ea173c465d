"""What a file from the office is, and reading a Word package (.docx) safely.

`identify` says what a file is from its bytes (a .docx is a zip holding word/document.xml; .doc
and .wps are OLE compound files, magic D0CF11E0; a PDF starts with %PDF), and `refusal` gives the
one plain sentence an editor reads when the file cannot be imported.

A Word file is a zip: its unpacked size and compression ratio are checked before anything is read,
XML with a DOCTYPE is refused (Word never writes one), macros are never run (a .docm is refused).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from .. import workbook

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
