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


def inline_script_hashes(site: Path) -> list[str]:
    """CSP source expressions ('sha256-…') for every distinct inline script in the site's pages."""
    hashes = set()
    for page in Path(site).rglob("*.html"):
        for script in inline_scripts(page.read_text("utf-8", "replace")):
            digest = hashlib.sha256(script.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
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


def write_nginx_include(site: Path) -> str:
    """Write `<site>/.csp.conf` and return the policy."""
    value = policy(inline_script_hashes(site))
    (Path(site) / INCLUDE_FILE).write_text(
        "# Written by every build (scripts/kb/outputs/csp.py): the hashes of this build's inline scripts.\n"
        "# Included by deploy/nginx.conf; reload nginx after publishing a new build.\n"
        f'add_header Content-Security-Policy "{value}" always;\n',
        "utf-8",
    )
    return value
