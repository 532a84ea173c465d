"""MkDocs hooks: wire the knowledge base into the build. The work lives in scripts/kb/.

mkdocs-static-i18n builds each language by running the whole build again in the same process,
so every event here runs once per language; the knowledge base is loaded in the first language's
on_config and reused by the further languages of the same build (events.BuildState.load), and
nothing else is kept between builds.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

# MkDocs loads this file by path; make `scripts.kb` importable from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from scripts.kb.adapter import (
    events,
    fragment_cache,
    identity,
    markdown_reuse,
    markdown_split,
    messages,
    nav,
    nav_cache,
    page_writer,
    preview_watch,
    render_reuse,
    search_sections,
    template_whitespace,
    theme_files,
    translations,
)
from scripts.kb.adapter.i18n_workarounds import NotFoundPages, forget_previous_search_index, is_nested_build, lang_of
from scripts.kb.adapter.publish import StagedOutput

_state = events.BuildState()
_output = StagedOutput()
_not_found = NotFoundPages()
_share_cards = []  # the share-card cache (adapter/identity.py), one per process
_conversions = render_reuse.RenderReuse()
_converters = markdown_reuse.MarkdownReuse()
_writer = page_writer.PageWriter()


def on_startup(command, dirty, **kwargs):
    _state.command = command
    _state.dirty = dirty
    messages.quiet_expected()
    events.explain_os_errors()


def on_serve(server, config, builder, **kwargs):
    events.watch_project_files(server, config)
    preview_watch.quicken(server, config["docs_dir"])
    return server


def on_config(config, **kwargs):
    edition = os.environ.get("KB_EDITION", "public")
    if edition not in events.EDITIONS:
        raise PluginError(f"KB_EDITION={edition} 无效：只能是 {' 或 '.join(events.EDITIONS)}。")
    _state.config = config
    theme_files.cache_listing(config, events.THEME_BYTECODE)
    if not is_nested_build(config):
        _conversions.start()
        _state.started = time.time()
        _state.photos_published = set()
    forget_previous_search_index(config)
    _converters.start()
    events.keep_members_edition_apart(config, edition, preview=_state.command == "serve")
    _output.prepare(config, _state.command)  # wait for any other build of this site first
    _state.load(config, edition=edition)
    events.choose_search(config, _state.search_dictionary)
    search_sections.install(config)
    if not _state.kb.ok:
        raise PluginError("内容检查未通过，没有生成网站。" + _output.describe_site(config) + "\n" + _state.report())
    _output.redirect(config, _state.command)
    if _state.builds == 0:  # a preview's save finds its cards drawn
        identity.foresee_cards(config, _state.kb, _cards(config))
    events.prepare_photos(_state, config, nested=is_nested_build(config))
    nav.drop_hidden(config, _state.kb)
    nav.derive(config, _state.kb)
    return config


def _hide_files(files, config, **kwargs):
    return events.exclude_hidden_files(files, _state.kb)


# After mkdocs-static-i18n placed this language's files (priority -100).
@event_priority(-150)
def _note_outputs(files, config, **kwargs):
    _state.photos_published |= events.published_photos(files)
    events.forget_removed_pages(files, config, _state)
    return files


# After mkdocs-static-i18n sorted the files into this language's (priority -100).
@event_priority(-200)
def _add_derived_pages(files, config, **kwargs):
    return events.add_derived_pages(files, config, _state.kb, keep_built=_state.listings_unchanged)


on_files = CombinedEvent(_hide_files, _note_outputs, _add_derived_pages)


def _refresh_listings(nav, config, files, **kwargs):
    # After mkdocs-static-i18n placed every file (on_files, priority -100), so paths are final.
    if _state.command == "serve" and _state.dirty and not _state.listings_unchanged:
        events.refresh_listings(files, _state.kb, lang_of(config), _state.listings_shown)
    return nav


# Last of all on_nav handlers: the pages are known and none is read yet.
@event_priority(-1000)
def _split_conversions(nav, config, files, **kwargs):
    _converters.split = markdown_split.start(files, config, _converters, full_build=_state.command != "serve")
    return nav


on_nav = CombinedEvent(_refresh_listings, _split_conversions)


def _stop_split() -> None:
    if _converters.split is not None:
        _converters.split.stop()
        _converters.split = None


def on_env(env, config, files, **kwargs):
    _stop_split()  # every page is read and converted
    events.start_written_files(config, _state)
    env.bytecode_cache = events.THEME_BYTECODE
    identity.install_footer(env, config, _state.kb)
    events.install_not_found(env, config, _state.kb)
    nav_cache.install(env)
    fragment_cache.install(env)
    template_whitespace.install(env)
    translations.install(env)
    return env


def on_pre_page(page, config, files, **kwargs):
    _writer.activate()  # the pages' files are written by a thread from here to on_post_build
    return page


def _expand_markdown(markdown, page, config, files, **kwargs):
    # The glightbox plugin wraps no image itself (responsive_images does, around <picture>).
    page.meta["glightbox"] = False
    events.skip_search_indexing(page, config, _state)
    events.share_metadata(page, config, _state.kb)
    events.shown_titles(page, config, _state.kb)
    return events.expand_page(markdown, page, config, _state.kb)


# Last of all on_page_markdown handlers: the Markdown that MkDocs is about to convert.
@event_priority(-1000)
def _reuse_conversion(markdown, page, config, files, **kwargs):
    _conversions.offer(markdown, page, config, deduplicated_search=config.extra.get("kb_search") != "material")
    _converters.offer(page)  # a page that takes a conversion above keeps it
    return markdown


on_page_markdown = CombinedEvent(_expand_markdown, _reuse_conversion)


# First of all on_page_content handlers: the HTML as MkDocs converted it.
@event_priority(1000)
def _remember_conversion(html, page, config, files, **kwargs):
    _conversions.remember(page, config)
    return html


# After the glightbox plugin's on_page_content (priority 0), which must find nothing to do.
@event_priority(-100)
def _page_html(html, page, config, files, **kwargs):
    html = events.collection_html(html, page, config, _state.kb)
    return events.responsive_images(html, page, config, _state)


on_page_content = CombinedEvent(_remember_conversion, _page_html)


def on_pre_template(template, template_name, config, **kwargs):
    if template_name == "404.html":
        NotFoundPages.reset_language_links(config)
    return template


def on_post_template(output, template_name, config, **kwargs):
    if template_name == "404.html":
        return _not_found.place(events.fix_material_html(output, None, config), config)
    return output


def _fix_page(output, page, config, **kwargs):
    return events.fix_material_html(output, page, config)


# Last of all on_post_page handlers (glightbox adds an inline script in its own): the page as written.
@event_priority(-1000)
def _hash_scripts(output, page, config, **kwargs):
    if _state.scripts is not None:
        _state.scripts.add(page.file.abs_dest_path, output)
    return output


on_post_page = CombinedEvent(_fix_page, _hash_scripts)


def _cards(config):
    if not _share_cards:
        _share_cards.append(identity.card_cache(config))
    return _share_cards[0]


def on_page_context(context, page, config, nav, **kwargs):
    editor_view = _state.command == "serve" or _state.edition == "members"
    context.update(events.record_context(page, config, _state.kb, editor_view=editor_view))
    context.update(
        identity.share_context(page, config, _state.kb, _cards(config), _state.site_root, _state.chinese_cards)
    )
    return context


# First of all on_post_build handlers: every page of this language is in its file.
@event_priority(1000)
def _pages_written(config, **kwargs):
    _writer.flush()


# After Material's search has its entries (0), before mkdocs-static-i18n builds the other languages (-100).
@event_priority(-50)
def _start_search_shards(config, **kwargs):
    events.start_default_index(config, _state)


# After mkdocs-static-i18n's on_post_build (-100), which builds the other languages.
@event_priority(-200)
def _finish(config, **kwargs):
    if is_nested_build(config):
        return
    job, _state.default_index = _state.default_index, None
    try:
        events.write_generated_files(
            config,
            _state.kb,
            search_shards=not _state.quick_preview,
            scripts=_state.scripts,
            listings_unchanged=_state.listings_unchanged,
            default_index=job,
            search_dictionary=_state.search_dictionary,
            copied_photos=(_state.photos_published, _state.started) if _state.quick_preview else None,
            pool=_state.search_pool,
            ahead=_state.written_ahead,
        )
    finally:
        events.stop_search_pool(_state)
    _state.written_ahead = None  # in place (a failed build's is abandoned by on_build_error)
    search_sections.stop()
    _cards(config).finish()  # the cards drawn meanwhile in other processes, into the staged site
    _output.publish(config)
    if _state.command == "serve" and _state.builds == 0:
        preview_watch.settle()
    _state.builds += 1


on_post_build = CombinedEvent(_pages_written, _start_search_shards, _finish)


def on_build_error(error, **kwargs):
    _stop_split()
    if _state.written_ahead is not None:
        _state.written_ahead.abandon()
        _state.written_ahead = None
    with contextlib.suppress(PluginError):
        _writer.flush()  # the build failed already: its error is the one to report
    search_sections.stop()  # its process ends with the failed build, as after a good one
    if _state.default_index is not None:
        _state.default_index.stop()
        _state.default_index = None
    events.stop_search_pool(_state)
    if _share_cards:
        _share_cards[0].abandon()
    _output.abandon(_state.config)
