"""Word files from the office (issue 17 items 1 and 2, issue 19 item 5).

`kb import plan FILE.docx`: a plan whose points use Word's automatic numbering imports with the
numbers Word prints, every refusal of the text form names the paragraph, and `--check` re-extracts
the stored original. `kb import record COLLECTION FILE.docx`: an article with a table, a footnote
and a captioned photo becomes a record whose built page shows them, with the photo's alt text.
Other files get one plain sentence saying what they are; hostile files are refused or defused.
The Word files are made here (tests/word_files.py), with raw numbering XML where python-docx has none.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import markdown
import pytest
import word_files as wf
from test_import_plan import MALFORMED, SOURCE_LINES, _line_of

from kb_testlib import DOCS, ROOT, build_tree, page_article, page_html, page_text, run_kb
from scripts.kb import cli
from scripts.kb.collections.plan import source_text as plan_text
from scripts.kb.content.frontmatter_parse import read
from scripts.kb.sources import word

EXTENSIONS = ["attr_list", "tables", "md_in_html", "admonition"]  # mkdocs.yml's markdown_extensions


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- automatic numbering ---------------------------------------------------------------------------


def test_points_get_the_numbers_word_prints(tmp_path):
    path = tmp_path / "plan.docx"
    texts = wf.plan_docx(path)
    lines = word.plan_lines(path.read_bytes(), "plan.docx")
    plan = plan_text.parse(lines.text.encode("utf-8"), "plan.docx")
    # the digits are not in the paragraphs: Word prints them from numbering.xml
    with zipfile.ZipFile(path) as z:
        assert "1.第1项" not in z.read("word/document.xml").decode("utf-8")
    assert [p.body for p in plan.points] == texts
    assert [p.label for p in plan.points] == [f"{n}." for n in range(1, 9)]
    # numbering continues across the section headings, which are numbered 一、二、三、 by Word
    assert [p.section for p in plan.points] == [1, 1, 1, 2, 2, 3, 3, 3]
    assert [s.heading for s in plan.sections][1] == "在深化建言资政上见行动，紧扣中心"
    assert plan.notice.issuer == "政协北京市门头沟区委员会" and str(plan.notice.issued) == "2025-01-10"
    assert plan.attachment == "门头沟区政协 2025年工作要点任务分解表"


@pytest.mark.parametrize(
    "fmt, text, suffix, labels",
    [
        ("decimalFullWidth", "%1．", "nothing", ["１．", "２．", "３．"]),
        ("decimal", "%1.", "space", ["1. ", "2. ", "3. "]),
        ("decimal", "%1.", "tab", ["1. ", "2. ", "3. "]),  # Word's default: a tab, as the text form's "1.\t"
        ("decimal", "%1、", "nothing", ["1、", "2、", "3、"]),
    ],
)
def test_number_formats_as_printed(tmp_path, fmt, text, suffix, labels):
    path = tmp_path / "plan.docx"
    d = wf.docx.Document()
    for line in ("政协门头沟区常务委员会2026年工作要点", "开篇。主要工作任务如下：", "一、第一部分"):
        d.add_paragraph(line)
    num = wf.add_numbering(d, 5, 5, fmt, text, suffix=suffix)
    for k in range(3):
        wf.numbered(d.add_paragraph(f"第{k + 1}项。正文。"), num)
    d.save(path)
    plan = plan_text.parse(word.plan_lines(path.read_bytes(), "p.docx").text.encode(), "p.docx")
    assert [p.label for p in plan.points] == labels
    assert [p.number for p in plan.points] == [1, 2, 3]


def test_numbering_from_a_style_and_text_word_does_not_print(tmp_path):
    """Numbering given by the paragraph style (as 'List Number' does), deleted and hidden runs left
    out, a line break inside a paragraph kept as a line of its own."""
    path = tmp_path / "plan.docx"
    d = wf.docx.Document()
    d.add_paragraph("政协门头沟区常务委员会2026年工作要点")
    d.add_paragraph("开篇。主要工作任务如下：")
    d.add_paragraph("一、第一部分")
    first = d.add_paragraph("第一项。", style="List Number")
    hidden = first.add_run("隐藏的文字")
    hidden.font.hidden = True
    first._p.append(
        wf.parse_xml(f'<w:del {wf.NS} w:id="1" w:author="a"><w:r><w:delText>删除的文字</w:delText></w:r></w:del>')
    )
    d.add_paragraph("第二项。正文。", style="List Number")
    d.save(path)
    lines = word.plan_lines(path.read_bytes(), "p.docx")
    plan = plan_text.parse(lines.text.encode(), "p.docx")
    assert [(p.label, p.body) for p in plan.points] == [("1. ", "第一项。"), ("2. ", "第二项。正文。")]


def test_titles_set_on_two_lines_with_a_line_break(tmp_path):
    """Centred titles are often broken by hand (Shift+Enter): the notice's title stays one title,
    the plan's title gives its two title lines, the signature block its two lines."""
    path = tmp_path / "plan.docx"
    wf.plan_docx(path)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    br = "</w:t></w:r><w:r><w:br/><w:t>"
    xml = xml.replace(
        "第十一届委员会常务委员会2025年工作要点》的通知", "第十一届委员会" + br + "常务委员会2025年工作要点》的通知", 1
    )
    assert br in xml
    broken = tmp_path / "broken.docx"
    wf.rezip(path, broken, replace={"word/document.xml": xml.encode("utf-8")})
    a = plan_text.parse(word.plan_lines(path.read_bytes(), "a").text.encode(), "a")
    b = plan_text.parse(word.plan_lines(broken.read_bytes(), "b").text.encode(), "b")
    assert b.notice.title == a.notice.title == "关于印发《政协门头沟区第十一届委员会常务委员会2025年工作要点》的通知"
    assert b.points == a.points


def test_a_restarted_numbering_is_refused_naming_the_paragraph(tmp_path, capsys):
    """Word's "restart numbering" (a second instance with a start override) prints 1. again: the
    text form's refusal of a repeated number applies, with Word's paragraph number."""
    path = tmp_path / "plan.docx"

    def restart(d):
        again = wf.add_instance(d, 11, 12, restart_at=1)
        wf.numbered(d.add_paragraph("重新编号的一项。正文。"), again)

    wf.plan_docx(path, extra=restart)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(path))
    assert code == 1
    # paragraphs: 11 of the notice, title and opening, then 3 headings and 8 points, then the restarted one
    assert f"{path}:第23段: 序号 1 重复（第 13 段已有第 1 项）" in err, err
    assert "没有写入任何文件" in err
    assert not any(docs.iterdir())


# the refusals of the text form, for the same text typed in Word: the paragraph instead of the line
@pytest.mark.parametrize(
    "case",
    [
        "no title",
        "duplicated number",
        "number out of order",
        "text after the attachment",
        "unrecognised line",
        "notice without its date",
        "impossible date in the notice",
    ],
)
def test_malformed_word_plan_is_refused_naming_the_paragraph(tmp_path, capsys, case):
    mutate, line_start, words = MALFORMED[case]
    lines = mutate(list(SOURCE_LINES))
    path = tmp_path / "2024年工作要点.docx"
    wf.text_docx(lines, path)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(path))
    assert code == 1
    assert f"{path}:第{_line_of(lines, line_start)}段: " in err, err
    for w in words:
        assert w in err, (w, err)
    assert " 行" not in err.replace("印发行", "").replace("附件行", ""), (
        err
    )  # no line numbers of a text Word does not show
    assert "Traceback" not in err + out and not any(docs.iterdir()) and not (tmp_path / "sources").exists()


def test_the_2024_text_typed_in_word_gives_the_same_plan(tmp_path):
    path = tmp_path / "2024.docx"
    wf.text_docx(list(SOURCE_LINES), path)
    a = plan_text.parse(word.plan_lines(path.read_bytes(), "x.docx").text.encode(), "x.docx")
    b = plan_text.parse("\n".join(SOURCE_LINES).encode(), "x.txt")
    assert [(p.number, p.label, p.body, p.section) for p in a.points] == [
        (p.number, p.label, p.body, p.section) for p in b.points
    ]
    assert a.notice == b.notice and a.title_lines == b.title_lines and a.opening == b.opening


# --- the whole way: Word plan and Word article into a site that builds --------------------------


@pytest.fixture(scope="module")
def word_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("word")
    docs = tmp / "docs"
    shutil.copytree(DOCS, docs)
    plan_path = tmp / "2025年工作要点.docx"
    texts = wf.plan_docx(plan_path, points_per_section=(3, 2, 3))
    plan = run_kb("import", "plan", str(plan_path), docs=docs)
    article = tmp / "京西古道.docx"
    wf.article_docx(article, second_photo_alt="三家店村口的古槐")
    record = run_kb(
        "import", "record", "wenshi", str(article), "--kind", "book", "--slug", "jingxi-trade-road", docs=docs
    )
    check = run_kb("check", docs=docs)
    site = build_tree(docs, tmp)
    return {"tmp": tmp, "docs": docs, "texts": texts, "plan": plan, "record": record, "check": check, "site": site}


def test_word_plan_imports_every_point_exactly_and_the_site_builds(word_site):
    assert word_site["plan"].returncode == 0, word_site["plan"].stderr
    assert word_site["check"].returncode == 0, word_site["check"].stdout
    site = word_site["site"]
    for n, text in enumerate(word_site["texts"], 1):
        article = page_text(site, f"/plan/2025/{n:02d}/")
        assert text in article, (n, article[:300])
    full = page_text(site, "/plan/2025/full-text/")
    assert all(text in full for text in word_site["texts"])


def test_the_word_original_is_kept_and_check_re_extracts_it(word_site, tmp_path):
    sources = word_site["tmp"] / "sources"
    original = word_site["tmp"] / "2025年工作要点.docx"
    assert (sources / "2025-work-points.docx").read_bytes() == original.read_bytes()
    text = (sources / "2025-work-points.txt").read_text("utf-8")
    assert text == word.plan_lines(original.read_bytes(), "x").text
    result = run_kb("import", "plan", str(sources / "2025-work-points.docx"), "--check", docs=word_site["docs"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "一致" in result.stdout
    # a page edited away from the Word text is named
    docs = tmp_path / "docs"
    shutil.copytree(word_site["docs"] / "plan", docs / "plan")
    page = docs / "plan" / "2025" / "02.md"
    page.write_text(page.read_text("utf-8").replace("重点议题2", "重点议题二"), "utf-8")
    result = run_kb("import", "plan", str(sources / "2025-work-points.docx"), "--check", docs=docs)
    assert result.returncode == 1 and "plan/2025/02.md" in result.stdout


def test_word_article_becomes_a_record_with_its_table_and_photo(word_site):
    assert word_site["record"].returncode == 0, word_site["record"].stderr
    docs, site = word_site["docs"], word_site["site"]
    record = docs / "wenshi" / "jingxi-trade-road.md"
    parsed = read(record.read_bytes(), record.name)
    assert parsed.meta["title"] == "京西古道上的商旅往事" and parsed.meta["kind"] == "book"
    images = sorted((docs / "wenshi" / "images").glob("jingxi-trade-road-*"))
    assert [p.name for p in images] == ["jingxi-trade-road-1.png", "jingxi-trade-road-2.png"]
    article = page_article(site, "/wenshi/jingxi-trade-road/")
    text = article.text()
    assert "京西古道是北京西部山区的交通要道，历史悠久。" in text
    # Word text is text: nothing of it became HTML or Markdown
    assert "<script>alert(1)</script> 和 *星号* 与 [方括号](x)" in text
    assert article.find("script") is None
    assert article.find("strong").text() == "北京西部" and article.find("em").text() == "历史悠久"
    headings = [h.text() for h in article.iter("h2")]
    assert "一、古道的走向" in headings and "二、沿途的村落" in headings and "注释" in headings
    table = article.find("table")
    assert table is not None
    assert [c.text() for c in table.iter("th")] == ["古道", "起点", "长度（公里）"]
    assert [c.text() for c in table.iter("td")] == ["王平古道", "琉璃渠", "30", "西山大路", "三家店", "45|50"]
    assert [li.text() for li in article.find("ul").iter("li")] == ["王平古道", "西山大路", "芦潞古道"]
    assert "见《门头沟区志》第三卷。" in text
    imgs = list(article.iter("img"))
    alts = [i.attrs.get("alt") for i in imgs]
    assert "琉璃渠村的过街楼，远处是古道石阶" in alts and "三家店村口的古槐" in alts
    caption = article.find("figcaption")
    assert caption is not None and caption.text() == "图1 琉璃渠村过街楼（2023年摄）"
    assert "jingxi-trade-road-1" in page_html(site, "/wenshi/jingxi-trade-road/")


def test_a_photo_without_alt_text_is_reported_until_written(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    article = tmp_path / "a.docx"
    wf.article_docx(article)  # the second photo has no alt text in Word
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(article), "--slug", "no-alt")
    assert code == 0, err
    assert "没有替代文字" in out
    check = run_kb("check", docs=docs)
    assert check.returncode == 1
    assert (
        "wenshi/no-alt.md:" in check.stdout and "images/no-alt-2.png" in check.stdout and "缺少替代文字" in check.stdout
    )
    record = docs / "wenshi" / "no-alt.md"
    record.write_text(
        record.read_text("utf-8").replace("![](images/no-alt-2.png)", "![三家店村口](images/no-alt-2.png)"), "utf-8"
    )
    assert run_kb("check", docs=docs).returncode == 0


def test_record_options_are_those_of_kb_new(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    article = tmp_path / "a.docx"
    wf.article_docx(article, second_photo_alt="古槐")
    # a lecture needs its date: from the document's 时间 line, else --date
    code, out, err = kb(capsys, docs, "import", "record", "lecture", str(article))
    assert code == 1 and "--date" in err and "时间" in err
    code, out, err = kb(
        capsys,
        docs,
        "import",
        "record",
        "lecture",
        str(article),
        "--date",
        "2025-03-18",
        "--title",
        "京西古道讲座",
        "--speaker",
        "张明",
    )
    assert code == 0, err
    [path] = (docs / "lectures").glob("2025-03-18-*.md")
    meta = read(path.read_bytes(), path.name).meta
    assert meta["title"] == "京西古道讲座" and meta["speaker"] == "张明" and str(meta["date"]) == "2025-03-18"
    # a bad option value is refused by kb new's own check, and nothing is written
    before = files_under(docs)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(article), "--kind", "novel")
    assert code == 1 and "没有创建文件" in err
    assert files_under(docs) == before


# --- escaping ---------------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "<b>粗</b> &amp; &lt; <script>x</script>",
    "*重点* _专项_ **两个** __下划__ `代码`",
    "[1] [链接](http://x) ![图](x.png) {#id .cls} {: .x}",
    "| 表 | 格 |",
    "# 不是标题",
    "- 不是列表",
    "1. 不是编号",
    "> 不是引用",
    "＊全角＊ ＿ ［ ］ ＜ ＞ ＆ ｜ ＃ ＼",
    "反斜杠 \\ 和 \\* 和 \\\\",
    "===",
    "---",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_word_text_renders_exactly_as_typed(text):
    html = markdown.markdown(word._protect_start(word.escape(text)), extensions=EXTENSIONS)
    from kb_testlib import parse_html

    tree = parse_html(html)
    assert tree.text() == text.strip() or tree.text() == " ".join(text.split()), html
    assert not any(el.tag not in ("p",) for el in tree.iter()), html


# --- a PDF with a text layer -----------------------------------------------------------------------


def print_pdf(tmp_path: Path, body: str, name: str) -> Path:
    """An HTML page printed to PDF by Chromium (as an office's "save as PDF" does): CJK text in an
    embedded font, wrapped lines, a first-line indent per paragraph, page numbers."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Chromium is not installed (apt-get install chromium fonts-noto-cjk)")  # never a silent skip
    page = tmp_path / (name + ".html")
    page.write_text(
        '<!doctype html><html lang="zh"><meta charset="utf-8"><style>@page{margin:2.5cm}'
        "body{font:16pt 'Noto Serif CJK SC','Noto Sans CJK SC';margin:0}p{margin:0;text-indent:2em}</style>"
        f"<body>{body}</body></html>",
        "utf-8",
    )
    pdf = tmp_path / name
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return pdf


def test_a_pdf_plan_with_a_text_layer_imports_as_the_text(tmp_path, capsys):
    import html

    paragraphs = []
    for line in SOURCE_LINES:
        if "\t" in line.strip():  # the print line: the issuer, then the date far to the right
            issuer, date = line.strip().split(None, 1)
            paragraphs.append(
                f'<p>{html.escape(issuer)}<span style="margin-left:8em">{html.escape(date.strip())}</span></p>'
            )
        elif line.strip():
            paragraphs.append(f"<p>{html.escape(line.strip())}</p>")
    pdf = print_pdf(tmp_path, "".join(paragraphs), "2024年工作要点.pdf")
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 0, err
    written = docs / "plan" / "2024"
    for today in sorted((DOCS / "plan" / "2024").glob("[0-9][0-9].md")):
        have, want = read(written.joinpath(today.name).read_bytes(), "x"), read(today.read_bytes(), "y")
        assert have.body.strip() == want.body.strip(), today.name
        for key in plan_text.OWNED["point"]:
            assert have.meta.get(key) == want.meta.get(key), (today.name, key)
    assert (tmp_path / "sources" / "2024-work-points.pdf").read_bytes() == pdf.read_bytes()
    code, out, err = kb(capsys, docs, "import", "plan", str(tmp_path / "sources" / "2024-work-points.pdf"), "--check")
    assert code == 0, out + err


def test_a_scanned_pdf_is_refused_in_one_sentence(tmp_path, capsys):
    photo = tmp_path / "scan.png"
    photo.write_bytes(wf.png_bytes((600, 800), (250, 250, 245)))
    pdf = print_pdf(tmp_path, f'<img src="{photo.as_uri()}" alt="">', "扫描件.pdf")
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1 and "扫描的 PDF" in err and "没有文字层" in err
    assert not any(docs.iterdir())


# --- files that are not a .docx: one sentence each ----------------------------------------------------


def _ole(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    return path


def _docm(tmp_path, name="宏.docm"):
    src = tmp_path / "plain.docx"
    wf.plan_docx(src)
    path = tmp_path / name
    with zipfile.ZipFile(src) as z:
        types = z.read("[Content_Types].xml").replace(
            b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
        )
    wf.rezip(src, path, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    return path


def _scanned_pdf(tmp_path, name="扫描件.pdf"):
    path = tmp_path / name
    # a PDF whose only page content is an image: no text layer
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def _xlsx(tmp_path, name="表格.docx"):
    import openpyxl

    path = tmp_path / name
    wb = openpyxl.Workbook()
    wb.active["A1"] = "提案号"
    wb.save(path)
    return path


def _png(tmp_path, name="照片.docx"):
    path = tmp_path / name
    path.write_bytes(wf.png_bytes())
    return path


def _binary(tmp_path, name="未知.dat"):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8)
    return path


REFUSED = {
    ".doc": (lambda t: _ole(t, "2025年工作要点.doc"), ["旧版 Word 文档（.doc）", "另存为 .docx"]),
    ".wps": (lambda t: _ole(t, "2025年工作要点.wps"), ["WPS", "另存为 .docx"]),
    ".doc renamed .docx": (lambda t: _ole(t, "改了扩展名.docx"), ["旧版 Word 文档（.doc）"]),
    ".docm": (_docm, ["启用宏", "不含宏的 .docx"]),
    "scanned PDF": (_scanned_pdf, ["PDF"]),
    "xlsx": (_xlsx, ["Excel"]),
    "photo": (_png, ["图片"]),
    "binary": (_binary, ["不是"]),
}


@pytest.mark.parametrize("case", list(REFUSED))
@pytest.mark.parametrize("command", ["plan", "record"])
def test_other_files_get_one_plain_sentence(tmp_path, capsys, case, command):
    make, words = REFUSED[case]
    path = make(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    args = ["import", "plan", str(path)] if command == "plan" else ["import", "record", "wenshi", str(path)]
    code, out, err = kb(capsys, docs, *args)
    assert code == 1
    for w in words:
        assert w in err, (w, err)
    assert "UTF-8" not in err and "编码" not in err and "Traceback" not in err + out and "内部错误" not in err
    assert not any(docs.iterdir()) and not (tmp_path / "sources").exists()


# --- hostile Word files (issue 19 item 5) ------------------------------------------------------------


def _hostile_article(path: Path) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    d = wf.docx.Document()
    d.add_heading("不怀好意的文章", level=1)
    p = d.add_paragraph("链接：")
    r_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    for target, text in (
        ("javascript:alert(1)", "点这里"),
        ("file:///etc/passwd", "本地文件"),
        ("https://www.bjmtg.gov.cn/", "区政府网站"),
    ):
        rid = d.part.relate_to(target, RT.HYPERLINK, is_external=True)
        p._p.append(
            wf.parse_xml(
                f'<w:hyperlink {wf.NS} xmlns:r="{r_ns}" r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
            )
        )
    # a picture that is only a link to an outside address (r:link): fetched by Word when opened
    pic = d.add_paragraph()
    run = wf.picture(d, pic, wf.png_bytes(), descr="外部图片")
    blip = run._r.xpath(".//a:blip")[0]
    blip.set(f"{{{r_ns}}}link", d.part.relate_to("http://tracker.example/p.png", RT.IMAGE, is_external=True))
    del blip.attrib[f"{{{r_ns}}}embed"]
    d.add_paragraph("正文最后一段。")
    d.save(path)


def test_outside_links_and_linked_pictures_are_not_imported(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    path = tmp_path / "hostile.docx"
    _hostile_article(path)
    # an embedded OLE object (an Excel sheet inside the document)
    embedded = tmp_path / "embedded.docx"
    wf.rezip(path, embedded, add={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100})
    code, out, err = kb(capsys, docs, "import", "record", "event", str(embedded), "--date", "2025-04")
    assert code == 0, err
    record = next((docs / "events").glob("2025-04-*.md")).read_text("utf-8")
    assert "javascript:" not in record and "file:" not in record and "tracker.example" not in record
    assert "点这里" in record and "本地文件" in record and "[区政府网站](https://www.bjmtg.gov.cn/)" in record
    assert "只保留了文字" in out and "javascript:alert(1)" in out
    assert "Word 文件以外的地址" in out and "嵌入的对象" in out
    assert not (docs / "events" / "images").exists()
    assert run_kb("check", docs=docs).returncode == 0


def test_a_picture_pointing_outside_the_word_file_is_never_read(tmp_path, capsys):
    """A relationship whose target climbs out of the package (../../etc/passwd): nothing outside
    the .docx is read, the picture is left out and the editor is told."""
    src = tmp_path / "a.docx"
    wf.article_docx(src, second_photo_alt="古槐")
    with zipfile.ZipFile(src) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "media/image1.png" in rels
    path = tmp_path / "climb.docx"
    wf.rezip(
        src,
        path,
        replace={
            "word/_rels/document.xml.rels": rels.replace("media/image1.png", "../../../../../../etc/passwd").encode()
        },
    )
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path), "--slug", "climb")
    assert code == 0, err
    assert [p.name for p in (docs / "wenshi" / "images").iterdir()] == ["climb-1.png"]
    assert "1 张图片无法读取" in out
    assert "root:" not in (docs / "wenshi" / "climb.md").read_text("utf-8")


def test_a_pixel_bomb_inside_a_docx_is_refused_before_decoding(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "wenshi").mkdir()
    path = tmp_path / "bomb.docx"
    d = wf.docx.Document()
    d.add_heading("像素炸弹", level=1)
    wf.picture(d, d.add_paragraph(), wf.huge_png_header(), descr="一张巨大的图")
    d.save(path)
    assert path.stat().st_size < 100_000
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1 and "30000×30000" in err and "像素" in err and "没有写入任何文件" in err
    assert files_under(docs) == {}


def test_a_zip_bomb_docx_is_refused_by_its_unpacked_size(tmp_path, capsys):
    src = tmp_path / "plain.docx"
    wf.article_docx(src)
    path = tmp_path / "bomb.docx"
    wf.rezip(src, path, add={"word/media/padding.bin": b"\x00" * (60 * 1024 * 1024)})
    assert path.stat().st_size < 1_000_000
    docs = tmp_path / "docs"
    docs.mkdir()
    # the bomb in the part that says what the file is: not inflated to find out
    with zipfile.ZipFile(src) as z:
        types = z.read("[Content_Types].xml")
    typed = tmp_path / "typed-bomb.docx"
    wf.rezip(src, typed, replace={"[Content_Types].xml": types + b" " * (60 * 1024 * 1024)})
    for bomb in (path, typed):
        for args in (("import", "plan", str(bomb)), ("import", "record", "wenshi", str(bomb))):
            code, out, err = kb(capsys, docs, *args)
            assert code == 1 and "压缩比" in err and "为安全起见不导入" in err, err
    assert files_under(docs) == {}


def test_a_file_far_too_big_is_not_read(tmp_path, capsys):
    path = tmp_path / "huge.docx"
    with open(path, "wb") as f:
        f.truncate(101 * 1024 * 1024)  # sparse: no disk used
    docs = tmp_path / "docs"
    docs.mkdir()
    for args in (("import", "plan", str(path)), ("import", "record", "wenshi", str(path))):
        code, out, err = kb(capsys, docs, *args)
        assert code == 1 and "101 MB" in err and "没有读取" in err, err
    assert files_under(docs) == {}


def test_entity_declarations_in_word_xml_are_refused(tmp_path, capsys):
    src = tmp_path / "plain.docx"
    wf.plan_docx(src)
    with zipfile.ZipFile(src) as z:
        xml = z.read("word/document.xml")
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "hahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + xml.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&b;", 1)
    )
    path = tmp_path / "laughs.docx"
    wf.rezip(src, path, replace={"word/document.xml": laughs})
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(path))
    assert code == 1 and "DOCTYPE" in err and "没有写入任何文件" in err
    assert files_under(docs) == {}


# --- CI ----------------------------------------------------------------------------------------------


def test_ci_checks_word_sources_too():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "sources/*-work-points.docx" in ci or "-work-points.{txt,docx" in ci


def test_pictures_the_web_cannot_show_are_converted_or_left_out_with_a_note(tmp_path, capsys):
    """A GIF becomes a PNG (decoded, after the pixel check); a picture that is no web image
    (Word's EMF drawings, here its bytes) is left out and the editor is told which one."""
    import io

    from PIL import Image

    gif = io.BytesIO()
    Image.new("P", (120, 80), 3).save(gif, "GIF")
    path = tmp_path / "pictures.docx"
    d = wf.docx.Document()
    d.add_heading("两张图片", level=1)
    wf.picture(d, d.add_paragraph(), gif.getvalue(), descr="动图的第一帧")
    wf.picture(d, d.add_paragraph(), wf.png_bytes(), descr="示意图")
    d.save(path)
    emf = tmp_path / "emf.docx"
    with zipfile.ZipFile(path) as z:
        second = sorted(n for n in z.namelist() if n.startswith("word/media/"))[1]
    wf.rezip(path, emf, replace={second: b"\x01\x00\x00\x00" + b"EMF drawing" * 20})
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(emf), "--slug", "pictures")
    assert code == 0, err
    assert [p.name for p in (docs / "wenshi" / "images").iterdir()] == ["pictures-1.png"]
    assert Image.open(docs / "wenshi" / "images" / "pictures-1.png").format == "PNG"
    assert "第 2 张图片" in out and "网页无法显示，没有导入" in out
    body = (docs / "wenshi" / "pictures.md").read_text("utf-8")
    assert "![动图的第一帧](images/pictures-1.png)" in body and "示意图" not in body
    assert run_kb("check", docs=docs).returncode == 0


def test_an_article_without_a_title_needs_one(tmp_path, capsys):
    path = tmp_path / "untitled.docx"
    d = wf.docx.Document()
    d.add_paragraph("没有标题的正文。")
    d.save(path)
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    before = files_under(docs)
    code, out, err = kb(capsys, docs, "import", "record", "wenshi", str(path))
    assert code == 1 and "没有标题" in err and "--title" in err
    assert files_under(docs) == before
    code, out, err = kb(
        capsys, docs, "import", "record", "wenshi", str(path), "--title", "补上的标题", "--slug", "titled"
    )
    assert code == 0, err
    assert read((docs / "wenshi" / "titled.md").read_bytes(), "x").meta["title"] == "补上的标题"
