"""Every file a page's body links to, shows or embeds: the one parser of references.

`scan(body)` is the only place that reads addresses out of an editor's Markdown and HTML. It is
used to keep hidden pages' files out of an edition (loader), to refuse links from public pages to
hidden ones (checks), to check photos and attachments (media) and, through `attributes` and
`srcset_urls`, by the photo pipeline that rewrites the built HTML (outputs/images.py).

A light scan, not a Markdown parser. It reads, outside fenced code and code spans:
- Markdown links and images, inline (`[a](x)`, `![a](x "t")`, `![a](<my photo.jpg>)`) and
  reference definitions (`[a]: x`);
- every HTML attribute that makes a browser fetch or open a file: `href`, `src`, `srcset`
  (each candidate), `data` (`<object>`), `poster` (`<video>`), `background`, `xlink:href`, on any
  tag (`<img>`, `<source>`, `<track>`, `<embed>`, `<audio>`, `<iframe>`, `<link>` ...);
- CSS `url(...)` and `@import "..."` anywhere (a `style` attribute or a `<style>` element).
It errs towards finding a reference: a false find keeps a file published only if a public page
seems to use it as well. References inside indented code blocks are found too and marked
`code=True`; the photo checks skip them, the hidden-file scan keeps them.

Addresses are returned as written (without the `<…>` of Markdown and with HTML entities
decoded); `resolve` decodes percent-encoding, so `微信图片_2024.jpg`, `%E5%BE%AE….jpg`,
`my%20photo.jpg` and `<my photo.jpg>` all name the file on disk.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .urls import html_base

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_INDENTED = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*\n?)+")
# `](` opens an inline destination; the label before it is found by walking back over brackets.
_INLINE_OPEN = re.compile(r"\]\(")
_DEFINITION = re.compile(
    r"^ {0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*(?:\n[ \t]*)?(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))", re.M
)
_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attrs>(?:\s+[^>]*?)?)\s*/?>", re.S)
_ATTR = re.compile(r"""(?P<name>[a-zA-Z_:@][-\w:.@]*)\s*(?:=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_CSS_URL = re.compile(r"""url\(\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^)\s"']*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I)
# Attributes whose value is an address a browser fetches or follows.
URL_ATTRIBUTES = ("href", "src", "data", "poster", "background", "xlink:href", "action", "formaction")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")


@dataclass(frozen=True)
class Reference:
    src: str  # the address as written (HTML entities decoded, Markdown's <…> removed)
    offset: int  # where in the body it was found
    kind: str  # "image": a Markdown image or <img src> (needs alt text); "link": a link; "embed": anything else fetched
    html: bool  # raw HTML or CSS: the browser resolves it against the page's address, not its file
    alt: str | None = None  # images: alternative text (None: an <img> with no alt attribute)
    title: str | None = None
    how: str = ""  # how it was written: "markdown", "definition", "img.src", "object.data", "css" ...
    code: bool = False  # inside an indented code block (an example, most likely)
    text: str | None = None  # Markdown links: the link's text


def attributes(text: str) -> dict[str, str | None]:
    """A tag's attributes (the text between its name and `>`), names lower-cased, values as written."""
    out: dict[str, str | None] = {}
    for m in _ATTR.finditer(text):
        value = m.group("value")
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        out.setdefault(m.group("name").lower(), value)
    return out


def srcset_urls(value: str) -> list[str]:
    """The addresses in a srcset value (`a.jpg 480w, b.jpg 2x`), as the HTML standard splits them:
    an address runs to the next whitespace; a comma ends a candidate only after its descriptor."""
    urls = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while i < n and value[i] != ",":  # the descriptor
                i += 1
        if url:
            urls.append(url)
    return urls


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def _masked(body: str) -> str:
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, body))


def _label_start(text: str, close: int) -> int | None:
    """Index of the `[` that the `]` at `close` ends (brackets nested), or None."""
    depth = 0
    i = close
    while i >= 0:
        c = text[i]
        if c == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif c == "[" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i
        elif c == "\n" and i > 0 and text[i - 1] == "\n":
            return None  # a label does not span paragraphs
        i -= 1
    return None


def _destination(text: str, start: int) -> tuple[str, str | None, int] | None:
    """The destination and title of an inline link whose `(` is just before `start`:
    (address, title, index after the closing parenthesis), or None if it is not one."""
    n = len(text)
    i = start
    while i < n and text[i] in " \t\n":
        i += 1
    if i < n and text[i] == "<":
        end = text.find(">", i + 1)
        if end < 0 or "\n" in text[i + 1 : end]:
            return None
        dest = text[i + 1 : end]
        i = end + 1
    else:
        depth, begin = 0, i
        while i < n and not text[i].isspace():
            if text[i] == "\\" and i + 1 < n:
                i += 2
                continue
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        dest = text[begin:i]
    while i < n and text[i] in " \t\n":
        i += 1
    title = None
    if i < n and text[i] in "\"'(":
        closing = {'"': '"', "'": "'", "(": ")"}[text[i]]
        end = text.find(closing, i + 1)
        if end < 0:
            return None
        title = text[i + 1 : end]
        i = end + 1
        while i < n and text[i] in " \t\n":
            i += 1
    if i >= n or text[i] != ")":
        return None
    return dest, title, i + 1


# Room for every body of a large site (each check walks all of them in turn): with fewer entries
# than bodies, a least-recently-used cache evicts each body just before it is asked for again,
# and at 5,000 records (6,504 bodies against 4,096 entries) every one of the six checks scanned
# every body afresh, 8 % of the build.
@lru_cache(maxsize=1 << 16)
def scan(body: str) -> tuple[Reference, ...]:
    """Every reference in a page's body, in order of position. Memoised: each body is scanned once
    per process however many checks and editions ask."""
    text = _masked(body)
    indented = [(m.start(), m.end()) for m in _INDENTED.finditer(text)]

    def in_code(pos: int) -> bool:
        return any(a <= pos < b for a, b in indented)

    found: list[Reference] = []
    for m in _INLINE_OPEN.finditer(text):
        parsed = _destination(text, m.end())
        if parsed is None:
            continue
        dest, title, _ = parsed
        opening = _label_start(text, m.start())
        image = opening is not None and opening > 0 and text[opening - 1] == "!"
        label = text[opening + 1 : m.start()] if opening is not None else None
        at = opening - 1 if image else (opening if opening is not None else m.start())
        found.append(
            Reference(
                dest,
                at,
                "image" if image else "link",
                False,
                alt=label if image else None,
                title=title,
                how="markdown",
                code=in_code(at),
                text=None if image else label,
            )
        )
    for m in _DEFINITION.finditer(text):
        dest = m.group("angle") if m.group("angle") is not None else m.group("bare")
        found.append(Reference(dest, m.start(), "link", False, how="definition", code=in_code(m.start())))
    for m in _TAG.finditer(text):
        name = m.group("name").lower()
        attrs = attributes(m.group("attrs"))
        code = in_code(m.start())
        for attr, value in attrs.items():
            if value is None:
                continue
            value = html_lib.unescape(value)
            if attr in URL_ATTRIBUTES:
                if name == "img" and attr == "src":
                    alt = attrs.get("alt")
                    title = attrs.get("title")
                    found.append(
                        Reference(
                            value,
                            m.start(),
                            "image",
                            True,
                            alt=html_lib.unescape(alt) if alt is not None else None,
                            title=html_lib.unescape(title) if title is not None else None,
                            how="img.src",
                            code=code,
                        )
                    )
                else:
                    kind = "link" if attr == "href" and name in ("a", "area") else "embed"
                    found.append(Reference(value, m.start(), kind, True, how=f"{name}.{attr}", code=code))
            elif attr in SRCSET_ATTRIBUTES:
                for url in srcset_urls(value):
                    found.append(Reference(url, m.start(), "embed", True, how=f"{name}.{attr}", code=code))
            elif attr == "style":
                for url in _css_urls(value):
                    found.append(Reference(url, m.start(), "embed", True, how="css", code=code))
    for pattern in (_CSS_URL, _CSS_IMPORT):
        for m in pattern.finditer(text):
            url = next((g for g in m.groups() if g is not None), "")
            if url and not _inside_tag(text, m.start()):  # a style attribute's were found with its tag
                found.append(
                    Reference(html_lib.unescape(url), m.start(), "embed", True, how="css", code=in_code(m.start()))
                )
    found.sort(key=lambda r: r.offset)
    return tuple(found)


def _css_urls(css: str) -> list[str]:
    return [
        next((g for g in m.groups() if g is not None), "")
        for pattern in (_CSS_URL, _CSS_IMPORT)
        for m in pattern.finditer(css)
        if any(g for g in m.groups())
    ]


def _inside_tag(text: str, pos: int) -> bool:
    """Whether pos is inside an HTML tag (between `<name` and `>`), e.g. in a style attribute."""
    opening = text.rfind("<", 0, pos)
    return opening >= 0 and text.rfind(">", opening, pos) < 0 and re.match(r"<[a-zA-Z]", text[opening:]) is not None


def markdown_links(body: str) -> list[tuple[str, int]]:
    """(link as written, offset) of Markdown links that are not images (`[a](x)`, `[a]: x`),
    outside code: the links MkDocs checks when it renders a page."""
    return [(r.src, r.offset) for r in scan(body) if r.how in ("markdown", "definition") and r.kind == "link"]


def raw_targets(body: str) -> list[tuple[str, int, bool]]:
    """(address as written, offset in body, written in raw HTML or CSS) for every reference."""
    return [(r.src, r.offset, r.html) for r in scan(body)]


def resolve(page_src: str, link: str, html: bool = False) -> str | None:
    """The docs-relative path a link from page_src points to, or None for URLs and anchors.
    Percent-encoding is decoded (`my%20photo.jpg` is the file `my photo.jpg`).

    MkDocs rewrites Markdown links, which are relative to the source file; a link in raw HTML is
    left as written, so the browser resolves it against the page's directory URL (x/y.md is
    served as x/y/)."""
    parts = urlsplit(link.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    base = html_base(page_src) if html else posixpath.dirname(page_src)
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return None if target.startswith("..") else target.removeprefix("./") if target != "." else ""


def targets(page_src: str, body: str) -> set[str]:
    out = set()
    for ref in scan(body):
        target = resolve(page_src, ref.src, ref.html)
        if target is not None:
            out.add(target)
    return out


def front_matter_targets(page_src: str, data, docs_dir) -> set[str]:
    """Files a page's front matter names (a `cover` image, relative to the page): every string
    value, or string in a list, that resolves to an existing file other than a page."""
    values = []
    for value in data.model_dump().values():
        values += value if isinstance(value, list) else [value]
    out = set()
    for value in values:
        if isinstance(value, str) and "." in value and len(value) < 300:
            target = resolve(page_src, value)
            if target and not target.endswith(".md") and (docs_dir / target).is_file():
                out.add(target)
    return out


def resolve_absolute(link: str, site_url: str, langs: tuple[str, ...]) -> str | None:
    """The docs-relative path an absolute link on this site points to (`/lectures/x/`,
    `/en/lectures/x.md`, `https://<site host>/lectures/x/`), or None for relative links and other
    hosts. MkDocs leaves such links as written, so they are only checked here.

    Errs towards finding a page: the site's own base path and a language prefix are both
    optional, since a wrong guess at either still publishes the address written in the link."""
    parts = urlsplit(link)
    site = urlsplit(site_url)
    if parts.netloc:
        if parts.scheme not in ("", "http", "https") or parts.hostname != site.hostname or not site.hostname:
            return None
    elif parts.scheme or not parts.path.startswith("/"):
        return None
    path = posixpath.normpath(unquote(parts.path)).lstrip("/")
    base = site.path.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].lstrip("/")
    first, _, rest = path.partition("/")
    if first in langs:
        path = rest
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")]
    return "" if path == "." else path.rstrip("/")
