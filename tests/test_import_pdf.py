"""A plan's PDF read by layout (issue 29): the 红头文件 printed by a browser (Playwright's page.pdf,
as "打印 → 另存为 PDF" does) with a running header and "— N —" page numbers, justified text and
page breaks, goes in with one command; refusals name 第N页第N行 and say what to do with a PDF;
text readers cannot see (issue 32's list) is refused with its page and line.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from scripts.kb import cli
from scripts.kb.collections.plan import source_text as plan_text
from scripts.kb.content.frontmatter_parse import read
from scripts.kb.sources import word

YEAR = 2025
HEADINGS = ["在深化思想政治引领上见行动，坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂", "在深化建言资政上见行动"]


def point_text(n: int) -> str:
    return (
        f"第{n}项工作的标题。围绕“重点议题{n}”开展专题协商，深入基层扎实调研，增强协商建言深度，"
        f"向区委区政府提出更高质量、更为专业化的意见建议，推动重点工作落地见效，1.5亿元。"
    )


# The attachment's rows: (point, lead unit, cooperating units, deadline as written); a point on two
# rows is split into two measures (序号 and 工作任务 merged down over them).
TABLE_ROWS = [
    (1, "学习和文史委员会", "各专门委员会", "全年"),
    (2, "学习和文史委员会", "办公室", "6月底前"),
    (2, "学习和文史委员会", "委员联络委员会", f"{YEAR}年12月底"),
    (3, "学习和文史委员会", "", "持续推进"),
    (4, "提案委员会", "区委统战部、区政府办", "三季度末"),
    (5, "办公室", "—", "10月31日"),
    (6, "委员联络委员会", "", "年底前"),
]
TABLE_UNITS = {  # what each point gets: lead, cooperating, deadline
    1: (["学习和文史委员会"], ["各专门委员会"], f"{YEAR}-12-31"),
    2: (["学习和文史委员会"], ["办公室", "委员联络委员会"], f"{YEAR}-12-31"),
    3: (["学习和文史委员会"], [], None),
    4: (["提案委员会"], ["区委统战部", "区政府办"], f"{YEAR}-09-30"),
    5: (["办公室"], [], f"{YEAR}-10-31"),
    6: (["委员联络委员会"], [], f"{YEAR}-12-31"),
}


def attachment_table(rows=TABLE_ROWS) -> str:
    """The task breakdown as a browser prints a table: a header row repeated on each page (thead),
    section rows across the table, 序号 and 工作任务 merged down over a point's measures, 牵头单位
    merged down over points 1-3, and 工作任务 the point's whole text, wrapped in its narrow column."""
    e = html.escape
    out = ["<thead><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr></thead>"]
    spans = {n: sum(1 for r in rows if r[0] == n) for n, *_ in rows}
    lead_span = sum(1 for r in rows if r[0] <= 3)
    seen = set()
    for k, (n, lead, coop, when) in enumerate(rows):
        if n in (1, 4) and n not in seen:
            out.append(f'<tr><td colspan="5" class="sec">{"一二"[n // 4]}、{e(HEADINGS[n // 4])}</td></tr>')
        cells = ""
        if n not in seen:
            cells += f'<td rowspan="{spans[n]}">{n}</td><td rowspan="{spans[n]}">{e(point_text(n))}</td>'
        if k == 0:
            cells += f'<td rowspan="{lead_span}">{e(lead)}</td>'
        elif n > 3:
            cells += f"<td>{e(lead)}</td>"
        cells += f"<td>{e(coop)}</td><td>{e(when)}</td>"
        seen.add(n)
        out.append(f"<tr>{cells}</tr>")
    return f'<table class="tasks">{"".join(out)}</table>'


def issued_html(hidden: str = "", table: str = "") -> str:
    p = lambda text, cls="": f'<p class="{cls}">{html.escape(text)}</p>'  # noqa: E731
    title = f"政协门头沟区第十一届委员会常务委员会{YEAR}年工作要点"
    parts = [
        p("政协北京市门头沟区委员会文件", "mark"),
        p(f"门政协发〔{YEAR}〕1号", "number"),
        p(f"关于印发《{title}》的通知", "title"),
        p("区政协各专门工作委员会、各参加单位、各界政协委员：", "flush"),
        p(f"《{title}》经{YEAR}年1月9日政协门头沟区第十一届委员会常务委员会第十四次会议通过，现予以印发。"),
        p("政协门头沟区委员会", "right"),
        p(f"{YEAR}年1月10日", "right"),
        p("（此件公开发布）"),
        '<div class="page"></div>',
        p("政协门头沟区第十一届委员会", "title"),
        p(f"常务委员会{YEAR}年工作要点", "title"),
        p(f"{YEAR}年是“十四五”规划收官之年，做好全年工作意义重大。主要工作任务如下：" + hidden),
    ]
    n = 0
    for s, heading in enumerate(HEADINGS):
        parts.append(p(f"{'一二'[s]}、{heading}", "heading"))
        for _ in range(3):
            n += 1
            parts.append(p(f"{n}.{point_text(n)}"))
    if table:
        parts += [
            p(f"附件：{YEAR}年工作要点任务分解表"),
            '<div class="page"></div>',
            p("附件", "flush"),
            p(f"{YEAR}年工作要点任务分解表", "title"),
            table,
        ]
    parts += [
        '<div class="page"></div>',
        p("抄送：区委办公室，区人大常委会办公室，区政府办公室。", "flush rule"),
        f'<p class="flush imprint"><span>政协北京市门头沟区委员会办公室</span><span>{YEAR}年1月15日印发</span></p>',
    ]
    style = (
        "body{font:16pt 'Noto Serif CJK SC';margin:0;text-align:justify}p{margin:0;text-indent:2em;line-height:1.6}"
        ".mark{color:#c00000;font-size:30pt;text-align:center;text-indent:0}.number,.title{text-align:center;text-indent:0}"
        ".title{font-size:20pt}.right{text-align:right}.flush{text-indent:0}.heading{font-weight:700}"
        ".page{break-after:page}.rule{border-top:1px solid #000}.imprint{display:flex;justify-content:space-between}"
        ".tasks{border-collapse:collapse;width:100%;font-size:12pt}.tasks td,.tasks th{border:1px solid #000;padding:3pt}"
        ".tasks td:nth-child(2){width:55%}.sec{font-weight:700}"
    )
    return f'<!doctype html><html lang="zh"><meta charset="utf-8"><style>{style}</style><body>{"".join(parts)}</body></html>'


def print_pdf(
    browser, tmp_path: Path, page_html: str, name: str = "plan.pdf", header: str = "门头沟区政协文件"
) -> Path:
    """The page printed to PDF by the session's Chromium, as a browser's "save as PDF" does, with a
    running header and 公文 page numbers ("— 1 —")."""
    page = browser.new_page()
    try:
        page.set_content(page_html)
        path = tmp_path / name
        page.pdf(
            path=str(path),
            format="A4",
            margin={"top": "3.7cm", "bottom": "3.5cm", "left": "2.8cm", "right": "2.6cm"},
            display_header_footer=True,
            header_template=f'<div style="font-size:10pt;width:100%;text-align:center">{header}</div>',
            footer_template='<div style="font-size:12pt;width:100%;text-align:center">— <span class="pageNumber"></span> —</div>',
        )
    finally:
        page.close()
    return path


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def printed(tmp_path_factory, browser):
    tmp = tmp_path_factory.mktemp("pdf")
    return print_pdf(browser, tmp, issued_html())


def test_the_browser_printed_plan_goes_in_with_one_command(printed, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(printed))
    assert code == 0, err
    folder = docs / "plan" / str(YEAR)
    for n in range(1, 7):
        meta_body = read((folder / f"{n:02d}.md").read_bytes(), "x")
        assert meta_body.body.strip() == point_text(n).replace("*", "\\*"), n
    index = read((folder / "index.md").read_bytes(), "x").meta
    assert index["doc_number"] == f"门政协发〔{YEAR}〕1号"
    assert index["copied_to"] == "区委办公室，区人大常委会办公室，区政府办公室。"
    assert index["annotation"] == "（此件公开发布）" and str(index["issued"]) == f"{YEAR}-01-15"
    # the wrapped section heading is one heading; the running header and page numbers are no text
    assert index["sections"][0]["heading"] == HEADINGS[0]
    text = (tmp_path / "sources" / f"{YEAR}-work-points.txt").read_text("utf-8")
    assert "门头沟区政协文件\n" not in text and "— 1 —" not in text and "— 2 —" not in text
    assert (tmp_path / "sources" / f"{YEAR}-work-points.pdf").read_bytes() == printed.read_bytes()
    code, out, err = kb(
        capsys, docs, "import", "plan", str(tmp_path / "sources" / f"{YEAR}-work-points.pdf"), "--check"
    )
    assert code == 0, out + err


def test_a_refusal_names_the_page_and_line_and_what_to_do_with_a_pdf(browser, tmp_path, capsys):
    bad = issued_html().replace('<p class="">4.第4项', '<p class="">9.第4项')
    pdf = print_pdf(browser, tmp_path, bad)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1
    lines = word.pdf_plan_lines(pdf.read_bytes(), "x", plan_text.BLOCK_STARTS)
    place = next(w for t, w in zip(lines.text.split("\n"), lines.where, strict=False) if t.startswith("9."))
    assert f"{pdf}:{place.replace(' ', '')}: 序号 9 不连续" in err, err
    assert "页第" in place and "Word 原稿" in err and "重新导出 PDF" in err and "并入上一项" not in err.split("\n")[1]
    assert not any(docs.iterdir())


@pytest.fixture(scope="module")
def with_table(tmp_path_factory, browser):
    tmp = tmp_path_factory.mktemp("pdf-table")
    return print_pdf(browser, tmp, issued_html(table=attachment_table()))


def test_the_attachment_table_of_a_printed_plan_sets_the_points_units(with_table, tmp_path, capsys):
    """The 红头文件's PDF with its attachment: the task breakdown is a table drawn with ruled lines,
    read cell by cell (merged cells, section rows, wrapped text, the header row repeated on the
    next page), as the same table in the Word file is."""
    import pypdf

    assert len(pypdf.PdfReader(with_table).pages) >= 5  # the table goes on to a second page
    lines = word.pdf_plan_lines(with_table.read_bytes(), "x", plan_text.BLOCK_STARTS)
    rows = [line.split("\t") for line in lines.text.split("\n") if "\t" in line]
    assert sum(1 for r in rows if r[0] == "序号") == 1  # the header repeated on the next page is read once
    # every row whole, the one the page break cut too: its cells' text joined across the pages
    tasks = [r for r in rows if r[0].isdigit()]
    assert [(int(r[0]), r[1], r[3], r[4]) for r in tasks] == [
        (n, point_text(n), coop, when) for n, _, coop, when in TABLE_ROWS
    ]
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(with_table))
    assert code == 0, err
    assert f"附件“{YEAR}年工作要点任务分解表”：6 项的牵头单位" in out and "持续推进" in out
    for n, (lead, coop, day) in TABLE_UNITS.items():
        meta_body = read((docs / "plan" / str(YEAR) / f"{n:02d}.md").read_bytes(), "x")
        meta = meta_body.meta
        assert meta["lead_unit"] == lead and (meta.get("cooperating_units") or []) == coop, (n, meta)
        assert (str(meta["deadline"]) if meta.get("deadline") else None) == day, (n, meta)
        assert meta_body.body.strip() == point_text(n), n


def _stroked_borders(printed: Path, tmp_path: Path) -> Path:
    """The same PDF with its table's borders drawn as Word's PDF export draws them: stroked lines
    (x y m x y l S) and stroked rectangles instead of thin filled rectangles."""
    import pypdf

    def line(m: re.Match) -> bytes:
        x, y, w, h = (float(v) for v in m.groups())
        if h <= 1.5:
            return f"{x} {y + h / 2} m {x + w} {y + h / 2} l S".encode()
        if w <= 1.5:
            return f"{x + w / 2} {y} m {x + w / 2} {y + h} l S".encode()
        return f"{x} {y} {w} {h} re S".encode()  # an outline, if a table has one

    writer = pypdf.PdfWriter(clone_from=printed)
    changed = 0
    for page in writer.pages:
        contents = page.get_contents()
        data, n = re.subn(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re\s+f\b", line, contents.get_data())
        changed += n
        contents.set_data(data)
        page.replace_contents(contents)
    assert changed > 20
    out = tmp_path / "stroked.pdf"
    writer.write(out)
    return out


def test_a_table_whose_borders_are_stroked_lines(with_table, tmp_path):
    pdf = _stroked_borders(with_table, tmp_path)
    lines = word.pdf_plan_lines(pdf.read_bytes(), "x", plan_text.BLOCK_STARTS)
    rows = [line.split("\t") for line in lines.text.split("\n") if "\t" in line and line[0].isdigit()]
    assert [(int(r[0]), r[1], r[3], r[4]) for r in rows] == [
        (n, point_text(n), coop, when) for n, _, coop, when in TABLE_ROWS
    ]


def test_a_row_of_a_printed_table_is_named_by_its_page_and_row(browser, tmp_path, capsys):
    rows = [*TABLE_ROWS[:5], (5, "办公室", "", "下个月左右"), TABLE_ROWS[6]]
    pdf = print_pdf(browser, tmp_path, issued_html(table=attachment_table(rows)))
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1, out
    lines = word.pdf_plan_lines(pdf.read_bytes(), "x", plan_text.BLOCK_STARTS)
    place = next(w for t, w in zip(lines.text.split("\n"), lines.where, strict=False) if "下个月左右" in t)
    assert "页表格第" in place
    assert f"{pdf}:{place.replace(' ', '')}: 第 5 项的完成时限“下个月左右”认不出" in err, err
    assert "重新导出 PDF" in err and not any(docs.iterdir())


def _edited(printed: Path, tmp_path: Path, edit) -> Path:
    """The printed plan with its second page's drawing edited as a PDF tool (or a prankster) would."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=printed)
    page = writer.pages[1]
    contents = page.get_contents()
    data = edit(contents.get_data(), page)
    if data is not None:
        contents.set_data(data)
        page.replace_contents(contents)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "edited.pdf"
    path.write_bytes(out.getvalue())
    return path


def _crop(data, page):
    import pypdf

    page.cropbox = pypdf.generic.RectangleObject([0, 0, float(page.mediabox.width), 500])


HIDDEN = {
    "invisible render mode": (lambda d, p: d.replace(b"BT", b"BT 3 Tr", 1), "不显示"),
    "white on white": (lambda d, p: d.replace(b"BT", b"BT 1 1 1 rg", 1), "颜色与底色相同"),
    "tiny": (lambda d, p: re.sub(rb"(/F\d+) [0-9.]+ Tf", rb"\1 0.4 Tf", d, count=1), "磅"),
    "outside the crop box": (_crop, "显示范围之外"),
}


@pytest.mark.parametrize("case", list(HIDDEN))
def test_text_readers_cannot_see_is_refused_with_page_and_line(printed, tmp_path, capsys, case):
    edit, words = HIDDEN[case]
    pdf = _edited(printed, tmp_path, edit)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1, out
    assert f"{pdf}:第2页第" in err and words in err and "不能发布" in err, err
    assert not any(docs.iterdir())


def test_text_printed_over_other_text_is_refused_with_page_and_line(browser, tmp_path, capsys):
    """ "2024" printed on a white ground over the "2025" the paragraph says: readers see 2024, a text
    reader both. The drawing's own places are compared, glyph by glyph (pdf_overprint)."""
    cover = '<span style="position:absolute;left:2em;top:0;background:#fff">2024</span>'
    page_html = (
        issued_html()
        .replace(f'<p class="">{YEAR}年是“十四五”', f'<p class="" style="position:relative">{YEAR}年是“十四五”', 1)
        .replace("主要工作任务如下：</p>", f"主要工作任务如下：{cover}</p>", 1)
    )
    assert cover in page_html
    pdf = print_pdf(browser, tmp_path, page_html)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1, out
    assert f"{pdf}:第2页第3行: 这一行（读出来是“{YEAR}2024年是“十四五”规划收官" in err, err
    assert "叠印在另一段文字上面" in err and "重新导出 PDF" in err and not any(docs.iterdir())


def test_the_same_text_drawn_twice_is_no_overprint(browser, printed, with_table, tmp_path):
    """Nothing in the red-head plan as printed is taken for overprinting (the red 发文机关标志 in a
    large size, its glyphs from several font subsets; the attachment's table), nor is a heading
    drawn twice a little apart, as a fake bold or a shadow draws it."""
    from scripts.kb.sources.office import pdf_layout

    for pdf in (printed, with_table):
        for k, page in enumerate(pdf_layout._open(pdf.read_bytes(), "x"), 1):
            assert pdf_layout._chunks(page, "x", k)[3] is None, (pdf.name, k)
    shadowed = issued_html().replace(
        ".heading{font-weight:700}", ".heading{font-weight:700;text-shadow:0.4pt 0 0 #000}"
    )
    pdf = print_pdf(browser, tmp_path, shadowed, name="shadow.pdf")
    pages = pdf_layout._open(pdf.read_bytes(), "x")
    assert all(pdf_layout._chunks(page, "x", k)[3] is None for k, page in enumerate(pages, 1))


def test_the_pdf_text_is_the_word_text(printed):
    """What the PDF gives is what the same plan typed as text gives: the same parts, the same points."""
    lines = word.pdf_plan_lines(printed.read_bytes(), "x", plan_text.BLOCK_STARTS)
    plan = plan_text.parse(lines.text.encode(), "x")
    assert [p.body for p in plan.points] == [point_text(n) for n in range(1, 7)]
    assert plan.title_lines == ["政协门头沟区第十一届委员会", f"常务委员会{YEAR}年工作要点"]
    assert plan.head.masthead == "政协北京市门头沟区委员会文件" and plan.notice.signatory == "政协门头沟区委员会"
