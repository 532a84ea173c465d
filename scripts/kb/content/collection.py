"""What a collection is: the declaration each content type makes once, in its own folder.

A collection's folder (scripts/kb/collections/<name>/) holds its model, vocabularies, words
(strings.yml), archetype, listing templates and its own importers, and declares itself with a
`Collection` below (and, for what it adds to the engine beyond that, an `Extension`). The engine
(content, sources, outputs and the MkDocs adapter) reads only these declarations, through a
`Registry`: validation, `kb new`, the listings, the record header, the navigation, the feed, the
editors' guide, the JSON Schema export and the search dictionary. Nothing here names a collection.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import fields, text


@dataclass(frozen=True)
class HeaderField:
    """One row of a record's header (overrides/partials/kb-record-header.html).

    show: how the value is shown: "value" (text or the vocabulary label bound to the field),
    "status" (the label as a coloured badge), "date", or a name the collection's page view
    (`Extension.view`) shows itself.
    A missing value shows "尚未记录" unless hide_missing is set. `text(data, lang)`, where given,
    writes the value instead (an event's date, as precisely as it is known)."""

    field: str
    label: str | None = None  # key in the words (strings.yml); the field's name by default
    show: str = "value"
    hide_missing: bool = False
    text: Callable[[Any, str], str] | None = None

    @property
    def label_key(self) -> str:
        return self.label or self.field


@dataclass(frozen=True)
class GroupBy:
    """One level of a listing's grouping: the records' value of `key` (a field, or a property of
    the record's model), in `order`: "asc", "desc", or "vocabulary" (the order of the vocabulary
    bound to the field, then records that leave it unset). Empty groups are never shown."""

    key: str
    order: str = "asc"


@dataclass(frozen=True)
class Listing:
    """The generated listing of a collection: a page holding `<!-- kb:<marker> -->` gets the
    collection's template (in its folder's templates/), given its records grouped by `group_by`
    (`content.listings.Group`s), each innermost group ordered by `sort_by`."""

    marker: str
    template: str
    group_by: tuple[GroupBy, ...]
    sort_by: Callable[[Any], Any]  # of an Entry
    reverse: bool = False


@dataclass(frozen=True)
class Ref:
    """A field naming other pages: each value is the id of an entry of collection `target`
    (None: any page, by its docs path without .md). `missing` is the message for a value that
    names nothing, with {ref} and {prefix} (the docs folder as the editor sees it)."""

    field: str
    target: str | None
    missing: str


@dataclass(frozen=True)
class Collection:
    """Everything the site needs to know about one kind of page, declared once."""

    name: str  # used on the command line: `kb new lecture`
    model: type[BaseModel]
    patterns: tuple[str, ...]  # docs-relative paths, matched segment by segment
    titles: dict[str, str]  # the collection's name per language (menu, guide, `kb new --help`)
    folder: str | None = None  # where `kb new` writes; None: no `kb new` for it
    translation_model: type[BaseModel] = fields.Translation
    sort_key: Callable[[Any], Any] | None = None  # of an Entry; listings and queries use it
    newest_first: bool = False
    listing: Listing | None = None
    header: tuple[HeaderField, ...] = ()
    new_options: tuple[str, ...] = ()  # fields `kb new` takes as --options (besides --title)
    date_field: str | None = None  # `kb new --date` fills this field and is then required
    slug_prefix: tuple[str, ...] = ()  # `kb new` starts the file name with these values ("date": --date)
    feed_date: str | None = None  # attribute of the record dating it in the feed outside git
    guide_order: int | None = None  # place in the guide's field reference; None leaves it out
    search_fields: tuple[str, ...] = ()  # names and units for the search dictionary
    menu_order: int | None = None  # place of its index page (<folder>/index.md) in the menu
    refs: tuple[Ref, ...] = ()  # fields naming other pages (back-links, checks)
    entry_id: Callable[[Any], str] | None = None  # of an Entry; its docs path without .md by default
    # Where the entry other pages name `id` would be (docs-relative), for `kb new --points …`, which
    # checks without loading the site; and the message when one is not there ({field}, {refs}).
    ref_path: Callable[[str], str | None] | None = None
    ref_option_missing: str = ""
    word_import: bool = False  # `kb import record <name> FILE.docx` takes an article for it
    # The facts a Word record states in its first lines (作者, 主讲人, 时间 …: sources/office/
    # record_facts.py) -> the fields they fill: fact -> field.
    word_facts: dict[str, str] = field(default_factory=dict)
    quoted: bool = False  # listings quote its pages' bodies (the preview re-renders them on a body edit)
    shown_title: Callable[[Any, str], str] | None = None  # (entry, lang): its pages' <title>, feed title
    ref_label: Callable[[Any, str], str] | None = None  # (entry, lang): how links to it name it first
    described_by_sentences: bool = False  # a link preview describes it from its text's first sentences
    shared: bool = True  # its pages are shared as links of their own: a share card each (content/sharing.py)

    def matches(self, src: str) -> bool:
        parts = src.split("/")
        for pattern in self.patterns:
            pparts = pattern.split("/")
            if len(parts) == len(pparts) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pparts, strict=True)):
                return True
        return False

    @property
    def is_record(self) -> bool:
        return issubclass(self.model, fields.Record)

    @property
    def index_page(self) -> str | None:
        """The Chinese source of its index page (the listing), when it has a folder of its own."""
        return f"{self.folder}/index.md" if self.folder else None


@dataclass(frozen=True)
class DerivedPage:
    """A page the build derives from the content rather than from a file of docs/ (a plan year's
    task breakdown, the archive of every year): its titles and Markdown in each language. A real
    file at the same path takes precedence."""

    src: str  # Chinese source path it stands for, e.g. "plan/2025/tasks.md"
    titles: dict[str, str]  # language -> page title
    bodies: dict[str, str]  # language -> Markdown (with its listing marker)
    search: bool = True

    def markdown(self, lang: str) -> str:
        head = f"title: {json.dumps(self.titles[lang], ensure_ascii=False)}\n"
        if not self.search:
            head += "search:\n  exclude: true\n"
        return f"---\n{head}---\n\n{self.bodies[lang]}"


@dataclass(frozen=True)
class MarkerSpec:
    """A listing marker a collection's folder provides besides its declared listing.

    render(kb, page_src, lang, args) -> Markdown; check_args(args, page_src, kb) -> a Chinese
    message with the fix, or None when the arguments can be rendered (None: takes none)."""

    name: str
    render: Callable[..., str]
    places: tuple[str, ...] = ()  # Chinese source paths where it may stand; () = any page
    place_hint: str = ""
    check_args: Callable[..., str | None] | None = None


@dataclass(frozen=True)
class Extension:
    """What a collection's folder adds to the engine beyond its declarations; every part optional.

    - checks: functions (kb, prefix) adding problems across its pages;
    - markers: listing markers it renders (MarkerSpec);
    - derived_pages: (kb) -> the pages it derives (DerivedPage);
    - menu: (kb, existing sources) -> its navigation entries (Chinese labels) and
      menu_labels: (kb, lang) -> those labels in another language;
    - view: a class of outputs.page_view.PageView for its pages (extra rows and links);
    - page_html: (html, src, lang, kb) -> its pages' HTML amended after conversion;
    - written_files: (kb, site_dir, site_url, languages) -> files it writes beside the pages;
    - template_globals: names its listing templates (and every other's) may use;
    - commands: ({"import": …, "export": …} subparsers, CommandContext) -> its `kb` commands;
    - subscriptions: (lang) -> [(label, site-relative path, MIME type)]: what readers may subscribe
      to besides the feed (every page's footer offers it);
    - start_pages: (kb, lang) -> [(label, site-relative URL)]: where a reader who followed a
      broken link may start again (the 404 page lists them after the home page).
    """

    checks: tuple[Callable[..., None], ...] = ()
    markers: tuple[MarkerSpec, ...] = ()
    derived_pages: Callable[..., list[DerivedPage]] | None = None
    menu: Callable[..., list] | None = None
    menu_labels: Callable[..., dict[str, str]] | None = None
    view: type | None = None
    page_html: Callable[..., str] | None = None
    written_files: Callable[..., None] | None = None
    template_globals: dict[str, Callable] = field(default_factory=dict)
    commands: Callable[..., None] | None = None
    subscriptions: Callable[..., list] | None = None
    start_pages: Callable[..., list] | None = None


@dataclass
class Registry:
    """Every collection, as the folders under scripts/kb/collections/ declare them, and the
    catch-all `page` collection (any page that is not a record)."""

    collections: tuple[Collection, ...]
    extensions: dict[str, Extension] = field(default_factory=dict)  # by collection name
    homes: dict[str, Path] = field(default_factory=dict)  # the folder declaring each collection

    def __post_init__(self) -> None:
        self.by_name = {c.name: c for c in self.collections}
        self.records = tuple(c for c in self.collections if c.is_record)
        # A folder's index.md is a page, never a record; a page no other collection claims is a page.
        self.page = self.by_name.get("page") or PAGE
        self.pages_first = tuple(c for c in self.collections if not c.is_record and c is not self.page)

    def __iter__(self):
        return iter(self.collections)

    def __getitem__(self, name: str) -> Collection:
        return self.by_name[name]

    def collection_for(self, src: str) -> Collection:
        """The collection a Chinese source path belongs to (`src` without any `.en`)."""
        for c in self.pages_first:
            if c.matches(src):
                return c
        if src.rsplit("/", 1)[-1] != "index.md":
            for c in self.records:
                if c.matches(src):
                    return c
        return self.page

    def extension(self, collection: Collection) -> Extension:
        return self.extensions.get(collection.name, NO_EXTENSION)

    def all_extensions(self) -> list[Extension]:
        """Each folder's extension once (a folder declaring two collections has one), in order."""
        found: list[Extension] = []
        for c in self.collections:
            extension = self.extensions.get(c.name)
            if extension is not None and not any(extension is e for e in found):
                found.append(extension)
        return found

    def words(self) -> dict[str, dict[str, str]]:
        """The site's words in each language, every collection's included (its strings.yml)."""
        for home in self.homes.values():
            if (home / "strings.yml").is_file():
                text.add_words(home / "strings.yml")
        return text.strings()

    def home(self, collection: Collection) -> Path | None:
        return self.homes.get(collection.name)

    def template_dirs(self) -> tuple[str, ...]:
        """Every collection folder's templates/ (listing templates are looked up there)."""
        found = {str(path / "templates") for path in self.homes.values() if (path / "templates").is_dir()}
        return tuple(sorted(found))

    def creatable(self) -> dict[str, Collection]:
        """Collections `kb new` writes: with a folder of their own and an archetype in their home."""
        return {c.name: c for c in self.collections if c.folder and self.archetype(c) is not None}

    def archetype(self, collection: Collection) -> Path | None:
        home = self.home(collection)
        path = home / "archetype.md" if home else None
        return path if path is not None and path.is_file() else None

    def menu(self) -> list[Collection]:
        """Collections with an index page in the menu, in their declared order."""
        return sorted((c for c in self.collections if c.menu_order is not None), key=lambda c: c.menu_order)


@dataclass(frozen=True)
class CommandContext:
    """What the command line gives a collection's own `kb` commands (`Extension.commands`): the
    registry, the knowledge base of a docs folder as the build reads it (`load(docs, **options)`),
    paths and unreadable files as the editor should read them, its parser class, the checkout."""

    registry: Registry
    load: Callable[..., Any]
    shown: Callable[[Any], str]
    unreadable: Callable[[str, Exception], str]
    parser_class: type
    root: Path


NO_EXTENSION = Extension()

PAGE = Collection(
    "page", fields.Page, ("*",), {"zh": "普通页面", "en": "Pages"}, guide_order=9, quoted=True, shared=False
)
