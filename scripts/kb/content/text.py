"""The site's words and numbers in each language: UI strings (strings.yml beside this file, and
each collection's own in its folder), dates, Chinese and Roman numerals. Plain data and formatting
used by everything that shows text (listings, page headers, feeds, task sheets, derived pages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .urls import DEFAULT_LANG

STRINGS = Path(__file__).with_name("strings.yml")
# The words of each collection (its folder's strings.yml), added as the collections are declared.
_WORD_FILES: list[Path] = []

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


_STRINGS: list[dict[str, dict[str, str]]] = []  # the merged words, once per set of word files


def add_words(path: Path) -> None:
    """A collection's words join the site's (scripts/kb/collections/__init__.py calls this)."""
    if path not in _WORD_FILES:
        _WORD_FILES.append(path)
        _STRINGS.clear()


def strings() -> dict[str, dict[str, str]]:
    """UI strings per language: the shared ones and every declared collection's."""
    if not _STRINGS:
        _STRINGS.append(_merged(STRINGS, *_WORD_FILES))
    return _STRINGS[0]


def _merged(*paths: Path) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    owner: dict[str, Path] = {}
    for path in paths:
        for lang, words in yaml.safe_load(path.read_text("utf-8")).items():
            for key, value in words.items():
                if key in merged.get(lang, {}) and merged[lang][key] != value:
                    # Two collections may not give one key two meanings: a listing would show either.
                    raise ValueError(f"{path}: {lang}.{key} is already defined in {owner[key]}")
                merged.setdefault(lang, {})[key] = value
                owner[key] = path
    return merged


def zh_numeral(n: int) -> str:
    if n <= 10:
        return _ZH_NUMERALS[n]
    if n < 20:
        return "十" + _ZH_NUMERALS[n - 10]
    return _ZH_NUMERALS[n // 10] + "十" + (_ZH_NUMERALS[n % 10] if n % 10 else "")


def roman(n: int) -> str:
    return _ROMAN[n]


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
