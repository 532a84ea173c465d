"""Old addresses lead to new ones (issue 18 item 4; the map is redirects.yml, see
content/addresses.py).

For every old address, in every language built, the build writes a small page at the old address:
a meta refresh to the new page, its canonical address, a visible link for readers whose browser
does not follow the refresh, the page's language, and `noindex` so search engines keep only the
new page. No script (the site's CSP allows none inline), so a `#fragment` is not carried over by
the page; nginx's 301 keeps it (browsers re-apply it after a redirect).

For nginx the build writes `.redirects.map` (a dotfile, never served), the same map as `map`
entries that deploy/nginx.conf includes and answers with a 301.

mkdocs-redirects, the ecosystem's plugin, is not used: measured with mkdocs-static-i18n 1.3.1 and
mkdocs-redirects 1.2.3, it wrote the Chinese redirect pages only (nothing under /en/), marked them
lang="en" with English text, gave a relative canonical link and no noindex, and redirected with an
inline script that the CSP would have to hash; and it has no nginx output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin

from ..content import addresses, urls

MAP_FILE = ".redirects.map"

_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)

WORDS = {
    "zh": {
        "title": "页面已迁移",
        "sep": "：",
        "moved": "本页的网址已更改，新网址是：",
        "go": "如果没有自动跳转，请点击上面的链接。",
    },
    "en": {
        "title": "This page has moved",
        "sep": ": ",
        "moved": "The address of this page has changed. Its new address is:",
        "go": "If you are not taken there, follow the link above.",
    },
}


def page(lang: str, old: str, new: str, new_title: str, site_url: str) -> str:
    """The page written at an old address (old and new: addresses with the language prefix).
    Without a configured address (site_url empty) it has no canonical link and shows the new
    address from the site's root: never a made-up host."""
    words = WORDS.get(lang, WORDS["en"])
    relative = urls.relative_address(old, new)
    absolute = urljoin(site_url if site_url.endswith("/") else site_url + "/", new.lstrip("/")) if site_url else new
    rel, abs_ = html.escape(relative, quote=True), html.escape(absolute, quote=True)
    canonical = f'<link rel="canonical" href="{abs_}">\n' if site_url else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{lang}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{words['title']}{words['sep']}{new_title}</title>\n"
        f"{canonical}"
        f'<meta http-equiv="refresh" content="0; url={rel}">\n'
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{words['title']}</h1>\n"
        f'<p>{words["moved"]}<br><a href="{rel}">{new_title}</a><br><span>{abs_}</span></p>\n'
        f"<p>{words['go']}</p>\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


class RedirectError(Exception):
    """A redirect the build will not write (kb check refuses it first); the message says why."""


def _built(site_dir: Path, address: str) -> Path:
    return site_dir / address.strip("/") / "index.html" if address.strip("/") else site_dir / "index.html"


def _writable(site_dir: Path, here: Path, old: str) -> None:
    """The page at an old address goes inside the site, under folders only: never outside it (an
    address with dot segments), never over or under a file the build wrote (/feed.xml/)."""
    root = site_dir.resolve()
    target = here.resolve()
    if not target.is_relative_to(root):
        raise RedirectError(f"redirects.yml：旧网址 {old} 指向网站文件夹以外（{target}），没有写入。请改为规范的网址。")
    folder = target.parent
    while folder != root:
        if folder.exists() and not folder.is_dir():
            raise RedirectError(
                f"redirects.yml：旧网址 {old} 与网站发布的文件 /{folder.relative_to(root).as_posix()} 冲突，没有写入。"
                "请删除 redirects.yml 的这一行。"
            )
        folder = folder.parent


def write_site(site_dir: Path, root: Path, languages: list[str], site_url: str) -> list[tuple[str, str]]:
    """Write the redirect pages of every language built and the nginx map; return the
    (old, new) addresses written, language prefixes included. Raises RedirectError, before
    writing anything, for a redirect that would write outside the site or over one of its files."""
    site_dir = Path(site_dir)
    redirects, _, _ = addresses.read_redirects(root)
    todo = []
    for lang in languages:
        prefix = urls.lang_root(lang)
        for old, new in sorted(redirects.items()):
            old_l, new_l = prefix + old.lstrip("/"), prefix + new.lstrip("/")
            target, here = _built(site_dir, new_l), _built(site_dir, old_l)
            if addresses.dot_segments(old_l) or addresses.dot_segments(new_l):
                raise RedirectError(
                    f"redirects.yml：“{old}: {new}”中有“.”或“..”这样的路径段，没有写入。请改为规范的网址。"
                )
            _writable(site_dir, here, old_l)
            todo.append((lang, old_l, new_l, target, here))
    written = []
    for lang, old_l, new_l, target, here in todo:
        # A page at the old address wins (kb check refuses that map entry); a target this
        # edition does not publish (members-only) gets no redirect to a missing page.
        if here.exists() or not target.is_file():
            continue
        found = _TITLE.search(target.read_text("utf-8", "replace"))
        title = found.group(1).strip() if found else html.escape(new_l)
        here.parent.mkdir(parents=True, exist_ok=True)
        here.write_text(page(lang, old_l, new_l, title, site_url), "utf-8")
        written.append((old_l, new_l))
    lines = [
        "# Written by every build (scripts/kb/outputs/redirects.py) from redirects.yml: old address -> new.",
        "# Included by deploy/nginx.conf inside `map $uri $kb_redirect`; reload nginx after publishing.",
    ]
    for old, new in written:
        # The address as asked for with or without its final slash or index.html.
        for variant in (old, old.rstrip("/"), old + "index.html"):
            if variant:
                lines.append(f"{variant} {new};")
    (site_dir / MAP_FILE).write_text("\n".join(lines) + "\n", "utf-8")
    return written
