"""The plan's model: a year's plan (docs/plan/<year>/index.md), its numbered work points
(docs/plan/<year>/<NN>.md), their vocabulary of progress, and how other records name a point."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from ...content.collection import Collection, HeaderField, Ref
from ...content.fields import (
    Date,
    MaterialKeys,
    PlainText,
    Record,
    RecordRef,
    Strict,
    Title,
    TranslatedUnits,
    Translation,
    Units,
    coded,
    described,
    one_line,
)
from ...content.text import roman, strings, zh_numeral
from ...content.urls import DEFAULT_LANG
from ...content.vocab import Vocabulary

STATUS = Vocabulary(
    "status",
    {
        "not-reported": {"zh": "未填报", "en": "Not reported"},
        "in-progress": {"zh": "推进中", "en": "In progress"},
        "completed": {"zh": "已完成", "en": "Completed"},
        "closed-out": {"zh": "已销账", "en": "Closed out"},
    },
)

# A work point as other records name it: year and two-digit number, "2024-05".
PointRef = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")]

POINTS_REF = Ref(
    "points",
    "point",
    "工作要点“{ref}”不存在。请写成 年度-两位序号，例如 2024-02 表示 2024 年第 2 项。",
)
RELATED_REF = Ref(
    "related",
    None,
    "相关记录“{ref}”不存在：找不到 {prefix}/{ref}.md。请写不带 .md 的路径，例如 wenshi/sanqin-accounts。",
)


class Milestone(Strict):
    date: Date = described("日期，格式 YYYY-MM-DD。", "Date, YYYY-MM-DD.")
    note: PlainText = described("这一天完成了什么。", "What was done.")


class PlanSection(Strict):
    number: int = described("部分序号（一、二、三……写作 1、2、3）。", "Section number.", ge=1, le=20)
    heading: Title = described("部分标题，与原文一字不差。", "Section heading, exactly as published.")


class Plan(MaterialKeys):
    """A year's plan: docs/plan/<year>/index.md. Its body is the plan's opening paragraph."""

    title: Title = described("工作要点的标题。", "Title of the plan.")
    year: int = described("年度。", "Year.", ge=2000, le=2100)
    title_lines: list[PlainText] = described(
        "原文标题的分行写法。", "The title as laid out in lines.", default_factory=list
    )
    adopted: Date | None = described("通过日期。", "Date adopted.", default=None)
    adopted_by: PlainText | None = described("通过的会议。", "Meeting that adopted it.", default=None)
    issued: Date | None = described("印发日期。", "Date issued.", default=None)
    issuer: PlainText | None = described("印发单位。", "Issuing body.", default=None)
    doc_number: PlainText | None = described(
        "发文字号，例如 门政协发〔2025〕1号（原文版头有时才有）。",
        "Document number, e.g. 门政协发〔2025〕1号 (where the issued document has one).",
        default=None,
    )
    signer: PlainText | None = described(
        "签发人（原文版头有时才有）。", "Signed off by (where the document names one).", default=None
    )
    copied_to: PlainText | None = described(
        "抄送机关，照原文版记中“抄送：”后的文字。", "Copied to, as the document's 版记 lists them.", default=None
    )
    annotation: PlainText | None = described(
        "附注，照原文，例如（此件公开发布）。", "Annotation under the date, e.g. (此件公开发布).", default=None
    )
    sections: list[PlanSection] = described("各部分的序号和标题。", "The plan's sections.", min_length=1)
    attachment: PlainText | None = described("附件名称（原文只列名称）。", "Name of the attachment.", default=None)


class WorkPoint(Record):
    """One numbered work point: docs/plan/<year>/<NN>.md. Its body is the point's full text."""

    year: int = described("所属年度。", "Year of the plan.", ge=2000, le=2100)
    number: int = described(
        "工作要点序号，与文件名一致（第 1 项为 01.md）。", "Number of the point (01.md is 1).", ge=1, le=99
    )
    section: int = described("所属部分的序号（一、为 1）。", "Number of the section it belongs to.", ge=1, le=20)
    # Not stripped: the source prints "4. " with a space, and the full text reproduces it.
    label: Annotated[str, StringConstraints(strip_whitespace=False), AfterValidator(one_line)] | None = described(
        '原文中序号的写法，仅在与“1.”这种写法不同时填写，例如 "15．"。',
        "The number as printed, only where it differs from '1.'.",
        default=None,
    )
    status: coded(
        STATUS,
        "落实状态。没有填报时保持 not-reported，不要猜测。",
        "Progress status; keep not-reported until reported.",
        default="not-reported",
    )
    progress: int | None = described("完成百分比，0 到 100。", "Per cent complete, 0–100.", default=None, ge=0, le=100)
    lead_unit: Units = described(
        "牵头单位（以任务分解表为准）。几个单位共同牵头时写列表，例如 [学习和文史委员会, 办公室]，"
        "或写成一行、用顿号分开。",
        "Lead unit(s), as in the task breakdown: a list, or one line with the units separated by 、 or ;.",
        default_factory=list,
    )
    cooperating_units: Units = described(
        "配合单位（以任务分解表为准），例如 [区文旅局, 区档案馆]。",
        "Cooperating units, as in the task breakdown.",
        default_factory=list,
    )
    deadline: Date | None = described(
        "完成时限，格式 YYYY-MM-DD（以任务分解表为准）。",
        "Deadline, YYYY-MM-DD, as in the task breakdown.",
        default=None,
    )
    milestones: list[Milestone] = described(
        "进展节点：日期和说明。", "Dated milestones with a note.", default_factory=list
    )
    related: list[RecordRef] = described(
        "其他相关记录，写路径，例如 wenshi/sanqin-accounts。",
        "Other related records by path, e.g. wenshi/sanqin-accounts.",
        default_factory=list,
    )


class PlanTranslation(Translation):
    title_lines: list[PlainText] = described("标题分行的译文。", "Translated title lines.", default_factory=list)
    sections: list[PlanSection] = described("各部分标题的译文。", "Translated section headings.", default_factory=list)
    attachment: PlainText | None = described("附件名称的译文。", "Translated attachment name.", default=None)
    adopted_by: PlainText | None = described("通过会议名称的译文。", "Translated meeting name.", default=None)
    issuer: PlainText | None = described("印发单位的译文。", "Translated issuing body.", default=None)
    copied_to: PlainText | None = described("抄送机关的译文。", "Translated list of bodies copied.", default=None)


class MilestoneTranslation(Strict):
    # A key, not text: it says which milestone a note translates. `x-match-key` keeps it out of
    # the fingerprint, so a corrected date does not mark the translation stale.
    date: Date = Field(
        description="所译进展节点的日期，与中文页面一致。",
        json_schema_extra={
            "x-description-en": "Date of the milestone translated, as on the Chinese page.",
            "x-match-key": True,
        },
    )
    note: PlainText = described("进展说明的译文。", "Translated note.")


class WorkPointTranslation(Translation):
    lead_unit: TranslatedUnits = described(
        "牵头单位的译文，顺序与中文页面一致；写成一行时用分号分开。",
        "Translated lead unit(s), in the Chinese page's order; on one line, separated by semicolons.",
        default_factory=list,
    )
    cooperating_units: TranslatedUnits = described(
        "配合单位的译文，顺序与中文页面一致。",
        "Translated cooperating units, in the Chinese page's order.",
        default_factory=list,
    )
    milestones: list[MilestoneTranslation] = described(
        "进展节点说明的译文，按日期对应中文页面的节点。",
        "Translated milestone notes, matched to the Chinese page's milestones by date.",
        default_factory=list,
    )


def section_label(number: int, lang: str) -> str:
    return f"{zh_numeral(number)}、" if lang == DEFAULT_LANG else f"{roman(number)}. "


def point_label(point) -> str:
    return point.data.label if point.data.label is not None else f"{point.data.number}."


def point_ref(point, lang: str) -> str:
    """Year and number, which tell points of different years apart: "2024年工作要点 第5项"."""
    return strings()[lang]["point_ref"].format(year=point.data.year, number=point.data.number)


def point_page_title(point, lang: str) -> str:
    """The title of a point's page in <title>, search results, tags and feeds."""
    t = strings()[lang]
    return f"{point_ref(point, lang)}{t['colon']}{point.title(lang)}"


def _point_path(point_id: str) -> str | None:
    """Where the point `point_id` ("2024-02") is: docs/plan/2024/02.md."""
    year, _, number = point_id.partition("-")
    return f"plan/{year}/{number}.md" if year.isdigit() and number.isdigit() else None


def plan_year_label(year: int, lang: str) -> str:
    return strings()[lang]["plan_year"].format(year=year)


PLAN = Collection(
    "plan",
    Plan,
    ("plan/*/index.md",),
    {"zh": "年度工作要点", "en": "Annual plans"},
    translation_model=PlanTranslation,
    guide_order=6,
    quoted=True,
    menu_order=1,
)
WORK_POINT = Collection(
    "point",
    WorkPoint,
    ("plan/*/[0-9][0-9].md",),
    {"zh": "工作要点", "en": "Work points"},
    translation_model=WorkPointTranslation,
    sort_key=lambda e: (e.data.year, e.data.number),
    refs=(RELATED_REF,),
    entry_id=lambda e: f"{e.data.year}-{e.data.number:02d}",
    ref_path=_point_path,
    ref_option_missing=(
        "--{field} 中的工作要点“{refs}”不存在（找不到 docs/plan/年度/序号.md）。"
        "请写成 年度-两位序号，例如 2024-02 表示 2024 年第 2 项；多项用逗号分开。"
    ),
    quoted=True,
    shown_title=point_page_title,
    ref_label=point_ref,
    described_by_sentences=True,
    header=(
        HeaderField("section", show="section"),
        HeaderField("status", show="status"),
        HeaderField("progress", show="progress"),
        HeaderField("lead_unit"),
        HeaderField("cooperating_units"),
        HeaderField("deadline", show="date"),
    ),
    guide_order=5,
    search_fields=("lead_unit", "cooperating_units"),
)
