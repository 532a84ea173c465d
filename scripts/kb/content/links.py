"""Which files a page's body links to or shows, as docs-relative paths.

Used to keep hidden pages' attachments out of an edition and to refuse links from public pages
to hidden ones. A light scan, not a Markdown parser: Markdown links and images (inline and
reference definitions) and HTML `href`/`src`, outside code. It errs towards finding a link: a
false find keeps a file published only if a public page seems to use it as well.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)", re.M)
_HTML = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def markdown_links(body: str) -> list[tuple[str, int]]:
    """(link as written, offset) of Markdown links that are not images (`[a](x)`, `[a]: x`),
    outside code: the links MkDocs checks when it renders a page."""
    text = _CODE_SPAN.sub(lambda m: " " * len(m.group()), _FENCE.sub(lambda m: " " * len(m.group()), body))
    found = []
    for m in _INLINE.finditer(text):
        opening = text.rfind("[", 0, m.start())
        if opening > 0 and text[opening - 1] == "!":
            continue  # an image: checked with the photos (scripts/kb/outputs/images.py)
        found.append((m.group(1), m.start()))
    found += [(m.group(1), m.start()) for m in _REFERENCE.finditer(text)]
    return found


def raw_targets(body: str) -> list[tuple[str, int, bool]]:
    """(link as written, offset in body, written in raw HTML) for every link or image outside code."""
    text = _CODE_SPAN.sub(lambda m: " " * len(m.group()), _FENCE.sub(lambda m: " " * len(m.group()), body))
    found = [(m.group(1), m.start(), False) for m in _INLINE.finditer(text)]
    found += [(m.group(1), m.start(), False) for m in _REFERENCE.finditer(text)]
    found += [(next(g for g in m.groups() if g is not None), m.start(), True) for m in _HTML.finditer(text)]
    return found


def resolve(page_src: str, link: str, html: bool = False) -> str | None:
    """The docs-relative path a link from page_src points to, or None for URLs and anchors.

    MkDocs rewrites Markdown links, which are relative to the source file; a link in raw HTML is
    left as written, so the browser resolves it against the page's directory URL (x/y.md is
    served as x/y/)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    base = posixpath.dirname(page_src)
    if html:
        stem = re.sub(r"(\.[a-z]{2})?\.md$", "", page_src)
        base = stem[: -len("index")].rstrip("/") if stem == "index" or stem.endswith("/index") else stem
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return None if target.startswith("..") else target.removeprefix("./") if target != "." else ""


def targets(page_src: str, body: str) -> set[str]:
    out = set()
    for link, _, html in raw_targets(body):
        target = resolve(page_src, link, html)
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
