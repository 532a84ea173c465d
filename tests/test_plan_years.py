"""A new plan year, as an editor publishes it: `kb import plan` of a text in the published format
(tests/fixtures/plans/2025-work-points.txt: a synthetic 2025 with 2024's point 3 dropped, point 8
reworded and a point added), then `kb check` and the strict build of the real configuration.

Everything a year needs besides its text (task breakdown, full text, changes page, archive,
navigation, home page links) is derived from the folders: the import writes only the text.
"""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from kb_testlib import (
    DOCS,
    FIXTURES,
    ROOT,
    build_tree,
    normalize,
    page_article,
    page_html,
    page_text,
    parse_html,
    run_kb,
    search_documents,
)
from scripts.kb.collections.plan import source_text as plan_text

PLAN_2025 = FIXTURES / "plans" / "2025-work-points.txt"
TEXT_2025 = plan_text.parse(PLAN_2025.read_bytes(), "2025")
MKDOCS_YML = ROOT / "mkdocs.yml"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root) -> dict[str, str]:
    """The docs tree and the stored sources beside it (not the build's output or config)."""
    return {
        p.relative_to(root).as_posix(): _digest(p)
        for folder in ("docs", "sources")
        for p in (root / folder).rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(docs, site, import result, check result) after importing 2025 into a copy of docs/."""
    root = tmp_path_factory.mktemp("new-year")
    docs = root / "docs"
    shutil.copytree(DOCS, docs)
    before = _files(root)
    yml = _digest(MKDOCS_YML)
    imported = run_kb("import", "plan", str(PLAN_2025), docs=docs)
    checked = run_kb("check", docs=docs)
    site = build_tree(docs, root)
    after = _files(root)
    assert _digest(MKDOCS_YML) == yml
    return {"docs": docs, "site": site, "imported": imported, "checked": checked, "before": before, "after": after}


@pytest.fixture(scope="module")
def site(published):
    return published["site"]


def test_import_and_check_pass(published):
    assert published["imported"].returncode == 0, published["imported"].stderr
    assert published["checked"].returncode == 0, published["checked"].stdout
    assert "共发现 0 个错误" in published["checked"].stdout


def test_import_writes_only_the_years_text_and_its_source(published):
    changed = {p for p, d in published["after"].items() if published["before"].get(p) != d}
    assert {p for p in changed if not p.startswith("docs/plan/2025/")} == {"sources/2025-work-points.txt"}
    written = sorted(p.rsplit("/", 1)[1] for p in changed if p.startswith("docs/plan/2025/"))
    assert written == sorted(["index.md", "notice.md"] + [f"{n:02d}.md" for n in range(1, 16)])
    # nothing under docs/ was changed or removed besides the new folder
    assert all(published["after"].get(p) == d for p, d in published["before"].items())


def test_overview_lists_every_section_and_point(site):
    text = page_text(site, "/plan/2025/")
    for s in TEXT_2025.sections:
        assert s.heading in text
    for p in TEXT_2025.points:
        assert p.title in text
    # a new year's points are all unreported: said once, not beside each point (issue 30)
    assert text.count("未填报") == text.count("各项工作的落实进展尚未填报") == 1


def test_notice_page(site):
    text = page_text(site, "/plan/2025/notice/")
    notice = TEXT_2025.notice
    for part in (notice.addressees, *notice.paragraphs, notice.signatory, notice.signed, notice.issuer):
        assert part in text


@pytest.mark.parametrize("point", TEXT_2025.points, ids=lambda p: f"{p.number:02d}")
def test_every_point_page_reproduces_its_text(site, point):
    text = page_text(site, f"/plan/2025/{point.number:02d}/")
    assert point.body in text


def test_full_text_in_source_order(site):
    text = page_text(site, "/plan/2025/full-text/")
    lines = [normalize(line) for line in PLAN_2025.read_text("utf-8").split("\n") if line.strip()]
    offset = 0
    for line in lines:
        pattern = re.compile(r"\s*".join(map(re.escape, line.split(" "))))
        m = pattern.search(text, offset)
        assert m is not None, f"{line[:40]!r} missing or out of order in /plan/2025/full-text/"
        offset = m.end()


def test_task_table_has_every_point_unreported(site):
    table = page_article(site, "/plan/2025/tasks/").find("table")
    rows = list(table.find("tbody").iter("tr"))
    assert len(rows) == 15
    # nothing reported yet: each point and its section, no column of "未填报" (issue 30)
    assert all(len(list(row.iter("td"))) == 2 and "未填报" not in row.text() for row in rows)
    assert "2025年工作要点任务分解表" in page_html(site, "/plan/2025/tasks/")


def test_changes_page_names_added_dropped_and_reworded(site):
    article = page_article(site, "/plan/2025/changes/")
    sections = {}
    current = None
    for el in article.iter("h2", "li", "p", "h3"):
        if el.tag == "h2":
            current = el.attrs.get("id")
            sections[current] = []
        elif current:
            sections[current].append(el.text())
    assert set(sections) == {"added", "dropped", "reworded", "unchanged"}
    assert any("2025年工作要点 第15项" in t and "做好政协数字化履职平台建设" in t for t in sections["added"])
    assert any("2024年工作要点 第3项" in t and "书香政协" in t for t in sections["dropped"])
    assert any("2025年工作要点 第7项" in t and "2024年工作要点 第8项" in t for t in sections["reworded"])
    assert len([t for t in sections["unchanged"] if "←" in t]) == 13
    # character-level changes, marked by element and in words, not by colour alone
    diff = article.find("p", class_="kb-diff")
    ins = [el.text() for el in diff.iter("ins")]
    dels = [el.text() for el in diff.iter("del")]
    assert "［新增］ 协" in ins or "［新增］协" in [i.replace(" ", "") for i in ins]
    assert any(d.replace(" ", "") == "［删去］逐步" for d in dels)
    assert any(i.replace(" ", "") == "［新增］基本" for i in ins)


def test_changes_headings_and_similarity_read_in_each_language(site):
    zh = [h.text() for h in page_article(site, "/plan/2025/changes/").iter("h2")]
    en = [h.text() for h in page_article(site, "/en/plan/2025/changes/").iter("h2")]
    assert all(re.search(r"（\d+）$", h) for h in zh), zh
    assert all(re.search(r"[^（] \(\d+\)$", h) for h in en) and not any("（" in h for h in en), en
    # a reworded point is never "100%" alike, however small the change
    shares = re.findall(r"文字相似度 (\d+)%", page_article(site, "/plan/2025/changes/").text())
    assert shares and all(int(n) < 100 for n in shares), shares


def test_point_pages_link_their_counterparts(site):
    html = page_html(site, "/plan/2025/07/")
    links = parse_html(html).find("ul", class_="kb-year-links")
    assert links is not None
    a = links.find("a")
    assert a.attrs["href"].rstrip("/").endswith("2024/08") and a.text() == "2024年工作要点 第8项"
    assert "延续自" in links.text() and "文字有改动" in links.text()
    assert "2025年新增" in parse_html(page_html(site, "/plan/2025/15/")).find("ul", class_="kb-year-links").text()
    older = parse_html(page_html(site, "/plan/2024/08/")).find("ul", class_="kb-year-links")
    assert older.find("a").text() == "2025年工作要点 第7项"
    dropped = parse_html(page_html(site, "/plan/2024/03/")).find("ul", class_="kb-year-links")
    assert "2025年工作要点未再列出" in dropped.text()


def test_archive_lists_both_years_newest_first(site):
    for prefix, first, second, adopted in [
        ("/", "2025年工作要点", "2024年工作要点", "2025年1月9日"),
        ("/en/", "2025 work points", "2024 work points", "9 January 2025"),
    ]:
        rows = list(page_article(site, prefix + "plan/").find("tbody").iter("tr"))
        assert [r.find("th").text() for r in rows] == [first, second]
        assert adopted in rows[0].text() and "15" in rows[0].text()


@pytest.mark.parametrize("prefix, label", [("/", "2025年工作要点"), ("/en/", "2025 work points")])
def test_home_and_navigation_lead_to_the_new_year(site, prefix, label):
    home = page_article(site, prefix)
    first_plan_link = next(a for a in home.iter("a") if "plan/" in a.attrs.get("href", ""))
    assert first_plan_link.attrs["href"].rstrip("/").endswith("plan/2025") and first_plan_link.text() == label
    nav = parse_html(page_html(site, prefix)).find("nav", class_="md-nav--primary")
    labels = [normalize(el.text()) for el in nav.iter("span") if "md-ellipsis" in el.classes()]
    assert label in labels
    years = [lbl for lbl in labels if re.fullmatch(r"(2024|2025)(年工作要点| work points)", lbl)]
    assert years[:2] == [label, label.replace("2025", "2024")]


def test_english_edition_of_the_new_year_falls_back_to_chinese(site):
    html = page_html(site, "/en/plan/2025/")
    assert 'lang="en"' in html[:300]
    text = page_text(site, "/en/plan/2025/")
    assert "No English translation of this page exists yet" in text
    assert TEXT_2025.sections[0].heading in text
    assert "2025 work points: task breakdown" in page_html(site, "/en/plan/2025/tasks/")


@pytest.mark.parametrize(
    "url, title",
    [
        ("/plan/2025/07/", "2025年工作要点 第7项：推动政协提案工作提质增效"),
        ("/plan/2024/08/", "2024年工作要点 第8项：推动政协提案工作提质增效"),
        ("/en/plan/2025/07/", "2025 work points, no. 7: 推动政协提案工作提质增效"),
    ],
)
def test_years_told_apart_in_page_titles(site, url, title):
    html = page_html(site, url)
    assert re.search(r"<title>(.*?)</title>", html).group(1).startswith(title)
    heading = page_article(site, url).find("h1").text()
    assert heading == "推动政协提案工作提质增效" or heading.startswith("Advance")
    assert page_article(site, url).find("p", class_="kb-kicker").text() == title.split("：")[0].split(": ")[0]


def test_years_told_apart_in_search_feed_and_tags(site):
    titles = {d["location"].split("#")[0]: d["title"] for d in search_documents(site) if "#" not in d["location"]}
    assert titles["plan/2025/07/"].startswith("2025年工作要点 第7项")
    assert titles["plan/2024/08/"].startswith("2024年工作要点 第8项")
    feed = (site / "feed.xml").read_text("utf-8")
    assert "<title>2024年工作要点 第8项：推动政协提案工作提质增效</title>" in feed
    tags = page_text(site, "/tags/")
    assert "2024年工作要点 第5项：深化落实政协党建“两个全覆盖”要求" in tags


def _without_year_links(html: str) -> str:
    html = re.sub(r"<div><dt>(与上下年相比|Previous and next year)</dt>.*?</ul></dd></div>", "", html, flags=re.S)
    return re.sub(r"<div><dt>(最后更新|Last updated)</dt>.*?</div>", "", html, flags=re.S)


@pytest.fixture(scope="module")
def site_2024_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("2024-only")
    shutil.copytree(DOCS, root / "docs")
    return build_tree(root / "docs", root)


@pytest.mark.parametrize(
    "url",
    ["/plan/2024/", "/plan/2024/notice/", "/plan/2024/full-text/", "/plan/2024/tasks/"]
    + [f"/plan/2024/{n:02d}/" for n in range(1, 16)],
)
def test_2024_pages_unchanged_apart_from_links_to_the_new_year(site, site_2024_only, url):
    def article(s):
        html = _without_year_links(page_html(s, url))
        return parse_html(html).find("article").text()

    assert article(site) == article(site_2024_only)


def test_vnu_on_the_pages_a_second_year_brings(site):
    from test_validators import _vnu

    pages = [
        site / "plan" / "2025" / "changes",
        site / "en" / "plan" / "2025" / "changes",
        site / "plan" / "2025" / "07",
    ]
    pages += [site / "plan" / "2024" / "03", site / "plan", site / "en" / "plan" / "index.html"]
    files = [p / "index.html" if p.is_dir() else p for p in pages]
    problems = [m for m in _vnu(*files) if m["type"] != "info"]
    assert not problems, "\n".join(f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in problems)
