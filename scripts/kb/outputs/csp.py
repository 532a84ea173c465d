"""The Content-Security-Policy of a built site, with the hashes of the inline scripts it carries.

Material emits a few inline scripts (its settings, the palette, ours pointing search at the
sharded index), so a policy without 'unsafe-inline' for scripts must name each one by hash.
The build reads them from the pages it wrote (outside each page's content) and writes the policy as an nginx include file
(`.csp.conf`, a dotfile nginx never serves) for deploy/nginx.conf to include. Any other inline
script or handler, e.g. one injected into a page, does not run.

Scripts run only from the theme's and the project's own files, named by path: a second policy
(every policy a response carries must allow a script) lists the script files the build published,
each exactly, or the folder of the theme's that holds nothing from docs/ (`workers/`, `lunr/`). A
path needs a host in CSP; `*:*` (any host and port) in that policy and 'self' in the first make
"this site, these paths" wherever the site is served. A third policy, for SVG and XML files opened
on their own, allows no script or request at all and sandboxes the document.
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


def inline_script_hashes(
    site: Path, rendered: PageScripts | None = None, copied: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """CSP source expressions ('sha256-…') for every distinct inline script in the site's pages.
    `copied`: site-relative paths of files copied from docs/ as they are: an HTML file there is an
    editor's (kb check refuses it), and its scripts are never allowed."""
    hashes = set(rendered.hashes) if rendered is not None else set()
    seen = rendered.pages if rendered is not None else set()
    for root, _, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = os.path.normpath(os.path.join(root, name))
            if path in seen or Path(path).relative_to(site).as_posix() in copied:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                hashes.update(_hash(script) for script in inline_scripts(f.read()))
    return sorted(hashes)


SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs")
# Opened on its own, an SVG or XML document may run script (an SVG's <script href>); served with
# this policy as well, it runs none and loads nothing (deploy/nginx.conf through .csp.conf).
DOCUMENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
DOCUMENT_URI = r"\.(?:svgz?|xml|xsl|xslt)$"


def script_paths(site: Path, copied: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The site's script files as CSP paths ("assets/kb-sort.js", or "assets/javascripts/workers/"
    for a folder of the theme's whose every file is a script of its own): each file exactly, unless
    a folder up to the first one holding a file of docs/ (`copied`) can stand for it."""
    site = Path(site)
    scripts = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix.lower() in SCRIPT_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )
    from_docs = {Path(c).parent.as_posix() for c in copied} | {"."}
    folders_with_docs = set()
    for folder in from_docs:
        while folder not in ("", "."):
            folders_with_docs.add(folder)
            folder = Path(folder).parent.as_posix()
    out: set[str] = set()
    for script in scripts:
        if script in copied:
            out.add(script)
            continue
        # the outermost folder above the script that holds nothing from docs/, if any
        parts = script.split("/")[:-1]
        chosen = None
        for k in range(1, len(parts) + 1):
            folder = "/".join(parts[:k])
            if folder not in folders_with_docs:
                chosen = folder + "/"
                break
        out.add(chosen or script)
    return sorted(out)


def path_policy(paths: list[str], hashes: list[str], base: str = "/") -> str:
    """The second policy: scripts and workers only from these paths (under the site's base path)."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    sources = " ".join(f"*:*{base}{p}" for p in paths) or "'none'"
    return "; ".join([f"script-src {sources} {' '.join(hashes)}".rstrip(), f"worker-src {sources}"])


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


def write_nginx_include(
    site: Path,
    rendered: PageScripts | None = None,
    copied: frozenset[str] | set[str] = frozenset(),
    base: str = "/",
) -> str:
    """Write `<site>/.csp.conf` and return the site's policy (the first of the three).
    `copied`: site-relative paths of the files copied from docs/; `base`: the site's path."""
    hashes = inline_script_hashes(site, rendered, copied)
    value = policy(hashes)
    by_path = path_policy(script_paths(site, copied), hashes, base)
    (Path(site) / INCLUDE_FILE).write_text(
        "# Written by every build (scripts/kb/outputs/csp.py): the hashes of this build's inline scripts.\n"
        "# Included by deploy/nginx.conf; reload nginx after publishing a new build.\n"
        f'add_header Content-Security-Policy "{value}" always;\n'
        "# Scripts only from the theme's and the project's own files, by path (a browser enforces every policy).\n"
        f'add_header Content-Security-Policy "{by_path}" always;\n'
        "# An SVG or XML file opened on its own: no script, no request, sandboxed (an empty value sends no header).\n"
        'set $kb_document_policy "";\n'
        f'if ($uri ~* "{DOCUMENT_URI}") {{\n    set $kb_document_policy "{DOCUMENT_POLICY}";\n}}\n'
        "add_header Content-Security-Policy $kb_document_policy always;\n",
        "utf-8",
    )
    return value


_HEADER = re.compile(r'^add_header Content-Security-Policy "([^"]+)" always;$', re.M)


def written_policies(include: str) -> list[str]:
    """The policies every response carries, as an include file (`.csp.conf`) states them."""
    return _HEADER.findall(include)
