"""Which pages people share as links of their own, and so get a link-preview card of their own.

The home page, each collection's index page, and every entry of a collection whose declaration
says its pages are shared (`Collection.shared`: a year's plan, a work point, a record; plain
pages are not). The rest (tag pages, the guide, a plan's notice, the pages derived from a plan
year, redirects, 404) are reached from those; their previews show the site's card.
"""

from __future__ import annotations

from .collection import Registry
from .model import KnowledgeBase

HOME = "index.md"


def index_pages(registry: Registry) -> set[str]:
    """The index page of each shared collection's folder ("lectures/index.md", the plan archive
    "plan/index.md"): the folder its pages lie in, as its first pattern says."""
    return {
        f"{c.patterns[0].split('/')[0]}/{HOME}" for c in registry if c.shared and c.patterns and "/" in c.patterns[0]
    }


def is_shared(src: str, kb: KnowledgeBase | None) -> bool:
    """Whether the page whose Chinese source is `src` (docs-relative, "lectures/x.md") is one
    people share: the home page, a collection's index page, or an entry of a shared collection."""
    if src == HOME:
        return True
    if kb is None:
        return False
    if src in kb.cached("shared-index-pages", lambda: index_pages(kb.registry)):
        return True
    entry = kb.entries.get(src)
    return entry is not None and entry.collection.shared
