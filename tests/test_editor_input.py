"""What editors type is taken as they write it (issue 22): file names from Chinese titles, the
tool's own Chinese labels for coded options, one record per (year, 提案号), and translations
reported stale only when there is text to translate.

Records here are invented test data, written into copies of the small fixture site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kb_testlib import FIXTURES, run_kb
from scripts.kb.sources import scaffold

SITE_FIXTURE = FIXTURES / "lectures-site"


def copy_fixture(tmp_path: Path, *, proposals: bool = False) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(SITE_FIXTURE, docs)
    if proposals:
        for f in (FIXTURES / "proposals").glob("*.md"):
            shutil.copy(f, docs / "proposals" / f.name)
    return docs


# --- file names from titles -----------------------------------------------------------------------


def test_slug_reads_the_particle_de_as_de_and_keeps_words_whole():
    # pypinyin alone reads 的士 (taxi) and 的确 (indeed) across the word boundary.
    assert scaffold.slugify("真正的士兵") == "zhen-zheng-de-shi-bing"
    assert scaffold.slugify("人民的确定性") == "ren-min-de-que-ding-xing"
    assert scaffold.slugify("活动的目的") == "huo-dong-de-mu-di"  # 目的 is still mu-di
    assert scaffold.slugify("Great Wall 讲座") == "great-wall-jiang-zuo"


def test_long_title_is_cut_after_a_whole_word_within_the_documented_length():
    title = "关于加强门头沟区古村落保护与利用的若干建议以及京西古道文化带建设的建议"
    assert scaffold.slugify(title) == "guan-yu-jia-qiang-men-tou-gou-qu-gu-cun-luo-bao-hu-yu"  # 利用 would pass 60
    assert scaffold.slugify("中华人民共和国万岁", max_length=12) == "zhong-hua"  # one long word: whole syllables
    for guide in ("docs/guide/index.md", "docs/guide/index.en.md"):
        text = (Path(__file__).resolve().parents[1] / guide).read_text("utf-8")
        assert f"{scaffold.SLUG_MAX}" in text.split("\n## ")[2]  # said where kb new is first shown


def test_kb_new_names_the_file_with_whole_syllables(tmp_path):
    docs = copy_fixture(tmp_path)
    made = run_kb(
        "new", "wenshi", "--title", "门头沟区古村落保护与利用的若干建议以及京西古道文化带建设的建议", docs=docs
    )
    assert made.returncode == 0, made.stderr
    (path,) = (docs / "wenshi").glob("men-tou-gou*.md")
    assert path.stem == "men-tou-gou-qu-gu-cun-luo-bao-hu-yu-li-yong-de-ruo-gan"


# --- one record per (year, 提案号) ------------------------------------------------------------------


def test_kb_check_refuses_a_second_proposal_with_the_same_year_and_number_naming_both_files(tmp_path):
    docs = copy_fixture(tmp_path, proposals=True)
    original = docs / "proposals" / "2024-021-min-su.md"
    copy = docs / "proposals" / "2024-021-min-su-fu-ben.md"
    copy.write_text(original.read_text("utf-8").replace("民宿", "民宿副本"), "utf-8")
    # Another year's 21 and this year's other numbers are no duplicates.
    other_year = docs / "proposals" / "2023-021-x.md"
    other_year.write_text(original.read_text("utf-8").replace("year: 2024", "year: 2023"), "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "提案号重复" in line]
    assert len(lines) == 1, result.stdout
    assert "2024 年第 21 号" in lines[0]
    assert "proposals/2024-021-min-su.md" in lines[0] and "proposals/2024-021-min-su-fu-ben.md" in lines[0]
    assert lines[0].split(":")[1].strip() == "4"  # the line of number: in the second file
    copy.unlink()
    assert run_kb("check", docs=docs).returncode == 0


# --- the Chinese labels of coded options -----------------------------------------------------------


def test_kb_new_takes_the_labels_it_lists_and_writes_the_codes(tmp_path):
    docs = copy_fixture(tmp_path)
    made = run_kb(
        "new", "proposal", "--title", "关于测试的提案", "--year", "2024", "--number", "3",
        "--status", "已办复", "--satisfaction", "基本满意", "--proposer-kind", "委员联名", "--visibility", "仅委员可见",
        docs=docs,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    text = (docs / "proposals" / "2024-003-guan-yu-ce-shi-de-ti-an.md").read_text("utf-8")
    for line in ('status: "replied"', 'satisfaction: "basically-satisfied"', 'proposer_kind: "joint"'):
        assert line in text
    assert 'visibility: "members"' in text
    made = run_kb("new", "event", "--title", "活动", "--date", "2024-05", "--status", "已举办", docs=docs)
    assert made.returncode == 0, made.stderr
    assert 'status: "held"' in (docs / "events" / "2024-05-huo-dong.md").read_text("utf-8")
    assert run_kb("check", docs=docs).returncode == 0
    # A word that is no label is still refused, with the choices.
    bad = run_kb("new", "proposal", "--title", "另一件", "--year", "2024", "--status", "待研究", docs=docs)
    assert bad.returncode == 1 and "replied（已办复）" in bad.stderr


def test_a_label_in_front_matter_is_answered_with_its_code(tmp_path):
    docs = copy_fixture(tmp_path, proposals=True)
    page = docs / "proposals" / "2024-021-min-su.md"
    page.write_text(page.read_text("utf-8").replace("status: filed", "status: 立案"), "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    assert "proposals/2024-021-min-su.md:7:" in result.stdout
    assert "“立案”" in result.stdout and "status: filed" in result.stdout


def test_vocabulary_lookup_takes_code_and_labels_only():
    from scripts.kb.content import vocab

    assert vocab.ALL["satisfaction"].code_for("基本满意") == "basically-satisfied"
    assert vocab.ALL["satisfaction"].code_for(" basically-satisfied ") == "basically-satisfied"
    assert vocab.ALL["status"].code_for("in progress") == "in-progress"  # the English label, any case
    assert vocab.ALL["status"].code_for("进行中") is None and vocab.ALL["status"].code_for(None) is None


# --- stale translations ----------------------------------------------------------------------------

POINT = (
    "---\nyear: 2024\nnumber: 1\nsection: 1\ntitle: 第一项\nstatus: in-progress\nprogress: 40\n"
    "lead_unit: 测试牵头单位\ndeadline: 2024-12-31\nmilestones:\n  - date: 2024-03-15\n    note: 测试进展甲\n"
    "  - date: 2024-05-01\n    note: 测试进展乙\n---\n\n第一项。第一项正文。\n"
)


def stale_warnings(docs: Path) -> list[str]:
    from scripts.kb.adapter import inventory

    kb = inventory.load_knowledge_base(docs, include_drafts=True, edition="members", with_history=False)
    assert kb.ok, [p.message for p in kb.problems]
    return [p.message for p in kb.problems if "译文可能已过期" in p.message]


def test_translation_is_stale_only_when_its_text_changes(tmp_path):
    docs = copy_fixture(tmp_path)
    zh = docs / "plan" / "2024" / "01.md"
    zh.write_text(POINT, "utf-8")
    en = zh.with_name("01.en.md")
    en.write_text(
        "---\ntitle: Point one\nlead_unit: Test lead unit\nmilestones:\n  - date: 2024-03-15\n    note: Progress A\n"
        "---\n\nPoint one.\n",
        "utf-8",
    )
    assert run_kb("translated", str(en), docs=docs).returncode == 0
    assert stale_warnings(docs) == []
    # What an import of the office's sheet changes and nobody translates: status, progress, the
    # deadline, a milestone's date, the order of milestones.
    untranslated = (
        POINT.replace("status: in-progress", "status: completed")
        .replace("progress: 40", "progress: 100")
        .replace("deadline: 2024-12-31", "deadline: 2024-11-30")
        .replace("date: 2024-05-01", "date: 2024-02-01")
    )
    zh.write_text(untranslated, "utf-8")
    assert stale_warnings(docs) == []
    # Text to translate: a note reworded, a milestone added, a lead unit changed, the body.
    for changed in (
        untranslated.replace("测试进展乙", "测试进展丙"),
        untranslated.replace("---\n\n", "  - date: 2024-06-01\n    note: 测试进展丁\n---\n\n"),
        untranslated.replace("测试牵头单位", "另一牵头单位"),
        untranslated.replace("第一项正文。", "第一项正文改动。"),
    ):
        zh.write_text(changed, "utf-8")
        assert len(stale_warnings(docs)) == 1, changed
