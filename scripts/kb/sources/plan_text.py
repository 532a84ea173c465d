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

from ..content import personal_data, schemas
from ..content.frontmatter_parse import decode, read

_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SECTION = re.compile(r"^(?P<numeral>[一二三四五六七八九十]+)、\s*(?P<heading>\S.*)$")
# A point's number as printed, with its separator and any spaces after it: "4. ", "15．", "１６．".
# The text must not go on with a digit ("1.5亿元…" is not point 1).
POINT = re.compile(r"^(?P<label>(?P<digits>[0-9０-９]{1,3})\s*[.．、]\s*)(?P<body>[^0-9０-９\s].*)$")
ATTACHMENT = re.compile(r"^附件\s*[:：]\s*(?P<name>\S.*)$")
NOTICE_TITLE = re.compile(r"^关于印发《(?P<plan_title>[^》]+)》的通知$")
CN_DATE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
IMPRINT = re.compile(r"^(?P<issuer>\S.*?)\s+(?P<date>\d{4}年\d{1,2}月\d{1,2}日)印发$")
ADOPTED = re.compile(r"经(?P<date>\d{4}年\d{1,2}月\d{1,2}日)(?P<meeting>.+?)通过")
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
    signatory: str
    signed: str  # the date line as printed, e.g. "2024年1月12日"
    issuer: str  # the print line's issuing body
    issued_text: str  # the print line's date as printed
    issued: dt.date
    paragraph_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, paragraph)
    lines: dict[str, int] = field(default_factory=dict)  # "title", "imprint": their lines


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
    attachment: str | None = None
    adopted: dt.date | None = None
    adopted_by: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # where things were found, for messages

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


def _cn_date(text: str) -> dt.date | None:
    m = CN_DATE.fullmatch(text) or CN_DATE.search(text)
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


def parse(raw: bytes, path: str, *, year: int | None = None) -> PlanText:
    """Read the published text. Raises PlanTextError (path, line, Chinese message with the fix)."""
    text, problems = decode(raw, path)
    if text is None:
        raise PlanTextError(path, problems[0].line, problems[0].message)
    # (line number, text with stray spaces and tabs at either end removed); blank lines dropped.
    # A tab inside a line (Word's alignment) is a space: readers see no difference, and a title
    # (a point's first sentence) may hold no tab.
    lines = [(i, line.strip().replace("\t", " ")) for i, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)]
    lines = [(i, s) for i, s in lines if s]
    for i, s in lines:  # the plan is published: no personal data in any line
        if hits := personal_data.find(s):
            raise PlanTextError(path, i, personal_data.message(hits, public=True))
    for i, s in lines:  # the rule of every one-line field (schemas.OneLine), for every line
        try:
            _ONE_LINE.validate_python(s)
        except ValidationError as exc:
            code = str(exc.errors()[0].get("ctx", {}).get("error", "")).rpartition(":")[2]
            at = s.find(chr(int(code[2:], 16))) + 1 if code.startswith("U+") else 0
            raise PlanTextError(
                path,
                i,
                f"这一行第 {at} 个字符是看不见的控制字符（{code}），网页上无法原样显示，"
                "还可能打乱文字的显示顺序。请删去这个字符（如果文字是从别处复制来的，请重新输入这一行）。",
            ) from None
    if not lines:
        raise PlanTextError(path, 1, "文件是空的。请粘贴印发的工作要点全文（印发通知和工作要点正文）。")

    pos = 0
    notice = None
    if NOTICE_TITLE.match(lines[0][1]) or lines[0][1].startswith("关于印发"):
        notice, pos = _parse_notice(lines, path)

    # Title lines: from here until they join into "…NNNN年工作要点".
    title_lines: list[str] = []
    title_line_numbers: list[int] = []
    start = lines[pos][0] if pos < len(lines) else lines[-1][0]
    while pos < len(lines) and len(title_lines) < 4:
        n, s = lines[pos]
        if SECTION.match(s) or POINT.match(s) or "。" in s:
            break
        title_lines.append(s)
        title_line_numbers.append(n)
        pos += 1
        if "".join(title_lines).endswith("工作要点"):
            break
    plan_title = "".join(title_lines)
    if not plan_title.endswith("工作要点"):
        raise PlanTextError(
            path,
            start,
            "找不到工作要点的标题。正文应以标题开头（可分两行），以“××××年工作要点”结尾，"
            "例如“政协门头沟区第十一届委员会 / 常务委员会2024年工作要点”。请补上标题。",
        )
    m = YEAR_IN_TITLE.search(plan_title)
    if year is None:
        if not m:
            raise PlanTextError(
                path,
                start,
                f"标题“{plan_title}”中没有年度（应以“2024年工作要点”这样的写法结尾）。请改正标题，或用 --year 指定年度。",
            )
        year = int(m["year"])
    if notice is not None and NOTICE_TITLE.match(notice.title):
        quoted = NOTICE_TITLE.match(notice.title)["plan_title"]
        if quoted != plan_title:
            raise PlanTextError(
                path,
                lines[0][0],
                f"印发通知标题中的《{quoted}》与正文标题“{plan_title}”不一致。请核对原文，两处应一字不差。",
            )

    # The opening paragraph(s): up to the first section heading.
    opening: list[str] = []
    while pos < len(lines) and not SECTION.match(lines[pos][1]):
        n, s = lines[pos]
        if POINT.match(s):
            raise PlanTextError(
                path,
                n,
                f"第 {_digits(POINT.match(s)['digits'])} 项出现在任何部分标题之前。每一项都应属于一个部分："
                "请在它前面补上部分标题（例如“一、在……上见行动”），或检查是否漏了一行。",
            )
        opening.append(s)
        pos += 1
    if pos >= len(lines):
        raise PlanTextError(
            path, lines[-1][0], "找不到部分标题（“一、……”“二、……”）。工作要点按部分分列各项，请检查原文是否完整。"
        )
    if not opening:
        raise PlanTextError(path, lines[pos][0], "标题和第一个部分标题之间缺少开篇段落。请按原文补上。")

    sections: list[Section] = []
    points: list[Point] = []
    attachment = None
    attachment_line = None
    for n, s in lines[pos:]:
        if attachment is not None:
            raise PlanTextError(
                path,
                n,
                f"附件行（第 {attachment_line} 行）之后还有文字“{s[:20]}”。附件行应是原文的最后一行；请删去多余的文字，或把它移到正确的位置。",
            )
        if sm := SECTION.match(s):
            number = _zh_number(sm["numeral"])
            expected = len(sections) + 1
            if number != expected:
                raise PlanTextError(
                    path,
                    n,
                    f"部分序号“{sm['numeral']}、”应为“{_zh_numeral(expected)}、”：部分应从“一、”起依次编号。请核对原文。",
                )
            if sections and not any(p.section == sections[-1].number for p in points):
                prev = sections[-1]
                raise PlanTextError(
                    path,
                    prev.line,
                    f"部分“{_zh_numeral(prev.number)}、{prev.heading[:20]}……”下没有任何工作要点。请核对原文，补上这一部分的各项。",
                )
            sections.append(Section(number, sm["heading"], n))
        elif pm := POINT.match(s):
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
            # `s` is this line stripped, so the body starts at the same place in both; searching for
            # the body's text instead found its first character inside the label when the body is
            # "." (line "1..": label "1", and the full text showed "1.").
            raw_line = text.replace("\r\n", "\n").split("\n")[n - 1].lstrip().replace("\t", " ")
            label = raw_line[: pm.start("body")]
            points.append(Point(number, label.replace("\t", " "), pm["body"], sections[-1].number, n))
        elif am := ATTACHMENT.match(s):
            attachment, attachment_line = am["name"], n
        else:
            raise PlanTextError(
                path,
                n,
                f"无法识别这一行：“{s[:30]}”。部分标题以“一、”这样的序号开头，各项以“1.”这样的序号开头，"
                "附件行以“附件：”开头。如果这是上一项的一部分，请把它并入上一项所在的行。",
            )
    if not points:
        raise PlanTextError(path, sections[0].line, "没有找到任何编号的工作要点（“1.……”）。请检查原文是否完整。")
    if not any(p.section == sections[-1].number for p in points):
        last = sections[-1]
        raise PlanTextError(
            path,
            last.line,
            f"部分“{_zh_numeral(last.number)}、{last.heading[:20]}……”下没有任何工作要点。请核对原文，补上这一部分的各项。",
        )

    plan = PlanText(year, title_lines, opening, sections, points, notice, attachment)
    fields: list[tuple[int, str, str]] = [(n, "标题", t) for n, t in zip(title_line_numbers, title_lines, strict=True)]
    if notice is not None:
        body = "".join(notice.paragraphs)
        if am := ADOPTED.search(body):
            plan.adopted = _cn_date(am["date"])
            plan.adopted_by = am["meeting"]
            first = next((n for n, p in notice.paragraph_lines if am["meeting"] in p), notice.paragraph_lines[0][0])
            fields.append((first, "通过的会议名称", plan.adopted_by))
        fields += [
            (notice.lines["title"], "通知标题", notice.title),
            (notice.lines["imprint"], "印发单位", notice.issuer),
        ]
    fields += [(s.line, "部分标题", s.heading) for s in plan.sections]
    fields += [(p.line, f"第 {p.number} 项的第一句（作为这一项的标题）", p.title) for p in plan.points]
    if attachment is not None:
        fields.append((attachment_line, "附件名称", attachment))
    for line, what, value in fields:
        _check_title_text(path, line, what, value)
    _check_title_length(path, title_line_numbers[0], "标题", plan.title)
    return plan


def _check_title_length(path: str, line: int, what: str, value: str) -> None:
    if len(value) > schemas.TITLE_MAX:
        raise PlanTextError(
            path,
            line,
            f"{what}“{value[:30]}……”有 {len(value)} 个字，超过了标题 {schemas.TITLE_MAX} 个字的上限"
            "（标题完整显示在浏览器标签、搜索结果和分享卡片上）。请核对原文：多半是两段文字连在了一起，"
            "或这一句少了句号；请在原文中分开后再导入。",
        )


_PLAIN_TEXT = TypeAdapter(schemas.PlainText)
_ONE_LINE = TypeAdapter(schemas.OneLine)


def _check_title_text(path: str, line: int, what: str, value: str) -> None:
    """Text that becomes a page title or heading (front matter) must pass the rule every title
    passes: no HTML-like tag, no control character. The body of a point is published as typed
    whatever it holds; a title cannot hold a tag, because MkDocs writes titles unescaped, nor be
    longer than every title may be (schemas.TITLE_MAX)."""
    if not what.startswith("附件"):
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


def _parse_notice(lines: list[tuple[int, str]], path: str) -> tuple[Notice, int]:
    """The notice: title, addressees (ending with a colon), body, signatory, date, print line."""
    title_no, title = lines[0]
    end = next((k for k, (_, s) in enumerate(lines) if s.endswith("印发") and IMPRINT.match(s)), None)
    if end is None:
        raise PlanTextError(
            path,
            title_no,
            "印发通知没有印发行（例如“政协北京市门头沟区委员会    2024年1月12日印发”）。请按原文补上通知末尾的印发行。",
        )
    part = lines[1:end]
    if len(part) < 4:
        raise PlanTextError(
            path,
            lines[end][0],
            "印发通知不完整：标题和印发行之间应有主送单位（以“：”结尾）、正文、落款单位和日期。请按原文补齐。",
        )
    (add_no, addressees), *middle, (_, signatory), (date_no, signed) = part
    if not addressees.endswith(("：", ":")):
        raise PlanTextError(
            path,
            add_no,
            f"通知的主送单位“{addressees[:20]}”应以冒号“：”结尾。请核对原文（例如“区政协各专门工作委员会……：”）。",
        )
    if _cn_date(signed) is None or CN_DATE.fullmatch(signed) is None:
        raise PlanTextError(
            path, date_no, f"通知落款的日期“{signed}”无法识别：应写成“2024年1月12日”，且是存在的日期。请改正。"
        )
    imprint = IMPRINT.match(lines[end][1])
    issued = _cn_date(imprint["date"])
    if issued is None:
        raise PlanTextError(path, lines[end][0], f"印发行中的日期“{imprint['date']}”不是存在的日期。请改正。")
    return (
        Notice(
            title,
            addressees,
            [s for _, s in middle],
            signatory,
            signed,
            imprint["issuer"],
            imprint["date"],
            issued,
            paragraph_lines=list(middle),
            lines={"title": title_no, "imprint": lines[end][0]},
        ),
        end + 1,
    )


# --- pages ---------------------------------------------------------------------------------------

# Front-matter keys whose values come from the published text; every other key is the editors'.
OWNED = {
    "overview": ("title", "year", "title_lines", "adopted", "adopted_by", "issued", "issuer", "sections", "attachment"),
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
    notice = plan.notice
    return {
        "title": plan.title,
        "year": plan.year,
        "title_lines": plan.title_lines,
        "adopted": plan.adopted,
        "adopted_by": plan.adopted_by,
        "issued": notice.issued if notice else None,
        "issuer": notice.issuer if notice else None,
        "sections": [{"number": s.number, "heading": s.heading} for s in plan.sections],
        "attachment": plan.attachment,
    }


def overview_body(plan: PlanText) -> str:
    return "\n\n".join(_md(p) for p in plan.opening) + "\n\n<!-- kb:plan-overview -->\n"


def notice_body(notice: Notice) -> str:
    e = html.escape
    parts = [_md(notice.addressees), *(_md(p) for p in notice.paragraphs)]
    parts.append(f'<p class="kb-signature">{e(notice.signatory)}<br>\n{e(notice.signed)}</p>')
    parts.append(f'<p class="kb-imprint"><span>{e(notice.issuer)}</span> <span>{e(notice.issued_text)}印发</span></p>')
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


def new_page(kind: str, fields: dict, body: str) -> str:
    extra = ["status: not-reported\n"] if kind == "point" else []
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


def merge(existing: str, kind: str, fields: dict, body: str) -> str:
    """The page written again from the text, keeping every key the text does not own."""
    m = re.match(r"\A\ufeff?---[ \t]*\n(?P<front>.*?\n)?---[ \t]*\n", existing, re.S)
    front = (m["front"] or "") if m else ""
    kept = [text for key, text in _blocks(front) if key not in OWNED[kind]]
    return _page(fields, body, kept)


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
            if have != want:
                out.append(Difference(name, f"{key}（原文：{want!r}；页面：{have!r}）"))
        if parsed.body.strip() != body.strip():
            out.append(Difference(name, "正文与原文不同" + _first_difference(body.strip(), parsed.body.strip())))
    return out


def _first_difference(want: str, have: str) -> str:
    i = next((k for k, (a, b) in enumerate(zip(want, have, strict=False)) if a != b), min(len(want), len(have)))
    return f"（第 {i + 1} 个字符起：原文“{want[i : i + 12]}”，页面“{have[i : i + 12]}”）"
