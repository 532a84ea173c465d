"""What the MkDocs hooks call: the only module of scripts/kb that knows MkDocs' objects."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

from . import feeds, model, render, schemas, search, vocab
from .model import Entry, KnowledgeBase
from .problems import format_report

log = logging.getLogger("mkdocs.plugins.kb")
SEARCH_TERMS = Path(__file__).with_name("search_terms.txt")


@dataclass
class BuildState:
    command: str = "build"
    dirty: bool = False
    builds: int = 0  # completed builds in this process (`mkdocs serve` rebuilds)
    kb: Optional[KnowledgeBase] = None
    edition: str = "public"
    config: object = None

    def load(self, config, *, edition: str) -> None:
        self.edition = edition
        docs_dir = Path(config["docs_dir"])
        self.kb = model.load_knowledge_base(
            docs_dir,
            include_drafts=self.command == "serve",
            edition=edition,
            display_root=Path(config["config_file_path"] or docs_dir).parent,
        )
        for p in self.kb.problems:
            if p.severity != "error":
                # Warnings (e.g. stale translations) are for `kb check`; a warning here would
                # fail the strict build, which only refuses errors.
                log.info(str(p))

        search.load_user_dictionary(search.user_dictionary(self.kb, SEARCH_TERMS))

    @property
    def quick_preview(self) -> bool:
        """A `mkdocs serve --dirty` rebuild: the search shards of the first build are kept (they
        miss the edit until the preview restarts), which saves most of a rebuild's time."""
        return self.command == "serve" and self.dirty and self.builds > 0

    def report(self) -> str:
        return format_report(self.kb.problems)


EDITIONS = ("public", "members")


def choose_search(config) -> None:
    """KB_SEARCH=material keeps Material's own search (one index loaded whole, with jieba) for
    comparison in the benchmark and the browser suite; the default is the sharded index."""
    if os.environ.get("KB_SEARCH") == "material":
        config.extra["kb_search"] = "material"
    else:
        search.disable_material_segmentation()


def keep_members_edition_apart(config, edition: str) -> None:
    """The members' edition goes to site-members/ unless a folder was chosen explicitly, so it is
    never published by mistake from the folder that holds the public site."""
    default = Path(config["config_file_path"] or ".").parent / "site"
    if edition == "members" and Path(config["site_dir"]).resolve() == default.resolve():
        config["site_dir"] = str(default.with_name("site-members"))


def lang_of(config) -> str:
    return config.theme.get("language") or model.DEFAULT_LANG


def chinese_src(page) -> str:
    src, _ = model.split_lang(page.file.src_uri)
    return src


def exclude_hidden_files(files: Files, kb: KnowledgeBase) -> Files:
    """Drafts and members-only pages never reach this edition's output: no page, no search entry,
    no sitemap entry. Runs before mkdocs-static-i18n sorts files into languages.

    The listing templates in overrides/kb/ are theme files to MkDocs, which would publish them
    as static assets; they are sources, so they are dropped too."""
    for f in list(files):
        if f.src_uri in kb.hidden or (f.src_uri.startswith("kb/") and not f.is_documentation_page() and render.TEMPLATES in Path(f.abs_src_path).parents):
            files.remove(f)
    return files


def refresh_listings(files: Files, kb: KnowledgeBase) -> None:
    """`mkdocs serve --dirty` re-renders only pages whose source changed; listing pages depend on
    other pages' front matter, so their output is removed to have them rendered again."""
    listing_sources = set()
    for e in kb.entries.values():
        if model.MARKER.search(e.body):
            listing_sources.add(e.src)
            listing_sources.update(t.src for t in e.translations.values())
    for f in files.documentation_pages():
        if f.src_uri in listing_sources and f.abs_dest_path and os.path.isfile(f.abs_dest_path):
            os.remove(f.abs_dest_path)


def expand_page(markdown: str, page, config, kb: KnowledgeBase) -> str:
    return render.expand_markers(markdown, kb, chinese_src(page), lang_of(config))


def share_metadata(page, kb: KnowledgeBase) -> None:
    """An English page carries only translated text; its tags come from the Chinese page, in time
    for Material's tags plugin (on_page_markdown at priority -50) to see them."""
    entry = kb.entries.get(chinese_src(page))
    tags = getattr(entry.data, "tags", None) if entry else None
    if tags and not page.meta.get("tags"):
        page.meta["tags"] = list(tags)


class NotFoundPages:
    """One 404 page per language. Every language's build writes the theme's 404.html to the same
    place (an open issue of mkdocs-static-i18n), so the last language would win: keep the default
    language's page there and put each other language's page under its own folder."""

    def __init__(self) -> None:
        self.default: Optional[str] = None

    @staticmethod
    def reset_language_links(config) -> None:
        """The i18n plugin rewrites the language menu for each page it renders; the 404 page has no
        page, so it would keep the last page's links. Point them at each language's home page."""
        i18n = config.plugins.get("i18n")
        saved = getattr(i18n, "extra_alternate", None)
        if saved:
            from copy import deepcopy

            # the i18n plugin sets it as an attribute, which templates read before the item
            config.extra.alternate = deepcopy(saved)
            config.extra["alternate"] = deepcopy(saved)

    def place(self, output: str, config) -> str:
        lang = lang_of(config)
        if lang == model.DEFAULT_LANG:
            self.default = output
            return output
        target = Path(config["site_dir"]) / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, "utf-8")
        return self.default if self.default is not None else output


def is_nested_build(config) -> bool:
    """True inside the builds of further languages that mkdocs-static-i18n runs from its
    on_post_build; the outermost build runs last and sees every language's output."""
    i18n = config.plugins.get("i18n")
    return bool(i18n is not None and getattr(i18n, "building", False))


def write_generated_files(config, kb: KnowledgeBase, *, search_shards: bool = True) -> None:
    """The calendar and the feed of every language, beside its pages, and the sharded search
    index; once, at the end, after mkdocs-static-i18n merged every language's search entries."""
    i18n = config.plugins.get("i18n")
    languages = [lang for lang in model.LANGS if lang in getattr(i18n, "build_languages", model.LANGS)]
    if config.extra.get("kb_search") != "material":
        search.replace_material_index(Path(config["site_dir"]), languages, shards=search_shards)
    site_url = config["site_url"] or "/"
    for lang in languages:
        root = Path(config["site_dir"]) / ("" if lang == model.DEFAULT_LANG else lang)
        (root / "events").mkdir(parents=True, exist_ok=True)
        (root / "events" / "calendar.ics").write_bytes(feeds.render_calendar(kb, lang, site_url))
        (root / "feed.xml").write_text(feeds.render_feed(kb, lang, site_url), "utf-8")
        # Material fetches sitemap.xml under each language's root (its base URL); the i18n plugin
        # writes one, with every language's URLs, at the site root only.
        sitemap = Path(config["site_dir"]) / "sitemap.xml"
        if lang != model.DEFAULT_LANG and sitemap.exists():
            (root / "sitemap.xml").write_bytes(sitemap.read_bytes())


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
    def when(self) -> str:
        return render.format_when(self.entry, self.lang)

    @property
    def plan_href(self) -> str:
        plan = self.kb.plan(self.entry.data.year)
        return self.href(plan) if plan else ""


def record_context(page, config, kb: KnowledgeBase) -> dict:
    entry = kb.entries.get(chinese_src(page))
    if entry is None:
        return {"kb_page": None}
    lang = lang_of(config)
    return {"kb_page": PageView(entry, lang, page.url, kb, render.strings()[lang])}


class StagedOutput:
    """Build into `<site_dir>.building` and move it into place only when every language is done,
    so a failed build leaves the previous site exactly as it was.

    mkdocs-static-i18n runs the other languages' builds from inside its own on_post_build, each
    calling on_config and on_post_build again; only the outermost build may publish.
    """

    def __init__(self) -> None:
        self.final: Optional[Path] = None
        self.warnings = None

    def redirect(self, config, command: str) -> None:
        if command != "build" or self.final is not None:
            return  # `mkdocs serve` builds into its own temporary folder; nested builds keep ours
        # MkDocs raises its strict-mode abort only after on_post_build, so count warnings here
        # to avoid publishing a build that is about to fail.
        from mkdocs.utils import CountHandler

        self.warnings = CountHandler()
        self.warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.final = Path(config["site_dir"])
        staging = self.final.with_name(self.final.name + ".building")
        _remove(staging)
        config["site_dir"] = str(staging)

    def publish(self, config) -> None:
        if self.final is None or is_nested_build(config):
            return
        if config["strict"] and self.warnings.get_counts():
            self.abandon(config)  # MkDocs aborts right after this event
            return
        staging = Path(config["site_dir"])
        old = self.final.with_name(self.final.name + ".old")
        _remove(old)
        if self.final.exists():
            self.final.rename(old)
        staging.rename(self.final)
        _remove(old)
        self._reset(config)

    def abandon(self, config) -> None:
        if self.final is None:
            return
        _remove(Path(config["site_dir"]))
        self._reset(config)

    def _reset(self, config) -> None:
        config["site_dir"] = str(self.final)
        self.final = None
        logging.getLogger("mkdocs").removeHandler(self.warnings)


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
