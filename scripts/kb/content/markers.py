"""Listing markers (`<!-- kb:name args -->`): which exist, what arguments they take, where they may
stand, and finding them in a page's Markdown outside code.

`kb check` and the build validate markers with the same function (`marker_problems`), so a marker
that `kb check` accepts never fails the build, and one it refuses is refused by the build with
the same file:line message (`ListingError`, which the adapter turns into a MkDocs PluginError).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from .collection import MarkerSpec, Registry

MARKER = re.compile(r"<!--\s*kb:(?P<name>[a-z-]+)(?P<args>[^>]*?)\s*-->")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_TICKS = re.compile(r"`+")

# The editors' guide lists every collection's fields (outputs/guide.py renders it).
FIELD_REFERENCE = MarkerSpec("field-reference", render=None)


def all_specs(registry: Registry) -> dict[str, MarkerSpec]:
    """The markers a page may hold: each collection's declared listing (no arguments, any page),
    those its folder adds (scripts/kb/collections/<name>/, `Extension.markers`), and the guide's."""
    specs = {c.listing.marker: MarkerSpec(c.listing.marker, render=None) for c in registry if c.listing}
    for extension in registry.all_extensions():
        specs.update((m.name, m) for m in extension.markers)
    specs[FIELD_REFERENCE.name] = FIELD_REFERENCE
    return specs


class ListingError(Exception):
    """A marker that cannot be rendered: `line` is 1-based within the Markdown given."""

    def __init__(self, page_src: str, line: int, message: str):
        super().__init__(f"{page_src}:{line}: {message}")
        self.page_src, self.line, self.message = page_src, line, message


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans: what is there is shown, not run."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    fence_start = 0
    prose: list[tuple[int, str]] = []  # (offset, line) outside fences, for inline code
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, fence_start = m["fence"], offset
        elif fence is not None and m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence):
            ranges.append((fence_start, offset + len(line)))
            fence = None
        elif fence is None:
            prose.append((offset, line))
        offset += len(line)
    if fence is not None:
        ranges.append((fence_start, len(markdown)))
    # Inline code may span lines within a paragraph: scan the prose as one text.
    for start, length in _inline_code(markdown, prose):
        ranges.append((start, start + length))
    return ranges


def _inline_code(markdown: str, prose: list[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    for offset, line in prose:
        pos = 0
        while (m := _TICKS.search(line, pos)) is not None:
            closing = re.compile(r"(?<!`)" + re.escape(m.group()) + r"(?!`)").search(line, m.end())
            if closing is None:
                pos = m.end()
                continue
            yield offset + m.start(), closing.end() - m.start()
            pos = closing.end()


def find(markdown: str) -> list[re.Match]:
    """Markers outside code, in order."""
    if "kb:" not in markdown:
        return []
    ranges = code_ranges(markdown)
    return [m for m in MARKER.finditer(markdown) if not any(a <= m.start() < b for a, b in ranges)]


def line_of(markdown: str, offset: int) -> int:
    return markdown.count("\n", 0, offset) + 1


def marker_problems(markdown: str, page_src: str, kb) -> list[tuple[int, str]]:
    """(line within markdown, Chinese message with the fix) for every marker that cannot be rendered.
    `page_src` is the Chinese source path (docs-relative) of the page holding the markdown; `kb`
    the knowledge base the markers would list."""
    out = []
    specs = all_specs(kb.registry)
    for m in find(markdown):
        line = line_of(markdown, m.start())
        name, args = m.group("name"), m.group("args").split()
        spec = specs.get(name)
        text = m.group()
        if spec is None:
            out.append((line, f"未知的列表标记“kb:{name}”。可用的标记：{'、'.join(specs)}。"))
            continue
        line_start = markdown.rfind("\n", 0, m.start()) + 1
        line_end = markdown.find("\n", m.end())
        around = markdown[line_start : m.start()] + markdown[m.end() : line_end if line_end >= 0 else len(markdown)]
        if around.strip():
            out.append((line, f"列表标记 {text} 必须单独占一行（前后不能有其他文字）。请把它移到单独的一行。"))
            continue
        if spec.places and not any(fnmatch.fnmatchcase(page_src, p) for p in spec.places):
            out.append((line, f"列表标记 {text} 放错了位置：它{spec.place_hint}。请删去这一行。"))
            continue
        if spec.check_args is None:
            if args:
                out.append((line, f"列表标记 kb:{name} 不带参数，请写成 <!-- kb:{name} -->。"))
            continue
        message = spec.check_args(text, name, args, page_src, kb)
        if message:
            out.append((line, message))
    return out
