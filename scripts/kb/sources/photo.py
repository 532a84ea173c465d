"""`kb import photo FILE --to RECORD --alt TEXT`: a phone photo as the site wants it.

Phones write 12–50 megapixel JPEGs of 5–15 MB, or HEIC (iPhones), with the location in EXIF or
XMP and the picture stored sideways plus an orientation tag. The site refuses files over 10 MB and
publishes no location, so the editor needs a tool. This one reads the photo with the project's one
image reader (content.media.read_image: the orientation applied, the pixel limit before
decoding), makes it at most 3000 px on its long side, and writes a JPEG that carries pixels and
the colour profile only (no EXIF, XMP or comment: nothing says where it was taken), under the
10 MB limit, in `images/` beside the record; then it appends `![alt](images/NAME.jpg)` to the
record's body. HEIC is read by pillow-heif (the maintained libheif binding for Pillow, with
wheels that carry libheif), registered only here.

Nothing is written unless everything succeeded: the photo is written first under a temporary
name, the record is written, then the photo is renamed into place.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..content import media

LONG_SIDE = 3000
# The reader scales a JPEG while decoding, so a 200-megapixel phone mode is still cheap to read;
# other formats are decoded whole.
IMPORT_PIXEL_LIMIT = 210_000_000
QUALITIES = (88, 82, 76, 70, 64)
HEIF_SUFFIXES = (".heic", ".heif", ".hif")


class PhotoImportError(Exception):
    """A refusal with its message for the editor (Chinese, names the file and the fix)."""


@dataclass(frozen=True)
class Imported:
    photo: Path  # the JPEG written
    record: Path
    line: int  # the record's line that shows it
    markdown: str
    width: int
    height: int
    size: int  # bytes
    had_location: bool


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError as exc:  # pinned in requirements.txt; a broken install is said plainly
        raise PhotoImportError(
            "读取 HEIC 照片需要 pillow-heif，但它没有安装。请运行 .venv/bin/pip install -r requirements.txt。"
        ) from exc
    register_heif_opener()


def escape_alt(text: str) -> str:
    """Alternative text as Markdown image text: one line, brackets and backslashes escaped, so
    `](javascript:…)` or a stray `]` stays text."""
    one_line = " ".join(text.split())
    return re.sub(r"([\\\[\]])", r"\\\1", one_line)


def _escape_title(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')


def encode_jpeg(image, max_bytes: int = media.MAX_BYTES) -> bytes:
    """The image (already upright) as a JPEG of at most LONG_SIDE px and `max_bytes`, with the
    colour profile only. Lowers the quality, then the size, until it fits."""
    from PIL import Image

    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    long_side = LONG_SIDE
    while True:
        scale = min(1.0, long_side / max(image.size))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        frame = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0) if size != image.size else image
        frame.info = {}
        for quality in QUALITIES:
            out = io.BytesIO()
            options = {"quality": quality, "optimize": True, "progressive": True}
            if icc:
                options["icc_profile"] = icc
            frame.save(out, "JPEG", **options)
            if out.tell() <= max_bytes:
                return out.getvalue()
        long_side = int(long_side * 0.8)


def _target_name(record: Path, folder: Path) -> Path:
    stem = record.name[: -len(".md")]
    n = 1
    while (folder / f"{stem}-{n}.jpg").exists():
        n += 1
    return folder / f"{stem}-{n}.jpg"


def import_photo(source: Path, record: Path, alt: str | None, *, caption: str | None = None) -> Imported:
    source, record = Path(source), Path(record)
    if alt is None or not alt.strip():
        raise PhotoImportError(
            "请用 --alt 写明照片的内容（替代文字：看不到图片的读者听到的说明），"
            '例如 --alt "主讲人在会场作报告"。不要写“图片”“照片1”。'
        )
    if not source.is_file():
        raise PhotoImportError(f"找不到照片文件 {source}。请检查路径（路径中有空格时请加引号）。")
    if record.suffix != ".md" or not record.is_file():
        raise PhotoImportError(
            f"找不到记录 {record}。--to 后面写记录的 .md 文件，例如 docs/lectures/2024-05-20-xxx.md。"
        )
    if re.search(r"\.[a-z]{2}\.md$", record.name):
        raise PhotoImportError(
            f"{record} 是译文。请把照片放到中文记录（{re.sub(r'[.][a-z]{2}[.]md$', '.md', record.name)}）里。"
        )
    with open(source, "rb") as f:  # an iPhone photo renamed .jpg is still HEIC
        kind = media.image_format(f.read(64), source.suffix.lower())
    if source.suffix.lower() in HEIF_SUFFIXES or kind == "HEIF":
        _register_heif()
    try:
        shown, image = media.read_image(source, fit=LONG_SIDE, limit=IMPORT_PIXEL_LIMIT)
    except media.ImageRefused as exc:
        if exc.reason == "pixels":
            w, h = exc.size or (0, 0)
            raise PhotoImportError(
                f"照片 {source} 有 {w}×{h} 像素，超过了可导入的上限（2 亿像素）。请先用看图软件缩小后再导入。"
            ) from None
        if exc.reason == "not_image" and source.suffix.lower() not in (*media.RASTER, *HEIF_SUFFIXES):
            raise PhotoImportError(
                f"{source} 不是能识别的照片格式。请导入 JPEG、PNG、WebP、HEIC（iPhone）、GIF、TIFF、BMP 或 ICO 图片。"
            ) from None
        raise PhotoImportError(exc.message(str(source), source.suffix)) from None
    data = encode_jpeg(image)
    folder = record.parent / "images"
    target = _target_name(record, folder)
    rel = target.relative_to(record.parent).as_posix()
    title = f' "{_escape_title(caption)}"' if caption and caption.strip() else ""
    markdown = f"![{escape_alt(alt)}]({rel}{title})"
    text = record.read_text("utf-8-sig")
    body = text.rstrip("\n") + "\n\n" + markdown + "\n"
    line = body.count("\n")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.kb-tmp")
    tmp.write_bytes(data)
    try:
        record.write_text(body, "utf-8")
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    with_size = _size_of(data)
    return Imported(target, record, line, markdown, with_size[0], with_size[1], len(data), shown.location)


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", *HEIF_SUFFIXES)


def _taken(path: Path) -> tuple:
    """When a photo was taken (EXIF DateTimeOriginal, else DateTime), for putting a batch in order;
    photos without one come after, by name."""
    from PIL import Image

    if path.suffix.lower() in HEIF_SUFFIXES:
        _register_heif()
    try:
        with Image.open(path) as img:
            exif = img.getexif()
            when = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    except Exception:  # an unreadable photo is refused, with its reason, when it is imported
        when = None
    return (0, str(when), path.name) if when else (1, "", path.name)


def batch(names: list[str]) -> list[Path]:
    """The photos named: files as given, a folder's photos; all in the order they were taken."""
    files: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES]
            if not inside:
                raise PhotoImportError(f"文件夹 {path} 里没有照片（JPEG、PNG、WebP 或 HEIC）。")
            files += inside
        else:
            files.append(path)
    return sorted(dict.fromkeys(files), key=lambda p: _taken(p) if p.is_file() else (2, "", p.name))


def caption_key(name: str) -> str:
    """A photo's name as a caption sheet may write it: any case, full-width letters, and without its
    extension (Windows hides extensions, so editors type IMG_0007 for IMG_0007.jpeg)."""
    import unicodedata

    name = unicodedata.normalize("NFKC", Path(name.strip()).name).casefold()
    return name[: -len(Path(name).suffix)] if Path(name).suffix in PHOTO_SUFFIXES else name


def caption_for(texts: dict, path: Path) -> tuple[str | None, str | None] | None:
    """The (alt text, caption) a caption sheet gives the photo at `path`, or None."""
    found = texts.get(caption_key(path.name))
    return found[:2] if found else None


def caption_sheet(name: str) -> dict[str, tuple[str | None, str | None, str]]:
    """{caption_key(file name): (alt text, caption, the name as typed)} from a sheet with the columns
    文件名, 替代文字 (or 说明), 图注."""
    from . import workbook

    keys = {"文件名": "file", "照片": "file", "替代文字": "alt", "说明": "alt", "照片说明": "alt", "图注": "caption"}

    def is_header(row):
        return any(keys.get(workbook.normalise_heading(c.value)) == "file" for c in row)

    try:
        grid, header = workbook.pick_sheet(
            name, name, is_header, f"{name}: 找不到表头：第一行应有“文件名”“替代文字”“图注”。"
        )
    except workbook.WorkbookError as exc:
        raise PhotoImportError(str(exc)) from None
    columns = {
        keys[workbook.normalise_heading(c.value)]: i
        for i, c in enumerate(grid.rows[header])
        if workbook.normalise_heading(c.value) in keys
    }
    out = {}
    for row in grid.rows[header + 1 :]:
        values = {
            key: str(row[i].value).strip()
            for key, i in columns.items()
            if i < len(row) and row[i].value not in (None, "") and str(row[i].value).strip()
        }
        if values.get("file"):
            out[caption_key(values["file"])] = (values.get("alt"), values.get("caption"), values["file"])
    return out


def _size_of(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.size
