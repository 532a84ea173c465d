"""A pass's Markdown conversions shared with a forked second process (scripts/kb/adapter/
markdown_split.py) give the site the build gives without it, byte for byte: when the second
process converts every page (KB_MARKDOWN_SPLIT=child) and when the two meet wherever they meet
(`always`, at any size; docs/ is below the size that splits by default). What a conversion logs in
the second process is logged by the build, where a warning fails the strict build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from types import SimpleNamespace

from kb_testlib import DOCS, ROOT, TEST_SITE_URL, assert_same_site, build_with_switch
from scripts.kb.adapter import markdown_split, runner
from scripts.kb.adapter.markdown_reuse import Converted


def test_pages_converted_by_the_second_process_are_the_same(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_MARKDOWN_SPLIT": "child"}))


def test_a_split_wherever_the_two_meet_gives_the_same_site(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_MARKDOWN_SPLIT": "always"}))


def test_a_split_at_any_size_runs_in_both_passes(tmp_path):
    """Where the two meet depends on the machine: here only that `always` split both passes of
    docs/ (the child's share may be any)."""
    result = _build(DOCS, tmp_path / "site", "always", "-v")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(re.findall(r"markdown_split: \d+ of \d+ pages converted", result.stderr)) == 2


def _build(docs, site, split: str, *args: str) -> subprocess.CompletedProcess:
    config = runner.write_config(docs, site, site.parent / f"mkdocs.{split}.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_SITE_URL": TEST_SITE_URL, "KB_MARKDOWN_SPLIT": split}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *args, "-f", str(config)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)


def test_the_second_process_converts_the_pages_it_is_given(tmp_path):
    result = _build(DOCS, tmp_path / "site", "child", "-v")
    assert result.returncode == 0, result.stderr[-3000:]
    counts = re.findall(r"markdown_split: (\d+) of (\d+) pages converted by the second process", result.stderr)
    assert len(counts) == 2, counts  # a pass for each language
    # every page of the Chinese pass converts (the English one takes the Chinese conversion of
    # the pages not translated yet): each conversion came from the second process
    assert counts[0][0] == counts[0][1], counts
    assert 0 < int(counts[1][0]) <= int(counts[1][1]), counts


def test_what_a_conversion_logs_in_the_second_process_the_build_logs(tmp_path):
    """MkDocs' link check runs in the conversion: its messages (a warning fails --strict) come from
    wherever the page was converted. An unrecognized link is reported at INFO, which kb check lets
    through, so the build runs to the end both ways."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "index.md"  # the home page, which every site has
    page.write_text(page.read_text("utf-8") + "\n[计划](plan/)\n", "utf-8")
    logged = {}
    for split in ("off", "child"):
        result = _build(docs, tmp_path / f"site-{split}", split)
        assert result.returncode == 0, result.stderr[-3000:]
        logged[split] = [line for line in result.stderr.splitlines() if "unrecognized relative link 'plan/'" in line]
    assert logged["child"] == logged["off"] and len(logged["off"]) == 1, logged
    assert "index.md" in logged["off"][0]


def test_results_received_before_the_child_ended_are_used():
    """The child may finish its half before this process reaches it: what it sent is used after
    its end, as long as the Markdown is the same (a page whose Markdown differs converts here)."""
    split = markdown_split.Split.__new__(markdown_split.Split)
    split.index, split.conn, split.pid, split.child_only, split.taken = {"a.md": 0, "b.md": 1}, None, None, False, 0
    converted = Converted("<p>a</p>", [], None, set(), None)
    split.results = {0: (markdown_split._digest("a"), converted), 1: (markdown_split._digest("b"), converted)}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="a.md"), markdown="a")
    assert split.take(page) is converted and split.taken == 1
    other = SimpleNamespace(file=SimpleNamespace(src_uri="b.md"), markdown="b, changed here")
    assert split.take(other) is None and split.taken == 1
