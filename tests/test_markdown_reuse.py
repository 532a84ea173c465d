"""One Markdown converter per build pass, reset between pages (scripts/kb/adapter/markdown_reuse.py),
converts every page as MkDocs' converter-per-page does: the whole site is the same with
KB_MARKDOWN_REUSE=off."""

from __future__ import annotations

from types import SimpleNamespace

from kb_testlib import DOCS
from scripts.kb.adapter import markdown_reuse, runner


def test_site_is_the_same_with_a_converter_per_page(real_site, tmp_path):
    result = runner.build(DOCS, tmp_path / "site", env={"KB_MARKDOWN_REUSE": "off"})
    assert result.returncode == 0, result.stderr[-3000:]
    here = tmp_path / "site"
    files = sorted(p.relative_to(here) for p in here.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(real_site) for p in real_site.rglob("*") if p.is_file())
    assert sum(f.suffix == ".html" for f in files) > 50
    differing = [str(f) for f in files if (real_site / f).read_bytes() != (here / f).read_bytes()]
    assert differing == []


def test_one_converter_per_pass_made_again_for_other_settings():
    reuse = markdown_reuse.MarkdownReuse()
    config = {"markdown_extensions": ["toc"], "mdx_configs": {}}
    md = reuse.converter(config)
    assert reuse.converter(config) is md
    other = {"markdown_extensions": ["toc"], "mdx_configs": {}}
    assert reuse.converter(other) is not md
    reuse.start()
    assert reuse.converter(other) is not md


def test_a_page_that_took_a_conversion_keeps_it():
    page = SimpleNamespace()
    page.render = "already replaced"
    markdown_reuse.MarkdownReuse().offer(page)
    assert page.render == "already replaced"
