"""Photos and attachments in editors' pages: what `kb check` refuses, and what record headers list.

An image needs alternative text (WCAG 1.1.1); no file in docs/ may exceed `MAX_BYTES` (a phone
photo is 3–8 MB, a 30 MB scan is a mistake that would be published as is); every image and
attachment a page names must exist. The build's responsive variants live in `images.py`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from . import links, personal_data
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


@dataclass(frozen=True)
class Reference:
    kind: str  # "image" | "link" | "embed" (see links.Reference)
    src: str  # as written
    alt: str | None  # images: the alternative text (None: no alt attribute at all)
    title: str | None
    line: int  # 1-based, in the file
    html: bool = False


def references(body: str, body_line: int) -> list[Reference]:
    """The body's references outside code (links.scan, the one parser), with their file lines."""
    return [
        Reference(r.kind, r.src, r.alt, r.title, body_line + body.count("\n", 0, r.offset), r.html)
        for r in links.scan(body)
        if not r.code
    ]


def is_local(src: str) -> bool:
    return bool(src) and not re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)", src)


def resolve(page_src: str, src: str) -> str:
    """The docs-relative path a page's relative reference names ("../images/a.jpg" from
    "lectures/x.md" is "images/a.jpg"); "/x" is from the docs root."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_src), path))


def shown_images(kb: KnowledgeBase) -> list[str]:
    """Docs-relative paths of the photos this edition's pages show (bodies of every language and
    covers), in page order, once each: what the build will encode."""
    out: dict[str, None] = {}
    for e in kb.entries.values():
        cover = getattr(e.data, "cover", None)
        if cover and is_local(cover) and not resolve(e.src, cover).startswith("../"):
            out.setdefault(resolve(e.src, cover), None)
        for src, body in e.bodies():
            for ref in links.scan(body):
                if ref.kind == "link" or not is_local(ref.src):
                    continue
                target = links.resolve(src, ref.src, ref.html) if ref.html else resolve(src, ref.src)
                if target is None or target == ".." or target.startswith("../"):
                    continue  # outside docs/: never read (a page cannot show a file from elsewhere)
                if Path(target).suffix.lower() in RASTER and (kb.docs_dir / target).is_file():
                    out.setdefault(target, None)
    return list(out)


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
    """Files other than images that a page links to in Markdown, in order, once each."""
    out: dict[str, Attachment] = {}
    for ref in links.scan(body):
        if ref.code or ref.kind != "link" or ref.how != "markdown" or not is_local(ref.src):
            continue
        target = resolve(page_src, ref.src)
        path = docs_dir / target
        if is_attachment(target) and path.is_file() and target not in out:
            text = (ref.text or "").strip() or Path(target).name
            out[target] = Attachment(target, text, ATTACHMENT_TYPES[Path(target).suffix.lower()], path.stat().st_size)
    return list(out.values())


# --- reading an image: the one function kb check and the build share ------------------------------

# A phone photo is 12–50 megapixels; a page that shows more makes a phone decode it whole (a
# 30000×30000 PNG of 0.9 MB is 900 megapixels, 3.6 GB of memory). Checked on the header, before
# any decoding. Documented in the editors' guide.
PIXEL_LIMIT = 50_000_000
PIXEL_LABEL = "5000 万"
IMAGE_SUFFIXES = RASTER  # every such file in docs/ is read, whether a page shows it or not
# What the site publishes: JPEG, PNG and WebP photos, one frame each (the build makes their
# responsive copies and removes their location). Every other picture in docs/, whatever its name
# says (HEIC, TIFF, BMP, ICO, GIF, AVIF, a GIF named .jpg, a JPEG named .dat), is refused with the
# command that converts it: browsers show some of them broken, and none of them gets a copy
# without its location or a frame limit.
PUBLISHED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_FRAMES = 1
OTHER_IMAGE_SUFFIXES = {
    ".gif", ".bmp", ".dib", ".tif", ".tiff", ".ico", ".cur", ".heic", ".heif", ".hif", ".avif", ".jxl",
    ".jp2", ".j2k", ".jpx", ".psd", ".tga", ".pcx", ".ppm", ".pgm", ".pbm", ".pnm", ".xbm", ".xpm",
    ".emf", ".wmf", ".icns", ".dds", ".jfif", ".pjpeg", ".apng",
}  # fmt: skip
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def image_format(head: bytes, suffix: str = "") -> str | None:
    """What kind of picture a file's first bytes say it is (None: not a picture we know). Only
    signatures no other kind of file starts with; ICO's weak one only for a .ico or .cur name."""
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 64, 108, 124):
        return "BMP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIF"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "JXL"
    if head[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n":
        return "JPEG 2000"
    if suffix in (".ico", ".cur") and head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"):
        return "ICO"
    return None


_FORMAT_NAMES = {
    "HEIF": "HEIC（iPhone 照片）",
    "AVIF": "AVIF",
    "TIFF": "TIFF（扫描件常用）",
    "BMP": "BMP",
    "ICO": "ICO 图标",
    "GIF": "GIF",
    "PSD": "Photoshop（PSD）",
    "JXL": "JPEG XL",
    "JPEG 2000": "JPEG 2000",
}


def format_message(shown_src: str, suffix: str, fmt: str | None, page: str | None) -> str:
    """The refusal of a picture in a format the site does not publish, with the command to run."""
    to = page or "页面.md"
    command = f'kb import photo {shown_src} --to {to} --alt "图片内容"'
    if fmt is None:
        what = f"扩展名是 {suffix}，是网站不发布的图片格式"
    elif fmt in PUBLISHED_FORMATS:
        what = f"内容是 {fmt} 图片，扩展名却是 {suffix or '（没有扩展名）'}"
    else:
        name = _FORMAT_NAMES.get(fmt, fmt)
        what = f"是 {name} 图片" + (
            f"（扩展名是 {suffix}）" if suffix and suffix.lstrip(".").upper() not in fmt else ""
        )
    return (
        f"“{shown_src}”{what}。网站只发布 JPEG、PNG 和 WebP 照片（其他格式有的浏览器显示不出，也不会去掉拍摄地点）。"
        f"请用这条命令把它转成 JPEG 放到记录旁边：{command}，然后删除原文件。"
    )


class ImageRefused(Exception):
    """A file that cannot be published as a photo. `reason`: "pixels" (too many pixels),
    "not_image" (no image format recognised), "damaged" (recognised, but the data is broken),
    "format" (a picture, but not JPEG, PNG or WebP: `detail` names it), "frames" (an animation)."""

    def __init__(self, reason: str, detail: str = "", *, size: tuple[int, int] | None = None):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.size = size

    def message(self, shown_src: str, suffix: str, page: str | None = None) -> str:
        if self.reason == "format":
            return format_message(shown_src, suffix, self.detail or None, page)
        if self.reason == "frames":
            return (
                f"图片“{shown_src}”是一张动图（{self.detail} 帧）。网站只发布静态照片：动图的每一帧都要读者的手机解码，"
                f"帧数多时可能卡死。请用 kb import photo {shown_src} --to {page or '页面.md'} "
                '--alt "图片内容" 转成一张 JPEG（取第一帧）；需要动画时，请做成视频文件放入 files/ 文件夹并链接。'
            )
        if self.reason == "pixels":
            w, h = self.size or (0, 0)
            return (
                f"图片“{shown_src}”有 {w}×{h} 像素（{_megapixels(w * h)}），超过了 {PIXEL_LABEL} 像素的上限："
                "读者的手机打开页面时要解码全部像素，可能卡死。请缩小到长边 3000 像素左右再放入"
                "（例如 kb import photo 文件 --to 页面.md）。"
            )
        if self.reason == "not_image":
            return (
                f"文件“{shown_src}”不是图片：扩展名是 {suffix}，但内容不是任何图片格式（可能是改了扩展名的其他文件）。"
                "网站不会发布未能读取的图片。请用看图软件打开确认，重新导出为 JPEG 后再放入，或者删掉它。"
            )
        return (
            f"图片“{shown_src}”已损坏，无法完整读取（{self.detail or '数据不完整'}），常见于没有传完的文件。"
            "网站不会发布未能读取的图片。请从原始来源重新复制或导出为 JPEG 后再放入。"
        )


def _megapixels(pixels: int) -> str:
    if pixels >= 100_000_000:
        return f"{pixels / 100_000_000:.2f} 亿"
    return f"{pixels / 10_000:.0f} 万"


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "JPEG", "PNG", "WEBP"
    width: int  # as shown: after the EXIF orientation
    height: int
    location: bool  # the file says where it was taken (EXIF GPS, or XMP/text naming GPS)
    frames: int = 1


def read_image(path: Path, *, fit: int | None = None, limit: int = PIXEL_LIMIT):
    """Read an image file completely, or refuse it: the one way the project reads an image.

    The pixel limit (`limit`; PIXEL_LIMIT for anything published) is applied to the header's
    size before anything is decoded. Then the image
    is decoded; a JPEG at the smallest scale the decoder offers that is still at least `fit`
    pixels wide (`fit=None`: the smallest, enough to prove the data is whole). Returns
    (ImageInfo, decoded Pillow image after EXIF orientation, with no metadata left in `info`
    except the ICC profile). Raises ImageRefused, never anything else for a bad file."""
    from PIL import Image, ImageOps

    data = path.read_bytes()
    try:
        previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # our own limit, below
        try:
            opened = Image.open(io.BytesIO(data))
        finally:
            Image.MAX_IMAGE_PIXELS = previous
    except Image.UnidentifiedImageError:
        kind = image_format(data[:64], path.suffix.lower())
        if kind in ("HEIF", "JXL"):  # a picture Pillow has no reader for here (HEIC without pillow-heif)
            raise ImageRefused("format", kind) from None
        raise ImageRefused("not_image") from None
    except Exception as exc:  # a recognised format whose header is broken
        raise ImageRefused("damaged", _reason(exc)) from None
    w, h = opened.size
    # A phone's JPEG with more pictures appended (MPF: a depth map, a gain map) is one photo to a
    # browser, which shows the first; the published copy ends after it (without_location).
    frames = 1 if opened.format == "MPO" else max(1, getattr(opened, "n_frames", 1) or 1)
    if w * h * frames > limit or w <= 0 or h <= 0:
        raise ImageRefused("pixels", size=(w, h))
    fmt = "JPEG" if opened.format == "MPO" else opened.format or ""
    try:
        exif = opened.getexif()
        orientation, gps = exif.get(0x0112, 1), GPS_IFD in exif
    except Exception:
        orientation, gps = 1, False
    icc = opened.info.get("icc_profile")
    try:
        if fmt == "JPEG":
            # draft() lets the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding: a 6000 px
            # photo is decoded at 1500–3000 px, several times faster, for the same result.
            box = (1, fit or 1) if orientation in (5, 6, 7, 8) else (fit or 1, 1)  # variants go by shown width
            opened.draft(opened.mode if opened.mode in ("RGB", "L", "CMYK") else "RGB", box)
        opened.load()
        image = ImageOps.exif_transpose(opened) if orientation != 1 else opened
    except Exception as exc:
        raise ImageRefused("damaged", _reason(exc)) from None
    image.info = {"icc_profile": icc} if icc else {}
    turned = orientation in (5, 6, 7, 8)
    _, found = without_location(data, fmt)
    info = ImageInfo(fmt, h if turned else w, w if turned else h, found or gps, frames)
    return info, image


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "truncated" in text:
        return "文件不完整"
    return type(exc).__name__


_INSPECTED: dict[tuple[str, int, int], ImageInfo | ImageRefused] = {}
VERDICT_VERSION = 2  # raise when the verdict is judged differently, so stored verdicts are not reused


def verdict_folder(docs_dir: Path) -> Path:
    """Where read_image's verdicts are kept between runs: the photo cache (KB_IMAGE_CACHE, or
    .cache/kb-images/ beside docs/, git-ignored)."""
    folder = os.environ.get("KB_IMAGE_CACHE")
    return Path(folder) if folder else Path(docs_dir).parent / ".cache" / "kb-images"


def inspect_image(path: Path, cache: Path | None = None) -> ImageInfo:
    """read_image's verdict, remembered while the file is unchanged (the build loads the knowledge
    base once per language, the preview once per save) and, with `cache`, stored under the SHA-256
    of the file's bytes, so the next build or kb check reads each unchanged photo's bytes but
    decodes nothing (a verdict depends on the bytes alone)."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _INSPECTED:
        _INSPECTED[key] = _verdict(path, cache)
    verdict = _INSPECTED[key]
    if isinstance(verdict, ImageRefused):
        raise verdict
    return verdict


def _verdict(path: Path, cache: Path | None) -> ImageInfo | ImageRefused:
    stored = None
    if cache is not None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stored = Path(cache) / "checked" / digest[:2] / f"{digest}.v{VERDICT_VERSION}.{PIXEL_LIMIT}.json"
        try:
            data = json.loads(stored.read_text("utf-8"))
            if "refused" in data:
                size = tuple(data["size"]) if data.get("size") else None
                return ImageRefused(data["refused"], data.get("detail", ""), size=size)
            return ImageInfo(data["format"], data["width"], data["height"], data["location"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    try:
        verdict: ImageInfo | ImageRefused = read_image(path)[0]
        if verdict.format not in PUBLISHED_FORMATS:  # a GIF or TIFF named .jpg
            raise ImageRefused("format", verdict.format)
        if verdict.frames > MAX_FRAMES:
            raise ImageRefused("frames", str(verdict.frames))
        data = {
            "format": verdict.format,
            "width": verdict.width,
            "height": verdict.height,
            "location": verdict.location,
        }
    except ImageRefused as exc:
        verdict = exc
        data = {"refused": exc.reason, "detail": exc.detail, "size": list(exc.size) if exc.size else None}
    if stored is not None:
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            stored.parent.mkdir(parents=True, exist_ok=True)
            tmp = stored.with_name(f"{stored.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), "utf-8")
            os.replace(tmp, stored)
    return verdict


# --- location data --------------------------------------------------------------------------------

GPS_IFD = 0x8825
_TRACE = (b"GPS", b"xmpmeta", b"xpacket", b"XML:com.adobe.xmp")


def without_location(data: bytes, fmt: str) -> tuple[bytes, bool]:
    """The file's bytes without anything that can say where it was taken, and whether there was
    any: the EXIF GPS directory (the rest of EXIF, e.g. the orientation, stays) and every XMP
    packet or text that names GPS wherever it sits. The pixels are not touched (no re-encoding).

    JPEG: every APP1 that is not EXIF (XMP, extended XMP, any other prefix), comments, APP13
    (Photoshop/IPTC), any other APPn naming XMP or GPS, the MPF index, and whatever follows the
    end of the image (phones append depth maps and gain maps with their own EXIF).
    PNG: tEXt, zTXt, iTXt and unknown ancillary chunks; eXIf without GPS; nothing after IEND.
    WebP: XMP chunks and unknown chunks; EXIF without GPS; the VP8X flags and sizes updated.
    Never raises: data it cannot walk is returned as it is, with found=True if it holds a trace."""
    try:
        if fmt == "JPEG" or data[:2] == b"\xff\xd8":
            out = _jpeg_clean(data)
        elif data[:8] == b"\x89PNG\r\n\x1a\n":
            out = _png_clean(data)
        elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            out = _webp_clean(data)
        else:
            out = None
    except Exception:
        out = None
    if out is None:
        return data, any(t in data for t in _TRACE)
    return out


def _exif_without_gps(tiff: bytes) -> tuple[bytes | None, bool]:
    """(the TIFF-format EXIF without its GPS directory, or None when it had none; whether it had
    any). EXIF that Pillow cannot read is dropped whole (b"")."""
    from PIL import Image

    try:
        exif = Image.Exif()
        exif.load(tiff)
        if GPS_IFD not in exif:
            return None, False
        del exif[GPS_IFD]
        exif._ifds.pop(GPS_IFD, None)  # tobytes() would write a loaded GPS directory back
        out = exif.tobytes()[6:]  # without the b"Exif\0\0" of a JPEG segment
        again = Image.Exif()
        again.load(out)
        if GPS_IFD in again:
            return b"", True
        return out, True
    except Exception:
        return b"", b"GPS" in tiff


def _jpeg_clean(data: bytes) -> tuple[bytes, bool] | None:
    if data[:2] != b"\xff\xd8":
        return None
    out = bytearray(b"\xff\xd8")
    found = False
    i, n = 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            return None
        if data[i + 1] == 0xFF:  # fill byte
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xD9:
            out += b"\xff\xd9"
            found = found or any(t in data[i + 2 :] for t in _TRACE)
            return bytes(out), found
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[i : i + 2]
            i += 2
            continue
        if i + 4 > n:
            return None
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        end = i + 2 + length
        if length < 2 or end > n:
            return None
        segment = data[i:end]
        payload = segment[4:]
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            j = data.find(b"\xff", end)
            while 0 <= j < n - 1 and (data[j + 1] in (0x00, 0xFF) or 0xD0 <= data[j + 1] <= 0xD7):
                j = data.find(b"\xff", j + 1 if data[j + 1] == 0xFF else j + 2)
            if j < 0 or j >= n - 1:
                return None
            out += data[i:j]
            i = j
            continue
        keep = True
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            stripped, had = _exif_without_gps(payload[6:])
            found = found or had
            if stripped == b"":
                keep = False
            elif stripped is not None:
                body = b"Exif\x00\x00" + stripped
                segment = b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
        elif marker in (0xE1, 0xED, 0xFE) or (
            0xE0 <= marker <= 0xEF and (any(t in payload for t in _TRACE) or payload.startswith(b"MPF\x00"))
        ):
            keep = False  # XMP behind any prefix, Photoshop/IPTC, comments, MPF index, XMP elsewhere
            found = found or any(t in payload for t in _TRACE)
        if keep:
            out += segment
        i = end
    return None  # no end of image: leave the file as it is


_PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"bKGD",
    b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCV", b"cLLI", b"tIME",
}  # fmt: skip


def _png_clean(data: bytes) -> tuple[bytes, bool] | None:
    import zlib

    out = bytearray(data[:8])
    found = False
    i, n = 8, len(data)
    while i + 12 <= n:
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > n:
            return None
        body = data[i + 8 : i + 8 + length]
        chunk = data[i:end]
        if kind == b"eXIf":
            stripped, had = _exif_without_gps(body[6:] if body.startswith(b"Exif\x00\x00") else body)
            found = found or had
            if stripped is not None:
                chunk = (
                    len(stripped).to_bytes(4, "big") + kind + stripped + zlib.crc32(kind + stripped).to_bytes(4, "big")
                    if stripped
                    else b""
                )
        elif kind not in _PNG_KEEP:
            text = body
            if kind in (b"zTXt", b"iTXt"):
                with contextlib.suppress(Exception):  # a broken text chunk goes anyway
                    start = body.index(b"\x00") + 2
                    if kind == b"iTXt":  # keyword, flag, method, language, translated keyword, text
                        start = body.index(b"\x00", body.index(b"\x00", start + 1) + 1) + 1
                    text = body + zlib.decompressobj().decompress(body[start:], 4_000_000)
            found = found or any(t in text for t in _TRACE)
            chunk = b""
        out += chunk
        i = end
        if kind == b"IEND":
            found = found or any(t in data[i:] for t in _TRACE)
            return bytes(out), found
    return None


_WEBP_KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}


def _webp_clean(data: bytes) -> tuple[bytes, bool] | None:
    size = int.from_bytes(data[4:8], "little") + 8
    if size > len(data):
        return None
    chunks = []
    found = any(t in data[size:] for t in _TRACE)
    i = 12
    while i + 8 <= size:
        kind = data[i : i + 4]
        length = int.from_bytes(data[i + 4 : i + 8], "little")
        body = data[i + 8 : i + 8 + length]
        if len(body) < length:
            return None
        i += 8 + length + (length & 1)
        if kind == b"EXIF":
            prefixed = body.startswith(b"Exif\x00\x00")
            stripped, had = _exif_without_gps(body[6:] if prefixed else body)
            found = found or had
            if stripped is not None:
                if not stripped:
                    continue
                body = (b"Exif\x00\x00" if prefixed else b"") + stripped
        elif kind not in _WEBP_KEEP:
            found = found or any(t in body for t in _TRACE)
            continue
        chunks.append((kind, body))
    kinds = {k for k, _ in chunks}
    payload = bytearray()
    for kind, body in chunks:
        if kind == b"VP8X":
            flags = body[0] & ~0x0C  # XMP (0x04) and EXIF (0x08) flags, set again if kept
            flags |= 0x08 if b"EXIF" in kinds else 0
            body = bytes([flags]) + body[1:]
        payload += kind + len(body).to_bytes(4, "little") + body + (b"\x00" if len(body) & 1 else b"")
    return b"RIFF" + (len(payload) + 4).to_bytes(4, "little") + b"WEBP" + bytes(payload), found


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} B"


def check(kb: KnowledgeBase, prefix: str) -> list[Problem]:
    """Images without alternative text, references to missing files, files over the size limit,
    and every image in docs/ read with read_image, as the build reads it: too many pixels, not an
    image, damaged (errors: the build would refuse them), or still carrying its location (a
    warning: the published copy is cleaned, the file in the repository is not)."""
    docs = kb.docs_dir
    problems = []
    first_use: dict[str, tuple[str, int, str]] = {}  # image -> (page, line, as written) where first shown

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
            if not is_local(cover) or target.startswith("../") or not (docs / target).is_file():
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
            else:
                first_use.setdefault(target, (e.src, line, cover))
    for src, parsed in pages:
        for ref in references(parsed.body, parsed.body_line):
            if ref.kind == "image" and (ref.alt is None or not ref.alt.strip()):
                example = (
                    f"![讲座现场，主讲人在台上]({_markdown_path(ref.src)})"
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
            if ref.kind in ("image", "embed") and _outside_docs(src, ref.src, ref.html):
                problems.append(
                    Problem(
                        shown(src),
                        ref.line,
                        f"图片“{ref.src}”在 docs/ 文件夹以外：网站只发布 docs/ 里的文件，也不会去读别处的文件。"
                        "请把图片放进记录旁边的 images/ 文件夹（kb import photo 文件 --to 页面.md），再引用它。",
                    )
                )
                continue
            if (
                target is None
                or target.endswith(".md")
                or target in (".", "")
                or target.startswith("../")
                or GENERATED.search(target)
            ):
                continue  # page links are MkDocs' to check; generated files exist only in the build
            path = docs / target
            if ref.kind in ("image", "embed") and path.suffix.lower() in RASTER:
                first_use.setdefault(target, (src, ref.line, ref.src))
            if ref.kind == "link" and (ref.html or not Path(target).suffix):
                continue  # a directory URL ("../x/"), not a file; HTML links may name pages
            if ref.kind == "embed" and not Path(target).suffix:
                continue
            if not path.is_file():
                what = {"image": "图片", "link": "附件", "embed": "文件"}[ref.kind]
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
            if path.is_symlink():
                continue  # the inventory refuses symlinks (one to itself cannot even be stat()ed)
            rel = path.relative_to(docs).as_posix()
            if hits := personal_data.find(rel):  # a file's name is part of its published address
                problems.append(
                    Problem(
                        shown(rel),
                        1,
                        f"文件名里有{'、'.join(h.describe() for h in hits)}：文件名就是它发布后的网址，任何人都能看到。"
                        "请改名（例如 报名表.pdf），并改正引用它的链接。",
                    )
                )
            if name.endswith(".md"):
                continue
            size = path.stat().st_size
            if size > MAX_BYTES:
                hint = (
                    "照片请缩小到长边 3000 像素左右再放入（kb import photo 会自动缩小；"
                    "网站会自动生成适合手机和电脑的尺寸）"
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
            if name.startswith("."):
                continue
            suffix = path.suffix.lower()
            page, line, written = first_use.get(rel, (rel, 1, rel))
            if suffix not in IMAGE_SUFFIXES:
                # A picture in another format, or one named as something else: refused, never read.
                try:
                    with open(path, "rb") as f:
                        kind = image_format(f.read(64), suffix)
                except OSError:
                    kind = None
                if suffix in OTHER_IMAGE_SUFFIXES or kind is not None:
                    problems.append(
                        Problem(shown(rel), 1, format_message(shown(rel), suffix, kind, _page_of(rel, pages, shown)))
                    )
                continue
            if size > MAX_BYTES:
                continue  # an oversized file is refused above, and not read into memory
            try:
                info = inspect_image(path, verdict_folder(docs))
            except ImageRefused as exc:
                where = "" if page == rel else f"（文件 {shown(rel)}）"
                if exc.reason in ("format", "frames"):  # the command names the file from here
                    message = exc.message(shown(rel), path.suffix, shown(page) if page != rel else None)
                else:
                    message = exc.message(written, path.suffix) + where
                problems.append(Problem(shown(page), line, message))
                continue
            if info.location:
                problems.append(
                    Problem(
                        shown(rel),
                        1,
                        "这张照片带有拍摄地点（GPS 定位）。网站发布的是去掉地点后的副本，但仓库里的原件仍有，"
                        "任何能看到仓库的人都能看到。请用 kb import photo 原照片 --to 页面.md 重新放入"
                        "（会去掉地点并缩小），或用看图软件删除位置信息。",
                        severity="warning",
                    )
                )
    return problems


def _page_of(rel: str, pages: list[tuple[str, object]], shown) -> str | None:
    """The page that shows a file, as the editor sees its path, for the command to run."""
    for src, parsed in pages:
        for ref in references(parsed.body, parsed.body_line):
            if is_local(ref.src) and (
                (links.resolve(src, ref.src, ref.html) if ref.html else resolve(src, ref.src)) == rel
            ):
                return shown(src)
    return None


def _outside_docs(page_src: str, src: str, html: bool) -> bool:
    """Whether a relative reference climbs above docs/ (as Markdown resolves it from the file, or
    as a browser resolves raw HTML from the page's address, one folder deeper)."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not path or re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)", path):
        return False
    if path.startswith("/"):
        base = ""
    elif html:
        stem = re.sub(r"(\.[a-z]{2})?\.md$", "", page_src)
        base = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    else:
        base = posixpath.dirname(page_src)
    target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    return target == ".." or target.startswith("../")


def _markdown_path(src: str) -> str:
    """A path as Markdown needs it: in <…> when it holds a space."""
    return f"<{src}>" if any(c.isspace() for c in src) else src
