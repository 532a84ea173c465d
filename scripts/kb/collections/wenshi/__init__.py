"""文史资料, the culture-and-history series: one page per publication or programme
(docs/wenshi/<slug>.md), listed by kind and progress."""

from __future__ import annotations

from ...content.collection import Collection, GroupBy, HeaderField, Listing
from ...content.fields import Date, PlainText, Record, author, coded, cover, described
from ...content.vocab import Vocabulary
from ..plan import POINTS_REF, STATUS, PointRef

WENSHI_KIND = Vocabulary(
    "kind",
    {
        "compilation": {"zh": "协助编纂", "en": "Compilation (assisting)"},
        "book": {"zh": "文史资料图书", "en": "Culture-and-history book"},
        "accounts": {"zh": "“三亲”史料", "en": "First-hand accounts"},
        "collection": {"zh": "征集与协作", "en": "Collection and cooperation"},
    },
)


class WenshiEntry(Record):
    """A culture-and-history (文史资料) publication or programme: docs/wenshi/<slug>.md."""

    author: PlainText | None = author()
    kind: coded(WENSHI_KIND, "类别。", "Kind.", optional=True, default=None)
    status: coded(STATUS, "进展状态。", "Progress status.", default="not-reported")
    partner: PlainText | None = described("合作单位，例如 市政协。", "Partner body.", default=None)
    published: Date | None = described("出版或完成日期。", "Date published or completed.", default=None)
    cover: PlainText | None = cover()
    points: list[PointRef] = described(
        "相关工作要点，写作 年度-序号，例如 [2024-11]。", "Related work points, e.g. [2024-11].", default_factory=list
    )


WENSHI = Collection(
    "wenshi",
    WenshiEntry,
    ("wenshi/*.md",),
    {"zh": "文史资料", "en": "Culture and history"},
    folder="wenshi",
    sort_key=lambda e: e.src,
    listing=Listing(
        "wenshi-index",
        "wenshi-index.md.j2",
        group_by=(GroupBy("kind", "vocabulary"), GroupBy("status", "vocabulary")),
        sort_by=lambda e: e.data.title,
    ),
    header=(
        HeaderField("kind"),
        HeaderField("status", show="status"),
        HeaderField("partner"),
        HeaderField("published", show="date"),
        HeaderField("author", hide_missing=True),
    ),
    new_options=("kind", "status", "partner", "author", "points", "visibility"),
    feed_date="published",
    guide_order=2,
    search_fields=("partner",),
    menu_order=2,
    refs=(POINTS_REF,),
    word_import=True,
    word_facts={"author": "author"},
)

COLLECTIONS = (WENSHI,)
