"""The plan's checks across files: each point against its file name, folder, year and section;
one overview per year; numbering without gaps; plan pages whose titles name another year."""

from __future__ import annotations

import re
from collections import defaultdict

from ...content.model import Entry, KnowledgeBase
from ...content.problems import Problem
from . import queries
from .model import PLAN, WORK_POINT

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _shown(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def check_points(kb: KnowledgeBase, prefix: str) -> None:
    seen_points: dict[str, Entry] = {}
    for e in queries.points(kb):
        shown = _shown(prefix, e.src)
        stem = e.src.rsplit("/", 1)[-1][: -len(".md")]
        year_dir = e.src.split("/")[1]
        if stem != f"{e.data.number:02d}":
            kb.problems.append(
                Problem(
                    shown,
                    e.parsed.line_of(("number",)),
                    f"number: {e.data.number} 与文件名 {stem}.md 不一致。第 {e.data.number} 项的文件应命名为 {e.data.number:02d}.md。",
                )
            )
        if year_dir != str(e.data.year):
            kb.problems.append(
                Problem(
                    shown, e.parsed.line_of(("year",)), f"year: {e.data.year} 与所在文件夹 plan/{year_dir}/ 不一致。"
                )
            )
        if e.id in seen_points:
            kb.problems.append(
                Problem(
                    shown,
                    e.parsed.line_of(("number",)),
                    f"编号重复：{e.id} 已由 {_shown(prefix, seen_points[e.id].src)} 使用。",
                )
            )
        seen_points[e.id] = e
        plan = queries.plan(kb, e.data.year)
        folder_index = kb.entries.get(f"plan/{year_dir}/index.md")
        if plan is None and folder_index is not None and folder_index.collection is PLAN:
            # The overview is there but names another year: that is the mistake to point at.
            kb.problems.append(
                Problem(
                    shown,
                    e.parsed.line_of(("year",)),
                    f"{e.data.year} 年的工作要点总览页应是 {_shown(prefix, folder_index.src)}，但它写的是 "
                    f"year: {folder_index.data.year}。请先改正总览页的 year。",
                )
            )
        elif plan is None:
            kb.problems.append(
                Problem(
                    shown,
                    e.parsed.line_of(("year",)),
                    f"找不到 {e.data.year} 年的工作要点总览页 {prefix}/plan/{e.data.year}/index.md。"
                    f"新一年的工作要点请用 kb import plan 原文文件 导入。",
                )
            )
        elif e.data.section not in {s.number for s in plan.data.sections}:
            kb.problems.append(
                Problem(
                    shown,
                    e.parsed.line_of(("section",)),
                    f"section: {e.data.section} 不存在：{e.data.year} 年工作要点只有 {len(plan.data.sections)} 个部分。",
                )
            )


def check_plans(kb: KnowledgeBase, prefix: str) -> None:
    """Each year's overview against its folder, one overview per year, numbering without gaps,
    and plan pages (either language) whose titles name another year (a copied page)."""
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for plan in kb.of(PLAN):
        shown = _shown(prefix, plan.src)
        folder = plan.src.split("/")[1]
        by_year[plan.data.year].append(plan)
        if folder != str(plan.data.year):
            kb.problems.append(
                Problem(
                    shown,
                    plan.parsed.line_of(("year",)),
                    f"year: {plan.data.year} 与所在文件夹 plan/{folder}/ 不一致。请改为 year: {folder}"
                    f"（如果年度是 {plan.data.year}，请把文件夹改名为 plan/{plan.data.year}/）。",
                )
            )
    for year, plans in by_year.items():
        for plan in plans[1:]:
            kb.problems.append(
                Problem(
                    _shown(prefix, plan.src),
                    plan.parsed.line_of(("year",)),
                    f"{year} 年已有总览页 {_shown(prefix, plans[0].src)}。每个年度只能有一个总览页，请改正 year。",
                )
            )
    for year in queries.plan_years(kb):
        points = queries.points(kb, year)
        # A point file that failed validation is reported on its own; its number is no gap.
        numbers = {p.data.number for p in points} | {
            int(src[-len("00.md") : -len(".md")])
            for src in kb.invalid
            if WORK_POINT.matches(src) and src.split("/")[1] == str(year)
        }
        for p in points:
            missing = [n for n in range(1, p.data.number) if n not in numbers and n + 1 == p.data.number]
            if missing:
                kb.problems.append(
                    Problem(
                        _shown(prefix, p.src),
                        p.parsed.line_of(("number",)),
                        f"{year} 年工作要点缺少第 {missing[0]} 项（没有 plan/{year}/{missing[0]:02d}.md），"
                        f"编号应从 1 起连续。请补上缺的一项，或按原文改正编号；用 kb import plan "
                        f"原文文件 --check 可以核对。",
                    )
                )
    for e in kb.entries.values():
        folder = queries.folder_year(e.src)
        # Point titles are the source's own sentences and may name other years.
        if folder is None or e.collection is WORK_POINT:
            continue
        pages = [(e.src, e.parsed, e.data)] + [(t.src, t.parsed, t.data) for t in e.translations.values()]
        for src, parsed, data in pages:
            for key in ("title", "title_lines"):
                values = getattr(data, key, None)
                for i, value in enumerate([values] if isinstance(values, str) else values or []):
                    years = {int(y) for y in _YEAR.findall(value)}
                    if years and folder not in years:
                        loc = (key,) if isinstance(values, str) else (key, i)
                        kb.problems.append(
                            Problem(
                                _shown(prefix, src),
                                parsed.line_of(loc),
                                f"{key} 写的是 {'、'.join(map(str, sorted(years)))} 年（“{value}”），但本页在 "
                                f"plan/{folder}/ 里。是从别的年度复制来的吗？请改为 {folder} 年的内容。",
                            )
                        )
