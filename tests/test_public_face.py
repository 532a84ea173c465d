"""What the public site says in its first minute (issue 30), on real builds of the live docs/.

- words a reader sees before reading anything: each page's <title>;
- no made-up address: a build without a configured address (tests, a look at the site) has no
  canonical link, og:url or og:image, and no sitemap, rather than https://example.invalid/; the
  publishing build (`kb build`) refuses to run without the address and names the setting; the
  members' edition's addresses are its own host's, never the public site's;
- empty is not news: a work point with nothing recorded has its text and one quiet line, never a
  stack of "尚未记录"; an empty collection says what it is for, in readers' words, never what
  editors should do;
- words: the owner's English name in the English footer, tags by their English names on English
  pages (from tags.yml, with `kb check` naming a tag that has none), one English date style, and
  quotation marks set close to their words on English share cards;
- the software manual leaves the public face: the editors' guide is in the members' edition only
  (not in the public navigation, home page, search index or sitemap); the feed and the calendar
  are offered in every page's footer, not on the home page.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from kb_testlib import (
    DOCS,
    REQUIRED_ONLY,
    page_article,
    page_html,
    parse_html,
    plan_files,
    run_kb,
    search_locations,
    write_tree,
)
from scripts.kb.adapter import runner, site_commands
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.content import urls
from scripts.kb.content.text import strings
from scripts.kb.content.vocab import ALL as VOCABULARIES
from scripts.kb.outputs import redirects, share_cards
from scripts.kb.outputs.expand import expand_markers
from scripts.kb.outputs.page_view import PageView

SITE_NAMES = {"zh": "政协门头沟区知识库", "en": "Mentougou CPPCC Knowledge Base"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _title(site, url: str) -> str:
    return _TITLE.search(page_html(site, url)).group(1).strip()


def test_the_home_page_is_titled_with_the_site_name_once(real_site):
    assert _title(real_site, "/") == SITE_NAMES["zh"]
    assert _title(real_site, "/en/") == SITE_NAMES["en"]
    # every other page: its own title, then the site's name
    assert _title(real_site, "/wenshi/") == f"文史资料 - {SITE_NAMES['zh']}"
    assert _title(real_site, "/en/plan/2024/tasks/").endswith(f" - {SITE_NAMES['en']}")


# --- no made-up address ---------------------------------------------------------------------------

_ADDRESS_TAGS = re.compile(
    r'<link rel="canonical"[^>]*>|<meta (?:property|name)="(?:og:url|og:image[^"]*|twitter:image[^"]*)"[^>]*>'
)


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """`mkdocs build` as it is, without KB_SITE_URL (the tests' other sites have one)."""
    site = tmp_path_factory.mktemp("plain") / "site"
    result = runner.build(DOCS, site, env={"KB_SITE_URL": ""})
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_without_an_address_no_page_carries_a_made_up_one(plain_site):
    real_site = plain_site
    pages = _html_pages(real_site)
    assert len(pages) > 40 and (real_site / "en" / "404.html") in pages
    for page in pages:
        html = page.read_text("utf-8")
        assert "example.invalid" not in html, page
        head = html.split("</head>", 1)[0]
        assert not _ADDRESS_TAGS.findall(head), f"{page}: {_ADDRESS_TAGS.findall(head)}"
    home = page_html(real_site, "/").split("</head>", 1)[0]
    assert '<meta property="og:title"' in home and '<meta name="twitter:card" content="summary">' in home
    # no sitemap rather than one of "None./" or relative paths; nothing else names the placeholder
    assert not list(real_site.rglob("sitemap.xml*"))
    # no share card is drawn that no page could name
    assert not (real_site / "assets" / "cards").exists()
    for path in real_site.rglob("*"):
        if path.is_file() and path.suffix in (".xml", ".ics", ".csv", ".json", ".map"):
            assert b"example.invalid" not in path.read_bytes(), path


def test_a_redirect_page_without_an_address_has_no_canonical_link():
    page = redirects.page("zh", "/wenshi/a/", "/wenshi/b/", "新页", "")
    assert "canonical" not in page and 'url=../b/"' in page and "<span>/wenshi/b/</span>" in page
    with_address = redirects.page("zh", "/wenshi/a/", "/wenshi/b/", "新页", "https://kb.example.gov.cn/sub/")
    assert '<link rel="canonical" href="https://kb.example.gov.cn/sub/wenshi/b/">' in with_address


@pytest.mark.parametrize(
    ("members", "variables", "named"),
    [
        (False, {}, "KB_SITE_URL"),
        (False, {"KB_SITE_URL": "kb.example.gov.cn"}, "KB_SITE_URL"),
        (True, {"KB_SITE_URL": "https://kb.example.gov.cn/"}, "KB_MEMBERS_SITE_URL"),
        (
            True,
            {"KB_SITE_URL": "https://kb.example.gov.cn/", "KB_MEMBERS_SITE_URL": "https://kb.example.gov.cn/m/"},
            "KB_MEMBERS_SITE_URL",
        ),
    ],
    ids=["public-unset", "public-not-a-url", "members-unset", "members-on-the-public-host"],
)
def test_the_publishing_build_refuses_to_run_without_its_address(monkeypatch, capsys, members, variables, named):
    for name in ("KB_SITE_URL", "KB_MEMBERS_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    def no_build(*args, **kwargs):
        raise AssertionError(f"kb build ran {args} without a valid address")

    monkeypatch.setattr(site_commands.subprocess, "run", no_build)
    assert site_commands.build(members=members) == 2
    message = capsys.readouterr().err
    assert named in message and "Traceback" not in message, message


def test_the_publishing_build_runs_mkdocs_strict_with_its_address(monkeypatch):
    monkeypatch.setenv("KB_SITE_URL", "https://kb.example.gov.cn/")
    monkeypatch.setenv("KB_MEMBERS_SITE_URL", "https://members.example.gov.cn/")
    ran = []
    monkeypatch.setattr(site_commands.subprocess, "run", lambda cmd, **kw: ran.append((cmd, kw["env"])) or _Done())
    assert site_commands.build(members=False) == 0 and site_commands.build(members=True) == 0
    (public, public_env), (members, members_env) = ran
    assert public[1:4] == ["-m", "mkdocs", "build"] and "--strict" in public
    assert public_env["KB_EDITION"] == "public" and members_env["KB_EDITION"] == "members"


class _Done:
    returncode = 0


PUBLIC_HOST, MEMBERS_HOST = "https://kb.example.gov.cn/", "https://members.example.gov.cn/"


@pytest.fixture(scope="module")
def members_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("members") / "members-site"
    env = {"KB_EDITION": "members", "KB_SITE_URL": PUBLIC_HOST, "KB_MEMBERS_SITE_URL": MEMBERS_HOST}
    result = runner.build(DOCS, site, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_the_members_edition_uses_its_own_host(members_site):
    site, members = members_site, MEMBERS_HOST
    heads = {p: p.read_text("utf-8").split("</head>", 1)[0] for p in _html_pages(site)}
    point = heads[site / "plan" / "2024" / "03" / "index.html"]
    assert f'<link rel="canonical" href="{members}plan/2024/03/">' in point
    assert f'<meta property="og:url" content="{members}plan/2024/03/">' in point
    assert f'<meta property="og:image" content="{members}assets/cards/' in point
    for page, head in heads.items():
        assert "kb.example.gov.cn" not in head, page
    assert "kb.example.gov.cn" not in (site / "sitemap.xml").read_text("utf-8")


# --- the guide leaves the public face ------------------------------------------------------------


def test_the_guide_is_not_on_the_public_site(real_site):
    assert not (real_site / "guide").exists() and not (real_site / "en" / "guide").exists()
    for page in _html_pages(real_site):
        links = re.findall(r'href="([^"]*)"', page.read_text("utf-8"))
        assert not [h for h in links if re.search(r"(^|/)guide/", h)], f"{page} links to the guide"
    assert not {loc for loc in search_locations(real_site) if "guide/" in loc}
    assert "guide/" not in (real_site / "sitemap.xml").read_text("utf-8")


def test_the_guide_is_in_the_members_edition_and_its_navigation(members_site):
    for prefix, title in (("", "编辑指南"), ("en/", "Editors' guide")):
        assert page_article(members_site, f"/{prefix}guide/").find("h1").text() == title
        home = parse_html(page_html(members_site, f"/{prefix}"))
        nav = home.find("nav", class_="md-nav--primary")
        assert any(a.attrs.get("href", "").endswith("guide/") for a in nav.iter("a")), prefix


def test_feed_and_calendar_are_in_every_footer_not_on_the_home_page(real_site):
    for page in _html_pages(real_site):
        html = page.read_text("utf-8")
        footer = parse_html(html[html.index("<footer") : html.index("</footer>") + 9])
        types = {a.attrs.get("type") for a in footer.iter("a")}
        assert {"application/atom+xml", "text/calendar"} <= types, page
    for home in ("/", "/en/"):
        article = page_article(real_site, home)
        assert not [a for a in article.iter("a") if a.attrs.get("href", "").endswith(("feed.xml", ".ics"))], home


# --- empty is not news ------------------------------------------------------------------------------


def _not_recorded_lines(lang: str) -> list[str]:
    """The words with which a page says that something is not recorded or reported."""
    t = strings()[lang]
    old = {"zh": ["尚无相关记录"], "en": ["No related records yet"]}[lang]  # the empty related section
    return [t["not_recorded"], VOCABULARIES["status"].label("not-reported", lang), t["progress_unreported"], *old]


def test_no_point_page_has_more_than_one_not_recorded_line(real_site):
    points = sorted(real_site.glob("plan/*/[0-9][0-9]/index.html")) + sorted(
        real_site.glob("en/plan/*/[0-9][0-9]/index.html")
    )
    assert len(points) >= 2
    for page in points:
        lang = "en" if page.relative_to(real_site).parts[0] == "en" else "zh"
        article = parse_html(page.read_text("utf-8")).find("article")
        lines = [el.text() for el in article.iter("p", "dd", "li", "td", "h2", "span")]
        found = [text for text in lines if any(word in text for word in _not_recorded_lines(lang))]
        assert len(set(found)) <= 1 and article.text().count(_not_recorded_lines(lang)[0]) == 0, (page, found)


def test_an_unreported_point_says_so_once_quietly_and_shows_what_is_filled(tmp_path):
    files = plan_files(2024)
    docs = write_tree(tmp_path / "docs", {**files, "index.md": "---\ntitle: 首页\n---\n\n首页\n"})
    kb = load_knowledge_base(docs, with_history=False)
    t = strings()["zh"]
    unreported, in_progress = kb.entries["plan/2024/02.md"], kb.entries["plan/2024/01.md"]
    view_of = kb.registry.extension(unreported.collection).view or PageView  # the collection's own view
    view = view_of(unreported, "zh", urls.url(unreported.src), kb, t)
    assert view.progress_unreported
    labels = [row.label for row in view.header_rows]
    assert t["section"] in labels and t["status"] not in labels and t["lead_unit"] not in labels
    assert not [row for row in view.header_rows if row.missing]
    assert t["lead_unit"] in view.unfilled and t["progress"] in view.unfilled  # for editors' hints
    # a reported status is shown, with no quiet line; the fields still empty are left out
    view = view_of(in_progress, "zh", urls.url(in_progress.src), kb, t)
    assert not view.progress_unreported
    rows = {row.label: row for row in view.header_rows}
    assert rows[t["status"]].text == VOCABULARIES["status"].label("in-progress", "zh") and t["lead_unit"] not in rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_collections_say_what_they_are_for_not_what_editors_do(tmp_path, lang):
    docs = write_tree(tmp_path / "docs", {**plan_files(2024), "index.md": "---\ntitle: 首页\n---\n\n首页\n"})
    kb = load_knowledge_base(docs, with_history=False)
    editors = re.compile(r"编辑|指南|front matter|editor|guide|kb new", re.I)
    for marker, folder, key in (
        ("lecture-index", "lectures", "lectures_empty"),
        ("proposal-index", "proposals", "proposals_empty"),
        ("wenshi-index", "wenshi", "wenshi_empty"),
        ("event-index", "events", "events_empty"),
    ):
        shown = expand_markers(f"<!-- kb:{marker} -->\n", kb, f"{folder}/index.md", lang)
        assert strings()[lang][key] in shown.replace("\\", ""), (marker, shown)
        assert not editors.search(strings()[lang][key]), (marker, strings()[lang][key])


# --- words ---------------------------------------------------------------------------------------------


def test_the_english_footer_names_the_owner_in_english(real_site):
    for url, expected in (
        ("/", "主办单位：政协北京市门头沟区委员会"),
        ("/en/", "Owner: Mentougou District Committee of the CPPCC, Beijing"),
    ):
        html = page_html(real_site, url)
        footer = parse_html(html[html.index("<footer") : html.index("</footer>") + 9])
        owner = footer.find("li", class_="kb-identity__owner")
        assert owner.text() == expected, url
        assert owner.find("span", lang="zh") is None, url  # each in its page's language


def _tags(site: Path, url: str) -> list[tuple[str, str | None]]:
    nav = page_article(site, url).find("nav", class_="md-tags")
    return [(t.text(), t.attrs.get("lang")) for t in nav.iter("a", "span") if "md-tag" in t.classes()]


def test_english_pages_show_tags_by_their_english_names(tmp_path):
    docs = tmp_path / "docs"
    files = plan_files(2024)
    files["plan/2024/01.md"] = files["plan/2024/01.md"].replace(
        "status: in-progress", "status: in-progress\n            tags: [理论学习, 新标签]"
    )
    write_tree(docs, {**files, "index.md": "---\ntitle: 首页\n---\n\n首页\n"})
    (tmp_path / "tags.yml").write_text("en:\n  理论学习: Theoretical study\n", "utf-8")
    site = tmp_path / "site"
    result = runner.build(docs, site, nav=[{"首页": "index.md"}, {"工作要点": "plan/index.md"}])
    assert result.returncode == 0, result.stderr[-3000:]
    assert _tags(site, "/plan/2024/01/") == [("新标签", None), ("理论学习", None)]
    # translated in English; the tag without a name stays Chinese, marked as Chinese
    assert sorted(_tags(site, "/en/plan/2024/01/")) == [("Theoretical study", None), ("新标签", "zh")]
    result = run_kb("check", docs=docs)
    assert "docs/plan/2024/01.md:" in result.stdout and "标签“新标签”还没有英文名称" in result.stdout
    assert "tags.yml" in result.stdout and "理论学习”还没有" not in result.stdout
    feed = (site / "en" / "feed.xml").read_text("utf-8")
    assert '<category term="Theoretical study"/>' in feed and '<category term="理论学习"/>' not in feed


def test_every_tag_of_the_live_docs_has_an_english_name():
    result = run_kb("check", docs=DOCS)
    assert "还没有英文名称" not in result.stdout, result.stdout


def test_the_tags_kb_new_writes_have_english_names(tmp_path):
    """A record made with `kb new` as the README shows it carries its collection's own tags (a
    proposal: 提案): they have English names, so adding a record brings no warning. (Adding each
    kind in a fresh clone found 提案 without one.)"""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    shutil.copy(DOCS.parent / "tags.yml", tmp_path / "tags.yml")  # the English names, beside docs/
    for name, args in REQUIRED_ONLY.items():
        made = run_kb("new", name, *args, docs=docs)
        assert made.returncode == 0, made.stdout + made.stderr
    result = run_kb("check", docs=docs)
    assert "还没有英文名称" not in result.stdout, result.stdout


def test_english_dates_have_one_style(tmp_path, real_site):
    us = re.compile(
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}"
    )
    for page in _html_pages(real_site / "en"):
        found = us.search(page.read_text("utf-8"))
        assert not found, f"{page}: {found.group(0)}"
    docs = write_tree(tmp_path / "docs", {**plan_files(2024), "index.md": "---\ntitle: 首页\n---\n\n首页\n"})
    english = docs / "plan" / "2024" / "01.en.md"
    english.write_text(english.read_text("utf-8") + "\nAdopted on January 11, 2024.\n", "utf-8")
    result = run_kb("check", docs=docs)
    assert "docs/plan/2024/01.en.md:7:" in result.stdout and "11 January 2024" in result.stdout, result.stdout


def _ink_gaps(card) -> list[int]:
    """The blank columns between the pieces of ink across the card's title area, left to right."""
    image = share_cards.render(card).convert("L")
    pixels = image.load()
    columns = [x for x in range(image.width) if any(pixels[x, y] > 128 for y in range(140, 560))]
    return [b - a - 1 for a, b in zip(columns, columns[1:], strict=False) if b - a > 1]


def test_english_share_cards_set_quotation_marks_close_to_their_words():
    """Noto Sans CJK draws “ ” full-width: an English title read "say   “  Hello  ”   now". The
    widest gap on the line is now a word space, as in Latin type; Chinese cards keep the
    full-width marks that Chinese text uses (and their files' names)."""
    title = "say “Hello” now"
    size = 72  # a short title is set at the largest size
    english = max(_ink_gaps(share_cards.Card(title, "Site", "", "en")))
    chinese = max(_ink_gaps(share_cards.Card(title, "Site", "", "zh")))
    assert english < 0.45 * size < chinese, (english, chinese)
    assert share_cards.Card("标题", "站点", "主办单位：某单位", "zh").key() == _key_before(
        "标题", "站点", "主办单位：某单位", "zh"
    )


def _key_before(title: str, site: str, footer: str, lang: str) -> str:
    """A card's file name as it was named before English cards had their own layout."""
    data = "\0".join([share_cards.VERSION, share_cards._fonts_fingerprint(), lang, title, site, footer])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]
