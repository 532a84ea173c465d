"""Two plan years in the browser: the real docs/ plus the synthetic 2025 text of
tests/fixtures/plans/ imported with `kb import plan`. axe-core (WCAG 2.1 A/AA, no rule disabled)
on the pages only a second year brings (the changes page with its insertions and deletions, a
point linking its counterparts) and the /plan/ archive, in both languages, desktop and phone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_a11y import OPTIONS, VIEWPORTS, describe

from kb_browser import TIMEOUT_MS, serve_site
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[2]
PATHS = [
    "/plan/2025/changes/",
    "/en/plan/2025/changes/",
    "/plan/2025/07/",
    "/en/plan/2025/07/",
    "/plan/",
    "/en/plan/",
]


@pytest.fixture(scope="module")
def two_years_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-years")
    shutil.copytree(ROOT / "docs", root / "docs")
    imported = subprocess.run(
        [sys.executable, "-m", "scripts.kb", "--docs", str(root / "docs"), "import", "plan"]
        + [str(ROOT / "tests" / "fixtures" / "plans" / "2025-work-points.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    site = root / "site"
    built = runner.build(root / "docs", site)
    assert built.returncode == 0, built.stderr
    with serve_site(site) as url:
        yield url


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PATHS)
def test_axe_on_two_year_pages(browser, two_years_url, path, viewport):
    context = browser.new_context(base_url=two_years_url, viewport=VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        response = page.goto(path, wait_until="load")
        assert response is not None and response.status == 200, path
        page.evaluate("document.fonts.ready.then(() => true)")
        violations = Axe().run(page, options=OPTIONS).response["violations"]
        assert not violations, f"{path} at {viewport}: {describe(violations)}"
    finally:
        context.close()


def test_changes_are_not_marked_by_colour_alone(browser, two_years_url):
    context = browser.new_context(base_url=two_years_url)
    try:
        page = context.new_page()
        page.goto("/plan/2025/changes/", wait_until="load")
        styles = page.evaluate(
            """() => ['ins', 'del'].map(tag => {
                const el = document.querySelector('.kb-diff ' + tag);
                return [getComputedStyle(el).textDecorationLine, el.textContent];
            })"""
        )
        assert styles[0][0] == "underline" and styles[0][1].startswith("［新增］")
        assert styles[1][0] == "line-through" and styles[1][1].startswith("［删去］")
    finally:
        context.close()
