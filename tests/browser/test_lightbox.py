"""Photos in the lightbox, by keyboard: Tab reaches the photo, Enter opens it, Escape closes it and
the focus comes back to the photo; axe-core (all rules) finds nothing with the lightbox closed or
open, in both languages. The real docs/ has no photo yet, so a lecture of the fixture tree gets
two (with alt text and a caption) and the tree is built with the real configuration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import _new_context
from PIL import Image
from test_images import camera_photo

from kb_browser import goto, serve_site
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[2]

LECTURE = "lectures/2024-05-20-district-key-tasks"
AXE = Axe()
OPEN = ".glightbox-container"
MAX_TABS = 80


@pytest.fixture(scope="module")
def photo_base_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lightbox")
    docs = tmp / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")  # the site's CSS (contrast) and scripts
    camera_photo(docs / "lectures/images/hall.jpg", size=(2400, 1600))
    Image.new("RGB", (1200, 800), (40, 90, 140)).save(docs / "lectures/images/audience.png")
    for src, text in (
        (
            f"{LECTURE}.md",
            '![主讲人在会场作报告](images/hall.jpg "区政协会议室")\n\n![听众在会场](images/audience.png)\n',
        ),
        (f"{LECTURE}.en.md", '![The speaker presenting](images/hall.jpg "The meeting room")\n'),
    ):
        page = docs / src
        page.write_text(page.read_text("utf-8") + "\n" + text, "utf-8")
    site = tmp / "site"
    result = runner.build(docs, site, strict=False)  # the English text is now stale: a warning
    assert result.returncode == 0, result.stderr
    with serve_site(site) as url:
        yield url


@pytest.fixture
def photo_page(browser, photo_base_url):
    ctx = _new_context(browser, photo_base_url)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.kb_errors = errors
    try:
        yield page
    finally:
        ctx.close()


def tab_to_photo(page) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('glightbox')"):
            return
    pytest.fail(f"{MAX_TABS} presses of Tab never reached a photo")


def violations(page) -> str:
    """axe-core's violations (all rules), described; empty when there are none."""
    found = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return "\n".join(
        f"{v['id']} ({v.get('impact')}): {v['help']}\n"
        + "\n".join(f"    {n['html'][:160]} {n.get('failureSummary', '')[:200]}" for n in v["nodes"])
        for v in found
    )


@pytest.mark.parametrize("prefix", ["/", "/en/"], ids=["zh", "en"])
def test_lightbox_opens_and_closes_by_keyboard_and_axe_stays_clean(photo_page, prefix):
    page = photo_page
    goto(page, f"{prefix}{LECTURE}/")
    closed = violations(page)
    assert not closed, closed

    tab_to_photo(page)
    alt = page.evaluate("() => document.activeElement.querySelector('img').alt")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{OPEN} .gslide.current img", state="visible")
    shown = page.locator(f"{OPEN} .gslide.current img")
    assert shown.get_attribute("alt") == alt
    assert (shown.get_attribute("src") or "").endswith(".kb1600.jpg")
    page.wait_for_timeout(500)  # the opening transition
    opened = violations(page)
    assert not opened, opened

    page.keyboard.press("Escape")
    page.wait_for_selector(OPEN, state="detached")
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('glightbox')")
    assert not page.kb_errors, page.kb_errors
