"""Files published beside the pages: the activities calendar (iCalendar) and the Atom feed."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..content import model, schemas, tag_names, text, vocab
from ..content.model import Entry, KnowledgeBase
from . import render

FEED_SIZE = 50
_ICS_STATUS = {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def absolute_url(site_url: str, lang: str, entry: Entry) -> str:
    prefix = "" if lang == model.DEFAULT_LANG else f"{lang}/"
    return site_url.rstrip("/") + "/" + prefix + entry.url


def _end(event) -> dt.date:
    """Exclusive end of an all-day event: the next day, or the first day after its month."""
    start = event.start
    if event.precision == "day":
        return start + dt.timedelta(days=1)
    return start.replace(day=_calendar.monthrange(start.year, start.month)[1]) + dt.timedelta(days=1)


def render_calendar(kb: KnowledgeBase, lang: str, site_url: str) -> bytes:
    """Events known to the day or the month, as all-day events (a month-long one when only the
    month is known, marked tentative). Events known only to the year are left out: a year-long
    entry in a member's calendar says nothing useful; the events page lists them."""
    t = text.strings()[lang]
    cal = Calendar()
    cal.add("prodid", "-//Mentougou CPPCC knowledge base//kb//" + lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", t["calendar_name"])
    for e in kb.events():
        data = e.data
        if data.precision == "year":
            continue
        item = CalendarEvent()
        item.add("uid", f"{e.id}@kb")
        item.add("summary", e.title(lang))
        item.add("dtstart", data.start)
        item.add("dtend", _end(data))
        changed = e.changed_for(lang)
        item.add("dtstamp", changed.astimezone(dt.UTC) if changed else _midnight_utc(data.start))
        item.add("status", _ICS_STATUS[data.status])
        item.add("url", absolute_url(site_url, lang, e))
        notes = [
            text.format_when(e, lang),
            f"{t['date_source']}{t['colon']}{vocab.DATE_SOURCE.label(data.date_source, lang)}",
        ]
        if data.location:
            item.add("location", data.location)
        item.add("description", "\n".join(notes))
        cal.add_component(item)
    return cal.to_ical()


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
    home = site_url.rstrip("/") + "/" + ("" if lang == model.DEFAULT_LANG else f"{lang}/")
    return renderer.render(
        "atom.xml.j2",
        records=records,
        home=home,
        feed_url=home + "feed.xml",
        updated=atom_time(max((feed_date(e, lang) for e in records), default=_midnight_utc(dt.date(2000, 1, 1)))),
        feed_date=lambda e: atom_time(feed_date(e, lang)),
        absolute=lambda e: absolute_url(site_url, lang, e),
        collection_title=lambda e: e.collection.titles[lang],
        # the tags by their names in the feed's language (tags.yml), as its pages show them
        tag_name=lambda tag: tag_names.name(table, tag, lang) or tag,
        # points of different years share numbers and titles: the year and number tell them apart
        entry_title=lambda e: text.point_page_title(e, lang) if e.collection is schemas.WORK_POINT else e.title(lang),
    )
