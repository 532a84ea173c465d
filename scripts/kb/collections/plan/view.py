"""What a plan's pages show besides their collection's header rows: a work point's section (linked
to its year's plan), the plan it belongs to above its heading, the same point in the previous and
next year, and the records that name it; a notice's 公文 metadata (notice_meta.py)."""

from __future__ import annotations

from ...content import urls
from ...content.model import KnowledgeBase
from ...outputs.page_view import HeaderRow, PageView
from . import notice_meta, progress, queries
from .model import WORK_POINT, point_ref, section_label
from .pages import PlanRenderer


class PlanPageView(PageView):
    """The view of a plan's page or a work point's."""

    def _row(self, spec):
        if spec.show == "status" and self.progress_unreported:
            return None  # said once instead (progress_unreported), not as a row of 未填报
        if spec.show == "section":
            return HeaderRow(self.t[spec.label_key], self.section_heading, href=self.plan_href)
        if spec.show == "progress":  # as the task page, the roll-ups and the sheets show it
            value = progress.shown_progress(self.entry)
            if value is None:
                return HeaderRow(self.t[spec.label_key], missing=True)
            return HeaderRow(self.t[spec.label_key], progress.percent_text(value))
        return super()._row(spec)

    @property
    def is_point(self) -> bool:
        return self.entry.collection is WORK_POINT

    @property
    def progress_unreported(self) -> bool:
        """A work point whose status is still not reported: its page says so once, quietly."""
        return self.is_point and self.entry.data.status == progress.UNREPORTED

    @property
    def kicker(self) -> tuple[str, str] | None:
        # Points of different years share numbers and often titles: say which plan this one is in.
        return (point_ref(self.entry, self.lang), self.plan_href) if self.is_point else None

    @property
    def shows_related(self) -> bool:
        return self.is_point

    @property
    def across_years(self) -> bool:
        return self.is_point

    @property
    def year_links(self) -> list:
        """The point in the previous and next year's plan: (text before, linked point or None, text after)."""
        if not self.is_point:
            return []
        out: list = []
        year = self.entry.data.year
        before, after = queries.counterparts(self.kb, self.entry)
        reworded = self.t["reworded_mark"]
        if before is not None:
            head, _, tail = self.t["continued_from"].partition("{ref}")
            out.append((head, before.old, tail + (reworded if before.reworded else "")))
        elif queries.previous_plan(self.kb, year) is not None:
            out.append((self.t["new_in_year"].format(year=year), None, ""))
        following = queries.next_plan(self.kb, year)
        if after is not None:
            head, _, tail = self.t["continued_into"].format(year=following.data.year, ref="{ref}").partition("{ref}")
            out.append((head, after.new, tail + (reworded if after.reworded else "")))
        elif following is not None:
            out.append((self.t["not_continued"].format(year=following.data.year), None, ""))
        return out

    @property
    def section_heading(self) -> str:
        plan = queries.plan(self.kb, self.entry.data.year)
        if plan is None:
            return ""
        number = self.entry.data.section
        heading = PlanRenderer(self.kb, plan.src, self.lang).plan_text(plan)["headings"].get(number, "")
        return section_label(number, self.lang) + heading

    @property
    def plan_href(self) -> str:
        plan = queries.plan(self.kb, self.entry.data.year)
        return self.href(plan) if plan else ""


def notice_metadata(html: str, src: str, lang: str, kb: KnowledgeBase) -> str:
    """A plan's notice (plan/<year>/notice.md) opens with its 公文 metadata, in the page's content
    so that search finds the notice by them (notice_meta.py)."""
    parts = src.split("/")
    if len(parts) != 3 or parts[0] != "plan" or parts[2] != "notice.md":
        return html
    notice = kb.entries.get(src)
    if notice is None:
        return html
    plan = kb.entries.get(f"plan/{parts[1]}/index.md")
    values = notice_meta.fields(notice.body, plan.data if plan is not None else None)
    if lang != urls.DEFAULT_LANG and lang in notice.translations:
        values = notice_meta.translated_names(values, notice.translations[lang].body)
    return notice_meta.render(values, lang) + html
