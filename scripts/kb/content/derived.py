"""The pages the build derives from the content rather than from files: which exist is part of the
model, so links to them are not missing. Each collection with a listing has its index page
(<folder>/index.md: its title and its listing) unless an editor wrote one with an introduction;
a collection's folder adds its own (`Extension.derived_pages`: a plan year's task breakdown, the
archive of every year). A real file at the same path always takes precedence."""

from __future__ import annotations

from .collection import DerivedPage
from .model import KnowledgeBase
from .urls import LANGS


def derived_pages(kb: KnowledgeBase) -> list[DerivedPage]:
    """The derived pages the docs tree does not provide itself."""

    def derive() -> list[DerivedPage]:
        pages = []
        for extension in kb.registry.all_extensions():
            if extension.derived_pages is not None:
                pages += extension.derived_pages(kb)
        for c in kb.registry:
            if c.listing is not None and c.index_page is not None:
                marker = f"<!-- kb:{c.listing.marker} -->\n"
                pages.append(DerivedPage(c.index_page, dict(c.titles), {lang: marker for lang in LANGS}))
        taken = kb.entries.keys() | kb.invalid | kb.hidden
        return [p for p in pages if p.src not in taken]

    return kb.cached("derived-pages", derive)
