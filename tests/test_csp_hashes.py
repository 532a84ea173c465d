"""The policy's hashes come from the pages as the build wrote them (scripts/kb/outputs/csp.py): taken
in memory for rendered pages, read back only for the files the build did not render."""

from __future__ import annotations

from scripts.kb.outputs import csp


def test_policy_hashes_every_inline_script_of_the_written_site(real_site):
    written = (real_site / csp.INCLUDE_FILE).read_text("utf-8")
    read_back = csp.policy(csp.inline_script_hashes(real_site))  # every page read from disk
    assert f'"{read_back}"' in written
    assert "'sha256-" in read_back


def test_rendered_pages_are_not_read_again_and_the_rest_are(tmp_path):
    (tmp_path / "a").mkdir()
    rendered_page = tmp_path / "a" / "index.html"
    rendered_page.write_text("<script>on disk()</script>", "utf-8")
    (tmp_path / "404.html").write_text(
        "<script>not rendered()</script><article><script>x()</script></article>", "utf-8"
    )
    scripts = csp.PageScripts()
    scripts.add(str(rendered_page), "<script>as written()</script>")
    scripts.add(str(tmp_path / "empty" / "index.html"), "  ")  # MkDocs writes no empty page
    got = csp.inline_script_hashes(tmp_path, scripts)
    assert got == sorted({csp._hash("as written()"), csp._hash("not rendered()")})
