"""The activities calendar (iCalendar), written beside each language's events page."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ...content import text, urls
from ...content.model import KnowledgeBase
from .model import DATE_SOURCE, EVENT, when_text

_ICS_STATUS = {"planned": "TENTATIVE", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def _end(event) -> dt.date:
    """Exclusive end of an all-day event: the next day, or the first day after its month."""
    start = event.start
    if event.precision == "day":
        return start + dt.timedelta(days=1)
    return start.replace(day=_calendar.monthrange(start.year, start.month)[1]) + dt.timedelta(days=1)


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


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
    for e in kb.listed(EVENT):
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
        item.add("url", urls.absolute(site_url, urls.url(e.src, lang)))
        notes = [
            when_text(data, lang),
            f"{t['date_source']}{t['colon']}{DATE_SOURCE.label(data.date_source, lang)}",
        ]
        if data.location:
            item.add("location", data.location)
        item.add("description", "\n".join(notes))
        cal.add_component(item)
    return cal.to_ical()
