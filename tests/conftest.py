"""Shared fixtures. Builds are slow (a few seconds each): the real site is built once per session
(`real_site`) and each fixture docs tree once per module (`build_tree` in a module-scoped fixture).

The helpers live in kb_testlib.py and are re-exported here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent
for _path in (str(_HERE.parent), str(_HERE)):  # the repo root (for `scripts`) and tests/ (for kb_testlib)
    if _path not in sys.path:
        sys.path.insert(0, _path)

from kb_testlib import (  # noqa: E402,F401
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
