"""Which pages people share as links of their own, and so get a link-preview card of their own.

The home page, each collection's index page, and every entry of a declared collection: a year's
plan, a work point, a record. The rest (tag pages, the guide, a plan's notice, the pages derived
from a plan year, redirects, 404) are reached from those; their previews show the site's card.
"""

from __future__ import annotations

import functools

from . import schemas
from .model import KnowledgeBase

HOME = "index.md"


@functools.cache
def _collection_folders() -> frozenset[str]:
    """The folders the declared collections live in ("plan", "lectures", …)."""
    return frozenset(
        c.patterns[0].split("/")[0] for c in schemas.COLLECTIONS.values() if c is not schemas.PAGE and c.patterns
    )


def is_shared(src: str, kb: KnowledgeBase | None) -> bool:
    """Whether the page whose Chinese source is `src` (docs-relative, "lectures/x.md") is one
    people share: the home page, a collection folder's index page ("lectures/index.md", the plan
    archive "plan/index.md"), or an entry of a collection other than plain pages."""
    if src == HOME:
        return True
    entry = kb.entries.get(src) if kb is not None else None
    if entry is not None and entry.collection is not schemas.PAGE:
        return True
    folder, _, name = src.rpartition("/")
    return name == HOME and folder in _collection_folders()
