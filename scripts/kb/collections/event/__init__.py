"""活动, the activities the plan names: one page per activity (docs/events/<slug>.md), dated only
as precisely as known, listed by month, with a calendar to subscribe to (calendar.py)."""

from __future__ import annotations

from ...content import urls
from ...content.collection import Extension
from ...content.text import strings
from . import calendar
from .model import DATE_SOURCE, EVENT, EVENT_STATUS, Event, when_text


def _write_calendars(kb, site_dir, site_url: str, languages) -> None:
    for lang in languages:
        folder = site_dir / urls.lang_prefix(lang) / EVENT.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "calendar.ics").write_bytes(calendar.render_calendar(kb, lang, site_url))


def _subscriptions(lang: str) -> list[tuple[str, str, str]]:
    """The activities calendar, offered in every page's footer."""
    return [
        (
            strings()[lang]["subscribe_calendar"],
            urls.lang_prefix(lang) + EVENT.folder + "/calendar.ics",
            "text/calendar",
        )
    ]


COLLECTIONS = (EVENT,)
EXTENSION = Extension(
    written_files=_write_calendars, template_globals={"when_text": when_text}, subscriptions=_subscriptions
)

__all__ = ["COLLECTIONS", "DATE_SOURCE", "EVENT", "EVENT_STATUS", "EXTENSION", "Event", "when_text"]
