"""Word files made for the tests, as the office makes them: a plan whose work points use Word's
automatic numbering (the digits are in numbering.xml, not in the paragraphs), and an article with
headings, lists, a table, a footnote and captioned photos with their alt text.

python-docx writes the documents; numbering definitions and footnotes are raw WordprocessingML,
because python-docx's 'List Number' paragraphs all share one numbering and it cannot write footnotes.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def _abstract(abstract_id: int, fmt: str, text: str, suffix: str = "nothing", start: int = 1) -> str:
    return (
        f'<w:abstractNum {NS} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )


def add_numbering(document, abstract_id: int, num_id: int, fmt: str, text: str, **kw) -> int:
    """A numbering definition (abstractNum) and one instance of it (num); returns the numId."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(_abstract(abstract_id, fmt, text, **kw))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return add_instance(document, abstract_id, num_id)


def add_instance(document, abstract_id: int, num_id: int, restart_at: int | None = None) -> int:
    """Another instance of a numbering: it continues the count unless `restart_at` is given."""
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
        if restart_at is not None
        else ""
    )
    document.part.numbering_part.element.append(
        parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>')
    )
    return num_id


def numbered(paragraph, num_id: int, level: int = 0):
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def plan_docx(
    path: Path,
    *,
    year: int = 2025,
    points_per_section: tuple[int, ...] = (3, 2, 3),
    point_format: tuple[str, str] = ("decimal", "%1."),
    section_numbering: bool = True,
    extra=None,
) -> list[str]:
    """A plan as the office issues it in Word: the notice, the title on two lines, the opening,
    section headings in bold (numbered 一、二、 by Word), points numbered 1. 2. by Word and
    continuing across sections, the attachment line. Returns the point texts (without numbers)."""
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(16)
    title = f"政协门头沟区第十一届委员会常务委员会{year}年工作要点"
    d.add_paragraph(f"关于印发《{title}》的通知")
    d.add_paragraph("区政协各专门工作委员会、各参加单位、各界政协委员：")
    d.add_paragraph(f"《{title}》经{year}年1月9日政协门头沟区第十一届委员会常务委员会第十四次会议通过，现予以印发。")
    d.add_paragraph()
    d.add_paragraph("政协门头沟区委员会")
    d.add_paragraph(f"{year}年1月10日")
    imprint = d.add_paragraph("政协北京市门头沟区委员会")
    imprint.add_run().add_tab()
    imprint.add_run(f"{year}年1月10日印发")
    d.add_paragraph()
    d.add_paragraph("政协门头沟区第十一届委员会")
    d.add_paragraph(f"常务委员会{year}年工作要点")
    d.add_paragraph(f"{year}年是“十四五”规划收官之年。主要工作任务如下：")
    sections_id = add_numbering(d, 10, 10, "chineseCounting", "%1、") if section_numbering else None
    points_id = add_numbering(d, 11, 11, point_format[0], point_format[1])
    texts = []
    headings = ["在深化思想政治引领上见行动", "在深化建言资政上见行动，紧扣中心", "在委员队伍建设上见行动"]
    zh = "一二三四五六七八九"
    for s, count in enumerate(points_per_section):
        heading = headings[s % len(headings)]
        if section_numbering:
            p = numbered(d.add_paragraph(), sections_id)
        else:
            p = d.add_paragraph(f"{zh[s]}、")
        p.add_run(heading).bold = True
        for _ in range(count):
            n = len(texts) + 1
            body = f"第{n}项工作的标题。围绕“重点议题{n}”开展协商，*不是强调*，_专项_，1.5亿元。"
            texts.append(body)
            numbered(d.add_paragraph(body), points_id)
    if extra:
        extra(d)
    d.add_paragraph(f"附件：门头沟区政协 {year}年工作要点任务分解表")
    d.save(path)
    return texts


def png_bytes(size=(320, 200), color=(180, 60, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def picture(document, paragraph, data: bytes, *, descr: str | None = None, title: str | None = None):
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(data))
    doc_pr = run._r.xpath(".//wp:docPr")[0]
    if descr is not None:
        doc_pr.set("descr", descr)
    if title is not None:
        doc_pr.set("title", title)
    return run


FOOTNOTES = (
    f"<w:footnotes {NS}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> 见《门头沟区志》第三卷。</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def add_footnote(document, paragraph) -> None:
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(
        parse_xml(f'<w:r {NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
    )


def article_docx(path: Path, *, photo: bytes | None = None, second_photo_alt: str | None = None) -> None:
    """A 文史 article as written in Word: a title heading, headings, bold and italic, a bulleted and
    a numbered list, a table with a header row, a footnote, a photo with alt text and a caption
    (题注), and a second photo without alt text unless `second_photo_alt` is given."""
    d = docx.Document()
    d.add_heading("京西古道上的商旅往事", level=1)
    p = d.add_paragraph("京西古道是")
    p.add_run("北京西部").bold = True
    p.add_run("山区的交通要道，")
    p.add_run("历史悠久").italic = True
    p.add_run("。正文里写着 <script>alert(1)</script> 和 *星号* 与 [方括号](x)，应原样显示。")
    add_footnote(d, p)
    d.add_heading("一、古道的走向", level=2)
    for text in ("王平古道", "西山大路", "芦潞古道"):
        d.add_paragraph(text, style="List Bullet")
    for text in ("实地踏勘", "走访老人"):
        d.add_paragraph(text, style="List Number")
    table = d.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(
        (("古道", "起点", "长度（公里）"), ("王平古道", "琉璃渠", "30"), ("西山大路", "三家店", "45|50"))
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_heading("二、沿途的村落", level=2)
    pic = d.add_paragraph()
    picture(d, pic, photo or png_bytes(), descr="琉璃渠村的过街楼，远处是古道石阶", title="过街楼")
    d.add_paragraph("图1 琉璃渠村过街楼（2023年摄）", style="Caption")
    pic2 = d.add_paragraph()
    picture(d, pic2, png_bytes((200, 120), (30, 90, 160)), descr=second_photo_alt)
    d.add_paragraph("沿途村落至今保存着许多老字号的遗迹。")
    d.save(path)


def text_docx(lines: list[str], path: Path, *, auto_points: bool = False) -> None:
    """The issued text as a Word file, one paragraph per line (blank lines too). With
    `auto_points`, the points' typed numbers ("1." "4. " "15．") become Word's automatic numbering."""
    import re

    d = docx.Document()
    points_id = add_numbering(d, 20, 20, "decimal", "%1.") if auto_points else None
    for line in lines:
        m = re.match(r"^\s*[0-9０-９]{1,3}\s*[.．]\s*(?=[^0-9０-９\s])", line) if auto_points else None
        if m:
            numbered(d.add_paragraph(line[m.end() :]), points_id)
        else:
            p = d.add_paragraph()
            for k, part in enumerate(line.split("\t")):
                if k:
                    p.add_run().add_tab()
                if part:
                    p.add_run(part)
    d.save(path)


def huge_png_header(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG that declares width×height pixels in a few bytes (a pixel bomb: never decode it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def rezip(
    source: Path, target: Path, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> None:
    """A copy of a .docx with some members replaced or added."""
    import zipfile

    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)


# --- a plan as issued: the 红头文件 (GB/T 9704-2012) -----------------------------------------------

RED = "C00000"


def _red_rule(paragraph) -> None:
    """The red separating rule under the 版头: a bottom border on the 文号's paragraph, as Word's
    公文 templates draw it."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {NS}><w:bottom w:val="single" w:sz="12" w:space="1" w:color="{RED}"/></w:pBdr>'))


def _page_break(document) -> None:
    document.add_paragraph().add_run()._r.append(parse_xml(f'<w:br {NS} w:type="page"/>'))


def _header_and_page_numbers(document, header_text: str) -> None:
    """A running header and "— N —" page numbers in the footer (a PAGE field), as the office sets them."""
    section = document.sections[0]
    section.header.paragraphs[0].text = header_text
    footer = section.footer.paragraphs[0]
    footer.add_run("— ")
    footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" —")


def _tracked(paragraph, kept: str, inserted: str, deleted: str) -> None:
    """Text with tracked changes not yet accepted: an insertion Word prints, a deletion it does not."""
    paragraph.add_run(kept)
    paragraph._p.append(
        parse_xml(
            f'<w:ins {NS} w:id="91" w:author="办公室" w:date="2025-01-08T10:00:00Z"><w:r><w:t>{inserted}</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {NS} w:id="92" w:author="办公室" w:date="2025-01-08T10:00:00Z"><w:r><w:delText>{deleted}</w:delText></w:r></w:del>'
        )
    )


def _cell_merge(cell, merge: str | None = None, span: int | None = None) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if span:
        tcpr.append(parse_xml(f'<w:gridSpan {NS} w:val="{span}"/>'))
    if merge:
        tcpr.append(parse_xml(f'<w:vMerge {NS} w:val="{merge}"/>' if merge == "restart" else f"<w:vMerge {NS}/>"))


RED_HEAD_UNITS = {
    # point: (lead units, cooperating units, deadline cell, deadline), as the attachment lists them
    1: (["学习和文史委员会"], ["各专门委员会", "办公室"], "全年", "12-31"),
    2: (["学习和文史委员会"], ["办公室"], "6月底", "06-30"),
    3: (["学习和文史委员会"], [], "持续推进", None),
    4: (["办公室"], ["研究室"], "三季度末", "09-30"),
    5: (["机关党组"], ["机关党支部"], "长期", None),
    6: (["提案委员会"], ["各专门委员会"], "年底前", "12-31"),
    7: (["提案委员会"], ["区委统战部"], "2025年10月31日", "10-31"),
    8: (["委员联络委员会", "办公室"], [], "全年", "12-31"),
}


def red_head_plan_docx(path: Path, *, year: int = 2025, record_in_table: bool = False) -> list[str]:
    """A plan issued as the committee's 红头文件: 版头 (发文机关标志 in red, 发文字号 and the red rule),
    the notice with its 附注, the plan (points numbered by Word, one point edited with tracked
    changes), its attachment line; then, on a page of its own, 附件 with the task breakdown as a Word
    table (a header row, section rows across the table, 牵头单位 merged down over three points,
    完成时限 as offices write it); then the 版记 (抄送 and 印发). A running header and page numbers in
    the footer. Returns the points' texts as Word prints them."""
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(16)
    _header_and_page_numbers(d, "门头沟区政协文件")
    title = f"政协门头沟区第十一届委员会常务委员会{year}年工作要点"
    mark = d.add_paragraph()
    run = mark.add_run("政协北京市门头沟区委员会文件")
    run.font.size, run.bold = Pt(36), True
    run.font.color.rgb = docx.shared.RGBColor.from_string(RED)
    mark.alignment = 1
    number = d.add_paragraph(f"门政协发〔{year}〕1号")
    number.alignment = 1
    _red_rule(number)
    d.add_paragraph(f"关于印发《{title}》的通知").alignment = 1
    d.add_paragraph("区政协各专门工作委员会、各参加单位、各界政协委员：")
    d.add_paragraph(f"《{title}》经{year}年1月9日政协门头沟区第十一届委员会常务委员会第十四次会议通过，现予以印发。")
    d.add_paragraph()
    d.add_paragraph("政协门头沟区委员会").alignment = 2
    d.add_paragraph(f"{year}年1月10日").alignment = 2
    d.add_paragraph("（此件公开发布）")
    _page_break(d)
    d.add_paragraph("政协门头沟区第十一届委员会").alignment = 1
    d.add_paragraph(f"常务委员会{year}年工作要点").alignment = 1
    d.add_paragraph(f"{year}年是“十四五”规划收官之年。主要工作任务如下：")
    sections_id = add_numbering(d, 10, 10, "chineseCounting", "%1、")
    points_id = add_numbering(d, 11, 11, "decimal", "%1.")
    headings = ["在深化思想政治引领上见行动", "在深化建言资政上见行动，紧扣中心", "在委员队伍建设上见行动"]
    texts = []
    for s, count in enumerate((3, 2, 3)):
        numbered(d.add_paragraph(), sections_id).add_run(headings[s]).bold = True
        for _ in range(count):
            n = len(texts) + 1
            body = f"第{n}项工作的标题。围绕“重点议题{n}”开展协商，*不是强调*，_专项_，1.5亿元。"
            p = numbered(d.add_paragraph(), points_id)
            if n == 4:  # edited with track changes on: the insertion is printed, the deletion not
                _tracked(p, body[:10], body[10:], "删去的旧文字")
            else:
                p.add_run(body)
            texts.append(body)
    attachment = f"门头沟区政协{year}年工作要点任务分解表"
    d.add_paragraph(f"附件：{attachment}")
    _page_break(d)
    d.add_paragraph("附件")
    d.add_paragraph(attachment).alignment = 1
    rows = [("序号", "工作任务", "牵头单位", "配合单位", "完成时限")]
    table = d.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for c, value in enumerate(rows[0]):
        table.cell(0, c).text = value
    n = 0
    for s, count in enumerate((3, 2, 3)):
        section_row = table.add_row()
        merged = section_row.cells[0].merge(section_row.cells[4])
        merged.text = f"{'一二三'[s]}、{headings[s]}"
        for _ in range(count):
            n += 1
            lead, coop, when, _ = RED_HEAD_UNITS[n]
            row = table.add_row().cells
            row[0].text = str(n)
            row[1].text = texts[n - 1].split("。")[0]
            row[2].text = "、".join(lead) if n not in (2, 3) else ""
            row[3].text = "、".join(coop)
            row[4].text = when
    # 牵头单位 of points 1-3 merged down (学习和文史委员会), as offices merge a repeated unit
    first = 2  # table rows: header, section 一, point 1 ...
    top = table.cell(first, 2)
    _cell_merge(top, "restart")
    for k in (first + 1, first + 2):
        _cell_merge(table.cell(k, 2), "continue")
    d.add_paragraph()
    copied = "区委办公室，区人大常委会办公室，区政府办公室。"
    issued = f"政协北京市门头沟区委员会办公室\t{year}年1月15日印发"
    if record_in_table:  # WPS 公文 templates put the 版记 in a table without borders
        record = d.add_table(rows=2, cols=2)
        record.cell(0, 0).merge(record.cell(0, 1)).text = f"抄送：{copied}"
        record.cell(1, 0).text, record.cell(1, 1).text = issued.split("\t")
    else:
        d.add_paragraph(f"抄送：{copied}")
        p = d.add_paragraph("政协北京市门头沟区委员会办公室")
        p.add_run().add_tab()
        p.add_run(f"{year}年1月15日印发")
    d.save(path)
    return texts
