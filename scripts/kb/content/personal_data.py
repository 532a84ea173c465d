"""Personal data a careless paste would publish: resident ID numbers, mainland mobile numbers and
home addresses given with their label.

An office list or Word file often carries a member's 身份证号, 手机 and 住址 next to the name that
is meant to be published. `find` tells them in any text, as precisely as a check that refuses
content must: an ID number only with a real date of birth and a valid check digit (GB 11643, ISO
7064 MOD 11-2), in full-width digits or split by spaces or hyphens too; a mobile number only as the
11 digits of a mainland number (an optional +86), not an amount such as 15000000000元; an address
only after a label that says it is someone's home (住址, 家庭住址, 家住 …) and with the detail of one
(a house number, a village, a room). `kb check` refuses them in public pages and warns in
members-only ones and drafts; every importer does the same for the cell, line or paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Full-width digits, letters X and separators as their ASCII forms, one character for one, so
# positions (and line numbers) stay those of the text.
_ASCII = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "－": "-", "\u3000": " ", "＋": "+"}
)
_SEP = r"[ \-\u00a0]?"
_ID = re.compile(rf"(?<![0-9A-Za-z])[1-9](?:{_SEP}[0-9]){{16}}{_SEP}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(
    rf"(?<![0-9A-Za-z+¥￥$.])(?:(?:\+|00)?86{_SEP})?"
    rf"1[3-9][0-9](?:(?:{_SEP}[0-9]){{8}}|\.[0-9]{{4}}\.[0-9]{{4}})(?![0-9A-Za-z]|\.[0-9]|\s*[元万亿%‰])"
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

_LABELS = [
    "家庭住址",
    "家庭地址",
    "家庭住所",
    "现住址",
    "现住地址",
    "居住地址",
    "户籍地址",
    "户籍所在地",
    "户口所在地",
    "住宅地址",
    "住址",
    "家住",
]
# A label as typed, spaces between its characters too ("住 址："), then its colon.
_HOME_LABEL = re.compile(
    "(" + "|".join(r"\s*".join(label) for label in _LABELS) + r"|home address|residential address)\s*[：:]?\s*",
    re.I,
)
# The detail of a home: a house, building, unit or room number, or a village, estate or lane.
_HOME_DETAIL = re.compile(
    r"[0-9]+\s*(号|号楼|号院|楼|单元|室|栋|幢|层|户)|[村屯]|小区|社区|胡同|[巷弄里]\s*[0-9]"
    r"|\b(room|no\.|apt\.?|apartment|flat|unit|building|bldg\.?)\s*[0-9]",
    re.I,
)


# What any finding needs, in one pass over a whole page: eleven digits, each after at most one
# separator (an ID number has eighteen, a mobile number eleven), or a home label. A text without
# it holds none, line by line too; one with it is looked at line by line.
_MAYBE = re.compile(r"[0-9０-９](?:[ \-\u00a0.\u3000－]?[0-9０-９]){10}|" + _HOME_LABEL.pattern, re.I)


@dataclass(frozen=True)
class Finding:
    kind: str  # "id", "mobile", "address"
    start: int
    end: int
    shown: str  # what the editor reads in the message, masked

    def describe(self) -> str:
        what = {"id": "身份证号", "mobile": "手机号", "address": "家庭住址"}[self.kind]
        return f"{what}“{self.shown}”"


def valid_id(digits: str) -> bool:
    """An 18-character resident ID number: a date of birth that exists and the check character."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    try:
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date(2100, 12, 31):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == digits[17].upper()


def _mask(digits: str, keep_start: int, keep_end: int) -> str:
    return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[len(digits) - keep_end :]


def find(text: str) -> list[Finding]:
    """Every ID number, mobile number and labelled home address in `text`, in order."""
    if not text or not _MAYBE.search(text):
        return []
    plain = text.translate(_ASCII)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for m in _ID.finditer(plain):
        digits = re.sub(r"[ \-\u00a0]", "", m.group())
        if valid_id(digits):
            found.append(Finding("id", m.start(), m.end(), _mask(digits, 6, 4)))
            taken.append(m.span())
    for m in _MOBILE.finditer(plain):
        if any(a <= m.start() < b for a, b in taken):
            continue
        digits = re.sub(r"[ \-\u00a0+.]", "", m.group())
        digits = digits[-11:]
        if digits[3:] == "0" * 8:  # a round number, not a telephone
            continue
        found.append(Finding("mobile", m.start(), m.end(), _mask(digits, 3, 4)))
    for m in _HOME_LABEL.finditer(plain):
        rest = plain[m.end() : m.end() + 60]
        rest = re.split(r"[。；;\n]", rest, maxsplit=1)[0]
        if rest and _HOME_DETAIL.search(rest):
            snippet = (m.group(1) + "：" + rest[:8]).strip()
            found.append(Finding("address", m.start(), m.end() + len(rest), snippet + "……"))
    return sorted(found, key=lambda f: f.start)


def lines_with(text: str, first_line: int = 1) -> list[tuple[int, list[Finding]]]:
    """(line number, findings) for each line of `text` that has any; `first_line` is the first's."""
    out = []
    if not _MAYBE.search(text):
        return out
    for i, line in enumerate(text.split("\n")):
        hits = find(line)
        if hits:
            out.append((first_line + i, hits))
    return out


def message(findings: list[Finding], *, public: bool) -> str:
    """The message for one place (a line, a field, a cell) holding `findings`."""
    listed = "、".join(f.describe() for f in findings)
    if public:
        return (
            f"这里有{listed}：这是个人信息，发布后任何人都能看到和转发。请删去；"
            "需要联系方式时写单位的办公电话，地址写到区、街道（乡镇）为止。"
        )
    return (
        f"这里有{listed}：这是个人信息。本页仅在委员版中出现或是草稿，现在不会公开发布，"
        "但委员版也有很多人能看到，改为公开时必须删去。请确认确实需要保留。"
    )


def _strings(value, loc: tuple = ()):
    """(key path, text) of every string in front matter, however deep."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*loc, i))


def check(kb, shown) -> list:
    """Every page's front matter and body, in every language: an error where the page is public,
    a warning where it is members-only or a draft. `shown(src)`: the path as the editor sees it."""
    from .problems import Problem

    problems = []
    for e in kb.entries.values():
        public = e.visibility == "public" and not e.draft
        severity = "error" if public else "warning"
        for src, parsed in [(e.src, e.parsed)] + [(t.src, t.parsed) for t in e.translations.values()]:
            for loc, text in _strings(parsed.meta):
                hits = find(text)
                if hits:
                    problems.append(Problem(shown(src), parsed.line_of(loc), message(hits, public=public), severity))
            for line, hits in lines_with(parsed.body, parsed.body_line):
                problems.append(Problem(shown(src), line, message(hits, public=public), severity))
    return problems
