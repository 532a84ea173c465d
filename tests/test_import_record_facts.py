"""Word records take their facts from the document (issue 29): a 悦读大讲堂 record whose first lines
state 主讲人, 时间, 地点, 主持人 and 期数, and an article whose title is the big bold centred line and
whose photos have a 图1 … line under them, go in with one command and no option; options win.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import word_files as wf
from docx.shared import Pt

from kb_testlib import DOCS, run_kb
from scripts.kb import cli
from scripts.kb.content.frontmatter_parse import read
from scripts.kb.sources.office import record_facts


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def lecture_docx(path: Path) -> None:
    d = wf.docx.Document()
    d.add_heading("京西古道的历史与保护", level=1)
    d.add_paragraph("政协悦读大讲堂第十二期")
    d.add_paragraph("主讲人：张明（区文化和旅游局党组书记、局长）")
    d.add_paragraph("主持人：李华")
    d.add_paragraph("时间：2024年5月20日（星期一）下午2:30")
    d.add_paragraph("地点：区政协三层会议室")
    d.add_paragraph("5月20日下午，政协悦读大讲堂第十二期开讲。")
    d.save(path)


def typed_title(text: str, size: int):
    """A new document opening with its title as offices type it: a bold, centred, large line."""
    d = wf.docx.Document()
    title = d.add_paragraph()
    run = title.add_run(text)
    run.bold, run.font.size = True, Pt(size)
    title.alignment = 1
    return d


def test_a_lecture_record_takes_its_facts_from_its_lines(docs, tmp_path, capsys):
    path = tmp_path / "讲座纪要.docx"
    lecture_docx(path)
    code, out, err = kb(capsys, docs, "import", "record", "lecture", str(path), "--slug", "gudao")
    assert code == 0, err
    record = docs / "lectures" / "2024-05-20-gudao.md"
    parsed = read(record.read_bytes(), record.name)
    meta = parsed.meta
    assert meta["title"] == "京西古道的历史与保护" and meta["date"] == dt.date(2024, 5, 20)
    assert (meta["speaker"], meta["speaker_title"], meta["host"]) == ("张明", "区文化和旅游局党组书记、局长", "李华")
    assert (meta["time"], meta["venue"], meta["issue"]) == ("14:30", "区政协三层会议室", 12)
    body = parsed.body
    assert "主讲人" not in body and "地点：" not in body and "第十二期开讲" in body
    assert (
        "从文档开头读出：" in out
        and "主讲人（speaker）张明，主讲人职务（speaker_title）区文化和旅游局党组书记、局长" in out
    )
    assert "地点（venue）区政协三层会议室" in out and "日期（date）2024-05-20" in out
    assert run_kb("check", docs=docs).returncode == 0


def test_an_option_on_the_command_line_wins(docs, tmp_path, capsys):
    path = tmp_path / "讲座纪要.docx"
    lecture_docx(path)
    code, out, err = kb(
        capsys,
        docs,
        "import",
        "record",
        "lecture",
        str(path),
        "--slug",
        "g2",
        "--venue",
        "区图书馆",
        "--date",
        "2024-05-21",
    )
    assert code == 0, err
    meta = read((docs / "lectures" / "2024-05-21-g2.md").read_bytes(), "x").meta
    assert meta["venue"] == "区图书馆" and meta["speaker"] == "张明"


def test_without_a_date_in_the_document_or_the_options_nothing_is_written(docs, tmp_path, capsys):
    path = tmp_path / "a.docx"
    d = wf.docx.Document()
    d.add_heading("没有日期的讲座", level=1)
    d.add_paragraph("主讲人：张明")
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "lecture", str(path))
    assert code == 1 and "时间：2024年5月20日" in err and "--date" in err


def test_an_article_with_a_typed_title_and_captions_under_its_photos(docs, tmp_path, capsys):
    path = tmp_path / "文章.docx"
    d = typed_title("门头沟古村落的记忆", 22)
    d.add_paragraph("作者：王芳")
    d.add_paragraph("古村落是京西文化的见证。")
    wf.picture(d, d.add_paragraph(), wf.png_bytes())
    d.add_paragraph("图1 爨底下村全景").alignment = 1
    wf.picture(d, d.add_paragraph(), wf.png_bytes((200, 100)), descr="灵水村的古槐")
    d.add_paragraph("图2 灵水村举人故居前的古槐").alignment = 1
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path), "--slug", "cunluo")
    assert code == 0, err
    record = docs / "wenshi" / "cunluo.md"
    parsed = read(record.read_bytes(), record.name)
    assert parsed.meta["title"] == "门头沟古村落的记忆" and parsed.meta["author"] == "王芳"
    body = parsed.body
    assert body.count("门头沟古村落的记忆") == 0 and "作者" not in body
    assert '![图1 爨底下村全景](images/cunluo-1.png "图1 爨底下村全景")' in body
    assert '![灵水村的古槐](images/cunluo-2.png "图2 灵水村举人故居前的古槐")' in body
    assert "没有替代文字" not in out
    assert run_kb("check", docs=docs).returncode == 0


@pytest.mark.parametrize(
    "text, day, clock",
    [
        ("2024年5月20日（星期一）下午2:30", dt.date(2024, 5, 20), "14:30"),
        ("2024年5月20日上午9：00", dt.date(2024, 5, 20), "09:00"),
        ("2024年5月20日 14:30—16:00", dt.date(2024, 5, 20), "14:30"),
        ("2024年5月20日下午3点半", dt.date(2024, 5, 20), "15:30"),
        ("2024年5月20日", dt.date(2024, 5, 20), None),
    ],
)
def test_chinese_dates_and_times(text, day, clock):
    assert record_facts.parse_when(text) == (day, clock)


def test_the_series_subtitle_states_the_issue(docs, tmp_path, capsys):
    """As offices type it: the topic as a bold centred line, the series under it as a subtitle
    (——政协悦读大讲堂第十二期), the facts in one paragraph with line breaks (Shift+Enter)."""
    path = tmp_path / "讲座.docx"
    d = typed_title("京西古道的历史文化与保护利用", 18)
    d.add_paragraph("——政协悦读大讲堂第十二期").alignment = 1
    facts = d.add_paragraph("主讲人：张明（区文化和旅游局党组书记、局长）")
    for line in ("时间：2024年5月20日（星期一）下午2:30", "地点：区政协三层会议室"):
        facts.add_run().add_break()
        facts.add_run(line)
    d.add_paragraph("5月20日下午，讲座开讲。")
    d.save(path)
    code, out, err = kb(capsys, docs, "import", "record", "lecture", str(path), "--slug", "series")
    assert code == 0, err
    parsed = read((docs / "lectures" / "2024-05-20-series.md").read_bytes(), "x")
    assert parsed.meta["issue"] == 12 and parsed.meta["speaker"] == "张明" and parsed.meta["time"] == "14:30"
    assert "第十二期" not in parsed.body and parsed.body.strip() == "5月20日下午，讲座开讲。"


def test_the_labels_read():
    assert {"作者", "主讲人", "主持人", "时间", "地点", "期数"} <= set(record_facts.LABELS)
    assert record_facts.zh_number("十二") == 12 and record_facts.zh_number("二十一") == 21
