"""What the record header (overrides/partials/kb-record-header.html) shows about the current page.

A collection's folder may show more on its pages with a subclass (`Extension.view`): a work point
shows its section, the same point in other years and the records that name it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import media, tag_names, text, urls
from ..content.collection import HeaderField
from ..content.fields import vocabulary_of
from ..content.model import Entry, KnowledgeBase


@dataclass
class HeaderRow:
    """One line of the record header: a label and what to show for it."""

    label: str
    text: str = ""
    missing: bool = False  # not filled in: left out for readers, named to editors (`unfilled`)
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
        filled: empty is not news, and a page of "尚未记录" rows read as an empty database. A
        collection's view may say once, quietly, that nothing is reported (`progress_unreported`)."""
        return [row for row in self._rows() if not row.missing]

    @property
    def unfilled(self) -> list[str]:
        """The labels of the header's fields not filled in: told to editors (the preview and the
        members' edition), never to readers."""
        return [row.label for row in self._rows() if row.missing]

    def _rows(self) -> list[HeaderRow]:
        if self._header is None:
            rows = []
            for spec in self.entry.collection.header:
                row = self._row(spec)
                if row is not None:
                    rows.append(row)
            self._header = rows
        return self._header

    def _row(self, spec: HeaderField) -> HeaderRow | None:
        label = self.t[spec.label_key]
        value, in_lang = self.entry.localized(spec.field, self.lang)
        if value is None or value == []:
            return None if spec.hide_missing else HeaderRow(label, missing=True)
        vocabulary = vocabulary_of(self.entry.collection.model, spec.field)
        if spec.text is not None:
            return HeaderRow(label, spec.text(self.entry.data, self.lang))
        if spec.show == "date":
            return HeaderRow(label, self.date(value), datetime=value.isoformat())
        if vocabulary is not None:
            return HeaderRow(label, vocabulary.label(value, self.lang), status=value if spec.show == "status" else None)
        if isinstance(value, list):
            return HeaderRow(label, self.t["list_separator"].join(str(v) for v in value), in_lang=in_lang)
        return HeaderRow(label, str(value), in_lang=in_lang)

    @property
    def milestones(self):
        return self.entry.milestones_for(self.lang)

    @property
    def untranslated(self) -> bool:
        return self.lang != urls.DEFAULT_LANG and self.entry.translated(self.lang) is None

    @property
    def translated(self) -> bool:
        return self.lang != urls.DEFAULT_LANG and self.entry.translated(self.lang) is not None

    @property
    def original_href(self) -> str:
        return urls.relative_url(urls.url(self.entry.src) or ".", self.page_url or ".")

    @property
    def src_path(self) -> str:
        return f"docs/{self.entry.src}"

    def href(self, entry: Entry) -> str:
        return urls.relative_url(urls.url(entry.src, self.lang) or ".", self.page_url or ".")

    def title(self, entry: Entry) -> str:
        return entry.title(self.lang)

    def date(self, value) -> str:
        return text.format_date(value, self.lang)

    @property
    def points(self) -> list[Entry]:
        return self.kb.points_of(self.entry)

    def ref_label(self, entry: Entry) -> str:
        """How a page names another it links to, before its title ("2024年工作要点 第5项")."""
        return entry.collection.ref_label(entry, self.lang) if entry.collection.ref_label else ""

    @property
    def chinese_tags(self) -> set[str]:
        """The page's tags shown in Chinese on a page in another language (no name for them in
        tags.yml): partials/tags.html marks them lang="zh"."""
        if self.lang == urls.DEFAULT_LANG:
            return set()
        table, _ = tag_names.read(self.kb.docs_dir.parent)
        tags = getattr(self.entry.data, "tags", None) or []
        return {tag for tag in tags if tag_names.name(table, tag, self.lang) is None}

    # What a collection's own view (`Extension.view`) shows besides the header rows; none here.
    @property
    def progress_unreported(self) -> bool:
        """The page's progress is not reported yet: said once, quietly, in place of empty rows."""
        return False

    @property
    def kicker(self) -> tuple[str, str] | None:
        """(text, href) of a line above the page's heading."""
        return None

    @property
    def across_years(self) -> bool:
        """Whether the page is one of a series across years (a plan's point), with `year_links`."""
        return False

    @property
    def year_links(self) -> list:
        """(text before, linked entry or None, text after): the same page in other years."""
        return []

    @property
    def shows_related(self) -> bool:
        """Whether the page lists, under its body, the records that name it (`related`)."""
        return False

    @property
    def related(self) -> list[Entry]:
        return self.kb.related_to(self.entry) if self.shows_related else []

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
        return urls.relative_url(src, self.page_url or ".")

    @staticmethod
    def size(size: int) -> str:
        return media.human_size(size)
