"""Questions about the plans of a knowledge base: which years, a year's plan and points, a point by
its id, the previous and next year, and how a year's points continue the previous year's.
Memoised in the knowledge base (`KnowledgeBase.cached`): it does not change once loaded."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from ...content.model import Entry, KnowledgeBase
from . import changes
from .model import PLAN, WORK_POINT, PlanSection

ARCHIVE = "plan/index.md"  # the archive of every year's plan
_YEAR_FOLDER = re.compile(r"^plan/(?P<year>\d{4})/")


def folder_year(page_src: str) -> int | None:
    """The year of the plan folder a page stands in (plan/2024/… -> 2024), if any."""
    m = _YEAR_FOLDER.match(page_src)
    return int(m["year"]) if m else None


def _by_year(kb: KnowledgeBase) -> dict[int, Entry]:
    return kb.cached("plans-by-year", lambda: {e.data.year: e for e in kb.of(PLAN)})


def plan(kb: KnowledgeBase, year: int) -> Entry | None:
    return _by_year(kb).get(year)


def plans(kb: KnowledgeBase) -> list[Entry]:
    """Every plan, newest year first (task sheets, `kb export`)."""
    return sorted(kb.of(PLAN), key=lambda e: e.data.year, reverse=True)


def plan_years(kb: KnowledgeBase) -> list[int]:
    """Years with a plan, oldest first."""
    return sorted(_by_year(kb))


def previous_plan(kb: KnowledgeBase, year: int) -> Entry | None:
    earlier = [y for y in plan_years(kb) if y < year]
    return plan(kb, earlier[-1]) if earlier else None


def next_plan(kb: KnowledgeBase, year: int) -> Entry | None:
    later = [y for y in plan_years(kb) if y > year]
    return plan(kb, later[0]) if later else None


def points(kb: KnowledgeBase, year: int | None = None) -> list[Entry]:
    """A year's work points (every year's, without one), by year and number."""
    return kb.cached(
        ("points", year), lambda: [e for e in kb.listed(WORK_POINT) if year is None or e.data.year == year]
    )


def point(kb: KnowledgeBase, point_id: str) -> Entry | None:
    """The point other pages name `point_id` ("2024-05")."""
    return kb.by_id(WORK_POINT.name, point_id)


def notice_of(kb: KnowledgeBase, plan_entry: Entry) -> Entry | None:
    return kb.entries.get(posixpath.join(posixpath.dirname(plan_entry.src), "notice.md"))


def comparison(kb: KnowledgeBase, year: int) -> changes.Comparison | None:
    """This year's points against the previous plan's (None for the first year)."""
    previous = previous_plan(kb, year)
    if previous is None:
        return None
    return kb.cached(("comparison", year), lambda: changes.compare(points(kb, previous.data.year), points(kb, year)))


def counterparts(kb: KnowledgeBase, entry: Entry) -> tuple[changes.Pair | None, changes.Pair | None]:
    """The same point continued from the previous plan and into the next one, if any."""
    before = after = None
    if (c := comparison(kb, entry.data.year)) is not None:
        before = next((p for p in c.continued if p.new is entry), None)
    following = next_plan(kb, entry.data.year)
    if following is not None and (c := comparison(kb, following.data.year)) is not None:
        after = next((p for p in c.continued if p.old is entry), None)
    return before, after


def by_section(plan_entry: Entry, year_points: list[Entry]) -> list[tuple[PlanSection, list[Entry]]]:
    """A plan's points under each of its sections, in the plan's order."""
    grouped = defaultdict(list)
    for p in year_points:
        grouped[p.data.section].append(p)
    return [(s, sorted(grouped.get(s.number, []), key=lambda e: e.data.number)) for s in plan_entry.data.sections]
