"""Strict builds: the real site's pages, search index and navigation; the lecture listing of a
fixture site (tests/fixtures/lectures-site/) in Chinese and English."""

from __future__ import annotations

import posixpath
import re

import pytest
import yaml

from kb_testlib import (
    FIXTURES,
    KNOWN_RECORDS,
    build_tree,
    page_article,
    page_file,
    page_html,
    page_text,
    parse_html,
    search_documents,
)
from kb_testlib import search_locations as _search_locations
from scripts.kb.collections import REGISTRY

LANG_PREFIXES = ["/", "/en/"]
# the fixture's records (tests/fixtures/known-records/), built into `known_site`
WENSHI_SLUGS = sorted(p.stem for p in (KNOWN_RECORDS / "wenshi").glob("*.md") if "." not in p.stem)
REQUIRED = (
    ["", "plan/2024/", "plan/2024/notice/", "plan/2024/full-text/"]
    + [f"plan/2024/{n:02d}/" for n in range(1, 16)]
    + ["wenshi/"]
    + [f"wenshi/{slug}/" for slug in WENSHI_SLUGS]
    + ["lectures/"]
)
STRINGS = REGISTRY.words()  # the words of the site and of every collection
POINT_URL = re.compile(r"(^|/)plan/\d{4}/\d{2}/?$")


def test_fixture_has_wenshi_records():
    assert len(WENSHI_SLUGS) == 5, WENSHI_SLUGS


@pytest.mark.parametrize("prefix", LANG_PREFIXES, ids=["zh", "en"])
@pytest.mark.parametrize("url", REQUIRED)
def test_required_page_is_built(known_site, prefix, url):
    path = page_file(known_site, prefix + url)
    assert path.is_file(), f"{prefix + url} missing: {path}"
    html = path.read_text("utf-8")
    assert "<article" in html
    lang = "en" if prefix == "/en/" else "zh"
    assert re.search(rf'<html[^>]*\blang="{lang}"', html), f"{prefix + url} is not marked lang={lang}"


# --- search -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_locations(real_site):
    return _search_locations(real_site)


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["zh", "en"])
def test_full_text_is_not_searchable(search_locations, prefix):
    assert f"{prefix}plan/2024/full-text/" not in search_locations
    assert not any("full-text" in loc for loc in search_locations)


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["zh", "en"])
def test_point_pages_are_searchable(search_locations, prefix):
    missing = [n for n in range(1, 16) if f"{prefix}plan/2024/{n:02d}/" not in search_locations]
    assert missing == [], f"points missing from the search index: {missing}"
    assert f"{prefix}plan/2024/notice/" in search_locations
    assert f"{prefix}plan/2024/" in search_locations


# --- navigation ---------------------------------------------------------------------------------


def primary_nav_links(site, url: str) -> list[str]:
    """Hrefs of the primary navigation (Material's `md-nav--primary`), resolved against the page."""
    tree = parse_html(page_html(site, url))
    nav = tree.find("nav", class_="md-nav--primary")
    assert nav is not None, f"{url} has no md-nav--primary"
    base = url.strip("/")
    out = []
    for a in nav.iter("a"):
        href = a.attrs.get("href", "")
        if href.startswith(("http:", "https:", "#")) or not href:
            continue
        if href.startswith("/"):
            out.append(href.strip("/") + "/" if href.strip("/") else "")
        else:
            resolved = posixpath.normpath(posixpath.join(base, href))
            out.append("" if resolved == "." else resolved.strip("/") + "/")
    return out


@pytest.mark.parametrize("url, prefix", [("/", ""), ("/en/", "en/")], ids=["zh", "en"])
def test_nav_does_not_list_records(real_site, url, prefix):
    links = primary_nav_links(real_site, url)
    # the sections themselves are there ...
    for expected in ["plan/2024/", "wenshi/", "lectures/"]:
        assert prefix + expected in links, f"{prefix + expected} not in the navigation: {links}"
    # ... a plan year's own pages where that year is open (navigation.prune: one link elsewhere) ...
    assert prefix + "plan/2024/notice/" not in links
    year_links = primary_nav_links(real_site, f"{url}plan/2024/")
    for expected in ["plan/2024/notice/", "plan/2024/full-text/", "plan/2024/tasks/"]:
        assert prefix + expected in year_links, f"{prefix + expected} not in the year's navigation: {year_links}"
    # ... but not the fifteen point pages, nor the wenshi records
    assert [link for link in links if POINT_URL.search(link.rstrip("/"))] == []
    assert [link for link in links if re.search(r"wenshi/[^/]+/$", link)] == []


# --- status badges -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/", "/en/"], ids=["zh", "en"])
def test_overview_status_badges_use_the_css_class(content, prefix):
    # kb.css styles .kb-status--in-progress etc.; each point with a reported status has exactly the
    # class of its status, and a point not reported yet has none (issue 30: empty is not news).
    article = page_article(content.site, prefix + "plan/2024/")
    badges = [span for li in article.iter("li") for span in li.iter("span") if "kb-status" in span.classes()]
    points = sorted((content.docs / "plan" / "2024").glob("[0-9][0-9].md"))
    statuses = [yaml.safe_load(p.read_text("utf-8").split("---")[1]).get("status", "not-reported") for p in points]
    expected = [f"kb-status kb-status--{status}" for status in statuses if status != "not-reported"]
    assert [" ".join(b.classes()) for b in badges] == expected


# --- the lecture index without lectures (the fixture's records have none) ----------------------


@pytest.mark.parametrize("prefix, lang", [("/", "zh"), ("/en/", "en")], ids=["zh", "en"])
def test_lecture_index_without_lectures_shows_empty_state(known_site, prefix, lang):
    article = page_article(known_site, prefix + "lectures/")
    empty = article.find("p", class_="kb-empty")
    assert empty is not None
    assert empty.text() == " ".join(STRINGS[lang]["lectures_empty"].split())


# --- a fixture site with lectures ----------------------------------------------------------------

LECTURES_SITE = FIXTURES / "lectures-site"


@pytest.fixture(scope="module")
def lectures_site(tmp_path_factory):
    return build_tree(LECTURES_SITE, tmp_path_factory.mktemp("lectures-site"))


def listing(site, url: str) -> list[tuple[str, str]]:
    """(tag, text) of the headings and body rows of a listing page, in document order."""
    article = page_article(site, url)
    return [(el.tag, el.text()) for el in article.iter("h2", "h3", "tr") if el.find("th") is None]


def test_lectures_zh_by_year_then_topic_kind(lectures_site):
    assert listing(lectures_site, "/lectures/") == [
        ("h2", "2024年"),
        ("h3", "宣讲政策区情"),
        ("tr", "2024年9月10日 灾后恢复重建政策宣讲 李四 区政府职能部门“一把手”"),
        ("tr", "2024年5月20日 门头沟区2024年重点工作解读 张三 区政府职能部门“一把手”"),
        ("h3", "阐释本土文化"),
        ("tr", "2024年7月1日 京西古道与本土文化 王五 政协文史参事"),
        ("h2", "2023年"),  # its one lecture's topic is said in a line, not a heading over it alone
        ("tr", "2023年11月15日 人工智能前沿 尚未记录 优秀委员"),
    ]


def test_lectures_en_with_english_labels(lectures_site):
    mark = STRINGS["en"]["untranslated_mark"]
    assert listing(lectures_site, "/en/lectures/") == [
        ("h2", "2024"),
        ("h3", "Policy and the district"),
        ("tr", f"10 September 2024 灾后恢复重建政策宣讲 {mark} 李四 Head of a district government department"),
        ("tr", "20 May 2024 The district's key tasks for 2024 张三 Head of a district government department"),
        ("h3", "Local culture"),
        ("tr", f"1 July 2024 京西古道与本土文化 {mark} 王五 CPPCC culture-and-history adviser"),
        ("h2", "2023"),
        ("tr", f"15 November 2023 人工智能前沿 {mark} Not recorded yet Outstanding CPPCC member"),
    ]
    headers = [th.text() for th in page_article(lectures_site, "/en/lectures/").iter("th")][:4]
    assert headers == ["Date", "Topic", "Speaker", "Speaker's role"]


@pytest.mark.parametrize("prefix", ["/", "/en/"], ids=["zh", "en"])
def test_lecture_links_resolve(lectures_site, prefix):
    article = page_article(lectures_site, prefix + "lectures/")
    hrefs = [a.attrs["href"] for tr in article.iter("tr") for a in tr.iter("a")]
    assert len(hrefs) == 4
    for href in hrefs:
        target = posixpath.normpath(posixpath.join(prefix.strip("/"), "lectures", href))
        assert page_file(lectures_site, target).is_file(), f"{prefix}lectures/ links to missing {href}"


def test_draft_lecture_is_not_published(lectures_site):
    assert "lectures/2024-10-01-unpublished.md" in {
        p.relative_to(LECTURES_SITE).as_posix() for p in LECTURES_SITE.rglob("*.md")
    }
    for prefix in ("/", "/en/"):
        assert "尚未定稿的讲座" not in page_text(lectures_site, prefix + "lectures/")
        assert not page_file(lectures_site, prefix + "lectures/2024-10-01-unpublished/").exists()
    docs = search_documents(lectures_site)
    assert not [
        d["location"] for d in docs if "unpublished" in d["location"] or "尚未定稿的讲座" in d["title"] + d["text"]
    ]
    locations = {d["location"].split("#", 1)[0] for d in docs}
    assert {"lectures/2024-09-10-recovery-policy/", "lectures/2024-05-20-district-key-tasks/"} <= locations
    assert "en/lectures/2024-05-20-district-key-tasks/" in locations  # the translated record


def test_lecture_record_page(lectures_site):
    text = page_text(lectures_site, "/lectures/2024-05-20-district-key-tasks/")
    assert "门头沟区2024年重点工作解读" in text
    assert "2024年5月20日" in text
    assert "区政府职能部门“一把手”" in text
    assert "宣讲政策区情" in text
    assert "2024年工作要点 第2项 组织开展学习活动" in text  # the point it names, with its year


def test_point_lists_lectures_that_name_it(lectures_site):
    article = page_article(lectures_site, "/plan/2024/02/")
    related = article.find("ul", class_="kb-related")
    assert related is not None
    # records sorted by collection, then file name (which starts with the date)
    assert [a.text() for a in related.iter("a")] == [
        "门头沟区2024年重点工作解读",
        "京西古道与本土文化",
        "灾后恢复重建政策宣讲",
    ]
    assert "尚未定稿的讲座" not in article.text()
