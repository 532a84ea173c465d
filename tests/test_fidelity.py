"""The built site reproduces the source document word for word: the live docs/, and a copy of it
after an editor's ordinary edits (fixture `content`), since editing records or reporting progress
must never change the plan's text.

The source (sources/2024-work-points.txt, byte for byte the published text) holds the notice, then the plan: title lines,
the opening paragraph, six section headings each followed by its points, and the attachment line.
Comparisons collapse runs of whitespace to one space and strip the ends; nothing else is
normalised, so stray characters as printed ("4. " with its space, the full-width "15．",
"委员 “跨界") must come through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from kb_testlib import SOURCE, normalize, page_article, page_text, text_without_document_metadata

SECTION = re.compile(r"^[一二三四五六七八九十]+、")
POINT = re.compile(r"^(?P<number>\d+)(?P<sep>[.．]\s*)(?P<body>.*)$")
ATTACHMENT = re.compile(r"^附件：")


@dataclass
class Point:
    number: int
    label: str  # as printed, e.g. "4. " or "15．"
    body: str  # the text after the label
    line: str  # the whole printed line


@dataclass
class Source:
    notice: dict[str, str]
    title_lines: list[str]
    opening: str
    sections: list[str]
    points: list[Point]
    point_section: dict[int, int]
    attachment: str
    plan_lines: list[str]  # every non-blank line of the plan, in order


def parse_source() -> Source:
    lines = [normalize(line) for line in SOURCE.read_text("utf-8").split("\n")]
    nonblank = [line for line in lines if line]
    # The notice ends with its print line ("…印发"); the plan starts on the next line.
    end = next(i for i, line in enumerate(nonblank) if line.endswith("印发"))
    notice_lines, plan_lines = nonblank[: end + 1], nonblank[end + 1 :]
    assert len(notice_lines) == 6, notice_lines
    notice = dict(zip(["title", "addressees", "body", "signatory", "date", "print-line"], notice_lines, strict=True))

    first_section = next(i for i, line in enumerate(plan_lines) if SECTION.match(line))
    title_lines, opening = plan_lines[: first_section - 1], plan_lines[first_section - 1]
    sections: list[str] = []
    points: list[Point] = []
    point_section: dict[int, int] = {}
    attachment = ""
    for line in plan_lines[first_section:]:
        if SECTION.match(line):
            sections.append(line)
        elif m := POINT.match(line):
            # The label keeps the printed separator, including the space of "4. ".
            raw = next(r for r in SOURCE.read_text("utf-8").split("\n") if normalize(r) == line)
            label = re.match(r"^\s*(\d+[.．]\s*)", raw).group(1)
            points.append(Point(int(m["number"]), label, m["body"], line))
            point_section[int(m["number"])] = len(sections)
        elif ATTACHMENT.match(line):
            attachment = line
        else:
            raise AssertionError(f"unexpected line in the plan: {line!r}")
    return Source(notice, title_lines, opening, sections, points, point_section, attachment, plan_lines)


SRC = parse_source()


def test_source_structure():
    assert SRC.notice["title"].startswith("关于印发《政协门头沟区第十一届委员会常务委员会2024年工作要点》")
    assert SRC.title_lines == ["政协门头沟区第十一届委员会", "常务委员会2024年工作要点"]
    assert len(SRC.sections) == 6 and SRC.sections[0].startswith("一、") and SRC.sections[5].startswith("六、")
    assert [p.number for p in SRC.points] == list(range(1, 16))
    assert [len([n for n, s in SRC.point_section.items() if s == k]) for k in range(1, 7)] == [3, 2, 3, 3, 2, 2]
    labels = {p.number: p.label for p in SRC.points}
    assert labels[4] == "4. " and labels[15] == "15．" and labels[1] == "1."
    assert SRC.attachment == "附件：门头沟区政协 2024年工作要点任务分解表"


# --- the notice -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_text(content):
    """The notice's own text: the article without the 公文 metadata block above it (which repeats
    the signatory and dates, and is tested in test_identity.py)."""
    article = page_article(content.site, "/plan/2024/notice/")
    block = article.find("section", class_="kb-doc-meta")
    if block is not None:
        block.parent.children.remove(block)
    return article.text()


def _contains(text: str, line: str) -> bool:
    if line in text:
        return True
    # A line laid out in separate elements (the print line's two spans) may lose the whitespace
    # between its parts in the text; the parts must still follow each other directly.
    parts = line.split(" ")
    return len(parts) > 1 and re.search(r"\s*".join(map(re.escape, parts)), text) is not None


@pytest.mark.parametrize("part", list(SRC.notice))
def test_notice_page_reproduces_the_notice(notice_text, part):
    line = SRC.notice[part]
    assert _contains(notice_text, line), f"notice {part} {line!r} not on /plan/2024/notice/:\n{notice_text}"


def test_notice_parts_in_order(notice_text):
    offsets = [notice_text.find(line) for line in SRC.notice.values() if line in notice_text]
    assert offsets == sorted(offsets)


# --- the overview and the point pages -----------------------------------------------------------


@pytest.fixture(scope="module")
def overview_text(content):
    return page_text(content.site, "/plan/2024/")


def opening_sentences() -> list[str]:
    return [s.strip() for s in re.split(r"[。；：]", SRC.opening) if s.strip()]


@pytest.mark.parametrize("sentence", opening_sentences())
def test_overview_has_every_sentence_of_the_opening_paragraph(overview_text, sentence):
    assert sentence in overview_text


@pytest.mark.parametrize("heading", SRC.sections)
def test_overview_has_every_section_heading(overview_text, heading):
    assert heading in overview_text


def test_overview_sections_in_order(overview_text):
    offsets = [overview_text.find(h) for h in SRC.sections]
    assert -1 not in offsets and offsets == sorted(offsets)


@pytest.mark.parametrize("point", SRC.points, ids=[f"{p.number:02d}" for p in SRC.points])
def test_point_page_has_the_point_text(content, point):
    text = page_text(content.site, f"/plan/2024/{point.number:02d}/")
    assert point.body in text, f"/plan/2024/{point.number:02d}/ does not reproduce {point.body!r}"


@pytest.mark.parametrize("point", SRC.points, ids=[f"{p.number:02d}" for p in SRC.points])
def test_point_page_names_its_section(content, point):
    text = page_text(content.site, f"/plan/2024/{point.number:02d}/")
    assert SRC.sections[SRC.point_section[point.number] - 1] in text


# --- the full text ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_text(content):
    return page_text(content.site, "/plan/2024/full-text/")


def test_full_text_reproduces_notice_then_plan_in_order(full_text):
    expected = list(SRC.notice.values()) + SRC.plan_lines
    offset = 0
    for line in expected:
        found = full_text.find(line, offset)
        if found < 0 and len(line.split(" ")) > 1:
            m = re.compile(r"\s*".join(map(re.escape, line.split(" ")))).search(full_text, offset)
            found = m.start() if m else -1
        assert found >= 0, f"{line[:60]!r} not found after offset {offset} of the full text" + (
            " (it appears earlier: out of order)" if line in full_text else " (missing)"
        )
        offset = found + 1
    assert len(expected) == 6 + 2 + 1 + 6 + 15 + 1


@pytest.mark.parametrize("point", SRC.points, ids=[f"{p.number:02d}" for p in SRC.points])
def test_full_text_prints_point_labels_as_in_the_source(full_text, point):
    printed = normalize(point.label + point.body)  # the line as printed, e.g. "4. 推动…" or "15．抓好…"
    assert printed == point.line
    assert printed in full_text


def test_full_text_keeps_the_odd_labels_and_spaces(full_text):
    assert "4. 推动构建党委重视" in full_text
    assert "15．抓好政协机关建设" in full_text
    assert "15.抓好" not in full_text and "4.推动" not in full_text
    assert "多组织委员 “跨界交流联谊”" in full_text


def test_full_text_ends_with_the_attachment_line(full_text):
    assert "附件：门头沟区政协 2024年工作要点任务分解表" in full_text
    assert full_text.rstrip().endswith("附件：门头沟区政协 2024年工作要点任务分解表")


# --- character for character: what readers see is the text, nothing more, nothing less --------


def test_notice_page_is_exactly_the_notice(content):
    """The notice's page shows its title and the notice, line for line, and nothing else."""
    article = page_article(content.site, "/plan/2024/notice/")
    assert text_without_document_metadata(article) == normalize(" ".join(SRC.notice.values()))


def test_full_text_is_exactly_the_document(full_text):
    """The full text shows the notice and the plan, every line as printed, and nothing else."""
    assert full_text == normalize(" ".join([*SRC.notice.values(), *SRC.plan_lines]))


@pytest.mark.parametrize("point", SRC.points, ids=[f"{p.number:02d}" for p in SRC.points])
def test_point_page_shows_the_text_as_one_paragraph(content, point):
    """The point's text is one paragraph of its page, character for character (not merely
    contained in a longer run of text)."""
    article = page_article(content.site, f"/plan/2024/{point.number:02d}/")
    paragraphs = [p.text() for p in article.iter("p")]
    assert normalize(point.body) in paragraphs, paragraphs


def test_overview_shows_the_opening_and_headings_exactly(content):
    article = page_article(content.site, "/plan/2024/")
    assert normalize(SRC.opening) in [p.text() for p in article.iter("p")]
    assert [h.text() for h in article.iter("h2")] == SRC.sections
