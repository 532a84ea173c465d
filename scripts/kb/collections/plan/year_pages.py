"""Pages derived from the plan folders rather than written per year: the /plan/ archive and each
year's task breakdown, full text and comparison with the previous year; and the navigation
that lists every year, newest first.

Each page is a title and a listing marker; its year comes from the folder it stands for. A
real file at the same path (docs/plan/2024/tasks.md) takes precedence, so an editor may still
write one (content/derived.py leaves it out). Plain Python: the adapter wraps these in MkDocs
files and navigation.
"""

from __future__ import annotations

import posixpath

from ...content.collection import DerivedPage
from ...content.model import KnowledgeBase
from ...content.text import strings
from ...content.urls import DEFAULT_LANG, LANGS
from ...outputs.render import inert_html
from . import queries
from .model import plan_year_label
from .queries import ARCHIVE


def year_pages(kb: KnowledgeBase) -> list[DerivedPage]:
    """The archive and, for each year, its task breakdown, full text and (from the second year on)
    the comparison with the previous year, with titles and marker in every language."""
    s = strings()
    pages = []
    if queries.plan_years(kb):
        pages.append(
            DerivedPage(
                ARCHIVE,
                {lang: s[lang]["archive_title"] for lang in LANGS},
                {lang: f"{s[lang]['archive_intro']}\n\n<!-- kb:plan-archive -->\n" for lang in LANGS},
            )
        )
    for plan in queries.plans(kb):
        folder = posixpath.dirname(plan.src)
        year = plan.data.year
        previous = queries.previous_plan(kb, year)
        for kind in ("tasks", "full-text", "changes"):
            if kind == "changes" and previous is None:
                continue
            pages.append(_year_page(f"{folder}/{kind}.md", kind, plan, previous))
    return pages


def _year_page(src: str, kind: str, plan, previous) -> DerivedPage:
    s = strings()
    year = plan.data.year
    if kind == "tasks":
        intro = {}
        for lang in LANGS:
            if plan.data.attachment:
                # the attachment's name is published text: shown as typed, never as Markdown
                # or a character reference ("&amp;" stays "&amp;")
                intro[lang] = s[lang]["tasks_intro"].format(attachment=inert_html(plan.data.attachment))
            else:
                intro[lang] = s[lang]["tasks_intro_plain"]
        return DerivedPage(
            src,
            {lang: s[lang]["tasks_title"].format(year=year) for lang in LANGS},
            {lang: f"{intro[lang]}\n\n<!-- kb:plan-tasks -->\n" for lang in LANGS},
        )
    if kind == "full-text":
        return DerivedPage(
            src,
            {lang: s[lang]["full_text_title"].format(year=year) for lang in LANGS},
            {lang: "<!-- kb:plan-full-text -->\n" for lang in LANGS},
            search=False,
        )
    return DerivedPage(
        src,
        {lang: s[lang]["changes_title"].format(year=year, previous=previous.data.year) for lang in LANGS},
        {lang: "<!-- kb:plan-changes -->\n" for lang in LANGS},
    )


def menu(kb: KnowledgeBase, existing: set[str]) -> dict | None:
    """The plan's entry in the navigation (Chinese labels): the archive and every year, newest
    first, each with its pages. `existing`: Chinese sources of the pages this build has (real or
    derived). None when there is no plan yet."""
    s = strings()[DEFAULT_LANG]
    out: list = [ARCHIVE] if ARCHIVE in existing else []
    for plan in queries.plans(kb):
        folder = posixpath.dirname(plan.src)
        items: list = [plan.src]
        for name, key in (
            ("notice.md", "notice_nav"),
            ("tasks.md", "tasks_nav"),
            ("full-text.md", "full_text_nav"),
            ("changes.md", "changes_nav"),
        ):
            if f"{folder}/{name}" in existing:
                items.append({s[key]: f"{folder}/{name}"})
        out.append({plan_year_label(plan.data.year, DEFAULT_LANG): items})
    return {s["plans_nav"]: out} if out else None


def menu_labels(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    """Chinese navigation labels of the plan years and their pages, in `lang`."""
    zh, other = strings()[DEFAULT_LANG], strings()[lang]
    labels = {zh[k]: other[k] for k in ("plans_nav", "notice_nav", "tasks_nav", "full_text_nav", "changes_nav")}
    labels.update({plan_year_label(y, DEFAULT_LANG): plan_year_label(y, lang) for y in queries.plan_years(kb)})
    return labels
