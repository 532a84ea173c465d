"""One Markdown converter per build pass, reset between pages, instead of a new one per page.

MkDocs' `Page.render` makes a new `markdown.Markdown` for every page: loading the extensions and
building the parser were 2.8 % of a 5,000-record build (py-spy), as much again as a short page's
conversion. Python-Markdown supports converting many documents with one instance, `reset()`
between them; `convert` below is MkDocs 1.6's own `render`, with that instance. MkDocs' per-page
processors (raw HTML anchors, anchors, relative links, the title) are made for each page as
MkDocs makes them, and registered under their names, replacing the previous page's.

The converter is made again at every pass's on_config (a further language's pass may change the
configuration) and whenever the extensions' configuration is another object. A page whose
`render` is already replaced (render_reuse: an English fallback that takes the Chinese
conversion) is left as it is. KB_MARKDOWN_REUSE=off makes a converter per page, as MkDocs does
(the test builds the site both ways and compares every file).

A page's conversion may come from the second process of markdown_split (`split`): it converted
the same Markdown with the same converter, and `apply` sets what `convert` would have set.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from types import MethodType

import markdown
from mkdocs.structure import pages
from mkdocs.structure.toc import get_toc

ENABLED = os.environ.get("KB_MARKDOWN_REUSE", "on") != "off"


@dataclass
class Converted:
    """What MkDocs' `Page.render` sets on a page, as plain data (a second process sends it)."""

    content: str
    toc_tokens: list
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]] | None  # by the target file's src_uri
    records: list[tuple[str, int, str]] = field(default_factory=list)  # log records (logger, level, text)


def convert(page, text: str, md: markdown.Markdown, config, files) -> Converted:
    """mkdocs.structure.pages.Page.render (MkDocs 1.6), with the converter `md`, as data."""
    raw_html_ext = pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)

    extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)

    relative_path_ext = pages._RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)

    extract_title_ext = pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)

    content = md.convert(text)
    links = None
    if pages.log.getEffectiveLevel() > logging.DEBUG:
        links = {f.src_uri: dict(to) for f, to in relative_path_ext.links_to_anchors.items()}
    return Converted(
        content,
        getattr(md, "toc_tokens", []),
        extract_title_ext.title,
        extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids,
        links,
    )


def apply(page, converted: Converted, files) -> None:
    """Set on `page` what `Page.render` sets, from `converted`."""
    page.content = converted.content
    page.toc = get_toc(converted.toc_tokens)
    page._title_from_render = converted.title
    page.present_anchor_ids = converted.anchor_ids
    if converted.links_to_anchors is not None:
        page.links_to_anchors = {files.get_file_from_path(src): to for src, to in converted.links_to_anchors.items()}
    for name, level, text in converted.records:  # what the conversion logged, where it ran
        logging.getLogger(name).log(level, text)


class MarkdownReuse:
    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._made_for: tuple = ()
        self.split = None  # markdown_split.Split of this pass, or None

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
        if self.split is not None:
            self.split.reached(page)
        if not ENABLED or "render" in vars(page):
            return
        reuse = self

        def render(self, config, files) -> None:
            """mkdocs.structure.pages.Page.render (MkDocs 1.6), with the pass's converter."""
            del self.render  # the class's own again, should anything render the page once more
            if self.markdown is None:
                raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
            converted = reuse.split.take(self) if reuse.split is not None else None
            if converted is None:
                converted = convert(self, self.markdown, reuse.converter(config), config, files)
            apply(self, converted, files)

        render.kb_converts = True  # markdown_split: this page converts (it takes no other's conversion)
        page.render = MethodType(render, page)
