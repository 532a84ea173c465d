"""政协悦读大讲堂, the reading-lecture series: one page per lecture
(docs/lectures/<date>-<slug>.md), listed by year and kind of topic."""

from __future__ import annotations

from ...content.collection import Collection, GroupBy, HeaderField, Listing
from ...content.fields import Clock, Date, PlainText, Record, author, coded, cover, described
from ...content.vocab import Vocabulary
from ..plan import POINTS_REF, PointRef

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


class Lecture(Record):
    """One session of 政协悦读大讲堂: docs/lectures/<date>-<slug>.md. The title is the topic."""

    date: Date = described("讲座日期，格式 YYYY-MM-DD。", "Date of the lecture, YYYY-MM-DD.")
    # Only the topic and the date are required: what is not known is shown as "not recorded yet".
    speaker: PlainText | None = described("主讲人姓名。", "Speaker's name.", default=None)
    speaker_title: PlainText | None = described(
        "主讲人的职务，照记录写，例如 区文化和旅游局党组书记、局长。",
        "The speaker's post, as the record gives it.",
        default=None,
    )
    speaker_role: coded(SPEAKER_ROLE, "主讲人身份。", "Speaker's role.", optional=True, default=None)
    host: PlainText | None = described("主持人。", "Chaired by.", default=None)
    time: Clock | None = described("开始时间，例如 14:30。", "Starting time, e.g. 14:30.", default=None)
    issue: int | None = described("期数：第十二期写 12。", "Number of the session in the series.", default=None, ge=1)
    author: PlainText | None = author()
    topic_kind: coded(TOPIC_KIND, "专题类别。", "Kind of topic.", optional=True, default=None)
    venue: PlainText | None = described("地点。", "Venue.", default=None)
    cover: PlainText | None = cover()
    points: list[PointRef] = described(
        "相关工作要点，例如 [2024-02]。", "Related work points, e.g. [2024-02].", default_factory=list
    )

    @property
    def year(self) -> int:
        return self.date.year


LECTURE = Collection(
    "lecture",
    Lecture,
    ("lectures/*.md",),
    {"zh": "政协悦读大讲堂", "en": "Reading lectures"},
    folder="lectures",
    sort_key=lambda e: (e.data.date, e.src),
    newest_first=True,
    listing=Listing(
        "lecture-index",
        "lecture-index.md.j2",
        group_by=(GroupBy("year", "desc"), GroupBy("topic_kind", "vocabulary")),
        sort_by=lambda e: e.data.date,
        reverse=True,
    ),
    header=(
        HeaderField("date", show="date"),
        HeaderField("time", hide_missing=True),
        HeaderField("issue", hide_missing=True),
        HeaderField("speaker"),
        HeaderField("speaker_title", hide_missing=True),
        HeaderField("speaker_role"),
        HeaderField("host", hide_missing=True),
        HeaderField("topic_kind"),
        HeaderField("venue", hide_missing=True),
        HeaderField("author", hide_missing=True),
    ),
    new_options=(
        "speaker",
        "speaker_title",
        "speaker_role",
        "host",
        "time",
        "issue",
        "topic_kind",
        "venue",
        "author",
        "points",
        "visibility",
    ),
    date_field="date",
    slug_prefix=("date",),
    feed_date="date",
    guide_order=1,
    search_fields=("speaker", "venue"),
    menu_order=3,
    refs=(POINTS_REF,),
    word_import=True,
    word_facts={
        "author": "author",
        "speaker": "speaker",
        "speaker_title": "speaker_title",
        "host": "host",
        "time": "date",
        "clock": "time",
        "venue": "venue",
        "issue": "issue",
    },
)

COLLECTIONS = (LECTURE,)
