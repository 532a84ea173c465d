"""Only what a Word file shows is published (issue 32): hidden text (w:vanish, set directly or by a
character or paragraph style, in the body, a table or a footnote), deleted and moved-away text and
the file's properties never reach a record or a plan; a simple field keeps the result Word prints;
text that is there but cannot be seen (white, a 1-point size) is refused naming the paragraph; a
heading longer than a title may be is refused.

The files are made as Word writes them (python-docx, with the raw WordprocessingML it has no API
for: styles, tracked changes, fields).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import word_files as wf

from kb_testlib import DOCS
from scripts.kb import cli
from scripts.kb.collections.plan import source_text as plan_text
from scripts.kb.content import fields as schemas
from scripts.kb.sources import word

SECRET = "内部意见勿外传"


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _style(document, xml: str) -> None:
    document.styles.element.append(wf.parse_xml(xml))


def _run(xml_inner: str, rpr: str = "") -> object:
    return wf.parse_xml(f"<w:r {wf.NS}><w:rPr>{rpr}</w:rPr>{xml_inner}</w:r>")


def hidden_article(path: Path, *, core_title: str | None = None, heading: bool = True) -> None:
    """An article as an office keeps one: remarks hidden in every way Word offers, tracked changes
    not yet accepted, fields, and the template's title in the file's properties."""
    d = wf.docx.Document()
    _style(
        d,
        f'<w:style {wf.NS} w:type="character" w:styleId="Remark"><w:name w:val="Remark"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>",
    )
    _style(  # a character style based on a hidden one
        d,
        f'<w:style {wf.NS} w:type="character" w:styleId="RemarkRed"><w:name w:val="Remark Red"/>'
        '<w:basedOn w:val="Remark"/><w:rPr><w:color w:val="C00000"/></w:rPr></w:style>',
    )
    _style(
        d,
        f'<w:style {wf.NS} w:type="paragraph" w:styleId="Internal"><w:name w:val="Internal"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>",
    )
    if core_title is not None:
        d.core_properties.title = core_title
    if heading:
        d.add_heading("古道调研报告", level=1)
    p = d.add_paragraph("第一段可见。")
    p.add_run(f"（{SECRET}：直接隐藏）").font.hidden = True
    p._p.append(_run(f"<w:t>（{SECRET}：字符样式）</w:t>", '<w:rStyle w:val="Remark"/>'))
    p._p.append(_run(f"<w:t>（{SECRET}：基于隐藏样式）</w:t>", '<w:rStyle w:val="RemarkRed"/>'))
    p._p.append(_run("<w:t>（这一处取消了隐藏）</w:t>", '<w:rStyle w:val="Remark"/><w:vanish w:val="0"/>'))
    p._p.append(
        wf.parse_xml(
            f'<w:del {wf.NS} w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
            f"<w:r><w:delText>（{SECRET}：已删除）</w:delText></w:r></w:del>"
        )
    )
    p._p.append(
        wf.parse_xml(
            f'<w:moveFrom {wf.NS} w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z">'
            f"<w:r><w:t>（{SECRET}：移走）</w:t></w:r></w:moveFrom>"
        )
    )
    p._p.append(
        wf.parse_xml(
            f'<w:ins {wf.NS} w:id="3" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:t>（修订插入）</w:t></w:r></w:ins>'
        )
    )
    p._p.append(
        wf.parse_xml(
            f'<w:fldSimple {wf.NS} w:instr=" DOCPROPERTY Company "><w:r><w:t>（域的结果）</w:t></w:r></w:fldSimple>'
        )
    )
    internal = d.add_paragraph(f"{SECRET}：整段用隐藏的段落样式。")
    internal.style = d.styles["Internal"]
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "表格可见"
    table.cell(0, 1).paragraphs[0].add_run(f"{SECRET}：表格中隐藏").font.hidden = True
    d.add_paragraph("最后一段可见。")
    d.save(path)


def test_hidden_deleted_and_property_text_never_reaches_a_record(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    path = tmp_path / "report.docx"
    hidden_article(path, core_title=f"{SECRET}（模板标题）")
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path), "--slug", "report")
    assert code == 0, err
    record = (docs / "wenshi" / "report.md").read_text("utf-8")
    assert SECRET not in record
    for shown in ("第一段可见。", "（这一处取消了隐藏）", "（修订插入）", "（域的结果）", "表格可见", "最后一段可见。"):
        assert shown in record, shown
    assert 'title: "古道调研报告"' in record
    assert "5 处设为“隐藏”的文字" in out  # direct, two styles, the paragraph's style, the table's


def test_the_files_properties_are_not_a_title(tmp_path, capsys):
    """Without a heading the article needs --title: the title in the file's properties, which
    nobody sees in the document, is not taken."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    before = files_under(docs)
    path = tmp_path / "untitled.docx"
    hidden_article(path, core_title=f"{SECRET}（模板标题）", heading=False)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1 and "没有标题" in err and "--title" in err
    assert files_under(docs) == before


def test_hidden_footnote_text_is_left_out(tmp_path):
    src = tmp_path / "a.docx"
    wf.article_docx(src, second_photo_alt="古槐")
    footnotes = wf.FOOTNOTES.replace(
        '<w:r><w:t xml:space="preserve"> 见《门头沟区志》第三卷。</w:t></w:r>',
        '<w:r><w:t xml:space="preserve"> 见《门头沟区志》第三卷。</w:t></w:r>'
        f"<w:r><w:rPr><w:vanish/></w:rPr><w:t>{SECRET}</w:t></w:r>",
    )
    assert footnotes != wf.FOOTNOTES
    path = tmp_path / "b.docx"
    wf.rezip(src, path, replace={"word/footnotes.xml": footnotes.encode("utf-8")})
    record = word.convert_record(path.read_bytes(), "b.docx")
    assert "门头沟区志" in record.markdown and SECRET not in record.markdown


@pytest.mark.parametrize(
    ("rpr", "why"),
    [
        ('<w:color w:val="FFFFFF"/>', "白色"),
        ('<w:color w:val="auto" w:themeColor="background1"/>', "白色"),
        ('<w:sz w:val="2"/>', "字号 1 磅"),
        ('<w:w w:val="1"/>', "字宽缩到 1%"),  # round 4: squeezed to a sliver
        ('<w:color w:val="FFFFFF"/><w:highlight w:val="white"/>', "白色"),  # round 4: white on white highlight
    ],
)
def test_text_readers_cannot_see_is_refused_naming_the_paragraph(tmp_path, capsys, rpr, why):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    before = files_under(docs)
    path = tmp_path / "white.docx"
    d = wf.docx.Document()
    d.add_heading("标题", level=1)
    d.add_paragraph("第一段。")
    p = d.add_paragraph("第二段。")
    p._p.append(_run(f"<w:t>{SECRET}</w:t>", rpr))
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1, out
    assert f"正文第 3 段{why}的文字“{SECRET}”" in err and "没有写入任何文件" in err
    assert files_under(docs) == before


def test_white_text_on_a_dark_cell_is_seen_and_imported(tmp_path):
    path = tmp_path / "dark.docx"
    d = wf.docx.Document()
    d.add_heading("标题", level=1)
    table = d.add_table(rows=1, cols=1)
    cell = table.cell(0, 0)
    cell._tc.get_or_add_tcPr().append(wf.parse_xml(f'<w:shd {wf.NS} w:val="clear" w:color="auto" w:fill="8B0000"/>'))
    cell.paragraphs[0]._p.append(_run("<w:t>深红底白字</w:t>", '<w:color w:val="FFFFFF"/>'))
    d.save(path)
    assert "深红底白字" in word.convert_record(path.read_bytes(), "dark.docx").markdown


def test_a_word_plan_leaves_out_text_hidden_by_a_style(tmp_path):
    """kb import plan skipped directly hidden runs already; a character style hides them too."""
    path = tmp_path / "plan.docx"

    def hide(document):
        _style(
            document,
            f'<w:style {wf.NS} w:type="character" w:styleId="Remark"><w:name w:val="Remark"/>'
            "<w:rPr><w:vanish/></w:rPr></w:style>",
        )
        last = document.paragraphs[-1]
        last._p.append(_run(f"<w:t>{SECRET}</w:t>", '<w:rStyle w:val="Remark"/>'))

    texts = wf.plan_docx(path, extra=hide)
    lines = word.plan_lines(path.read_bytes(), "plan.docx")
    assert SECRET not in lines.text
    plan = plan_text.parse(lines.text.encode(), "plan.docx")
    assert [p.body for p in plan.points] == texts


def test_white_text_in_a_word_plan_is_refused(tmp_path, capsys):
    path = tmp_path / "plan.docx"

    def white(document):
        document.paragraphs[-1]._p.append(_run(f"<w:t>{SECRET}</w:t>", '<w:color w:val="FFFFFF"/>'))

    wf.plan_docx(path, extra=white)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(path))
    assert code == 1 and "白色的文字" in err and SECRET in err and "没有写入任何文件" in err
    assert files_under(docs) == {}


def test_a_heading_longer_than_a_title_is_refused(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    before = files_under(docs)
    path = tmp_path / "long.docx"
    d = wf.docx.Document()
    d.add_heading("很长的标题" * 600, level=1)  # 3,000 characters set as a heading
    d.add_paragraph("正文。")
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1 and f"{schemas.TITLE_MAX} 个字的上限" in err and "3000 个字" in err
    assert "Traceback" not in err
    assert files_under(docs) == before
    # a heading inside the body, too
    d = wf.docx.Document()
    d.add_heading("标题", level=1)
    d.add_heading("小标题" * 200, level=2)
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1 and "600 个字" in err
    assert files_under(docs) == before
    # --title cannot bring one either: the schema's limit, kb check's message
    d = wf.docx.Document()
    d.add_paragraph("正文。")
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path), "--title", "题" * 301)
    assert code == 1 and "301 个字" in err
    assert files_under(docs) == before


def test_a_plan_point_whose_first_sentence_is_a_page_long_is_refused_naming_the_line(tmp_path):
    source = "\n".join(
        [
            "测试委员会2031年工作要点",
            "开篇。",
            "一、第一部分",
            "1." + "很长" * 200 + "。其余。",
            "",
        ]
    )
    with pytest.raises(plan_text.PlanTextError) as caught:
        plan_text.parse(source.encode(), "plan.txt")
    assert caught.value.line == 4 and "400 个字" in caught.value.message
