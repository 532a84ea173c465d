"""The pages' files written by a thread while the build renders (scripts/kb/adapter/page_writer.py):
the same site, and a file that cannot be written stops the build with its path."""

from __future__ import annotations

import mkdocs.utils
import pytest

from kb_testlib import assert_same_site, build_with_switch
from scripts.kb.adapter import page_writer


def test_site_is_the_same_when_mkdocs_writes_the_pages_itself(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_PAGE_WRITER": "off"}))


def test_the_files_are_written_by_flush_and_mkdocs_writes_for_itself_again(tmp_path):
    original = mkdocs.utils.write_file
    writer = page_writer.PageWriter()
    writer.activate()
    try:
        assert mkdocs.utils.write_file is not original
        for i in range(300):  # more than the queue holds: the caller waits for the thread
            mkdocs.utils.write_file(f"<p>{i}</p>".encode(), str(tmp_path / "site" / f"p{i}" / "index.html"))
    finally:
        writer.flush()
    assert mkdocs.utils.write_file is original
    assert all((tmp_path / "site" / f"p{i}" / "index.html").read_text() == f"<p>{i}</p>" for i in range(300))


def test_a_file_that_cannot_be_written_stops_the_build_with_its_path(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    writer = page_writer.PageWriter()
    writer.activate()
    mkdocs.utils.write_file(b"<p>ok</p>", str(tmp_path / "ok" / "index.html"))
    mkdocs.utils.write_file(b"<p>x</p>", str(tmp_path / "taken" / "page" / "index.html"))
    # the error MkDocs' own write would raise, with the path: the build names its cause and fix
    # (tests/test_failures_explained.py: a full disk)
    with pytest.raises(OSError) as raised:
        writer.flush()
    assert "taken" in str(raised.value.filename)
    assert (tmp_path / "ok" / "index.html").is_file()
    writer.flush()  # reported once
