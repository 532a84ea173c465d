"""Validators the project did not write, run on built sites: the Nu HTML Checker on the real site,
feedparser and the W3C feed validator's duplicate-updated rule on feeds built from a git history.

The Nu HTML Checker (vnu) comes from npm (`vnu-jar`, pinned in package.json, installed by `npm ci`)
and runs on Debian's Java (`default-jre-headless`); `.ci/run` installs both. Without them these
tests FAIL with the command to run: a validator that silently skipped would prove nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from kb_testlib import FIXTURES, ROOT, build_tree
from scripts.kb.adapter import inventory

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "install the validators: `apt-get install -y default-jre-headless` and `npm ci --ignore-scripts` (see .ci/run)"
)

# A page with the mistake the project once made (Python-Markdown passes markdown="0" through),
# checked in the same run: proves the checker reports errors and that the run covered our files.
KNOWN_BAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title></head>
<body><div class="kb-table-wrap" markdown="0"><p>x</p></div></body></html>
"""


def _vnu(*paths: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        missing = "java" if java is None else str(VNU_JAR.relative_to(ROOT))
        pytest.fail(f"the Nu HTML Checker cannot run: {missing} not found; {INSTALL_HINT}", pytrace=False)
    # -Xss: vnu's regular expressions recurse deeply on long pages (the full text, the guide).
    cmd = [java, "-Xss2048k", "-jar", str(VNU_JAR), "--format", "json", "--also-check-css", "--skip-non-html"]
    r = subprocess.run([*cmd, *map(str, paths)], capture_output=True, text=True, timeout=600)
    try:
        return json.loads(r.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {r.returncode}):\n{r.stderr[-2000:]}", pytrace=False)


def test_vnu_reports_no_errors_or_warnings_on_any_page(real_site, tmp_path):
    bad = tmp_path / "known-bad" / "index.html"
    bad.parent.mkdir()
    bad.write_text(KNOWN_BAD, "utf-8")
    messages = _vnu(real_site, bad.parent)

    in_bad = [m for m in messages if m.get("url", "").endswith("/known-bad/index.html")]
    assert any('"markdown"' in m["message"].replace("\u201c", '"').replace("\u201d", '"') for m in in_bad), in_bad

    problems = [m for m in messages if m not in in_bad and m["type"] != "info"]
    report = "\n".join(
        f"{m.get('url', '').split(str(real_site), 1)[-1]}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        f"\n    {m.get('extract', '').strip()[:160]}"
        for m in problems[:40]
    )
    assert not problems, f"vnu: {len(problems)} error(s)/warning(s) in the built site:\n{report}"


# --- feeds: feedparser, and the W3C feed validator's duplicate-updated rule ---------------------------
#
# The W3C Feed Validation Service is not on PyPI. Its warning "Two entries with the same value for
# atom:updated" (DuplicateUpdated) is checked here directly, on a throwaway git history in which
# every record changed in a commit of its own, several on the same day.


def _git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def history_site(tmp_path_factory):
    """The lectures fixture in a new git repository: the pages that are not records first, then
    each record (with its translation) in a commit of its own, an hour apart on one day, in
    Beijing time; then one record's English translation alone, later."""
    tmp = tmp_path_factory.mktemp("feed-history")
    repo = tmp / "repo"
    docs = repo / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    kb = inventory.load_knowledge_base(docs, with_history=False)
    records = sorted(kb.records(), key=lambda e: e.src)
    record_files = {e.src: [e.src, *(t.src for t in e.translations.values())] for e in records}
    _git(repo, "init", "-q")
    _git(repo, "add", "--", ".")
    for files in record_files.values():
        _git(repo, "reset", "-q", "--", *(f"docs/{f}" for f in files))
    _git(repo, "commit", "-q", "-m", "pages", date="2024-06-01T08:00:00+08:00")
    commits = {}
    for hour, (src, files) in enumerate(record_files.items(), start=9):
        _git(repo, "add", "--", *(f"docs/{f}" for f in files))
        _git(repo, "commit", "-q", "-m", src, date=f"2024-06-01T{hour:02d}:00:00+08:00")
        commits[src] = f"2024-06-01T{hour - 8:02d}:00:00Z"
    translated = next(e for e in records if e.translations)
    translation = next(iter(translated.translations.values())).src
    (docs / translation).write_text((docs / translation).read_text("utf-8") + "\nRevised.\n", "utf-8")
    _git(repo, "commit", "-q", "-am", "translation", date="2024-06-02T10:30:15+08:00")
    site = build_tree(docs, tmp)
    return site, kb, commits, translated, "2024-06-02T02:30:15Z"


def _entries_by_path(feed) -> dict[str, str]:
    return {urlsplit(e.link).path.strip("/"): e.updated for e in feed.entries}


@pytest.mark.parametrize("feed_path", ["feed.xml", "en/feed.xml"])
def test_feed_updated_is_the_commit_time_and_never_repeats(history_site, feed_path):
    site, kb, commits, translated, translation_time = history_site
    text = (site / feed_path).read_text("utf-8")
    feed = feedparser.parse(text)
    assert not feed.bozo, f"{feed_path}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    assert len(feed.entries) == len(commits) > 1

    lang = "en" if feed_path.startswith("en/") else "zh"
    prefix = "en/" if lang == "en" else ""
    expected = {(prefix + kb.entries[src].url).strip("/"): time for src, time in commits.items()}
    if lang == "en":
        expected[(prefix + translated.url).strip("/")] = translation_time
    assert _entries_by_path(feed) == expected

    # W3C feedvalidator, DuplicateUpdated: two entries with the same atom:updated.
    updated = [e.updated for e in feed.entries]
    assert len(set(updated)) == len(updated), f"{feed_path}: entries share atom:updated: {sorted(updated)}"
    # Newest first, and the feed's own updated is the newest entry's.
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.updated == updated[0]
