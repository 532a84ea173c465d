"""What the MkDocs hooks call: the one place in scripts/kb that knows MkDocs' objects.

The page header's view lives in `page_view.py`, staged publishing in `publish.py`, and the
workarounds for mkdocs-static-i18n in `i18n_workarounds.py`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..content import markers, media, os_errors, tag_names, text, urls
from ..content.derived import derived_pages
from ..content.markers import ListingError
from ..content.model import KnowledgeBase
from ..content.problems import format_report
from ..outputs import csp, expand, feeds, html_fixes, images, not_found, processes, redirects, search
from ..outputs.page_view import PageView
from . import inventory, written_ahead
from .i18n_workarounds import is_nested_build, lang_of

log = logging.getLogger("mkdocs.plugins.kb")


@dataclass
class BuildState:
    command: str = "build"
    dirty: bool = False
    builds: int = 0  # completed builds in this process (`mkdocs serve` rebuilds)
    kb: KnowledgeBase | None = None
    edition: str = "public"
    config: object = None
    photos: images.VariantCache | None = None
    site_root: Path | None = None  # the outermost build's site folder (other languages build inside it)
    scripts: csp.PageScripts | None = None  # inline scripts of this build's pages, for the CSP
    listings_shown: dict = field(default_factory=dict)  # the preview's listing pages (refresh_listings)
    search_dictionary: str = ""  # jieba's user dictionary for this build (search.user_dictionary)
    default_index: IndexJob | None = None  # the default language's search shards, being written
    search_pool: object = None  # the process writing this build's search shards (IndexJob)
    started: float = 0.0  # when the outermost build began (time.time())
    photos_published: set = field(default_factory=set)  # raster files of the docs, as published this build
    listing_inputs: tuple | None = None  # what the listings of the last build read (expand.listing_inputs)
    listings_unchanged: bool = False  # a quick preview rebuild whose listings read what the last build's did
    page_outputs: dict = field(default_factory=dict)  # the preview: language -> pages' output files, last build
    chinese_cards: dict = field(default_factory=dict)  # Chinese source -> its page's share card (identity)
    written_ahead: written_ahead.WrittenAhead | None = None  # the collections' files, being written

    def load(self, config, *, edition: str) -> None:
        self.edition = edition
        docs_dir = Path(config["docs_dir"])
        if is_nested_build(config) and self.kb is not None and self.kb.docs_dir == docs_dir:
            # A further language of the same build (mkdocs-static-i18n runs it from the first
            # language's on_post_build): the same pages, so the same knowledge base, with the
            # comparisons and listings it has memoised. Loading it again cost a tenth of a build.
            return
        self.scripts = csp.PageScripts()
        self.kb = inventory.load_knowledge_base(
            docs_dir,
            include_drafts=self.command == "serve",
            edition=edition,
            display_root=Path(config["config_file_path"] or docs_dir).parent,
            config=config,
        )
        if not is_nested_build(config):
            # Once per build: mkdocs-static-i18n loads the knowledge base again for each further
            # language, inside the first language's build.
            for p in self.kb.problems:
                if p.severity != "error":
                    # Warnings (e.g. stale translations) are for `kb check`; a warning here would
                    # fail the strict build, which only refuses errors.
                    log.info(str(p))

        self.search_dictionary = search.user_dictionary(self.kb, search.SEARCH_TERMS)
        search.use_user_dictionary(self.search_dictionary)
        if self.command == "serve" and not is_nested_build(config):
            inputs = expand.listing_inputs(self.kb)
            self.listings_unchanged = self.quick_preview and inputs == self.listing_inputs
            self.listing_inputs = inputs

    @property
    def quick_preview(self) -> bool:
        """A `mkdocs serve --dirty` rebuild: the search shards of the first build are kept (they
        miss the edit until the preview restarts), which saves most of a rebuild's time."""
        return self.command == "serve" and self.dirty and self.builds > 0

    def report(self) -> str:
        return format_report(self.kb.problems)


class ThemeBytecodeCache(jinja2.BytecodeCache):
    """Material's templates compiled once per process, not once per build. MkDocs makes a new
    Jinja environment for every build and mkdocs-static-i18n runs one build per language, so every
    preview rebuild compiled the theme's templates twice. Jinja checks each entry against the
    template's source before using it, so an edited override is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = ThemeBytecodeCache()


EDITIONS = ("public", "members")


def prepare_photos(state: BuildState, config, *, nested: bool) -> None:
    """The cache of encoded photos lives beside mkdocs.yml (`.cache/kb-images/`, or KB_IMAGE_CACHE),
    outside site/, so it survives builds; one cache object serves every build of the process."""
    if state.photos is None:
        folder = os.environ.get("KB_IMAGE_CACHE") or (
            Path(config["config_file_path"] or config["docs_dir"]).parent / ".cache" / "kb-images"
        )
        state.photos = images.VariantCache(Path(folder))
    if not nested:
        state.site_root = Path(config["site_dir"])
        # Every photo the pages will show, encoded now in a pool of processes (one per core;
        # KB_PHOTO_PROCESSES=1 for one), rather than one by one as each page is rendered.
        wanted = os.environ.get("KB_PHOTO_PROCESSES", "")
        processes = int(wanted) if wanted.isdigit() and int(wanted) > 0 else None
        shown = [Path(config["docs_dir"]) / src for src in media.shown_images(state.kb)]
        state.photos.encode_all(shown, processes=processes)


def responsive_images(html: str, page, config, state: BuildState) -> str:
    """Photos as <picture> with srcset and lazy loading, in the lightbox; their variants are
    copied into the site. The glightbox plugin adds its script only to pages that show a photo."""
    docs = Path(config["docs_dir"])
    lang = lang_of(config)

    def resolve_image(src: str):
        target = images.site_path(page.url, src)
        if target is None or Path(target).suffix.lower() not in images.RASTER:
            return None
        prefix = urls.lang_prefix(lang)  # an English page's photo is the Chinese page's file
        if prefix and target.startswith(prefix) and not (docs / target).is_file():
            target = target[len(prefix) :]
        path = docs / target
        if not path.is_file():
            return None
        try:
            image_set = state.photos.image_set(path)
        except images.UNREADABLE as exc:  # kb check refuses it first; only a file changed meanwhile gets here
            raise PluginError(f"{target}: {exc.message(src, path.suffix)}") from None
        images.publish_variants(state.photos, image_set, (state.site_root or Path(config["site_dir"])) / target)
        return image_set, (src.rsplit("/", 1)[0] + "/" if "/" in src else "")

    html, found = images.rewrite_html(html, resolve_image)
    page.meta["glightbox"] = found
    return html


def strip_photo_locations(site_dir: Path, copied: tuple[set[str], float] | None = None) -> None:
    """No published original keeps its GPS data (the variants never had any). copied: a quick
    preview rebuild's photos (every raster file of the docs, as published) and the time it
    started: only those it copied again, which MkDocs does for a changed photo, are read."""
    if copied is not None:
        paths, since = copied
        for path in paths:
            with contextlib.suppress(OSError):
                if os.stat(path).st_mtime >= since:
                    images.strip_location(Path(path))  # never raises
        return
    for root, _, names in os.walk(site_dir):
        for name in names:
            if name.lower().endswith(images.RASTER) and not images.VARIANT_NAME.search(name):
                images.strip_location(Path(root, name))  # never raises


def forget_removed_pages(files: Files, config, state: BuildState) -> None:
    """`mkdocs serve --dirty` never deletes an output: a page whose source went away (moved with
    `kb mv`, or deleted) stayed served at its old address, and the page leading to its new one
    was never written there (the build does not write over a page). Each preview rebuild removes
    what the last build of this language wrote for pages that are gone."""
    if state.command != "serve":
        return
    lang = lang_of(config)
    current = {f.abs_dest_path for f in files.documentation_pages() if f.abs_dest_path}
    previous = state.page_outputs.get(lang)
    state.page_outputs[lang] = current
    if state.dirty and previous:
        for path in previous - current:
            with contextlib.suppress(OSError):
                os.remove(path)


def watch_project_files(server, config) -> None:
    """The preview rebuilds when redirects.yml or addresses.txt beside docs/ change, as `kb mv`
    writes them after it has moved the page: the rebuild that the move started may come before
    them. The folder is watched alone (not its subfolders), and MkDocs ignores its folders' events."""
    server.watch(str(Path(config["docs_dir"]).parent), recursive=False)


def published_photos(files: Files) -> set[str]:
    """Where this language's build publishes each raster file of the docs."""
    return {
        f.abs_dest_path
        for f in files.media_files()
        if f.abs_dest_path and f.abs_dest_path.lower().endswith(images.RASTER)
    }


def skip_search_indexing(page, config, state: BuildState) -> None:
    """A quick preview rebuild keeps the first build's search shards and drops Material's index:
    Material need not parse the rebuilt pages for it (with KB_SEARCH=material it still does)."""
    if state.quick_preview and config.extra.get("kb_search") != "material":
        page.meta["search"] = {"exclude": True}


def choose_search(config, dictionary: str) -> None:
    """KB_SEARCH=material keeps Material's own search (one index loaded whole, with jieba, taught
    the user dictionary) for comparison in the benchmark and the browser suite; the default is
    the sharded index."""
    if os.environ.get("KB_SEARCH") == "material":
        config.extra["kb_search"] = "material"
        search.load_user_dictionary(dictionary)
    else:
        disable_material_segmentation()


MEMBERS_ADDRESS = "members_site_url"  # key in mkdocs.yml `extra:` (KB_MEMBERS_SITE_URL)


def keep_members_edition_apart(config, edition: str, *, preview: bool = False) -> None:
    """The members' edition goes to site-members/ unless a folder was chosen explicitly, so it is
    never published by mistake from the folder that holds the public site; and its addresses
    (canonical links, link previews, sitemap, feeds) are its own host's, `extra.members_site_url`
    (KB_MEMBERS_SITE_URL), never the public site's: without one it has none, as the public site
    has none without site_url. Runs before mkdocs-static-i18n's on_config reads the address. The
    preview keeps the address `mkdocs serve` gives it (its own, on this computer)."""
    default = Path(config["config_file_path"] or ".").parent / "site"
    if edition != "members":
        return
    if Path(config["site_dir"]).resolve() == default.resolve():
        config["site_dir"] = str(default.with_name("site-members"))
    if not preview:
        config["site_url"] = members_address(config.extra.get(MEMBERS_ADDRESS))


def members_address(value) -> str | None:
    """The members' edition's address, ending with "/", or None; a value that is no http(s)
    address stops the build with the setting to fix."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not text.startswith(("https://", "http://")) or " " in text:
        raise PluginError(
            f"委员版网址 {text!r} 无效：KB_MEMBERS_SITE_URL（mkdocs.yml 的 extra.members_site_url）"
            "应是以 https:// 开头的完整网址，例如 https://members.kb.example.gov.cn/。"
        )
    return text if text.endswith("/") else text + "/"


def explain_os_errors() -> None:
    """A build the computer refuses (a full disk, a read-only folder) ends with the cause and the
    fix in Chinese, not a traceback: MkDocs lets such an error out of `mkdocs build`, and the
    staged output (publish.py) leaves the published site as it was."""
    previous = sys.excepthook
    if getattr(previous, "kb_os_errors", False):
        return

    def hook(kind, exc, tb):
        if isinstance(exc, OSError) and exc.errno in os_errors.EXPLAINED:
            sys.stderr.write(f"ERROR   -  {os_errors.describe(exc)}网站没有生成，已发布的网站保持不变。\n")
            return
        previous(kind, exc, tb)

    hook.kb_os_errors = True
    sys.excepthook = hook


def chinese_src(page) -> str:
    src, _ = urls.split_lang(page.file.src_uri)
    return src


def exclude_hidden_files(files: Files, kb: KnowledgeBase) -> Files:
    """Drafts and members-only pages never reach this edition's output: no page, no search entry,
    no sitemap entry, and none of the files only they link to or show (kb.hidden_files). Runs before
    mkdocs-static-i18n sorts files into languages. Records are pages the menu does not list (their
    collection's listing does): marked so, as Material's blog marks its posts.

    (The listing templates live in scripts/kb/outputs/templates/ and the collections' folders, outside
    the theme's custom_dir: engines differ in which theme files they publish, so nothing of ours is
    left for them to decide.)"""
    for f in list(files):
        if f.src_uri in kb.hidden or f.src_uri in kb.hidden_files:
            files.remove(f)
        elif f.is_documentation_page() and kb.registry.collection_for(urls.split_lang(f.src_uri)[0]).is_record:
            f.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def refresh_listings(files: Files, kb: KnowledgeBase, lang: str, shown: dict[tuple[str, str], str]) -> None:
    """`mkdocs serve --dirty` re-renders only pages whose source changed; a listing page depends
    on other pages' front matter, so its output is removed, to have it rendered again, when its
    listings now differ from what the preview shows (`shown`: each listing page's expanded
    Markdown, by source and language, as of the previous rebuild; updated here). An edit of a
    record's body, the commonest save, then rebuilds that record alone."""
    bodies: dict[str, tuple[str, str]] = {}  # source -> (Markdown body, the Chinese page's source)
    for e in kb.entries.values():
        if markers.MARKER.search(e.body):
            bodies[e.src] = (e.body, e.src)
            bodies.update((t.src, (t.body, e.src)) for t in e.translations.values())
    for f in files.documentation_pages():
        if f.src_uri not in bodies:
            continue
        body, chinese = bodies[f.src_uri]
        try:
            listed = expand.expand_markers(body, kb, chinese, lang)
        except ListingError:
            listed = None  # the build reports it, with file and line
        key = (f.src_uri, lang)
        if listed is None or shown.get(key) != listed:
            if f.abs_dest_path and os.path.isfile(f.abs_dest_path):
                os.remove(f.abs_dest_path)
            if listed is None:
                shown.pop(key, None)
            else:
                shown[key] = listed


def expand_page(markdown: str, page, config, kb: KnowledgeBase) -> str:
    """The page's listings rendered; a marker that cannot be rendered stops the build with the
    file and line (kb check reports the same, see markers.marker_problems)."""
    try:
        return expand.expand_markers(markdown, kb, chinese_src(page), lang_of(config))
    except ListingError as exc:
        raise PluginError(f"{_shown_src(page, config)}:{_body_line(page, kb) + exc.line - 1}: {exc.message}") from None


def _shown_src(page, config) -> str:
    if page.file.abs_src_path is None:
        return f"（自动生成的页面 {page.file.src_uri}）"
    root = Path(config["config_file_path"] or config["docs_dir"]).parent
    try:
        return Path(page.file.abs_src_path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return page.file.abs_src_path


def _body_line(page, kb: KnowledgeBase) -> int:
    """File line on which the page's Markdown (after its front matter) starts."""
    entry = kb.entries.get(chinese_src(page))
    if entry is None:
        return 1
    if page.file.src_uri == entry.src:
        return entry.parsed.body_line
    for t in entry.translations.values():
        if t.src == page.file.src_uri:
            return t.parsed.body_line
    return 1


def shown_titles(page, config, kb: KnowledgeBase) -> None:
    """A page whose collection titles its pages otherwise (a point: "2024年工作要点 第5项：…") has
    that title wherever MkDocs and Material use it: <title>, search results, the tags page. Its
    heading stays its own title (`kb_heading`, read by overrides/partials/content.html)."""
    entry = kb.entries.get(chinese_src(page))
    if entry is not None and entry.collection.shown_title is not None:
        lang = lang_of(config)
        page.meta["kb_heading"] = entry.title(lang)
        page.meta["title"] = entry.collection.shown_title(entry, lang)


def add_derived_pages(files: Files, config, kb: KnowledgeBase, *, keep_built: bool = False) -> Files:
    """The pages the collections derive (content/derived.py: a plan's archive and each year's task
    breakdown, full text and changes page), as pages of this language's build. Runs after
    mkdocs-static-i18n sorted the files (priority -200): it does for these pages what the plugin
    does for real ones (English under en/, alternates for the language menu and the sitemap).

    keep_built: a quick preview rebuild whose listings read what the last build's did; the derived
    pages it already wrote stay as they are (MkDocs renders a generated page on every build)."""
    lang = lang_of(config)
    i18n = config.plugins.get("i18n")
    languages = list(getattr(i18n, "build_languages", None) or [lang])
    per_language = getattr(i18n, "i18n_files_per_language", {}).get(lang)
    for derived in derived_pages(kb):
        alternates = {}
        for other in dict.fromkeys([lang, *languages]):
            f = File.generated(config, urls.translation_src(derived.src, other), content=derived.markdown(other))
            f.dest_uri = urls.url(derived.src, other) + "index.html"
            f.locale = other
            f.localization = None if other == urls.DEFAULT_LANG else other
            f.locale_alternate_of = lang
            f.norm_src_uri = derived.src
            alternates[other] = f
        current = alternates[lang]
        current.alternates = alternates
        if keep_built and os.path.isfile(current.abs_dest_path):
            current.is_modified = _not_modified
        files.append(current)
        if per_language is not None:
            per_language.append(current)
    return files


def _not_modified() -> bool:
    return False


def collection_html(html: str, page, config, kb: KnowledgeBase) -> str:
    """A page's HTML as the collections' folders amend it after conversion (`Extension.page_html`,
    each deciding which pages it amends: a plan's notice opens with its 公文 metadata, so that
    search finds the notice by them)."""
    if kb is None:
        return html
    src, lang = chinese_src(page), lang_of(config)
    for extension in kb.registry.all_extensions():
        if extension.page_html is not None:
            html = extension.page_html(html, src, lang, kb)
    return html


def share_metadata(page, config, kb: KnowledgeBase) -> None:
    """An English page carries only translated text; its tags come from the Chinese page, in time
    for Material's tags plugin (on_page_markdown at priority -50) to see them, by their names in
    the page's language from tags.yml (content/tag_names.py; a tag without one stays Chinese)."""
    entry = kb.entries.get(chinese_src(page))
    tags = getattr(entry.data, "tags", None) if entry else None
    if tags and not page.meta.get("tags"):
        lang = lang_of(config)
        table, _ = tag_names.read(kb.docs_dir.parent)
        page.meta["tags"] = [tag_names.name(table, tag, lang) or tag for tag in tags]


class IndexJob:
    """One language's search shards, written in another process while this one goes on: the
    default language's while mkdocs-static-i18n builds the further languages (they are a tenth of
    a large build, and would otherwise wait for every language), each further language's while
    this process writes the build's other generated files. `written()` waits for it. If the
    process cannot start or fails, nothing is written there and `replace_material_index` writes
    those shards itself. KB_SEARCH_WORKER=off writes every language's shards at the end, in this
    process.

    The jobs of one build run one after another in one process (`search_pool`): the further
    languages' job then finds the modules imported and jieba's dictionary loaded by the default
    language's, instead of starting a process for them while the build waits at its end (at
    2,000 records, a cold build's main process waited 4 % of its time for it)."""

    ENABLED = os.environ.get("KB_SEARCH_WORKER", "on") != "off"

    def __init__(self, docs: list[dict] | None, lang: str, folder: Path, dictionary: str, pool=None) -> None:
        """`docs`: the language's documents (`search.language_documents`), or None for no job.
        `pool`: the build's search process (`search_pool`), else the job starts one of its own."""
        self.lang = lang
        self.future = None
        self.pool = None  # a process of the job's own, stopped with it
        if not self.ENABLED or docs is None:
            return
        try:
            if pool is None:
                pool = self.pool = processes.pool(1)
            self.future = pool.submit(search.write_language_index, docs, lang, folder, dictionary)
        except (OSError, RuntimeError, BrokenProcessPool):
            self.stop()

    def written(self) -> set[str]:
        """The language, if the other process wrote its shards (none if it failed)."""
        try:
            if self.future is None:
                return set()
            self.future.result()
            return {self.lang}
        except Exception as exc:  # any failure there: this process writes them instead
            log.info(f"search shards of {self.lang} written here after the worker failed: {exc!r}")
            return set()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def search_pool(state: BuildState):
    """The build's one process for its search shards (IndexJob), started with the first job;
    None when jobs are off or no process can start (each job then goes its own way)."""
    if state.search_pool is None and IndexJob.ENABLED:
        try:
            state.search_pool = processes.pool(1)
        except OSError:
            return None
    return state.search_pool


def stop_search_pool(state: BuildState) -> None:
    pool, state.search_pool = state.search_pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def start_default_index(config, state: BuildState) -> None:
    """At the end of the default language's pass of a full build (before mkdocs-static-i18n
    builds the others): start writing its search shards elsewhere."""
    if (
        is_nested_build(config)
        or lang_of(config) != urls.DEFAULT_LANG
        or state.quick_preview
        or config.extra.get("kb_search") == "material"
    ):
        return
    material_search = config.plugins.get("material/search")
    entries = getattr(getattr(material_search, "search_index", None), "entries", None)
    lang = urls.DEFAULT_LANG
    docs = None if entries is None else search.with_record_titles(list(entries), record_titles(state.kb, [lang]))
    folder = Path(config["site_dir"]) / "search" / "kb" / lang
    pool = search_pool(state) if docs is not None else None
    state.default_index = IndexJob(docs, lang, folder, state.search_dictionary, pool)


def record_titles(kb: KnowledgeBase, languages) -> dict[str, str]:
    """Search location -> title of every public record and work point in each language it is
    written in (an untranslated English page is left out of the English index anyway)."""
    out = {}
    for e in kb.entries.values():
        if not e.collection.is_record:
            continue
        for lang in languages:
            if lang == urls.DEFAULT_LANG:
                out[urls.url(e.src)] = e.data.title
            elif lang in e.translations:
                out[urls.url(e.src, lang)] = e.title(lang)
    return out


def languages_built(config) -> list[str]:
    i18n = config.plugins.get("i18n")
    return [lang for lang in urls.LANGS if lang in getattr(i18n, "build_languages", urls.LANGS)]


def start_written_files(config, state: BuildState) -> None:
    """At the first language's on_env of a publishing build: the collections' files are written by
    another process meanwhile (adapter/written_ahead.py); write_generated_files puts them in place."""
    if state.command != "build" or state.listings_unchanged or is_nested_build(config):
        return
    site_url = config["site_url"] or "/"
    state.written_ahead = written_ahead.start(state.kb, Path(config["site_dir"]), site_url, languages_built(config))


def write_generated_files(
    config,
    kb: KnowledgeBase,
    *,
    search_shards: bool = True,
    scripts: csp.PageScripts | None = None,
    listings_unchanged: bool = False,
    default_index: IndexJob | None = None,
    copied_photos: tuple[set[str], float] | None = None,
    search_dictionary: str = "",
    pool=None,
    ahead: written_ahead.WrittenAhead | None = None,
) -> None:
    """The calendar and the feed of every language, beside its pages, and the sharded search
    index; once, at the end, after mkdocs-static-i18n merged every language's search entries.
    search_shards=False (a quick preview rebuild) keeps the search shards and the CSP include of
    the preview's first build; listings_unchanged (one whose front matter is as the last build's)
    keeps its task sheets, calendars and feeds too, which read nothing else. `pool`: the build's
    search process (`search_pool`), for the further languages' shards. `ahead`: the collections'
    files, written meanwhile by another process (`start_written_files`)."""
    languages = languages_built(config)
    site_dir = Path(config["site_dir"])
    index, jobs = None, []
    if config.extra.get("kb_search") != "material":
        index = search.read_material_index(site_dir, record_titles(kb, languages))
        if index is not None and search_shards:
            # The further languages' shards in other processes, while this one writes the rest.
            jobs = [
                IndexJob(
                    search.language_documents(index, lang),
                    lang,
                    site_dir / "search" / "kb" / lang,
                    search_dictionary,
                    pool,
                )
                for lang in languages
                if lang != urls.DEFAULT_LANG
            ]
    site_url = config["site_url"] or "/"
    strip_photo_locations(Path(config["site_dir"]), copied_photos)
    if ahead is not None and listings_unchanged:
        ahead.abandon()
    elif not listings_unchanged and (ahead is None or not ahead.place(site_dir, site_url, languages)):
        # What the collections publish beside their pages: each year's task sheets, the calendars.
        for extension in kb.registry.all_extensions():
            if extension.written_files is not None:
                extension.written_files(kb, site_dir, site_url, languages)
    for lang in languages:
        root = site_dir / urls.lang_prefix(lang)
        if not listings_unchanged:
            (root / "feed.xml").write_text(feeds.render_feed(kb, lang, site_url), "utf-8")
        # Each language's root has a sitemap.xml (where Material's instant navigation would look
        # for it, and crawlers given /en/); the i18n plugin writes one, with every language's
        # URLs, at the site root only. Pages themselves fetch none (docs/assets/kb-material.js).
        sitemap = Path(config["site_dir"]) / "sitemap.xml"
        if lang != urls.DEFAULT_LANG and sitemap.exists() and config["site_url"]:
            (root / "sitemap.xml").write_bytes(sitemap.read_bytes())
    if not config["site_url"]:
        # A sitemap lists absolute addresses; without a configured one the i18n plugin's would
        # read "None./" (and MkDocs' relative paths): no sitemap rather than a false one.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config["site_dir"]) / name).unlink(missing_ok=True)
    # Pages at old addresses leading to the new ones, and the same map for nginx (redirects.yml).
    try:
        redirects.write_site(
            Path(config["site_dir"]), Path(config["docs_dir"]).parent, languages, config["site_url"] or ""
        )
    except redirects.RedirectError as exc:  # kb check refuses it first: redirects.yml changed meanwhile
        raise PluginError(str(exc)) from None
    written: set[str] = set()
    for job in [default_index, *jobs]:
        if job is not None:
            written |= job.written()
    if index is not None:
        search.replace_material_index(site_dir, languages, shards=search_shards, written=written, data=index)
    # Last: it reads every page this build wrote. A quick preview rebuild keeps the first build's
    # (MkDocs' own server does not send the policy; it reads the whole site).
    if search_shards:
        csp.write_nginx_include(
            Path(config["site_dir"]),
            scripts,
            copied=docs_files(Path(config["docs_dir"])),
            base=urlsplit(config["site_url"] or "/").path,
        )


def docs_files(docs_dir: Path) -> set[str]:
    """The docs-relative paths of docs/' files other than pages: where MkDocs copies them in the site."""
    out = set()
    for root, dirs, names in os.walk(docs_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.endswith(".md") and not name.startswith(".") and not os.path.islink(os.path.join(root, name)):
                out.add(Path(root, name).relative_to(docs_dir).as_posix())
    return out


def record_context(page, config, kb: KnowledgeBase, *, editor_view: bool = False) -> dict:
    """editor_view: the preview or the members' edition, where hints for editors (which file to
    edit, and a link to edit it when the config names a repository) are shown."""
    entry = kb.entries.get(chinese_src(page))
    if entry is None:
        return {"kb_page": None}
    lang = lang_of(config)
    view_class = kb.registry.extension(entry.collection).view or PageView
    view = view_class(entry, lang, page.url, kb, text.strings()[lang], editor_view=editor_view, edit_url=page.edit_url)
    return {"kb_page": view}


def install_not_found(env, config, kb: KnowledgeBase | None) -> None:
    """The words and links of this language's 404 page (overrides/404.html)."""
    env.globals["kb_not_found"] = not_found.not_found(kb, lang_of(config))


def fix_material_html(output: str, page, config) -> str:
    """Material's markup, corrected where validators object (see html_fixes)."""
    return html_fixes.fix_page(
        output,
        search_label=text.strings()[lang_of(config)]["search_dialog"],
        site_url=config.get("site_url"),
        page_url=page.url if page is not None else "",
        nav_fixed=True,  # overrides/partials/nav.html corrects the navigation as it renders it (nav_cache)
    )


def disable_material_segmentation() -> None:
    """Material's search plugin runs jieba over every page's text: measured at about 40% of the
    build (18.8 of 48 s profiled at 500 records). This index finds every Chinese substring through
    bigrams and segments titles itself, so the plugin's pass over body text buys nothing."""
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:
        return
    material_search.jieba = None
