"""Checks across files: point numbering, plans, references between records, markers, translations."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from . import links, markers, schemas
from .derived import derived_pages
from .model import LANGS, Entry, KnowledgeBase, split_lang
from .problems import Problem

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _shown(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def check_references(kb: KnowledgeBase, prefix: str) -> None:
    seen_points: dict[str, Entry] = {}
    for e in kb.points():
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
        plan = kb.plan(e.data.year)
        folder_index = kb.entries.get(f"plan/{year_dir}/index.md")
        if plan is None and folder_index is not None and folder_index.collection is schemas.PLAN:
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

    check_plans(kb, prefix)
    check_proposal_numbers(kb, prefix)
    plan_years = set(kb.plan_years())
    for e in kb.entries.values():
        shown = _shown(prefix, e.src)
        for src, parsed in [(e.src, e.parsed)] + [(t.src, t.parsed) for t in e.translations.values()]:
            for line, message in markers.marker_problems(parsed.body, e.src, plan_years):
                kb.problems.append(Problem(_shown(prefix, src), parsed.body_line + line - 1, message))
        if e.translations:
            check_translations(kb, e, prefix)
        for i, ref in enumerate(getattr(e.data, "points", [])):
            if kb.point(ref) is None:
                kb.problems.append(
                    Problem(
                        shown,
                        e.parsed.line_of(("points", i)),
                        f"工作要点“{ref}”不存在。请写成 年度-两位序号，例如 2024-02 表示 2024 年第 2 项。",
                    )
                )
        for i, ref in enumerate(getattr(e.data, "related", [])):
            if kb.by_ref(ref) is None:
                kb.problems.append(
                    Problem(
                        shown,
                        e.parsed.line_of(("related", i)),
                        f"相关记录“{ref}”不存在：找不到 {prefix}/{ref}.md。请写不带 .md 的路径，例如 wenshi/sanqin-accounts。",
                    )
                )


def check_proposal_numbers(kb: KnowledgeBase, prefix: str) -> None:
    """One record per (year, 提案号): the committee numbers each year's proposals once, and a
    second file with the same number would be counted and listed twice ("2024年（21 件）").
    Drafts and members-only records count too (checked before either edition leaves them out)."""
    first: dict[tuple[int, int], Entry] = {}
    for e in sorted(kb.of(schemas.PROPOSAL), key=lambda e: e.src):
        if e.data.number is None:
            continue
        key = (e.data.year, e.data.number)
        if key not in first:
            first[key] = e
            continue
        kb.problems.append(
            Problem(
                _shown(prefix, e.src),
                e.parsed.line_of(("number",)),
                f"提案号重复：{e.data.year} 年第 {e.data.number} 号提案已有 {_shown(prefix, first[key].src)}，"
                f"这里（{_shown(prefix, e.src)}）又写了一次。同一件提案请只保留一个文件；"
                f"如果是另一件提案，请按提案委员会的编号改正 number。",
            )
        )


def check_plans(kb: KnowledgeBase, prefix: str) -> None:
    """Each year's overview against its folder, one overview per year, numbering without gaps,
    and plan pages (either language) whose titles name another year (a copied page)."""
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for plan in kb.of(schemas.PLAN):
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
    for year in kb.plan_years():
        points = kb.points(year)
        # A point file that failed validation is reported on its own; its number is no gap.
        numbers = {p.data.number for p in points} | {
            int(src[-len("00.md") : -len(".md")])
            for src in kb.invalid
            if schemas.WORK_POINT.matches(src) and src.split("/")[1] == str(year)
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
        folder = markers.folder_year(e.src)
        # Point titles are the source's own sentences and may name other years.
        if folder is None or e.collection is schemas.WORK_POINT:
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


def check_translations(kb: KnowledgeBase, e: Entry, prefix: str) -> None:
    """A translation records the fingerprint of the Chinese text it was made from (`kb translated`);
    when the Chinese page changes afterwards, the translation is reported as stale."""
    current = e.source_hash()
    for t in e.translations.values():
        recorded = getattr(t.data, "source_hash", None)
        if recorded == current:
            continue
        if recorded is None:
            why = "没有记录它依据的中文原文版本"
        else:
            why = "对应的中文原文在翻译之后改动过"
        kb.problems.append(
            Problem(
                _shown(prefix, t.src),
                1,
                f"译文可能已过期：{why}（中文原文 {_shown(prefix, e.src)}）。请对照原文更新译文，"
                f"然后运行 kb translated {_shown(prefix, t.src)}。",
                severity="warning",
            )
        )


def check_links_to_hidden_pages(kb: KnowledgeBase, prefix: str, site_url: str) -> None:
    """A page may not link to a page that an edition showing it leaves out: the public site has
    no members-only pages, and no edition has drafts. Checked before any edition is applied, so
    `kb check` (which keeps everything) reports what either edition's build would break on.

    Absolute links (`/lectures/x/`, or the site's own address) count too: MkDocs leaves them as
    written, so the link would publish the hidden page's address, a slug of its title."""
    for e in kb.entries.values():
        for src, body, parsed in [(e.src, e.body, e.parsed)] + [
            (t.src, t.body, t.parsed) for t in e.translations.values()
        ]:
            for link, offset, html in links.raw_targets(body):
                target_src = links.resolve(src, link, html)
                if target_src is None:
                    target_src = links.resolve_absolute(link, site_url, LANGS)
                if target_src is None:
                    continue
                target = _page_at(kb, target_src)
                if target is None or target is e:
                    continue
                if e.visibility == "public" and target.visibility == "members":
                    why = "仅在委员版中出现（visibility: members），公开网站上没有它"
                elif not e.draft and target.draft:
                    why = "是草稿（draft: true），发布的网站上没有它"
                else:
                    continue
                kb.problems.append(
                    Problem(
                        _shown(prefix, src),
                        parsed.body_line + body.count("\n", 0, offset),
                        f"这里链接到 {_shown(prefix, target.src)}，但那个页面{why}，链接会失效。"
                        "请删掉这个链接，或者先把那个页面公开。",
                    )
                )


def check_missing_link_targets(kb: KnowledgeBase, prefix: str) -> None:
    """A Markdown link to a page that is not in docs/ fails the strict build (MkDocs' "target is
    not found"), so `kb check` reports it first, with the line and the fix. (Links to other files
    are checked with the photos and attachments, in media.py.)"""
    derived = {p.src for p in derived_pages(kb)}  # the task breakdown, full text… the build writes
    for e in kb.entries.values():
        for src, body, parsed in [(e.src, e.body, e.parsed)] + [
            (t.src, t.body, t.parsed) for t in e.translations.values()
        ]:
            for link, offset in links.markdown_links(body):
                target = links.resolve(src, link)
                if target is None or not target.endswith(".md"):
                    continue  # URLs and anchors; files and images are checked with the photos (media.py)
                path = kb.docs_dir / target
                if split_lang(target)[0] in derived or target in derived:
                    continue
                if path.is_file() and not any(part.startswith(".") for part in target.split("/")):
                    continue
                kb.problems.append(
                    Problem(
                        _shown(prefix, src),
                        parsed.body_line + body.count("\n", 0, offset),
                        f"链接“{link}”指向的页面不存在：找不到 {_shown(prefix, target)}。"
                        "请检查文件名（区分大小写）和相对路径（相对于本页所在的文件夹），或者删掉这个链接。",
                    )
                )


def _page_at(kb: KnowledgeBase, target_src: str) -> Entry | None:
    """The entry a link lands on: `x.md`, its translation `x.en.md`, or a folder URL `x/`."""
    if target_src.endswith(".md"):
        candidates = [target_src]
    else:
        candidates = [target_src + ".md", posixpath.join(target_src, "index.md")]
    for candidate in candidates:
        zh_src, _ = split_lang(candidate)
        if zh_src in kb.entries:
            return kb.entries[zh_src]
    return None


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_US_DATE = re.compile(rf"\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b")


def check_english_dates(kb: KnowledgeBase, prefix: str) -> None:
    """English pages write dates as the site does everywhere else, "12 January 2024": a
    translation's "January 12, 2024" is named with its line and the form to use."""
    for e in kb.entries.values():
        for t in e.translations.values():
            if t.lang != "en":
                continue
            for m in _US_DATE.finditer(t.body):
                line = t.parsed.body_line + t.body.count("\n", 0, m.start())
                kb.problems.append(
                    Problem(
                        _shown(prefix, t.src),
                        line,
                        f"英文日期请写成“{m.group(2)} {m.group(1)} {m.group(3)}”（日 月 年），与网站其他地方的英文日期一致；"
                        f"这里写的是“{m.group(0)}”。",
                        severity="warning",
                    )
                )
