"""Blocks of Material's page that depend only on the page's depth are rendered once per depth
(scripts/kb/adapter/fragment_cache.py, overrides/main.html): the whole site is the same with
KB_FRAGMENT_CACHE=off."""

from __future__ import annotations

import jinja2

from kb_testlib import assert_same_site, build_with_switch
from scripts.kb.adapter import fragment_cache


def test_site_is_the_same_when_every_page_renders_every_block(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_FRAGMENT_CACHE": "off"}))


def test_a_block_is_rendered_once_per_depth():
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "page.html": "{% macro kb_cached(name) %}{% set html = kb_fragments.get(name, base_url) %}"
                "{% if html is none %}{% set html = kb_fragments.keep(caller(), name, base_url) %}{% endif %}"
                '{{ html }}{% endmacro %}{% call kb_cached("links") %}[{{ base_url }}/{{ count() }}]{% endcall %}'
            }
        )
    )
    fragment_cache.install(env)
    rendered = []
    env.globals["count"] = lambda: rendered.append(1) or len(rendered)
    page = env.get_template("page.html")
    assert [page.render(base_url=b) for b in ("..", "../..", "..", "../..")] == [
        "[../1]",
        "[../../2]",
        "[../1]",
        "[../../2]",
    ]
    assert len(rendered) == 2
