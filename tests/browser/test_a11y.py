"""Accessibility: axe-core (bundled by axe-playwright-python) with all its rules (the WCAG 2.1 A and
AA ones and its best-practice rules, such as aria-dialog-name and landmark-unique), on every kind
of page in both languages, at a desktop and a phone viewport. No rule is disabled and a violation
of any impact fails: it is reported with its rule, impact, help text and the elements it was
found on."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from kb_browser import DESKTOP, PAGES, PHONE, goto

AXE = Axe()
OPTIONS = {"resultTypes": ["violations"]}  # no runOnly: every rule axe has
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Every kind of page but the activity records, which share their templates with the other records
# (the language-switcher tests still open them). The notice has its own 公文 metadata block.
A11Y_PAGES = [p for p in PAGES if p[0] != "event-record"]

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
def test_axe_all_rules(kept_page, path, viewport):
    page = kept_page(viewport, VIEWPORTS[viewport])
    goto(page, path)
    page.evaluate("document.fonts.ready.then(() => true)")
    results = AXE.run(page, options=OPTIONS)
    violations = results.response["violations"]
    assert not violations, (
        f"{path} at {viewport} ({VIEWPORTS[viewport]['width']}px): "
        f"{len(violations)} axe-core violation(s):\n{describe(violations)}"
    )
