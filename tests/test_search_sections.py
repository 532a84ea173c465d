"""Material's search sections, parsed in another process (scripts/kb/adapter/search_sections.py),
are the entries Material's own index makes of the same pages, in the same order, whether the
worker parses them, cannot start, or fails. (The whole site with KB_SEARCH_WORKER=off is compared
in test_search_worker_process.)"""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from material.plugins.search import plugin as material_search

from scripts.kb.adapter import search_sections
from scripts.kb.adapter.search_sections import PageCopy, SearchIndexElsewhere, TocItem


def _pages(count: int) -> list[PageCopy]:
    pages = []
    for n in range(count):
        content = (
            f'<p>导语 {n}</p><h2 id="s{n}">第{n}节 <a class="headerlink" href="#s{n}">¶</a></h2>'
            f'<p>正文 &amp; <code>code {n}</code></p><h3 id="x{n}" data-search-exclude>略</h3><p>不索引</p>'
            f'<h2 id="t{n}">Tail</h2><p>text {n}</p>'
        )
        toc = [TocItem(f"s{n}", f"#s{n}", [TocItem(f"x{n}", f"#x{n}")]), TocItem(f"t{n}", f"#t{n}")]
        meta: dict = {"tags": ["甲", n, None]} if n % 3 == 0 else {}
        if n % 4 == 1:
            meta["title"] = f"标题 {n}"
        if n % 5 == 2:
            meta["search"] = {"boost": 2}
        if n % 7 == 3:
            meta["search"] = {"exclude": True}
        pages.append(PageCopy(content, toc, f"records/r{n}/", f"页 {n}", meta))
    return pages


def _material_entries(pages, monkeypatch) -> list[dict]:
    monkeypatch.setattr(material_search, "jieba", None)  # as the build sets it
    index = material_search.SearchIndex()
    for page in pages:
        index.add_entry_from_context(page)
    return index.entries


@pytest.fixture(autouse=True)
def _fresh_worker():
    search_sections.stop()
    yield
    search_sections.stop()


def test_the_worker_makes_materials_entries_in_page_order(monkeypatch):
    pages = _pages(3 * search_sections.BATCH + 4)
    index = SearchIndexElsewhere()
    for page in pages:
        index.add_entry_from_context(page)
    assert search_sections._Worker.pool is not None  # sent to the worker, not parsed here
    entries = index.entries
    assert not search_sections._Worker.broken
    expected = _material_entries(pages, monkeypatch)
    assert len(expected) > 2 * len(pages)  # several sections a page, excluded ones left out
    assert entries == expected
    assert any(e.get("boost") == 2 for e in entries) and any(e.get("tags") == ["甲", "6"] for e in entries)
    # what mkdocs-static-i18n does with the list: it is Material's own list, read and replaced in place
    entries.clear()
    assert index.entries == []


def test_a_worker_that_cannot_start_leaves_the_parsing_here(monkeypatch):
    def no_process(workers):
        raise OSError("no more processes")

    monkeypatch.setattr(search_sections.processes, "pool", no_process)
    pages = _pages(2 * search_sections.BATCH + 3)
    index = SearchIndexElsewhere()
    for page in pages:
        index.add_entry_from_context(page)
    assert search_sections._Worker.broken
    assert index.entries == _material_entries(pages, monkeypatch)


def test_a_worker_that_fails_leaves_the_parsing_here(monkeypatch):
    class DyingPool:
        def submit(self, fn, *args):
            future = Future()
            future.set_exception(OSError("the worker died"))
            return future

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(search_sections.processes, "pool", lambda workers: DyingPool())
    pages = _pages(2 * search_sections.BATCH + 1)
    index = SearchIndexElsewhere()
    for page in pages:
        index.add_entry_from_context(page)
    assert index.entries == _material_entries(pages, monkeypatch)
    assert search_sections._Worker.broken


def test_material_search_and_the_switch_keep_materials_index(monkeypatch):
    class Plugin:
        search_index = material_search.SearchIndex()

    class Config(dict):
        plugins = {"material/search": Plugin}
        extra: dict = {}

    config = Config()
    config.extra = {"kb_search": "material"}
    search_sections.install(config)
    assert type(Plugin.search_index) is material_search.SearchIndex
    config.extra = {}
    monkeypatch.setattr(search_sections, "ENABLED", False)
    search_sections.install(config)
    assert type(Plugin.search_index) is material_search.SearchIndex
    monkeypatch.setattr(search_sections, "ENABLED", True)
    search_sections.install(config)
    assert type(Plugin.search_index) is SearchIndexElsewhere
