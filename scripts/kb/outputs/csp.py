"""The Content-Security-Policy of a built site, with the hashes of the inline scripts it carries.

Material emits a few inline scripts (its settings, the palette, ours pointing search at the
sharded index), so a policy without 'unsafe-inline' for scripts must name each one by hash.
The build reads them from the pages it wrote (outside each page's content) and writes the policy as an nginx include file
(`.csp.conf`, a dotfile nginx never serves) for deploy/nginx.conf to include. Any other inline
script or handler, e.g. one injected into a page, does not run.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

INCLUDE_FILE = ".csp.conf"
# Types a browser executes; `application/json` (Material's __config) is data, not script.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


# Pages are written by MkDocs and Material's templates, so a script element is always
# `<script …>…</script>`; a regular expression reads thousands of pages in a fraction of a second.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)


# Material puts a page's content in its one <article>; scripts there come from a page body.
_ARTICLE = re.compile(r"<article\b.*</article\s*>", re.S | re.I)


def inline_scripts(html: str) -> list[str]:
    """The inline scripts the theme emits: those outside the page's <article>. A script in a
    body is left out, so the policy blocks it (the guide says bodies cannot run scripts)."""
    found = []
    for m in _SCRIPT.finditer(_ARTICLE.sub("", html)):
        attrs = m.group(1)
        kind = _TYPE.search(attrs)
        if not _SRC.search(attrs) and (kind.group(1).lower() if kind else "") in _SCRIPT_TYPES:
            found.append(m.group(2))
    return found


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class PageScripts:
    """The inline scripts of the pages a build renders, hashed from each page's final markup as
    MkDocs writes it (the hooks call `add` after every other plugin's on_post_page), so the
    policy does not read thousands of written pages back (at 5,000 records that reading was 4 %
    of a build). Files the build did not render are still read: the 404 page, pages a
    `mkdocs serve --dirty` rebuild left from before, HTML files copied from docs/."""

    def __init__(self) -> None:
        self.hashes: set[str] = set()
        self.pages: set[str] = set()

    def add(self, path: str | None, html: str) -> None:
        if path is None or not html.strip():  # MkDocs writes no file for an empty page
            return
        self.pages.add(os.path.normpath(path))
        self.hashes.update(_hash(script) for script in inline_scripts(html))


def inline_script_hashes(site: Path, rendered: PageScripts | None = None) -> list[str]:
    """CSP source expressions ('sha256-…') for every distinct inline script in the site's pages."""
    hashes = set(rendered.hashes) if rendered is not None else set()
    seen = rendered.pages if rendered is not None else set()
    for root, _, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = os.path.normpath(os.path.join(root, name))
            if path in seen:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                hashes.update(_hash(script) for script in inline_scripts(f.read()))
    return sorted(hashes)


def policy(hashes: list[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes) if hashes else "script-src 'self'",
            # Material and the listings set style attributes (e.g. the roll-up bars' widths);
            # styles cannot run code, so inline styles stay allowed.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def write_nginx_include(site: Path, rendered: PageScripts | None = None) -> str:
    """Write `<site>/.csp.conf` and return the policy."""
    value = policy(inline_script_hashes(site, rendered))
    (Path(site) / INCLUDE_FILE).write_text(
        "# Written by every build (scripts/kb/outputs/csp.py): the hashes of this build's inline scripts.\n"
        "# Included by deploy/nginx.conf; reload nginx after publishing a new build.\n"
        f'add_header Content-Security-Policy "{value}" always;\n',
        "utf-8",
    )
    return value
