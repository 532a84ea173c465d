"""The site's words and numbers in each language: UI strings (strings.yml beside this file),
dates, Chinese and Roman numerals, section and point labels. Plain data and formatting used by
everything that shows text (listings, page headers, feeds, task sheets, derived pages)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import yaml

from .model import DEFAULT_LANG, Entry

STRINGS = Path(__file__).with_name("strings.yml")

_ZH_NUMERALS = "〇一二三四五六七八九十"
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
_ROMAN += ["X" + r for r in _ROMAN[1:]]  # XI … XX
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@cache
def strings() -> dict[str, dict[str, str]]:
    """UI strings per language, from scripts/kb/content/strings.yml."""
    return yaml.safe_load(STRINGS.read_text("utf-8"))


def zh_numeral(n: int) -> str:
    if n <= 10:
        return _ZH_NUMERALS[n]
    if n < 20:
        return "十" + _ZH_NUMERALS[n - 10]
    return _ZH_NUMERALS[n // 10] + "十" + (_ZH_NUMERALS[n % 10] if n % 10 else "")


def section_label(number: int, lang: str) -> str:
    return f"{zh_numeral(number)}、" if lang == DEFAULT_LANG else f"{_ROMAN[number]}. "


def format_date(value: dt.date | None, lang: str, precision: str = "day") -> str:
    if value is None:
        return ""
    if lang == DEFAULT_LANG:
        return {"year": f"{value.year}年", "month": f"{value.year}年{value.month}月"}.get(
            precision, f"{value.year}年{value.month}月{value.day}日"
        )
    month = _EN_MONTHS[value.month - 1]
    return {"year": f"{value.year}", "month": f"{month} {value.year}"}.get(
        precision, f"{value.day} {month} {value.year}"
    )


def format_when(event: Entry, lang: str) -> str:
    """An event's date as precisely as it is known, saying so when only the month or year is."""
    data = event.data
    text = format_date(data.start, lang, data.precision)
    if data.precision != "day":
        text += strings()[lang]["date_not_fixed"]
    return text


def point_label(point: Entry) -> str:
    return point.data.label if point.data.label is not None else f"{point.data.number}."


def point_ref(point: Entry, lang: str) -> str:
    """Year and number, which tell points of different years apart: "2024年工作要点 第5项"."""
    return strings()[lang]["point_ref"].format(year=point.data.year, number=point.data.number)


def point_page_title(point: Entry, lang: str) -> str:
    """The title of a point's page in <title>, search results, tags and feeds."""
    t = strings()[lang]
    return f"{point_ref(point, lang)}{t['colon']}{point.title(lang)}"


def plan_year_label(year: int, lang: str) -> str:
    return strings()[lang]["plan_year"].format(year=year)
