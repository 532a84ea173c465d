"""工作要点, the annual plan: a year's overview (docs/plan/<year>/index.md), its notice and its
numbered work points (docs/plan/<year>/<NN>.md), imported from the issued text (source_text.py)
and kept to it (fidelity.py); the pages derived from each year (year_pages.py: task breakdown,
full text, changes since the previous year, the archive), the task sheet in and out
(task_sheet.py), and the one rule of a point's progress (progress.py)."""

from __future__ import annotations

from pathlib import Path

from ...content import urls
from ...content.collection import Extension
from ...content.text import strings
from . import checks, markers, progress, queries, task_sheet, year_pages
from .model import (
    PLAN,
    POINTS_REF,
    STATUS,
    WORK_POINT,
    PointRef,
    plan_year_label,
    point_label,
    point_ref,
    section_label,
)
from .view import PlanPageView, notice_metadata


def write_task_sheets(kb, site_dir: Path, site_url: str, languages) -> None:
    """Every plan year's task breakdown as .xlsx and .csv beside its task page (one copy: the
    English task page links to it too). Only points in this edition are in them."""
    for plan in queries.plans(kb):
        year = plan.data.year
        rows = task_sheet.rows(kb, year, site_url)
        target = site_dir / task_sheet.site_path(year)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_suffix(".xlsx").write_bytes(task_sheet.to_xlsx(rows, year))
        target.with_suffix(".csv").write_bytes(task_sheet.to_csv(rows))


def start_pages(kb, lang: str) -> list[tuple[str, str]]:
    """Where a reader who followed a broken link may start: the newest plan, and every year's
    once there are several."""
    found = queries.plans(kb)
    pages = [(plan_year_label(found[0].data.year, lang), urls.url(found[0].src, lang))] if found else []
    if len(found) > 1:
        pages.append((strings()[lang]["archive_title"], urls.url(queries.ARCHIVE, lang)))
    return pages


def _commands(groups, context) -> None:
    from . import commands  # the command line's only: a build does not load them

    commands.register(groups, context)


COLLECTIONS = (PLAN, WORK_POINT)
EXTENSION = Extension(
    start_pages=start_pages,
    checks=(checks.check_points, checks.check_plans),
    markers=markers.MARKERS,
    derived_pages=year_pages.year_pages,
    menu=year_pages.menu,
    menu_labels=year_pages.menu_labels,
    view=PlanPageView,
    page_html=notice_metadata,
    written_files=write_task_sheets,
    commands=_commands,
    template_globals={
        "section_label": section_label,
        "point_label": point_label,
        "point_ref": point_ref,
        "plan_year_label": plan_year_label,
        "percent": progress.percent_text,
    },
)

__all__ = ["COLLECTIONS", "EXTENSION", "PLAN", "POINTS_REF", "STATUS", "WORK_POINT", "PointRef"]
