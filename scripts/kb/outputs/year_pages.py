"""Pages derived from the plan folders rather than written per year: the /plan/ archive and each
year's task breakdown, full text and comparison with the previous year; and the navigation
that lists every year, newest first.

Each page is a title and a listing marker; its year comes from the folder it stands for. A
real file at the same path (docs/plan/2024/tasks.md) takes precedence, so an editor may still
write one. Plain Python: the adapter wraps these in MkDocs files and navigation.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from ..content import model
from ..content.derived import ARCHIVE, derived_pages
from ..content.model import KnowledgeBase
from ..content.text import plan_year_label, strings
from .render import inert_html


@dataclass(frozen=True)
class YearPage:
    src: str  # Chinese source path it stands for, e.g. "plan/2025/tasks.md"
    nav_key: str  # key in strings.yml of its label in the navigation
    titles: dict[str, str]  # language -> page title
    bodies: dict[str, str]  # language -> Markdown (with the listing marker)
    search: bool = True

    def markdown(self, lang: str) -> str:
        head = f"title: {json.dumps(self.titles[lang], ensure_ascii=False)}\n"
        if not self.search:
            head += "search:\n  exclude: true\n"
        return f"---\n{head}---\n\n{self.bodies[lang]}"

    def dest(self, lang: str) -> str:
        """Directory URL of the page in this language, e.g. "en/plan/2025/tasks/"."""
        return ("" if lang == model.DEFAULT_LANG else f"{lang}/") + model.directory_url(self.src)


def year_pages(kb: KnowledgeBase) -> list[YearPage]:
    """The derived pages (content/derived.py), each with its titles and marker in every language."""
    s = strings()
    pages = []
    for page in derived_pages(kb):
        if page.kind == "archive":
            pages.append(
                YearPage(
                    page.src,
                    "plans_nav",
                    {lang: s[lang]["archive_title"] for lang in model.LANGS},
                    {lang: f"{s[lang]['archive_intro']}\n\n<!-- kb:plan-archive -->\n" for lang in model.LANGS},
                )
            )
            continue
        plan = page.plan
        year = plan.data.year
        if page.kind == "tasks":
            intro = {}
            for lang in model.LANGS:
                if plan.data.attachment:
                    # the attachment's name is published text: shown as typed, never as Markdown
                    # or a character reference ("&amp;" stays "&amp;")
                    intro[lang] = s[lang]["tasks_intro"].format(attachment=inert_html(plan.data.attachment))
                else:
                    intro[lang] = s[lang]["tasks_intro_plain"]
            pages.append(
                YearPage(
                    page.src,
                    "tasks_nav",
                    {lang: s[lang]["tasks_title"].format(year=year) for lang in model.LANGS},
                    {lang: f"{intro[lang]}\n\n<!-- kb:plan-tasks -->\n" for lang in model.LANGS},
                )
            )
        elif page.kind == "full-text":
            pages.append(
                YearPage(
                    page.src,
                    "full_text_nav",
                    {lang: s[lang]["full_text_title"].format(year=year) for lang in model.LANGS},
                    {lang: "<!-- kb:plan-full-text -->\n" for lang in model.LANGS},
                    search=False,
                )
            )
        else:
            pages.append(
                YearPage(
                    page.src,
                    "changes_nav",
                    {
                        lang: s[lang]["changes_title"].format(year=year, previous=page.previous.data.year)
                        for lang in model.LANGS
                    },
                    {lang: "<!-- kb:plan-changes -->\n" for lang in model.LANGS},
                )
            )
    return pages


def plan_nav(kb: KnowledgeBase, existing: set[str]) -> list:
    """MkDocs nav entries (zh labels) for the archive and every year, newest first.
    `existing`: Chinese source paths of the pages this build has (real or derived)."""
    s = strings()[model.DEFAULT_LANG]
    out: list = [ARCHIVE] if ARCHIVE in existing else []
    for plan in kb.plans():
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
        out.append({plan_year_label(plan.data.year, model.DEFAULT_LANG): items})
    return out


def nav_translations(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    """Chinese navigation labels of the plan years and their pages, in `lang`."""
    zh, other = strings()[model.DEFAULT_LANG], strings()[lang]
    labels = {zh[k]: other[k] for k in ("plans_nav", "notice_nav", "tasks_nav", "full_text_nav", "changes_nav")}
    labels.update({plan_year_label(y, model.DEFAULT_LANG): plan_year_label(y, lang) for y in kb.plan_years()})
    return labels
