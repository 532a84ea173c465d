"""Plan-level checks in `kb check` and listing markers: file:line, a Chinese message with the fix,
the same refusal from the build, and never a traceback."""

from __future__ import annotations

import textwrap

import pytest

from kb_testlib import plan_files, run_kb, write_tree
from scripts.kb.adapter import runner
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.content import markers
from scripts.kb.content.markers import ListingError
from scripts.kb.outputs.expand import expand_markers

NAV = [{"首页": "index.md"}, {"工作要点": "plan/index.md"}, {"指南": "guide.md"}]


def tree(tmp_path, extra: dict[str, str] | None = None, drop: tuple[str, ...] = ()):
    files = {**plan_files(2024), "index.md": "---\ntitle: 首页\n---\n\n首页\n", **(extra or {})}
    for name in drop:
        files.pop(name)
    return write_tree(tmp_path / "docs", files)


def check(docs):
    result = run_kb("check", docs=docs)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_the_small_plan_is_valid(tmp_path):
    result = check(tree(tmp_path))
    assert result.returncode == 0, result.stdout


# name: (files to add or replace, file named in the message, its line, words in the message)
CASES = {
    "overview year differs from its folder": (
        {"plan/2024/index.md": plan_files(2024)["plan/2024/index.md"].replace("year: 2024", "year: 2025")},
        "plan/2024/index.md",
        3,
        ["year: 2025", "plan/2024/", "year: 2024"],
    ),
    "numbering gap": (
        {"plan/2024/06.md": plan_files(2024)["plan/2024/04.md"].replace("number: 4", "number: 6")},
        "plan/2024/06.md",
        3,
        ["缺少第 5 项", "import plan"],
    ),
    "English overview copied from another year": (
        {
            "plan/2024/index.en.md": plan_files(2024)["plan/2024/index.en.md"].replace(
                "Test work points", "2023 work points"
            )
        },
        "plan/2024/index.en.md",
        2,
        ["2023", "plan/2024/", "复制"],
    ),
    "Chinese notice copied from another year": (
        {"plan/2024/notice.md": "---\ntitle: 关于印发2023年工作要点的通知\n---\n\n正文\n"},
        "plan/2024/notice.md",
        2,
        ["2023", "plan/2024/"],
    ),
    "marker year differs from its folder": (
        {"plan/2024/tasks.md": "---\ntitle: 任务分解表\n---\n\n说明\n\n<!-- kb:plan-tasks 2023 -->\n"},
        "plan/2024/tasks.md",
        7,
        ["2023", "plan/2024/", "<!-- kb:plan-tasks -->"],
    ),
    "marker with a bad argument": (
        {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:plan-full-text 20x4 -->\n"},
        "guide.md",
        5,
        ["四位年度"],
    ),
    "marker naming a year without a plan": (
        {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:plan-tasks 1999 -->\n"},
        "guide.md",
        5,
        ["没有 1999 年", "2024"],
    ),
    "year marker outside a year folder without a year": (
        {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:plan-changes -->\n"},
        "guide.md",
        5,
        ["写明年度"],
    ),
    "overview marker on another page": (
        {"guide.md": "---\ntitle: 指南\n---\n\n文字\n\n<!-- kb:plan-overview -->\n"},
        "guide.md",
        7,
        ["放错了位置", "plan/<年度>/index.md"],
    ),
    "marker with an argument it does not take": (
        {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:wenshi-index all -->\n"},
        "guide.md",
        5,
        ["不带参数"],
    ),
    "marker inside a paragraph": (
        {"guide.md": "---\ntitle: 指南\n---\n\n见下表 <!-- kb:lecture-index -->\n"},
        "guide.md",
        5,
        ["单独占一行"],
    ),
    "unknown marker": (
        {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:plan-list -->\n"},
        "guide.md",
        5,
        ["未知的列表标记", "plan-archive"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_plan_level_mistakes_are_reported_with_file_line_and_fix(tmp_path, case):
    files, path, line, words = CASES[case]
    docs = tree(tmp_path, files)
    result = check(docs)
    assert result.returncode == 1, result.stdout
    assert f"docs/{path}:{line}: " in result.stdout, result.stdout
    lines = [ln for ln in result.stdout.splitlines() if f"docs/{path}:{line}: " in ln]
    for word in words:
        assert any(word in ln for ln in lines), (word, lines)


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        (("title: 第三项标题\n", "title: 第三项标题\nprogress: 140\n"), 6),  # a field out of range
        (("section: 2\n", "section: [2\n"), 5),  # front matter that is not YAML (found on the next line)
    ],
)
def test_a_point_that_fails_validation_is_not_also_reported_missing(tmp_path, broken, line):
    # The editor trial saw "04.md:3: 缺少第 3 项（没有 plan/2024/03.md）" beside the real error in 03.md.
    point = textwrap.dedent(plan_files(2024)["plan/2024/03.md"])
    assert broken[0] in point
    docs = tree(tmp_path, {"plan/2024/03.md": point.replace(broken[0], broken[1])})
    result = check(docs)
    assert result.returncode == 1, result.stdout
    errors = [ln for ln in result.stdout.splitlines() if "docs/plan/" in ln and "警告" not in ln]
    assert errors and all(f"docs/plan/2024/03.md:{line}: " in ln for ln in errors), result.stdout
    assert "缺少第" not in result.stdout, result.stdout


def test_point_of_a_year_whose_overview_names_another_year_points_at_the_overview(tmp_path):
    docs = tree(
        tmp_path, {"plan/2024/index.md": plan_files(2024)["plan/2024/index.md"].replace("year: 2024", "year: 2025")}
    )
    out = check(docs).stdout
    point_lines = [ln for ln in out.splitlines() if "docs/plan/2024/01.md:" in ln]
    assert point_lines and all("找不到" not in ln for ln in point_lines), out
    assert any("docs/plan/2024/index.md，" in ln and "year: 2025" in ln for ln in point_lines)


def test_markers_in_code_are_left_alone(tmp_path):
    page = (
        "---\ntitle: 指南\n---\n\n在页面中写 `<!-- kb:plan-tasks 1999 -->` 即可。\n\n"
        "```\n<!-- kb:plan-full-text 20x4 -->\n```\n\n~~~~markdown\n<!-- kb:nonsense -->\n~~~~\n"
    )
    docs = tree(tmp_path, {"guide.md": page})
    assert check(docs).returncode == 0
    site = tmp_path / "site"
    result = runner.build(docs, site, nav=NAV)
    assert result.returncode == 0, result.stderr
    html = (site / "guide" / "index.html").read_text("utf-8")
    assert "&lt;!-- kb:plan-tasks 1999 --&gt;" in html and "&lt;!-- kb:nonsense --&gt;" in html


def test_a_bad_marker_fails_the_build_with_file_and_line_not_a_traceback(tmp_path):
    docs = tree(tmp_path, {"guide.md": "---\ntitle: 指南\n---\n\n<!-- kb:plan-tasks 20x4 -->\n"})
    result = runner.build(docs, tmp_path / "site", nav=NAV)
    assert result.returncode != 0
    assert "docs/guide.md:5:" in result.stderr and "四位年度" in result.stderr
    assert "Traceback" not in result.stderr


def test_rendering_refuses_a_bad_marker_with_listing_error(tmp_path):
    kb = load_knowledge_base(tree(tmp_path), with_history=False)
    with pytest.raises(ListingError) as caught:
        expand_markers("文字\n\n<!-- kb:plan-tasks 1999 -->\n", kb, "guide.md", "zh")
    assert caught.value.line == 3 and "1999" in caught.value.message
    # year-less markers take the folder's year
    assert "第一项标题" in expand_markers("<!-- kb:plan-tasks -->\n", kb, "plan/2024/tasks.md", "zh")


def test_code_ranges_cover_spans_and_fences():
    text = "a `<!-- kb:x -->` b\n```\n<!-- kb:y -->\n```\n<!-- kb:z -->\n``<!-- kb:w -->``\n"
    assert [m.group("name") for m in markers.find(text)] == ["z"]
