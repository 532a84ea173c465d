"""The Content-Security-Policy the build writes (site/.csp.conf, included by deploy/nginx.conf),
enforced by Chromium: search, the language switch and the task table's sort buttons still work,
no violation is reported on ordinary pages, and an inline script or handler in a page body does
not run.

The site is the real docs/ plus one lecture whose body carries injected script; it is served
with exactly the header in .csp.conf (tests/test_nginx.py checks that nginx sends that header).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from kb_browser import (
    DESKTOP,
    TIMEOUT_MS,
    WORKER_PROBE_JS,
    goto,
    open_search,
    search_results,
    serve_site,
    type_query,
    url_path,
)
from scripts.kb.adapter import runner
from scripts.kb.outputs import csp

ROOT = Path(__file__).resolve().parents[2]
INJECTED = "/lectures/2024-06-09-injected/"
VIOLATIONS_JS = """
window.__kbViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__kbViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || "")));
"""


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("csp")
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "lectures" / "2024-06-09-injected.md").write_text(
        "---\ntitle: 注入测试\ndate: 2024-06-09\n---\n\n"
        '<img src="../injected-pixel.png" alt="一个像素" onload="window.__kbInjected = \'onload\'">\n\n'
        "<script>window.__kbInjected = 'script';</script>\n\n"
        '<button id="kb-injected" onclick="window.__kbInjected = \'onclick\'">按钮</button>\n\n'
        '<a id="kb-injected-link" href="javascript:window.__kbInjected=\'href\'">链接</a>\n',
        "utf-8",
    )
    # A real image, so its onload handler would fire if handlers ran.
    Image.new("RGB", (1, 1), "white").save(docs / "lectures" / "injected-pixel.png")
    # A photo shown the ordinary way: the build wraps it for the lightbox, whose plugin adds an
    # inline script that the policy must allow (its hash is in .csp.conf).
    (docs / "lectures" / "2024-06-10-photo.md").write_text(
        "---\ntitle: 照片测试\ndate: 2024-06-10\n---\n\n![讲座现场（测试照片）](photo.jpg)\n", "utf-8"
    )
    Image.new("RGB", (1200, 800), "steelblue").save(docs / "lectures" / "photo.jpg", quality=80)
    site = tmp / "site"
    result = runner.build(docs, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


@pytest.fixture(scope="module")
def csp_base_url(csp_site):
    include = (csp_site / csp.INCLUDE_FILE).read_text("utf-8")
    policies = csp.written_policies(include)
    assert len(policies) == 2  # the site's, and scripts by path (the third is for SVG and XML only)
    for policy in policies:
        assert "'unsafe-inline'" not in next(d for d in policy.split(";") if "script-src" in d)

    # Two policies in one header field, as HTTP joins repeated fields: the browser enforces both.
    with serve_site(csp_site, {"Content-Security-Policy": ", ".join(policies)}) as url:
        yield url


@pytest.fixture
def csp_page(browser, csp_base_url):
    context = browser.new_context(base_url=csp_base_url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(WORKER_PROBE_JS)
    context.add_init_script(VIOLATIONS_JS)
    page = context.new_page()
    page.kb_errors = []
    page.on("pageerror", lambda exc: page.kb_errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__kbViolations")


@pytest.mark.parametrize("path", ["/", "/plan/2024/", "/plan/2024/tasks/", "/en/lectures/", "/tags/", "/no-such/"])
def test_ordinary_pages_report_no_violation(csp_page, path):
    response = csp_page.goto(path, wait_until="load")
    assert response.headers.get("content-security-policy")
    csp_page.wait_for_timeout(300)
    assert _violations(csp_page) == [], path
    assert csp_page.kb_errors == [], path


@pytest.mark.parametrize(
    ("start", "query", "expected"), [("/", "任务分解表", "/plan/2024/tasks/"), ("/en/", "lecture", "/en/lectures/")]
)
def test_search_works_under_the_policy(csp_page, start, query, expected):
    goto(csp_page, start)
    open_search(csp_page)
    type_query(csp_page, query)
    _, links = search_results(csp_page)
    assert expected in [url_path(u) for u in links[:5]], links[:5]
    assert _violations(csp_page) == []


def test_language_switch_works_under_the_policy(csp_page):
    goto(csp_page, "/plan/2024/")
    select = csp_page.locator(".md-header .md-select").first
    select.locator("button").hover()
    link = select.locator('a[hreflang="en"]')
    link.wait_for(state="visible")
    with csp_page.expect_navigation(wait_until="load"):
        link.click()
    assert url_path(csp_page.url) == "/en/plan/2024/"
    assert _violations(csp_page) == []


def test_sort_buttons_work_under_the_policy(csp_page):
    goto(csp_page, "/plan/2024/tasks/")
    # the section column: the plan's, there whatever is reported
    button = csp_page.locator("table.kb-sortable thead th > button").nth(1)
    th = csp_page.locator("table.kb-sortable thead th").nth(1)
    before = th.get_attribute("aria-sort")
    button.click()
    after = th.get_attribute("aria-sort")
    assert after in ("ascending", "descending") and after != before
    assert _violations(csp_page) == []


def test_injected_inline_script_and_handlers_are_blocked(csp_page):
    goto(csp_page, INJECTED)
    csp_page.locator("#kb-injected").click()
    csp_page.locator("#kb-injected-link").click()
    csp_page.wait_for_timeout(500)
    assert csp_page.evaluate("window.__kbInjected") is None
    blocked = _violations(csp_page)
    assert any(v.startswith("script-src") for v in blocked), blocked
    assert len(blocked) >= 3, blocked  # the <script>, onload and onclick (and the javascript: link)


def test_lightbox_works_under_the_policy(csp_page):
    goto(csp_page, "/lectures/2024-06-10-photo/")
    photo = csp_page.locator("a.glightbox").first
    photo.click()
    csp_page.wait_for_selector(".glightbox-container .gslide.current img", state="visible")
    csp_page.keyboard.press("Escape")
    csp_page.wait_for_selector(".glightbox-container", state="detached")
    assert _violations(csp_page) == []
    assert csp_page.kb_errors == []


def test_reader_tools_work_under_the_policy(csp_page):
    """大字 and 朗读 (docs/assets/kb-reader.js) are a file of the site, not inline script: both
    work under the policy, and the large-text choice is applied on the next page."""
    csp_page.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {"
        "speak(u) { (window.__kbSpoken = window.__kbSpoken || []).push(u.text); },"
        "cancel() {}, pause() {}, resume() {}, getVoices() { return []; }}});"
    )
    goto(csp_page, "/plan/2024/03/")
    csp_page.locator(".kb-large-toggle").click()
    assert csp_page.locator(".kb-large-toggle").get_attribute("aria-pressed") == "true"
    csp_page.locator(".kb-speech [data-kb-speech=start]").click()
    assert csp_page.evaluate("window.__kbSpoken.length") > 0
    goto(csp_page, "/plan/2024/")
    assert csp_page.evaluate("document.documentElement.classList.contains('kb-large')")
    assert _violations(csp_page) == []
    assert csp_page.kb_errors == []
