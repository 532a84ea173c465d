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


def listing_inputs(kb: KnowledgeBase) -> tuple:
    """What the listings read from the knowledge base, as a value to compare: every page's front
    matter and last change, and the bodies of the pages listings quote (plans, work points and the
    other non-record pages; a lecture's, event's, 文史 record's or proposal's body is never listed).
    Equal values render equal listings; the preview uses it to skip re-rendering them after a save
    that only changed a record's body."""
    quoted = {c.name for c in schemas.COLLECTIONS.values() if not c.is_record} | {schemas.WORK_POINT.name}
    return tuple(
        (
            e.src,
            e.data,
            e.updated,
            e.changed,
            e.body if e.collection.name in quoted else None,
            tuple(
                (t.src, t.data, t.updated, t.changed, t.body if e.collection.name in quoted else None)
                for t in e.translations.values()
            ),
        )
        for e in kb.entries.values()
    )


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
