"""The 404 page of each language (overrides/404.html): in the site's own words, with the ways on
that a reader who followed a broken link needs: the home page, the pages the collections offer to
start from (the newest plan: `Extension.start_pages`) and the site's search. Nothing to read
aloud (kb-reader.js is told so).

Plain data for the template; the links are site-relative (the template makes them absolute from
the site's root, as MkDocs does for the 404 page, which is served at any depth)."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import urls
from ..content.model import KnowledgeBase
from ..content.text import strings


@dataclass(frozen=True)
class NotFound:
    title: str
    text: str
    links: list[tuple[str, str]]  # (label, site-relative URL)
    search: str  # the label of the button that opens the site's search


def not_found(kb: KnowledgeBase | None, lang: str) -> NotFound:
    t = strings()[lang]
    links = [(t["not_found_home"], urls.lang_prefix(lang))]  # "" for Chinese: the site's root
    if kb is not None:
        for extension in kb.registry.all_extensions():
            if extension.start_pages is not None:
                links += extension.start_pages(kb, lang)
    return NotFound(t["not_found_title"], t["not_found_text"], links, t["search_dialog"])
