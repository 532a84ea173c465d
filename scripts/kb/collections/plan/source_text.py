"""The published text of a year's plan, as issued: parsing it, and the pages it becomes.

A plan arrives as plain text laid out the way the standing committee prints it
(sources/2024-work-points.txt): the notice (title, addressees, body, signatory, date, print line),
then the plan (title lines, opening paragraph, section headings `一、…`, numbered points `1.`,
`4. `, `15．`, `１６．`, and the attachment line). `parse` turns it into a `PlanText`; the
`*_page` functions write the pages of docs/plan/<year>/ from it; `merge` keeps what editors
recorded when a page is written again; `compare` says which pages no longer reproduce the text.

Plain Python: no MkDocs, so the command, the checks and the tests share it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

import yaml
from pydantic import TypeAdapter, ValidationError

from ...content import fields as field_types
from ...content import personal_data
from ...content.fields import Page
from ...content.frontmatter_parse import decode, read
from ...sources import encodings, frontmatter_edit
from .model import Plan, WorkPoint

_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SECTION = re.compile(r"^(?P<numeral>[一二三四五六七八九十]+)、\s*(?P<heading>\S.*)$")
# A point's number as printed, with its separator and any spaces after it: "4. ", "15．", "１６．".
# The text must not go on with a digit ("1.5亿元…" is not point 1).
POINT = re.compile(r"^(?P<label>(?P<digits>[0-9０-９]{1,3})\s*[.．、]\s*)(?P<body>[^0-9０-９\s].*)$")
ATTACHMENT = re.compile(r"^附件\s*[:：]\s*(?P<name>\S.*)$")
NOTICE_TITLE = re.compile(r"^关于印发《(?P<plan_title>[^》]+)》的通知$")
CN_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
IMPRINT = re.compile(r"^(?P<issuer>\S.*?)\s+(?P<date>\d{4}年\d{1,2}月\d{1,2}日)\s*印发$")
# "经2025年1月9日……会议（审议）通过": the meeting's name without the verb before 通过
ADOPTED = re.compile(r"经(?P<date>\d{4}年\d{1,2}月\d{1,2}日)(?P<meeting>.+?)(?:审议|讨论|研究|表决)?通过")
YEAR_IN_TITLE = re.compile(r"(?P<year>\d{4})年工作要点$")


class PlanTextError(Exception):
    """Text that does not follow the published structure. `line` is 1-based; the message, in
    Chinese, says what is wrong and how to fix it."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Notice:
    title: str
    addressees: str
    paragraphs: list[str]
    signatory: str | None  # 发文机关署名; None where the notice has only its date
    signed: str  # the date line as printed, e.g. "2024年1月12日"
    paragraph_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, paragraph)
    lines: dict[str, int] = field(default_factory=dict)  # "title", "date", "annotation": their lines
    annotation: str | None = None  # 附注 as printed, with its parentheses: （此件公开发布）
    copied_to: str | None = None  # the 版记's 抄送机关
    imprint: Imprint | None = None  # the print line (印发机关和印发日期), under the date or in the 版记

    @property
    def issuer(self) -> str | None:
        return self.imprint.issuer if self.imprint else None

    @property
    def issued_text(self) -> str | None:
        return self.imprint.issued_text if self.imprint else None

    @property
    def issued(self) -> dt.date | None:
        return self.imprint.issued if self.imprint else None


@dataclass
class Section:
    number: int
    heading: str
    line: int


@dataclass
class Point:
    number: int
    label: str  # as printed, with its separator and trailing spaces: "4. ", "15．"
    body: str
    section: int
    line: int

    @property
    def title(self) -> str:
        """The point's first sentence, which the published text uses as its heading."""
        head, sep, _ = self.body.partition("。")
        return head if sep and head else self.body


@dataclass
class PlanText:
    year: int
    title_lines: list[str]
    opening: list[str]
    sections: list[Section]
    points: list[Point]
    notice: Notice | None = None
    attachment: str | None = None  # the attachment line's name (附件：…)
    adopted: dt.date | None = None
    adopted_by: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # where things were found, for messages
    head: Head = field(default_factory=lambda: Head())  # 版头
    copied_to: str | None = None  # 版记: 抄送机关
    imprint: Imprint | None = None  # 版记 (or under the notice's date): 印发机关和印发日期
    attachments: list[Attachment] = field(default_factory=list)  # the attachments' own pages

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "Ｏ": 0}


def _cn_date(text: str) -> dt.date | None:
    """A date as printed: 2024年1月12日 (also in full-width digits), or 二〇二四年一月十二日."""
    text = unicodedata.normalize("NFKC", text)
    m = CN_DATE.fullmatch(text) or CN_DATE.search(text)
    if not m and (
        w := re.fullmatch(
            r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日", text
        )
    ):
        try:
            y = int("".join(str(_CN_DIGIT[c]) for c in w[1]))
            return dt.date(y, _zh_number(w[2]), _zh_number(w[3]))
        except (KeyError, ValueError):
            return None
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def _zh_number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _ZH_DIGITS[numeral[1]]
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return _ZH_DIGITS[tens] * 10 + (_ZH_DIGITS[units] if units else 0)
    return _ZH_DIGITS.get(numeral, 0) if len(numeral) == 1 else 0


def _digits(text: str) -> int:
    return int("".join(str(unicodedata.digit(c)) for c in text))


@dataclass
class Line:
    number: int  # 1-based line of the text form
    text: str  # stripped, a tab inside shown as a space
    raw: str  # as in the text form, tabs kept (a table row's cells are separated by tabs)

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.raw.split("\t")]


def parse(raw: bytes, path: str, *, year: int | None = None) -> PlanText:
    """Read the published text, a 公文 as issued (GB/T 9704-2012): 版头, the notice, the plan, its
    attachments and the 版记, each optional but the plan. Raises PlanTextError (path, line,
    Chinese message with the fix)."""
    lines = _read_lines(raw, path)
    lines, record = _take_record(lines)
    head, pos = _take_head(lines, path)
    notice, pos = _take_notice(lines, pos, path)
    title_lines, title_numbers, pos = _take_title(lines, pos, path)
    plan_title = "".join(title_lines)
    year = _year(plan_title, title_numbers[0], path, year)
    if notice is not None:
        _check_quoted_title(notice, plan_title, path)
    opening, pos = _take_opening(lines, pos, path)
    sections, points, attachment, pos = _take_points(lines, pos, path)
    attachments = _take_attachments(lines, pos, attachment, path)
    plan = PlanText(year, title_lines, opening, sections, points, notice, attachment[1] if attachment else None)
    plan.head, plan.attachments = head, attachments
    plan.copied_to = record.copied_to or (notice.copied_to if notice else None)
    plan.imprint = record.imprint or (notice.imprint if notice else None)
    if record.copied_to is None and plan.copied_to is not None:
        record.lines["copied_to"] = notice.lines["copied_to"]
    if notice is not None:
        notice.copied_to, notice.imprint = plan.copied_to, plan.imprint
    plan.lines = {"attachment": attachment[0]} if attachment else {}
    _read_adoption(plan)
    _check_titles(plan, title_numbers, record, path)
    return plan


def as_utf8(raw: bytes) -> tuple[bytes, str | None]:
    """The plan's text file as UTF-8 bytes (the text kept in sources/ is UTF-8), and the encoding
    it came in when that was another (sources/encodings.py); bytes that are none of these are left
    to `decode`, which names the line."""
    text, came_as = encodings.office_text(raw)
    return (text.encode("utf-8"), came_as) if text is not None and came_as else (raw, None)


def _read_lines(raw: bytes, path: str) -> list[Line]:
    """The text's lines without blank ones; every line checked for characters a page cannot show."""
    text, problems = decode(raw, path)
    if text is None:
        raise PlanTextError(path, problems[0].line, problems[0].message)
    # A tab inside a line (Word's alignment) is a space: readers see no difference, and a title
    # (a point's first sentence) may hold no tab. Table rows keep theirs in `raw`.
    lines = []
    for i, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if line.strip():
            lines.append(Line(i, line.strip().replace("\t", " "), line.rstrip("\r")))
    for line in lines:  # the plan is published: no personal data in any line
        if hits := personal_data.find(line.text):
            raise PlanTextError(path, line.number, personal_data.message(hits, public=True))
    for line in lines:  # the rule of every one-line field (field_types.OneLine), for every line
        try:
            _ONE_LINE.validate_python(line.text)
        except ValidationError as exc:
            code = str(exc.errors()[0].get("ctx", {}).get("error", "")).rpartition(":")[2]
            at = line.text.find(chr(int(code[2:], 16))) + 1 if code.startswith("U+") else 0
            raise PlanTextError(
                path,
                line.number,
                f"这一行第 {at} 个字符是看不见的控制字符（{code}），网页上无法原样显示，"
                "还可能打乱文字的显示顺序。请删去这个字符（如果文字是从别处复制来的，请重新输入这一行）。",
            ) from None
    if not lines:
        raise PlanTextError(path, 1, "文件是空的。请粘贴印发的工作要点全文（印发通知和工作要点正文）。")
    return lines


# --- the 公文's parts ------------------------------------------------------------------------------

# 版头: 份号, 密级 and 紧急程度, 发文机关标志 ("…文件"), 发文字号 (门政协发〔2025〕1号: brackets as offices
# type them, spaces a justified line leaves), 签发人 (beside the 文号 or on its own line).
SHARE_NUMBER = re.compile(r"^[0-9０-９]{1,6}$")
SECRECY = re.compile(r"^(?:绝密|机密|秘密|特急|加急|特提|平急)(?:\s*★.*)?$")
DOC_NUMBER = re.compile(
    r"^(?P<number>[\u4e00-\u9fff]{1,16}[〔\[［(（【][0-9０-９]{4}[〕\]］)）】][0-9０-９]{1,4}号)"
    r"(?:签发人[:：](?P<signer>\S.*))?$"
)
SIGNER = re.compile(r"^签\s*发\s*人\s*[:：]\s*(?P<signer>\S.*)$")
# 附注 under the date, in parentheses: （此件公开发布）
ANNOTATION = re.compile(r"^[（(](?P<note>[^（）()]{1,60})[)）]$")
# 版记 at the very end: 抄送机关, then (or before) 印发机关和印发日期.
COPIED_TO = re.compile(r"^抄\s*送\s*[:：]\s*(?P<units>\S.*)$")
PRINT_RUN = re.compile(r"^[（(]共印\s*[0-9０-９]+\s*份[)）]$")
# An attachment's own page starts with 附件 or 附件1 on a line of its own.
ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*(?P<n>[0-9０-９]{1,2}|[一二三四五六七八九十])?\s*[:：]?$")
LOOSE_DATE = re.compile(r"^[0-9０-９〇○零一二三四五六七八九十]{2,4}年[^年\s]{1,3}月[^月\s]{1,3}日$")
# Lines that always start a paragraph of the issued text (the PDF reader joins the others).
BLOCK_STARTS = (SECTION, POINT, ATTACHMENT, IMPRINT, COPIED_TO, ATTACHMENT_HEAD, LOOSE_DATE)


@dataclass
class Head:
    """The 版头, where the document has one."""

    masthead: str | None = None  # 发文机关标志, spaces removed: 政协北京市门头沟区委员会文件
    doc_number: str | None = None  # 发文字号, spaces removed: 门政协发〔2025〕1号
    signer: str | None = None  # 签发人
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Imprint:
    issuer: str  # 印发机关
    issued_text: str  # the date as printed
    issued: dt.date
    line: int


@dataclass
class Colophon:
    """The 版记."""

    copied_to: str | None = None  # 抄送机关, as printed after "抄送："
    imprint: Imprint | None = None
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Attachment:
    label: str  # 附件, 附件1
    title: str
    line: int
    rows: list[Line] = field(default_factory=list)  # what follows the title: a table's rows, notes


def _imprint(line: Line, path: str) -> Imprint | None:
    m = IMPRINT.match(line.text)
    if not m:
        return None
    issued = _cn_date(m["date"])
    if issued is None:
        raise PlanTextError(path, line.number, f"印发行中的日期“{m['date']}”不是存在的日期。请改正。")
    return Imprint(m["issuer"], m["date"], issued, line.number)


def _take_record(lines: list[Line]) -> tuple[list[Line], Colophon]:
    """The 版记 at the end (抄送 and the 印发 line, in either order), taken off the lines."""
    record = Colophon()
    end = len(lines)
    while end > 1:
        line = lines[end - 1]
        if (m := COPIED_TO.match(line.text)) and record.copied_to is None:
            record.copied_to, record.lines["copied_to"] = m["units"], line.number
        elif IMPRINT.match(line.text) and record.imprint is None:
            record.imprint = _imprint(line, "")
        elif not PRINT_RUN.match(line.text):
            break
        end -= 1
    return lines[:end], record


def _title_length(lines: list[Line], pos: int) -> int:
    """How many lines from `pos` join into a plan's title ("…工作要点"), 0 when they do not."""
    joined = ""
    for k in range(pos, min(pos + 4, len(lines))):
        s = lines[k].text
        if SECTION.match(s) or POINT.match(s) or "。" in s:
            return 0
        joined += s
        if joined.endswith("工作要点"):
            return k - pos + 1
    return 0


def _take_head(lines: list[Line], path: str) -> tuple[Head, int]:
    """The 版头 before the notice's (or the plan's) title: the lines of 发文机关标志, 发文字号,
    签发人, 份号, 密级 and 紧急程度."""
    head = Head()
    start = next(
        (k for k in range(min(len(lines), 8)) if lines[k].text.startswith("关于") or _title_length(lines, k)), None
    )
    if not start:
        return head, 0
    masthead = []
    for line in lines[:start]:
        compact = re.sub(r"\s+", "", line.text)
        if m := DOC_NUMBER.match(compact):
            head.doc_number, head.lines["doc_number"] = m["number"], line.number
            if m["signer"]:
                head.signer, head.lines["signer"] = SIGNER.match("签发人：" + m["signer"])["signer"], line.number
        elif m := SIGNER.match(line.text):
            head.signer, head.lines["signer"] = m["signer"].strip(), line.number
        elif SHARE_NUMBER.match(compact) or SECRECY.match(line.text):
            continue
        elif "。" not in line.text and len(compact) <= 40:
            masthead.append((line.number, compact))
        else:
            raise PlanTextError(
                path,
                line.number,
                f"标题之前的这一行“{line.text[:30]}”不是版头（发文机关标志、发文字号、签发人）。"
                "原文应以版头或印发通知的标题（“关于印发《……》的通知”）开始：请核对原文，删去多余的文字。",
            )
    if masthead:
        head.masthead, head.lines["masthead"] = "".join(t for _, t in masthead), masthead[0][0]
    return head, start


def _take_notice(lines: list[Line], pos: int, path: str) -> tuple[Notice | None, int]:
    """The notice: title (on up to three lines), addressees (ending with a colon), body (with any
    附件说明), signatory, date, then 附注 and the print line where the text puts them there."""
    if pos >= len(lines) or not lines[pos].text.startswith("关于"):
        return None, pos
    title_line = lines[pos]
    title, pos = title_line.text, pos + 1
    while not title.endswith("通知") and pos < len(lines) and pos - title_line.number < 3:
        if not any(lines[k].text.endswith("通知") for k in range(pos, min(pos + 2, len(lines)))):
            break
        title, pos = title + lines[pos].text, pos + 1
    if pos >= len(lines):
        raise PlanTextError(path, title_line.number, "印发通知之后没有任何内容。请按原文补齐通知和工作要点正文。")
    addressees = lines[pos]
    if not addressees.text.endswith(("：", ":")):
        raise PlanTextError(
            path,
            addressees.number,
            f"通知的主送单位“{addressees.text[:20]}”应以冒号“：”结尾。请核对原文（例如“区政协各专门工作委员会……：”）。",
        )
    date_at = next((k for k in range(pos + 1, len(lines)) if LOOSE_DATE.match(lines[k].text)), None)
    if date_at is None:
        raise PlanTextError(
            path,
            title_line.number,
            "印发通知没有成文日期（落款下的“2024年1月12日”）。请按原文补上通知的落款和日期。",
        )
    date = lines[date_at]
    if _cn_date(date.text) is None:
        raise PlanTextError(
            path, date.number, f"通知落款的日期“{date.text}”无法识别：应写成“2024年1月12日”，且是存在的日期。请改正。"
        )
    body_end = date_at
    signatory = None
    before = lines[date_at - 1]
    if (
        date_at - 1 > pos
        and len(before.text) <= 40
        and not before.text.endswith(_SENTENCE_END)
        and not ATTACHMENT.match(before.text)
    ):
        signatory, body_end = before.text, date_at - 1
    middle = lines[pos + 1 : body_end]
    if not middle:
        raise PlanTextError(
            path,
            date.number,
            "印发通知不完整：标题和落款之间应有主送单位（以“：”结尾）、正文、落款单位和日期。请按原文补齐。",
        )
    notice = Notice(
        title,
        addressees.text,
        [line.text for line in middle],
        signatory,
        date.text,
        paragraph_lines=[(line.number, line.text) for line in middle],
        lines={"title": title_line.number, "date": date.number},
    )
    pos = date_at + 1
    for _ in range(3):  # 附注 and the notice's 版记 (抄送, the print line), where the text has them under the date
        if pos < len(lines) and (m := ANNOTATION.match(lines[pos].text)) and notice.annotation is None:
            notice.annotation, notice.lines["annotation"] = m[0], lines[pos].number
            pos += 1
        elif pos < len(lines) and (m := COPIED_TO.match(lines[pos].text)) and notice.copied_to is None:
            notice.copied_to, notice.lines["copied_to"] = m["units"], lines[pos].number
            pos += 1
        elif pos < len(lines) and notice.imprint is None and (imprint := _imprint(lines[pos], path)):
            notice.imprint = imprint
            pos += 1
    # the plan issued as the notice's attachment: "附件" on its own line before the plan's title
    if pos < len(lines) and ATTACHMENT_HEAD.match(lines[pos].text) and _title_length(lines, pos + 1):
        pos += 1
    return notice, pos


_SENTENCE_END = ("。", "！", "？", "；", "：", ":", "”", "，")


def _take_title(lines: list[Line], pos: int, path: str) -> tuple[list[str], list[int], int]:
    """Title lines: from here until they join into "…NNNN年工作要点"."""
    start = lines[pos].number if pos < len(lines) else lines[-1].number
    count = _title_length(lines, pos)
    if not count:
        raise PlanTextError(
            path,
            start,
            "找不到工作要点的标题。正文应以标题开头（可分两行），以“××××年工作要点”结尾，"
            "例如“政协门头沟区第十一届委员会 / 常务委员会2024年工作要点”。请补上标题。",
        )
    taken = lines[pos : pos + count]
    return [line.text for line in taken], [line.number for line in taken], pos + count


def _year(plan_title: str, line: int, path: str, year: int | None) -> int:
    if year is not None:
        return year
    m = YEAR_IN_TITLE.search(plan_title)
    if not m:
        raise PlanTextError(
            path,
            line,
            f"标题“{plan_title}”中没有年度（应以“2024年工作要点”这样的写法结尾）。请改正标题，或用 --year 指定年度。",
        )
    return int(m["year"])


def _check_quoted_title(notice: Notice, plan_title: str, path: str) -> None:
    if (m := NOTICE_TITLE.match(notice.title)) and m["plan_title"] != plan_title:
        raise PlanTextError(
            path,
            notice.lines["title"],
            f"印发通知标题中的《{m['plan_title']}》与正文标题“{plan_title}”不一致。请核对原文，两处应一字不差。",
        )


def _take_opening(lines: list[Line], pos: int, path: str) -> tuple[list[str], int]:
    """The opening paragraph(s): up to the first section heading."""
    opening: list[str] = []
    while pos < len(lines) and not SECTION.match(lines[pos].text):
        line = lines[pos]
        if pm := POINT.match(line.text):
            raise PlanTextError(
                path,
                line.number,
                f"第 {_digits(pm['digits'])} 项出现在任何部分标题之前。每一项都应属于一个部分："
                "请在它前面补上部分标题（例如“一、在……上见行动”），或检查是否漏了一行。",
            )
        opening.append(line.text)
        pos += 1
    if pos >= len(lines):
        raise PlanTextError(
            path, lines[-1].number, "找不到部分标题（“一、……”“二、……”）。工作要点按部分分列各项，请检查原文是否完整。"
        )
    if not opening:
        raise PlanTextError(path, lines[pos].number, "标题和第一个部分标题之间缺少开篇段落。请按原文补上。")
    return opening, pos


def _take_points(
    lines: list[Line], pos: int, path: str
) -> tuple[list[Section], list[Point], tuple[int, str] | None, int]:
    """Section headings and numbered points, up to the attachment line (附件：…) and the
    attachments' own pages."""
    sections: list[Section] = []
    points: list[Point] = []
    attachment: tuple[int, str] | None = None
    while pos < len(lines):
        line = lines[pos]
        n, s = line.number, line.text
        if ATTACHMENT_HEAD.match(s):
            break
        if attachment is not None:
            raise PlanTextError(
                path,
                n,
                f"附件行（第 {attachment[0]} 行）之后还有文字“{s[:20]}”。附件行应是工作要点正文的最后一行，"
                "其后只能是附件（另起一页，以“附件”或“附件1”开头）和版记（抄送、印发）：请删去多余的文字，或把它移到正确的位置。",
            )
        if sm := SECTION.match(s):
            _section(sections, points, sm, n, path)
        elif pm := POINT.match(s):
            points.append(_point(sections, points, pm, line, path))
        elif am := ATTACHMENT.match(s):
            attachment = (n, am["name"])
        else:
            raise PlanTextError(
                path,
                n,
                f"无法识别这一行：“{s[:30]}”。部分标题以“一、”这样的序号开头，各项以“1.”这样的序号开头，"
                "附件行以“附件：”开头。如果这是上一项的一部分，请把它并入上一项所在的行。",
            )
        pos += 1
    if not points:
        raise PlanTextError(path, sections[0].line, "没有找到任何编号的工作要点（“1.……”）。请检查原文是否完整。")
    _check_section_has_points(sections[-1], points, path)
    return sections, points, attachment, pos


def _check_section_has_points(section: Section, points: list[Point], path: str) -> None:
    if not any(p.section == section.number for p in points):
        raise PlanTextError(
            path,
            section.line,
            f"部分“{_zh_numeral(section.number)}、{section.heading[:20]}……”下没有任何工作要点。请核对原文，补上这一部分的各项。",
        )


def _section(sections: list[Section], points: list[Point], sm: re.Match, n: int, path: str) -> None:
    number = _zh_number(sm["numeral"])
    expected = len(sections) + 1
    if number != expected:
        raise PlanTextError(
            path,
            n,
            f"部分序号“{sm['numeral']}、”应为“{_zh_numeral(expected)}、”：部分应从“一、”起依次编号。请核对原文。",
        )
    if sections:
        _check_section_has_points(sections[-1], points, path)
    sections.append(Section(number, sm["heading"], n))


def _point(sections: list[Section], points: list[Point], pm: re.Match, line: Line, path: str) -> Point:
    n = line.number
    number = _digits(pm["digits"])
    expected = len(points) + 1
    if any(p.number == number for p in points):
        first = next(p for p in points if p.number == number)
        raise PlanTextError(
            path,
            n,
            f"序号 {number} 重复（第 {first.line} 行已有第 {number} 项）。请核对原文，把这一项改为第 {expected} 项。",
        )
    if number != expected:
        raise PlanTextError(
            path,
            n,
            f"序号 {number} 不连续：上一项是第 {expected - 1} 项，这里应是第 {expected} 项。请核对原文，按 1、2、3…… 依次编号。",
        )
    # The label as printed, with the spaces that follow it; leading spaces of the line are not part of it.
    # `line.text` is this line stripped, so the body starts at the same place in both; searching for
    # the body's text instead found its first character inside the label when the body is "."
    # (line "1..": label "1", and the full text showed "1.").
    raw_line = line.raw.lstrip().replace("\t", " ")
    label = raw_line[: pm.start("body")]
    return Point(number, label, pm["body"], sections[-1].number, n)


def _take_attachments(lines: list[Line], pos: int, attachment: tuple[int, str] | None, path: str) -> list[Attachment]:
    """The attachments' pages: each starts with 附件 (附件1 …) on its own line, then its title, then
    its table's rows (cells separated by tabs in the text form) and any notes."""
    out: list[Attachment] = []
    while pos < len(lines):
        head = lines[pos]
        if not ATTACHMENT_HEAD.match(head.text):  # only attachments follow the attachment line
            raise PlanTextError(path, head.number, f"无法识别这一行：“{head.text[:30]}”。")
        label = re.sub(r"[\s:：]", "", head.text)
        pos += 1
        title_parts: list[str] = []
        while pos < len(lines) and len(lines[pos].cells) < 2 and not ATTACHMENT_HEAD.match(lines[pos].text):
            if title_parts and len(title_parts) >= 2:
                break
            title_parts.append(lines[pos].text)
            pos += 1
        item = Attachment(label, "".join(title_parts), head.number)
        while pos < len(lines) and not ATTACHMENT_HEAD.match(lines[pos].text):
            item.rows.append(lines[pos])
            pos += 1
        out.append(item)
    return out


def _read_adoption(plan: PlanText) -> None:
    """The meeting that adopted the plan and its date, as the notice states them."""
    notice = plan.notice
    if notice is None:
        return
    if am := ADOPTED.search("".join(notice.paragraphs)):
        plan.adopted = _cn_date(am["date"])
        plan.adopted_by = am["meeting"]
        plan.lines["adopted_by"] = next(
            (n for n, p in notice.paragraph_lines if am["meeting"] in p), notice.paragraph_lines[0][0]
        )


def _check_titles(plan: PlanText, title_numbers: list[int], record: Colophon, path: str) -> None:
    """Every text that becomes a title or a metadata value passes the titles' rule."""
    fields: list[tuple[int, str, str]] = [(n, "标题", t) for n, t in zip(title_numbers, plan.title_lines, strict=True)]
    notice = plan.notice
    if plan.adopted_by:
        fields.append((plan.lines["adopted_by"], "通过的会议名称", plan.adopted_by))
    if notice is not None:
        fields.append((notice.lines["title"], "通知标题", notice.title))
        if notice.annotation:
            fields.append((notice.lines["annotation"], "附注", notice.annotation))
    if plan.imprint is not None:
        fields.append((plan.imprint.line, "印发单位", plan.imprint.issuer))
    head = plan.head
    for key, what in (("doc_number", "发文字号"), ("signer", "签发人")):
        if getattr(head, key):
            fields.append((head.lines[key], what, getattr(head, key)))
    if plan.copied_to:
        fields.append((record.lines["copied_to"], "抄送机关", plan.copied_to))
    fields += [(s.line, "部分标题", s.heading) for s in plan.sections]
    fields += [(p.line, f"第 {p.number} 项的第一句（作为这一项的标题）", p.title) for p in plan.points]
    if plan.attachment is not None:
        fields.append((plan.lines["attachment"], "附件名称", plan.attachment))
    for line, what, value in fields:
        _check_title_text(path, line, what, value)
    _check_title_length(path, title_numbers[0], "标题", plan.title)


def _check_title_length(path: str, line: int, what: str, value: str) -> None:
    if len(value) > field_types.TITLE_MAX:
        raise PlanTextError(
            path,
            line,
            f"{what}“{value[:30]}……”有 {len(value)} 个字，超过了标题 {field_types.TITLE_MAX} 个字的上限"
            "（标题完整显示在浏览器标签、搜索结果和分享卡片上）。请核对原文：多半是两段文字连在了一起，"
            "或这一句少了句号；请在原文中分开后再导入。",
        )


_PLAIN_TEXT = TypeAdapter(field_types.PlainText)
_ONE_LINE = TypeAdapter(field_types.OneLine)


def _check_title_text(path: str, line: int, what: str, value: str) -> None:
    """Text that becomes a page title or heading (front matter) must pass the rule every title
    passes: no HTML-like tag, no control character. The body of a point is published as typed
    whatever it holds; a title cannot hold a tag, because MkDocs writes titles unescaped, nor be
    longer than every title may be (fields.TITLE_MAX)."""
    if what in ("标题", "通知标题", "部分标题") or what.endswith("（作为这一项的标题）"):
        _check_title_length(path, line, what, value)
    try:
        _PLAIN_TEXT.validate_python(value)
    except ValidationError as exc:
        reason = str(exc.errors()[0].get("ctx", {}).get("error", ""))
        if "no-markup" in reason:
            tag = re.search(r"<\s*[A-Za-z/!?][^>]{0,10}>?", value)[0]
            raise PlanTextError(
                path,
                line,
                f"{what}“{value[:30]}”里有 HTML 标记那样的文字“{tag}”。这段文字会成为网页的标题，标题里不能出现"
                "“<”后接字母的写法。请核对原文：如果原文确实如此，请改用全角的“＜＞”或书名号“〈〉”。",
            ) from None
        raise PlanTextError(
            path,
            line,
            f"{what}“{value[:30]}”里有制表符或控制字符。这段文字会成为网页的标题，只能是一行普通文字。"
            "请删掉这个字符（如果是从别处复制来的，请重新输入这一行）。",
        ) from None


def _zh_numeral(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# --- pages ---------------------------------------------------------------------------------------

# Front-matter keys whose values come from the published text; every other key is the editors'.
# The page model of each kind of page the text writes (where a key the text adds goes).
MODELS = {"overview": Plan, "notice": Page, "point": WorkPoint}
OWNED = {
    "overview": (
        "title",
        "year",
        "title_lines",
        "adopted",
        "adopted_by",
        "issued",
        "issuer",
        "doc_number",
        "signer",
        "copied_to",
        "annotation",
        "sections",
        "attachment",
    ),
    "notice": ("title",),
    "point": ("year", "number", "section", "title", "label"),
}
# Escaping: the published text is written so that a reader sees exactly what the office typed,
# whatever it holds. Inline markup anywhere: backslash escapes (Python-Markdown undoes them in
# text and in md_in_html blocks alike); "<" as &lt; (a backslash before it is shown, not
# undone); "&" as &amp; ("&amp;" must stay "&amp;"; and a bare "&#" garbles the raw HTML that
# follows it in an md_in_html block, such as the full text's notice). Block markup at the start
# of a line (headings, lists, quotes, admonitions, code fences, setext underlines, "1." "1)"):
# the first character escaped, by a backslash where Markdown undoes one, by a numeric
# reference where it does not ("=", "~", ":", "|").
_INLINE = re.compile(r"([\\`*_\[\]{}])")
_NUMBERED = re.compile(r"^([0-9]+)([.)])(?=\s|$)")
_LEADING_BACKSLASH = set("#-+>!")
_LEADING_REFERENCE = set("=~:|")


def _md(text: str) -> str:
    """Published text (one line) as Markdown that renders to the same characters, wherever the
    line stands: a page's body, a paragraph of the full text, an md_in_html block."""
    out = _INLINE.sub(r"\\\1", text.replace("&", "&amp;")).replace("<", "&lt;")
    if m := _NUMBERED.match(out):
        return f"{m[1]}\\{m[2]}{out[m.end() :]}"
    if out[:1] in _LEADING_BACKSLASH:
        return "\\" + out
    if out[:1] in _LEADING_REFERENCE:
        return f"&#{ord(out[0])};{out[1:]}"
    return out


def _scalar(value) -> str:
    if isinstance(value, dt.date | int):
        return str(value)
    text = str(value)
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text} and not text.startswith(("'", '"', "-", "[", "{", "&", "*"))
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _yaml_block(key: str, value) -> str:
    if key == "sections":
        items = "".join(f"  - number: {s['number']}\n    heading: {_scalar(s['heading'])}\n" for s in value)
        return f"sections:\n{items}"
    if isinstance(value, list):
        return f"{key}:\n" + "".join(f"  - {_scalar(v)}\n" for v in value)
    if key == "label":  # always quoted: "4. " keeps its space, "1." is not a number
        return f"label: {json.dumps(value, ensure_ascii=False)}\n"
    return f"{key}: {_scalar(value)}\n"


def _page(fields: dict, body: str, extra: list[str] | None = None) -> str:
    head = "".join(_yaml_block(k, v) for k, v in fields.items() if v is not None)
    return "---\n" + head + "".join(extra or []) + "---\n\n" + body.rstrip("\n") + "\n"


def overview_fields(plan: PlanText) -> dict:
    imprint = plan.imprint
    return {
        "title": plan.title,
        "year": plan.year,
        "title_lines": plan.title_lines,
        "adopted": plan.adopted,
        "adopted_by": plan.adopted_by,
        "issued": imprint.issued if imprint else None,
        "issuer": imprint.issuer if imprint else None,
        "doc_number": plan.head.doc_number,
        "signer": plan.head.signer,
        "copied_to": plan.copied_to,
        "annotation": plan.notice.annotation if plan.notice else None,
        "sections": [{"number": s.number, "heading": s.heading} for s in plan.sections],
        "attachment": plan.attachment,
    }


def overview_body(plan: PlanText) -> str:
    return "\n\n".join(_md(p) for p in plan.opening) + "\n\n<!-- kb:plan-overview -->\n"


def notice_body(notice: Notice) -> str:
    e = html.escape
    parts = [_md(notice.addressees), *(_md(p) for p in notice.paragraphs)]
    if notice.signatory:
        parts.append(f'<p class="kb-signature">{e(notice.signatory)}<br>\n{e(notice.signed)}</p>')
    else:
        parts.append(f'<p class="kb-signature">{e(notice.signed)}</p>')
    if notice.annotation:
        parts.append(f'<p class="kb-annotation">{e(notice.annotation)}</p>')
    # the 版记, as the document ends: 抄送, then the print line
    if notice.copied_to:
        parts.append(f'<p class="kb-copied-to">抄送：{e(notice.copied_to)}</p>')
    if notice.imprint:
        parts.append(
            f'<p class="kb-imprint"><span>{e(notice.issuer)}</span> <span>{e(notice.issued_text)}印发</span></p>'
        )
    return "\n\n".join(parts) + "\n"


def point_fields(plan: PlanText, p: Point) -> dict:
    return {
        "year": plan.year,
        "number": p.number,
        "section": p.section,
        "title": p.title,
        "label": None if p.label == f"{p.number}." else p.label,
    }


def point_body(p: Point) -> str:
    return _md(p.body) + "\n"


def pages(plan: PlanText) -> dict[str, tuple[str, dict, str]]:
    """{file name in docs/plan/<year>/: (kind, owned fields, body)} for every page of the text."""
    out: dict[str, tuple[str, dict, str]] = {"index.md": ("overview", overview_fields(plan), overview_body(plan))}
    if plan.notice is not None:
        out["notice.md"] = ("notice", {"title": plan.notice.title}, notice_body(plan.notice))
    for p in plan.points:
        out[f"{p.number:02d}.md"] = ("point", point_fields(plan, p), point_body(p))
    return out


def new_page(kind: str, fields: dict, body: str, tasks: dict | None = None) -> str:
    """A page not yet in the folder; a point's `tasks` (牵头单位, 配合单位, 完成时限 from the attached
    task breakdown) after its status."""
    extra = ["status: not-reported\n"] if kind == "point" else []
    extra += [_yaml_block(k, v) for k, v in (tasks or {}).items()]
    return _page(fields, body, extra)


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")


def _blocks(front: str) -> list[tuple[str | None, str]]:
    """Top-level key blocks of a front-matter text, each with the lines that belong to it, so that
    what editors wrote is kept as they wrote it (comments and layout included)."""
    blocks: list[tuple[str | None, str]] = []
    pending = ""  # comments and blank lines attach to the key that follows them
    for line in front.splitlines(keepends=True):
        m = _TOP_KEY.match(line)
        if m:
            blocks.append((m["key"], pending + line))
            pending = ""
        elif line.strip() == "" or line.lstrip().startswith("#") and not line.startswith((" ", "\t")):
            pending += line
        elif blocks:
            key, text = blocks[-1]
            blocks[-1] = (key, text + pending + line)
            pending = ""
        else:
            pending += line
    if pending:
        blocks.append((None, pending))
    return blocks


def _plain(value):
    """A front-matter value as text, however it was quoted: `year: "2024"` is `year: 2024`, as the
    page's model reads both."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def merge(existing: str, kind: str, fields: dict, body: str) -> str:
    """The page written again from the text, keeping what editors wrote: every key the text does not
    own, and every owned value the text leaves as it is, stay where and as they are (order,
    comments, quoting); an owned value the text changes is set in place. When the text changes
    nothing, the page comes back byte for byte, so nothing is written."""
    try:
        bom, front, rest, newline = frontmatter_edit.split(existing)
        have = yaml.safe_load(front) or {}
    except (ValueError, yaml.YAMLError):
        have = None
    if not isinstance(have, dict):  # no front matter to keep, or none YAML reads: written anew
        m = re.match(r"\A\ufeff?---[ \t]*\n(?P<front>.*?\n)?---[ \t]*\n", existing, re.S)
        front = (m["front"] or "") if m else ""
        kept = [text for key, text in _blocks(front) if key not in OWNED[kind]]
        return _page(fields, body, kept)
    want = yaml.safe_load(_page(fields, "").split("---\n")[1]) or {}  # the owned values, as YAML reads them
    changed = {k: want[k] for k in OWNED[kind] if k in want and _plain(have.get(k)) != _plain(want[k])}
    removed = tuple(k for k in OWNED[kind] if k not in want and k in have)
    closing, _, old_body = rest.partition("\n")
    new_body = "\n" + body.rstrip("\n") + "\n"
    if not changed and not removed and old_body == new_body:
        return existing
    if changed or removed:
        front = frontmatter_edit.update_front(front, changed, MODELS[kind], removed=removed)
    result = "---\n" + front + closing + "\n" + new_body
    return bom + (result.replace("\n", "\r\n") if newline == "\r\n" else result)


@dataclass
class Difference:
    name: str  # file name in the year folder
    what: str  # which part differs, in Chinese


def compare(plan: PlanText, folder_files: dict[str, str | None]) -> list[Difference]:
    """Pages of the year folder ({name: text or None when missing}) that do not reproduce the text:
    a missing page, a different owned field, a different body."""
    out = []
    for name, (kind, fields, body) in pages(plan).items():
        text = folder_files.get(name)
        if text is None:
            out.append(Difference(name, "页面不存在"))
            continue
        parsed = read(text.encode("utf-8"), name)
        if not parsed.has_front_matter:
            out.append(Difference(name, "页面没有元数据"))
            continue
        for key in OWNED[kind]:
            want = fields.get(key)
            have = parsed.meta.get(key)
            if key == "label" and want is None and have == f"{fields['number']}.":
                continue
            if key == "sections" and isinstance(have, list):
                have = [{"number": s.get("number"), "heading": s.get("heading")} for s in have if isinstance(s, dict)]
            if _plain(have) != _plain(want):
                out.append(Difference(name, f"{key}（原文：{want!r}；页面：{have!r}）"))
        if parsed.body.strip() != body.strip():
            out.append(Difference(name, "正文与原文不同" + _first_difference(body.strip(), parsed.body.strip())))
    return out


def _first_difference(want: str, have: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(want, have, strict=False)) if a != b), min(len(want), len(have)))
    return f"（第 {i + 1} 个字符起：原文“{want[i : i + 12]}”，页面“{have[i : i + 12]}”）"
