"""Material's search cuts every page it indexes into sections with an HTML parser, as the page
renders: about 5 % of a large build's own process (py-spy, 5,000 records). With the sharded
search (the default), `install` has another process do it while this one renders the next pages.

The other process runs Material's own `SearchIndex.add_entry_from_context` on a copy of what it
reads of a page (its HTML, table of contents, address, title and front matter's `title`, `tags`
and `search`), so the entries are Material's, in page order. Whatever reads the entries
(mkdocs-static-i18n, Material's `on_post_build`, `events.start_default_index`) waits for the
pages sent so far. If the process cannot start or fails, this process parses those pages itself.
KB_SEARCH_WORKER=off (every search step in this process) and KB_SEARCH=material (Material's
search with jieba, as it ships) leave Material's index as it is."""

from __future__ import annotations

import copy
import logging
import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from material.plugins.search import plugin as material_search

from ..outputs import processes

log = logging.getLogger("mkdocs.plugins.kb")

ENABLED = os.environ.get("KB_SEARCH_WORKER", "on") != "off"
BATCH = 25  # pages per message: fewer round trips, and the worker never far behind
_META = ("title", "tags", "search")  # what the index reads of the front matter


@dataclass
class TocItem:
    """What `SearchIndex._find_toc_by_id` reads of a table-of-contents entry."""

    id: str
    url: str
    children: list[TocItem] = field(default_factory=list)


@dataclass
class PageCopy:
    """What `SearchIndex.add_entry_from_context` reads of a page."""

    content: str
    toc: list[TocItem]
    url: str
    title: Any
    meta: dict


def _toc(items) -> list[TocItem]:
    return [TocItem(item.id, item.url, _toc(item.children)) for item in items]


def copy_page(page) -> PageCopy:
    meta = {key: copy.deepcopy(page.meta[key]) for key in _META if key in page.meta}
    return PageCopy(page.content, _toc(page.toc), page.url, page.title, meta)


def sections(pages: list[PageCopy]) -> list[dict]:
    """The search entries of `pages`, in order, made by Material's index (run in the worker)."""
    material_search.jieba = None  # as events.disable_material_segmentation does for the build
    index = material_search.SearchIndex()
    for page in pages:
        index.add_entry_from_context(page)
    return index.entries


class _Worker:
    """One process for the whole build (every language's pass), started at the first page."""

    pool = None
    broken = False

    @classmethod
    def submit(cls, pages: list[PageCopy]) -> Future | list[dict]:
        if not cls.broken:
            try:
                if cls.pool is None:
                    cls.pool = processes.pool(1)
                return cls.pool.submit(sections, pages)
            except (OSError, RuntimeError, BrokenProcessPool) as exc:
                cls.fail(exc)
        return sections(pages)

    @classmethod
    def fail(cls, exc: BaseException) -> None:
        if not cls.broken:
            log.info(f"search sections parsed here after the worker failed: {exc!r}")
        cls.broken = True
        cls.stop()

    @classmethod
    def stop(cls) -> None:
        if cls.pool is not None:
            cls.pool.shutdown(wait=True, cancel_futures=True)
            cls.pool = None


class SearchIndexElsewhere(material_search.SearchIndex):
    """Material's index, its pages parsed in the worker. `entries` is the list Material's would
    hold: reading it waits for the pages sent so far."""

    def __init__(self, **config) -> None:
        self._waiting: list[tuple[list[PageCopy], Future | list[dict]]] = []
        self._batch: list[PageCopy] = []
        self._entries_list: list[dict] = []
        super().__init__(**config)

    @property
    def entries(self) -> list[dict]:
        self._send()
        self._collect(wait=True)
        return self._entries_list

    @entries.setter
    def entries(self, value: list[dict]) -> None:
        self._entries_list = value

    def add_entry_from_context(self, page) -> None:
        if (page.meta.get("search") or {}).get("exclude"):
            return
        self._batch.append(copy_page(page))
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        if self._batch:
            batch, self._batch = self._batch, []
            self._waiting.append((batch, _Worker.submit(batch)))
            self._collect(wait=False)  # the pages of parsed batches need not be kept

    def _collect(self, *, wait: bool) -> None:
        """The entries of the batches parsed so far, in order (with wait, of every batch sent)."""
        while self._waiting:
            pages, job = self._waiting[0]
            if isinstance(job, Future):
                if not wait and not job.done():
                    return
                try:
                    job = job.result()
                except Exception as exc:  # any failure there: this process parses them
                    _Worker.fail(exc)
                    job = sections(pages)
            self._entries_list.extend(job)
            self._waiting.pop(0)


def install(config) -> None:
    """In every pass's on_config, after Material's search made this pass's index."""
    plugin = config.plugins.get("material/search")
    index = getattr(plugin, "search_index", None)
    if not ENABLED or config.extra.get("kb_search") == "material" or type(index) is not material_search.SearchIndex:
        return
    plugin.search_index = SearchIndexElsewhere(**index.config)


def stop() -> None:
    """At the end of a build: the worker's process ends (the next build starts another)."""
    _Worker.stop()
    _Worker.broken = False
