"""Grouping and sorting entries for the generated listings, and the progress roll-ups."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from . import schemas
from .model import Entry


def group_points_by_section(plan: Entry, points: list[Entry]) -> list[tuple[schemas.PlanSection, list[Entry]]]:
    by_section = defaultdict(list)
    for p in points:
        by_section[p.data.section].append(p)
    return [(s, sorted(by_section.get(s.number, []), key=lambda e: e.data.number)) for s in plan.data.sections]


def group_wenshi(entries: list[Entry]) -> list[tuple[str, list[tuple[str, list[Entry]]]]]:
    """[(kind, [(status, entries)])] in vocabulary order; empty groups left out."""
    from .vocab import STATUS, WENSHI_KIND

    out = []
    for kind in (*WENSHI_KIND.codes, None):
        of_kind = [e for e in entries if e.data.kind == kind]
        by_status = [
            (s, sorted((e for e in of_kind if e.data.status == s), key=lambda e: e.data.title)) for s in STATUS.codes
        ]
        by_status = [(s, es) for s, es in by_status if es]
        if by_status:
            out.append((kind, by_status))
    return out


def group_lectures(entries: list[Entry]) -> list[tuple[int, list[tuple[str, list[Entry]]]]]:
    """[(year, [(topic_kind, lectures newest first)])], newest year first."""
    from .vocab import TOPIC_KIND

    years = sorted({e.data.date.year for e in entries}, reverse=True)
    out = []
    for year in years:
        of_year = [e for e in entries if e.data.date.year == year]
        groups = [
            (k, sorted((e for e in of_year if e.data.topic_kind == k), key=lambda e: e.data.date, reverse=True))
            for k in (*TOPIC_KIND.codes, None)
        ]
        out.append((year, [(k, es) for k, es in groups if es]))
    return out


def group_events(entries: list[Entry]) -> list[tuple[str, object, list[Entry]]]:
    """[(precision, key, events)]: one group per month ("month", date of the 1st) for events known
    to the day or month, then one per year ("year", year) for those known only to the year."""
    months: dict[dt.date, list[Entry]] = defaultdict(list)
    years: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.data.precision == "year":
            years[e.data.start.year].append(e)
        else:
            months[e.data.start.replace(day=1)].append(e)
    out: list[tuple[str, object, list[Entry]]] = []
    for month in sorted(months):
        out.append(
            (
                "month",
                month,
                sorted(months[month], key=lambda e: (e.data.start, e.data.precision != "day", e.data.title)),
            )
        )
    for year in sorted(years):
        out.append(("year", year, sorted(years[year], key=lambda e: e.data.title)))
    return out


@dataclass
class Rollup:
    """Where a set of work points stands: counts by status and the mean of known progress."""

    total: int
    by_status: dict[str, int]
    known: int  # points whose progress is known (a percentage, or completed / closed out)
    percent: float | None  # mean progress over the known ones; None when nothing is reported

    @property
    def unreported(self) -> int:
        return self.by_status.get("not-reported", 0)


def point_progress(point: Entry) -> int | None:
    if point.data.progress is not None:
        return point.data.progress
    if point.data.status in ("completed", "closed-out"):
        return 100
    return None


def rollup(points: list[Entry]) -> Rollup:
    from .vocab import STATUS

    by_status = {code: sum(1 for p in points if p.data.status == code) for code in STATUS.codes}
    known = [v for v in (point_progress(p) for p in points) if v is not None]
    return Rollup(len(points), by_status, len(known), sum(known) / len(known) if known else None)


def group_proposals(entries: list[Entry]) -> list[tuple[int, int, list[tuple[str | None, list[Entry]]]]]:
    """[(year, count, [(status, proposals by number)])], newest year first; statuses in vocabulary
    order, then proposals whose status is not recorded (None)."""
    from .vocab import PROPOSAL_STATUS

    out = []
    for year in sorted({e.data.year for e in entries}, reverse=True):
        of_year = [e for e in entries if e.data.year == year]
        groups = [
            (s, sorted((e for e in of_year if e.data.status == s), key=lambda e: (e.data.number or 0, e.data.title)))
            for s in (*PROPOSAL_STATUS.codes, None)
        ]
        out.append((year, len(of_year), [(s, es) for s, es in groups if es]))
    return out
