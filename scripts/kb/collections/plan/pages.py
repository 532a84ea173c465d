"""The plan's generated pages: a year's overview with its roll-ups, the task breakdown, the full
text, the comparison with the previous year, the archive of every year and the home page's
latest plan. Each method renders one listing marker (markers.py in this folder) from the
templates in templates/."""

from __future__ import annotations

from markupsafe import Markup

from ...content import markers
from ...content.markers import ListingError
from ...content.model import Entry
from ...content.text import strings
from ...outputs.render import Renderer
from ...outputs.visible_text import plain_text
from . import changes, progress, queries, task_sheet
from .queries import ARCHIVE


def diff_html(old: str, new: str, lang: str) -> Markup:
    """Character-level changes as <del>/<ins>, each announced in words (not by colour alone)."""
    t = strings()[lang]
    out = []
    for piece in changes.char_diff(old, new):
        text = Markup.escape(piece.text)
        if piece.kind == "equal":
            out.append(text)
        elif piece.kind == "delete":
            out.append(Markup('<del><span class="md-visually-hidden">{}</span>{}</del>').format(t["sr_deleted"], text))
        else:
            out.append(Markup('<ins><span class="md-visually-hidden">{}</span>{}</ins>').format(t["sr_inserted"], text))
    return Markup("").join(out)


class PlanRenderer(Renderer):
    """Renders the plan's listings of one page in one language."""

    def notice_of(self, plan: Entry) -> Entry | None:
        return queries.notice_of(self.kb, plan)

    def plan_overview(self, args: list[str]) -> str:
        """The plan first (its sections, their points); progress only where some is reported: a
        roll-up bar for the plan and for each section with a report, a status beside each point
        that has one, and one quiet line while nothing is reported at all."""
        plan = self.kb.entries[self.page_src]
        points = queries.points(self.kb, plan.data.year)
        sections = queries.by_section(plan, points)
        overall = progress.rollup(points)
        return self.render(
            "plan-overview.md.j2",
            plan=plan,
            plan_text=self.plan_text(plan),
            sections=sections,
            overall=Markup(self.rollup_bar(overall, self.t["rollup_overall"])) if progress.reported(overall) else None,
            section_bars={
                s.number: Markup(self.rollup_bar(r, self.t["rollup_section"]))
                for s, ps in sections
                if progress.reported(r := progress.rollup(ps))
            },
            unreported=progress.UNREPORTED,
            notice=self.notice_of(plan),
        )

    def rollup_bar(self, rollup: progress.Rollup, caption: str) -> str:
        return self.render("rollup.html.j2", r=rollup, caption=caption).strip()

    def year_plan(self, args: list[str]) -> Entry:
        """The plan a year-taking marker lists (validated beforehand by markers.marker_problems)."""
        year = int(args[0]) if args else queries.folder_year(self.page_src)
        plan = queries.plan(self.kb, year) if year is not None else None
        if plan is None:  # not reached after validation; never a traceback either way
            raise ListingError(self.page_src, 1, f"没有 {year} 年的工作要点。")
        return plan

    def plan_tasks(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        year = plan.data.year
        rows = []
        for section, points in queries.by_section(plan, queries.points(self.kb, year)):
            for p in points:
                latest = max(p.milestones_for(self.lang), key=lambda m: m.date, default=None)
                rows.append((section, p, progress.shown_progress(p), latest))
        # The plan's columns (point, section) always; each reported column once any point has a
        # value in it, its other cells left empty: fifteen rows of "尚未记录" were no news.
        shown = {
            "lead_unit": any(p.data.lead_unit for _, p, _, _ in rows),
            "cooperating_units": any(p.data.cooperating_units for _, p, _, _ in rows),
            "status": any(p.data.status != progress.UNREPORTED for _, p, _, _ in rows),
            "progress": any(value is not None for _, _, value, _ in rows),
            "deadline": any(p.data.deadline for _, p, _, _ in rows),
            "latest_milestone": any(latest for _, _, _, latest in rows),
        }
        return self.render(
            "plan-tasks.html.j2",
            rows=rows,
            shown=shown,
            unreported=progress.UNREPORTED,
            plan_text=self.plan_text(plan),
            href=self.href,
            download_href=self.site_root() + task_sheet.site_path(year),
        )

    def plan_full_text(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        notice = self.notice_of(plan)
        return self.render(
            "plan-full-text.md.j2",
            plan=plan,
            plan_text=self.plan_text(plan),
            preamble=Markup(markers.MARKER.sub("", plan.body_for(self.lang)).strip()),
            notice=notice,
            notice_body=Markup(notice.body_for(self.lang).strip()) if notice else None,
            sections=queries.by_section(plan, queries.points(self.kb, plan.data.year)),
        )

    def plan_changes(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        year = plan.data.year
        return self.render(
            "plan-changes.md.j2",
            plan=plan,
            year=year,
            previous=queries.previous_plan(self.kb, year),
            comparison=queries.comparison(self.kb, year),
            # the text readers see on the two pages, not their Markdown (escapes, markup)
            diff=lambda pair: diff_html(plain_text(pair.old.body), plain_text(pair.new.body), self.lang),
            # rounded down: a reworded point is never shown as "100%" alike
            percent=lambda ratio: str(int(ratio * 100)),
        )

    def plan_archive(self, args: list[str]) -> str:
        return self.render(
            "plan-archive.html.j2",
            plans=queries.plans(self.kb),
            count=lambda plan: len(queries.points(self.kb, plan.data.year)),
            href=self.href,
        )

    def plan_latest(self, args: list[str]) -> str:
        plans = queries.plans(self.kb)
        plan = plans[0] if plans else None
        return self.render(
            "plan-latest.md.j2",
            plan=plan,
            notice=self.notice_of(plan) if plan else None,
            points=queries.points(self.kb, plan.data.year) if plan else [],
            has_changes=bool(plan and queries.previous_plan(self.kb, plan.data.year)),
            archive=ARCHIVE,
            more_years=len(plans) > 1,
        )

    def plan_text(self, plan: Entry) -> dict:
        """The plan's translatable fields in this language (translation first, Chinese as fallback)."""
        t = plan.translated(self.lang)
        headings = {s.number: s.heading for s in (t.data.sections if t else [])}
        return {
            "title": plan.title(self.lang),
            "title_lines": (t.data.title_lines if t and t.data.title_lines else plan.data.title_lines)
            or [plan.title(self.lang)],
            "headings": {s.number: headings.get(s.number, s.heading) for s in plan.data.sections},
            "attachment": (t.data.attachment if t and t.data.attachment else plan.data.attachment),
            "adopted_by": (t.data.adopted_by if t and t.data.adopted_by else plan.data.adopted_by),
            "issuer": (t.data.issuer if t and t.data.issuer else plan.data.issuer),
        }
