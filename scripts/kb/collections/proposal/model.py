"""The model of a proposal (提案): its handling statuses (with the words other committees use for
them), proposers and the proposer's view of the reply; the numbering check; its declaration."""

from __future__ import annotations

from ...content.collection import Collection, GroupBy, HeaderField, Listing
from ...content.fields import Date, PlainText, Record, coded, described
from ...content.model import Entry, KnowledgeBase
from ...content.problems import Problem
from ...content.vocab import Vocabulary
from ..plan import POINTS_REF, PointRef

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


class Proposal(Record):
    """A CPPCC proposal (提案): docs/proposals/<slug>.md. Only what the committee's records say."""

    year: int = described("提出年度。", "Year the proposal was made.", ge=2000, le=2100)
    number: int | None = described(
        "提案号，以提案委员会的编号为准，例如 15。", "Proposal number, as the committee numbers it.", default=None, ge=1
    )
    proposers: list[PlainText] = described(
        "提案人：委员姓名，或党派、界别的名称，例如 [张三, 李四]。",
        "Who proposed it: members' names, or a party or sector.",
        default_factory=list,
    )
    proposer_kind: coded(PROPOSER_KIND, "提案者类别。", "Kind of proposer.", optional=True, default=None)
    category: PlainText | None = described(
        "提案类别，以提案委员会的分类为准。", "Category, as the committee classifies it.", default=None
    )
    status: coded(PROPOSAL_STATUS, "办理状态。", "Handling status.", optional=True, default=None)
    handling_units: list[PlainText] = described(
        "承办单位，例如 [区发展改革委]。", "Units handling it.", default_factory=list
    )
    reply_date: Date | None = described("答复日期，格式 YYYY-MM-DD。", "Date of the reply, YYYY-MM-DD.", default=None)
    satisfaction: coded(
        SATISFACTION, "提案人对答复的满意程度。", "The proposer's view of the reply.", optional=True, default=None
    )
    points: list[PointRef] = described(
        "相关工作要点，例如 [2024-08]。", "Related work points, e.g. [2024-08].", default_factory=list
    )


def _shown(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def check_proposal_numbers(kb: KnowledgeBase, prefix: str) -> None:
    """One record per (year, 提案号): the committee numbers each year's proposals once, and a
    second file with the same number would be counted and listed twice ("2024年（21 件）").
    Drafts and members-only records count too (checked before either edition leaves them out)."""
    first: dict[tuple[int, int], Entry] = {}
    for e in sorted(kb.of(PROPOSAL), key=lambda e: e.src):
        if e.data.number is None:
            continue
        key = (e.data.year, e.data.number)
        if key not in first:
            first[key] = e
            continue
        kb.problems.append(
            Problem(
                _shown(prefix, e.src),
                e.parsed.line_of(("number",)),
                f"提案号重复：{e.data.year} 年第 {e.data.number} 号提案已有 {_shown(prefix, first[key].src)}，"
                f"这里（{_shown(prefix, e.src)}）又写了一次。同一件提案请只保留一个文件；"
                f"如果是另一件提案，请按提案委员会的编号改正 number。",
            )
        )


PROPOSAL = Collection(
    "proposal",
    Proposal,
    ("proposals/*.md",),
    {"zh": "提案", "en": "Proposals"},
    folder="proposals",
    sort_key=lambda e: (e.data.year, -(e.data.number or 0), e.src),
    newest_first=True,
    listing=Listing(
        "proposal-index",
        "proposal-index.md.j2",
        group_by=(GroupBy("year", "desc"), GroupBy("status", "vocabulary")),
        sort_by=lambda e: (e.data.number or 0, e.data.title),
    ),
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
    menu_order=5,
    refs=(POINTS_REF,),
)
