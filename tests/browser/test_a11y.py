"""Accessibility: axe-core (bundled by axe-playwright-python) with the WCAG 2.1 A and AA rules, on
every kind of page in both languages, at a desktop and a phone viewport. No rule is disabled: a
violation is reported with its rule, impact, help text and the elements it was found on."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from kb_browser import DESKTOP, PAGES, PHONE, goto

AXE = Axe()
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Every kind of page but the notice and the activity records, which share their templates with the
# other records (the language-switcher tests still open them).
A11Y_PAGES = [p for p in PAGES if p[0] not in ("notice", "event-record")]

CASES = [
    pytest.param(path, viewport, id=f"{lang}-{kind}-{viewport}")
    for kind, zh, en in A11Y_PAGES
    for lang, path in (("zh", zh), ("en", en))
    for viewport in VIEWPORTS
]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    target: {target}")
            lines.append(f"      html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      why:  {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("path", "viewport"), CASES)
def test_axe_wcag21_aa(new_context, path, viewport):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    goto(page, path)
    page.evaluate("document.fonts.ready.then(() => true)")
    results = AXE.run(page, options=OPTIONS)
    violations = results.response["violations"]
    assert not violations, (
        f"{path} at {viewport} ({VIEWPORTS[viewport]['width']}px): "
        f"{len(violations)} WCAG 2.1 A/AA violation(s):\n{describe(violations)}"
    )
