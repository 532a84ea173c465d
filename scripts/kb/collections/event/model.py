"""The model of an activity: when it is (a day, a month or a year: as precisely as known), where its
date comes from, whether it was held; and its collection's declaration."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

from ...content.collection import Collection, GroupBy, HeaderField, Listing
from ...content.fields import FIRST_YEAR, LAST_YEAR, Clock, PlainText, Record, author, coded, described, sane_date
from ...content.text import format_date, strings
from ...content.vocab import Vocabulary
from ..plan import POINTS_REF, PointRef

EVENT_STATUS = Vocabulary(
    "event_status",
    {
        "planned": {"zh": "计划中", "en": "Planned"},
        "held": {"zh": "已举办", "en": "Held"},
        "cancelled": {"zh": "已取消", "en": "Cancelled"},
    },
)

# Where an event's date comes from: the plan only names most activities, so a date is either
# fixed by the calendar (a festival), stated in the source, or recorded by an editor afterwards.
DATE_SOURCE = Vocabulary(
    "date_source",
    {
        "calendar": {"zh": "按节日日期（日历）", "en": "Festival date (calendar)"},
        "source": {"zh": "按工作要点原文", "en": "As stated in the plan"},
        "record": {"zh": "实际举办日期", "en": "Actual date"},
    },
)


def _when(value):
    """`when` is a day (2024-03-08), a month ("2024-04") or a year (2024): only as precise as known."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return sane_date(value)
    if isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR:
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value.strip()):
        if FIRST_YEAR <= int(value.strip()[:4]) <= LAST_YEAR:
            return value.strip()
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return sane_date(dt.date.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise ValueError("when-format")


When = Annotated[
    object,
    BeforeValidator(_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}(-\d{2})?$"},
                {"type": "integer"},
            ]
        }
    ),
]


class Event(Record):
    """An activity the plan names (docs/events/<slug>.md)."""

    when: When = described(
        '日期：知道哪天写 2024-03-08；只知道月份写 "2024-04"；只知道年份写 2024。不要猜测。',
        'Date: a day (2024-03-08), a month ("2024-04") or a year (2024), only as precise as known.',
    )
    date_source: coded(
        DATE_SOURCE,
        "日期的依据：calendar 节日日期；source 工作要点原文；record 实际举办日期。",
        "Where the date comes from.",
        default="source",
    )
    status: coded(EVENT_STATUS, "举办状态。", "Whether it has taken place.", default="planned")
    location: PlainText | None = described("地点。", "Place.", default=None)
    time: Clock | None = described("开始时间，例如 09:30。", "Starting time, e.g. 09:30.", default=None)
    host: PlainText | None = described("主持人。", "Chaired by.", default=None)
    author: PlainText | None = author()
    points: list[PointRef] = described(
        "相关工作要点，例如 [2024-10]。", "Related work points, e.g. [2024-10].", default_factory=list
    )

    @property
    def precision(self) -> str:
        if isinstance(self.when, dt.date):
            return "day"
        return "month" if "-" in self.when else "year"

    @property
    def start(self) -> dt.date:
        """First day the event may fall on (sorting, calendars)."""
        if isinstance(self.when, dt.date):
            return self.when
        year, _, month = self.when.partition("-")
        return dt.date(int(year), int(month or 1), 1)

    @property
    def period(self) -> tuple[str, object]:
        """The listing's group: ("month", its first day) for an event known to the day or month,
        ("year", the year) for one known only to the year; months come first, in order."""
        if self.precision == "year":
            return ("year", self.start.year)
        return ("month", self.start.replace(day=1))


def when_text(event: Event, lang: str) -> str:
    """An event's date as precisely as it is known, saying so when only the month or year is."""
    written = format_date(event.start, lang, event.precision)
    if event.precision != "day":
        written += strings()[lang]["date_not_fixed"]
    return written


EVENT = Collection(
    "event",
    Event,
    ("events/*.md",),
    {"zh": "活动", "en": "Activities"},
    folder="events",
    sort_key=lambda e: (e.data.start, e.data.precision != "day", e.src),
    listing=Listing(
        "event-index",
        "event-index.md.j2",
        group_by=(GroupBy("period"),),
        sort_by=lambda e: (e.data.start, e.data.precision != "day", e.data.title),
    ),
    header=(
        HeaderField("when", label="date", text=when_text),
        HeaderField("date_source"),
        HeaderField("status", label="event_status"),
        HeaderField("location"),
        HeaderField("time", hide_missing=True),
        HeaderField("host", hide_missing=True),
        HeaderField("author", hide_missing=True),
    ),
    new_options=("status", "location", "time", "host", "author", "date_source", "points", "visibility"),
    date_field="when",
    slug_prefix=("date",),
    feed_date="start",
    guide_order=3,
    search_fields=("location",),
    menu_order=4,
    refs=(POINTS_REF,),
    word_import=True,
    word_facts={"author": "author", "host": "host", "time": "when", "clock": "time", "venue": "location"},
)
