"""The reader tools for older readers (issue 18 item 3; docs/assets/kb-reader.js, kb-reader.css):
the 大字 / Large text switch in the header and the 朗读 / Read aloud bar, in real Chromium.

Large text: operated from the keyboard, its state in aria-pressed, kept on the next page
(localStorage); in that mode the article's text is at least 24 px with a line height of at least
1.3, paragraphs are at least 1.3 line heights apart, every control is at least 44×44 px, and axe
finds nothing, in both languages at a phone and a desktop width.

Read aloud: window.speechSynthesis is replaced by a recorder (the test machine has no voices), so
the test sees what would be spoken and in which language; pause, resume and stop reach the engine.
Where the browser has no speech synthesis the bar is not shown.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_a11y import describe
from test_geometry import text_overlaps

from kb_browser import DESKTOP, PAGES, PHONE, goto

AXE = Axe()
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
LARGE_ON = "localStorage.setItem('kb-large-text', '1');"
POINT = dict((kind, (zh, en)) for kind, zh, en in PAGES)["point"]
LABELS = {"zh": "大字", "en": "Large text"}

# Records every utterance instead of speaking it, and every call of pause, resume and cancel.
SPEECH_STUB = """
(() => {
  const log = window.__kbSpeech = {spoken: [], calls: []};
  const stub = {
    speaking: false, paused: false, pending: false,
    speak(u) { log.spoken.push({text: u.text, lang: u.lang}); this.speaking = true; },
    pause() { log.calls.push("pause"); this.paused = true; },
    resume() { log.calls.push("resume"); this.paused = false; },
    cancel() { log.calls.push("cancel"); this.speaking = false; this.paused = false; },
    getVoices() { return []; },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", {value: stub, configurable: true});
})();
"""
NO_SPEECH = "delete Window.prototype.speechSynthesis; delete window.speechSynthesis;"

# The article's text blocks: their computed size and line height, and the gaps between paragraphs
# that follow each other.
TEXT_METRICS_JS = """
() => {
  const article = document.querySelector("article.md-content__inner");
  const blocks = Array.from(article.querySelectorAll("p, li, dd, dt, td, th, figcaption, caption, h1, h2, h3"))
    .filter(el => el.offsetHeight && !el.closest(".kb-speech") && el.innerText.trim());
  const text = blocks.map(el => {
    const s = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), text: el.innerText.trim().slice(0, 30),
            size: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize)};
  });
  const gaps = [];
  for (const p of article.querySelectorAll("p + p")) {
    const before = p.previousElementSibling;
    if (!p.offsetHeight || !before.offsetHeight) continue;
    const line = parseFloat(getComputedStyle(before).lineHeight);
    gaps.push({text: p.innerText.trim().slice(0, 30), gap: p.getBoundingClientRect().top - before.getBoundingClientRect().bottom, line});
  }
  return {text, gaps};
}
"""

# Controls a reader clicks or taps, shown on screen, smaller than 44×44 px. Links inside the
# article's text are inline targets (WCAG 2.5.5's exception: they sit in sentences and lists
# of text and grow with it); the article's tags and buttons are counted.
SMALL_CONTROLS_JS = """
() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest("article") && el.matches("a") && !el.matches(".md-tag, .md-button")) continue;
    if (el.matches('input[type=checkbox], input[type=radio]') && getComputedStyle(el).display === "none") continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;  // not shown
    if (r.right <= 0 || r.left >= innerWidth) continue;  // off-canvas (the closed drawer)
    let hidden = false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility !== "visible" || parseFloat(s.opacity) === 0 || s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)") { hidden = true; break; }
    }
    if (hidden) continue;
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) {
      small.push(`${el.tagName.toLowerCase()}.${el.classList[0] || ""} "${(el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return small;
}
"""


def open_page(new_context, viewport: str, *init_scripts: str):
    """A fresh page at the viewport, with the init scripts; page errors in `page.kb_errors`."""
    context = new_context(viewport=VIEWPORTS[viewport])
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.kb_errors = []
    page.on("pageerror", lambda exc: page.kb_errors.append(str(exc)))
    return page


def large_toggle(page):
    return page.locator(".kb-large-toggle")


def assert_large_text(page, where: str) -> None:
    metrics = page.evaluate(TEXT_METRICS_JS)
    assert metrics["text"], f"{where}: no article text measured"
    small = [t for t in metrics["text"] if t["size"] < 24 - 0.01]
    assert not small, f"{where}: text under 24 px: {small[:5]}"
    tight = [t for t in metrics["text"] if t["lineHeight"] < 1.3]
    assert not tight, f"{where}: line height under 1.3: {tight[:5]}"
    close = [g for g in metrics["gaps"] if g["gap"] < 1.3 * g["line"] - 0.5]
    assert not close, f"{where}: paragraphs closer than 1.3 line heights: {close[:5]}"
    small_controls = page.evaluate(SMALL_CONTROLS_JS)
    assert not small_controls, f"{where}: controls under 44×44 px:\n" + "\n".join(small_controls)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_large_text_switch_by_keyboard_and_kept_on_the_next_page(new_context, lang, viewport):
    page = open_page(new_context, viewport)
    goto(page, POINT[0] if lang == "zh" else POINT[1])
    toggle = large_toggle(page)
    assert toggle.get_attribute("aria-pressed") == "false"
    assert toggle.inner_text().strip() == LABELS[lang]
    before = page.evaluate(TEXT_METRICS_JS)
    assert any(t["size"] < 24 for t in before["text"]), "the normal mode is already large: the test proves nothing"

    # Reach it with Tab, as a keyboard user does, and switch it on with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kb-large-toggle')"):
            break
    else:
        raise AssertionError("the large-text switch is not reachable with Tab")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert_large_text(page, f"{page.url} after switching on")

    # The next page opens large, with the switch showing its state.
    with page.expect_navigation(wait_until="load"):
        page.locator(".kb-kicker a").click()
    assert page.evaluate("document.documentElement.classList.contains('kb-large')")
    assert large_toggle(page).get_attribute("aria-pressed") == "true"
    assert_large_text(page, f"{page.url} (the next page)")

    # Space switches it off again, and that too is kept.
    large_toggle(page).focus()
    page.keyboard.press("Space")
    assert large_toggle(page).get_attribute("aria-pressed") == "false"
    page.reload(wait_until="load")
    assert large_toggle(page).get_attribute("aria-pressed") == "false"
    assert not page.evaluate("document.documentElement.classList.contains('kb-large')")
    assert page.kb_errors == []


LARGE_CASES = [
    pytest.param(path, viewport, id=f"{lang}-{kind}-{viewport}")
    for kind, zh, en in PAGES
    if kind in ("home", "point", "tasks", "wenshi-record", "lectures", "guide")
    for lang, path in (("zh", zh), ("en", en))
    for viewport in VIEWPORTS
]


@pytest.mark.parametrize(("path", "viewport"), LARGE_CASES)
def test_large_mode_is_accessible_and_nothing_overlaps(new_context, path, viewport):
    """axe with all its rules, the sizes above and the overlap check, on each kind of page in the
    large mode. (The normal mode: test_a11y.py and test_geometry.py.)"""
    page = open_page(new_context, viewport, LARGE_ON)
    goto(page, path)
    page.evaluate("document.fonts.ready.then(() => true)")
    assert large_toggle(page).get_attribute("aria-pressed") == "true"
    violations = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, f"{path} at {viewport}, large text:\n{describe(violations)}"
    assert_large_text(page, f"{path} at {viewport}")
    overlaps = text_overlaps(page)["overlaps"]
    assert not overlaps, f"{path} at {viewport}, large text:\n" + "\n".join(overlaps)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_read_aloud_speaks_the_article_with_pause_and_stop(new_context, lang, viewport):
    page = open_page(new_context, viewport, SPEECH_STUB)
    goto(page, POINT[0] if lang == "zh" else POINT[1])
    bar = page.locator(".kb-speech")
    start = bar.locator("[data-kb-speech=start]")
    pause = bar.locator("[data-kb-speech=pause]")
    stop = bar.locator("[data-kb-speech=stop]")
    assert start.is_visible() and not pause.is_visible() and not stop.is_visible()
    start.click()
    spoken = page.evaluate("window.__kbSpeech.spoken")
    heading = page.locator("article h1").inner_text().strip()
    first_paragraph = page.locator("article > p:not(.kb-kicker)").first.inner_text().strip()
    text = "".join(u["text"] for u in spoken)
    assert heading in text, (heading, spoken[:5])
    assert first_paragraph[:40] in text.replace(" ", "") or first_paragraph[:40] in text, (first_paragraph, spoken)
    assert all(len(u["text"]) <= 160 for u in spoken), "utterances too long for speech engines"
    assert not any(u["text"] in ("朗读本页", "Read aloud") for u in spoken), "the bar reads itself"
    # The page's language picks the voice.
    expected = "zh-CN" if lang == "zh" else "en"
    heading_lang = next(u["lang"] for u in spoken if u["text"] in heading or heading in u["text"])
    assert heading_lang == expected
    assert page.evaluate("document.activeElement.dataset.kbSpeech") == "pause"

    page.keyboard.press("Enter")  # pause, from the keyboard
    assert page.evaluate("window.__kbSpeech.calls").count("pause") == 1
    assert pause.inner_text().strip() == ("继续" if lang == "zh" else "Resume")
    pause.click()  # resume
    assert page.evaluate("window.__kbSpeech.calls")[-1] == "resume"
    assert pause.inner_text().strip() == ("暂停" if lang == "zh" else "Pause")
    stop.click()
    assert page.evaluate("window.__kbSpeech.calls")[-1] == "cancel"
    assert start.is_visible() and not pause.is_visible() and not stop.is_visible()
    assert page.kb_errors == []


def test_read_aloud_is_not_offered_without_speech_synthesis(new_context):
    page = open_page(new_context, "phone", NO_SPEECH)
    goto(page, POINT[0])
    assert page.evaluate("typeof window.speechSynthesis") == "undefined"
    assert page.locator(".kb-speech").count() == 0
    assert large_toggle(page).is_visible()
    assert page.kb_errors == []
