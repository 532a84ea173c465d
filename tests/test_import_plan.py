"""`python -m scripts.kb import plan`: the published text becomes docs/plan/<year>/, and back.

The round trip reads sources/2024-work-points.txt and compares with today's docs/plan/2024/ pages
(their text, not editors' fields such as tags). Malformed texts are refused with FILE:line and
the fix, in Chinese, and nothing is written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_testlib import DOCS, FIXTURES, ROOT, SOURCE, run_kb
from scripts.kb import cli
from scripts.kb.collections.plan import source_text as plan_text
from scripts.kb.content.frontmatter_parse import read

PLAN_2025 = FIXTURES / "plans" / "2025-work-points.txt"
SOURCE_LINES = SOURCE.read_text("utf-8").split("\n")


def import_plan(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), "import", "plan", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def meta_and_body(path: Path):
    parsed = read(path.read_bytes(), path.name)
    assert not parsed.problems, parsed.problems
    return parsed.meta, parsed.body.strip()


# --- the parser ----------------------------------------------------------------------------------


def test_parser_reads_the_published_structure():
    plan = plan_text.parse(SOURCE.read_bytes(), "sources/2024-work-points.txt")
    assert plan.year == 2024
    assert plan.title_lines == ["政协门头沟区第十一届委员会", "常务委员会2024年工作要点"]
    assert [s.number for s in plan.sections] == [1, 2, 3, 4, 5, 6]
    assert [p.number for p in plan.points] == list(range(1, 16))
    assert [p.section for p in plan.points] == [1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6]
    labels = {p.number: p.label for p in plan.points}
    assert labels[1] == "1." and labels[4] == "4. " and labels[15] == "15．"
    assert plan.attachment == "门头沟区政协 2024年工作要点任务分解表"
    assert plan.notice.addressees == "区政协各专门工作委员会、各参加单位、各界政协委员："
    assert plan.notice.issuer == "政协北京市门头沟区委员会" and str(plan.notice.issued) == "2024-01-12"
    assert str(plan.adopted) == "2024-01-11"
    assert plan.adopted_by == "政协门头沟区第十一届委员会常务委员会第九次会议"
    # the stray space inside point 12 is kept; the one after point 13 is not part of it
    assert "多组织委员 “跨界交流联谊”" in plan.points[11].body
    assert plan.points[12].body.endswith("汇聚正能量。")


def test_parser_reads_full_width_digits_and_the_year_option():
    text = PLAN_2025.read_text("utf-8")
    plan = plan_text.parse(text.encode(), "x.txt")
    assert plan.year == 2025
    assert {p.number: p.label for p in plan.points}[14] == "１４．"
    assert plan_text.parse(text.encode(), "x.txt", year=2031).year == 2031


def test_parser_tolerates_stray_spaces_tabs_blank_lines_and_crlf():
    messy = "\r\n".join(f"\t {line}  \r\n" if line.strip() else line for line in SOURCE_LINES)
    a = plan_text.parse(SOURCE.read_bytes(), "a")
    b = plan_text.parse(messy.encode("utf-8"), "b")
    assert [(p.number, p.body, p.section) for p in a.points] == [(p.number, p.body, p.section) for p in b.points]
    assert a.title_lines == b.title_lines and a.opening == b.opening


# --- round trip -----------------------------------------------------------------------------------


def test_import_into_an_empty_tree_reproduces_todays_2024_pages(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = import_plan(capsys, docs, str(SOURCE))
    assert code == 0, err
    written = docs / "plan" / "2024"
    # the overview and the notice hold only the text: byte for byte today's pages
    for name in ("index.md", "notice.md"):
        assert (written / name).read_text("utf-8") == (DOCS / "plan" / "2024" / name).read_text("utf-8"), name
    # point pages: every field the text gives, and the body, as today (tags are editors')
    for today in sorted((DOCS / "plan" / "2024").glob("[0-9][0-9].md")):
        meta, body = meta_and_body(written / today.name)
        want_meta, want_body = meta_and_body(today)
        assert body == want_body, today.name
        for key in plan_text.OWNED["point"]:
            assert meta.get(key) == want_meta.get(key), (today.name, key)
        assert meta["status"] == "not-reported"
    # the source is stored beside the docs tree
    assert (tmp_path / "sources" / "2024-work-points.txt").read_bytes() == SOURCE.read_bytes()
    assert run_kb("check", docs=docs).returncode == 0


def test_update_of_an_unchanged_text_changes_nothing(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    code, out, err = import_plan(capsys, docs, str(SOURCE), "--update")
    assert code == 0, err
    for path in sorted((DOCS / "plan" / "2024").glob("*.md")):
        assert (docs / "plan" / "2024" / path.name).read_bytes() == path.read_bytes(), path.name


def _hand_edited(docs):
    """Front matter edited by hand in valid ways the importer never writes: an editor's fields
    first, a comment, other quoting (a number or date in quotes, a title in double quotes), extra
    spaces."""
    folder = docs / "plan" / "2024"

    def edit(name, *pairs):
        text = (folder / name).read_text("utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        (folder / name).write_text(text, "utf-8")

    edit(
        "01.md",
        ("---\nyear: 2024\n", "---\n# 编辑在这里记了一笔\nprogress: 40\nstatus: in-progress\nyear: 2024\n"),
        ("status: not-reported\n", ""),
    )
    edit("02.md", ("number: 2\n", "number: '2'\n"), ("section: ", "section:   "))
    title = next(line for line in (folder / "03.md").read_text("utf-8").split("\n") if line.startswith("title: "))
    edit("03.md", (title, 'title: "' + title[len("title: ") :] + '"'))
    edit("index.md", ("year: 2024\n", 'year: "2024"\n'), ("adopted: 2024-01-11", "adopted: '2024-01-11'"))


def test_update_of_an_unchanged_text_keeps_hand_edited_front_matter(tmp_path, capsys):
    """An update that changes no text writes no file, however the editors laid out the front matter."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    _hand_edited(docs)
    before = {p.name: p.read_bytes() for p in (docs / "plan" / "2024").glob("*.md")}
    code, out, err = import_plan(capsys, docs, str(SOURCE), "--update")
    assert code == 0, err
    assert "写入 docs" not in out, out
    assert {p.name: p.read_bytes() for p in (docs / "plan" / "2024").glob("*.md")} == before


def test_update_of_a_reworded_point_changes_only_its_text(tmp_path, capsys):
    """A rewrite keeps the editors' key order, comments and quoting: only the reworded body changes."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    _hand_edited(docs)
    point = docs / "plan" / "2024" / "01.md"
    before = point.read_text("utf-8")
    later = meta_and_body(point)[1].strip().split("。", 1)[1][:12]  # past the first sentence, the title
    reworded = SOURCE.read_text("utf-8").replace(later, later[:-1] + "（改）", 1)
    assert reworded != SOURCE.read_text("utf-8")
    source = tmp_path / "2024-reworded.txt"
    source.write_text(reworded, "utf-8")
    code, out, err = import_plan(capsys, docs, str(source), "--update")
    assert code == 0, err
    after = point.read_text("utf-8")
    assert after.split("\n---\n", 1)[0] == before.split("\n---\n", 1)[0]  # the front matter as it was
    assert "（改）" in after and after != before
    assert run_kb("check", docs=docs).returncode == 0


def test_update_keeps_what_editors_recorded_and_english_pages_turn_stale(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    point = docs / "plan" / "2024" / "08.md"
    text = point.read_text("utf-8").replace(
        "status: not-reported\n",
        "status: in-progress\n# 编辑的注释\nprogress: 40\nlead_unit: 提案委员会\nmilestones:\n"
        "  - date: 2024-03-01\n    note: 召开提案工作会\nhide: [toc]\n",
    )
    point.write_text(text, "utf-8")
    english = (docs / "plan" / "2024" / "08.en.md").read_bytes()
    reworded = SOURCE.read_text("utf-8").replace("坚持“三个质量”同向发力", "坚持“三个质量”协同发力")
    source = tmp_path / "2024-reworded.txt"
    source.write_text(reworded, "utf-8")

    code, out, err = import_plan(capsys, docs, str(source), "--update")
    assert code == 0, err
    meta, body = meta_and_body(point)
    assert "坚持“三个质量”协同发力" in body and "同向发力" not in body
    assert meta["status"] == "in-progress" and meta["progress"] == 40 and meta["lead_unit"] == "提案委员会"
    assert meta["milestones"][0]["note"] == "召开提案工作会" and meta["hide"] == ["toc"]
    assert meta["tags"] and "# 编辑的注释" in point.read_text("utf-8")
    assert (docs / "plan" / "2024" / "08.en.md").read_bytes() == english
    check = run_kb("check", "--strict", docs=docs)
    assert "08.en.md" in check.stdout and "译文可能已过期" in check.stdout


def test_an_existing_year_is_refused_without_update(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS / "plan", docs / "plan")
    before = {p: p.read_bytes() for p in docs.rglob("*.md")}
    code, out, err = import_plan(capsys, docs, str(SOURCE))
    assert code == 1 and "--update" in err and "已有 2024 年" in err
    assert {p: p.read_bytes() for p in docs.rglob("*.md")} == before


def test_dry_run_writes_nothing(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = import_plan(capsys, docs, str(PLAN_2025), "--dry-run")
    assert code == 0 and "将写入" in out and "plan/2025/01.md" in out
    assert not any(docs.iterdir()) and not (tmp_path / "sources").exists()


# --- --check -------------------------------------------------------------------------------------


def test_check_passes_on_the_real_pages():
    result = run_kb("import", "plan", str(SOURCE), "--check", docs=DOCS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("05.md", "查摆整改政协党建短板弱项", "查摆整改政协党建短版弱项"),  # one character of a point's text
        ("04.md", 'label: "4. "', 'label: "4."'),  # the label as printed
        ("index.md", "画大团结奋斗同心圆", "画大团结奋斗同心园"),  # a section heading
        ("notice.md", "现予以印发", "现予印发"),
    ],
)
def test_check_names_the_page_that_differs(tmp_path, name, old, new):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "plan" / "2024" / name
    assert old in page.read_text("utf-8")
    page.write_text(page.read_text("utf-8").replace(old, new, 1), "utf-8")
    result = run_kb("import", "plan", str(SOURCE), "--check", docs=docs)
    assert result.returncode == 1
    assert f"plan/2024/{name}" in result.stdout
    assert len([line for line in result.stdout.splitlines() if "不一致：" in line]) == 1


# --- malformed texts -------------------------------------------------------------------------------


def _line_of(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(start))


def _replace(start: str, new: str):
    def mutate(lines):
        i = _line_of(lines, start) - 1
        lines[i] = new
        return lines

    return mutate


def _insert_before(start: str, new: str):
    def mutate(lines):
        lines.insert(_line_of(lines, start) - 1, new)
        return lines

    return mutate


def _delete(*starts: str):
    def mutate(lines):
        return [line for line in lines if not any(line.strip().startswith(s) for s in starts)]

    return mutate


P5 = next(line for line in SOURCE_LINES if line.startswith("5."))
P6 = next(line for line in SOURCE_LINES if line.startswith("6."))

# name: (mutation of the source's lines, start of the line the message names, words in the message)
MALFORMED = {
    "no title": (_delete("政协门头沟区第十一届委员会", "常务委员会2024年工作要点"), "2024年是新中国", ["标题"]),
    "point before any section": (_insert_before("一、", "1.一项放错位置的工作。"), "1.一项放错", ["部分标题之前"]),
    "duplicated number": (_replace("5.", "4." + P5[2:]), "4.深化落实", ["重复", "第 5 项"]),
    "number out of order": (_replace("6.", "7." + P6[2:]), "7.紧扣", ["不连续", "第 6 项"]),
    "section without points": (_delete("4. ", "5."), "二、", ["没有任何工作要点"]),
    "section numbered out of order": (
        _replace("三、", "四、在深化建言资政上见行动"),
        "四、在深化建言资政",
        ["应为“三、”"],
    ),
    "text after the attachment": (lambda ls: ls + ["多出来的一行。"], "多出来的一行", ["附件行", "最后一行"]),
    "unrecognised line": (_insert_before("6.", "（此处为续段，没有序号。）"), "（此处为续段", ["无法识别"]),
    "notice without its date": (_delete("2024年1月12日"), "关于印发", ["成文日期", "落款"]),
    "notice title differs": (
        _replace("关于印发", "关于印发《政协门头沟区常务委员会2024年工作要点》的通知"),
        "关于印发",
        ["不一致", "一字不差"],
    ),
    "impossible date in the notice": (_replace("2024年1月12日", "2024年13月12日"), "2024年13月12日", ["日期"]),
    "no sections": (_delete("一、", "二、", "三、", "四、", "五、", "六、"), "1.", ["部分标题之前"]),
    # a point's first sentence is its page's title, where MkDocs would write a tag unescaped
    "tag in a title": (
        _replace("5.", "5.深化落实<b>两个全覆盖</b>要求。其余照常。"),
        "5.深化落实<b>",
        ["HTML 标记", "<b>", "全角"],
    ),
    "control character": (
        _replace("6.", P6[:10] + "\u202e" + P6[10:]),
        P6[:10],
        ["控制字符", "U+202E", "第 11 个字符"],
    ),
    "tag in a section heading": (
        _replace("三、", "三、在深化<i>建言资政</i>上见行动"),
        "三、在深化<i>",
        ["部分标题", "HTML 标记"],
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_text_is_refused_with_file_line_and_fix(tmp_path, capsys, case):
    mutate, line_start, words = MALFORMED[case]
    lines = mutate(list(SOURCE_LINES))
    source = tmp_path / "plan.txt"
    source.write_text("\n".join(lines), "utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = import_plan(capsys, docs, str(source))
    assert code == 1
    assert f"{source}:{_line_of(lines, line_start)}: " in err, err
    for word in words:
        assert word in err, (word, err)
    assert "没有写入任何文件" in err and "Traceback" not in err + out
    assert not any(docs.iterdir()) and not (tmp_path / "sources").exists()


def test_a_notice_without_a_print_line_imports_without_one(tmp_path, capsys):
    """The print line (印发机关和印发日期) is a part of the 版记 some documents leave out: the plan
    then has no 印发 fields, and the notice page no print line."""
    source = tmp_path / "plan.txt"
    source.write_text("\n".join(_delete("政协北京市门头沟区委员会")(list(SOURCE_LINES))), "utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = import_plan(capsys, docs, str(source))
    assert code == 0, err
    meta, body = meta_and_body(docs / "plan" / "2024" / "index.md")
    assert "issuer" not in meta and "issued" not in meta
    notice = (docs / "plan" / "2024" / "notice.md").read_text("utf-8")
    assert "kb-imprint" not in notice and "2024年1月12日</p>" in notice


@pytest.mark.parametrize(
    "encoding, crlf, named",
    [("gb18030", True, "GBK"), ("utf-16", True, "UTF-16"), ("utf-8-sig", False, None)],
)
def test_a_text_saved_by_notepad_or_wps_imports_as_it_comes(tmp_path, capsys, encoding, crlf, named):
    """Notepad and WPS on Chinese Windows save text as "ANSI" (GB18030) or "Unicode" (UTF-16 with
    its byte-order mark), with CRLF line ends: the plan goes in as saved, the same pages as from
    the UTF-8 text, and sources/ keeps it as UTF-8."""
    text = SOURCE.read_text("utf-8")
    source = tmp_path / "2024年工作要点.txt"
    source.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode(encoding))
    expected_docs, docs = tmp_path / "expected" / "docs", tmp_path / "given" / "docs"
    expected_docs.mkdir(parents=True)
    docs.mkdir(parents=True)
    assert import_plan(capsys, expected_docs, str(SOURCE))[0] == 0
    code, out, err = import_plan(capsys, docs, str(source))
    assert code == 0, err
    assert (named in out) if named else "编码" not in out + err, out
    written = sorted(p.relative_to(docs) for p in docs.rglob("*.md"))
    assert written == sorted(p.relative_to(expected_docs) for p in expected_docs.rglob("*.md"))
    for name in written:
        assert (docs / name).read_bytes() == (expected_docs / name).read_bytes(), name
    stored = (tmp_path / "given" / "sources" / "2024-work-points.txt").read_bytes()
    assert stored.decode("utf-8-sig").replace("\r\n", "\n") == text
    code, out, err = import_plan(capsys, docs, str(source), "--check")
    assert code == 0, out + err


@pytest.mark.parametrize(
    "case, raw, line, words",
    [
        ("neither UTF-8 nor GBK", SOURCE.read_text("utf-8").encode("gb18030") + b"\n\x80abc\xff\n", 1, ["UTF-8"]),
        ("empty", b"\n \n", 1, ["空的"]),
    ],
)
def test_unreadable_text_is_refused(tmp_path, capsys, case, raw, line, words):
    source = tmp_path / "plan.txt"
    source.write_bytes(raw)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = import_plan(capsys, docs, str(source))
    assert code == 1 and f"{source}:{line}: " in err
    assert all(w in err for w in words), err
    assert not any(docs.iterdir())


def test_ci_checks_every_source():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "import plan" in ci and "--check" in ci and "sources/" in ci


def test_check_fails_on_a_page_the_site_would_refuse(tmp_path):
    """A page whose text is right but which kb check refuses (an editor's field out of range) is
    not published: --check says so instead of reporting it as reproducing the text."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "plan" / "2024" / "05.md"
    page.write_text(page.read_text("utf-8").replace("status: not-reported\n", "progress: 400\n", 1), "utf-8")
    assert "progress: 400" in page.read_text("utf-8")
    result = run_kb("import", "plan", str(SOURCE), "--check", docs=docs)
    assert result.returncode == 1, result.stdout
    assert "plan/2024/05.md: 与原文" in result.stdout and "未通过 kb check" in result.stdout
    assert "progress" in result.stdout and "Traceback" not in result.stdout + result.stderr
