"""The site's identity (issue 18 items 1, 2 and 5): the footer names who runs the site and links
its filing numbers; every page has its own description, Open Graph and Twitter tags and a share
card; a plan's notice shows its 公文 metadata and search finds it by them.

Two real builds of the live docs: `real_site` (mkdocs.yml as it is: only the owner is set) and one
with every identity key set in `extra:` through a test config, some of them hostile.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from kb_testlib import DOCS, page_html, parse_html, run_kb, search_documents
from scripts.kb.adapter import runner
from scripts.kb.collections.plan import notice_meta
from scripts.kb.content import identity
from scripts.kb.outputs import link_preview, share_cards

SITE_URL = "https://kb.example.invalid/sub/"
IDENTITY = {
    "owner": "政协北京市门头沟区委员会",
    "organizer": "办公室 <b>&\"'",
    "address": '"><script>alert(1)</script>北京市门头沟区新桥大街',
    "phone": "010-1234 5678",
    "email": "office@example.invalid",
    "site_code": "1101090001",
    "icp": "京ICP备12345678号-1",
    "police_record": "京公网安备 11010902000123号",
}


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def _is_english(site: Path, page: Path) -> bool:
    return page.relative_to(site).parts[0] == "en"


def _footer(page: Path):
    root = parse_html(page.read_text("utf-8"))
    block = root.find("div", class_="kb-identity")
    assert block is not None, f"{page}: no identity block in the footer"
    footer = root.find("footer")
    assert footer is not None and block in list(footer.iter("div")), f"{page}: the identity block is not in <footer>"
    return {li.classes()[0].removeprefix("kb-identity__"): li for li in block.iter("li")}


@pytest.fixture(scope="module")
def identity_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("identity") / "site"
    result = runner.build(DOCS, site, env={"KB_SITE_URL": SITE_URL}, extra=IDENTITY)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


# --- 1. the footer ------------------------------------------------------------------------------


def test_every_page_footer_names_the_owner_and_links_the_filings(identity_site):
    pages = _pages(identity_site)
    assert any(_is_english(identity_site, p) for p in pages) and (identity_site / "404.html") in pages
    for page in pages:
        html = page.read_text("utf-8")
        footer = html[html.index("<footer") : html.index("</footer>")]
        assert "Made with" not in html and "squidfunk" not in footer, page
        items = _footer(page)
        assert list(items) == list(identity.KEYS), page
        en = _is_english(identity_site, page)
        label = {"owner": "Owner" if en else "主办单位", "icp": "ICP filing" if en else "ICP备案号"}
        assert items["owner"].text() == f"{label['owner']}{': ' if en else '：'}政协北京市门头沟区委员会", page
        icp = items["icp"].find("a")
        assert icp.attrs["href"] == "https://beian.miit.gov.cn/" and icp.text() == IDENTITY["icp"], page
        assert label["icp"] in items["icp"].text()
        police = items["police_record"].find("a")
        assert police.attrs["href"] == "https://beian.mps.gov.cn/#/query/webSearch?code=11010902000123", page
        assert police.text() == IDENTITY["police_record"]
        assert items["email"].find("a").attrs["href"] == "mailto:office@example.invalid"
        # hostile values are text, never markup
        assert "<script>alert(1)" not in html and "<b>&" not in html, page
        assert items["address"].text().endswith(IDENTITY["address"]), page
        assert items["organizer"].text().endswith(IDENTITY["organizer"]), page
        if en:  # Chinese values on English pages are marked as Chinese
            assert items["owner"].find("span", lang="zh") is not None, page
            assert items["address"].find("span", lang="zh") is not None, page
            assert items["phone"].find("span", lang="zh") is None, page


def test_unset_identity_keys_are_omitted(real_site):
    for page in _pages(real_site):
        html = page.read_text("utf-8")
        assert "Made with" not in html, page
        items = _footer(page)
        assert list(items) == ["owner"], page
        assert "beian" not in html, page


def test_identity_values_that_are_not_text_are_refused_in_chinese():
    with pytest.raises(identity.IdentityError, match=r"mkdocs.yml: extra.phone 应是一段文字"):
        identity.values({"phone": {"a": 1}})
    with pytest.raises(identity.IdentityError, match=r"extra.icp 太长"):
        identity.values({"icp": "京" * 300})
    assert identity.values({}) == {"owner": identity.DEFAULT_OWNER}
    assert identity.values({"owner": "", "phone": 10}) == {"phone": "10"}
    # a police record without digits is shown, but not linked to a search for nothing
    (item,) = [i for i in identity.footer_items({"police_record": "待备案"}, "zh") if i.key == "police_record"]
    assert item.href is None


def test_a_non_text_identity_value_stops_the_build_with_the_key(tmp_path):
    result = runner.build(DOCS, tmp_path / "site", extra={"icp": ["京ICP备1号"]})
    assert result.returncode != 0
    assert "extra.icp 应是一段文字" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_kb_check_refuses_what_the_build_refuses_with_the_line_in_mkdocs_yml(tmp_path, monkeypatch):
    from scripts.kb.content import site_config

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: !ENV [KB_SITE_URL, 'https://example.invalid/']\nextra:\n  owner: 某单位\n"
        "  police_record:\n    - 京公网安备1号\n",
        "utf-8",
    )
    monkeypatch.setattr(site_config, "ROOT", tmp_path)
    (problem,) = site_config.identity_problems()
    assert (problem.path, problem.line) == ("mkdocs.yml", 5)
    assert "extra.police_record 应是一段文字" in problem.message and "列表" in problem.message
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  icp: 京ICP备1号\n", "utf-8")
    assert site_config.identity_problems() == []


def test_the_tools_are_credited_in_the_guide_in_both_languages():
    zh = (DOCS / "guide" / "index.md").read_text("utf-8")
    en = (DOCS / "guide" / "index.en.md").read_text("utf-8")
    for text in (zh, en):
        assert "MkDocs" in text and "Material for MkDocs" in text and "Noto" in text


# --- 2. link previews -----------------------------------------------------------------------------

_META = re.compile(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"')
OG_REQUIRED = ("og:title", "og:description", "og:url", "og:type", "og:locale", "og:image")
OG_IMAGE = ("og:image:width", "og:image:height", "og:image:alt")
TWITTER = ("twitter:card", "twitter:image:alt")  # X takes the title, description and image from Open Graph


def _meta(page: Path) -> dict[str, str]:
    html = page.read_text("utf-8")
    head = html.split("</head>", 1)[0]
    out = {}
    for name, value in _META.findall(head):
        assert name not in out or name == "og:locale:alternate", f"{page}: {name} twice"
        out[name] = parse_html(f'<i title="{value}"></i>').find("i").attrs["title"]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', head)
    out["canonical"] = canonical.group(1) if canonical else ""
    return out


def _site_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path
    assert path.startswith(urlsplit(SITE_URL).path), url
    return site / path[len(urlsplit(SITE_URL).path) :]


def _point_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("plan/*/[0-9][0-9]/index.html"))


def test_every_page_has_complete_open_graph_tags_with_absolute_urls(identity_site):
    for page in _pages(identity_site):
        if page.name == "404.html":
            continue
        meta = _meta(page)
        for key in (*OG_REQUIRED, *OG_IMAGE, *TWITTER, "description", "canonical"):
            assert meta.get(key), f"{page}: no {key}"
        assert meta["og:url"] == meta["canonical"]
        rel = page.parent.relative_to(identity_site).as_posix()
        assert meta["og:url"] == SITE_URL + ("" if rel == "." else rel + "/"), page
        assert meta["og:locale"] == ("en_US" if _is_english(identity_site, page) else "zh_CN"), page
        assert meta["og:image"].startswith(SITE_URL) and meta["twitter:image:alt"] == meta["og:image:alt"]
        assert meta["twitter:card"] == "summary_large_image"
        assert not {"twitter:title", "twitter:description", "twitter:image"} & set(meta), page
        assert len(meta["description"]) <= link_preview.LIMIT, page
        card = _site_file(identity_site, meta["og:image"])
        assert card.is_file(), f"{page}: {meta['og:image']} is not in the site"
        assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630)


def test_point_pages_have_distinct_descriptions_and_cards_of_their_own(identity_site):
    points = _point_pages(identity_site)
    assert points and any(_is_english(identity_site, p) for p in points)
    metas = {p: _meta(p) for p in points}
    descriptions = [m["description"] for m in metas.values()]
    assert len(set(descriptions)) == len(descriptions), descriptions
    assert len({m["og:image"] for m in metas.values()}) == len(points)
    for page, meta in metas.items():
        assert meta["og:type"] == "article"
        # the description is the point's own text, from its first sentence
        article = parse_html(page.read_text("utf-8")).find("article")
        body = next(p for p in article.iter("p") if meta["description"][:12] in p.text())
        assert body.text().startswith(meta["description"].rstrip("…")), page
        with Image.open(_site_file(identity_site, meta["og:image"])) as im:
            assert im.size[0] >= 1200 and im.size[1] >= 630 and im.format == "PNG"


def test_descriptions_and_titles_from_front_matter_are_inert(tmp_path):
    # kb check refuses tags in front matter; quotes and entities are the remaining way out of an
    # attribute
    hostile = '" onload="alert(1)" x=\'&amp;&lt;'
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "wenshi" / "x.md").write_text(
        f"---\ntitle: {json.dumps('题目' + hostile)}\ndescription: {json.dumps('摘要' + hostile)}\n---\n\n正文。\n",
        "utf-8",
    )
    site = tmp_path / "site"
    result = runner.build(docs, site, env={"KB_SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    html = (site / "wenshi" / "x" / "index.html").read_text("utf-8")
    head = html.split("</head>", 1)[0]  # the meta tags: attribute values, escaped
    assert 'onload="alert(1)"' not in head and "&amp;&lt;" not in head.replace("&amp;amp;&amp;lt;", "")
    meta = _meta(site / "wenshi" / "x" / "index.html")
    assert meta["description"] == f"摘要{hostile}" and meta["og:title"] == f"题目{hostile}"


def test_clip_keeps_whole_sentences_and_marks_a_cut():
    assert link_preview.clip("短句。") == "短句。"
    long = "第一句话。" + "很" * 200 + "。"
    assert link_preview.clip(long) == "第一句话。"
    cut = link_preview.clip("很" * 300)
    assert len(cut) == link_preview.LIMIT and cut.endswith("…")
    words = link_preview.clip("word " * 60)
    assert words.endswith("word…") and len(words) <= link_preview.LIMIT


def test_describe_skips_an_addressee_line_and_falls_back_to_a_sentence():
    html = "<p>各单位：</p><p>这是通知的正文，说明了事情的经过。</p>"
    assert link_preview.describe(
        title="t", content_html=html, meta_description=None, site_description="s", by_sentences=False, lang="zh"
    ).startswith("这是通知的正文")
    assert (
        link_preview.describe(
            title="标签",
            content_html="<ul><li>a</li></ul>",
            meta_description=None,
            site_description="站点说明",
            by_sentences=False,
            lang="zh",
        )
        == "标签：站点说明"
    )


# --- share cards ------------------------------------------------------------------------------------


_COLLECTION_FOLDERS = ("plan", "lectures", "events", "wenshi", "proposals")


def _shared(rel: str) -> bool:
    """A page people share, by its address alone: the home page, a collection's index page, a
    plan year, a work point or a record (tags, the guide, a notice, a year's derived pages are not)."""
    parts = rel.removeprefix("en/").removeprefix("en").strip("/").split("/") if rel else []
    parts = [p for p in parts if p]
    if not parts:
        return True
    if parts[0] not in _COLLECTION_FOLDERS:
        return False
    if parts[0] == "plan":
        return len(parts) == 1 or (parts[1].isdigit() and (len(parts) == 2 or parts[2].isdigit()))
    return len(parts) <= 2


@pytest.fixture(scope="module")
def card_site(tmp_path_factory) -> Path:
    """docs/ and one lecture more, written by `kb new` and not translated."""
    root = tmp_path_factory.mktemp("cards")
    docs = root / "docs"
    shutil.copytree(DOCS, docs)
    made = run_kb("new", "lecture", "--title", "未译讲座的分享图片", "--date", "2024-06-01", docs=docs)
    assert made.returncode == 0, made.stdout + made.stderr
    result = runner.build(docs, root / "site", env={"KB_SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def _rel(site: Path, page: Path) -> str:
    rel = page.parent.relative_to(site).as_posix()
    return "" if rel == "." else rel + "/"


def test_shared_pages_have_cards_of_their_own_and_the_rest_show_the_sites(card_site):
    site_card = {
        lang: _meta(card_site / prefix / "index.html")["og:image"] for lang, prefix in (("zh", ""), ("en", "en"))
    }
    assert site_card["zh"] != site_card["en"]
    shared, other = {}, {}
    for page in _pages(card_site):
        if page.name == "404.html":
            continue
        rel = _rel(card_site, page)
        (shared if _shared(rel) else other)[rel] = _meta(page)
    assert any(r.removeprefix("en/").startswith("tags/") for r in other), sorted(other)
    assert any(re.search(r"plan/\d{4}/(tasks|full-text)/$", r) for r in other), sorted(other)
    assert any(re.search(r"plan/\d{4}/\d\d/$", r) for r in shared) and any(r.startswith("lectures/") for r in shared)
    for rel, meta in other.items():
        lang = "en" if rel.startswith("en/") else "zh"
        assert meta["og:image"] == site_card[lang], rel
        assert meta["og:image:alt"] == meta["og:site_name"], rel  # the site's card shows the site's name
    for rel, meta in shared.items():
        lang = "en" if rel.startswith("en/") else "zh"
        if rel.removeprefix("en/") in ("", "en"):
            continue
        assert meta["og:image"] not in site_card.values(), rel
        assert meta["og:image:alt"] == meta["og:title"], rel
    # each shared page in its own language has a card of its own (titles differ in docs/)
    own = [m["og:image"] for r, m in shared.items() if not r.startswith("lectures/2024-06-01")]
    assert len(set(own)) > 0.9 * len(own)


def test_an_untranslated_page_shows_its_chinese_pages_card(card_site):
    (zh,) = card_site.glob("lectures/2024-06-01-*/index.html")
    en = card_site / "en" / zh.parent.relative_to(card_site) / "index.html"
    zh_meta, en_meta = _meta(zh), _meta(en)
    assert zh_meta["og:title"] == en_meta["og:title"] == "未译讲座的分享图片"
    assert en_meta["og:image"] == zh_meta["og:image"] and en_meta["og:image:alt"] == "未译讲座的分享图片"
    assert en_meta["og:locale"] == "en_US"
    # a translated page has a card in its own language
    (point,) = card_site.glob("plan/*/01/index.html")
    translated = card_site / "en" / point.parent.relative_to(card_site) / "index.html"
    assert _meta(translated)["og:image"] != _meta(point)["og:image"]


def test_cards_are_two_bit_pngs_of_1200_by_630(card_site):
    """The smallest format every chat app shows: PNG (WebP is not shown by all), three colours
    (the site's red, white and the step between for the letters' edges) in two bits a pixel."""
    cards = sorted((card_site / share_cards.FOLDER).iterdir())
    assert len(cards) > 20
    for card in cards:
        data = card.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        assert data[24] == 2 and data[25] == 3, card  # bit depth 2, colour type 3 (palette)
        with Image.open(card) as im:
            assert im.size == (1200, 630) and im.format == "PNG"
            colours = {c for _, c in im.getcolors()}
            assert colours == {0, 1, 2}, card  # the red field, the letters' edges, white letters
        assert len(data) < 20_000, (card, len(data))  # 16-level 4-bit cards reached 28 KB


def test_every_card_in_the_site_is_shown_and_every_card_shown_is_there(card_site):
    shown = {_site_file(card_site, _meta(p)["og:image"]) for p in _pages(card_site) if p.name != "404.html"}
    assert all(card.is_file() for card in shown)
    assert set((card_site / share_cards.FOLDER).iterdir()) == shown


def test_share_cards_are_cached_by_content(tmp_path):
    cache = share_cards.CardCache(tmp_path / "cache")
    card = share_cards.Card(
        "2024年工作要点 第5项：深化落实政协党建“两个全覆盖”要求", "知识库", "主办单位：某单位", "zh"
    )
    first = cache.publish(card, tmp_path / "site")
    assert cache.finish() == 1 and cache.made == 1
    again = share_cards.CardCache(tmp_path / "cache").publish(card, tmp_path / "site2")
    assert first == again and (tmp_path / "site2" / again).is_file()  # from the cache, at once
    with Image.open(tmp_path / "site" / first) as im:
        assert im.size == (1200, 630)
    other = cache.publish(share_cards.Card("另一个标题", "知识库", "主办单位：某单位", "zh"), tmp_path / "site")
    assert not (tmp_path / "site" / other).exists()  # drawn by finish(), before the site is published
    assert cache.finish() == 1 and other != first and cache.made == 2 and (tmp_path / "site" / other).is_file()


def _cards(n: int) -> list:
    return [share_cards.Card(f"第{i}项：深化落实政协党建要求", "知识库", "主办单位：某单位", "zh") for i in range(n)]


def test_cards_drawn_in_the_pool_are_those_drawn_here(tmp_path, monkeypatch):
    monkeypatch.setattr(share_cards.CardCache, "POOL_AFTER", 2)
    monkeypatch.setattr(share_cards.CardCache, "BATCH", 2)  # two tasks of two, the last card sent by finish()
    here = share_cards.CardCache(tmp_path / "here", processes=1)
    monkeypatch.setattr(here, "_workers", lambda: 0)  # no pool: every card drawn in this process
    pooled = share_cards.CardCache(tmp_path / "pooled", processes=1)
    cards = _cards(5)
    for card in [*cards, cards[0]]:  # one card on two pages: drawn once, put in both places
        here.publish(card, tmp_path / "site-here")
        pooled.publish(card, tmp_path / "site-pooled")
    assert pooled._pool is not None and here._pool is None
    assert here.finish() == pooled.finish() == 5
    assert pooled._pool is None  # the workers are gone with the build
    names = sorted(p.name for p in (tmp_path / "site-here" / share_cards.FOLDER).iterdir())
    assert names == sorted(p.name for p in (tmp_path / "site-pooled" / share_cards.FOLDER).iterdir())
    assert len(names) == 5
    for name in names:
        assert (tmp_path / "site-here" / share_cards.FOLDER / name).read_bytes() == (
            tmp_path / "site-pooled" / share_cards.FOLDER / name
        ).read_bytes()


def test_cards_are_drawn_here_when_the_pool_cannot_start(tmp_path, monkeypatch):
    monkeypatch.setattr(share_cards.CardCache, "POOL_AFTER", 2)
    monkeypatch.setattr(share_cards.CardCache, "BATCH", 2)
    monkeypatch.setattr(share_cards, "_start_pool", lambda workers: None)
    cache = share_cards.CardCache(tmp_path / "cache", processes=1)
    rels = [cache.publish(card, tmp_path / "site") for card in _cards(4)]
    assert cache.finish() == 4
    assert all((tmp_path / "site" / rel).is_file() for rel in rels)


def test_long_titles_wrap_inside_the_card_and_end_with_an_ellipsis():
    image = Image.new("RGB", (10, 10))
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    font, lines = share_cards._fit(draw, "政协" * 200, 1040, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 1040 for line in lines)
    font, lines = share_cards._fit(draw, "https://example.invalid/" + "a" * 300, 1040, 4)
    assert len(lines) == 4 and all(draw.textlength(line, font=font) <= 1040 for line in lines)
    font, lines = share_cards._fit(draw, "Deepen the implementation of the requirement", 1040, 4)
    assert " ".join(lines) == "Deepen the implementation of the requirement"


def test_a_missing_cjk_font_is_reported_with_the_package_to_install(monkeypatch):
    share_cards.font_file.cache_clear()
    monkeypatch.setattr(share_cards, "KNOWN_FONTS", {"bold": ["/nonexistent.ttc"], "regular": ["/nonexistent.ttc"]})
    monkeypatch.setattr(share_cards, "_fc_match", lambda pattern: None)
    try:
        with pytest.raises(share_cards.FontMissing, match="fonts-noto-cjk"):
            share_cards.font_file("bold")
    finally:
        share_cards.font_file.cache_clear()


# --- 5. the notice's 公文 metadata -----------------------------------------------------------------


def _doc_meta(site: Path, url: str) -> dict[str, str]:
    article = parse_html(page_html(site, url)).find("article")
    block = article.find("section", class_="kb-doc-meta")
    assert block is not None, f"{url}: no 公文 metadata"
    return {div.find("dt").text(): div.find("dd") for div in block.iter("div")}


def test_the_notice_shows_its_document_metadata_from_the_source(real_site):
    plan_index = (DOCS / "plan" / "2024" / "index.md").read_text("utf-8")
    notice = (DOCS / "plan" / "2024" / "notice.md").read_text("utf-8")
    signature = re.search(r'<p class="kb-signature">(.*?)<br>\s*(.*?)</p>', notice)
    issuer = re.search(r"^issuer: (.*)$", plan_index, re.M).group(1)
    issued = dt.date.fromisoformat(re.search(r"^issued: (.*)$", plan_index, re.M).group(1))

    zh = _doc_meta(real_site, "/plan/2024/notice/")
    assert {k: v.text() for k, v in zh.items()} == {
        "发文机关": signature.group(1),
        "成文日期": signature.group(2),
        "印发机关": issuer,
        "印发日期": f"{issued.year}年{issued.month}月{issued.day}日",
    }
    en = _doc_meta(real_site, "/en/plan/2024/notice/")
    assert list(en) == [
        "Issuing body",
        "Date of the document",
        "Printed and distributed by",
        "Date printed and distributed",
    ]
    assert en["Date printed and distributed"].text() == f"{issued.day} {issued.strftime('%B')} {issued.year}"
    for dd in en.values():  # a Chinese name left untranslated is marked as Chinese
        assert (dd.attrs.get("lang") == "zh") == bool(re.search(r"[\u4e00-\u9fff]", dd.text()))


def test_search_finds_the_notice_by_its_metadata(real_site):
    notice = [d for d in search_documents(real_site) if d["location"].split("#")[0] == "plan/2024/notice/"]
    text = " ".join(d["text"] for d in notice)
    for label in ("发文机关", "成文日期", "印发机关", "印发日期"):
        assert label in text
    english = [d for d in search_documents(real_site) if d["location"].split("#")[0] == "en/plan/2024/notice/"]
    assert "Date printed and distributed" in " ".join(d["text"] for d in english)


def test_only_fields_the_source_has_are_shown():
    assert notice_meta.fields("<p>通知正文。</p>") == {}
    only_signature = notice_meta.fields('<p class="kb-signature">某委员会<br>\n2024年1月12日</p>')
    assert only_signature == {"signatory": "某委员会", "signed": dt.date(2024, 1, 12)}
    html = notice_meta.render({"signatory": "<b>单位</b>"}, "zh")
    assert "<b>" not in html and "&lt;b&gt;单位" in html
    assert notice_meta.render({}, "zh") == ""


def test_cards_foreseen_are_drawn_once_and_put_where_pages_ask(tmp_path, monkeypatch):
    """`foresee` gives the pool the cards pages will ask for before they ask: a page that asks finds
    its card drawing (not sent again) and gets it in its site; a card foreseen that no page asks
    for is drawn into the cache only."""
    monkeypatch.setattr(share_cards.CardCache, "POOL_AFTER", 2)
    monkeypatch.setattr(share_cards.CardCache, "BATCH", 2)
    cache = share_cards.CardCache(tmp_path / "cache", processes=1)
    cards = _cards(5)
    assert cache.foresee(cards) == 5 and cache._pool is not None
    sent = dict(cache._futures)
    rels = [cache.publish(card, tmp_path / "site") for card in cards[:4]]
    assert cache._futures == sent and not cache._unsent  # nothing sent twice
    assert cache.finish() == 4
    assert sorted(p.name for p in (tmp_path / "site" / share_cards.FOLDER).iterdir()) == sorted(
        rel.rpartition("/")[2] for rel in rels
    )
    assert cache.foresee(cards[:4]) == 0  # all in the cache now: nothing to draw
    assert cache.foresee(cards[:1]) == 0  # fewer than POOL_AFTER are left to the pages


def test_the_cards_a_cold_build_foresees_are_the_cards_its_pages_show(tmp_path):
    """A build with an empty card cache draws the cards of the shared pages before the pages ask
    (identity.foresee_cards, from the knowledge base at on_config): each card it draws is one a
    page shows, so foresight draws no card for nothing (a title foreseen otherwise than a page
    shows it would be a card more in the cache)."""
    cache = tmp_path / "cards"
    env = {"KB_SITE_URL": SITE_URL, "KB_CARD_CACHE": str(cache)}
    result = runner.build(DOCS, tmp_path / "site", env=env, verbose=True)
    assert result.returncode == 0, result.stderr[-3000:]
    sent = [int(n) for n in re.findall(r"share cards: (\d+) of \d+ foreseen sent to the pool", result.stderr)]
    assert sent and sent[0] > share_cards.CardCache.POOL_AFTER, sent  # the Chinese pass's, before any page
    drawn = sorted(p.name for p in cache.iterdir())
    shown = sorted(p.name for p in (tmp_path / "site" / share_cards.FOLDER).iterdir())
    assert len(drawn) > share_cards.CardCache.POOL_AFTER and drawn == shown
