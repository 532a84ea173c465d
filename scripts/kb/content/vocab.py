"""Controlled vocabularies: the allowed values of coded fields and their labels per language.

Values are ASCII codes (stable in URLs, JSON and across languages); labels are what readers see.
Schemas, the editor guide, the JSON Schema export and the templates all read these tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: dict[str, dict[str, str]]  # code -> {"zh": ..., "en": ...}
    # other words offices write for a code (a note in parentheses after them does not count)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

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


STATUS = Vocabulary(
    "status",
    {
        "not-reported": {"zh": "未填报", "en": "Not reported"},
        "in-progress": {"zh": "推进中", "en": "In progress"},
        "completed": {"zh": "已完成", "en": "Completed"},
        "closed-out": {"zh": "已销账", "en": "Closed out"},
    },
)

VISIBILITY = Vocabulary(
    "visibility",
    {
        "public": {"zh": "公开", "en": "Public"},
        "members": {"zh": "仅委员可见", "en": "Members only"},
    },
)

WENSHI_KIND = Vocabulary(
    "kind",
    {
        "compilation": {"zh": "协助编纂", "en": "Compilation (assisting)"},
        "book": {"zh": "文史资料图书", "en": "Culture-and-history book"},
        "accounts": {"zh": "“三亲”史料", "en": "First-hand accounts"},
        "collection": {"zh": "征集与协作", "en": "Collection and cooperation"},
    },
)

# Work point 2 names who lectures and on what: 区政府职能部门“一把手”、优秀委员、政协文史参事;
# 宣讲政策区情、解读科技前沿、阐释本土文化.
SPEAKER_ROLE = Vocabulary(
    "speaker_role",
    {
        "department-head": {"zh": "区政府职能部门“一把手”", "en": "Head of a district government department"},
        "member": {"zh": "优秀委员", "en": "Outstanding CPPCC member"},
        "wenshi-adviser": {"zh": "政协文史参事", "en": "CPPCC culture-and-history adviser"},
    },
)

TOPIC_KIND = Vocabulary(
    "topic_kind",
    {
        "policy": {"zh": "宣讲政策区情", "en": "Policy and the district"},
        "science": {"zh": "解读科技前沿", "en": "Frontiers of science and technology"},
        "local-culture": {"zh": "阐释本土文化", "en": "Local culture"},
    },
)

EVENT_STATUS = Vocabulary(
    "event_status",
    {
        "planned": {"zh": "计划中", "en": "Planned"},
        "held": {"zh": "已举办", "en": "Held"},
        "cancelled": {"zh": "已取消", "en": "Cancelled"},
    },
)

# Where an event's date comes from: the plan only names most activities, so a date is either
# fixed by the calendar (a festival), stated in the source, or recorded by an editor afterwards.
DATE_SOURCE = Vocabulary(
    "date_source",
    {
        "calendar": {"zh": "按节日日期（日历）", "en": "Festival date (calendar)"},
        "source": {"zh": "按工作要点原文", "en": "As stated in the plan"},
        "record": {"zh": "实际举办日期", "en": "Actual date"},
    },
)

# How a proposal (提案) stands, in the committee's own words: 立案 / 办理中 / 已办复 / 不予立案.
PROPOSAL_STATUS = Vocabulary(
    "proposal_status",
    {
        "filed": {"zh": "立案", "en": "Accepted"},
        "handling": {"zh": "办理中", "en": "Being handled"},
        "replied": {"zh": "已办复", "en": "Replied"},
        "not-filed": {"zh": "不予立案", "en": "Not accepted"},
        "merged": {"zh": "并案处理", "en": "Merged with another proposal"},
        "withdrawn": {"zh": "撤案", "en": "Withdrawn"},
    },
    # the words other committees' lists use; A/B/C类 are the reply's classes (已解决或采纳 …): replied
    aliases={
        "filed": ("已立案", "予以立案", "立案交办", "已交办", "交办"),
        "handling": ("正在办理", "在办", "办理", "未办结", "未答复"),
        "replied": ("已答复", "答复", "已办结", "办结", "办复", "已回复", "已办理", "A类", "B类", "C类", "A", "B", "C"),
        "not-filed": ("不立案", "未立案", "不予立案"),
        "merged": ("并案", "并案处理", "已并案"),
        "withdrawn": ("撤案", "撤回", "已撤回", "撤销"),
    },
)

# Who put a proposal forward. Work point 8 names 党派提案、界别提案、联名提案 besides members' own.
PROPOSER_KIND = Vocabulary(
    "proposer_kind",
    {
        "member": {"zh": "委员个人", "en": "Individual member"},
        "joint": {"zh": "委员联名", "en": "Members jointly"},
        "party": {"zh": "党派", "en": "Political party"},
        "sector": {"zh": "界别", "en": "Sector"},
    },
)

# The proposer's view of the reply.
SATISFACTION = Vocabulary(
    "satisfaction",
    {
        "satisfied": {"zh": "满意", "en": "Satisfied"},
        "basically-satisfied": {"zh": "基本满意", "en": "Basically satisfied"},
        "dissatisfied": {"zh": "不满意", "en": "Dissatisfied"},
    },
)

ALL = {
    v.name: v
    for v in (
        STATUS,
        VISIBILITY,
        WENSHI_KIND,
        SPEAKER_ROLE,
        TOPIC_KIND,
        EVENT_STATUS,
        DATE_SOURCE,
        PROPOSAL_STATUS,
        PROPOSER_KIND,
        SATISFACTION,
    )
}
