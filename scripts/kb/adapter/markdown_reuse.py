"""One Markdown converter per build pass, reset between pages, instead of a new one per page.

MkDocs' `Page.render` makes a new `markdown.Markdown` for every page: loading the extensions and
building the parser were 2.8 % of a 5,000-record build (py-spy), as much again as a short page's
conversion. Python-Markdown supports converting many documents with one instance, `reset()`
between them; `render` below is MkDocs 1.6's own, with that instance. MkDocs' per-page
processors (raw HTML anchors, anchors, relative links, the title) are made for each page as
MkDocs makes them, and registered under their names, replacing the previous page's.

The converter is made again at every pass's on_config (a further language's pass may change the
configuration) and whenever the extensions' configuration is another object. A page whose
`render` is already replaced (render_reuse: an English fallback that takes the Chinese
conversion) is left as it is. KB_MARKDOWN_REUSE=off makes a converter per page, as MkDocs does
(the test builds the site both ways and compares every file).
"""

from __future__ import annotations

import logging
import os
from types import MethodType

import markdown
from mkdocs.structure import pages
from mkdocs.structure.toc import get_toc

ENABLED = os.environ.get("KB_MARKDOWN_REUSE", "on") != "off"


class MarkdownReuse:
    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._made_for: tuple = ()

    def start(self) -> None:
        """Every pass's on_config: the next page makes the converter anew."""
        self._md, self._made_for = None, ()

    def converter(self, config) -> markdown.Markdown:
        made_for = (id(config), id(config["markdown_extensions"]), id(config["mdx_configs"]))
        if self._md is None or self._made_for != made_for:
            self._md = markdown.Markdown(
                extensions=config["markdown_extensions"],
                extension_configs=config["mdx_configs"] or {},
            )
            self._made_for = made_for
        return self._md.reset()

    def offer(self, page) -> None:
        """After every on_page_markdown hook: the page converts with this pass's converter."""
        if not ENABLED or "render" in vars(page):
            return
        reuse = self

        def render(self, config, files) -> None:
            """mkdocs.structure.pages.Page.render (MkDocs 1.6), with the pass's converter."""
            del self.render  # the class's own again, should anything render the page once more
            if self.markdown is None:
                raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
            md = reuse.converter(config)

            raw_html_ext = pages._RawHTMLPreprocessor()
            raw_html_ext._register(md)

            extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(self.file, files, config)
            extract_anchors_ext._register(md)

            relative_path_ext = pages._RelativePathTreeprocessor(self.file, files, config)
            relative_path_ext._register(md)

            extract_title_ext = pages._ExtractTitleTreeprocessor()
            extract_title_ext._register(md)

            self.content = md.convert(self.markdown)
            self.toc = get_toc(getattr(md, "toc_tokens", []))
            self._title_from_render = extract_title_ext.title
            self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
            if pages.log.getEffectiveLevel() > logging.DEBUG:
                self.links_to_anchors = relative_path_ext.links_to_anchors

        page.render = MethodType(render, page)
