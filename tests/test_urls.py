"""The one address rule (scripts/kb/content/urls.py) agrees with MkDocs, which computes the URLs of
the pages it renders itself: every address the project writes (links, feeds, the nginx map,
addresses.txt) is where MkDocs put the page."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from scripts.kb.content import urls

SOURCES = ["index.md", "plan/index.md", "plan/2024/index.md", "plan/2024/01.md", "wenshi/a-b.md", "x/y/z/index.md"]


@pytest.mark.parametrize("src", SOURCES)
def test_url_is_mkdocs_own(src, tmp_path):
    mkdocs_url = File(src, str(tmp_path), str(tmp_path / "site"), use_directory_urls=True).url
    mkdocs_url = "" if mkdocs_url == "./" else mkdocs_url  # the home page: "" relative to the language root
    assert urls.url(src) == mkdocs_url
    assert urls.url(urls.translation_src(src, "en"), "en") == "en/" + mkdocs_url
    assert urls.address(src) == urls.address(urls.translation_src(src, "en")) == "/" + mkdocs_url
    assert src in urls.source_of(urls.address(src))


@pytest.mark.parametrize(
    ("target", "other"),
    [
        ("plan/2024/01/", "plan/2024/02/"),
        ("", "en/plan/"),
        ("wenshi/a.jpg", "wenshi/x/"),
        ("en/", "en/"),
        ("a/b/", "c/d.html"),
    ],
)
def test_relative_url_is_mkdocs_own(target, other):
    assert urls.relative_url(target, other) == get_relative_url(target, other)


def test_language_paths():
    assert urls.split_lang("plan/2024/01.en.md") == ("plan/2024/01.md", "en")
    assert urls.split_lang("plan/2024/01.md") == ("plan/2024/01.md", "zh")
    assert urls.translation_src("plan/2024/01.md", "zh") == "plan/2024/01.md"
    assert [urls.lang_prefix(lang) for lang in urls.LANGS] == ["", "en/"]
    assert (
        urls.lang_of_url("en/plan/") == "en" and urls.lang_of_url("plan/") == "zh" and urls.lang_of_url("en/") == "en"
    )
    assert urls.absolute("https://example.org/kb/", "en/plan/") == "https://example.org/kb/en/plan/"


def test_links_between_pages():
    # raw HTML resolves against the page's directory URL, Markdown against its file
    assert urls.page_href("plan/2024/01.md", "plan/2024/index.md") == "01/"
    assert urls.page_href("plan/2024/index.md", "plan/2024/index.md") == "./"
    assert urls.html_link("plan/2024/a.jpg", "plan/2024/01.md") == "../a.jpg"
    assert urls.source_link("plan/2024/a.jpg", "plan/2024/01.md") == "a.jpg"
    assert urls.to_site_root("plan/2024/01.md", "en") == "../../../../"
    assert urls.to_site_root("index.md", "zh") == ""
