"""A reader's first minute (issue 30): what a member or a citizen opening a shared link meets first,
in real Chromium at a phone (390 px) and a desktop (1280 px) width, in both languages, with large
text off and on.

- the site's name is shown whole in the header (not cut with an ellipsis, not under a button);
- page titles and the plan's text quoted on index pages have a contrast of at least 7:1, measured
  from the colours the browser computes (alpha composited over the backgrounds behind them);
- no text outside a scrolling table leaves the screen (the task table's note, captions), and a
  table wider than the screen says that it scrolls;
- a missing address answers 404 with the page of its language, which leads home and to the plan,
  opens the search, offers nothing to read aloud, and passes axe with all its rules;
- switching on large text with the mouse leaves no menu open under the pointer;
- the editors' guide is not on the public site; in the members' edition it is in the navigation
  and passes axe, with large text off and on.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_a11y import describe

from kb_browser import DESKTOP, GUIDE, PHONE

AXE = Axe()

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LARGE_ON = "localStorage.setItem('kb-large-text', '1');"
MODES = [
    pytest.param(lang, viewport, large, id=f"{lang}-{viewport}-{'large' if large else 'normal'}")
    for lang in ("zh", "en")
    for viewport in VIEWPORTS
    for large in (False, True)
]
SITE_NAME = {"zh": "政协门头沟区知识库", "en": "Mentougou CPPCC Knowledge Base"}


def prefixed(lang: str, path: str) -> str:
    return path if lang == "zh" else "/en" + path


def open_page(new_context, viewport: str, large: bool):
    context = new_context(viewport=VIEWPORTS[viewport])
    if large:
        context.add_init_script(LARGE_ON)
    page = context.new_page()
    page.kb_errors = []
    page.on("pageerror", lambda exc: page.kb_errors.append(str(exc)))
    return page


def kept(kept_page, viewport: str, large: bool):
    """A page kept for the module's tests that only look (conftest.kept_page), at the viewport,
    with large text on or off; page errors in `page.kb_errors`, emptied for each test."""
    page = kept_page(f"{viewport}-{large}", VIEWPORTS[viewport], LARGE_ON if large else None)
    page.kb_errors.clear()
    return page


def visit(page, path: str, status: int = 200):
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == status, f"{path}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


# --- the site's name ----------------------------------------------------------------------------

SITE_NAME_JS = """
() => {
  const topic = document.querySelector(".md-header__title .md-header__topic");
  const name = topic.querySelector(".md-ellipsis");
  const range = document.createRange();
  range.selectNodeContents(name);
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
  // Where the name can be seen: the screen, narrowed by every ancestor that clips.
  let area = {l: 0, t: 0, r: innerWidth, b: innerHeight};
  for (let e = name; e && e !== document.documentElement; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.overflowX === "visible" && s.overflowY === "visible") continue;
    const b = e.getBoundingClientRect();
    area = {l: Math.max(area.l, b.left), t: Math.max(area.t, b.top), r: Math.min(area.r, b.right), b: Math.min(area.b, b.bottom)};
  }
  const header = document.querySelector(".md-header").getBoundingClientRect();
  area = {l: Math.max(area.l, header.left), t: Math.max(area.t, header.top), r: Math.min(area.r, header.right), b: Math.min(area.b, header.bottom)};
  const cut = rects.filter(r => r.left < area.l - 0.5 || r.right > area.r + 0.5 || r.top < area.t - 0.5 || r.bottom > area.b + 0.5)
    .map(r => `${Math.round(r.left)}..${Math.round(r.right)} x ${Math.round(r.top)}..${Math.round(r.bottom)}`);
  const controls = Array.from(document.querySelectorAll(".md-header__inner > :not(.md-header__title)"))
    .map(e => e.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0);
  const covered = rects.filter(r => controls.some(c => Math.min(r.right, c.right) - Math.max(r.left, c.left) > 1 &&
                                                      Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top) > 1)).length;
  return {text: name.textContent.trim(), lines: new Set(rects.map(r => Math.round(r.top))).size, cut, covered,
          ellipsis: name.scrollWidth > name.clientWidth + 1, fontSize: parseFloat(getComputedStyle(name).fontSize)};
}
"""


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_the_site_name_is_shown_whole(kept_page, lang, viewport, large):
    page = kept(kept_page, viewport, large)
    for path in ("/", "/plan/2024/03/"):
        visit(page, prefixed(lang, path))
        name = page.evaluate(SITE_NAME_JS)
        where = f"{prefixed(lang, path)} at {viewport}, large text {'on' if large else 'off'}"
        assert name["text"] == SITE_NAME[lang], where
        assert not name["ellipsis"] and not name["cut"], f"{where}: the site's name is cut: {name}"
        assert name["covered"] == 0, f"{where}: a header button covers the site's name: {name}"
        assert name["lines"] <= 2 and name["fontSize"] >= 12, f"{where}: {name}"
    assert page.kb_errors == []


# --- contrast -----------------------------------------------------------------------------------

# Every piece of text in the page's title and in quoted text, with its colour composited over the
# backgrounds behind it, and the contrast ratio (WCAG 2.x relative luminance).
CONTRAST_JS = """
(selector) => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]));
  function background(el) {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let c = [255, 255, 255];
    for (const e of chain) c = over(parse(getComputedStyle(e).backgroundColor), c);
    return c;
  }
  const lum = c => { const l = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: n => /\\S/.test(n.data) ? 1 : 2});
    for (let n; (n = walker.nextNode());) {
      const el = n.parentElement;
      if (!el.offsetWidth && !el.offsetHeight) continue;
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [a, b] = [lum(fg), lum(bg)];
      out.push({text: n.data.trim().slice(0, 20), tag: el.tagName.toLowerCase(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)});
    }
  }
  return out;
}
"""
TITLED = ["/", "/plan/2024/03/", "/plan/2024/tasks/", "/lectures/", "/wenshi/", "/no-such-page/"]


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_titles_and_quoted_plan_text_have_a_contrast_of_at_least_7(kept_page, lang, viewport, large):
    page = kept(kept_page, viewport, large)
    quoted = 0
    for path in TITLED:
        visit(page, prefixed(lang, path), 404 if "no-such" in path else 200)
        titles = page.evaluate(CONTRAST_JS, "article h1")
        quotes = page.evaluate(CONTRAST_JS, "article blockquote")
        assert titles, f"{path}: no title measured"
        quoted += len(quotes)
        faint = [t for t in titles + quotes if t["ratio"] < 7]
        assert not faint, f"{prefixed(lang, path)} at {viewport}, large text {large}: under 7:1: {faint[:5]}"
    assert quoted, "no quoted plan text measured (the lectures and wenshi pages quote their work point)"


# --- the 404 page -------------------------------------------------------------------------------

NOT_FOUND = {
    "zh": ("没有找到这个页面", "首页", "2024年工作要点"),
    "en": ("Page not found", "Home page", "2024 work points"),
}


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_a_missing_page_answers_in_its_language_with_the_way_home(kept_page, lang, viewport, large):
    page = kept(kept_page, viewport, large)
    missing = prefixed(lang, "/plan/2024/no-such-point/")
    visit(page, missing, 404)
    title, home, plan = NOT_FOUND[lang]
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("article h1").inner_text().strip() == title
    assert page.title().startswith(title) and "404 - Not found" not in page.content()
    assert page.locator(".kb-speech").count() == 0, "the 404 page offers reading aloud"
    violations = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, f"{missing} at {viewport}, large text {large}:\n{describe(violations)}"
    # the way on: the plan, then home, each followed as a reader does
    with page.expect_navigation(wait_until="load") as nav:
        page.locator("article").get_by_role("link", name=plan, exact=True).click()
    assert nav.value.status == 200 and page.url.endswith(prefixed(lang, "/plan/2024/"))
    visit(page, missing, 404)
    with page.expect_navigation(wait_until="load") as nav:
        page.locator("article").get_by_role("link", name=home, exact=True).click()
    assert nav.value.status == 200 and page.url.endswith("/" if lang == "zh" else "/en/")
    # the search, opened from the page
    visit(page, missing, 404)
    page.locator("article .kb-open-search").click()
    page.wait_for_function("document.activeElement === document.querySelector('input.md-search__input')")
    assert page.locator("input.md-search__input").is_visible()
    assert page.kb_errors == []


# --- large text leaves no menu open -------------------------------------------------------------

OPEN_MENUS_JS = """
() => Array.from(document.querySelectorAll(".md-select__inner")).filter(m => {
  const s = getComputedStyle(m);
  return s.visibility === "visible" && parseFloat(s.opacity) > 0 && m.getBoundingClientRect().height > 0;
}).map(m => m.innerText.trim().slice(0, 40))
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_switching_large_text_with_the_mouse_leaves_no_menu_open(new_context, lang, viewport):
    page = open_page(new_context, viewport, False)
    visit(page, prefixed(lang, "/plan/2024/03/"))
    toggle = page.locator(".kb-large-toggle")
    box = toggle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.up()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(300)  # Material's menus open on hover, after a transition
    assert page.evaluate(OPEN_MENUS_JS) == [], "a menu opened under the pointer"


# --- the editors' guide: members' edition only --------------------------------------------------


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_the_guide_is_in_the_members_edition_only(kept_page, base_url, members_base_url, lang, viewport, large):
    _, zh, en = GUIDE
    guide = zh if lang == "zh" else en
    page = kept(kept_page, viewport, large)
    visit(page, base_url + guide, 404)
    assert page.locator(f'a[href$="{guide}"], a[href$="guide/"]').count() == 0
    visit(page, members_base_url + guide)
    title = "编辑指南" if lang == "zh" else "Editors' guide"
    active = page.locator("nav.md-nav--primary .md-nav__link--active").all_inner_texts()
    assert title in [t.strip() for t in active], f"the guide is not in the members' navigation: {active}"
    assert page.locator("article h1").inner_text().strip() == title
    violations = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, f"{guide} at {viewport}, large text {large}:\n{describe(violations)}"
    assert page.kb_errors == []


# --- notes inside the screen; a wide table says that it scrolls ---------------------------------

# Text the reader cannot scroll to is text off the screen: every piece of text outside a box that
# scrolls sideways must lie within the page's width (after every scrolled box is put back to its
# start). A caption or a note inside a scrolling table wrapper counts as outside: it must be
# within the wrapper's visible width. A wrapper wider inside than out must have the hint line
# right before it, shown and on the screen; one that fits has none.
SCREEN_JS = """
() => {
  for (const el of document.querySelectorAll("*")) { if (el.scrollLeft) el.scrollLeft = 0; }
  const scrolls = el => { const s = getComputedStyle(el).overflowX; return s === "auto" || s === "scroll"; };
  const shown = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
    if (s.display === "none" || s.visibility === "hidden" || e.hidden || s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)") return false; }
    return true; };
  const article = document.querySelector("article.md-content__inner");
  const width = document.documentElement.clientWidth;
  const off = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {acceptNode: n => /\\S/.test(n.data) ? 1 : 2});
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement;
    if (!shown(el) || el.closest("td, th")) continue;  // cells are what a wrapper scrolls
    let limit = {l: 0, r: width};
    for (let e = el.parentElement; e && e !== article; e = e.parentElement) {
      if (scrolls(e)) { const b = e.getBoundingClientRect(); limit = {l: Math.max(limit.l, b.left), r: Math.min(limit.r, b.right)}; }
    }
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width < 1) continue;
      if (r.left < limit.l - 1 || r.right > limit.r + 1) {
        off.push(`${el.tagName.toLowerCase()}.${el.classList[0] || ""} "${n.data.trim().slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)} (visible ${Math.round(limit.l)}..${Math.round(limit.r)})`);
        break;
      }
    }
  }
  const wrappers = Array.from(article.querySelectorAll(".md-typeset__scrollwrap, .kb-table-wrap")).map(w => {
    const before = w.previousElementSibling;
    const hint = before && before.classList.contains("kb-scroll-hint") ? before : null;
    const box = hint ? hint.getBoundingClientRect() : null;
    return {wide: w.scrollWidth > w.clientWidth + 1, hint: !!hint, hintShown: !!hint && shown(hint) && box.height > 0 && box.left >= 0 && box.right <= width + 1,
            hintText: hint ? hint.textContent.trim() : ""};
  });
  return {off, wrappers};
}
"""
WIDE = ["/plan/2024/tasks/", "/plan/2024/notice/", "/wenshi/", "/plan/", "/plan/2024/03/", "/events/", "/no-such-page/"]
HINTS = {"zh": "表格较宽", "en": "scroll sideways"}


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_notes_stay_on_the_screen_and_wide_tables_say_they_scroll(kept_page, lang, viewport, large):
    page = kept(kept_page, viewport, large)
    wide = 0
    for path in WIDE:
        visit(page, prefixed(lang, path), 404 if "no-such" in path else 200)
        page.wait_for_timeout(100)  # kb-a11y.js measures the tables after the first frame
        found = page.evaluate(SCREEN_JS)
        where = f"{prefixed(lang, path)} at {viewport}, large text {'on' if large else 'off'}"
        assert not found["off"], f"{where}: text off the screen:\n" + "\n".join(found["off"])
        for w in found["wrappers"]:
            assert w["hint"] == w["wide"], (
                f"{where}: a table {'wider' if w['wide'] else 'narrower'} than the screen {'without' if w['wide'] else 'with'} the hint: {w}"
            )
            if w["wide"]:
                wide += 1
                assert w["hintShown"] and HINTS[lang] in w["hintText"], f"{where}: {w}"
    if viewport == "phone":
        assert wide, "no table wider than a phone's screen was found: the hint went untested"
    assert page.kb_errors == []


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_table_note_wraps_within_a_phone_screen(kept_page, lang, large):
    """The task table's note once said what "尚未记录" meant and ran off a 390 px screen; a note of
    any length wraps within what the reader sees of a table that scrolls. (The live note is short
    now: a long one is put in its place.)"""
    page = kept(kept_page, "phone", large)
    visit(page, prefixed(lang, "/plan/2024/tasks/"))
    page.evaluate(
        """() => {
        const caption = document.querySelector(".kb-table-wrap caption");
        caption.textContent = caption.textContent.repeat(8);
        const table = caption.closest("table");
        table.style.minWidth = "60rem";  // as wide as a table with every column reported
        window.dispatchEvent(new Event("resize"));  // as a turned phone would: kb-a11y.js measures again
    }"""
    )
    page.wait_for_timeout(200)
    found = page.evaluate(SCREEN_JS)
    assert not found["off"], "\n".join(found["off"])
    assert found["wrappers"][0]["wide"] and found["wrappers"][0]["hintShown"]
