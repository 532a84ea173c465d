"""A new collection is one folder: copied into a checkout, with no other edit, it is in the menu
(both languages), `kb new`, the JSON Schema, the build, search, the guide, the browser tests'
page list, and the layering rules still hold.

The folder is tests/fixtures/new-collection/opinion/ (社情民意信息, the trial of the December
review), copied into scripts/kb/collections/ of a copy of this checkout. Nothing else in the copy
is touched by hand: the test says which files the commands wrote and checks that nothing else
changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb_testlib import FIXTURES, ROOT, page_html, parse_html, search_documents

FOLDER = FIXTURES / "new-collection" / "opinion"
SKIP = {
    ".git",
    ".venv",
    "node_modules",
    "site",
    "site-members",
    ".cache",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
}
TITLE = "关于完善山区公交线路的建议"


def _copy_checkout(target: Path) -> None:
    def ignore(folder, names):
        return {n for n in names if n in SKIP or n.startswith((".site", "site.")) or n.endswith(".pyc")}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def _files(root: Path) -> dict[str, bytes]:
    """The checkout's files, but for what a build writes (the site, its lock, caches)."""
    out = {}
    for p in root.rglob("*"):
        parts = p.relative_to(root).parts
        if p.is_file() and not set(parts) & SKIP and not parts[0].startswith((".site", "site")):
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def _run(copy: Path, *args: str, **env) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of this checkout with the new collection's folder added and nothing else edited by
    hand; a record made with `kb new`, the schemas written by `kb schema`, the site built."""
    copy = tmp_path_factory.mktemp("new-collection") / "kb"
    _copy_checkout(copy)
    before = _files(copy)
    shutil.copytree(FOLDER, copy / "scripts" / "kb" / "collections" / "opinion")
    made = _run(
        copy, "-m", "scripts.kb", "new", "opinion", "--title", TITLE, "--date", "2024-06-01",
        "--reporter", "测试委员", "--status", "已采用", "--points", "2024-09",
    )  # fmt: skip
    _run(copy, "-m", "scripts.kb", "schema")
    _run(copy, "-m", "scripts.kb", "check")
    _run(copy, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site")
    after = _files(copy)
    changed = {name for name in after if before.get(name) != after[name]}
    added_folder = {
        f"scripts/kb/collections/opinion/{p.relative_to(FOLDER).as_posix()}" for p in FOLDER.rglob("*") if p.is_file()
    }
    record = made.stdout.strip().splitlines()[-1]
    # What changed: the folder, the record `kb new` wrote, the schema `kb schema` wrote. Nothing else.
    assert changed - added_folder == {record, "schemas/opinion.schema.json"}, changed - added_folder
    assert not set(before) - set(after)
    return copy


def test_kb_new_makes_a_record_that_kb_check_accepts(checkout):
    records = list((checkout / "docs" / "opinions").glob("2024-06-01-*.md"))
    assert len(records) == 1
    meta = yaml.safe_load(records[0].read_text("utf-8").split("---\n")[1])
    assert meta["title"] == TITLE and meta["status"] == "adopted" and meta["reporter"] == "测试委员"
    assert meta["points"] == ["2024-09"]
    help_text = subprocess.run(
        [sys.executable, "-m", "scripts.kb", "new", "opinion", "--help"], cwd=checkout, capture_output=True, text=True
    ).stdout
    assert "反映人" in help_text and "adopted（已采用）" in help_text


def test_the_json_schema_describes_it(checkout):
    schema = json.loads((checkout / "schemas" / "opinion.schema.json").read_text("utf-8"))
    assert {"title", "date", "reporter", "status", "points"} <= set(schema["properties"])
    assert schema["title"].startswith("社情民意信息")


@pytest.mark.parametrize(("prefix", "label"), [("", "社情民意信息"), ("en/", "Public opinion reports")])
def test_its_index_page_is_in_the_menu_and_lists_the_record(checkout, prefix, label):
    site = checkout / "site"
    home = parse_html(page_html(site, prefix))
    menu = [a for a in home.iter("a") if (a.attrs.get("href") or "").rstrip("/").endswith("opinions")]
    assert any(a.text().strip() == label for a in menu), [a.text() for a in menu]
    listing = parse_html(page_html(site, prefix + "opinions/"))
    assert listing.find("table") is not None  # one record: one year, one status, so no heading over it
    links = [a.attrs.get("href", "") for a in listing.iter("a")]
    assert any(href.startswith("2024-06-01-") for href in links), links
    record = next((site / prefix / "opinions").glob("2024-06-01-*/index.html"))
    page = parse_html(record.read_text("utf-8"))
    assert TITLE in page.text()
    # the record names point 9, which lists it back
    assert TITLE in parse_html(page_html(site, prefix + "plan/2024/09/")).text()


def test_search_finds_the_record(checkout):
    found = [d for d in search_documents(checkout / "site") if TITLE in d["title"]]
    assert found and all(
        d["location"].startswith("opinions/2024-06-01-") for d in found if not d["location"].startswith("en/")
    )


def test_the_guide_and_the_browser_tests_list_it(checkout):
    # the editors' guide is in the members' edition (issue 30), not on the public site
    _run(checkout, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site-members", KB_EDITION="members")
    guide = page_html(checkout / "site-members", "guide/")
    assert "社情民意信息" in guide and "opinion" in guide
    listed = subprocess.run(
        [sys.executable, "-c", "import kb_browser; print([p for p in kb_browser.PAGES if 'opinion' in p[1]])"],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), str(checkout / "tests" / "browser")])},
    )
    assert "('opinions', '/opinions/', '/en/opinions/')" in listed.stdout, listed.stderr


def test_the_layering_rules_still_hold(checkout):
    """No module outside collections/ names the new collection, mkdocs.yml names none."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/test_layers.py"],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
