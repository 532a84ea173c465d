"""An English page that falls back to the Chinese text takes the Chinese page's HTML instead of
converting the same Markdown again.

Most records have no English text yet: mkdocs-static-i18n then builds `en/…/x/` from the Chinese
`x.md`, and MkDocs converts the very same Markdown a second time (about a third of a large
site's pages, and Markdown is the largest single cost of a page). The Chinese build runs first,
in the same process, so this keeps what each Chinese page's conversion gave (the HTML, its table
of contents, its title and anchors) and hands it to the English page when

- the page is a fallback (its file's locale is the default language, the build's is not),
- the Markdown after every hook is the same text (a listing marker renders in the page's language
  and so differs), and
- the HTML holds no relative address: the English copy lives one folder deeper (`en/…`), and an
  asset that is not mirrored under `en/` is reached by a different relative path from there.

Such a page's search entries would all repeat the Chinese page's, and the search index leaves
them out (outputs/search.py): Material is told not to index it at all.

Otherwise the page is converted as usual. KB_RENDER_REUSE=off converts every page (the test
builds a site both ways and compares them byte for byte).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import MethodType

from ..content import model
from .i18n_workarounds import lang_of

ENABLED = os.environ.get("KB_RENDER_REUSE", "on") != "off"

# an address MkDocs made relative to the page: not an anchor, not absolute, not with a scheme
_RELATIVE = re.compile(r"""\s(?:href|src|srcset|poster|data|action)\s*=\s*["']?(?![#/"']|[a-zA-Z][a-zA-Z0-9+.-]*:)""")


class RenderReuse:
    """One build's Chinese conversions, by source page, until the English page takes them."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple] = {}

    def start(self) -> None:
        """A new build (the outermost, default-language pass): nothing from the previous one."""
        self._kept.clear()

    def remember(self, page, config) -> None:
        """After a default-language page's conversion, before any on_page_content hook: keep it if
        the page has no translation, so that its English page will be a fallback."""
        if not ENABLED or lang_of(config) != model.DEFAULT_LANG or not page.file.src_uri.endswith(".md"):
            return
        source = page.file.abs_src_path
        if not source or all(Path(f"{source[:-3]}.{lang}.md").exists() for lang in model.LANGS[1:]):
            return
        content = page.content or ""
        if _RELATIVE.search(content):
            return
        self._kept[page.file.src_uri] = (
            page.markdown,
            page.title,
            content,
            page.toc,
            getattr(page, "_title_from_render", None),
            getattr(page, "present_anchor_ids", None),
        )

    def offer(self, markdown: str, page, config, *, deduplicated_search: bool = True) -> None:
        """Before a further language's page is converted (after every on_page_markdown hook):
        if it is a fallback whose Markdown is what the default language converted, its `render`
        gives that conversion instead of converting again.

        deduplicated_search: the search index leaves out a further language's entries that
        repeat the default language's (outputs/search.py); a reused page with the same title
        repeats them all, so Material need not index it at all."""
        if not ENABLED or lang_of(config) == model.DEFAULT_LANG:
            return
        if getattr(page.file, "locale", None) != model.DEFAULT_LANG:
            return
        kept = self._kept.pop(page.file.src_uri, None)
        if kept is None or kept[0] != markdown:
            return
        _, default_title, content, toc, title, anchors = kept
        if deduplicated_search and page.title == default_title:
            page.meta["search"] = {"exclude": True}

        def render(self, config, files) -> None:
            self.content = content
            self.toc = toc
            self._title_from_render = title
            self.present_anchor_ids = anchors
            del self.render  # the class's own again, should anything render the page once more

        page.render = MethodType(render, page)
