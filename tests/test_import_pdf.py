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

CHROMIUM = Path("/usr/bin/chromium")
YEAR = 2025
HEADINGS = ["在深化思想政治引领上见行动，坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂", "在深化建言资政上见行动"]


def point_text(n: int) -> str:
    return (
        f"第{n}项工作的标题。围绕“重点议题{n}”开展专题协商，深入基层扎实调研，增强协商建言深度，"
        f"向区委区政府提出更高质量、更为专业化的意见建议，推动重点工作落地见效，1.5亿元。"
    )


def issued_html(hidden: str = "") -> str:
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
    )
    return f'<!doctype html><html lang="zh"><meta charset="utf-8"><style>{style}</style><body>{"".join(parts)}</body></html>'


def print_pdf(tmp_path: Path, page_html: str, name: str = "plan.pdf", header: str = "门头沟区政协文件") -> Path:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is needed for the PDF tests (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = browser.new_page()
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
        browser.close()
    return path


def kb(capsys, docs: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    return print_pdf(tmp, issued_html())


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


def test_a_refusal_names_the_page_and_line_and_what_to_do_with_a_pdf(tmp_path, capsys):
    bad = issued_html().replace('<p class="">4.第4项', '<p class="">9.第4项')
    pdf = print_pdf(tmp_path, bad)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, out, err = kb(capsys, docs, "import", "plan", str(pdf))
    assert code == 1
    lines = word.pdf_plan_lines(pdf.read_bytes(), "x", plan_text.BLOCK_STARTS)
    place = next(w for t, w in zip(lines.text.split("\n"), lines.where, strict=False) if t.startswith("9."))
    assert f"{pdf}:{place.replace(' ', '')}: 序号 9 不连续" in err, err
    assert "页第" in place and "Word 原稿" in err and "重新导出 PDF" in err and "并入上一项" not in err.split("\n")[1]
    assert not any(docs.iterdir())


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


def test_the_pdf_text_is_the_word_text(printed):
    """What the PDF gives is what the same plan typed as text gives: the same parts, the same points."""
    lines = word.pdf_plan_lines(printed.read_bytes(), "x", plan_text.BLOCK_STARTS)
    plan = plan_text.parse(lines.text.encode(), "x")
    assert [p.body for p in plan.points] == [point_text(n) for n in range(1, 7)]
    assert plan.title_lines == ["政协门头沟区第十一届委员会", f"常务委员会{YEAR}年工作要点"]
    assert plan.head.masthead == "政协北京市门头沟区委员会文件" and plan.notice.signatory == "政协门头沟区委员会"
