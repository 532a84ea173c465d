"""What a page view costs and leaves behind, read from Chromium's request log and console, on every
kind of page in both languages: no failed request and no console error; nothing fetched that the
page does not use (Material used to fetch sitemap.xml for every <link rel="alternate">); the feed
and the language versions still declared in the HTML, language versions with absolute URLs.

And how generated tables read on a 390 px phone: no cell narrower than four characters (the task
table used to squeeze its columns to one character per line); wider tables scroll sideways."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from kb_browser import DESKTOP, PAGES, PHONE, goto

CASES = [pytest.param(path, id=f"{lang}-{kind}") for kind, zh, en in PAGES for lang, path in (("zh", zh), ("en", en))]


def _load(new_context, path, viewport=DESKTOP):
    page = new_context(viewport=viewport).new_page()
    requests, failures, console = [], [], []
    page.on("pageerror", lambda exc: console.append(f"uncaught: {exc}"))
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.url}: HTTP {r.status}"))
    page.on("console", lambda m: m.type in ("error", "warning") and console.append(f"{m.type}: {m.text}"))
    goto(page, path)
    page.wait_for_load_state("networkidle")
    return page, requests, failures, console


@pytest.mark.parametrize("path", CASES)
def test_page_view_fetches_only_what_it_uses(new_context, base_url, path):
    page, requests, failures, console = _load(new_context, path)
    assert not failures, f"{path}: failed requests:\n" + "\n".join(failures)
    assert not console, f"{path}: console messages:\n" + "\n".join(console)
    own = [urlsplit(u).path for u in requests if u.startswith(base_url)]
    sitemaps = [u for u in own if u.endswith("sitemap.xml")]
    assert not sitemaps, f"{path}: fetched {sitemaps}, which the page does not use"
    feeds = [u for u in own if u.endswith("feed.xml")]
    assert not feeds, f"{path}: fetched {feeds}"

    # Still declared for crawlers and feed readers, as the server sent it.
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert feed.count() == 1, f"{path}: the Atom feed is not declared in <head>"
    hreflangs = page.locator('head link[rel="alternate"][hreflang]')
    assert sorted(hreflangs.evaluate_all("els => els.map(l => l.hreflang)")) == ["en", "zh"], path
    for href in hreflangs.evaluate_all("els => els.map(l => l.getAttribute('href'))"):
        assert urlsplit(href).scheme in ("http", "https"), f"{path}: hreflang URL {href!r} is not absolute"


def test_search_dialog_is_named(new_context):
    for path in ("/", "/en/"):
        page, *_ = _load(new_context, path)
        name = page.locator('.md-search[role="dialog"]').get_attribute("aria-label")
        assert name and name.strip(), f"{path}: Material's search dialog has no accessible name"


# Every kind of page, and the plan archive. Tables are generated from front matter (listings, the
# task table, the archive, the guide's field reference); the pages named here must have one, so
# the test cannot pass by finding none.
TABLE_PAGES = [(zh, en) for _, zh, en in PAGES] + [("/plan/", "/en/plan/")]
TABLE_PAGES = [p for pair in TABLE_PAGES for p in pair]
WITH_TABLES = {p for kind, zh, en in PAGES if kind in ("tasks", "wenshi", "events", "guide") for p in (zh, en)}
WITH_TABLES |= {"/plan/", "/en/plan/"}

# Each cell's width in characters: a CJK character is one em wide.
_CELL_WIDTHS_JS = """() => Array.from(document.querySelectorAll('.md-typeset table'), (table, i) => {
  const cells = Array.from(table.querySelectorAll('th, td'), c => {
    const em = parseFloat(getComputedStyle(c).fontSize);
    return [c.getBoundingClientRect().width / em, c.textContent.trim().slice(0, 24)];
  });
  const wrap = table.closest('.md-typeset__scrollwrap, .kb-table-wrap') || table.parentElement;
  const x = wrap.getBoundingClientRect();
  return {i, cells, overflow: getComputedStyle(wrap).overflowX, wrapRight: x.right,
          scrollable: wrap.scrollWidth > wrap.clientWidth + 1};
})"""


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_generated_tables_read_on_a_phone(kept_page, path):
    page = kept_page("phone", PHONE)
    goto(page, path)
    page.evaluate("document.fonts.ready.then(() => true)")
    tables = page.evaluate(_CELL_WIDTHS_JS)
    assert tables or path not in WITH_TABLES, f"{path}: no table found"
    for t in tables:
        narrow = [(round(w, 1), text) for w, text in t["cells"] if w < 4]
        assert not narrow, f"{path}: table {t['i']} has cells narrower than 4 characters at 390 px: {narrow[:5]}"
        # Wider than the screen: it scrolls inside its wrapper, and the page itself does not.
        if t["scrollable"]:
            assert t["overflow"] in ("auto", "scroll"), f"{path}: table {t['i']} overflows without scrolling"
            assert t["wrapRight"] <= PHONE["width"] + 1, f"{path}: table {t['i']}'s wrapper is wider than the screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{path}: the page scrolls sideways"
