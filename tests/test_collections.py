"""One declaration per collection (content.collection.Collection), proved by the 提案 collection; `kb new`
and `kb translate`; editors' messages; editors' hints kept out of the public site.

Proposals here are test fixtures (tests/fixtures/proposals/, invented names such as 测试委员甲),
copied into a copy of the small fixture site, never into docs/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_testlib import FIXTURES, build_tree, page_html, page_text, run_kb
from scripts.kb.adapter import inventory, runner
from scripts.kb.collections import REGISTRY
from scripts.kb.content import text
from scripts.kb.content.frontmatter_parse import parse
from scripts.kb.content.validate import validate
from scripts.kb.outputs import guide

SITE_FIXTURE = FIXTURES / "lectures-site"
HINT_ZH = "front matter 中填写或更新"
HINT_EN = "Editors record or update this"
REPO = "https://example.invalid/org/kb"
STRINGS_ZH = text.strings()["zh"]
REPO_ENV = {"KB_REPO_URL": REPO, "KB_EDIT_URI": "edit/main/docs/"}


def copy_fixture(tmp_path: Path, *, proposals: bool = False) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(SITE_FIXTURE, docs)
    if proposals:
        for f in (FIXTURES / "proposals").glob("*.md"):
            shutil.copy(f, docs / "proposals" / f.name)
    return docs


# --- the declarations themselves ----------------------------------------------------------------


@pytest.mark.parametrize("collection", list(REGISTRY), ids=lambda c: c.name)
def test_declaration_names_only_what_exists(collection):
    """Every field, label, template and grouping a declaration names exists (a typo fails here,
    not silently on a page)."""
    fields = collection.model.model_fields
    for row in collection.header:
        assert row.field in fields or hasattr(collection.model, row.field), row
        for lang in ("zh", "en"):
            assert text.strings()[lang].get(row.label_key), f"strings.yml {lang} lacks {row.label_key}"
    for name in (*collection.new_options, *collection.search_fields):
        assert name in fields, name
    if collection.listing:  # in the collection's own folder
        assert (REGISTRY.home(collection) / "templates" / collection.listing.template).is_file()
        for level in collection.listing.group_by:
            assert level.key in fields or hasattr(collection.model, level.key), level
    if collection.feed_date:
        assert collection.feed_date in fields or hasattr(collection.model, collection.feed_date)
    for ref in collection.refs:
        assert ref.field in fields and (ref.target is None or ref.target in REGISTRY.by_name), ref


def test_vocabulary_is_bound_to_the_field_not_its_name(tmp_path):
    """An event's `status` is an event status: the message lists planned/held/cancelled, not the
    work points' statuses that share the field name."""
    docs = copy_fixture(tmp_path)
    (docs / "events" / "2024-bad.md").write_text("---\ntitle: 测试活动\nwhen: 2024-05-20\nstatus: done\n---\n", "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    line = next(ln for ln in result.stdout.splitlines() if "2024-bad.md" in ln)
    assert "planned（计划中）" in line and "held（已举办）" in line
    assert "not-reported" not in line and "in-progress" not in line


def test_guide_field_reference_covers_activities_and_proposals():
    kb = inventory.load_knowledge_base(SITE_FIXTURE, with_history=False)
    for lang, words in {
        "zh": ["活动：`event`", "提案：`proposal`"],
        "en": ["Activities: `event`", "Proposals: `proposal`"],
    }.items():
        text = guide.field_reference(kb, "guide/index.md", lang, [])
        for w in words:
            assert w in text, (lang, w)
        # the event's status row lists event statuses, the proposal's its handling statuses
        assert "planned" in text and "replied" in text and "dissatisfied" in text
    names = [c.name for c in guide.collections_for_guide(kb.registry)]
    assert {"event", "proposal", "lecture", "wenshi", "point"} <= set(names)


# --- proposals, end to end ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def proposal_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("proposals")
    docs = copy_fixture(tmp, proposals=True)
    made = run_kb(
        "new", "proposal", "--title", "关于测试的提案", "--year", "2022", "--proposers", "测试委员丙", "--status", "handling",
        docs=docs,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout
    # With a repository configured, so that the public pages' lack of an edit link means something.
    site = tmp / "site"
    result = runner.build(docs, site, env=REPO_ENV)
    assert result.returncode == 0, result.stderr
    return site


def test_proposals_listed_by_year_and_status_with_counts(proposal_site):
    text = page_text(proposal_site, "/proposals/")
    assert text.index("2024年（2 件）") < text.index("2023年（1 件）") < text.index("2022年（1 件）")
    part_2024 = text[text.index("2024年（2 件）") : text.index("2023年（1 件）")]
    assert part_2024.index("立案（1 件）") < part_2024.index("已办复（1 件）")
    assert "关于加强古村落保护利用的提案" in part_2024 and "测试委员甲、测试委员乙" in part_2024
    assert "关于*民宿*发展的提案" in part_2024  # literal, not emphasis
    assert "不予立案（1 件）" in text and "办理中（1 件）" in text and "关于测试的提案" in text
    en = page_text(proposal_site, "/en/proposals/")
    assert "2024 (2)" in en and "Replied (1)" in en and "Not accepted (1)" in en


def test_proposal_page_header_and_back_link(proposal_site):
    text = page_text(proposal_site, "/proposals/2024-015-gu-cun-luo-bao-hu/")
    for words in ("提案号 15", "提案人 测试委员甲、测试委员乙", "办理状态 已办复", "承办单位 测试承办单位",
                  "答复日期 2024年6月30日", "满意度 基本满意", "提案者类别 委员联名"):  # fmt: skip
        assert words in text, words
    filed = page_text(proposal_site, "/proposals/2024-021-min-su/")
    # fields not filled in yet are left out (issue 30), never a row of "尚未记录"
    assert "答复日期" not in filed and "满意度" not in filed and "尚未记录" not in filed
    en = page_text(proposal_site, "/en/proposals/2024-015-gu-cun-luo-bao-hu/")
    assert "Handling status Replied" in en and "Satisfaction Basically satisfied" in en
    assert "关于加强古村落保护利用的提案" in page_text(proposal_site, "/plan/2024/02/")
    assert "关于加强古村落保护利用的提案" in (proposal_site / "feed.xml").read_text("utf-8")


def test_no_proposals_is_an_honest_empty_state(tmp_path):
    site = build_tree(copy_fixture(tmp_path), tmp_path)
    # what the collection is for, in readers' words (not what editors should do)
    assert STRINGS_ZH["proposals_empty"] in page_text(site, "/proposals/")
    assert "Proposals made by CPPCC members" in page_text(site, "/en/proposals/")
    assert "编辑" not in page_text(site, "/proposals/")


# --- editors' hints -----------------------------------------------------------------------------


def test_editor_hints_only_in_the_members_edition(proposal_site, tmp_path):
    for url in ("/plan/2024/01/", "/proposals/2024-015-gu-cun-luo-bao-hu/"):
        assert HINT_ZH not in page_html(proposal_site, url)
        assert HINT_EN not in page_html(proposal_site, "/en" + url)
        assert "尚未记录" not in page_text(proposal_site, url) and "尚未填写" not in page_text(proposal_site, url)
        assert f"{REPO}/edit/" not in page_html(proposal_site, url)
    members = tmp_path / "members-site"
    result = runner.build(copy_fixture(tmp_path), members, env={"KB_EDITION": "members", **REPO_ENV})
    assert result.returncode == 0, result.stderr
    assert "docs/plan/2024/01.md 的 " + HINT_ZH in page_text(members, "/plan/2024/01/")
    # editors are told which fields are still empty, where readers are not
    assert "尚未填写：完成进度、牵头单位、配合单位、完成时限。" in page_text(members, "/plan/2024/01/")
    assert f'<a href="{REPO}/edit/main/docs/plan/2024/01.md">编辑本页</a>' in page_html(members, "/plan/2024/01/")
    assert HINT_EN in page_text(members, "/en/plan/2024/01/")


# --- kb new -------------------------------------------------------------------------------------


def test_kb_new_requires_the_date_it_names_and_existing_points(tmp_path):
    docs = copy_fixture(tmp_path)
    no_date = run_kb("new", "lecture", "--title", "没有日期", docs=docs)
    assert no_date.returncode == 2 and "缺少必填参数：--date" in no_date.stderr
    assert "required" not in no_date.stderr and "usage" not in no_date.stderr
    assert list((docs / "lectures").glob("*mei-you-ri-qi*")) == []
    bad_point = run_kb("new", "wenshi", "--title", "测试", "--points", "2024-02,2024-99", docs=docs)
    assert bad_point.returncode == 1 and "2024-99" in bad_point.stderr and "不存在" in bad_point.stderr
    assert list((docs / "wenshi").glob("ce-shi*")) == []


def test_kb_new_visibility(tmp_path):
    docs = copy_fixture(tmp_path)
    made = run_kb("new", "event", "--title", "内部活动", "--date", "2024-04", "--visibility", "members", docs=docs)
    assert made.returncode == 0, made.stderr
    path = docs / "events" / "2024-04-nei-bu-huo-dong.md"
    assert 'visibility: "members"' in path.read_text("utf-8")
    kb = inventory.load_knowledge_base(docs, with_history=False)
    assert "events/2024-04-nei-bu-huo-dong.md" in kb.hidden and kb.ok
    bad = run_kb("new", "event", "--title", "x", "--date", "2024-05-01", "--visibility", "secret", docs=docs)
    assert bad.returncode == 1 and "public（公开）" in bad.stderr


# --- kb translate -------------------------------------------------------------------------------


def test_kb_translate_then_translated_shows_the_translated_lead_unit(tmp_path):
    docs = copy_fixture(tmp_path)
    point = docs / "plan" / "2024" / "01.md"
    point.write_text(
        point.read_text("utf-8").replace(
            "title: 第一项\n",
            "title: 第一项\nlead_unit: 测试牵头单位\nmilestones:\n  - date: 2024-03-15\n    note: 测试进展\n",
        ),
        "utf-8",
    )
    made = run_kb("translate", str(point), docs=docs)
    assert made.returncode == 0, made.stderr
    english = docs / "plan" / "2024" / "01.en.md"
    text = english.read_text("utf-8")
    assert "# lead_unit: 测试牵头单位" in text and "source_hash: " in text and "第一项正文" in text
    # Untranslated, it is refused: nothing half-translated is published.
    assert run_kb("check", docs=docs).returncode == 1
    english.write_text(
        text.replace("title:\n", "title: Point one\n").replace(
            "# lead_unit: 测试牵头单位", "lead_unit: Test lead unit"
        ),
        "utf-8",
    )
    assert run_kb("translated", str(english), docs=docs).returncode == 0
    check = run_kb("check", "--strict", docs=docs)
    assert check.returncode == 0, check.stdout
    again = run_kb("translate", str(point), docs=docs)
    assert again.returncode == 1 and "已经存在" in again.stderr
    site = build_tree(docs, tmp_path)
    html = page_html(site, "/en/plan/2024/01/")
    assert "Test lead unit" in html and "测试牵头单位" not in html
    assert '<span lang="zh">测试进展</span>' in html  # the untranslated milestone note, marked Chinese
    tasks = page_html(site, "/en/plan/2024/tasks/")
    assert "Test lead unit" in tasks and '<span lang="zh">测试进展</span>' in tasks
    assert "测试牵头单位" in page_html(site, "/plan/2024/tasks/")


# --- messages in plain Chinese --------------------------------------------------------------------

POINT = "---\nyear: 2024\nnumber: 1\nsection: 1\ntitle: 第一项\n{extra}---\n\n正文\n"


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("progress: 120\n", "progress 必须在 0 到 100 之间，现在是 120"),
        ("related: [Bad]\n", "related 的第 1 项"),
        (
            "milestones:\n  - date: 2024-01-01\n    note: a\n  - date: soon\n    note: b\n",
            "milestones 的第 2 项的 date",
        ),
        ("milestones:\n  - date: 2024-01-01\n", "milestones 的第 1 项的 note"),
    ],
)
def test_messages_speak_plain_chinese(extra, expected):
    parsed = parse(POINT.format(extra=extra), "p.md")
    assert parsed.problems == []
    _, problems = validate(parsed, REGISTRY["point"].model, "p.md")
    messages = " ".join(p.message for p in problems)
    assert expected in messages
    for developer_words in ("le=", "ge=", ".0", ".1", "Input should"):
        assert developer_words not in messages


@pytest.mark.parametrize("line", ["title:\u3000测试", "date:\u30002024-05-20"])
def test_full_width_space_after_colon(line):
    text = "---\n" + ("title: 测试\n" if line.startswith("date") else "") + line + "\nspeaker: 张三\n---\n"
    problems = parse(text, "x.md").problems
    assert len(problems) == 1
    assert "全角空格" in problems[0].message and problems[0].line == text.split("\n").index(line) + 1
