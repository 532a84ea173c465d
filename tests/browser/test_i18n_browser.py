"""The language switcher: on every kind of page, in both languages, Material's language menu
(`.md-select` under the header's language button, links with `hreflang`) leads to the same page
in the other language, which answers 200 and declares its language in `<html lang>`."""

from __future__ import annotations

import pytest

from kb_browser import PAGES, goto, url_path

CASES = []
for kind, zh, en in PAGES:
    CASES.append(pytest.param(zh, "zh", en, "en", id=f"zh-{kind}"))
    CASES.append(pytest.param(en, "en", zh, "zh", id=f"en-{kind}"))


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


@pytest.mark.parametrize(("path", "lang", "other_path", "other_lang"), CASES)
def test_language_switcher(kept_page, path, lang, other_path, other_lang):
    page = kept_page("desktop")  # a page already open (conftest.kept_page): each test goes to its own
    page.kb_errors.clear()
    page.mouse.move(0, 0)  # where no menu opens on hover
    goto(page, path)
    assert html_lang(page) == lang, f"{path}: <html lang={html_lang(page)!r}>, expected {lang!r}"

    select = page.locator(".md-header .md-select").first
    button = select.locator("button")
    assert button.get_attribute("aria-label"), f"{path}: the language button has no accessible name"
    links = select.locator("a[hreflang]")
    assert sorted(links.evaluate_all("els => els.map(a => a.hreflang)")) == ["en", "zh"], f"{path}: language links"

    # The link for the page's own language stays on this page.
    own = select.locator(f'a[hreflang="{lang}"]')
    assert url_path(own.evaluate("a => a.href")) == path, f"{path}: the {lang} link does not point to this page"

    # Open the menu as a reader does (the button; the list shows on hover or focus) and follow the link.
    button.hover()
    button.focus()
    link = select.locator(f'a[hreflang="{other_lang}"]')
    link.wait_for(state="visible")
    with page.expect_navigation(wait_until="load") as nav:
        link.click()
    response = nav.value
    assert response is not None and response.status == 200, f"{path} -> {page.url}: HTTP {response and response.status}"
    assert url_path(page.url) == other_path, (
        f"{path}: the {other_lang} link led to {url_path(page.url)}, expected {other_path}"
    )
    assert html_lang(page) == other_lang, f"{other_path}: <html lang={html_lang(page)!r}>, expected {other_lang!r}"

    # And back again: the round trip ends where it started.
    back = page.locator(f'.md-header .md-select a[hreflang="{lang}"]').first
    assert url_path(back.evaluate("a => a.href")) == path, f"{other_path}: the {lang} link does not lead back to {path}"
    assert not page.kb_errors, f"JavaScript errors: {page.kb_errors}"
