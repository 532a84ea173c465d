"""The English edition: every Chinese page has an English page (translated, or the Chinese text
under a fallback notice), metadata comes from the Chinese page only, generated listings carry
English labels, the language switcher links resolve, stale translations are reported by
`kb check`, and the English search index holds English words."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from kb_testlib import (
    DOCS,
    KNOWN_RECORDS,
    MONTHS,
    ROOT,
    build_tree,
    known_docs,
    normalize,
    page_article,
    page_file,
    page_html,
    parse_html,
    write_tree,
)
from scripts.kb.collections import REGISTRY
from scripts.kb.content import vocab
from scripts.kb.outputs import search

STRINGS = REGISTRY.words()  # the words of the site and of every collection
EN = STRINGS["en"]
BASE = "https://example.invalid"  # any origin: used only to resolve relative links


# --- the docs tree, read directly (independently of scripts/kb) ---------------------------------


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8-sig")
    match = re.match(r"\A---\n(.*?)\n---\n?(.*)\Z", text, re.S)
    assert match, f"{path} has no front matter"
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def url_of(src: str) -> str:
    """Directory URL (relative to the language root) of a docs-relative Chinese source."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


# The public site's pages (a members-only page, such as the editors' guide, is not built there).
CHINESE_PAGES = sorted(
    p.relative_to(DOCS).as_posix()
    for p in DOCS.rglob("*.md")
    if not p.name.endswith(".en.md") and not re.search(r"^visibility: members$", p.read_text("utf-8"), re.M)
)
TRANSLATED = [src for src in CHINESE_PAGES if (DOCS / (src[: -len(".md")] + ".en.md")).is_file()]
# The fixture's records are all translated, so the fallback is exercised on the known docs with
# these translations removed (fixture `fallback_site`).
UNTRANSLATED = ["plan/2024/05.md", "wenshi/sanqin-accounts.md", "events/2024-qingming-memorial.md"]
ISSUE_PAGES = [
    "index.md",
    "plan/2024/index.md",
    "plan/2024/notice.md",
    "wenshi/index.md",
    "lectures/index.md",
    "guide/index.md",
]
POINTS = sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / "plan" / "2024").glob("[0-9][0-9].md"))
EN_PLAN, _ = front_matter(DOCS / "plan" / "2024" / "index.en.md")
EN_HEADINGS = {s["number"]: s["heading"] for s in EN_PLAN["sections"]}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def test_the_pages_the_english_edition_needs_are_translated():
    """The notice, the overview, all fifteen points, the series pages, home and guide."""
    assert len(POINTS) == 15
    translated = [p for p in ISSUE_PAGES if (DOCS / (p[: -len(".md")] + ".en.md")).is_file()]
    missing = [src for src in POINTS if src not in TRANSLATED] + sorted(set(ISSUE_PAGES) - set(translated))
    assert not missing, missing
    assert all((KNOWN_RECORDS / (src[: -len(".md")] + ".en.md")).is_file() for src in UNTRANSLATED), (
        "the fallback fixture removes translations that the known records have"
    )


@pytest.fixture(scope="module")
def fallback_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("fallback")
    docs = known_docs(tmp)
    for src in UNTRANSLATED:
        (docs / (src[: -len(".md")] + ".en.md")).unlink()
    return build_tree(docs, tmp)


# --- resolving links in the built site --------------------------------------------------------


def page_url(site: Path, html_file: Path) -> str:
    rel = html_file.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def resolve(page: str, href: str) -> str:
    """The site path (from the root, with a leading /) that `href` on `page` points to."""
    return urlsplit(urljoin(BASE + page, href)).path


def target_file(site: Path, path: str) -> Path:
    rel = path.lstrip("/")
    return Path(site) / rel / "index.html" if rel == "" or rel.endswith("/") else Path(site) / rel


def assert_resolves(site: Path, page: str, href: str) -> str:
    path = resolve(page, href)
    assert target_file(site, path).is_file(), f"{page}: link {href!r} -> {path}, which is not in the built site"
    return path


def translation_note(site: Path, url: str):
    note = next((d for d in page_article(site, url).iter("div") if "kb-translation-note" in d.classes()), None)
    assert note is not None, f"{url} has no translation notice (div.kb-translation-note)"
    return note


# --- every Chinese page has an English page ---------------------------------------------------


@pytest.mark.parametrize("src", CHINESE_PAGES)
def test_every_chinese_page_has_an_english_page(real_site, src):
    path = page_file(real_site, "/en/" + url_of(src))
    assert path.is_file(), f"docs/{src} has no English page: {path} was not built"
    assert re.search(r'<html[^>]*\blang="en"', path.read_text("utf-8")), f"/en/{url_of(src)} is not marked lang=en"


def chinese_excerpt(src: str) -> str:
    """The first line of text of a Chinese page's body, without Markdown quoting."""
    _, body = front_matter(KNOWN_RECORDS / src)
    for line in body.splitlines():
        line = line.strip().lstrip(">").strip()
        if line and not line.startswith("<!--"):
            return line
    return ""


@pytest.mark.parametrize("src", UNTRANSLATED)
def test_untranslated_page_shows_the_fallback_notice_and_the_chinese_text(fallback_site, src):
    real_site = fallback_site
    url = "/en/" + url_of(src)
    meta, _ = front_matter(KNOWN_RECORDS / src)
    note = translation_note(real_site, url)
    assert normalize(EN["untranslated"]) in note.text()
    assert "Unofficial translation" not in note.text()
    text = page_article(real_site, url).text()
    assert meta["title"] in text, f"{url} does not show the Chinese title"
    excerpt = chinese_excerpt(src)
    assert excerpt and normalize(excerpt) in text, f"{url} does not show the Chinese text {excerpt!r}"
    # the notice links to the Chinese page
    link = next((a for a in note.iter("a") if a.attrs.get("hreflang") == "zh"), None)
    assert link is not None, f"{url}: the fallback notice has no link to the Chinese page"
    assert assert_resolves(real_site, url, link.attrs["href"]) == "/" + url_of(src)


@pytest.mark.parametrize("src", TRANSLATED)
def test_translated_page_shows_the_unofficial_translation_notice(real_site, src):
    url = "/en/" + url_of(src)
    note = translation_note(real_site, url)
    assert "Unofficial translation" in note.text()
    assert normalize(EN["untranslated"]) not in page_article(real_site, url).text()
    link = next((a for a in note.iter("a") if a.attrs.get("hreflang") == "zh"), None)
    assert link is not None, f"{url}: the notice has no link to the Chinese original"
    assert assert_resolves(real_site, url, link.attrs["href"]) == "/" + url_of(src)


@pytest.mark.parametrize("src", TRANSLATED)
def test_translated_page_shows_the_english_title(real_site, src):
    meta, _ = front_matter(DOCS / (src[: -len(".md")] + ".en.md"))
    title = parse_html(page_html(real_site, "/en/" + url_of(src))).find("title")
    assert title is not None
    expected = meta["title"]
    if re.fullmatch(r"plan/\d{4}/\d{2}\.md", src):  # a point's title says which year's plan it is in
        year, number = src.split("/")[1], int(src.split("/")[2][:2])
        expected = f"{year} work points, no. {number}: {expected}"
    shown = "".join(c for c in title.children if isinstance(c, str)).strip()
    if src == "index.md":  # the home page is titled with the site's name, once
        assert shown == expected
    else:
        assert shown.startswith(expected + " - ")


@pytest.mark.parametrize("src", CHINESE_PAGES)
def test_chinese_pages_carry_no_translation_notice(real_site, src):
    article = page_article(real_site, "/" + url_of(src))
    assert not any("kb-translation-note" in d.classes() for d in article.iter("div"))


# --- metadata has one source --------------------------------------------------------------------


def meta_values(site: Path, url: str) -> dict[str, object]:
    """{dt text: dd element} of the record header (dl.kb-meta)."""
    dl = page_article(site, url).find("dl", class_="kb-meta")
    assert dl is not None, f"{url} has no record header (dl.kb-meta)"
    out = {}
    for div in dl.children:
        if getattr(div, "tag", None) == "div":
            dt_el, dd_el = div.find("dt"), div.find("dd")
            out[dt_el.text()] = dd_el
    return out


@pytest.mark.parametrize("src", POINTS)
def test_english_point_page_takes_status_and_section_from_the_chinese_page(real_site, src):
    zh, _ = front_matter(DOCS / src)
    en, _ = front_matter(DOCS / (src[: -len(".md")] + ".en.md"))
    assert not {"status", "section", "progress", "lead_unit"} & set(en), (
        "an English page carries no metadata of its own"
    )
    url = "/en/" + url_of(src)
    values = meta_values(real_site, url)
    status = zh.get("status", "not-reported")
    if status == "not-reported":  # said once, quietly, in English (issue 30), not as a status row
        assert EN["status"] not in values
        quiet = [p.text() for p in page_article(real_site, url).iter("p") if "kb-unreported" in p.classes()]
        assert quiet == [EN["progress_unreported"]]
    else:
        assert values[EN["status"]].text() == vocab.ALL["status"].label(status, "en")
    section = values[EN["section"]]
    expected = f"{ROMAN[zh['section']]}. {EN_HEADINGS[zh['section']]}"
    assert section.text() == normalize(expected)
    # the section links to the English overview
    link = section.find("a")
    assert link is not None
    assert assert_resolves(real_site, url, link.attrs["href"]) == "/en/plan/2024/"


def test_english_overview_lists_every_point_with_english_titles_and_numbering(real_site):
    url = "/en/plan/2024/"
    article = page_article(real_site, url)
    headings = [h.text() for h in article.iter("h2")]
    expected_headings = [normalize(f"{ROMAN[n]}. {EN_HEADINGS[n]}") for n in sorted(EN_HEADINGS)]
    assert [h for h in headings if h in expected_headings] == expected_headings, headings
    links = {}
    for a in article.iter("a"):
        path = resolve(url, a.attrs.get("href", ""))
        if re.fullmatch(r"/en/plan/2024/\d\d/", path):
            links.setdefault(path, a.text())
    assert len(links) == 15, sorted(links)
    for src in POINTS:
        zh, _ = front_matter(DOCS / src)
        en, _ = front_matter(DOCS / (src[: -len(".md")] + ".en.md"))
        text = links.get("/en/" + url_of(src))
        assert text is not None, f"the English overview does not link to {src}"
        assert normalize(en["title"]) in text and zh["title"] not in text, text
        label = zh.get("label") or f"{zh['number']}."
        assert text.startswith(normalize(label)), text
        assert target_file(real_site, "/en/" + url_of(src)).is_file()
    # no Chinese section numbering in the English overview
    assert not any(re.match(r"[一二三四五六七八九十]+、", h) for h in headings)


# --- English labels on generated pages ----------------------------------------------------------


def test_english_task_table_headers(real_site):
    table = page_article(real_site, "/en/plan/2024/tasks/").find("table")
    assert table is not None
    headers = [th.text() for th in table.iter("th")]
    reported = [EN[k] for k in ("lead_unit", "cooperating_units", "status", "progress", "deadline", "latest_milestone")]
    # the plan's columns, then those of the fields some point reports, in this order
    assert headers[:2] == [EN["point"], EN["section"]] and headers[2:] == [h for h in reported if h in headers]
    cells = [td.text() for td in table.iter("td")]
    assert normalize(EN["not_recorded"]) not in cells
    assert "尚未记录" not in " ".join(cells) and "未填报" not in " ".join(cells)


def event_months(docs: Path = DOCS) -> list[str]:
    """English month headings expected on the events page, from docs/events front matter."""
    months = set()
    for path in (docs / "events").glob("*.md"):
        if path.name.startswith("index") or path.name.endswith(".en.md"):
            continue
        meta = front_matter(path)[0]
        if meta.get("visibility") == "members" or meta.get("draft"):
            continue
        when = meta["when"]
        if isinstance(when, int):
            continue
        year, month = (when.year, when.month) if hasattr(when, "year") else map(int, str(when).split("-")[:2])
        months.add((year, month))
    return [f"{MONTHS[m - 1]} {y}" for y, m in sorted(months)]


def test_english_event_month_headings(content):
    headings = [h.text() for h in page_article(content.site, "/en/events/").iter("h2")]
    expected = event_months(content.docs)
    assert "February 2024" in expected
    assert [h for h in headings if h in expected] == expected, headings
    assert not any(re.search(r"\d{4}年", h) for h in headings), headings


def test_english_wenshi_group_headings(content):
    """On the live docs and on the edited copy, whose new record has no kind: its group is headed
    "Not recorded yet", after the kinds in vocabulary order."""
    statuses_of = {}  # kind -> the statuses of its records
    for path in (content.docs / "wenshi").glob("*.md"):
        if path.name.startswith("index") or path.name.endswith(".en.md"):
            continue
        meta = front_matter(path)[0]
        if meta.get("visibility") == "members" or meta.get("draft"):
            continue
        statuses_of.setdefault(meta.get("kind") or None, set()).add(meta.get("status") or "not-reported")
    article = page_article(content.site, "/en/wenshi/")
    h2 = [h.text() for h in article.iter("h2")]
    h3 = {h.text() for h in article.iter("h3")}
    expected = [vocab.ALL["kind"].label(k, "en") for k in vocab.ALL["kind"].codes if k in statuses_of]
    expected += [normalize(EN["not_recorded"])] if None in statuses_of else []
    # a kind (or a status within one) that every record shares heads nothing
    assert h2 == (expected if len(statuses_of) > 1 else [])
    shared = {s for statuses in statuses_of.values() if len(statuses) > 1 for s in statuses}
    assert h3 == {vocab.ALL["status"].label(s, "en") for s in shared}


def test_english_lecture_index_empty_state(known_site):
    empty = page_article(known_site, "/en/lectures/").find("p", class_="kb-empty")
    assert empty is not None
    assert empty.text() == normalize(EN["lectures_empty"])


# --- the language switcher ----------------------------------------------------------------------


def switcher_links(site: Path, html_file: Path) -> dict[str, str]:
    """hreflang -> href of the header language menu (Material's md-select__link)."""
    tree = parse_html(html_file.read_text("utf-8"))
    links = [a for a in tree.iter("a") if "md-select__link" in a.classes() and a.attrs.get("hreflang")]
    return {a.attrs["hreflang"]: a.attrs.get("href", "") for a in links}


@pytest.fixture(scope="module")
def html_files(real_site) -> list[Path]:
    files = sorted(real_site.rglob("*.html"))
    assert len(files) > 50
    return files


def test_language_switcher_links_resolve_on_every_page(real_site, html_files):
    broken, missing = [], []
    for f in html_files:
        page = page_url(real_site, f)
        links = switcher_links(real_site, f)
        if set(links) != {"zh", "en"}:
            missing.append((page, sorted(links)))
            continue
        for lang, href in links.items():
            path = resolve(page, href)
            if not target_file(real_site, path).is_file():
                broken.append((page, lang, href, path))
    assert missing == [], f"pages without both languages in the language menu: {missing}"
    assert broken == [], f"language links to files that are not in the site: {broken}"


def test_language_switcher_links_the_same_page_in_the_other_language(real_site, html_files):
    wrong = []
    for f in html_files:
        if f.name != "index.html":
            continue
        page = page_url(real_site, f)
        zh_page = page[len("/en") :] if page.startswith("/en/") else page
        links = switcher_links(real_site, f)
        want = {"zh": zh_page, "en": "/en" + zh_page}
        got = {lang: resolve(page, href) for lang, href in links.items()}
        if got != want:
            wrong.append((page, got))
    assert wrong == []


@pytest.mark.parametrize("page", ["/404.html", "/en/404.html"])
def test_not_found_pages_switch_to_the_home_pages(real_site, page):
    """A 404 page is served at any missing URL: its language menu can only lead home."""
    links = switcher_links(real_site, target_file(real_site, page))
    got = {lang: resolve(page, href) for lang, href in links.items()}
    assert got == {"zh": "/", "en": "/en/"}, f"{page}: language menu leads to {got}"


# --- stale translations -------------------------------------------------------------------------


def kb(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts.kb", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def lines_naming(text: str, path: Path) -> list[str]:
    """Lines of `kb check` output that start with a `file:line:` naming `path`."""
    found = []
    for line in text.splitlines():
        m = re.match(r"^(?P<file>.+?\.md):(?P<line>\d+): ", line)
        if m and (ROOT / m.group("file")).resolve() == path.resolve():
            found.append(line)
    return found


@pytest.fixture
def docs_copy(tmp_path) -> Path:
    """The known docs (the fixture's points and records, every translation up to date): an
    editor's work in docs/, such as a lead unit not yet translated, must not break these tests."""
    return known_docs(tmp_path)


def test_known_docs_have_no_stale_translation(docs_copy):
    result = kb("--docs", str(docs_copy), "check", "--strict")
    assert result.returncode == 0, output(result)


def test_changed_chinese_text_makes_its_translation_stale(docs_copy):
    zh = docs_copy / "plan" / "2024" / "05.md"
    en = docs_copy / "plan" / "2024" / "05.en.md"
    text = zh.read_text("utf-8")
    sentence = "全面落实意识形态工作责任制"
    assert sentence in text
    zh.write_text(text.replace(sentence, "全面落实意识形态工作责任制和网络意识形态工作责任制"), "utf-8")

    result = kb("--docs", str(docs_copy), "check")
    assert result.returncode == 0, output(result)  # a warning, not an error
    named = lines_naming(output(result), en)
    assert len(named) == 1, output(result)
    line = named[0]
    assert "警告" in line
    # the line names the Chinese file as well
    chinese = [m for m in re.findall(r"[^\s（）()：:，,]+\.md", line) if (ROOT / m).resolve() == zh.resolve()]
    assert chinese, f"the warning does not name the Chinese file {zh}: {line}"
    # only this translation is stale
    other = [ln for ln in output(result).splitlines() if re.match(r"^.+?\.md:\d+: ", ln) and ln not in named]
    assert other == [], other

    strict = kb("--docs", str(docs_copy), "check", "--strict")
    assert strict.returncode == 1, output(strict)
    assert lines_naming(output(strict), en)

    before = en.read_text("utf-8")
    done = kb("--docs", str(docs_copy), "translated", str(en))
    assert done.returncode == 0, output(done)
    after = en.read_text("utf-8")
    assert after != before
    # only the source_hash line changed
    strip = lambda t: [ln for ln in t.splitlines() if not ln.startswith("source_hash:")]  # noqa: E731
    assert strip(after) == strip(before)

    cleared = kb("--docs", str(docs_copy), "check", "--strict")
    assert cleared.returncode == 0, output(cleared)
    assert lines_naming(output(cleared), en) == []


def test_changed_section_heading_makes_the_plan_translation_stale(docs_copy):
    """The plan's translation also translates its section headings (front matter)."""
    zh = docs_copy / "plan" / "2024" / "index.md"
    en = docs_copy / "plan" / "2024" / "index.en.md"
    meta, _ = front_matter(zh)
    heading = meta["sections"][2]["heading"]
    text = zh.read_text("utf-8")
    assert text.count(heading) == 1
    zh.write_text(text.replace(heading, heading + "（修订）"), "utf-8")
    result = kb("--docs", str(docs_copy), "check", "--strict")
    assert result.returncode == 1, output(result)
    assert len(lines_naming(output(result), en)) == 1, output(result)


def test_changed_metadata_does_not_make_a_translation_stale(docs_copy):
    """Status, progress and the like are not translated: changing them needs no new translation."""
    zh = docs_copy / "plan" / "2024" / "05.md"
    text = zh.read_text("utf-8")
    assert "status: not-reported\n" in text
    zh.write_text(text.replace("status: not-reported\n", "status: in-progress\nprogress: 30\n"), "utf-8")
    result = kb("--docs", str(docs_copy), "check", "--strict")
    assert result.returncode == 0, output(result)


def test_a_new_lead_unit_or_milestone_makes_the_translation_stale(docs_copy):
    """Lead units and milestone notes are translated (they are text readers read), so a new one
    asks for the translation to be updated."""
    zh = docs_copy / "plan" / "2024" / "05.md"
    text = zh.read_text("utf-8")
    for added in ("lead_unit: 区政协机关党组\n", "milestones:\n  - date: 2024-05-01\n    note: 召开座谈会\n"):
        zh.write_text(text.replace("status: not-reported\n", "status: not-reported\n" + added), "utf-8")
        result = kb("--docs", str(docs_copy), "check", "--strict")
        assert result.returncode == 1, output(result)
        assert "译文可能已过期" in output(result) and "05.en.md" in output(result)


def test_translation_without_chinese_original_is_an_error(docs_copy):
    orphan = (
        write_tree(docs_copy, {"wenshi/no-such-original.en.md": "---\ntitle: An orphan translation\n---\n\nText.\n"})
        / "wenshi"
        / "no-such-original.en.md"
    )
    result = kb("--docs", str(docs_copy), "check")
    assert result.returncode == 1, output(result)
    named = lines_naming(output(result), orphan)
    assert named, output(result)
    assert not any("警告" in ln for ln in named), "a missing original is an error, not a warning"
    assert "wenshi/no-such-original.md" in named[0]


# --- English search -----------------------------------------------------------------------------


def test_english_search_index_holds_english_words(real_site):
    folder = real_site / "search" / "kb" / "en"
    meta_file = folder / "meta.json"
    assert meta_file.is_file(), f"no English search index: {meta_file}"
    meta = json.loads(meta_file.read_text("utf-8"))
    token = "proposals"
    shard_file = folder / f"t{search.shard_of(token):03d}.json"
    assert shard_file.is_file()
    shard = json.loads(shard_file.read_text("utf-8"))
    assert token in shard, f"{token!r} is not in {shard_file.name}"
    postings = shard[token]
    assert postings and len(postings) % 2 == 0
    # [gap, weight, gap, weight, ...]: document ids are stored as gaps
    doc_ids, last = [], 0
    for gap in postings[0::2]:
        last += gap
        doc_ids.append(last)
    assert doc_ids[0] < meta["docs"] and doc_ids[-1] < meta["docs"]
    chunk = meta["chunk"]
    locations = []
    for doc_id in doc_ids:
        docs = json.loads((folder / f"d{doc_id // chunk:03d}.json").read_text("utf-8"))
        locations.append(docs[doc_id % chunk]["l"])
    assert any(loc.startswith("en/plan/2024/") for loc in locations), locations
    assert all(loc.startswith("en/") for loc in locations), locations


def test_untranslated_records_are_marked_in_english_listings(fallback_site):
    marked = EN["untranslated_mark"]
    events = page_article(fallback_site, "/en/events/").text()
    qingming = front_matter(KNOWN_RECORDS / "events" / "2024-qingming-memorial.md")[0]["title"]
    assert f"{qingming} {marked}" in events
    wenshi = page_article(fallback_site, "/en/wenshi/").text()
    sanqin = front_matter(KNOWN_RECORDS / "wenshi" / "sanqin-accounts.md")[0]["title"]
    assert f"{sanqin} {marked}" in wenshi
    overview = page_article(fallback_site, "/en/plan/2024/").text()
    assert marked in overview
    # a translated record is not marked
    lion = front_matter(KNOWN_RECORDS / "events" / "2024-xingshi-run.en.md")[0]["title"]
    assert lion in events and f"{lion} {marked}" not in events
