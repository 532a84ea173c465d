"""The facts a Word record states at its top, as offices write them, and the lines under pictures.

A 悦读大讲堂 record opens with labelled lines: 主讲人：张明（区文化和旅游局党组书记、局长）, 时间：
2024年5月20日（星期一）下午2:30, 地点：…, 主持人：…, 期数：第十二期 (or 第十二期 alone); an article
with 作者：… . `take_facts` reads them from the first paragraphs of pandoc's tree, removes the lines
it used and returns the values by label; `record_fields` turns them into a collection's fields.
The labels read are `LABELS`. `title_paragraph` finds a title typed as the large, bold or centred
opening line instead of a heading; `captions` makes the short line under a picture (图1 …) its
caption, and its alt text where the picture has none.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from .files import W

# label as offices type it -> the fact it states
LABELS = {
    "作者": "author",
    "撰稿": "author",
    "撰文": "author",
    "文": "author",
    "主讲人": "speaker",
    "主讲": "speaker",
    "主讲嘉宾": "speaker",
    "主持人": "host",
    "主持": "host",
    "时间": "time",
    "日期": "time",
    "讲座时间": "time",
    "活动时间": "time",
    "地点": "venue",
    "讲座地点": "venue",
    "活动地点": "venue",
    "期数": "issue",
    "期次": "issue",
}
_LABEL = re.compile(r"^(?P<label>" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]\s*(?P<value>\S.*)$")
# 第十二期, also as the subtitle under the title: ——政协悦读大讲堂第十二期
_ISSUE = re.compile(
    r"^[—－\-─~～]*\s*(?:政协)?(?:悦读大讲堂)?\s*第\s*(?P<n>[0-9０-９]+|[一二三四五六七八九十百零〇]+)\s*期[—－\-─]*$"
)
_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日|(?P<iso>\d{4}-\d{1,2}-\d{1,2})")
_TIME = re.compile(
    r"(?P<part>上午|下午|晚上|中午|早上)?\s*(?P<h>\d{1,2})\s*(?:[:：](?P<min>\d{2})|点(?P<half>半)?(?:(?P<m2>\d{1,2})分)?)"
)
_ROLE = re.compile(r"^(?P<name>[^（(]+?)\s*[（(](?P<role>[^）)]+)[）)]$")
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CAPTION = re.compile(r"^图\s*[0-9０-９一二三四五六七八九十]+")


def _plain(inlines: list) -> str:
    """Inline content as plain text (titles, alt text, captions)."""
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak") or t == "LineBreak":
            out.append(" ")
        elif t in ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(_plain(c))
        elif t == "Quoted":
            q = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(q[0] + _plain(c[1]) + q[1])
        elif t in ("Link", "Span"):
            out.append(_plain(c[1] if t == "Link" else c[1]))
        elif t == "Cite":
            out.append(_plain(c[1]))
        elif t in ("Code", "Math"):
            out.append(c[1])
    return "".join(out)


def zh_number(text: str) -> int | None:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    total, unit_seen, digit = 0, False, 0
    for ch in text:
        if ch in _CN:
            digit = _CN[ch]
        elif ch == "十":
            total += (digit or 1) * 10
            digit, unit_seen = 0, True
        elif ch == "百":
            total += (digit or 1) * 100
            digit, unit_seen = 0, True
        else:
            return None
    return total + digit if (unit_seen or digit) else None


def parse_when(text: str) -> tuple[dt.date | None, str | None]:
    """(day, "HH:MM") of 2024年5月20日（星期一）下午2:30; either may be None."""
    day = None
    if m := _DATE.search(text):
        try:
            day = dt.date.fromisoformat(
                "-".join(f"{int(x):02d}" for x in m["iso"].split("-"))
                if m["iso"]
                else f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
            )
        except ValueError:
            day = None
        text = text[m.end() :]
    clock = None
    if t := _TIME.search(text):
        h = int(t["h"])
        minute = int(t["min"] or t["m2"] or (30 if t["half"] else 0))
        if t["part"] in ("下午", "晚上") and h < 12:
            h += 12
        if h < 24 and minute < 60:
            clock = f"{h:02d}:{minute:02d}"
    return day, clock


def take_facts(blocks: list, limit: int = 10) -> dict[str, str]:
    """The labelled lines among the first paragraphs (before the first heading), removed from
    `blocks`: {fact: value as written}. A paragraph holding several lines (soft line breaks) is
    read line by line; a line that is not a label ends the facts."""
    found: dict[str, str] = {}
    k = 0
    while k < min(len(blocks), limit):
        b = blocks[k]
        if b["t"] not in ("Para", "Plain"):
            break
        lines = re.split(r"\s*\n\s*", _lines_of(b["c"]).strip())
        facts = [_fact(line) for line in lines]
        if not all(facts):
            if found:
                break
            k += 1  # a subtitle or a line of the body before the facts: look one further
            if k > 2:
                break
            continue
        for fact, value in facts:
            found.setdefault(fact, value)
        blocks.pop(k)
    return found


def _lines_of(inlines: list) -> str:
    out = []
    for el in inlines:
        if el["t"] in ("SoftBreak", "LineBreak"):
            out.append("\n")
        else:
            out.append(_plain([el]))
    return "".join(out)


def _fact(line: str) -> tuple[str, str] | None:
    if m := _LABEL.match(line.strip()):
        return LABELS[m["label"]], m["value"].strip()
    if m := _ISSUE.match(line.strip()):
        return "issue", m[0]
    return None


def record_fields(mapping: dict[str, str], facts: dict[str, str]) -> tuple[dict, list[str]]:
    """A collection's fields from the facts (`mapping`: fact -> field, its declaration's
    `word_facts`; "speaker_title" takes the post in parentheses after a speaker's name, "clock" the
    time of day a `time` states), and notes for the editor (facts left in the body)."""
    fields: dict = {}
    notes: list[str] = []
    for fact, value in facts.items():
        field = mapping.get(fact)
        if field is None:
            notes.append(f"“{value}”（{fact}）这一类记录没有对应的字段，没有导入，请需要时写进正文。")
            continue
        if fact == "speaker" and (m := _ROLE.match(value)) and mapping.get("speaker_title"):
            fields[field], fields[mapping["speaker_title"]] = m["name"].strip(), m["role"].strip()
        elif fact == "time":
            day, clock = parse_when(value)
            if day is None:
                notes.append(f"时间“{value}”里没有认得出的日期（应写成 2024年5月20日），没有导入：请用 --date 给出。")
                continue
            fields[field] = day
            if clock and mapping.get("clock"):
                fields[mapping["clock"]] = clock
        elif fact == "issue":
            m = _ISSUE.match(value) or re.match(r"^(?P<n>\S+)$", value)
            n = zh_number(m["n"]) if m else None
            if n is None:
                notes.append(f"期数“{value}”不是数字，没有导入。")
                continue
            fields[field] = n
        else:
            fields[field] = value
    return fields, notes


def title_paragraph(document: ET.Element | None) -> str | None:
    """The text of the opening paragraph when it is set as a title: centred, bold, or large (18 pt
    or more), as offices type titles without the 标题 style."""
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        return None
    for p in body.iter(f"{W}p"):
        texts = [t.text or "" for t in p.iter(f"{W}t")]
        if not "".join(texts).strip():
            continue
        ppr = p.find(f"{W}pPr")
        jc = ppr.find(f"{W}jc") if ppr is not None else None
        centred = jc is not None and jc.get(f"{W}val") in ("center", "centre")
        runs = [r for r in p.iter(f"{W}r") if any((t.text or "").strip() for t in r.iter(f"{W}t"))]
        bold = bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
        sizes = [
            int(s.get(f"{W}val", "0"))
            for r in runs
            for s in r.findall(f"{W}rPr/{W}sz")
            if s.get(f"{W}val", "").isdigit()
        ]
        large = bool(sizes) and min(sizes) >= 36
        text = "".join(texts).strip()
        return text if (centred or bold or large) and len(text) <= 80 and not text.endswith("。") else None
    return None


def captions(blocks: list) -> list:
    """A paragraph holding only a picture, followed by a short line 图1 …, becomes a figure with
    that line as its caption (and its alt text when the picture has none)."""
    out: list = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        images = (
            [el for el in b.get("c", []) if isinstance(el, dict) and el.get("t") == "Image"]
            if b["t"] in ("Para", "Plain")
            else []
        )
        others = (
            [el for el in b.get("c", []) if isinstance(el, dict) and el.get("t") not in ("Image", "Space", "SoftBreak")]
            if images
            else [1]
        )
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if len(images) == 1 and not others and nxt is not None and nxt["t"] in ("Para", "Plain"):
            caption = _plain(nxt["c"]).strip()
            if _CAPTION.match(caption) and len(caption) <= 80:
                image = images[0]
                if not _plain(image["c"][1]).strip() and not (image["c"][2][1] or "").strip():
                    image["c"][1] = nxt["c"]
                out.append(
                    {
                        "t": "Figure",
                        "c": [["", [], []], [None, [{"t": "Plain", "c": nxt["c"]}]], [{"t": "Plain", "c": [image]}]],
                    }
                )
                k += 2
                continue
        out.append(b)
        k += 1
    return out
