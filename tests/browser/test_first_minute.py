"""A reader's first minute (issue 30): what a member or a citizen opening a shared link meets first,
in real Chromium at a phone (390 px) and a desktop (1280 px) width, in both languages, with large
text off and on.

- page titles and the plan's text quoted on index pages have a contrast of at least 7:1, measured
  from the colours the browser computes (alpha composited over the backgrounds behind them);
"""

from __future__ import annotations

import pytest

from kb_browser import DESKTOP, PHONE

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


def visit(page, path: str, status: int = 200):
    response = page.goto(path, wait_until="load")
    assert response is not None and response.status == status, f"{path}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")
    return response


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
TITLED = ["/", "/plan/2024/03/", "/plan/2024/tasks/", "/lectures/", "/wenshi/"]


@pytest.mark.parametrize(("lang", "viewport", "large"), MODES)
def test_titles_and_quoted_plan_text_have_a_contrast_of_at_least_7(new_context, lang, viewport, large):
    page = open_page(new_context, viewport, large)
    quoted = 0
    for path in TITLED:
        visit(page, prefixed(lang, path))
        titles = page.evaluate(CONTRAST_JS, "article h1")
        quotes = page.evaluate(CONTRAST_JS, "article blockquote")
        assert titles, f"{path}: no title measured"
        quoted += len(quotes)
        faint = [t for t in titles + quotes if t["ratio"] < 7]
        assert not faint, f"{prefixed(lang, path)} at {viewport}, large text {large}: under 7:1: {faint[:5]}"
    assert quoted, "no quoted plan text measured (the lectures and wenshi pages quote their work point)"
