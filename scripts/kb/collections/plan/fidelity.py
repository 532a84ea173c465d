"""Does a plan's every page show its published text, as readers see it? The check behind
`kb import plan --check` after the Markdown comparison (source_text.compare): each page's
Markdown, listing markers expanded as the build expands them, rendered in-process
(visible_text.py) and compared line for line with the source.
"""

from __future__ import annotations

from ...content.markers import ListingError
from ...content.model import KnowledgeBase
from ...content.problems import errors
from ...content.urls import DEFAULT_LANG
from ...outputs import expand
from ...outputs.visible_text import normalize, to_html, visible_lines
from .model import section_label
from .source_text import Difference, PlanText


def page_lines(kb: KnowledgeBase, src: str, body: str) -> list[str]:
    """Visible lines of a page's body (listing markers expanded as the build expands them)."""
    return visible_lines(to_html(expand.expand_markers(body, kb, src, DEFAULT_LANG)))


# --- the plan's pages, as readers see them ----------------------------------------------------


def expected_lines(plan: PlanText) -> dict[str, list[str]]:
    """{page: the published text's lines that page shows, in order}. Point pages and the notice
    show exactly these; the overview shows the opening and the section headings among its
    listing; the full text (key "full-text") shows the whole document, line for line."""
    n = normalize
    heading = {s.number: n(section_label(s.number, DEFAULT_LANG) + s.heading) for s in plan.sections}
    out: dict[str, list[str]] = {"index.md": [n(p) for p in plan.opening] + list(heading.values())}
    notice: list[str] = []
    if plan.notice is not None:
        t = plan.notice
        notice = [n(t.addressees), *(n(p) for p in t.paragraphs)]
        notice += [n(x) for x in (t.signatory, t.signed, t.annotation) if x]
        if t.copied_to:
            notice.append(n(f"抄送：{t.copied_to}"))
        if t.imprint:
            notice.append(n(f"{t.issuer} {t.issued_text}印发"))
        out["notice.md"] = notice
    full = [n(plan.notice.title), *notice] if plan.notice is not None else []
    full += [n(line) for line in plan.title_lines] + [n(p) for p in plan.opening]
    for s in plan.sections:
        full.append(heading[s.number])
        for p in plan.points:
            if p.section == s.number:
                out[f"{p.number:02d}.md"] = [n(p.body)]
                full.append(n(p.label + p.body))
    if plan.attachment is not None:
        full.append(n(f"附件：{plan.attachment}"))
    out["full-text"] = full
    return out


def rendered_differences(plan: PlanText, kb: KnowledgeBase) -> list[Difference]:
    """Pages of the plan whose visible text does not reproduce the published text, character for
    character (whitespace runs count as one space). The full text is named by its address. A
    page that cannot be rendered (refused by kb check) is a difference too, never skipped."""
    folder = f"plan/{plan.year}"
    out = []
    for name, want in expected_lines(plan).items():
        full = name == "full-text"
        shown = f"/{folder}/full-text/" if full else name
        src = f"{folder}/index.md" if full else f"{folder}/{name}"
        entry = kb.entries.get(src)
        if entry is None:
            refused = [p for p in errors(kb.problems) if p.path.endswith(src)]
            reason = f"：{refused[0]}" if refused else ""
            out.append(Difference(shown, f"页面未通过 kb check，网站不会显示它{reason}"))
            continue
        try:
            if full:
                have = page_lines(kb, f"{folder}/full-text.md", "<!-- kb:plan-full-text -->\n")
            else:
                have = page_lines(kb, src, entry.body)
        except ListingError as exc:
            out.append(Difference(shown, f"页面无法生成：{exc.message}"))
            continue
        if name == "index.md":
            ok = have[: len(plan.opening)] == want[: len(plan.opening)] and _in_order(want[len(plan.opening) :], have)
        else:
            ok = have == want
        if not ok:
            out.append(Difference(shown, "网页上显示的文字与原文不同" + _first_difference(want, have)))
    return out


def _in_order(wanted: list[str], lines: list[str]) -> bool:
    rest = iter(lines)
    return all(any(line == w for line in rest) for w in wanted)


def _first_difference(want: list[str], have: list[str]) -> str:
    for i, w in enumerate(want):
        h = have[i] if i < len(have) else ""
        if w != h:
            k = next((k for k, (a, b) in enumerate(zip(w, h, strict=False)) if a != b), min(len(w), len(h)))
            return f"（第 {i + 1} 段第 {k + 1} 个字符起：原文“{w[k : k + 12]}”，网页上是“{h[k : k + 12]}”）"
    return f"（网页上多出：“{' '.join(have[len(want) :])[:24]}”）"
