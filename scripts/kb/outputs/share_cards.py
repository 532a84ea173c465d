"""Share cards: the image a chat app or social site shows beside a link to a page (`og:image`).

One 1200×630 PNG per page people share (content/sharing.py; the other pages show the site's
card), made at build time: the page's title in white on the site's red, the site's name above
it and the owner (主办单位) below, set in Noto Sans CJK (Debian's fonts-noto-cjk), which has every
Chinese and Latin glyph a title can hold.

Cards are cached by content, like photos: the file name is a hash of everything drawn on the card
and of the renderer's version, kept in `.cache/kb-cards/` beside mkdocs.yml and copied into the
site as `assets/cards/<hash>.png`. A page whose card is cached costs a hash and a file copy; two
pages with the same title and site share one file. Cards the cache lacks are drawn in other
processes while the pages render (CardCache), so a cold build does not wait for them page by page.

Why not Material's social plugin (measured on this site, 85 pages, see the issue 18 report): it
downloads its fonts from Google Fonts at build time (unreachable here and from mainland China: the
build stops with a traceback), breaks lines only at spaces (a Chinese title is one "word" and is
cut off mid-character without an ellipsis), draws in its own indigo rather than the site's red,
needs cairosvg and the Cairo library, and copies 42 MB of fonts into its cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import unicodedata
import zlib
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from . import processes
from .images import available_cores

WIDTH, HEIGHT = 1200, 630
VERSION = "6"  # bump when the drawing changes: every cached card is then made again
FOLDER = "assets/cards"

BACKGROUND = (0xB7, 0x1C, 0x1C)  # --md-primary-fg-color in docs/assets/kb.css
TEXT = (0xFF, 0xFF, 0xFF)

# Debian's fonts-noto-cjk; fc-match finds them where another distribution puts them.
KNOWN_FONTS = {
    "bold": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    ],
    "regular": [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ],
}
_FC_PATTERN = {"bold": "Noto Sans CJK SC:style=Bold", "regular": "Noto Sans CJK SC:style=Regular"}
# Inside the .ttc, the face whose glyph shapes follow the Chinese mainland standard.
_FACE = {"zh": "Noto Sans CJK SC", "en": "Noto Sans CJK SC"}


class FontMissing(Exception):
    """The Noto CJK font is not installed; the message says how to install it."""


def _fc_match(pattern: str) -> str | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if "NotoSansCJK" in os.path.basename(out) or "NotoSansSC" in os.path.basename(out) else None


@cache
def font_file(weight: str) -> str:
    """The Noto Sans CJK file of this weight ("bold" or "regular")."""
    for candidate in KNOWN_FONTS[weight]:
        if os.path.isfile(candidate):
            return candidate
    found = _fc_match(_FC_PATTERN[weight])
    if found and os.path.isfile(found):
        return found
    raise FontMissing(
        "生成分享图片需要思源黑体（Noto Sans CJK），但本机没有安装。"
        "请安装 Debian 的 fonts-noto-cjk 软件包：sudo apt-get install -y fonts-noto-cjk，然后重新构建。"
        f"（已查找：{'、'.join(KNOWN_FONTS[weight])} 和 fc-match “{_FC_PATTERN[weight]}”）"
    )


@cache
def _face_index(path: str) -> int:
    """The index of the Simplified Chinese face in a .ttc collection (0 for a single font)."""
    for index in range(16):
        try:
            family, _ = ImageFont.truetype(path, 10, index=index).getname()
        except OSError:
            break
        if family == _FACE["zh"]:
            return index
    return 0


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    path = font_file(weight)
    return ImageFont.truetype(path, size, index=_face_index(path))


@cache
def _fonts_fingerprint() -> str:
    """Which font files draw the cards: another font (or version) makes every card again."""
    return "|".join(f"{font_file(w)}:{os.path.getsize(font_file(w))}" for w in ("bold", "regular"))


@dataclass(frozen=True)
class Card:
    title: str
    site_name: str
    footer: str  # the owner, 主办单位
    lang: str

    def key(self) -> str:
        parts = [VERSION, _fonts_fingerprint(), self.lang, self.title, self.site_name, self.footer]
        if layout_features(self.lang):  # only cards laid out otherwise than before are named anew
            parts.append("features=" + ",".join(layout_features(self.lang)))
        data = "\0".join(parts)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


@cache
def layout_features(lang: str) -> tuple[str, ...]:
    """OpenType features the card's text is laid out with. Noto Sans CJK SC draws quotation marks
    (“ ” ‘ ’) full-width, as Chinese text sets them, which left a wide gap inside every quotation
    in an English title; an English card takes the font's proportional forms of them (`pwid`).
    Needs Pillow's Raqm layout, which its wheels ship; without it, none."""
    if lang == "zh" or not features.check("raqm"):
        return ()
    return ("pwid",)


def _breakable(text: str) -> list[str]:
    """Units that a line may break between: each CJK character (and its trailing punctuation),
    and each Latin word with the space after it."""
    units: list[str] = []
    word = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if wide:
            if word:
                units.append(word)
                word = ""
            # closing punctuation stays with the character before it (no line starts with "，")
            if units and ch in "，。、；：！？）》」』”’】" and units[-1]:
                units[-1] += ch
            else:
                units.append(ch)
        elif ch == " ":
            units.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        units.append(word)
    return units


@functools.lru_cache(maxsize=1 << 16)
def _length(mode: str, text: str, font: ImageFont.FreeTypeFont, features: tuple[str, ...] | None) -> float:
    """`ImageDraw.textlength` of `text` in `font` (with OpenType `features`) on an image of
    `mode`, remembered: the worker that draws a build's cards measures the same characters card
    after card (it was a quarter of drawing a card, at each of the sizes `_fit` tries)."""
    draw = ImageDraw.Draw(Image.new(mode, (1, 1)))
    return draw.textlength(text, font=font, features=list(features) if features else None)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lang: str = "zh") -> list[str]:
    lines: list[str] = []
    line = ""
    units: list[str] = []
    feats = tuple(layout_features(lang)) or None
    for unit in _breakable(text):
        # a word wider than the card (a long address, a run of letters) breaks between letters
        units.extend(unit if _length(draw.mode, unit.strip(), font, feats) > width else [unit])
    for unit in units:
        if line and _length(draw.mode, (line + unit).rstrip(), font, feats) > width:
            lines.append(line.rstrip())
            line = unit.lstrip()
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _fit(draw, text: str, width: int, max_lines: int, lang: str = "zh") -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (72 down to 44 px) at which the title fits in max_lines; at the smallest,
    the last line ends with an ellipsis."""
    for size in (72, 64, 56, 50, 44):
        font = _font("bold", size)
        lines = _wrap(draw, text, font, width, lang)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font, features=list(layout_features(lang)) or None) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


# Cards are drawn as a grey-level mask (text 255 on background 0) quantised to 3 levels, then
# coloured by a palette of the site's red, white and the step between them for the letters'
# edges: one byte per pixel to draw, two bits per pixel to write, in PNG, which every chat app and
# social site shows (WeChat, WhatsApp, Telegram, X, Facebook; WebP is not shown by all of them).
# Measured on 184 cards of a 2,000-record site (bytes a card on average, CPU to write it): 16
# levels in 4 bits 17.8 KB (2.4 ms, zlib level 3) or 14.4 KB (40 ms, level 9); 4 levels in 2 bits
# 9.0 KB, 3 levels 8.2 KB (2.6 ms, level 6); 2 levels in 1 bit 5.0 KB, whose letters show their
# steps; JPEG 2.5 to 3 times the 16-level PNG at quality 60 to 85. Where chat apps show a card
# (500 px wide or less) 3 levels cannot be told from 16. zlib's run-length strategy (Z_RLE) suits
# the long runs of one colour: on 60 titles, 10.3 KB in 1.07 ms a card against 11.0 KB in 3.14 ms
# with the default strategy at level 6 (and 10.3 KB in 29 ms at level 9).
LEVELS = 3
_TO_LEVEL = [round(v / 255 * (LEVELS - 1)) for v in range(256)]
PALETTE = [round(b + (t - b) * i / (LEVELS - 1)) for i in range(LEVELS) for b, t in zip(BACKGROUND, TEXT, strict=True)]
BITS = 2  # per pixel in the PNG: enough for LEVELS
# The site's name is set smaller than the title, in white (the step between red and white would
# not keep 3:1 contrast); the rule above the owner is that step.
MUTED_LEVEL, RULE_LEVEL = 255, 128


def render(card: Card) -> Image.Image:
    """The card as a palette image of LEVELS colours."""
    mask = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(mask)
    margin = 80
    feats = list(layout_features(card.lang)) or None
    draw.text((margin, 64), card.site_name, font=_font("bold", 34), fill=MUTED_LEVEL, features=feats)
    font, lines = _fit(draw, card.title, WIDTH - 2 * margin, 4, card.lang)
    line_height = int(font.size * 1.35)
    top = 150 + max(0, (4 - len(lines)) * line_height // 2 - line_height // 2)
    for i, line in enumerate(lines):
        draw.text((margin, top + i * line_height), line, font=font, fill=255, features=feats)
    if card.footer:
        draw.rectangle((margin, HEIGHT - 100, WIDTH - margin, HEIGHT - 98), fill=RULE_LEVEL)
        draw.text((margin, HEIGHT - 74), card.footer, font=_font("regular", 30), fill=255, features=feats)
    image = mask.point(_TO_LEVEL).convert("P")  # the levels as palette indices, without a copy through bytes
    image.putpalette(PALETTE)
    return image


def draw(card: Card, folder: Path) -> Path:
    """Draw `card` into `folder` as `<key>.png` (a pure function of the card: the pool runs it in
    other processes, and its file is byte for byte the one this process would write)."""
    folder.mkdir(parents=True, exist_ok=True)
    cached = folder / f"{card.key()}.png"
    tmp = cached.with_name(f"{cached.stem}.{os.getpid()}.tmp")
    render(card).save(tmp, "PNG", bits=BITS, compress_level=6, compress_type=zlib.Z_RLE)
    os.replace(tmp, cached)
    return cached


def draw_all(cards: list[Card], folder: Path) -> list[Path]:
    """`draw` each card (one task of the pool)."""
    return [draw(card, folder) for card in cards]


def _link(cached: Path, target: Path) -> None:
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)


class CardCache:
    """Cards made once and kept by content hash in `folder`; `publish` puts one into a site.

    A card the cache lacks is drawn while the build goes on: after `POOL_AFTER` such cards (a
    full build, not a preview's save of one page) they go to a pool of `processes` worker processes
    (default: one fewer than the cores this process may use, since this one is rendering pages),
    `BATCH` cards a task: a task sent is a write to the pool's pipe and a wake-up of its thread,
    which card by card cost the rendering process 4 % of a cold build (py-spy, 2,000 records).
    `finish()` waits for them and puts them into the site; the build calls it before publishing.

    Which cards the cache holds is read once per build (a listing of its folder), not asked of
    the file system card by card, and a card already put into the site is not looked for there
    again: a stat a page was 2.7 % of a cold 2,000-record build's rendering thread.
    """

    POOL_AFTER = 16
    BATCH = 16

    def __init__(self, folder: Path, processes: int | None = None):
        self.folder = Path(folder)
        self.processes = processes
        self.made = 0  # cards drawn for this cache (the rest came from the cache)
        self._waiting: dict[str, tuple[Card, set[Path]]] = {}  # key -> card, where it goes
        self._pool = None
        self._unsent: list[Card] = []  # waiting cards not yet given to the pool
        self._futures: dict[str, object] = {}  # key -> the pool's task that draws it
        self._pool_failed = False  # a pool that could not start or died is not started again
        self._cached: set[str] | None = None  # file names in the cache, listed once a build
        self._placed: set[str] = set()  # cards put into a site this build

    def _in_cache(self, name: str) -> bool:
        if self._cached is None:
            try:
                self._cached = set(os.listdir(self.folder))
            except OSError:  # no cache yet
                self._cached = set()
        return name in self._cached

    def publish(self, card: Card, site_dir: Path) -> str:
        """The card's path relative to the site root; its file is in `site_dir` now if it was
        cached, else after `finish()`."""
        key = card.key()  # finds the fonts first: FontMissing is raised here, not in a worker
        rel = f"{FOLDER}/{key}.png"
        target = os.path.join(site_dir, rel)
        if key in self._waiting:
            self._waiting[key][1].add(Path(target))
        elif target in self._placed:
            pass
        elif key in self._futures:  # foreseen: the pool draws it already
            self._waiting[key] = (card, {Path(target)})
        elif self._in_cache(f"{key}.png"):
            _link(self.folder / f"{key}.png", Path(target))
            self._placed.add(target)
        else:
            self._waiting[key] = (card, {Path(target)})
            self._unsent.append(card)
            if len(self._unsent) >= self.BATCH:
                self._send()
        return rel

    def foresee(self, cards: list[Card]) -> int:
        """Cards the build's pages will publish, given to the pool now, before the first page asks
        for one: the pool draws them while this process reads and converts the pages (in a cold
        build it sat idle until then). A page whose card was foreseen finds it drawing or drawn; a
        card foreseen that no page publishes is only drawn into the cache. Returns how many were
        sent (none below `POOL_AFTER`: a preview's save)."""
        fresh = {}
        for card in cards:
            key = card.key()
            if key not in self._futures and key not in self._waiting and not self._in_cache(f"{key}.png"):
                fresh[key] = card
        if len(fresh) < self.POOL_AFTER or self._workers() < 1 or not self._submit(list(fresh.values())):
            return 0  # the pages' cards are drawn as they ask, as before
        return len(fresh)

    def _workers(self) -> int:
        return 0 if self._pool_failed else (self.processes or available_cores() - 1)

    def _send(self) -> None:
        """Give the unsent cards to the pool (started once `POOL_AFTER` cards wait)."""
        if self._pool is None and (len(self._waiting) < self.POOL_AFTER or self._workers() < 1):
            return
        unsent, self._unsent = self._unsent, []
        self._submit(unsent)

    def _submit(self, cards: list[Card]) -> bool:
        """Give `cards` to the pool, `BATCH` a task, starting it first; False if it cannot start or
        died (the cards not sent are drawn here by `finish`)."""
        if self._pool is None:
            self._pool = _start_pool(self._workers())
            if self._pool is None:
                self._pool_failed = True
                return False
        try:
            for i in range(0, len(cards), self.BATCH):
                batch = cards[i : i + self.BATCH]
                future = self._pool.submit(draw_all, batch, self.folder)
                self._futures.update((card.key(), future) for card in batch)
        except (BrokenProcessPool, RuntimeError, OSError):  # the pool died: the rest are drawn here
            self._pool_failed = True
            return False
        return True

    def finish(self) -> int:
        """Every card published so far is in its site; returns how many were drawn."""
        if self._pool is not None:
            self._send()
        self._unsent.clear()
        drawn = 0
        for key, (card, targets) in self._waiting.items():
            cached = self.folder / f"{key}.png"
            future = self._futures.get(key)
            try:
                if future is None:
                    raise BrokenProcessPool
                future.result()
            except (BrokenProcessPool, OSError):  # no pool, or it lost a worker: draw it here
                draw(card, self.folder)
            drawn += 1
            for target in targets:
                _link(cached, target)
        self._waiting.clear()
        self._stop_pool()
        self._cached = None  # the next build (a preview's) lists the cache again
        self._placed.clear()
        self.made += drawn
        return drawn

    def abandon(self) -> None:
        """The build failed: draw nothing more."""
        self._waiting.clear()
        self._unsent.clear()
        self._cached = None
        self._placed.clear()
        self._stop_pool()

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()


def _start_pool(workers: int):
    try:
        return processes.pool(workers, nice=10)  # the cards wait for the build's end
    except OSError:
        return None
