"""Listing markers (`<!-- kb:name args -->`) replaced by what they list: each marker's handler,
and the expansion of a page's Markdown."""

from __future__ import annotations

from collections.abc import Callable

from ..content import markers
from ..content.collection import Registry
from ..content.markers import ListingError
from ..content.model import KnowledgeBase
from . import guide
from .render import Renderer

# marker -> handler(kb, page_src, lang, args) -> Markdown
Handler = Callable[[KnowledgeBase, str, str, list[str]], str]


def handlers(registry: Registry) -> dict[str, Handler]:
    """Each marker's handler: a collection's declared listing, a marker its folder renders itself
    (`Extension.markers`), or the guide's field reference."""
    found: dict[str, Handler] = {}
    for c in registry:
        if c.listing:
            found[c.listing.marker] = lambda kb, page_src, lang, args, c=c: Renderer(
                kb, page_src, lang
            ).collection_listing(c)
    for spec in markers.all_specs(registry).values():
        if spec.render is not None:
            found[spec.name] = spec.render
    found[markers.FIELD_REFERENCE.name] = guide.field_reference
    return found


def listing_inputs(kb: KnowledgeBase) -> tuple:
    """What the listings read from the knowledge base, as a value to compare: every page's front
    matter and last change, and the bodies of the pages listings quote (collections declared
    `quoted`: plans, work points and the other non-record pages; a lecture's, event's, 文史
    record's or proposal's body is never listed). Equal values render equal listings; the preview
    uses it to skip re-rendering them after a save that only changed a record's body."""
    return tuple(
        (
            e.src,
            e.data,
            e.updated,
            e.changed,
            e.body if e.collection.quoted else None,
            tuple(
                (t.src, t.data, t.updated, t.changed, t.body if e.collection.quoted else None)
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
    problems = markers.marker_problems(markdown, page_src, kb)
    if problems:
        line, message = problems[0]
        raise ListingError(page_src, line, message)
    rendering = kb.cached("marker-handlers", lambda: handlers(kb.registry))
    out, last = [], 0
    for m in found:
        out.append(markdown[last : m.start()])
        out.append(rendering[m.group("name")](kb, page_src, lang, m.group("args").split()))
        last = m.end()
    out.append(markdown[last:])
    return "".join(out)
