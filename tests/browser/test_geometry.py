"""No two pieces of text overlap, on every kind of page (kb_browser.PAGES), in both languages, at a
phone and a desktop width, in the normal and the large-text mode.

Each text node's boxes come from a Range's client rects (one per line fragment), clipped to the
boxes of the ancestors that clip or scroll their content (a code block scrolled sideways, Material's
sidebars) and to the page; text that is not shown is left out (display:none, visibility, opacity 0,
`hidden`, and the visually-hidden clip used for screen-reader-only text). Two boxes of different text
nodes that share more than 1 px in both directions are an overlap: each is reported with the two
texts, their elements and the size of the shared area.

The page is measured at rest: every scrolled box is scrolled back to its start first. Material
scrolls a long navigation sidebar to its current entry, and the sidebar's sticky title then covers
the entries scrolled beneath it, by design (it has the page's background); that is not text
laid over text."""

from __future__ import annotations

import pytest

from kb_browser import DESKTOP, PAGES, PHONE, goto

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

OVERLAPS_JS = """
() => {
  const style = el => getComputedStyle(el);
  function notShown(el) {
    if (style(el).visibility !== "visible") return true;
    for (let e = el; e; e = e.parentElement) {
      const s = style(e);
      if (s.display === "none" || parseFloat(s.opacity) === 0 || e.hasAttribute("hidden")) return true;
    }
    return false;
  }
  // The area an element's content can be seen in: the page, narrowed by every ancestor that
  // clips (overflow other than visible, clip, clip-path). Visually hidden text has none.
  function visibleArea(el) {
    const root = document.documentElement;
    let box = {l: 0, t: 0, r: root.scrollWidth, b: root.scrollHeight};
    for (let e = el; e && e !== root; e = e.parentElement) {
      const s = style(e);
      if (s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)") return null;
      if (s.overflowX === "visible" && s.overflowY === "visible" && s.clip === "auto" && s.clipPath === "none") continue;
      const r = e.getBoundingClientRect();
      box = {l: Math.max(box.l, r.left + scrollX), t: Math.max(box.t, r.top + scrollY),
             r: Math.min(box.r, r.right + scrollX), b: Math.min(box.b, r.bottom + scrollY)};
    }
    return box;
  }
  for (const el of document.querySelectorAll("*")) {
    if (el.scrollTop || el.scrollLeft) { el.scrollTop = 0; el.scrollLeft = 0; }
  }
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    {acceptNode: n => /\\S/.test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  for (let n, k = 0; (n = walker.nextNode()); k++) {
    const el = n.parentElement;
    if (!el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName) || notShown(el)) continue;
    const area = visibleArea(el);
    if (!area) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      const b = {l: Math.max(area.l, r.left + scrollX), t: Math.max(area.t, r.top + scrollY),
                 r: Math.min(area.r, r.right + scrollX), b: Math.min(area.b, r.bottom + scrollY)};
      if (b.r - b.l < 1 || b.b - b.t < 1) continue;
      const where = el.tagName.toLowerCase() + (el.classList.length ? "." + el.classList[0] : "");
      boxes.push({b, node: k, where, text: n.data.trim().slice(0, 40)});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i].node === boxes[j].node) continue;
      const a = boxes[i].b, b = boxes[j].b;
      const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (w > 1 && h > 1) {
        found.push(`${boxes[i].where} "${boxes[i].text}" and ${boxes[j].where} "${boxes[j].text}" ` +
                   `share ${Math.round(w)}×${Math.round(h)} px`);
      }
    }
  }
  return {count: boxes.length, overlaps: found};
}
"""


def text_overlaps(page) -> dict:
    """The number of text boxes measured and the overlapping pairs (see the module's docstring)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(OVERLAPS_JS)


CASES = [
    pytest.param(path, viewport, id=f"{lang}-{kind}-{viewport}")
    for kind, zh, en in PAGES
    for lang, path in (("zh", zh), ("en", en))
    for viewport in VIEWPORTS
]


@pytest.mark.parametrize(("path", "viewport"), CASES)
def test_no_text_overlaps_other_text(kept_page, path, viewport):
    page = kept_page(viewport, VIEWPORTS[viewport])
    goto(page, path)
    result = text_overlaps(page)
    assert result["count"] >= 5, f"{path}: only {result['count']} text boxes found; the measurement is broken"
    assert not result["overlaps"], f"{path} at {viewport}:\n" + "\n".join(result["overlaps"])


def test_the_measurement_finds_an_overlap(page, base_url):
    """The check is not blind: a point page with the kicker pulled onto the heading (the bug it
    was written for) is reported."""
    goto(page, PAGES[2][1])
    page.add_style_tag(content=".kb-kicker { margin-bottom: -1.2rem !important; }")
    overlaps = text_overlaps(page)["overlaps"]
    assert any("kb-kicker" in o or "h1" in o for o in overlaps), overlaps
