"""Controlled vocabularies: the allowed values of coded fields and their labels per language.

Values are ASCII codes (stable in URLs, JSON and across languages); labels are what readers see.
Schemas, the editor guide, the JSON Schema export and the templates all read these tables. Each
collection declares its own vocabularies in its folder (scripts/kb/collections/<name>/); every
vocabulary made is listed in `ALL` by its name, which is how a field bound to one finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every vocabulary, by name (filled as each is made).
ALL: dict[str, Vocabulary] = {}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: dict[str, dict[str, str]]  # code -> {"zh": ..., "en": ...}
    # other words offices write for a code (a note in parentheses after them does not count)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = ALL.setdefault(self.name, self)
        if known is not self and known.labels != self.labels:
            raise ValueError(f"two vocabularies are named {self.name!r}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def label(self, code: str, lang: str) -> str:
        return self.labels[code][lang]

    def code_for(self, text: object) -> str | None:
        """The code `text` names: the code itself, or its label as the site shows it (Chinese, or
        English in any case). Editors type what they read: `--status 已办复`, a sheet cell 推进中.
        None when it names none of them."""
        value = str(text).strip() if text is not None else ""
        if value in self.labels:
            return value
        for code, names in self.labels.items():
            if value == names["zh"] or value.casefold() == names["en"].casefold():
                return code
        plain = re.sub(r"[（(][^）)]*[)）]$", "", re.sub(r"\s+", "", value))
        for code, words in self.aliases.items():
            if plain in words or value in words:
                return code
        return None

    def describe(self, lang: str = "zh") -> str:
        """`a（甲）、b（乙）` — used in error messages and the editor guide."""
        sep = "、" if lang == "zh" else ", "
        if lang == "zh":
            return sep.join(f"{code}（{names['zh']}）" for code, names in self.labels.items())
        return sep.join(f"{code} ({names['en']})" for code, names in self.labels.items())


VISIBILITY = Vocabulary(
    "visibility",
    {
        "public": {"zh": "公开", "en": "Public"},
        "members": {"zh": "仅委员可见", "en": "Members only"},
    },
)
