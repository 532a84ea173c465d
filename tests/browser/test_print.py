"""Printing the full text: `/plan/2024/full-text/` printed to A4 PDF (print media) holds the
whole document (title, opening, the six section headings, the attachment line) and none of the
site's navigation, and runs to more than one page.

PDF text extraction breaks lines anywhere, so texts are compared with all whitespace removed. It
also reads some characters back as the radical that shares their glyph in the CJK font (门 as
U+2ED4 ⻔, 十 as U+2F17 ⼗): the extracted text is folded back to the unified ideographs (NFKC for
the Kangxi radicals, the table below for the CJK radicals supplement)."""

from __future__ import annotations

import io
import re
import unicodedata

import pypdf

from kb_browser import goto

TITLE = "政协门头沟区第十一届委员会常务委员会2024年工作要点"
OPENING = "2024年是新中国和人民政协成立75周年，是我区全面贯彻习近平总书记在北京河北考察灾后恢复重建时的重要讲话精神的关键之年，是地区绿色高质量转型发展决战“十四五”的重要一年，也是推动灾后恢复重建“一年基本恢复、三年全面提升、长远高质量发展”的关键一年。"
SECTIONS = [
    "一、在深化思想政治引领上见行动，坚持不懈用习近平新时代中国特色社会主义思想凝心铸魂",
    "二、在深化政协党的建设上见行动，切实加强党对政协工作的全面领导",
    "三、在深化建言资政上见行动，紧扣全区中心大局协商议政",
    "四、在深化凝聚共识上见行动，画大团结奋斗同心圆",
    "五、在深化委员队伍建设上见行动，发挥好委员主体作用",
    "六、在深化履职工作保障上见行动，持之以恒强基础、固根本",
]
ATTACHMENT = "附件：门头沟区政协 2024年工作要点任务分解表"
CHROME = ["政协门头沟区知识库", "编辑指南", "Material for MkDocs"]


# CJK Radicals Supplement characters that are whole simplified characters, and those characters
# (Unicode's EquivalentUnifiedIdeograph.txt); NFKC leaves them alone.
RADICALS = str.maketrans(
    "⺠⻁⻄⻅⻆⻉⻊⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰",
    "民虎西见角贝足车長长门雨青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙",
)
LEFTOVER = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text).translate(RADICALS))


def test_full_text_prints(page):
    goto(page, "/plan/2024/full-text/")
    page.evaluate("document.fonts.ready.then(() => true)")
    pdf = page.pdf(format="A4", print_background=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = pdf_text("\n".join(p.extract_text() or "" for p in reader.pages))

    assert len(reader.pages) >= 2, f"the PDF has {len(reader.pages)} page(s)"
    missing = [
        s for s in [TITLE, OPENING, *SECTIONS, ATTACHMENT] if squash(unicodedata.normalize("NFKC", s)) not in text
    ]
    leftover = sorted(set(LEFTOVER.findall(text)))
    assert not missing, f"missing from the PDF: {missing}\nunfolded radicals: {leftover}\nPDF text starts: {text[:400]}"
    for number in range(1, 16):  # every work point, in order
        assert re.search(rf"(?<![0-9]){number}[.．]", text), f"work point {number} missing"
    chrome = [s for s in CHROME if squash(s) in text]
    assert not chrome, f"site chrome printed: {chrome}\nPDF text starts: {text[:400]}"
