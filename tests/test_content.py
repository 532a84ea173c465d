"""What holds for any valid content, checked on the live docs/ and on a copy of it after an
editor's ordinary day (`kb new` of a 文史 record, a lecture and an event, progress recorded on a
work point; fixture `content` in conftest.py): every page is built in both languages, every link
resolves, every public page is searchable and no hidden one is. Exact content is tested on
fixtures (`known_site`, tests/fixtures/); fidelity to sources/ in test_fidelity.py, on both."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from kb_testlib import REQUIRED_ONLY, front_matter_of, page_file, parse_html, search_locations
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.collections import REGISTRY
from scripts.kb.content import model

BASE = "https://example.invalid"  # any origin: only used to resolve relative links


@pytest.fixture(scope="session")
def content_kb(content):
    return load_knowledge_base(content.docs, with_history=False)


def test_content_is_valid(content_kb):
    assert content_kb.ok, [str(p) for p in content_kb.problems][:10]


def test_the_edited_copy_has_the_new_records(edited_content):
    """The edits of `edited_docs` went through: otherwise the tests on it prove nothing."""
    kb = load_knowledge_base(edited_content.docs, with_history=False)
    titles = {e.data.title for e in kb.entries.values()}
    assert {"门头沟古村落（测试新增）", "京西古道的历史（测试新增）", "委员读书分享会（测试新增）"} <= titles
    # one record of each collection with only the required options: its optional fields are empty
    bare = {e.collection.name: e for e in kb.entries.values() if "仅必填" in e.data.title}
    assert set(bare) == set(REGISTRY.creatable()) == set(REQUIRED_ONLY)  # every collection `kb new` makes
    assert bare["wenshi"].data.kind is None and bare["lecture"].data.speaker is None
    assert bare["proposal"].data.number is None and bare["proposal"].data.status is None
    assert any(p.data.progress == 40 for p in kb.entries.values() if p.collection.name == "point")


@pytest.mark.parametrize("lang, prefix", [("zh", "/"), ("en", "/en/")], ids=["zh", "en"])
def test_every_page_is_built_in_both_languages(content, content_kb, lang, prefix):
    """Every public page (translated or not) has its page in each language, marked with its language."""
    assert content_kb.entries
    for entry in content_kb.entries.values():
        url = prefix + entry.url
        path = page_file(content.site, url)
        assert path.is_file(), f"{entry.src} has no page at {url}"
        html = path.read_text("utf-8")
        assert "<article" in html, f"{url} has no article"
        assert re.search(rf'<html[^>]*\blang="{lang}"', html), f"{url} is not marked lang={lang}"


def test_hidden_pages_are_not_built(content, content_kb):
    for src in content_kb.hidden:
        zh_src, _ = model.split_lang(src)
        stem = zh_src[: -len(".md")]
        for prefix in ("", "en/"):
            assert not (content.site / prefix / stem / "index.html").exists(), f"{src} was published"


def _target(site: Path, path: str) -> Path:
    rel = unquote(path).lstrip("/")
    target = site / rel
    return target / "index.html" if rel == "" or rel.endswith("/") or target.is_dir() else target


def test_every_link_resolves(content):
    """Every href and src of every built page names a file of the site (external links aside)."""
    site = content.site
    broken = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for html_file in pages:
        rel = html_file.relative_to(site).as_posix()
        page_url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for el in parse_html(html_file.read_text("utf-8")).iter("a", "link", "script", "img"):
            ref = el.attrs.get("href") if el.tag in ("a", "link") else el.attrs.get("src")
            if not ref or ref.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                continue
            target = urlsplit(urljoin(BASE + page_url, ref))
            if f"{target.scheme}://{target.netloc}" != BASE:
                continue  # another site (or the configured site_url, checked by the feed tests)
            if not _target(site, target.path).is_file():
                broken.append(f"{page_url} -> {ref}")
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:10]}"


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["zh", "en"])
def test_every_public_page_is_searchable_and_nothing_hidden(content, content_kb, prefix):
    found = search_locations(content.site)

    def excluded(src: str) -> bool:  # Material's `search: {exclude: true}` in the front matter
        return bool((front_matter_of(content.docs / src)[0].get("search") or {}).get("exclude"))

    # an English page without a translation repeats the Chinese text: left out of the English index
    missing = [
        e.src
        for e in content_kb.entries.values()
        if prefix + e.url not in found and not excluded(e.src) and (not prefix or "en" in e.translations)
    ]
    assert missing == [], f"public pages missing from the search index: {missing[:10]}"
    hidden = {prefix + model.split_lang(src)[0][: -len(".md")] + "/" for src in content_kb.hidden}
    assert not (hidden & found), hidden & found
