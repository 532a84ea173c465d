"""Word's automatic numbering, as Word prints it.

A numbered paragraph's digits are not in its text: they come from numbering.xml (the paragraph's
numId/ilvl, the level's format, start, text and any restart), counted as Word counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from .files import W

_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        if rest == 0:
            tail = ""
        elif rest < 10:
            tail = digits[0] + digits[rest]
        elif rest < 20:
            tail = digits[1] + _chinese(rest, digits, ten, hundred)
        else:
            tail = _chinese(rest, digits, ten, hundred)
        return digits[n // 100] + hundred + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str | None:
    """The number as Word prints it in the format `fmt` (w:numFmt); None for a format we do not know."""
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    table = {
        "decimal": lambda: str(n),
        "decimalHalfWidth": lambda: str(n),
        "decimalZero": lambda: f"{n:02d}",
        "decimalFullWidth": lambda: str(n).translate(full),
        "decimalFullWidth2": lambda: str(n).translate(full),
        "chineseCounting": lambda: _chinese(n),
        "chineseCountingThousand": lambda: _chinese(n),
        "japaneseCounting": lambda: _chinese(n),
        "taiwaneseCounting": lambda: _chinese(n),
        "ideographDigital": lambda: "".join(_CN[int(d)] for d in str(n)),
        "chineseLegalSimplified": lambda: _chinese(n, _CN_LEGAL, "拾", "佰"),
        "ideographTraditional": lambda: _TIANGAN[(n - 1) % 10],
        "ideographZodiac": lambda: _DIZHI[(n - 1) % 12],
        "decimalEnclosedCircle": lambda: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedCircleChinese": lambda: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "decimalEnclosedParen": lambda: chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})",
        "decimalEnclosedFullstop": lambda: chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}.",
        "lowerLetter": lambda: _letters(n),
        "upperLetter": lambda: _letters(n).upper(),
        "lowerRoman": lambda: _roman(n),
        "upperRoman": lambda: _roman(n).upper(),
        "none": lambda: "",
    }
    fn = table.get(fmt)
    return fn() if fn else None


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never


def _val(el: ET.Element | None, default=None):
    return el.get(f"{W}val", default) if el is not None else default


def _level(lvl: ET.Element, base: Level | None = None) -> Level:
    out = Level(**vars(base)) if base else Level()
    if (el := lvl.find(f"{W}start")) is not None:
        out.start = int(_val(el, "1"))
    if (el := lvl.find(f"{W}numFmt")) is not None:
        out.fmt = _val(el, "decimal")
    if (el := lvl.find(f"{W}lvlText")) is not None:
        out.text = _val(el, "")
    if (el := lvl.find(f"{W}suff")) is not None:
        out.suffix = _val(el, "tab")
    if lvl.find(f"{W}isLgl") is not None:
        out.legal = _val(lvl.find(f"{W}isLgl"), "1") not in ("0", "false")
    if (el := lvl.find(f"{W}lvlRestart")) is not None:
        out.restart = int(_val(el, "0"))
    return out


class NumberingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Numbering:
    """Word's list numbers: numbering.xml's definitions and the counters as Word advances them.

    Instances (w:num) of one definition (w:abstractNum) share its counters, so points keep counting
    across section headings; an instance with a start override (w:lvlOverride/w:startOverride, what
    Word writes for "restart numbering") counts on its own from that value. Going to a level resets
    the deeper ones (unless w:lvlRestart says otherwise).
    """

    def __init__(self, numbering: ET.Element | None, styles: ET.Element | None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum with w:numStyleLink -> style id
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[tuple, dict[int, int]] = {}
        if styles is not None:
            for st in styles.iter(f"{W}style"):
                sid = st.get(f"{W}styleId")
                if not sid:
                    continue
                if (b := st.find(f"{W}basedOn")) is not None:
                    self.style_based[sid] = _val(b)
                ppr = st.find(f"{W}pPr")
                num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
                if num_pr is not None:
                    ilvl = num_pr.find(f"{W}ilvl")
                    self.style_num[sid] = (
                        _val(num_pr.find(f"{W}numId")),
                        int(_val(ilvl)) if ilvl is not None else None,
                    )
        if numbering is None:
            return
        for a in numbering.iter(f"{W}abstractNum"):
            levels = {int(lvl.get(f"{W}ilvl", "0")): _level(lvl) for lvl in a.findall(f"{W}lvl")}
            aid = a.get(f"{W}abstractNumId")
            self.abstract[aid] = levels
            if (link := a.find(f"{W}numStyleLink")) is not None:
                self.style_link[aid] = _val(link)
        for n in numbering.iter(f"{W}num"):
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for o in n.findall(f"{W}lvlOverride"):
                ilvl = int(o.get(f"{W}ilvl", "0"))
                if (s := o.find(f"{W}startOverride")) is not None:
                    starts[ilvl] = int(_val(s, "1"))
                if (lvl := o.find(f"{W}lvl")) is not None:
                    overrides[ilvl] = _level(lvl)
            self.nums[n.get(f"{W}numId")] = (_val(n.find(f"{W}abstractNumId")), overrides, starts)

    def _abstract_of(self, num_id: str) -> str | None:
        aid = self.nums.get(num_id, (None, {}, {}))[0]
        # a definition that only points at a numbering style: follow the style to its instance
        for _ in range(3):
            if aid in self.style_link:
                sid = self.style_link[aid]
                linked = self.style_num.get(sid, (None, None))[0]
                aid = self.nums.get(linked, (None, {}, {}))[0] if linked else None
            else:
                break
        return aid

    def num_pr(self, ppr: ET.Element | None, style: str | None) -> tuple[str, int] | None:
        """(numId, level) of a paragraph: its own w:numPr, or its style's (through basedOn)."""
        num_id = ilvl = None
        if ppr is not None and (np_ := ppr.find(f"{W}numPr")) is not None:
            num_id = _val(np_.find(f"{W}numId"))
            if (lv := np_.find(f"{W}ilvl")) is not None:
                ilvl = int(_val(lv, "0"))
        seen = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            s_num, s_lvl = self.style_num.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = self.style_based.get(style)
        if num_id in (None, "0"):
            return None
        return num_id, ilvl or 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """(number text as printed, what follows it: "\\t", " " or "") for the next paragraph of
        this list at this level; advances the counters."""
        if num_id not in self.nums:
            raise NumberingError(f"自动编号引用了不存在的编号定义（numId {num_id}）")
        aid = self._abstract_of(num_id)
        if aid is None or aid not in self.abstract:
            raise NumberingError(f"自动编号的编号定义缺失（numId {num_id}）")
        _, overrides, starts = self.nums[num_id]
        levels = {**self.abstract[aid], **overrides}
        level = levels.get(ilvl)
        if level is None:
            raise NumberingError(f"自动编号的第 {ilvl + 1} 级没有定义（numId {num_id}）")
        key = (aid, num_id) if starts or overrides else (aid,)
        counters = self.counters.setdefault(key, {})
        start = starts.get(ilvl, level.start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and restart <= ilvl + 1):
                del counters[deeper]

        def one(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvl_k = levels.get(k, Level())
            value = counters.get(k, starts.get(k, lvl_k.start))
            fmt = "decimal" if level.legal and lvl_k.fmt not in ("none",) else lvl_k.fmt
            text = format_number(value, fmt)
            if text is None:
                raise NumberingError(f"自动编号的格式“{fmt}”无法识别")
            return text

        if level.fmt == "bullet":
            text = level.text
        else:
            if format_number(1, level.fmt) is None:
                raise NumberingError(f"自动编号的格式“{level.fmt}”无法识别")
            text = re.sub(r"%([1-9])", one, level.text)
        suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(level.suffix, "\t")
        return text, suffix if text else ""
