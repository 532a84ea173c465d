"""The collections' written files (task sheets, calendars) made by a forked process while the build
renders pages (scripts/kb/adapter/written_ahead.py) are the files the build writes itself at the
end: the site is the same with KB_WRITTEN_AHEAD=off. A child that failed leaves the writing to
the build, and nothing of it stays behind."""

from __future__ import annotations

from types import SimpleNamespace

from kb_testlib import assert_same_site, build_with_switch
from scripts.kb.adapter import written_ahead


def test_site_is_the_same_with_the_files_written_at_the_end(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_WRITTEN_AHEAD": "off"}))


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
