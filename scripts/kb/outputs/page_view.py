"""What the record header (overrides/partials/kb-record-header.html) shows about the current page."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import media, model, schemas, tag_names, text
from ..content.model import Entry, KnowledgeBase
from .plan_pages import PlanRenderer

UNREPORTED = "not-reported"  # a work point's status before anything is reported (vocab.STATUS)


@dataclass
class HeaderRow:
    """One line of the record header: a label and what to show for it."""

    label: str
    text: str = ""
    missing: bool = False  # shown as "尚未记录"
    in_lang: bool = True  # False: Chinese text on a page in another language (marked lang="zh")
    status: str | None = None  # a status code, shown as a coloured badge
    href: str | None = None
    datetime: str | None = None  # ISO date of a date row, for <time datetime>


@dataclass
class PageView:
    """What overrides/partials/kb-record-header.html shows about the current page."""

    entry: Entry
    lang: str
    page_url: str
    kb: KnowledgeBase
    t: dict = field(default_factory=dict)
    editor_view: bool = False  # the preview or the members' edition: hints for editors are shown
    edit_url: str | None = None
    _header: list[HeaderRow] | None = field(default=None, init=False, repr=False)

    @property
    def collection(self) -> str:
        return self.entry.collection.name

    @property
    def is_record(self) -> bool:
        return self.entry.collection.is_record

    @property
    def header_rows(self) -> list[HeaderRow]:
        """The rows its collection declares (`Collection.header`), in order, each only when it is
        filled: empty is not news, and a page of "尚未记录" rows read as an empty database. A work
        point whose status is still not reported has no status row either: it gets one quiet line
        instead (`progress_unreported`)."""
        return [row for row in self._rows() if not row.missing]

    @property
    def unfilled(self) -> list[str]:
        """The labels of the header's fields not filled in: told to editors (the preview and the
        members' edition), never to readers."""
        return [row.label for row in self._rows() if row.missing]

    @property
    def progress_unreported(self) -> bool:
        """A work point whose progress is not reported yet: its page says so once, quietly."""
        return self.entry.collection is schemas.WORK_POINT and self.entry.data.status == UNREPORTED

    def _rows(self) -> list[HeaderRow]:
        if self._header is None:
            rows = []
            for spec in self.entry.collection.header:
                if spec.show == "status" and self.progress_unreported:
                    continue
                row = self._row(spec)
                if row is not None:
                    rows.append(row)
            self._header = rows
        return self._header

    def _row(self, spec: schemas.HeaderField) -> HeaderRow | None:
        label = self.t[spec.label_key]
        value, in_lang = self.entry.localized(spec.field, self.lang)
        if value is None or value == []:
            return None if spec.hide_missing else HeaderRow(label, missing=True)
        vocabulary = schemas.vocabulary_of(self.entry.collection.model, spec.field)
        if spec.show == "section":
            return HeaderRow(label, self.section_heading, href=self.plan_href)
        if spec.show == "date":
            return HeaderRow(label, self.date(value), datetime=value.isoformat())
        if spec.show == "when":
            return HeaderRow(label, self.when)
        if spec.show == "percent":
            return HeaderRow(label, f"{value}%")
        if vocabulary is not None:
            return HeaderRow(label, vocabulary.label(value, self.lang), status=value if spec.show == "status" else None)
        if isinstance(value, list):
            return HeaderRow(label, self.t["list_separator"].join(str(v) for v in value), in_lang=in_lang)
        return HeaderRow(label, str(value), in_lang=in_lang)

    @property
    def chinese_tags(self) -> set[str]:
        """The page's tags shown in Chinese on a page in another language (no name for them in
        tags.yml): partials/tags.html marks them lang="zh"."""
        if self.lang == model.DEFAULT_LANG:
            return set()
        table, _ = tag_names.read(self.kb.docs_dir.parent)
        tags = getattr(self.entry.data, "tags", None) or []
        return {tag for tag in tags if tag_names.name(table, tag, self.lang) is None}

    @property
    def milestones(self):
        return self.entry.milestones_for(self.lang)

    @property
    def untranslated(self) -> bool:
        return self.lang != model.DEFAULT_LANG and self.entry.translated(self.lang) is None

    @property
    def translated(self) -> bool:
        return self.lang != model.DEFAULT_LANG and self.entry.translated(self.lang) is not None

    @property
    def original_href(self) -> str:
        return model.relative_url(self.entry.url or ".", self.page_url or ".")

    @property
    def src_path(self) -> str:
        return f"docs/{self.entry.src}"

    def href(self, entry: Entry) -> str:
        prefix = "" if self.lang == model.DEFAULT_LANG else f"{self.lang}/"
        return model.relative_url(prefix + entry.url or ".", self.page_url or ".")

    def title(self, entry: Entry) -> str:
        return entry.title(self.lang)

    def date(self, value) -> str:
        return text.format_date(value, self.lang)

    def point_label(self, entry: Entry) -> str:
        return text.point_label(entry)

    def point_ref(self, entry: Entry) -> str:
        """ "2024年工作要点 第5项": year and number, for links to points of any year."""
        return text.point_ref(entry, self.lang)

    @property
    def own_ref(self) -> str:
        return text.point_ref(self.entry, self.lang)

    @property
    def year_links(self) -> list[tuple[str, Entry | None, str]]:
        """The point in the previous and next year's plan: (text before, linked point or None, text after)."""
        out: list[tuple[str, Entry | None, str]] = []
        year = self.entry.data.year
        before, after = self.kb.counterparts(self.entry)
        reworded = self.t["reworded_mark"]
        if before is not None:
            head, _, tail = self.t["continued_from"].partition("{ref}")
            out.append((head, before.old, tail + (reworded if before.reworded else "")))
        elif self.kb.previous_plan(year) is not None:
            out.append((self.t["new_in_year"].format(year=year), None, ""))
        following = self.kb.next_plan(year)
        if after is not None:
            head, _, tail = self.t["continued_into"].format(year=following.data.year, ref="{ref}").partition("{ref}")
            out.append((head, after.new, tail + (reworded if after.reworded else "")))
        elif following is not None:
            out.append((self.t["not_continued"].format(year=following.data.year), None, ""))
        return out

    @property
    def points(self) -> list[Entry]:
        return self.kb.points_of(self.entry)

    @property
    def related(self) -> list[Entry]:
        return self.kb.related_to(self.entry) if self.entry.collection is schemas.WORK_POINT else []

    @property
    def section_heading(self) -> str:
        plan = self.kb.plan(self.entry.data.year)
        if plan is None:
            return ""
        number = self.entry.data.section
        heading = PlanRenderer(self.kb, plan.src, self.lang).plan_text(plan)["headings"].get(number, "")
        return text.section_label(number, self.lang) + heading

    @property
    def updated(self) -> str:
        date = self.entry.updated_for(self.lang)
        return text.format_date(date, self.lang) if date else ""

    @property
    def attachments(self) -> list[media.Attachment]:
        """PDFs, slides and other files the page's body links to (this language's body)."""
        return media.attachments(self.kb.docs_dir, self.entry.src, self.entry.body_for(self.lang))

    def file_href(self, src: str) -> str:
        """A file in docs/ is published once, at the site root, for every language."""
        return model.relative_url(src, self.page_url or ".")

    @staticmethod
    def size(size: int) -> str:
        return media.human_size(size)

    @property
    def when(self) -> str:
        return text.format_when(self.entry, self.lang)

    @property
    def plan_href(self) -> str:
        plan = self.kb.plan(self.entry.data.year)
        return self.href(plan) if plan else ""
