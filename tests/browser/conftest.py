"""Browser tests: the real site, built once, served over HTTP and driven with Debian's chromium.

The real docs/ is built once per session with scripts/kb/adapter/runner.py into a temporary folder and
served by Python's http.server on 127.0.0.1 (a free port, a daemon thread). One chromium runs for
the whole session; every test gets a fresh context and page.

Playwright's own browser download does not work here, so Debian's chromium is used
(`apt-get install -y chromium fonts-noto-cjk`; CI's .ci/run installs it). Without it these tests
FAIL rather than skip: a suite that silently skipped in CI would prove nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_browser import DESKTOP, TIMEOUT_MS, WORKER_PROBE_JS, serve_site
from kb_testlib import TEST_SITE_URL
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[2]
FOOTER_IDENTITY = {
    "organizer": "政协北京市门头沟区委员会办公室",
    "address": "北京市门头沟区示例路1号",
    "phone": "010-00000000",
    "email": "office@example.invalid",
    "site_code": "0000000000",
    "icp": "京ICP备00000000号-1",
    "police_record": "京公网安备 00000000000000号",
}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real docs/ built once for the browser tests."""
    tmp = tmp_path_factory.mktemp("browser-site")
    site = tmp / "site"
    # Every identity key of the footer set (issue 18), so that axe and the layout tests see the
    # footer at its fullest; the values are examples, never published.
    # Built for an address, as a published site is (hreflang and canonical links are absolute).
    r = runner.build(ROOT / "docs", site, env={"KB_SITE_URL": TEST_SITE_URL}, extra=FOOTER_IDENTITY)
    assert r.returncode == 0, f"mkdocs build failed:\n{r.stderr}"
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    return site


@pytest.fixture(scope="session")
def members_base_url(tmp_path_factory):
    """The members' edition of the real docs/ (where the editors' guide is), served like the
    public site; built on first use."""
    site = tmp_path_factory.mktemp("browser-members") / "members-site"
    r = runner.build(ROOT / "docs", site, env={"KB_EDITION": "members"}, extra=FOOTER_IDENTITY)
    assert r.returncode == 0, f"mkdocs build of the members' edition failed:\n{r.stderr}"
    with serve_site(site) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(built_site):
    """http://127.0.0.1:PORT serving the built site; shut down when the session ends."""
    with serve_site(built_site) as url:
        yield url


def _new_context(browser, base_url, viewport=DESKTOP, **kwargs):
    context = browser.new_context(base_url=base_url, viewport=viewport, **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(WORKER_PROBE_JS)
    return context


@pytest.fixture
def context(browser, base_url):
    """A fresh browser context (desktop viewport) per test."""
    ctx = _new_context(browser, base_url)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def new_context(browser, base_url):
    """A factory for contexts with other options (viewport, media); all closed after the test."""
    made = []

    def make(**kwargs):
        ctx = _new_context(browser, base_url, **kwargs)
        made.append(ctx)
        return ctx

    try:
        yield make
    finally:
        for ctx in made:
            ctx.close()


@pytest.fixture(scope="module")
def kept_page(browser, base_url):
    """Pages kept for one module's tests, one per key (a viewport's name, a start address), for
    tests that only read what a page shows: each goes to its address in the page already open
    instead of a new context and page. Starting a page's renderer costs Chromium about half a
    second of CPU (measured: ten fresh contexts loading the home page 8.8 CPU-s, ten loads in one
    page 2.7), as much as the rest of such a test; the test's own navigation replaces the document.
    Page errors are collected per page in `page.kb_errors`."""
    kept: dict = {}

    def get(key: str, viewport=DESKTOP, init_script: str | None = None):
        if key not in kept:
            ctx = _new_context(browser, base_url, viewport=viewport)
            if init_script:
                ctx.add_init_script(init_script)
            pg = ctx.new_page()
            errors: list[str] = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.kb_errors = errors
            kept[key] = (ctx, pg)
        return kept[key][1]

    try:
        yield get
    finally:
        for ctx, _ in kept.values():
            ctx.close()


@pytest.fixture
def page(context):
    """A fresh page per test. Uncaught page errors are collected in `page.kb_errors`."""
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.kb_errors = errors
    return pg
