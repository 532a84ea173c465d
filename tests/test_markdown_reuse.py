"""One Markdown converter per build pass, reset between pages (scripts/kb/adapter/markdown_reuse.py),
converts every page as MkDocs' converter-per-page does: the whole site is the same with
KB_MARKDOWN_REUSE=off."""

from __future__ import annotations

from types import SimpleNamespace

from kb_testlib import assert_same_site, build_with_switch
from scripts.kb.adapter import markdown_reuse


def test_site_is_the_same_with_a_converter_per_page(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_MARKDOWN_REUSE": "off"}))


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
