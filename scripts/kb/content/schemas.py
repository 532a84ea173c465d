"""One schema per collection: the single place that says which fields a page may carry.

Validation (`kb check`, the build), the scaffolder (`kb new`), the editor guide and the exported
JSON Schema all read the models and the `COLLECTIONS` registry below.

Each field's `description` is the Chinese text editors read in the guide and in their IDE;
`json_schema_extra["en"]` is its English counterpart.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from . import vocab

# Characters that have no place in a one-line field: C0/C1 controls (newlines and tabs included:
# a newline in a title would start a new Markdown block in a listing; most controls are invalid
# in XML feeds), line/paragraph separators, bidirectional overrides that reorder what readers
# see, and Unicode non-characters.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def _one_line(value: str) -> str:
    m = _CONTROL.search(value)
    if m:
        raise ValueError(f"control-char:U+{ord(m.group()):04X}")
    return value


def _no_markup(value: str) -> str:
    # Front-matter text ends up in titles, navigation and listings. MkDocs puts `title` into
    # the navigation unescaped, so markup is refused here rather than trusted anywhere.
    _one_line(value)
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
OneLine = Annotated[str, AfterValidator(_one_line)]

# The committee was founded in 1949; anything outside these years is a typo (9999, 20024) and
# would fail date arithmetic in calendars and feeds.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def _sane_date(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("year-range")
    return value


Date = Annotated[dt.date, AfterValidator(_sane_date)]

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
PointRef = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")]
RecordRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9/-]*$")]


def _field(zh: str, en: str, **kw):
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SearchOptions(_Strict):
    exclude: bool = _field("为 true 时本页不进入搜索索引。", "Leave this page out of the search index.", default=False)
    # Finite and bounded: .nan or .inf cannot be written into the search index's JSON, and a huge
    # weight (1e308) overflows when the index turns weighted scores into integers.
    boost: float | None = _field(
        "搜索结果中的权重，0 到 100 之间，例如 2。",
        "Ranking weight in search results, 0 to 100.",
        default=None,
        allow_inf_nan=False,
        ge=0,
        le=100,
    )


class MaterialKeys(_Strict):
    """Keys that MkDocs and Material themselves read; allowed on every page."""

    description: PlainText | None = _field(
        "页面摘要，用于搜索引擎和分享卡片。", "Page summary for search engines and link previews.", default=None
    )
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = _field(
        "隐藏页面的某些部分，例如 [toc]。", "Hide parts of the page, e.g. [toc].", default_factory=list
    )
    search: SearchOptions | None = _field("搜索设置。", "Search settings.", default=None)


class Page(MaterialKeys):
    """Any page that is not a record: home, notice, index pages, the guide."""

    title: Title = _field("页面标题。", "Page title.")


class Record(MaterialKeys):
    """Fields shared by every record collection."""

    title: Title = _field("标题。", "Title.")
    tags: list[PlainText] = _field(
        "标签，例如 [文史资料, 长城文化]。", "Tags, e.g. [culture, Great Wall].", default_factory=list
    )
    draft: bool = _field(
        "草稿：为 true 时只在本地预览（mkdocs serve）中显示，不发布。",
        "Draft: shown in the local preview only, never published.",
        default=False,
    )
    visibility: coded(
        vocab.VISIBILITY,
        "可见范围：public 公开；members 仅在委员版中出现。",
        "Who may see it: public, or members (members' edition only).",
        default="public",
    )


class Milestone(_Strict):
    date: Date = _field("日期，格式 YYYY-MM-DD。", "Date, YYYY-MM-DD.")
    note: PlainText = _field("这一天完成了什么。", "What was done.")


class PlanSection(_Strict):
    number: int = _field("部分序号（一、二、三……写作 1、2、3）。", "Section number.", ge=1, le=20)
    heading: Title = _field("部分标题，与原文一字不差。", "Section heading, exactly as published.")


class Plan(MaterialKeys):
    """A year's plan: docs/plan/<year>/index.md. Its body is the plan's opening paragraph."""

    title: Title = _field("工作要点的标题。", "Title of the plan.")
    year: int = _field("年度。", "Year.", ge=2000, le=2100)
    title_lines: list[PlainText] = _field(
        "原文标题的分行写法。", "The title as laid out in lines.", default_factory=list
    )
    adopted: Date | None = _field("通过日期。", "Date adopted.", default=None)
    adopted_by: PlainText | None = _field("通过的会议。", "Meeting that adopted it.", default=None)
    issued: Date | None = _field("印发日期。", "Date issued.", default=None)
    issuer: PlainText | None = _field("印发单位。", "Issuing body.", default=None)
    sections: list[PlanSection] = _field("各部分的序号和标题。", "The plan's sections.", min_length=1)
    attachment: PlainText | None = _field("附件名称（原文只列名称）。", "Name of the attachment.", default=None)


class WorkPoint(Record):
    """One numbered work point: docs/plan/<year>/<NN>.md. Its body is the point's full text."""

    year: int = _field("所属年度。", "Year of the plan.", ge=2000, le=2100)
    number: int = _field(
        "工作要点序号，与文件名一致（第 1 项为 01.md）。", "Number of the point (01.md is 1).", ge=1, le=99
    )
    section: int = _field("所属部分的序号（一、为 1）。", "Number of the section it belongs to.", ge=1, le=20)
    # Not stripped: the source prints "4. " with a space, and the full text reproduces it.
    label: Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(_one_line)] | None = _field(
        '原文中序号的写法，仅在与“1.”这种写法不同时填写，例如 "15．"。',
        "The number as printed, only where it differs from '1.'.",
        default=None,
    )
    status: coded(
        vocab.STATUS,
        "落实状态。没有填报时保持 not-reported，不要猜测。",
        "Progress status; keep not-reported until reported.",
        default="not-reported",
    )
    progress: int | None = _field("完成百分比，0 到 100。", "Per cent complete, 0–100.", default=None, ge=0, le=100)
    lead_unit: Units = _field(
        "牵头单位（以任务分解表为准）。几个单位共同牵头时写列表，例如 [学习和文史委员会, 办公室]，"
        "或写成一行、用顿号分开。",
        "Lead unit(s), as in the task breakdown: a list, or one line with the units separated by 、 or ;.",
        default_factory=list,
    )
    cooperating_units: Units = _field(
        "配合单位（以任务分解表为准），例如 [区文旅局, 区档案馆]。",
        "Cooperating units, as in the task breakdown.",
        default_factory=list,
    )
    deadline: Date | None = _field(
        "完成时限，格式 YYYY-MM-DD（以任务分解表为准）。",
        "Deadline, YYYY-MM-DD, as in the task breakdown.",
        default=None,
    )
    milestones: list[Milestone] = _field(
        "进展节点：日期和说明。", "Dated milestones with a note.", default_factory=list
    )
    related: list[RecordRef] = _field(
        "其他相关记录，写路径，例如 wenshi/sanqin-accounts。",
        "Other related records by path, e.g. wenshi/sanqin-accounts.",
        default_factory=list,
    )


def _cover():
    return _field(
        "封面图片（可选），写相对于本页的路径，例如 images/cover.jpg；显示在列表中。",
        "Cover image (optional), relative to this page, e.g. images/cover.jpg; shown in listings.",
        default=None,
    )


class WenshiEntry(Record):
    """A culture-and-history (文史资料) publication or programme: docs/wenshi/<slug>.md."""

    kind: coded(vocab.WENSHI_KIND, "类别。", "Kind.", optional=True, default=None)
    status: coded(vocab.STATUS, "进展状态。", "Progress status.", default="not-reported")
    partner: PlainText | None = _field("合作单位，例如 市政协。", "Partner body.", default=None)
    published: Date | None = _field("出版或完成日期。", "Date published or completed.", default=None)
    cover: PlainText | None = _cover()
    points: list[PointRef] = _field(
        "相关工作要点，写作 年度-序号，例如 [2024-11]。", "Related work points, e.g. [2024-11].", default_factory=list
    )


class Lecture(Record):
    """One session of 政协悦读大讲堂: docs/lectures/<date>-<slug>.md. The title is the topic."""

    date: Date = _field("讲座日期，格式 YYYY-MM-DD。", "Date of the lecture, YYYY-MM-DD.")
    # Only the topic and the date are required: what is not known is shown as "not recorded yet".
    speaker: PlainText | None = _field("主讲人姓名。", "Speaker's name.", default=None)
    speaker_role: coded(vocab.SPEAKER_ROLE, "主讲人身份。", "Speaker's role.", optional=True, default=None)
    topic_kind: coded(vocab.TOPIC_KIND, "专题类别。", "Kind of topic.", optional=True, default=None)
    venue: PlainText | None = _field("地点。", "Venue.", default=None)
    cover: PlainText | None = _cover()
    points: list[PointRef] = _field(
        "相关工作要点，例如 [2024-02]。", "Related work points, e.g. [2024-02].", default_factory=list
    )


def _when(value):
    """`when` is a day (2024-03-08), a month ("2024-04") or a year (2024): only as precise as known."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _sane_date(value)
    if isinstance(value, int) and not isinstance(value, bool) and FIRST_YEAR <= value <= LAST_YEAR:
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value.strip()):
        if FIRST_YEAR <= int(value.strip()[:4]) <= LAST_YEAR:
            return value.strip()
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return _sane_date(dt.date.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise ValueError("when-format")


When = Annotated[
    object,
    BeforeValidator(_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}(-\d{2})?$"},
                {"type": "integer"},
            ]
        }
    ),
]


class Event(Record):
    """An activity the plan names (docs/events/<slug>.md)."""

    when: When = _field(
        '日期：知道哪天写 2024-03-08；只知道月份写 "2024-04"；只知道年份写 2024。不要猜测。',
        'Date: a day (2024-03-08), a month ("2024-04") or a year (2024), only as precise as known.',
    )
    date_source: coded(
        vocab.DATE_SOURCE,
        "日期的依据：calendar 节日日期；source 工作要点原文；record 实际举办日期。",
        "Where the date comes from.",
        default="source",
    )
    status: coded(vocab.EVENT_STATUS, "举办状态。", "Whether it has taken place.", default="planned")
    location: PlainText | None = _field("地点。", "Place.", default=None)
    points: list[PointRef] = _field(
        "相关工作要点，例如 [2024-10]。", "Related work points, e.g. [2024-10].", default_factory=list
    )

    @property
    def precision(self) -> str:
        if isinstance(self.when, dt.date):
            return "day"
        return "month" if "-" in self.when else "year"

    @property
    def start(self) -> dt.date:
        """First day the event may fall on (sorting, calendars)."""
        if isinstance(self.when, dt.date):
            return self.when
        year, _, month = self.when.partition("-")
        return dt.date(int(year), int(month or 1), 1)


class Proposal(Record):
    """A CPPCC proposal (提案): docs/proposals/<slug>.md. Only what the committee's records say."""

    year: int = _field("提出年度。", "Year the proposal was made.", ge=2000, le=2100)
    number: int | None = _field(
        "提案号，以提案委员会的编号为准，例如 15。", "Proposal number, as the committee numbers it.", default=None, ge=1
    )
    proposers: list[PlainText] = _field(
        "提案人：委员姓名，或党派、界别的名称，例如 [张三, 李四]。",
        "Who proposed it: members' names, or a party or sector.",
        default_factory=list,
    )
    proposer_kind: coded(vocab.PROPOSER_KIND, "提案者类别。", "Kind of proposer.", optional=True, default=None)
    category: PlainText | None = _field(
        "提案类别，以提案委员会的分类为准。", "Category, as the committee classifies it.", default=None
    )
    status: coded(vocab.PROPOSAL_STATUS, "办理状态。", "Handling status.", optional=True, default=None)
    handling_units: list[PlainText] = _field(
        "承办单位，例如 [区发展改革委]。", "Units handling it.", default_factory=list
    )
    reply_date: Date | None = _field("答复日期，格式 YYYY-MM-DD。", "Date of the reply, YYYY-MM-DD.", default=None)
    satisfaction: coded(
        vocab.SATISFACTION, "提案人对答复的满意程度。", "The proposer's view of the reply.", optional=True, default=None
    )
    points: list[PointRef] = _field(
        "相关工作要点，例如 [2024-08]。", "Related work points, e.g. [2024-08].", default_factory=list
    )


class Translation(_Strict):
    """An English page (`*.en.md`): only what is translated. Everything else comes from the Chinese page."""

    title: Title = _field("译文标题。", "Translated title.")
    description: PlainText | None = _field("译文摘要。", "Translated summary.", default=None)
    hide: list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] = _field(
        "隐藏页面的某些部分。", "Hide parts of the page.", default_factory=list
    )
    search: SearchOptions | None = _field("搜索设置。", "Search settings.", default=None)
    source_hash: OneLine | None = _field(
        "翻译所依据的中文原文的指纹，由 python -m scripts.kb translated 写入，请勿手改。",
        "Fingerprint of the Chinese text this translates; written by `kb translated`.",
        default=None,
    )


class PlanTranslation(Translation):
    title_lines: list[PlainText] = _field("标题分行的译文。", "Translated title lines.", default_factory=list)
    sections: list[PlanSection] = _field("各部分标题的译文。", "Translated section headings.", default_factory=list)
    attachment: PlainText | None = _field("附件名称的译文。", "Translated attachment name.", default=None)
    adopted_by: PlainText | None = _field("通过会议名称的译文。", "Translated meeting name.", default=None)
    issuer: PlainText | None = _field("印发单位的译文。", "Translated issuing body.", default=None)


class MilestoneTranslation(_Strict):
    # A key, not text: it says which milestone a note translates. `x-match-key` keeps it out of
    # the fingerprint, so a corrected date does not mark the translation stale.
    date: Date = Field(
        description="所译进展节点的日期，与中文页面一致。",
        json_schema_extra={
            "x-description-en": "Date of the milestone translated, as on the Chinese page.",
            "x-match-key": True,
        },
    )
    note: PlainText = _field("进展说明的译文。", "Translated note.")


class WorkPointTranslation(Translation):
    lead_unit: TranslatedUnits = _field(
        "牵头单位的译文，顺序与中文页面一致；写成一行时用分号分开。",
        "Translated lead unit(s), in the Chinese page's order; on one line, separated by semicolons.",
        default_factory=list,
    )
    cooperating_units: TranslatedUnits = _field(
        "配合单位的译文，顺序与中文页面一致。",
        "Translated cooperating units, in the Chinese page's order.",
        default_factory=list,
    )
    milestones: list[MilestoneTranslation] = _field(
        "进展节点说明的译文，按日期对应中文页面的节点。",
        "Translated milestone notes, matched to the Chinese page's milestones by date.",
        default_factory=list,
    )


@dataclass(frozen=True)
class HeaderField:
    """One row of a record's header (overrides/partials/kb-record-header.html).

    show: how the value is shown: "value" (text or the vocabulary label bound to the field),
    "status" (the label as a coloured badge), "date", "when" (an event's date, as precise as
    known), "percent", "section" (a point's section, linked to the plan), "list" (a list of texts).
    A missing value shows "尚未记录" unless hide_missing is set."""

    field: str
    label: str | None = None  # key in scripts/kb/content/strings.yml; the field's name by default
    show: str = "value"
    hide_missing: bool = False

    @property
    def label_key(self) -> str:
        return self.label or self.field


@dataclass(frozen=True)
class Listing:
    """The generated listing of a collection: a page holding `<!-- kb:<marker> -->` gets
    scripts/kb/outputs/templates/<template>, given the collection's entries grouped by listings.<group>."""

    marker: str
    template: str
    group: str  # name of the grouping function in scripts/kb/content/listings.py


@dataclass(frozen=True)
class Collection:
    """Everything the site needs to know about one kind of page, declared once.

    Validation, `kb new`, the listings, the record header, the feed, the editors' guide and the
    search dictionary all read these declarations; adding a collection means adding its model
    and one declaration here (plus its archetype, listing template, strings and index pages)."""

    name: str  # used on the command line: `kb new lecture`
    model: type[BaseModel]
    patterns: tuple[str, ...]  # docs-relative paths, matched segment by segment
    titles: dict[str, str]
    folder: str | None = None  # where `kb new` writes; None: no `kb new` for it
    translation_model: type[BaseModel] = Translation
    sort_key: Callable[[Any], Any] | None = None  # of an Entry; listings and queries use it
    newest_first: bool = False
    listing: Listing | None = None
    header: tuple[HeaderField, ...] = ()
    new_options: tuple[str, ...] = ()  # fields `kb new` takes as --options (besides --title)
    date_field: str | None = None  # `kb new --date` fills this field and is then required
    slug_prefix: tuple[str, ...] = ()  # `kb new` starts the file name with these values ("date": --date)
    feed_date: str | None = None  # attribute of the record dating it in the feed outside git
    guide_order: int | None = None  # place in the guide's field reference; None leaves it out
    search_fields: tuple[str, ...] = ()  # names and units for the search dictionary

    def matches(self, src: str) -> bool:
        parts = src.split("/")
        for pattern in self.patterns:
            pparts = pattern.split("/")
            if len(parts) == len(pparts) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pparts, strict=True)):
                return True
        return False

    @property
    def is_record(self) -> bool:
        return issubclass(self.model, Record)


PLAN = Collection(
    "plan",
    Plan,
    ("plan/*/index.md",),
    {"zh": "年度工作要点", "en": "Annual plans"},
    translation_model=PlanTranslation,
    guide_order=6,
)
WORK_POINT = Collection(
    "point",
    WorkPoint,
    ("plan/*/[0-9][0-9].md",),
    {"zh": "工作要点", "en": "Work points"},
    translation_model=WorkPointTranslation,
    sort_key=lambda e: (e.data.year, e.data.number),
    header=(
        HeaderField("section", show="section"),
        HeaderField("status", show="status"),
        HeaderField("progress", show="percent"),
        HeaderField("lead_unit"),
        HeaderField("cooperating_units"),
        HeaderField("deadline", show="date"),
    ),
    guide_order=5,
    search_fields=("lead_unit", "cooperating_units"),
)
WENSHI = Collection(
    "wenshi",
    WenshiEntry,
    ("wenshi/*.md",),
    {"zh": "文史资料", "en": "Culture and history"},
    folder="wenshi",
    sort_key=lambda e: e.src,
    listing=Listing("wenshi-index", "wenshi-index.md.j2", "group_wenshi"),
    header=(
        HeaderField("kind"),
        HeaderField("status", show="status"),
        HeaderField("partner"),
        HeaderField("published", show="date"),
    ),
    new_options=("kind", "status", "partner", "points", "visibility"),
    feed_date="published",
    guide_order=2,
    search_fields=("partner",),
)
LECTURE = Collection(
    "lecture",
    Lecture,
    ("lectures/*.md",),
    {"zh": "政协悦读大讲堂", "en": "Reading lectures"},
    folder="lectures",
    sort_key=lambda e: (e.data.date, e.src),
    newest_first=True,
    listing=Listing("lecture-index", "lecture-index.md.j2", "group_lectures"),
    header=(
        HeaderField("date", show="date"),
        HeaderField("speaker"),
        HeaderField("speaker_role"),
        HeaderField("topic_kind"),
        HeaderField("venue", hide_missing=True),
    ),
    new_options=("speaker", "speaker_role", "topic_kind", "venue", "points", "visibility"),
    date_field="date",
    slug_prefix=("date",),
    feed_date="date",
    guide_order=1,
    search_fields=("speaker", "venue"),
)
EVENT = Collection(
    "event",
    Event,
    ("events/*.md",),
    {"zh": "活动", "en": "Activities"},
    folder="events",
    sort_key=lambda e: (e.data.start, e.data.precision != "day", e.src),
    listing=Listing("event-index", "event-index.md.j2", "group_events"),
    header=(
        HeaderField("when", label="date", show="when"),
        HeaderField("date_source"),
        HeaderField("status", label="event_status"),
        HeaderField("location"),
    ),
    new_options=("status", "location", "date_source", "points", "visibility"),
    date_field="when",
    slug_prefix=("date",),
    feed_date="start",
    guide_order=3,
    search_fields=("location",),
)
PROPOSAL = Collection(
    "proposal",
    Proposal,
    ("proposals/*.md",),
    {"zh": "提案", "en": "Proposals"},
    folder="proposals",
    sort_key=lambda e: (e.data.year, -(e.data.number or 0), e.src),
    newest_first=True,
    listing=Listing("proposal-index", "proposal-index.md.j2", "group_proposals"),
    header=(
        HeaderField("year", label="proposal_year"),
        HeaderField("number", label="proposal_number"),
        HeaderField("proposers"),
        HeaderField("proposer_kind"),
        HeaderField("category"),
        HeaderField("status", label="proposal_status"),
        HeaderField("handling_units"),
        HeaderField("reply_date", show="date"),
        HeaderField("satisfaction"),
    ),
    new_options=(
        "year",
        "number",
        "proposers",
        "proposer_kind",
        "category",
        "status",
        "handling_units",
        "reply_date",
        "satisfaction",
        "points",
        "visibility",
    ),
    slug_prefix=("year", "number"),
    feed_date="reply_date",
    guide_order=4,
    search_fields=("proposers", "handling_units", "category"),
)
PAGE = Collection("page", Page, ("*",), {"zh": "普通页面", "en": "Pages"}, guide_order=9)

# Order matters only for the first match in `collection_for` (a point's file is also "*").
COLLECTIONS = {c.name: c for c in (PLAN, WORK_POINT, WENSHI, LECTURE, EVENT, PROPOSAL, PAGE)}
RECORD_COLLECTIONS = tuple(c for c in COLLECTIONS.values() if c.is_record)
INDEX_PAGES = {"index.md"}  # a folder's index.md is a page, never a record


def collection_for(src: str) -> Collection:
    """The collection a Chinese source path belongs to (`src` without any `.en`)."""
    name = src.rsplit("/", 1)[-1]
    if PLAN.matches(src):
        return PLAN
    if name not in INDEX_PAGES:
        for c in RECORD_COLLECTIONS:
            if c.matches(src):
                return c
    return PAGE
