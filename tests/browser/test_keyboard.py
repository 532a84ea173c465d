"""Keyboard use without a mouse: `/` opens search, the arrow keys and Enter open a result, and
the sortable task table's column headings are buttons reached with Tab and worked with Enter."""

from __future__ import annotations

import pytest

from kb_browser import SEARCH_INPUT, goto, search_results, type_query, url_path

MAX_TABS = 120  # the task table comes after the header, tabs, navigation and the page text


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const th = el && el.closest("th");
          return {
            tag: el ? el.tagName.toLowerCase() : "",
            cls: el ? el.className : "",
            text: el ? el.textContent.trim() : "",
            inTh: !!th,
            sortable: !!(th && th.closest("table.kb-sortable")),
            href: el && el.href ? el.href : "",
          };
        }"""
    )


def test_slash_focuses_search(page):
    goto(page, "/")
    page.keyboard.press("/")
    page.wait_for_function("sel => document.activeElement === document.querySelector(sel)", arg=SEARCH_INPUT)
    assert page.locator(SEARCH_INPUT).is_visible()


@pytest.mark.parametrize(("start", "query"), [("/", "悦读大讲堂"), ("/en/", "proposals")])
def test_arrow_down_enter_opens_a_result(page, start, query):
    goto(page, start)
    page.keyboard.press("/")
    page.wait_for_function("sel => document.activeElement === document.querySelector(sel)", arg=SEARCH_INPUT)
    type_query(page, query)
    _, links = search_results(page)
    assert links, f"no results for {query!r}"
    page.keyboard.press("ArrowDown")
    # Material moves the focus to the first result link.
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('.md-search-result__link')")
    first = focused(page)["href"]
    assert url_path(first) == url_path(links[0]), f"ArrowDown focused {first}, the first result is {links[0]}"
    with page.expect_navigation(wait_until="load") as nav:
        page.keyboard.press("Enter")
    assert nav.value is not None and nav.value.status == 200, f"HTTP {nav.value and nav.value.status}"
    assert url_path(page.url) == url_path(links[0]) != start, f"Enter led to {page.url}, expected {links[0]}"


@pytest.mark.parametrize(
    ("path", "headings"),
    # the plan's columns, there whatever is reported (a reported column appears once a point has a value)
    [("/plan/2024/tasks/", ("所属部分", "工作要点")), ("/en/plan/2024/tasks/", ("Section", "Work point"))],
)
def test_sortable_headers_by_keyboard(page, path, headings):
    goto(page, path)
    buttons = page.locator("table.kb-sortable thead th > button")
    count = buttons.count()
    headers = page.locator("table.kb-sortable thead th").count()
    assert count and count == headers, f"{count} of {headers} column headings are buttons"

    # Tab from the top of the page until the focus is in the table's header row.
    page.locator("body").focus()
    reached = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        info = focused(page)
        if info["sortable"]:
            assert info["tag"] == "button", f"focus reached a {info['tag']} in the header row, not a button"
            reached.append(info["text"])
            if len(reached) == count:
                break
        elif reached:
            break
    assert len(reached) == count, f"Tab reached {reached} of {count} column heading buttons within {MAX_TABS} presses"

    for heading in headings:
        th = page.locator("table.kb-sortable thead th", has=page.get_by_role("button", name=heading, exact=False))
        assert th.count() == 1, f"no column heading {heading!r}"
        button = th.locator("button")
        button.focus()
        before = th.get_attribute("aria-sort")
        assert before in ("none", "ascending", "descending"), f"{heading}: aria-sort={before!r}"
        page.keyboard.press("Enter")
        first = th.get_attribute("aria-sort")
        assert first in ("ascending", "descending") and first != before, (
            f"{heading}: Enter left aria-sort {before!r} -> {first!r}"
        )
        page.keyboard.press("Enter")
        second = th.get_attribute("aria-sort")
        assert second in ("ascending", "descending") and second != first, (
            f"{heading}: second Enter left aria-sort {first!r} -> {second!r}"
        )
        # Only the sorted column claims an order.
        others = page.locator("table.kb-sortable thead th").evaluate_all(
            "(ths, me) => ths.filter(t => t.textContent.trim() !== me).map(t => t.getAttribute('aria-sort'))",
            th.text_content().strip(),
        )
        assert set(others) <= {"none"}, f"{heading}: other headings' aria-sort {others}"
