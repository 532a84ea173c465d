"""The plan as issued (issue 29): a 红头文件 made as the office makes it in Word goes in with one
command and no edit — 版头, notice with 附注, the plan, the task breakdown attached as a Word table,
the 版记 at the end, tracked changes, a running header and page numbers.

The Word file is made here (tests/word_files.py, red_head_plan_docx); the variations offices
produce (WPS's 版记 in a table, spaces and other brackets in the 文号, 签发人 beside it, 版记 lines
in either order, 附件1, a notice without 署名, dates in Chinese numerals) are tested on the text
form the importer reads, which is what every format becomes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import word_files as wf

from kb_testlib import DOCS, build_tree, page_article, page_text, run_kb, search_documents
from scripts.kb import cli
from scripts.kb.collections.plan import source_text as plan_text
from scripts.kb.collections.plan import task_table
from scripts.kb.content.fields import split_units
from scripts.kb.content.frontmatter_parse import read
from scripts.kb.sources import word

YEAR = 2025


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gongwen")
    docs = tmp / "docs"
    shutil.copytree(DOCS, docs)
    path = tmp / "门政协发〔2025〕1号.docx"
    texts = wf.red_head_plan_docx(path, year=YEAR)
    result = run_kb("import", "plan", str(path), docs=docs)
    check = run_kb("check", docs=docs)
    site = build_tree(docs, tmp) if result.returncode == 0 and check.returncode == 0 else None
    return {"tmp": tmp, "docs": docs, "path": path, "texts": texts, "import": result, "check": check, "site": site}


def test_the_issued_word_file_goes_in_with_one_command(issued):
    assert issued["import"].returncode == 0, issued["import"].stderr
    assert issued["check"].returncode == 0, issued["check"].stdout
    out = issued["import"].stdout
    assert "附件“门头沟区政协2025年工作要点任务分解表”：8 项" in out
    assert "第 3 项的完成时限是“持续推进”" in out


def test_every_point_reads_as_issued_tracked_changes_included(issued):
    site = issued["site"]
    for n, text in enumerate(issued["texts"], 1):
        article = page_text(site, f"/plan/{YEAR}/{n:02d}/")
        assert text in article, (n, article[:300])
    assert "删去的旧文字" not in page_text(site, f"/plan/{YEAR}/04/")
    full = page_text(site, f"/plan/{YEAR}/full-text/")
    # the running header, the page numbers and the 版头 are not text of the plan
    assert "门头沟区政协文件" not in full.replace("政协北京市门头沟区委员会文件", "")
    assert "— 1 —" not in full


def test_the_notice_shows_the_document_number_and_the_record(issued):
    site = issued["site"]
    meta = page_article(site, f"/plan/{YEAR}/notice/").find("section", **{"class": "kb-doc-meta"})
    shown = meta.text()
    for words in (
        "发文字号",
        "门政协发〔2025〕1号",
        "附注",
        "（此件公开发布）",
        "抄送机关",
        "区委办公室，区人大常委会办公室，区政府办公室。",
    ):
        assert words in shown, (words, shown)
    assert "印发机关" in shown and "政协北京市门头沟区委员会办公室" in shown
    english = page_article(site, f"/en/plan/{YEAR}/notice/").find("section", **{"class": "kb-doc-meta"}).text()
    assert "Document number" in english and "门政协发〔2025〕1号" in english and "Copied to" in english
    notice = page_text(site, f"/plan/{YEAR}/notice/")
    assert "（此件公开发布）" in notice and "抄送：区委办公室" in notice
    assert "2025年1月15日印发" in notice


def test_the_document_number_is_found_by_search(issued):
    found = [d for d in search_documents(issued["site"]) if "门政协发〔2025〕1号" in d.get("text", "")]
    assert any(f"plan/{YEAR}/notice" in d["location"] for d in found), found[:3]


def test_the_attachments_units_and_deadlines_are_on_the_points(issued):
    docs = issued["docs"]
    for number, (lead, coop, _, day) in wf.RED_HEAD_UNITS.items():
        meta = read((docs / "plan" / str(YEAR) / f"{number:02d}.md").read_bytes(), "x").meta
        assert meta.get("lead_unit") == lead, number
        assert (meta.get("cooperating_units") or []) == coop, number
        assert str(meta.get("deadline")) == (f"{YEAR}-{day}" if day else "None"), number
    tasks = page_text(issued["site"], f"/plan/{YEAR}/tasks/")
    assert "委员联络委员会、办公室" in tasks


def test_the_issued_file_is_kept_and_check_reads_it_again(issued, tmp_path):
    sources = issued["tmp"] / "sources"
    assert (sources / f"{YEAR}-work-points.docx").read_bytes() == issued["path"].read_bytes()
    result = run_kb("import", "plan", str(sources / f"{YEAR}-work-points.docx"), "--check", docs=issued["docs"])
    assert result.returncode == 0, result.stdout + result.stderr
    meta = read((issued["docs"] / "plan" / str(YEAR) / "index.md").read_bytes(), "x").meta
    assert meta["doc_number"] == "门政协发〔2025〕1号" and meta["annotation"] == "（此件公开发布）"
    assert meta["issuer"] == "政协北京市门头沟区委员会办公室" and str(meta["issued"]) == f"{YEAR}-01-15"
    # the 文号 edited on the page is found by --check
    docs = tmp_path / "docs"
    shutil.copytree(issued["docs"] / "plan", docs / "plan")
    index = docs / "plan" / str(YEAR) / "index.md"
    index.write_text(index.read_text("utf-8").replace("〔2025〕1号", "〔2025〕2号"), "utf-8")
    result = run_kb("import", "plan", str(sources / f"{YEAR}-work-points.docx"), "--check", docs=docs)
    assert result.returncode == 1 and "doc_number" in result.stdout


def test_a_version_with_the_record_in_a_table_reads_the_same(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    wf.red_head_plan_docx(a)
    wf.red_head_plan_docx(b, record_in_table=True)
    pa = plan_text.parse(word.plan_lines(a.read_bytes(), "a").text.encode(), "a")
    pb = plan_text.parse(word.plan_lines(b.read_bytes(), "b").text.encode(), "b")
    assert (pa.copied_to, pa.imprint.issuer, pa.imprint.issued) == (pb.copied_to, pb.imprint.issuer, pb.imprint.issued)
    assert task_table.read(pa).points == task_table.read(pb).points


# --- the variations offices produce, on the text form ------------------------------------------------

BASE = [
    "政协北京市门头沟区委员会文件",
    "门政协发〔2025〕1号",
    "关于印发《政协门头沟区常务委员会2025年工作要点》的通知",
    "区政协各专门工作委员会：",
    "《政协门头沟区常务委员会2025年工作要点》经2025年1月9日常务委员会第十四次会议通过，现予以印发。",
    "政协门头沟区委员会",
    "2025年1月10日",
    "（此件公开发布）",
    "政协门头沟区常务委员会2025年工作要点",
    "开篇。主要工作任务如下：",
    "一、第一部分",
    "1.第一项。正文。",
    "2.第二项。正文。",
    "附件：任务分解表",
    "附件",
    "任务分解表",
    "序号\t工作任务\t牵头单位\t配合单位\t完成时限",
    "1\t第一项\t办公室\t研究室\t全年",
    "2\t第二项\t提案委员会\t\t长期",
    "抄送：区委办公室。",
    "政协北京市门头沟区委员会办公室    2025年1月15日印发",
]


def _parse(lines: list[str]) -> plan_text.PlanText:
    return plan_text.parse("\n".join(lines).encode("utf-8"), "x.txt")


def _with(replacements: dict[int, str | None], extra: list[str] | None = None) -> list[str]:
    lines = [replacements.get(i, line) for i, line in enumerate(BASE)]
    return [line for line in lines if line is not None] + (extra or [])


@pytest.mark.parametrize(
    "variant, lines",
    [
        ("as issued", BASE),
        ("spaces in the 文号 (a justified line)", _with({1: "门政协发 〔 2025 〕 1 号"})),
        ("square brackets typed for 〔〕", _with({1: "门政协发[2025]1号"})),
        ("签发人 beside the 文号", _with({1: "门政协发〔2025〕1号\t\t签发人：张三"})),
        ("签发人 on its own line", _with({1: "门政协发〔2025〕1号\n签发人：张三"})),
        ("版记 lines in the other order", BASE[:19] + [BASE[20], BASE[19]]),
        # the notice's 版记 under its date, before the plan, where the 2024 text has its print line
        ("版记 under the notice's date", BASE[:8] + [BASE[19], BASE[20]] + BASE[8:19]),
        ("版记 under the notice's date, other order", BASE[:8] + [BASE[20], BASE[19]] + BASE[8:19]),
        ("附件1", _with({14: "附件1"})),
        ("full-width colon and half-width colon", _with({3: "区政协各专门工作委员会:", 19: "抄送:区委办公室。"})),
        ("a 份号 and 紧急程度 above the mark", ["000123", "特急", *BASE]),
        ("the mark spaced out", _with({0: "政 协 北 京 市 门 头 沟 区 委 员 会 文 件"})),
        ("a note under the attachment's table", BASE[:19] + ["注：责任单位排在第一位的为牵头单位。"] + BASE[19:]),
        ("a note in a row across the table", BASE[:19] + ["注1：“全年”指12月底前。\t\t\t\t"] + BASE[19:]),
    ],
)
def test_office_variations_read_the_same_parts(variant, lines):
    text = "\n".join(lines).split("\n")
    plan = _parse(text)
    assert plan.head.doc_number in ("门政协发〔2025〕1号", "门政协发[2025]1号"), variant
    assert plan.head.masthead == "政协北京市门头沟区委员会文件", variant
    if "签发人" in variant:
        assert plan.head.signer == "张三"
    assert plan.copied_to == "区委办公室。" and plan.imprint.issuer == "政协北京市门头沟区委员会办公室"
    assert plan.notice.annotation == "（此件公开发布）" and plan.notice.signatory == "政协门头沟区委员会"
    assert [p.body for p in plan.points] == ["第一项。正文。", "第二项。正文。"]
    tasks = task_table.read(plan)
    assert not tasks.problems, tasks.problems
    assert tasks.points[1].lead_unit == ["办公室"] and tasks.points[2].deadline is None


@pytest.mark.parametrize("verb", ["", "审议", "讨论"])
def test_the_adopting_meeting_is_named_without_the_verb(verb):
    """经……会议审议通过 (as notices often say): the meeting is 常务委员会第十四次会议, not …会议审议."""
    sentence = f"《政协门头沟区常务委员会2025年工作要点》经2025年1月9日常务委员会第十四次会议{verb}通过，现予以印发。"
    plan = _parse(_with({4: sentence}))
    assert plan.adopted_by == "常务委员会第十四次会议" and str(plan.adopted) == "2025-01-09"


def test_missing_parts_are_left_out_not_refused():
    """No 版头, no 署名 (a notice with its date alone), no 版记, no attachment: the plan imports."""
    lines = [line for i, line in enumerate(BASE) if i in (2, 3, 4, 6, 8, 9, 10, 11, 12)]
    plan = _parse(lines)
    assert plan.head.doc_number is None and plan.copied_to is None and plan.imprint is None
    assert plan.notice.signatory is None and plan.notice.signed == "2025年1月10日"
    assert plan.attachments == [] and len(plan.points) == 2
    body = plan_text.notice_body(plan.notice)
    assert '<p class="kb-signature">2025年1月10日</p>' in body and "kb-imprint" not in body


def test_a_date_in_chinese_numerals():
    plan = _parse(_with({6: "二〇二五年一月十日"}))
    assert plan.notice.signed == "二〇二五年一月十日" and plan.notice.signatory == "政协门头沟区委员会"


def test_the_copied_to_line_is_never_taken_for_the_date():
    """The refusal editors met: 抄送 right under the signature read as its date. It is the
    notice's 版记, read as such."""
    lines = _with({7: None})
    lines = lines[:7] + ["抄送：区委办公室。"] + lines[7:]
    plan = _parse(lines)
    assert plan.notice.signed == "2025年1月10日" and plan.notice.signatory == "政协门头沟区委员会"
    assert plan.copied_to == plan.notice.copied_to == "区委办公室。"


def test_a_row_of_the_attachment_that_names_no_point_is_refused(tmp_path, capsys):
    path = tmp_path / "plan.docx"
    wf.red_head_plan_docx(path)
    text = word.plan_lines(path.read_bytes(), "p").text
    assert "第7项工作的标题" in text
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # the 7th row's task reworded so it names no point (the numbers are gone too)
    xml = xml.replace("<w:t>7</w:t>", "<w:t></w:t>").replace(
        "<w:t>第7项工作的标题</w:t>", "<w:t>一项正文里没有的任务</w:t>"
    )
    broken = tmp_path / "broken.docx"
    wf.rezip(path, broken, replace={"word/document.xml": xml.encode("utf-8")})
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(broken))
    assert code == 1, out
    assert f"{broken}:第" in err and "段（表格第" in err and "一项正文里没有的任务" in err, err
    assert "不像正文中的任何一项" in err and "没有写入任何文件" in err
    assert not any(docs.iterdir())


def test_kb_import_tasks_takes_the_word_table(issued, tmp_path, capsys):
    """The breakdown sent round as a Word file (or the plan itself): its table updates the points."""
    docs = tmp_path / "docs"
    shutil.copytree(issued["docs"], docs)
    point = docs / "plan" / str(YEAR) / "04.md"
    path = tmp_path / "2025年任务分解表.docx"
    d = wf.docx.Document()
    d.add_paragraph(f"门头沟区政协{YEAR}年工作要点任务分解表")
    table = d.add_table(rows=4, cols=5)
    for c, value in enumerate(("序号", "工作任务", "牵头单位（部门）", "配合单位", "完成时限")):
        table.cell(0, c).text = value
    table.cell(1, 0).merge(table.cell(1, 4)).text = "二、在深化建言资政上见行动，紧扣中心"
    for c, value in enumerate(("4", "第4项工作的标题", "研究室", "办公室", "11月底")):
        table.cell(2, c).text = value
    for c, value in enumerate(("5", "第5项工作的标题", "", "", "持续推进")):
        table.cell(3, c).text = value
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "tasks", str(path))
    assert code == 0, err
    meta = read(point.read_bytes(), "x").meta
    assert split_units(meta["lead_unit"]) == ["研究室"] and str(meta["deadline"]) == f"{YEAR}-11-30"
    assert "持续推进" in out and "不是一个日期" in out
