"""Generated listings (scripts/kb/outputs/render.py) for a small fixture knowledge base, in zh and en.

The renderer produces Markdown. To check what a reader sees, the Markdown is converted to HTML with
the same Markdown extensions the site uses, then read back as text and elements.
"""

from __future__ import annotations

import markdown
import pytest
import yaml

from kb_testlib import ROOT, normalize, parse_html, plan_files, write_tree
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.collections import REGISTRY
from scripts.kb.collections.plan import model as plan_model
from scripts.kb.content.markers import ListingError
from scripts.kb.outputs import render
from scripts.kb.outputs.expand import expand_markers


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring MkDocs' own tags (!ENV, !relative, ...)."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_markdown_extensions() -> list:
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader)
    exts = []
    for ext in config["markdown_extensions"]:
        exts.append(next(iter(ext)) if isinstance(ext, dict) else ext)
    # MkDocs always adds these three
    return sorted(set(exts) | {"toc", "tables", "fenced_code"})


EXTENSIONS = site_markdown_extensions()


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


def to_tree(md: str):
    return parse_html(to_html(md))


STRINGS = REGISTRY.words()  # the words of the site and of every collection

# Front-matter text full of Markdown and HTML specials. `<` followed by a letter is refused by the
# schema, so it cannot be here; everything else must come out literally.
NASTY = "星*号*、[链接](https://example.com/y)、R&amp;D & Co、`代码`、_下划_、#3、a | b、\\反斜"


def yaml_str(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style='"').strip()


@pytest.fixture
def kb(tmp_path):
    files = plan_files(2024)
    files["plan/2024/02.md"] = files["plan/2024/02.md"].replace("title: 第二项标题", f"title: {yaml_str(NASTY)}")
    files.update(
        {
            "lectures/index.md": "---\ntitle: 讲座\n---\n\n导语。\n\n<!-- kb:lecture-index -->\n",
            "lectures/2024-09-01-late.md": (
                "---\ntitle: 晚讲座\ndate: 2024-09-01\nspeaker: 张三\nspeaker_role: member\ntopic_kind: policy\n---\n"
            ),
            "lectures/2024-09-01-late.en.md": "---\ntitle: Late lecture\n---\n",
            "lectures/2024-03-02-early.md": "---\ntitle: 早讲座\ndate: 2024-03-02\ntopic_kind: policy\n---\n",
            "lectures/2024-05-05-culture.md": "---\ntitle: 文化讲座\ndate: 2024-05-05\ntopic_kind: local-culture\n---\n",
            "lectures/2023-12-31-nasty.md": f"---\ntitle: {yaml_str(NASTY)}\ndate: 2023-12-31\nspeaker: {yaml_str(NASTY)}\n---\n",
            "wenshi/index.md": "---\ntitle: 文史\n---\n\n<!-- kb:wenshi-index -->\n",
            "wenshi/nasty.md": f"---\ntitle: {yaml_str(NASTY)}\nkind: book\npartner: {yaml_str(NASTY)}\npoints: [2024-02]\n---\n",
        }
    )
    loaded = load_knowledge_base(write_tree(tmp_path / "docs", files))
    assert loaded.ok, "\n".join(map(str, loaded.problems))
    return loaded


@pytest.fixture
def empty_kb(tmp_path):
    files = plan_files(2024)
    files["lectures/index.md"] = "---\ntitle: 讲座\n---\n\n导语。\n\n<!-- kb:lecture-index -->\n"
    files["wenshi/index.md"] = "---\ntitle: 文史\n---\n\n<!-- kb:wenshi-index -->\n"
    loaded = load_knowledge_base(write_tree(tmp_path / "docs", files))
    assert loaded.ok, "\n".join(map(str, loaded.problems))
    return loaded


def expand(kb, src: str, lang: str) -> str:
    """What on_page_markdown does: expand the markers in the page body (front matter removed)."""
    return expand_markers(kb.entries[src].body_for(lang), kb, src, lang)


def overview_outline(kb, lang: str) -> list[tuple[str, str]]:
    tree = to_tree(expand(kb, "plan/2024/index.md", lang))
    return [(el.tag, el.text()) for el in tree.iter("h2", "li")]


# --- plan overview -----------------------------------------------------------------------------


def test_overview_zh_lists_points_under_numbered_sections(kb):
    assert overview_outline(kb, "zh") == [
        ("h2", "一、第一部分标题"),
        ("li", "1. 第一项标题 推进中"),
        ("li", f"2. {normalize(NASTY)}"),  # not reported: no "未填报" beside it (issue 30)
        ("h2", "二、第二部分标题"),
        ("li", "3. 第三项标题"),
        ("li", "4． 第四项标题"),
        ("h2", "三、第三部分标题"),
    ]


def test_overview_en_uses_roman_numbering_and_translations(kb):
    assert overview_outline(kb, "en") == [
        ("h2", "I. First section"),
        ("li", "1. Point one In progress"),
        ("li", f"2. {normalize(NASTY)} {STRINGS['en']['untranslated_mark']}"),
        ("h2", "II. Second section"),
        ("li", f"3. 第三项标题 {STRINGS['en']['untranslated_mark']}"),
        ("li", f"4． 第四项标题 {STRINGS['en']['untranslated_mark']}"),
        ("h2", "III. Third section"),
    ]


def test_overview_links_point_pages_relative_to_the_plan(kb):
    tree = to_tree(expand(kb, "plan/2024/index.md", "zh"))
    hrefs = [a.attrs["href"] for li in tree.iter("li") for a in li.iter("a")]
    assert hrefs == ["01.md", "02.md", "03.md", "04.md"]


def test_overview_keeps_the_page_text_around_the_marker(kb):
    md = expand(kb, "plan/2024/index.md", "zh")
    assert md.lstrip().startswith("开篇段落。主要工作任务如下：")
    assert "Opening paragraph" in expand(kb, "plan/2024/index.md", "en")
    assert "kb:plan-overview" not in md


def test_overview_dates_issuer_and_links(kb):
    text = to_tree(expand(kb, "plan/2024/index.md", "zh")).text()
    assert "通过：2024年1月11日，测试会议" in text
    assert "印发：2024年1月12日，测试委员会" in text
    assert "附件：测试附件（原文未附该附件）" in text
    en = to_tree(expand(kb, "plan/2024/index.md", "en")).text()
    assert "Adopted: 11 January 2024, 测试会议" in en


def test_overview_status_badge_class_is_a_plain_css_class(kb):
    # The badge is raw HTML, where Markdown backslash escapes are not undone: the class must be
    # exactly the one kb.css styles (.kb-status--in-progress); points not reported have none.
    tree = to_tree(expand(kb, "plan/2024/index.md", "zh"))
    classes = [" ".join(span.classes()) for li in tree.iter("li") for span in li.iter("span")]
    assert classes == ["kb-status kb-status--in-progress"]


def test_section_labels():
    assert [plan_model.section_label(n, "zh") for n in (1, 6, 10, 11, 20)] == [
        "一、",
        "六、",
        "十、",
        "十一、",
        "二十、",
    ]
    assert [plan_model.section_label(n, "en") for n in (1, 4, 6, 9, 14)] == ["I. ", "IV. ", "VI. ", "IX. ", "XIV. "]


# --- escaping of front-matter values -----------------------------------------------------------


def _assert_literal(element) -> None:
    """`element` (a list item or table row) shows NASTY as text and holds no markup made from it."""
    assert normalize(NASTY) in element.text(), f"{NASTY!r} not shown literally in {element.text()!r}"
    made = [el.tag for el in element.iter("em", "strong", "code", "h1", "h2", "h3", "img")]
    assert made == [], f"front matter became markup: {made}"
    hrefs = [a.attrs.get("href", "") for a in element.iter("a")]
    assert not any("example.com" in h for h in hrefs), f"front matter became a link: {hrefs}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_escapes_titles(kb, lang):
    tree = to_tree(expand(kb, "plan/2024/index.md", lang))
    item = next(li for li in tree.iter("li") if li.text().startswith("2. "))
    link = item.find("a")
    assert link.attrs["href"] == "02.md"
    assert link.text() == f"2. {normalize(NASTY)}"
    _assert_literal(item)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lecture_index_escapes_titles_and_speakers(kb, lang):
    tree = to_tree(expand(kb, "lectures/index.md", lang))
    row = next(tr for tr in tree.iter("tr") if "2023" in tr.text())
    cells = [td.text() for td in row.iter("td")]
    assert len(cells) == 4, f"a '|' in front matter split the table row: {cells}"
    assert cells[1].startswith(normalize(NASTY))
    assert cells[2] == normalize(NASTY)
    assert row.find("a").attrs["href"] == "2023-12-31-nasty.md"
    _assert_literal(row)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wenshi_index_escapes_titles_and_partners(kb, lang):
    tree = to_tree(expand(kb, "wenshi/index.md", lang))
    row = next(tr for tr in tree.iter("tr") if tr.find("td") is not None)
    cells = [td.text() for td in row.iter("td")]
    assert len(cells) == 4, cells
    assert cells[0].startswith(normalize(NASTY))
    assert cells[2] == normalize(NASTY)
    ref = "2024 work points, no. 2" if lang == "en" else "2024年工作要点 第2项"
    assert cells[3].startswith(f"{ref} {normalize(NASTY)}")
    hrefs = [a.attrs["href"] for a in row.iter("a")]
    assert hrefs == ["nasty.md", "../plan/2024/02.md"]
    _assert_literal(row)


def test_escape_function():
    assert render._escape(None) == ""
    assert render._escape("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert render._escape("*a* [b](c) `d` _e_") == r"\*a\* \[b\]\(c\) \`d\` \_e\_"
    assert render._escape("a|b") == "a&#124;b"


# --- lecture index -----------------------------------------------------------------------------


def test_lecture_index_zh_groups_by_year_then_topic_kind(kb):
    tree = to_tree(expand(kb, "lectures/index.md", "zh"))
    outline = [(el.tag, el.text()) for el in tree.iter("h2", "h3", "tr") if not el.find("th")]
    assert outline == [
        ("h2", "2024年"),
        ("h3", "宣讲政策区情"),
        ("tr", "2024年9月1日 晚讲座 张三 优秀委员"),
        ("tr", "2024年3月2日 早讲座 尚未记录 尚未记录"),
        ("h3", "阐释本土文化"),
        ("tr", "2024年5月5日 文化讲座 尚未记录 尚未记录"),
        ("h2", "2023年"),  # its one lecture has no topic kind: no heading says so for it alone
        ("tr", f"2023年12月31日 {normalize(NASTY)} {normalize(NASTY)} 尚未记录"),
    ]
    headers = [th.text() for th in tree.find("table").iter("th")]
    assert headers == ["日期", "讲座题目", "主讲人", "主讲人身份"]


def test_lecture_index_en_uses_english_labels(kb):
    tree = to_tree(expand(kb, "lectures/index.md", "en"))
    mark = STRINGS["en"]["untranslated_mark"]
    outline = [(el.tag, el.text()) for el in tree.iter("h2", "h3", "tr") if not el.find("th")]
    assert outline == [
        ("h2", "2024"),
        ("h3", "Policy and the district"),
        ("tr", "1 September 2024 Late lecture 张三 Outstanding CPPCC member"),
        ("tr", f"2 March 2024 早讲座 {mark} Not recorded yet Not recorded yet"),
        ("h3", "Local culture"),
        ("tr", f"5 May 2024 文化讲座 {mark} Not recorded yet Not recorded yet"),
        ("h2", "2023"),
        ("tr", f"31 December 2023 {normalize(NASTY)} {mark} {normalize(NASTY)} Not recorded yet"),
    ]
    headers = [th.text() for th in tree.find("table").iter("th")]
    assert headers == ["Date", "Topic", "Speaker", "Speaker's role"]


def test_a_listing_never_groups_by_a_value_every_record_shares(tmp_path):
    """No heading says what every record under it has in common: lectures all of one year have no
    year heading, and their topic headings take its place (h2, not an h3 under nothing)."""
    docs = write_tree(
        tmp_path / "docs",
        {
            **plan_files(),
            "lectures/index.md": "---\ntitle: 讲座\n---\n\n<!-- kb:lecture-index -->\n",
            "lectures/2024-03-01-a.md": "---\ntitle: 甲\ndate: 2024-03-01\ntopic_kind: policy\n---\n",
            "lectures/2024-05-01-b.md": "---\ntitle: 乙\ndate: 2024-05-01\ntopic_kind: science\n---\n",
            "lectures/2024-06-01-c.md": "---\ntitle: 丙\ndate: 2024-06-01\ntopic_kind: science\n---\n",
        },
    )
    kb = load_knowledge_base(docs, with_history=False)
    tree = to_tree(expand(kb, "lectures/index.md", "zh"))
    assert [(el.tag, el.text()) for el in tree.iter("h2", "h3")] == [("h2", "宣讲政策区情"), ("h2", "解读科技前沿")]
    # all of one topic as well: a table alone, without a heading
    for src in ("lectures/2024-03-01-a.md", "lectures/2024-05-01-b.md"):
        (docs / src).unlink()
    tree = to_tree(expand(load_knowledge_base(docs, with_history=False), "lectures/index.md", "zh"))
    assert not list(tree.iter("h2", "h3")) and len(list(tree.iter("tr"))) == 2
    # what they share is still said, in a line
    assert [p.text() for p in tree.iter("p") if "kb-group-note" in p.classes()] == ["专题类别：解读科技前沿"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lecture_index_empty_state(empty_kb, lang):
    md = expand(empty_kb, "lectures/index.md", lang)
    tree = to_tree(md)
    assert not list(tree.iter("table", "h2", "h3"))
    empty = tree.find("p", class_="kb-empty")
    assert empty is not None, md
    assert empty.text() == normalize(STRINGS[lang]["lectures_empty"])
    assert "导语。" in tree.text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wenshi_index_empty_state(empty_kb, lang):
    tree = to_tree(expand(empty_kb, "wenshi/index.md", lang))
    assert not list(tree.iter("table", "h2", "h3"))
    assert tree.text() == normalize(STRINGS[lang]["wenshi_empty"])


# --- markers -----------------------------------------------------------------------------------


def test_page_without_markers_is_returned_unchanged(kb):
    text = "---\ntitle: x\n---\n\n正文 <!-- 普通注释 -->\n"
    assert expand_markers(text, kb, "index.md", "zh") == text


def test_unknown_marker_raises_naming_page_and_marker(kb):
    with pytest.raises(ListingError, match=r"lectures/index\.md:3: 未知的列表标记“kb:no-such-listing”"):
        expand_markers("前\n\n<!-- kb:no-such-listing -->\n", kb, "lectures/index.md", "zh")


def test_marker_lookalikes_are_left_alone(kb):
    # Only lower-case names match the marker syntax; anything else stays an HTML comment.
    text = "<!-- kb:Lecture-Index -->\n<!-- kb: -->\n"
    assert expand_markers(text, kb, "lectures/index.md", "zh") == text


def test_marker_with_spacing_variants_is_expanded(kb):
    out = expand_markers("<!--kb:lecture-index-->", kb, "lectures/index.md", "zh")
    assert "晚讲座" in out and "kb:" not in out


def test_full_text_marker_takes_a_year_argument(kb):
    md = expand_markers("<!-- kb:plan-full-text 2024 -->", kb, "plan/2024/full-text.md", "zh")
    text = to_tree(md).text()
    assert text.index("测试委员会 常务委员会2024年工作要点") < text.index("一、第一部分标题")
    assert "3. 第三项标题。第三项正文。" in text  # the label exactly as printed, with its space
    assert "4．第四项标题。第四项正文。" in text
    assert text.endswith("附件：测试附件")
    with pytest.raises(ListingError, match="1999"):
        expand_markers("<!-- kb:plan-full-text 1999 -->", kb, "plan/2024/full-text.md", "zh")
