"""The collections' written files (task sheets, calendars) made by a forked process while the build
renders pages (scripts/kb/adapter/written_ahead.py) are the files the build writes itself at the
end: the site is the same with KB_WRITTEN_AHEAD=off. A child that failed leaves the writing to
the build, and nothing of it stays behind."""

from __future__ import annotations

import os
import re
import time
from types import SimpleNamespace

import pytest

from kb_testlib import DOCS, TEST_SITE_URL, assert_same_site, build_with_switch
from scripts.kb.adapter import runner, written_ahead


def test_site_is_the_same_with_the_files_written_at_the_end(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_WRITTEN_AHEAD": "off"}))


def test_a_publishing_build_has_them_written_by_the_second_process(tmp_path):
    """real_site's build (the comparison above) is one that writes them ahead: it says so."""
    result = runner.build(DOCS, tmp_path / "site", env={"KB_SITE_URL": TEST_SITE_URL}, verbose=True)
    assert result.returncode == 0, result.stderr[-3000:]
    placed = re.findall(r"written_ahead: (\d+) files written by the second process", result.stderr)
    assert len(placed) == 1 and int(placed[0]) > 0, placed
    assert not list(tmp_path.glob("*.written-*"))  # the child's folder is gone


def _kb(written_files):
    extension = SimpleNamespace(written_files=written_files)
    return SimpleNamespace(registry=SimpleNamespace(all_extensions=lambda: [extension]))


def test_the_childs_files_are_moved_into_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()

    def write(kb, folder, site_url, languages):
        for lang in languages:
            (folder / lang).mkdir()
            (folder / lang / "events.ics").write_text(f"{site_url} {lang}", "utf-8")

    ahead = written_ahead.start(_kb(write), site, "https://example.org/", ["zh", "en"])
    assert ahead is not None and ahead.folder.parent == tmp_path
    assert ahead.place(site, "https://example.org/", ["zh", "en"])
    assert (site / "en" / "events.ics").read_text("utf-8") == "https://example.org/ en"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the child's folder is gone


def test_a_child_that_failed_leaves_the_writing_to_the_build(tmp_path):
    site = tmp_path / "site"
    site.mkdir()

    def fail(kb, folder, site_url, languages):
        (folder / "half-written.ics").write_text("x", "utf-8")
        raise RuntimeError("the calendar could not be made")

    ahead = written_ahead.start(_kb(fail), site, "/", ["zh"])
    assert ahead is not None and not ahead.place(site, "/", ["zh"])
    assert list(site.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_files_made_for_another_address_are_not_placed(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    ahead = written_ahead.start(_kb(lambda kb, folder, url, langs: (folder / "a").write_text(url)), site, "/", ["zh"])
    assert not ahead.place(site, "https://example.org/", ["zh"]) and list(site.iterdir()) == []


def test_a_child_that_hangs_is_ended_and_the_build_writes_the_files(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(written_ahead, "WAIT", 0.3)

    def hang(kb, folder, site_url, languages):
        (folder / "events.ics").write_text("x", "utf-8")
        time.sleep(60)

    ahead = written_ahead.start(_kb(hang), site, "/", ["zh"])
    pid = ahead.pid
    started = time.monotonic()
    assert not ahead.place(site, "/", ["zh"])
    assert time.monotonic() - started < 10 and ahead.pid is None
    with pytest.raises(ChildProcessError):  # killed and waited for: no such child any more
        os.waitpid(pid, os.WNOHANG)
    assert list(site.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    ahead.abandon()  # a build failing afterwards signals nobody
