"""Rendering generated listings from the Jinja templates in scripts/kb/templates/.

Templates produce Markdown. Every value printed with {{ }} is escaped for Markdown and HTML
(see `_escape`), so front-matter text can never become markup; record bodies, which are Markdown
written by editors, are passed in as `Markup` on purpose.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from functools import cache, lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import listings, markers, media, model, plan_changes, schemas, task_sheet, vocab
from .markers import ListingError
from .model import Entry, KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"

# Python-Markdown's backslash escapes; "|" becomes an entity so it is safe inside tables too.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_ZH_NUMERALS = "〇一二三四五六七八九十"
_ROMAN = [
    "",
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
]
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# Characters that are markup to HTML, or to Markdown and its extensions where raw HTML is
# parsed as Markdown again (md_in_html spans, attr_list's `{: ...}`), as numeric references:
# inert in every one of those contexts, and displayed as the character itself.
# (Line-start markup such as "1." or "-" needs a newline, which one-line fields refuse.)
_INERT = {c: f"&#{ord(c)};" for c in "\\`*_{}[]#!|~"} | {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
}
_INERT_TABLE = str.maketrans(_INERT)


def inert_html(value) -> Markup:
    """Front-matter text for raw HTML (element text or a quoted attribute value)."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    return Markup(str(value).translate(_INERT_TABLE))


def _escape(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("|", "&#124;")


@cache
def strings() -> dict[str, dict[str, str]]:
    """UI strings per language, from scripts/kb/templates/strings.yml."""
    return yaml.safe_load((TEMPLATES / "strings.yml").read_text("utf-8"))


def zh_numeral(n: int) -> str:
    if n <= 10:
        return _ZH_NUMERALS[n]
    if n < 20:
        return "十" + _ZH_NUMERALS[n - 10]
    return _ZH_NUMERALS[n // 10] + "十" + (_ZH_NUMERALS[n % 10] if n % 10 else "")


def section_label(number: int, lang: str) -> str:
    return f"{zh_numeral(number)}、" if lang == "zh" else f"{_ROMAN[number]}. "


def format_date(value: dt.date | None, lang: str, precision: str = "day") -> str:
    if value is None:
        return ""
    if lang == "zh":
        return {"year": f"{value.year}年", "month": f"{value.year}年{value.month}月"}.get(
            precision, f"{value.year}年{value.month}月{value.day}日"
        )
    month = _EN_MONTHS[value.month - 1]
    return {"year": f"{value.year}", "month": f"{month} {value.year}"}.get(
        precision, f"{value.day} {month} {value.year}"
    )


def point_label(point: Entry) -> str:
    return point.data.label if point.data.label is not None else f"{point.data.number}."


def point_ref(point: Entry, lang: str) -> str:
    """Year and number, which tell points of different years apart: "2024年工作要点 第5项"."""
    return strings()[lang]["point_ref"].format(year=point.data.year, number=point.data.number)


def point_page_title(point: Entry, lang: str) -> str:
    """The title of a point's page in <title>, search results, tags and feeds."""
    t = strings()[lang]
    return f"{point_ref(point, lang)}{t['colon']}{point.title(lang)}"


def plan_year_label(year: int, lang: str) -> str:
    return strings()[lang]["plan_year"].format(year=year)


def diff_html(old: str, new: str, lang: str) -> Markup:
    """Character-level changes as <del>/<ins>, each announced in words (not by colour alone)."""
    t = strings()[lang]
    out = []
    for piece in plan_changes.char_diff(old, new):
        text = Markup.escape(piece.text)
        if piece.kind == "equal":
            out.append(text)
        elif piece.kind == "delete":
            out.append(Markup('<del><span class="md-visually-hidden">{}</span>{}</del>').format(t["sr_deleted"], text))
        else:
            out.append(Markup('<ins><span class="md-visually-hidden">{}</span>{}</ins>').format(t["sr_inserted"], text))
    return Markup("").join(out)


def format_when(event: Entry, lang: str) -> str:
    """An event's date as precisely as it is known, saying so when only the month or year is."""
    data = event.data
    text = format_date(data.start, lang, data.precision)
    if data.precision != "day":
        text += "（日期未定）" if lang == "zh" else " (date not fixed)"
    return text


@lru_cache(maxsize=8)
def environment(kind: str = "md", template_dir: str = str(TEMPLATES)) -> jinja2.Environment:
    """`md` templates escape for Markdown and HTML (`_escape`); `html` ones for HTML and for the
    Markdown that md_in_html may still apply (`inert_html`); `xml` ones autoescape."""
    markdown = kind == "md"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=not markdown,
        finalize=_escape if markdown else inert_html if kind == "html" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        section_label=section_label,
        point_label=point_label,
        point_ref=point_ref,
        plan_year_label=plan_year_label,
        zh_numeral=zh_numeral,
        vocab=vocab.ALL,
    )
    env.filters["date"] = format_date
    env.filters["when"] = format_when
    env.filters["markdown"] = lambda text: Markup(text)
    env.filters["code"] = lambda text: Markup("`" + str(text).replace("`", "") + "`")
    # Inside raw HTML, Markdown's backslash escapes are not undone: numeric references instead.
    env.filters["h"] = inert_html
    return env


class Renderer:
    """Renders the listings of one page in one language."""

    def __init__(self, kb: KnowledgeBase, page_src: str, lang: str):
        self.kb = kb
        self.page_src = page_src  # Chinese source path of the page being rendered
        self.lang = lang
        self.t = strings()[lang]

    # helpers exposed to templates ---------------------------------------------------------
    def link(self, target_src: str) -> str:
        return posixpath.relpath(target_src, posixpath.dirname(self.page_src) or ".")

    def cover(self, entry: Entry) -> str | None:
        """The record's cover image, as a link from this page (None when it has none)."""
        cover = getattr(entry.data, "cover", None)
        return self.link(media.resolve(entry.src, cover)) if cover else None

    def label(self, vocabulary: str, code: str) -> str:
        return vocab.ALL[vocabulary].label(code, self.lang)

    def title(self, entry: Entry) -> str:
        return entry.title(self.lang)

    def untranslated(self, entry: Entry) -> bool:
        return self.lang != model.DEFAULT_LANG and entry.translated(self.lang) is None

    def render(self, template: str, **context) -> str:
        kind = template.rsplit(".", 2)[-2]  # "x.md.j2" -> "md", "x.html.j2" -> "html"
        return (
            environment(kind)
            .get_template(template)
            .render(
                kb=self.kb,
                lang=self.lang,
                t=self.t,
                link=self.link,
                label=self.label,
                title=self.title,
                cover=self.cover,
                untranslated=self.untranslated,
                **context,
            )
        )

    # one function per marker ------------------------------------------------------------------
    def plan_overview(self, args: list[str]) -> str:
        plan = self.kb.entries[self.page_src]
        points = self.kb.points(plan.data.year)
        sections = listings.group_points_by_section(plan, points)
        return self.render(
            "plan-overview.md.j2",
            plan=plan,
            plan_text=self.plan_text(plan),
            sections=sections,
            overall=Markup(self.rollup_bar(listings.rollup(points), self.t["rollup_overall"])),
            section_bars={
                s.number: Markup(self.rollup_bar(listings.rollup(ps), self.t["rollup_section"])) for s, ps in sections
            },
            notice=self.kb.entries.get(posixpath.join(posixpath.dirname(plan.src), "notice.md")),
        )

    def rollup_bar(self, rollup: listings.Rollup, caption: str) -> str:
        return self.render("rollup.html.j2", r=rollup, caption=caption).strip()

    def year_plan(self, args: list[str]) -> Entry:
        """The plan a year-taking marker lists (validated beforehand by markers.marker_problems)."""
        year = int(args[0]) if args else markers.folder_year(self.page_src)
        plan = self.kb.plan(year) if year is not None else None
        if plan is None:  # not reached after validation; never a traceback either way
            raise ListingError(self.page_src, 1, f"没有 {year} 年的工作要点。")
        return plan

    def plan_tasks(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        year = plan.data.year
        rows = []
        for section, points in listings.group_points_by_section(plan, self.kb.points(year)):
            for p in points:
                latest = max(p.milestones_for(self.lang), key=lambda m: m.date, default=None)
                rows.append((section, p, listings.point_progress(p), latest))
        return self.render(
            "plan-tasks.html.j2",
            rows=rows,
            plan_text=self.plan_text(plan),
            href=self.href,
            download_href=self.site_root() + task_sheet.site_path(year),
        )

    def site_root(self) -> str:
        """The relative URL of the site root (where files written after the build live, such as
        the task sheets) from the page being rendered, in this language."""
        stem = self.page_src[: -len(".md")]
        url = stem[: -len("index")] if stem.endswith("index") else stem + "/"
        depth = url.count("/") + (0 if self.lang == model.DEFAULT_LANG else 1)
        return "../" * depth

    def href(self, target_src: str) -> str:
        """A URL for raw HTML (where MkDocs does not rewrite .md links): directory URL, relative."""
        target = target_src[: -len(".md")]
        target = target[: -len("index")] if target.endswith("index") else target + "/"
        here = self.page_src[: -len(".md")]
        here = here[: -len("index")] if here.endswith("index") else here + "/"
        return posixpath.relpath(target or ".", here or ".") + "/" if target != here else "./"

    def plan_full_text(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        year = plan.data.year
        notice = self.kb.entries.get(posixpath.join(posixpath.dirname(plan.src), "notice.md"))
        return self.render(
            "plan-full-text.md.j2",
            plan=plan,
            plan_text=self.plan_text(plan),
            preamble=Markup(model.MARKER.sub("", plan.body_for(self.lang)).strip()),
            notice=notice,
            notice_body=Markup(notice.body_for(self.lang).strip()) if notice else None,
            sections=listings.group_points_by_section(plan, self.kb.points(year)),
        )

    def collection_listing(self, collection: schemas.Collection) -> str:
        """A collection's declared listing: its entries, grouped, in its template."""
        group = getattr(listings, collection.listing.group)
        return self.render(collection.listing.template, groups=group(self.kb.listed(collection)))

    def plan_changes(self, args: list[str]) -> str:
        plan = self.year_plan(args)
        year = plan.data.year
        previous = self.kb.previous_plan(year)
        comparison = self.kb.comparison(year)
        return self.render(
            "plan-changes.md.j2",
            plan=plan,
            year=year,
            previous=previous,
            comparison=comparison,
            diff=lambda pair: diff_html(pair.old.body.strip(), pair.new.body.strip(), self.lang),
            # rounded down: a reworded point is never shown as "100%" alike
            percent=lambda ratio: str(int(ratio * 100)),
        )

    def plan_archive(self, args: list[str]) -> str:
        plans = self.kb.plans()
        return self.render(
            "plan-archive.html.j2",
            plans=plans,
            count=lambda plan: len(self.kb.points(plan.data.year)),
            href=self.href,
        )

    def plan_latest(self, args: list[str]) -> str:
        plans = self.kb.plans()
        plan = plans[0] if plans else None
        notice = self.kb.entries.get(posixpath.join(posixpath.dirname(plan.src), "notice.md")) if plan else None
        return self.render(
            "plan-latest.md.j2",
            plan=plan,
            notice=notice,
            points=self.kb.points(plan.data.year) if plan else [],
            has_changes=bool(plan and self.kb.previous_plan(plan.data.year)),
            archive="plan/index.md",
            more_years=len(plans) > 1,
        )

    def field_reference(self, args: list[str]) -> str:
        from . import guide

        return self.render(
            "field-reference.md.j2",
            collections=guide.collections_for_guide(),
            rows=lambda c: guide.field_rows(c.model, self.lang),
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


def _handlers() -> dict:
    """Marker -> handler(renderer, args), from model.MARKERS: a collection's listing, or the
    Renderer method named after the marker (a missing one fails here, on import)."""
    handlers = {}
    for c in schemas.COLLECTIONS.values():
        if c.listing:
            handlers[c.listing.marker] = lambda renderer, args, c=c: renderer.collection_listing(c)
    for marker in model.PAGE_MARKERS:
        handlers[marker] = getattr(Renderer, marker.replace("-", "_"))
    for c in schemas.COLLECTIONS.values():
        if c.listing and not hasattr(listings, c.listing.group):
            raise AttributeError(f"{c.name}: listings.{c.listing.group} does not exist")
    return handlers


HANDLERS = _handlers()


def expand_markers(markdown: str, kb: KnowledgeBase, page_src: str, lang: str) -> str:
    """Replace every `<!-- kb:name args -->` outside code in a page's Markdown with its listing.
    A marker that cannot be rendered raises ListingError (line within `markdown`)."""
    found = markers.find(markdown)
    if not found:
        return markdown
    problems = markers.marker_problems(markdown, page_src, set(kb.plan_years()))
    if problems:
        line, message = problems[0]
        raise ListingError(page_src, line, message)
    renderer = Renderer(kb, page_src, lang)
    out, last = [], 0
    for m in found:
        out.append(markdown[last : m.start()])
        out.append(HANDLERS[m.group("name")](renderer, m.group("args").split()))
        last = m.end()
    out.append(markdown[last:])
    return "".join(out)
