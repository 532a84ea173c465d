"""The content model without MkDocs: loading the real docs, grouping, back-links, editions."""

from __future__ import annotations

import datetime as dt

import pytest

from kb_testlib import DOCS, known_docs, plan_files, write_tree
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.collections import REGISTRY
from scripts.kb.collections.plan import queries as plan_queries
from scripts.kb.collections.plan.queries import by_section as group_points_by_section
from scripts.kb.content import listings
from scripts.kb.content.problems import errors


def _nested(groups):
    """Groups as (key, [(key, entries)]) for the two-level listings below."""
    return [(g.key, [(sub.key, sub.entries) for sub in g.groups]) for g in groups]


def group_lectures(entries):
    return _nested(listings.group(entries, REGISTRY["lecture"]))


def group_wenshi(entries):
    return _nested(listings.group(entries, REGISTRY["wenshi"]))


# --- the real docs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_kb():
    return load_knowledge_base(DOCS)


@pytest.fixture(scope="module")
def known_kb(tmp_path_factory):
    """docs/ with the fixture's work points and records (tests/fixtures/known-records/)."""
    return load_knowledge_base(known_docs(tmp_path_factory.mktemp("known-kb")))


def test_real_docs_load_without_errors(real_kb):
    assert errors(real_kb.problems) == [], "\n".join(map(str, real_kb.problems))
    assert real_kb.ok


def test_real_plan_has_fifteen_points_in_six_sections(real_kb):
    plan = plan_queries.plan(real_kb, 2024)
    assert plan is not None
    assert plan.src == "plan/2024/index.md"
    assert [s.number for s in plan.data.sections] == [1, 2, 3, 4, 5, 6]
    points = plan_queries.points(real_kb, 2024)
    assert len(points) == 15
    assert [p.id for p in points] == [f"2024-{n:02d}" for n in range(1, 16)]
    assert [p.src for p in points] == [f"plan/2024/{n:02d}.md" for n in range(1, 16)]


def test_every_real_point_belongs_to_an_existing_section(real_kb):
    plan = plan_queries.plan(real_kb, 2024)
    numbers = {s.number for s in plan.data.sections}
    for p in plan_queries.points(real_kb, 2024):
        assert p.data.section in numbers, p.src
    grouped = group_points_by_section(plan, plan_queries.points(real_kb, 2024))
    assert [len(ps) for _, ps in grouped] == [3, 2, 3, 3, 2, 2]
    assert sum(len(ps) for _, ps in grouped) == 15


def test_unreported_points_stay_unreported(known_kb):
    # Nothing is reported in the fixture's points: no status or progress may be guessed.
    assert {p.data.status for p in plan_queries.points(known_kb, 2024)} == {"not-reported"}
    assert all(p.data.progress is None for p in plan_queries.points(known_kb, 2024))


def test_real_points_have_english_translations(real_kb):
    for p in plan_queries.points(real_kb, 2024):
        assert p.translated("en") is not None, f"{p.src} has no .en.md"
        assert p.translated("zh") is None  # Chinese is the original, never a translation


def test_wenshi_records_naming_point_11_are_related_to_it(known_kb):
    wenshi = known_kb.listed("wenshi")
    assert len(wenshi) == 5
    point11 = plan_queries.point(known_kb, "2024-11")
    related = known_kb.related_to(point11)
    assert {e.src for e in wenshi} <= {e.src for e in related}


def test_urls(known_kb):
    assert known_kb.entries["index.md"].url == ""
    assert known_kb.entries["plan/2024/index.md"].url == "plan/2024/"
    assert plan_queries.point(known_kb, "2024-07").url == "plan/2024/07/"
    assert known_kb.entries["wenshi/sanqin-accounts.md"].url == "wenshi/sanqin-accounts/"


# --- small hand-built docs ----------------------------------------------------------------------


def lecture(date: str, title: str, *, topic_kind: str | None = None, extra: str = "") -> str:
    kind = f"topic_kind: {topic_kind}\n" if topic_kind else ""
    return f"---\ntitle: {title}\ndate: {date}\n{kind}{extra}---\n\n讲座简介。\n"


def wenshi(title: str, *, kind: str | None = None, status: str | None = None, extra: str = "") -> str:
    lines = [f"title: {title}"]
    if kind:
        lines.append(f"kind: {kind}")
    if status:
        lines.append(f"status: {status}")
    return "---\n" + "\n".join(lines) + "\n" + extra + "---\n\n正文。\n"


@pytest.fixture
def docs(tmp_path):
    files = plan_files(2024)
    files.update(
        {
            "lectures/2024-03-01-policy-early.md": lecture("2024-03-01", "政策讲座甲", topic_kind="policy"),
            "lectures/2024-09-01-policy-late.md": lecture(
                "2024-09-01", "政策讲座乙", topic_kind="policy", extra="points: [2024-02]\n"
            ),
            "lectures/2024-06-15-science.md": lecture("2024-06-15", "科技讲座", topic_kind="science"),
            "lectures/2024-12-01-unknown-kind.md": lecture("2024-12-01", "未分类讲座"),
            "lectures/2023-11-20-culture.md": lecture(
                "2023-11-20", "文化讲座", topic_kind="local-culture", extra="points: [2024-02, 2024-03]\n"
            ),
            "lectures/2025-01-05-culture.md": lecture("2025-01-05", "新年文化讲座", topic_kind="local-culture"),
            "wenshi/b-book-done.md": wenshi("乙书", kind="book", status="completed", extra="points: [2024-01]\n"),
            "wenshi/a-book-open.md": wenshi("甲书", kind="book"),
            "wenshi/c-book-open.md": wenshi("丙书", kind="book", status="not-reported"),
            "wenshi/compilation.md": wenshi("编纂", kind="compilation", status="in-progress"),
            "wenshi/no-kind.md": wenshi("未分类", status="closed-out"),
            "wenshi/accounts.md": wenshi("三亲", kind="accounts", status="in-progress"),
        }
    )
    # Point 4 names two records in `related`.
    files["plan/2024/04.md"] = files["plan/2024/04.md"].replace(
        "label:", "related: [wenshi/accounts, lectures/2024-06-15-science]\n            label:"
    )
    return write_tree(tmp_path / "docs", files)


@pytest.fixture
def kb(docs):
    loaded = load_knowledge_base(docs)
    assert loaded.ok, "\n".join(map(str, loaded.problems))
    return loaded


def test_fixture_collections(kb):
    assert kb.entries["plan/2024/index.md"].collection is REGISTRY["plan"]
    assert kb.entries["plan/2024/01.md"].collection is REGISTRY["point"]
    assert kb.entries["lectures/2024-06-15-science.md"].collection is REGISTRY["lecture"]
    assert kb.entries["wenshi/accounts.md"].collection is REGISTRY["wenshi"]
    assert "plan/2024/index.en.md" not in kb.entries  # translations hang off their Chinese page
    assert kb.entries["plan/2024/01.md"].translated("en").data.title == "Point one"


def test_status_defaults_to_not_reported(kb):
    assert plan_queries.point(kb, "2024-02").data.status == "not-reported"  # no status field at all
    assert plan_queries.point(kb, "2024-01").data.status == "in-progress"
    assert kb.entries["wenshi/a-book-open.md"].data.status == "not-reported"


def test_point_ids_and_order(kb):
    assert [p.id for p in plan_queries.points(kb)] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert plan_queries.point(kb, "2024-03").data.label == "3. "  # the printed label keeps its space
    assert plan_queries.point(kb, "2024-99") is None


def test_group_points_by_section_follows_the_plan(kb):
    plan = plan_queries.plan(kb, 2024)
    # Hand the points over in a scrambled order: grouping must sort them.
    points = [plan_queries.point(kb, i) for i in ("2024-04", "2024-02", "2024-03", "2024-01")]
    grouped = group_points_by_section(plan, points)
    assert [(s.number, s.heading) for s, _ in grouped] == [
        (1, "第一部分标题"),
        (2, "第二部分标题"),
        (3, "第三部分标题"),
    ]
    assert [[p.id for p in ps] for _, ps in grouped] == [["2024-01", "2024-02"], ["2024-03", "2024-04"], []]


def test_lectures_newest_first(kb):
    assert [e.data.date for e in kb.listed("lecture")] == sorted(
        (e.data.date for e in kb.listed("lecture")), reverse=True
    )
    assert [e.data.title for e in kb.listed("lecture")] == [
        "新年文化讲座",
        "未分类讲座",
        "政策讲座乙",
        "科技讲座",
        "政策讲座甲",
        "文化讲座",
    ]


def test_group_lectures_by_year_then_topic_kind(kb):
    grouped = group_lectures(kb.listed("lecture"))
    summary = [(year, [(kind, [e.data.title for e in es]) for kind, es in kinds]) for year, kinds in grouped]
    assert summary == [
        (2025, [("local-culture", ["新年文化讲座"])]),
        (
            2024,
            [
                ("policy", ["政策讲座乙", "政策讲座甲"]),  # vocabulary order of kinds, newest first inside
                ("science", ["科技讲座"]),
                (None, ["未分类讲座"]),  # no topic kind: last
            ],
        ),
        (2023, [("local-culture", ["文化讲座"])]),
    ]


def test_group_lectures_sorts_even_unsorted_input(kb):
    scrambled = sorted(kb.listed("lecture"), key=lambda e: e.data.title)
    grouped = group_lectures(scrambled)
    assert [year for year, _ in grouped] == [2025, 2024, 2023]
    policy = dict(grouped[1][1])["policy"]
    assert [e.data.date for e in policy] == [dt.date(2024, 9, 1), dt.date(2024, 3, 1)]


def test_group_lectures_empty():
    assert group_lectures([]) == []


def test_group_wenshi_by_kind_then_status(kb):
    grouped = group_wenshi(kb.listed("wenshi"))
    summary = [(kind, [(status, [e.data.title for e in es]) for status, es in statuses]) for kind, statuses in grouped]
    assert summary == [
        ("compilation", [("in-progress", ["编纂"])]),
        ("book", [("not-reported", sorted(["甲书", "丙书"])), ("completed", ["乙书"])]),
        ("accounts", [("in-progress", ["三亲"])]),
        (None, [("closed-out", ["未分类"])]),
    ]


def test_group_wenshi_empty():
    assert group_wenshi([]) == []


def test_back_link_from_a_lecture_naming_a_point(kb):
    point2 = plan_queries.point(kb, "2024-02")
    related = [e.src for e in kb.related_to(point2)]
    assert "lectures/2024-09-01-policy-late.md" in related
    assert "lectures/2023-11-20-culture.md" in related
    assert "lectures/2024-03-01-policy-early.md" not in related
    # and the other direction: the lecture lists the point
    late = kb.entries["lectures/2024-09-01-policy-late.md"]
    assert [p.id for p in kb.points_of(late)] == ["2024-02"]
    culture = kb.entries["lectures/2023-11-20-culture.md"]
    assert [p.id for p in kb.points_of(culture)] == ["2024-02", "2024-03"]


def test_back_link_from_a_wenshi_record(kb):
    assert [e.src for e in kb.related_to(plan_queries.point(kb, "2024-01"))] == ["wenshi/b-book-done.md"]


def test_related_list_of_a_point(kb):
    related = [e.src for e in kb.related_to(plan_queries.point(kb, "2024-04"))]
    assert sorted(related) == ["lectures/2024-06-15-science.md", "wenshi/accounts.md"]


def test_related_to_has_no_duplicates(tmp_path):
    files = plan_files(2024)
    files["plan/2024/02.md"] = files["plan/2024/02.md"].replace(
        "title:", "related: [lectures/2024-05-01-x]\n            title:"
    )
    files["lectures/2024-05-01-x.md"] = lecture("2024-05-01", "双向讲座", extra="points: [2024-02]\n")
    kb = load_knowledge_base(write_tree(tmp_path / "docs", files))
    assert kb.ok, "\n".join(map(str, kb.problems))
    assert [e.src for e in kb.related_to(plan_queries.point(kb, "2024-02"))] == ["lectures/2024-05-01-x.md"]


def test_a_lecture_naming_two_points_links_back_from_both(kb):
    culture = "lectures/2023-11-20-culture.md"
    assert culture in [e.src for e in kb.related_to(plan_queries.point(kb, "2024-02"))]
    assert [e.src for e in kb.related_to(plan_queries.point(kb, "2024-03"))] == [culture]


def test_point_without_back_links(tmp_path):
    kb = load_knowledge_base(write_tree(tmp_path / "docs", plan_files(2024)))
    assert kb.ok, "\n".join(map(str, kb.problems))
    assert [kb.related_to(p) for p in plan_queries.points(kb)] == [[], [], [], []]


def test_dangling_references_are_problems(tmp_path):
    files = plan_files(2024)
    files["lectures/2024-05-01-x.md"] = lecture("2024-05-01", "讲座", extra="points: [2024-09]\n")
    files["plan/2024/02.md"] = files["plan/2024/02.md"].replace(
        "title:", "related: [wenshi/missing]\n            title:"
    )
    kb = load_knowledge_base(write_tree(tmp_path / "docs", files))
    assert not kb.ok
    messages = [str(p) for p in errors(kb.problems)]
    assert any("lectures/2024-05-01-x.md" in m and "2024-09" in m for m in messages), messages
    assert any("plan/2024/02.md" in m and "wenshi/missing" in m for m in messages), messages


# --- drafts and members-only records -------------------------------------------------------------


@pytest.fixture
def edition_docs(tmp_path):
    files = plan_files(2024)
    files.update(
        {
            "lectures/2024-05-01-public.md": lecture("2024-05-01", "公开讲座", extra="points: [2024-02]\n"),
            "lectures/2024-06-01-draft.md": lecture("2024-06-01", "草稿讲座", extra="draft: true\npoints: [2024-02]\n"),
            "lectures/2024-06-01-draft.en.md": "---\ntitle: Draft lecture\n---\n\nText.\n",
            "lectures/2024-07-01-members.md": lecture(
                "2024-07-01", "委员讲座", extra="visibility: members\npoints: [2024-02]\n"
            ),
            "wenshi/members-book.md": wenshi("委员书", kind="book", extra="visibility: members\n"),
        }
    )
    return write_tree(tmp_path / "docs", files)


def titles(kb) -> set[str]:
    return {e.data.title for e in kb.listed("lecture")} | {e.data.title for e in kb.listed("wenshi")}


def test_public_edition_hides_drafts_and_members_only(edition_docs):
    kb = load_knowledge_base(edition_docs)
    assert kb.ok, "\n".join(map(str, kb.problems))
    assert titles(kb) == {"公开讲座"}
    assert kb.hidden == {
        "lectures/2024-06-01-draft.md",
        "lectures/2024-06-01-draft.en.md",
        "lectures/2024-07-01-members.md",
        "wenshi/members-book.md",
    }
    # hidden records leave no back-links either
    assert [e.data.title for e in kb.related_to(plan_queries.point(kb, "2024-02"))] == ["公开讲座"]


def test_include_drafts_keeps_drafts_only(edition_docs):
    kb = load_knowledge_base(edition_docs, include_drafts=True)
    assert titles(kb) == {"公开讲座", "草稿讲座"}
    assert kb.entries["lectures/2024-06-01-draft.md"].draft
    assert "lectures/2024-07-01-members.md" in kb.hidden


def test_members_edition_keeps_members_only(edition_docs):
    kb = load_knowledge_base(edition_docs, edition="members")
    assert titles(kb) == {"公开讲座", "委员讲座", "委员书"}
    assert "lectures/2024-06-01-draft.md" in kb.hidden


def test_members_edition_with_drafts_keeps_everything(edition_docs):
    kb = load_knowledge_base(edition_docs, include_drafts=True, edition="members")
    assert titles(kb) == {"公开讲座", "草稿讲座", "委员讲座", "委员书"}
    assert kb.hidden == set()
    assert {e.data.title for e in kb.related_to(plan_queries.point(kb, "2024-02"))} == {
        "公开讲座",
        "草稿讲座",
        "委员讲座",
    }
