"""The Atom feed of new and updated records, published beside each language's home page."""

from __future__ import annotations

import datetime as dt

from ..content import tag_names, urls
from ..content.model import Entry, KnowledgeBase
from . import render

FEED_SIZE = 50


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def feed_date(e: Entry, lang: str) -> dt.datetime:
    """The time of the last commit that changed the page (to the second: records changed on the
    same day keep their order, and feed validators warn about entries with equal atom:updated);
    outside git, midnight UTC of the record's own date (its collection's `feed_date`)."""
    changed = e.changed_for(lang)
    if changed is not None:
        return changed.astimezone(dt.UTC)
    data = e.data
    own = getattr(data, e.collection.feed_date) if e.collection.feed_date else None
    return _midnight_utc(own or dt.date(getattr(data, "year", 2000), 1, 1))


def atom_time(time: dt.datetime) -> str:
    """RFC 3339 in UTC, as Atom wants it: 2024-05-20T08:30:00Z."""
    return time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_feed(kb: KnowledgeBase, lang: str, site_url: str) -> str:
    records = sorted(kb.records(), key=lambda e: (feed_date(e, lang), e.src), reverse=True)[:FEED_SIZE]
    renderer = render.Renderer(kb, "index.md", lang)
    table, _ = tag_names.read(kb.docs_dir.parent)
    home = urls.absolute(site_url, urls.lang_prefix(lang))
    return renderer.render(
        "atom.xml.j2",
        records=records,
        home=home,
        feed_url=home + "feed.xml",
        updated=atom_time(max((feed_date(e, lang) for e in records), default=_midnight_utc(dt.date(2000, 1, 1)))),
        feed_date=lambda e: atom_time(feed_date(e, lang)),
        absolute=lambda e: urls.absolute(site_url, urls.url(e.src, lang)),
        collection_title=lambda e: e.collection.titles[lang],
        # the tags by their names in the feed's language (tags.yml), as its pages show them
        tag_name=lambda tag: tag_names.name(table, tag, lang) or tag,
        # points of different years share numbers and titles: their collection names them by both
        entry_title=lambda e: e.collection.shown_title(e, lang) if e.collection.shown_title else e.title(lang),
    )
