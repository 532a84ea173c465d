"""Shared fixtures. Builds are slow (a few seconds each): the real site is built once per session
(`real_site`) and each fixture docs tree once per module (`build_tree` in a module-scoped fixture).

- `real_site`: the live docs/, for what holds for any valid content;
- `content`: the live docs/ and a copy after an editor's ordinary edits (`kb new` of a record of
  each kind, progress on a work point), each with its built site: the content tests run on both;
- `known_site` / `known_docs`: docs/ with the fixture's work points and records, for tests that
  assert exact content.

The helpers live in kb_testlib.py and are re-exported here.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb_browser import CHROMIUM, CHROMIUM_ARGS, INSTALL_HINT
from kb_testlib import (  # noqa: F401
    DOCS,
    FIXTURES,
    ROOT,
    SOURCE,
    build_tree,
    edited_docs,
    known_docs,
    normalize,
    page_article,
    page_file,
    page_html,
    page_text,
    parse_html,
    plan_files,
    search_documents,
    search_locations,
    write_tree,
)


@pytest.fixture(scope="session", autouse=True)
def shared_card_cache(tmp_path_factory):
    """One share-card cache for every build of a test worker (KB_CARD_CACHE): each test build writes
    its mkdocs.yml in a folder of its own, beside which the cache would start empty, so every build
    drew its cards again (a docs/ build: 4.1 CPU-s cold, 3.4 with its cards cached). Cards are
    cached by what they show, as a site's successive builds share them; tests of the cache itself
    give it folders of their own, and the benchmark clears the caches beside its configurations."""
    folder = tmp_path_factory.mktemp("kb-cards")
    mp = pytest.MonkeyPatch()
    mp.setenv("KB_CARD_CACHE", str(folder))
    yield folder
    mp.undo()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real docs/ built once for the whole session."""
    return build_tree(DOCS, tmp_path_factory.mktemp("real-site"))


@dataclass(frozen=True)
class Content:
    docs: Path
    site: Path


@pytest.fixture(scope="session")
def known_site_docs(tmp_path_factory) -> Content:
    root = tmp_path_factory.mktemp("known")
    docs = known_docs(root)
    return Content(docs, build_tree(docs, root))


@pytest.fixture(scope="session")
def known_site(known_site_docs) -> Path:
    return known_site_docs.site


@pytest.fixture(scope="session")
def edited_content(tmp_path_factory) -> Content:
    root = tmp_path_factory.mktemp("edited")
    docs = edited_docs(root)
    return Content(docs, build_tree(docs, root))


@pytest.fixture(scope="session", params=["docs", "edited-docs"])
def content(request, real_site) -> Content:
    """The live docs/ and an edited copy of it, with their sites."""
    if request.param == "docs":
        return Content(DOCS, real_site)
    return request.getfixturevalue("edited_content")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium (Debian's) for the whole session: the browser tests and the tests that
    print pages to PDF share it (a second Playwright in the same process refuses to start)."""
    if not CHROMIUM.exists():
        found = shutil.which("chromium")
        pytest.fail(
            f"{CHROMIUM} not found{f' (chromium is at {found})' if found else ''}; {INSTALL_HINT}", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        except Exception as exc:  # a broken install must fail loudly, not skip
            pytest.fail(f"cannot start {CHROMIUM}: {exc}\n{INSTALL_HINT}", pytrace=False)
        try:
            yield b
        finally:
            b.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Test files go to the workers whole (their module fixtures build sites once), the browser
    tests all to one (one built site, one Chromium): pyproject.toml's `--dist loadgroup`."""
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group("browser" if path.startswith("tests/browser/") else path))
