"""The field types every collection's front matter is made of, and the models every page shares.

A collection's model (in its folder under scripts/kb/collections/) is built from these: one-line
plain text that can never become markup, sane dates, coded values bound to a vocabulary, lists
of names, references to other records. Each field's `description` is the Chinese text editors
read in the guide and in their IDE; `json_schema_extra["x-description-en"]` is its English
counterpart.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from . import vocab

# Characters that have no place in a one-line field: C0/C1 controls (newlines and tabs included:
# a newline in a title would start a new Markdown block in a listing; most controls are invalid
# in XML feeds), line/paragraph separators, bidirectional overrides that reorder what readers
# see, and Unicode non-characters.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def one_line(value: str) -> str:
    m = _CONTROL.search(value)
    if m:
        raise ValueError(f"control-char:U+{ord(m.group()):04X}")
    return value


def _no_markup(value: str) -> str:
    # Front-matter text ends up in titles, navigation and listings. MkDocs puts `title` into
    # the navigation unescaped, so markup is refused here rather than trusted anywhere.
    one_line(value)
    if re.search(r"<\s*[A-Za-z/!?]", value):
        raise ValueError("no-markup")
    if not value.strip():
        raise ValueError("empty")
    return value.strip()


PlainText = Annotated[str, AfterValidator(_no_markup)]
# A title is shown whole in the browser's tab, search results, listings and share cards: a
# paragraph pasted into it (a 3,000-character Word heading) is refused, with this limit, which
# the editors' guide states. The longest the site has is a translated point title of 204 characters.
TITLE_MAX = 300
Title = Annotated[str, StringConstraints(max_length=TITLE_MAX), AfterValidator(_no_markup)]
OneLine = Annotated[str, AfterValidator(one_line)]

# The committee was founded in 1949; anything outside these years is a typo (9999, 20024) and
# would fail date arithmetic in calendars and feeds.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def sane_date(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("year-range")
    return value


Date = Annotated[dt.date, AfterValidator(sane_date)]
# A time of day as a record states it: 14:30
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]

# Units (牵头单位, 配合单位) as the office writes them in one cell or line: "学习和文史委员会、办公室".
UNIT_SEPARATORS = re.compile(r"[、，,；;\n]+")
# In English a comma belongs to a unit's name ("Committee on Education, Science, Culture, Health
# and Sports"): a translation's string is split on semicolons only.
TRANSLATED_UNIT_SEPARATORS = re.compile(r"[；;\n]+")


def split_units(value, separators: re.Pattern = UNIT_SEPARATORS):
    """A string is a list of units split on its separators; a list is taken as written."""
    if value is None:
        return []
    if isinstance(value, str):
        return [u.strip() for u in separators.split(value) if u.strip()]
    return value


_UNITS_SCHEMA = WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]})
# A list of unit names; a string (as older pages and the task sheet write one) is split into it.
Units = Annotated[list[PlainText], BeforeValidator(split_units), _UNITS_SCHEMA]
TranslatedUnits = Annotated[
    list[PlainText], BeforeValidator(lambda v: split_units(v, TRANSLATED_UNIT_SEPARATORS)), _UNITS_SCHEMA
]
RecordRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9/-]*$")]


def described(zh: str, en: str, **kw):
    return Field(description=zh, json_schema_extra={"x-description-en": en}, **kw)


def coded(v: vocab.Vocabulary, zh: str, en: str, *, optional: bool = False, **kw):
    """A field whose values come from vocabulary `v`, bound to it: messages, the guide and the
    record header read the binding (`x-vocab`), never a vocabulary that happens to share the
    field's name. Used as the whole annotation: `status: coded(vocab.EVENT_STATUS, ...)`."""
    choice = Literal[v.codes]  # type: ignore[valid-type]
    return Annotated[
        choice | None if optional else choice,
        Field(description=zh, json_schema_extra={"x-description-en": en, "x-vocab": v.name}, **kw),
    ]


def vocabulary_of(model: type[BaseModel], name: str) -> vocab.Vocabulary | None:
    """The vocabulary bound to field `name` of `model`, if any."""
    info = model.model_fields.get(name)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    return vocab.ALL.get(extra.get("x-vocab")) if extra.get("x-vocab") else None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SearchOptions(Strict):
    exclude: bool = described(
        "为 true 时本页不进入搜索索引。", "Leave this page out of the search index.", default=False
    )
    # Finite and bounded: .nan or .inf cannot be written into the search index's JSON, and a huge
    # weight (1e308) overflows when the index turns weighted scores into integers.
    boost: float | None = described(
        "搜索结果中的权重，0 到 100 之间，例如 2。",
        "Ranking weight in search results, 0 to 100.",
        default=None,
        allow_inf_nan=False,
        ge=0,
        le=100,
    )


class MaterialKeys(Strict):
    """Keys that MkDocs and Material themselves read; allowed on every page."""

    description: PlainText | None = described(
        "页面摘要，用于搜索引擎和分享卡片。", "Page summary for search engines and link previews.", default=None
    )
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = described(
        "隐藏页面的某些部分，例如 [toc]。", "Hide parts of the page, e.g. [toc].", default_factory=list
    )
    search: SearchOptions | None = described("搜索设置。", "Search settings.", default=None)


class Page(MaterialKeys):
    """Any page that is not a record: home, notice, index pages, the guide."""

    title: Title = described("页面标题。", "Page title.")
    visibility: coded(
        vocab.VISIBILITY,
        "可见范围：public 公开；members 仅在委员版中出现（例如编辑指南）。",
        "Who may see it: public, or members (members' edition only, e.g. the editors' guide).",
        default="public",
    )


class Record(MaterialKeys):
    """Fields shared by every record collection."""

    title: Title = described("标题。", "Title.")
    tags: list[PlainText] = described(
        "标签，例如 [文史资料, 长城文化]。", "Tags, e.g. [culture, Great Wall].", default_factory=list
    )
    draft: bool = described(
        "草稿：为 true 时只在本地预览（kb preview）中显示，不发布。",
        "Draft: shown in the local preview only, never published.",
        default=False,
    )
    visibility: coded(
        vocab.VISIBILITY,
        "可见范围：public 公开；members 仅在委员版中出现。",
        "Who may see it: public, or members (members' edition only).",
        default="public",
    )


class Translation(Strict):
    """An English page (`*.en.md`): only what is translated. Everything else comes from the Chinese page."""

    title: Title = described("译文标题。", "Translated title.")
    description: PlainText | None = described("译文摘要。", "Translated summary.", default=None)
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = described(
        "隐藏页面的某些部分。", "Hide parts of the page.", default_factory=list
    )
    search: SearchOptions | None = described("搜索设置。", "Search settings.", default=None)
    source_hash: OneLine | None = described(
        "翻译所依据的中文原文的指纹，由 kb translated 写入，请勿手改。",
        "Fingerprint of the Chinese text this translates; written by `kb translated`.",
        default=None,
    )


def cover():
    """A record's cover image, shown in its collection's listing."""
    return described(
        "封面图片（可选），写相对于本页的路径，例如 images/cover.jpg；显示在列表中。",
        "Cover image (optional), relative to this page, e.g. images/cover.jpg; shown in listings.",
        default=None,
    )


def author():
    """Who wrote a record, as the record names them (作者 at the top of a Word record)."""
    return described("作者或撰稿人（Word 记录开头的“作者：”）。", "Author, as the record names one.", default=None)
