"""Listing markers (`<!-- kb:name args -->`) replaced by what they list: each marker's handler,
and the expansion of a page's Markdown."""

from __future__ import annotations

from collections.abc import Callable

from ..content import listings, markers, schemas
from ..content.markers import ListingError
from ..content.model import KnowledgeBase
from . import guide
from .plan_pages import PlanRenderer
from .render import Renderer

# marker -> handler(kb, page_src, lang, args) -> Markdown
Handler = Callable[[KnowledgeBase, str, str, list[str]], str]


def _plan_handler(marker: str) -> Handler:
    method = getattr(PlanRenderer, marker.replace("-", "_"))  # a missing one fails here, on import
    return lambda kb, page_src, lang, args: method(PlanRenderer(kb, page_src, lang), args)


def _handlers() -> dict[str, Handler]:
    """A collection's declared listing, the guide's field reference, or the plan's page named
    after the marker."""
    handlers: dict[str, Handler] = {}
    for c in schemas.COLLECTIONS.values():
        if c.listing:
            handlers[c.listing.marker] = lambda kb, page_src, lang, args, c=c: Renderer(
                kb, page_src, lang
            ).collection_listing(c)
    for marker in markers.SPECS:
        handlers[marker] = guide.field_reference if marker == "field-reference" else _plan_handler(marker)
    for c in schemas.COLLECTIONS.values():
        if c.listing and not hasattr(listings, c.listing.group):
            raise AttributeError(f"{c.name}: listings.{c.listing.group} does not exist")
    return handlers


HANDLERS = _handlers()


def expand_markers(markdown: str, kb: KnowledgeBase, page_src: str, lang: str) -> str:
    """Replace every `<!-- kb:name args -->` outside code in a page's Markdown with its listing.
    A marker that cannot be rendered raises ListingError (line within `markdown`)."""
    found = markers.find(markdown)
    if not found:
        return markdown
    problems = markers.marker_problems(markdown, page_src, set(kb.plan_years()))
    if problems:
        line, message = problems[0]
        raise ListingError(page_src, line, message)
    out, last = [], 0
    for m in found:
        out.append(markdown[last : m.start()])
        out.append(HANDLERS[m.group("name")](kb, page_src, lang, m.group("args").split()))
        last = m.end()
    out.append(markdown[last:])
    return "".join(out)
