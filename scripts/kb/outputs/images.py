"""Responsive photos: smaller copies for phones and screens, encoded once, without location data.

For each photo a page shows, the build writes WebP and JPEG copies 480, 960 and 1600 px wide
(never wider than the photo) beside it, and the page offers them through `srcset`. Encoding a
6000×4000 photo takes about a second, so copies are kept in a cache folder outside site/
(`.cache/kb-images/`, git-ignored) under the SHA-256 of the photo's bytes: a rebuild re-encodes
only photos that changed. Pillow is the imaging library of the Python ecosystem.

Every photo is read by `content.media.read_image`, the function `kb check` uses too, so the two
agree: the pixel limit is applied to the header before anything is decoded, and a file that is
not an image or is damaged is refused by both.

Location data never reaches the public: the copies carry no metadata at all (no EXIF, XMP,
comment; only the colour profile), and the original file that MkDocs copies into the site is
rewritten without its GPS block and XMP packets (`strip_location`, `media.without_location`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import re
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from PIL import Image

from ..content import media
from .processes import pool as worker_pool

WIDTHS = (480, 960, 1600)
FORMATS = (
    ("webp", "WEBP", {"quality": 72, "method": 4}),
    ("jpg", "JPEG", {"quality": 78, "optimize": True, "progressive": True}),
)
RASTER = (".jpg", ".jpeg", ".png", ".webp")
VARIANT_NAME = re.compile(r"\.kb\d+\.(webp|jpg)$")
GPS_IFD = 0x8825
# The lightbox shows the 1600 px JPEG; pages show the 960 px one until srcset picks.
DEFAULT_WIDTH = 960
SIZES = "(min-width: 61.25em) 46rem, 100vw"

# What a file that is not a readable image raises (a renamed file, a truncated upload, a bomb).
UNREADABLE = (media.ImageRefused,)


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    ext: str
    name: str  # file name beside the original, e.g. "photo.kb960.webp"


@dataclass(frozen=True)
class ImageSet:
    digest: str
    width: int  # of the original, after EXIF rotation
    height: int
    variants: tuple[Variant, ...]

    def of(self, ext: str) -> list[Variant]:
        return [v for v in self.variants if v.ext == ext]

    def default(self, ext: str = "jpg") -> Variant:
        fitting = [v for v in self.of(ext) if v.width <= DEFAULT_WIDTH]
        return fitting[-1] if fitting else self.of(ext)[0]

    def largest(self, ext: str = "jpg") -> Variant:
        return self.of(ext)[-1]


def variant_name(stem: str, width: int, ext: str) -> str:
    return f"{stem}.kb{width}.{ext}"


def target_widths(width: int) -> list[int]:
    widths = [w for w in WIDTHS if w < width]
    return widths + [min(width, WIDTHS[-1])] if not widths or widths[-1] < min(width, WIDTHS[-1]) else widths


class VariantCache:
    """Encoded copies by content hash. Safe to share between builds and languages."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._digests: dict[tuple[str, int, int], str] = {}
        self.encoded = 0  # photos encoded by this process (the benchmark reports it)

    def digest(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in self._digests:
            self._digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._digests[key]

    def _cached_info(self, digest: str) -> dict | None:
        meta = self.folder / digest[:2] / f"{digest}.json"
        if meta.is_file():
            info = json.loads(meta.read_text("utf-8"))
            if all((meta.parent / f"{digest}.{w}.{ext}").is_file() for w, _, ext in info["variants"]):
                return info
        return None

    def _remember(self, digest: str, info: dict) -> None:
        meta = self.folder / digest[:2] / f"{digest}.json"
        meta.parent.mkdir(parents=True, exist_ok=True)
        tmp = meta.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(info), "utf-8")
        os.replace(tmp, meta)

    def image_set(self, path: Path) -> ImageSet:
        digest = self.digest(path)
        info = self._cached_info(digest)
        if info is None:
            info = encode_variants(path, digest, self.folder / digest[:2])
            self.encoded += 1
            self._remember(digest, info)
        return self._set(digest, path.stem, info)

    def encode_all(self, paths, processes: int | None = None) -> int:
        """Encode every photo of `paths` that the cache lacks, in a pool of `processes` worker
        processes (default: the cores this process may use), before the pages ask for them one by
        one. Encoding is a pure function of the photo's bytes, so the copies are byte for byte
        those a serial build writes. A photo that cannot be read is left for its page, whose build
        step refuses it with the message. Returns how many photos were encoded."""
        todo: dict[str, Path] = {}
        for path in paths:
            digest = self.digest(Path(path))
            if digest not in todo and self._cached_info(digest) is None:
                todo[digest] = Path(path)
        workers = min(processes or available_cores(), len(todo))
        if workers <= 1:
            for path in todo.values():
                try:
                    self.image_set(path)
                except media.ImageRefused:
                    continue
            return len(todo)
        done: set[str] = set()
        try:
            with worker_pool(workers) as pool:
                futures = {
                    pool.submit(encode_variants, path, digest, self.folder / digest[:2]): digest
                    for digest, path in todo.items()
                }
                for future in as_completed(futures):
                    try:
                        info = future.result()
                    except media.ImageRefused:
                        continue
                    self.encoded += 1
                    self._remember(futures[future], info)
                    done.add(futures[future])
        except (BrokenProcessPool, OSError):  # no worker could start (or one was killed): go on here
            for digest, path in todo.items():
                if digest not in done:
                    with contextlib.suppress(media.ImageRefused):
                        self.image_set(path)
        return len(todo)

    def cached_file(self, digest: str, width: int, ext: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.{width}.{ext}"

    @staticmethod
    def _set(digest: str, stem: str, info: dict) -> ImageSet:
        variants = tuple(Variant(w, h, ext, variant_name(stem, w, ext)) for w, h, ext in info["variants"])
        return ImageSet(digest, info["width"], info["height"], variants)


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def encode_variants(path: Path, digest: str, folder: Path) -> dict:
    """Write the photo's variants into `folder` as `<digest>.<width>.<ext>`; returns what the
    cache's JSON holds. A pure function of the file's bytes (the pool runs it in other processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    shown, img = media.read_image(path, fit=WIDTHS[-1])
    width, height = shown.width, shown.height
    icc = img.info.get("icc_profile")
    has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if has_alpha else "RGB")
    variants = []
    for w in target_widths(width):
        h = max(1, round(height * w / width))
        resized = img.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for ext, fmt, options in FORMATS:
            frame = resized
            if fmt == "JPEG":
                frame = _flatten(resized) if has_alpha else resized.convert("RGB")
            elif not has_alpha:
                frame = resized.convert("RGB")
            frame.info = {}  # no comment, EXIF or XMP follows the pixels into the copies
            out = io.BytesIO()
            frame.save(out, fmt, **options, **({"icc_profile": icc} if icc else {}))
            target = folder / f"{digest}.{w}.{ext}"
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(out.getvalue())
            os.replace(tmp, target)
            variants.append((w, h, ext))
    return {"width": width, "height": height, "variants": variants}


def _flatten(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def publish_variants(cache: VariantCache, image_set: ImageSet, original_dest: Path) -> None:
    """Copy the encoded variants beside the original's place in the site (hard links when possible)."""
    original_dest.parent.mkdir(parents=True, exist_ok=True)
    for v in image_set.variants:
        target = original_dest.parent / v.name
        if target.exists():
            continue
        source = cache.cached_file(image_set.digest, v.width, v.ext)
        try:
            os.link(source, target)
        except OSError:
            target.write_bytes(source.read_bytes())


# --- location data in the originals --------------------------------------------------------------


def strip_location(path: Path) -> bool:
    """Remove location data from a published original in place; True when the file changed.
    Never raises for a bad file (kb check refuses those before any build)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}.get(path.suffix.lower(), "")
    new, _ = media.without_location(data, fmt)
    if new == data:
        return False
    tmp = path.with_name(f".{path.name}.kb-tmp")
    tmp.write_bytes(new)
    os.replace(tmp, path)
    return True


def has_location(path: Path) -> bool:
    """Whether a published image still says where it was taken (the tests use it)."""
    data = path.read_bytes()
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}.get(path.suffix.lower(), "")
    _, found = media.without_location(data, fmt)
    return found or b"GPSLatitude" in data or b"exif:GPS" in data


# --- the HTML of a page ---------------------------------------------------------------------------------


_P_IMG = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
_IMG = re.compile(r"<img\b[^>]*>")


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def rewrite_html(html: str, resolve_image) -> tuple[str, bool]:
    """Every local photo as <picture> with srcset, width/height and lazy loading; a photo alone in
    its paragraph becomes a <figure> whose caption is the Markdown title; photos open in the
    lightbox. `resolve_image(src)` returns (ImageSet, url prefix for the variants) or None.
    Returns the HTML and whether any photo was found (the page then needs the lightbox)."""
    from ..content.links import attributes

    found = False

    def picture(tag: str, *, lightbox: bool) -> tuple[str, str | None]:
        nonlocal found
        attrs = attributes(tag[4:-1].rstrip("/"))
        src = attrs.get("src") or ""
        hit = resolve_image(_unescape(src))
        if hit is None:
            return tag, None
        found = True
        image_set, prefix = hit
        prefix = _escape(quote(prefix, safe="/%:@!$&'()*+,;=-._~"))
        alt = _unescape(attrs.get("alt") or "")
        title = attrs.get("title")
        caption = _unescape(title) if title else None
        classes = (attrs.get("class") or "").split()
        lightbox = lightbox and "kb-cover" not in classes
        sizes = "8rem" if "kb-cover" in classes else SIZES
        default = image_set.default()

        def url(v: Variant) -> str:  # spaces and other characters percent-encoded: srcset splits on spaces
            return prefix + quote(v.name)

        def srcset(ext: str) -> str:
            return ", ".join(f"{url(v)} {v.width}w" for v in image_set.of(ext))

        extra = "".join(
            f' {k}="{_escape(_unescape(v or ""))}"'
            for k, v in attrs.items()
            if k not in ("src", "alt", "title", "width", "height", "loading", "decoding", "srcset", "sizes")
        )
        img = (
            f'<img src="{url(default)}" srcset="{srcset("jpg")}" sizes="{sizes}" '
            f'width="{default.width}" height="{default.height}" alt="{_escape(alt)}" loading="lazy" decoding="async"{extra}>'
        )
        out = f'<picture><source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">{img}</picture>'
        if lightbox:
            large = image_set.largest()
            described = f' data-title="{_escape(caption)}"' if caption else ""
            out = (
                f'<a class="glightbox kb-lightbox" href="{url(large)}" data-type="image" data-width="auto" '
                f'data-height="auto" data-alt="{_escape(alt)}"{described}>{out}</a>'
            )
        return out, caption

    def in_figure_or_link(pos: int) -> tuple[bool, bool]:
        before = html[:pos]
        in_figure = before.rfind("<figure") > before.rfind("</figure>")
        in_link = before.rfind("<a ") > before.rfind("</a>")
        return in_figure, in_link

    def replace_paragraph(m: re.Match) -> str:
        in_figure, in_link = in_figure_or_link(m.start())
        out, caption = picture(m.group(1), lightbox=not in_link)
        if out == m.group(1):
            return m.group(0)
        if in_figure:
            return out
        figcaption = f"<figcaption>{_escape(caption)}</figcaption>" if caption else ""
        return f'<figure class="kb-figure">{out}{figcaption}</figure>'

    html = _P_IMG.sub(replace_paragraph, html)

    def replace_inline(m: re.Match) -> str:
        if " srcset=" in m.group(0):
            return m.group(0)  # one of ours, or an editor's own responsive image
        _, in_link = in_figure_or_link(m.start())
        out, _ = picture(m.group(0), lightbox=not in_link)
        return out

    html = _IMG.sub(replace_inline, html)
    return html, found


def site_path(page_url: str, src: str) -> str | None:
    """The site-relative path an <img src> on a page at `page_url` points to, or None if remote."""
    if not src or re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//|#)", src):
        return None
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])  # 微信图片.jpg is written %E5%BE%AE….jpg
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    target = posixpath.normpath(posixpath.join(base, path))
    # Above the site's root ("../../../home/x.jpg"): not a photo of the site, never read or copied
    return None if target == ".." or target.startswith("../") else target
