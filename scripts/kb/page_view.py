"""What the record header (overrides/partials/kb-record-header.html) shows about the current page."""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs.utils import get_relative_url

from . import media, model, render, schemas, vocab
from .model import Entry, KnowledgeBase


@dataclass
class PageView:
    """What overrides/partials/kb-record-header.html shows about the current page."""

    entry: Entry
    lang: str
    page_url: str
    kb: KnowledgeBase
    t: dict = field(default_factory=dict)

    @property
    def collection(self) -> str:
        return self.entry.collection.name

    @property
    def is_record(self) -> bool:
        return self.entry.collection in schemas.RECORD_COLLECTIONS

    @property
    def untranslated(self) -> bool:
        return self.lang != model.DEFAULT_LANG and self.entry.translated(self.lang) is None

    @property
    def translated(self) -> bool:
        return self.lang != model.DEFAULT_LANG and self.entry.translated(self.lang) is not None

    @property
    def original_href(self) -> str:
        return get_relative_url(self.entry.url or ".", self.page_url or ".")

    @property
    def src_path(self) -> str:
        return f"docs/{self.entry.src}"

    def href(self, entry: Entry) -> str:
        prefix = "" if self.lang == model.DEFAULT_LANG else f"{self.lang}/"
        return get_relative_url(prefix + entry.url or ".", self.page_url or ".")

    def title(self, entry: Entry) -> str:
        return entry.title(self.lang)

    def label(self, vocabulary: str, code: str) -> str:
        return vocab.ALL[vocabulary].label(code, self.lang)

    def date(self, value) -> str:
        return render.format_date(value, self.lang)

    def point_label(self, entry: Entry) -> str:
        return render.point_label(entry)

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
        text = render.Renderer(self.kb, plan.src, self.lang).plan_text(plan)["headings"].get(number, "")
        return render.section_label(number, self.lang) + text

    @property
    def updated(self) -> str:
        date = self.entry.updated_for(self.lang)
        return render.format_date(date, self.lang) if date else ""

    @property
    def attachments(self) -> list[media.Attachment]:
        """PDFs, slides and other files the page's body links to (this language's body)."""
        return media.attachments(self.kb.docs_dir, self.entry.src, self.entry.body_for(self.lang))

    def file_href(self, src: str) -> str:
        """A file in docs/ is published once, at the site root, for every language."""
        return get_relative_url(src, self.page_url or ".")

    @staticmethod
    def size(size: int) -> str:
        return media.human_size(size)

    @property
    def when(self) -> str:
        return render.format_when(self.entry, self.lang)

    @property
    def plan_href(self) -> str:
        plan = self.kb.plan(self.entry.data.year)
        return self.href(plan) if plan else ""
