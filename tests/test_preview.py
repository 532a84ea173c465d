"""The preview (`mkdocs serve --dirty`, as the README starts it) holds the same amount of state
after every rebuild. It once kept every earlier build's search entries, so each save doubled its
memory and rebuild time; the benchmark (`python -m scripts.bench --serve --saves 50`) measures
the time and memory, this test checks the cause without timing anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kb_testlib import FIXTURES, ROOT
from scripts.kb.adapter import runner

PROBE = Path(__file__).with_name("serve_probe.py")


def test_rebuilds_hold_no_more_than_the_first(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    config = runner.write_config(docs, tmp_path / "site", tmp_path / "mkdocs.yml")
    record = docs / "lectures" / "2024-05-20-district-key-tasks.md"
    result = subprocess.run(
        [sys.executable, str(PROBE), str(config), str(record), "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rebuilds = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rebuilds) == 4, result.stdout
    first = rebuilds[0]
    for n, later in enumerate(rebuilds[1:], start=2):
        assert later == first, f"rebuild {n} holds more than rebuild 1: {later} vs {first}"
    # a rebuild keeps the first build's search shards, so Material indexes nothing for it; and
    # what Material's search keeps for the next rebuild is this build's index, not the first
    # build's whole one (the first build indexed every page: see the probe's "initial" line)
    initial = json.loads(
        next(line for line in result.stdout.splitlines() if line.startswith("initial ")).split(" ", 1)[1]
    )
    assert initial["material_search_entries"] > 0 and initial["i18n_search_entries"] > 0, initial
    assert first["material_search_entries"] == first["i18n_search_entries"] == 0, first
    assert first["material_previous_index_entries"] == 0, first


def test_a_save_rebuilds_the_listings_only_when_what_they_show_changed(tmp_path):
    # what a save renders again besides the record: listing pages, year pages, feeds and the
    # calendar only if what they read changed. A body edit (the commonest save) rebuilds the
    # record alone; a title edit also the listings, feeds and year pages that show titles
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "lectures-site", docs)
    config = runner.write_config(docs, tmp_path / "site", tmp_path / "mkdocs.yml")
    record = docs / "lectures" / "2024-09-10-recovery-policy.md"
    outputs = ["lectures/index.html", "en/lectures/index.html", "plan/index.html", "feed.xml", "en/feed.xml"]
    result = subprocess.run(
        [sys.executable, str(PROBE), "--listings", str(config), str(record), ",".join(outputs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    body, title = (json.loads(line) for line in result.stdout.splitlines() if line.startswith("{"))
    assert body == {"edit": "body", "written": [], "show_title": [], "page_shows_body": True}
    assert title["written"] == sorted(outputs), title
    assert title["show_title"] == sorted(set(outputs) - {"plan/index.html"}), title
