"""Shared fixtures. Builds are slow (a few seconds each): the real site is built once per session
(`real_site`) and each fixture docs tree once per module (`build_tree` in a module-scoped fixture).

The helpers live in kb_testlib.py and are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_testlib import (  # noqa: F401
    DOCS,
    FIXTURES,
    ROOT,
    SOURCE,
    build_tree,
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


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real docs/ built once for the whole session."""
    return build_tree(DOCS, tmp_path_factory.mktemp("real-site"))
