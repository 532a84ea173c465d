"""The plan's listing markers: a year's overview, task breakdown, full text and changes, the
archive of every year and the home page's latest plan (rendered by pages.PlanRenderer).

A year-taking marker lists its argument's year, or the year of the plan folder it stands in."""

from __future__ import annotations

import re

from ...content.collection import MarkerSpec
from . import queries
from .pages import PlanRenderer


def _render(method: str):
    render = getattr(PlanRenderer, method)  # a missing one fails here, on import
    return lambda kb, page_src, lang, args: render(PlanRenderer(kb, page_src, lang), args)


def check_year(text: str, name: str, args: list[str], page_src: str, kb) -> str | None:
    """Why a year-taking marker cannot be rendered here (a Chinese message with the fix), or None."""
    here = queries.folder_year(page_src)
    if len(args) > 1 or (args and not re.fullmatch(r"\d{4}", args[0])):
        return f"列表标记 {text} 的参数应是一个四位年度（例如 <!-- kb:{name} 2024 -->），或者不写参数。"
    year = int(args[0]) if args else here
    plan_years = set(queries.plan_years(kb))
    if year is None:
        return f"列表标记 kb:{name} 不在某个年度的文件夹里，要写明年度，例如 <!-- kb:{name} 2024 -->。"
    if here is not None and year != here:
        return (
            f"列表标记 {text} 写的是 {year} 年，但本页在 plan/{here}/ 里，会显示 {year} 年的内容。"
            f"请改为 <!-- kb:{name} -->（年度取自文件夹）。"
        )
    if year not in plan_years:
        have = "、".join(str(y) for y in sorted(plan_years)) or "无"
        return f"列表标记 {text}：没有 {year} 年的工作要点（已有：{have}）。请改正年度。"
    return None


MARKERS = (
    MarkerSpec(
        "plan-overview",
        _render("plan_overview"),
        places=("plan/*/index.md",),
        place_hint="只能放在年度总览页 plan/<年度>/index.md",
    ),
    MarkerSpec("plan-full-text", _render("plan_full_text"), check_args=check_year),
    MarkerSpec("plan-tasks", _render("plan_tasks"), check_args=check_year),
    MarkerSpec("plan-changes", _render("plan_changes"), check_args=check_year),
    MarkerSpec("plan-archive", _render("plan_archive")),
    MarkerSpec("plan-latest", _render("plan_latest")),
)
