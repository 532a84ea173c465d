"""The navigation rendered once per folder (scripts/kb/adapter/nav_cache.py) is the navigation
Material renders for each page: a build with the cache and one without are the same byte for byte."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb_testlib import assert_same_site, build_with_switch
from scripts.kb.adapter import nav_cache


def test_site_is_the_same_without_the_cache(real_site, tmp_path):
    assert_same_site(real_site, build_with_switch(tmp_path, {"KB_NAV_CACHE": "off"}))


@dataclass(eq=False)
class Page:
    url: str


@dataclass(eq=False)
class Section:
    children: list
    url: None = None


@dataclass(eq=False)
class Nav:
    items: list
    pages: list = field(default_factory=list)
    homepage: Page | None = None


def _nav():
    home, lectures, plan = Page(""), Page("lectures/"), Page("plan/2024/")
    nav = Nav([home, Section([plan]), lectures], [home, plan, lectures], home)
    return nav, lectures, plan


def test_pages_share_their_folders_navigation():
    nav, lectures, plan = _nav()
    cache = nav_cache.NavCache()
    one, two, other = Page("lectures/a/"), Page("lectures/b/"), Page("events/c/")
    assert cache.key(one, nav) == cache.key(two, nav) == ("lectures",)
    assert cache.key(other, nav) == ("events",)
    cache.keep(cache.key(one, nav), "<nav>lectures</nav>")
    assert cache.get(cache.key(two, nav)) == "<nav>lectures</nav>"
    assert cache.get(cache.key(other, nav)) is None


def test_listed_pages_and_folders_holding_a_listed_page_get_their_own():
    nav, lectures, plan = _nav()
    cache = nav_cache.NavCache()
    assert cache.key(lectures, nav) is None and cache.key(plan, nav) is None  # marked active there
    assert cache.key(Page("plan/"), nav) is None  # plan/2024/ is inside its folder: a link differs
    assert cache.key(None, nav) is None  # the 404 page
    cache.keep(("lectures",), "x")
    nav2, *_ = _nav()
    assert cache.key(Page("lectures/a/"), nav2) == ("lectures",)
    assert cache.get(("lectures",)) is None  # another build (language, rebuild): nothing kept
