"""The pages the build derives from the plan folders rather than from files: the /plan/ archive
and, for each year, its task breakdown, full text and (from the second year on) the comparison
with the previous year. A real file at the same path takes precedence. What each page holds is
written by outputs/year_pages.py; knowing which exist is part of the model (links to them are
not missing)."""

from __future__ import annotations

import posixpath
from typing import NamedTuple

from .model import Entry, KnowledgeBase

ARCHIVE = "plan/index.md"


class DerivedPage(NamedTuple):
    src: str  # Chinese source path it stands for, e.g. "plan/2025/tasks.md"
    kind: str  # "archive", "tasks", "full-text" or "changes"
    plan: Entry | None  # the year's plan (None for the archive)
    previous: Entry | None = None  # the previous year's plan, for "changes"


def derived_pages(kb: KnowledgeBase) -> list[DerivedPage]:
    """The derived pages the docs tree does not provide itself."""
    pages = [DerivedPage(ARCHIVE, "archive", None)] if kb.plan_years() else []
    for plan in kb.plans():
        folder = posixpath.dirname(plan.src)
        pages.append(DerivedPage(f"{folder}/tasks.md", "tasks", plan))
        pages.append(DerivedPage(f"{folder}/full-text.md", "full-text", plan))
        previous = kb.previous_plan(plan.data.year)
        if previous is not None:
            pages.append(DerivedPage(f"{folder}/changes.md", "changes", plan, previous))
    return [p for p in pages if p.src not in kb.entries]
