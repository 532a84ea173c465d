"""The progress ledger and what hangs off it: roll-ups and their bars, the task breakdown, back-links
between work points and records, events and their calendar, the Atom feeds, tags and last-updated
dates from git.

Builds: the real site (`real_site`, shared) and the live docs after an editor's edits (`content`)
for what holds for any content; the docs with the fixture's work points and records
(`known_site`, tests/fixtures/known-records/) for exact content; and the known docs with some
points reported, a month-precision event, a draft and a members-only record ("ledger docs"), built
once as the public edition and once as the members' edition.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from icalendar import Calendar
from openpyxl import load_workbook

from kb_testlib import (
    DOCS,
    KNOWN_RECORDS,
    MONTHS,
    ROOT,
    TEST_SITE_URL,
    build_tree,
    known_docs,
    normalize,
    page_article,
    page_file,
    plan_files,
    run_kb,
    write_tree,
)
from scripts.kb.adapter import runner
from scripts.kb.adapter.inventory import load_knowledge_base
from scripts.kb.collections import REGISTRY
from scripts.kb.collections.plan import progress
from scripts.kb.collections.plan import queries as plan_queries
from scripts.kb.content import history, listings, model, vocab
from scripts.kb.outputs import feeds

STRINGS = REGISTRY.words()  # the words of the site and of every collection
ZH, EN = STRINGS["zh"], STRINGS["en"]
SITE_URL = TEST_SITE_URL  # the address the tests' builds are made for (kb_testlib.build_tree)
ATOM = "{http://www.w3.org/2005/Atom}"
LANGS = [("zh", "/"), ("en", "/en/")]


# --- reading docs and built pages ------------------------------------------------------------------


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8-sig")
    match = re.match(r"\A---\n(.*?)\n---\n?(.*)\Z", text, re.S)
    assert match, f"{path} has no front matter"
    return yaml.safe_load(match.group(1)) or {}, match.group(2)


def records_in(docs: Path, folder: str) -> list[str]:
    """Docs-relative Chinese record sources of one folder (index pages and translations left out)."""
    return sorted(
        p.relative_to(docs).as_posix()
        for p in (docs / folder).glob("*.md")
        if p.name != "index.md" and not p.name.endswith(".en.md")
    )


def url_of(src: str) -> str:
    return src[: -len(".md")] + "/"


def resolve(page: str, href: str) -> str:
    return urlsplit(urljoin("https://example.invalid" + page, href)).path


def exists(site: Path, path: str) -> bool:
    rel = path.lstrip("/")
    return (Path(site) / rel / "index.html" if rel == "" or rel.endswith("/") else Path(site) / rel).is_file()


def links_of(site: Path, page: str, element) -> list[str]:
    """Resolved site paths of every <a href> inside `element` (on `page`)."""
    return [
        resolve(page, a.attrs["href"])
        for a in element.iter("a")
        if a.attrs.get("href") and not a.attrs["href"].startswith("#")
    ]


def section_after(article, heading_id: str, tag: str):
    """The first `tag` element after the heading with id `heading_id`, among the heading's siblings."""
    for h in article.iter("h2"):
        if h.attrs.get("id") == heading_id:
            siblings = [c for c in h.parent.children if not isinstance(c, str)]
            for el in siblings[siblings.index(h) + 1 :]:
                if el.tag == tag:
                    return el
                if el.tag in ("h1", "h2"):
                    break
            return None
    raise AssertionError(f"no <h2 id={heading_id!r}>")


def meta_values(site: Path, url: str) -> dict:
    dl = page_article(site, url).find("dl", class_="kb-meta")
    assert dl is not None, f"{url} has no record header"
    out = {}
    for div in dl.children:
        if getattr(div, "tag", None) == "div":
            out[div.find("dt").text()] = div.find("dd")
    return out


# --- fixture trees -----------------------------------------------------------------------------------


def point_tree(statuses: dict[int, dict]) -> dict[str, str]:
    """plan_files() with the front matter of points 1-4 replaced by `statuses[number]` fields."""
    files = plan_files(2024)
    sections = {1: 1, 2: 1, 3: 2, 4: 2}
    for n, section in sections.items():
        fields = {"year": 2024, "number": n, "section": section, "title": f"第{n}项标题", **statuses.get(n, {})}
        files[f"plan/2024/{n:02d}.md"] = (
            "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + f"---\n\n第{n}项正文。\n"
        )
    return files


def load(docs: Path) -> model.KnowledgeBase:
    kb = load_knowledge_base(docs, with_history=False)
    assert kb.ok, "\n".join(map(str, kb.problems))
    return kb


# --- roll-ups (model) ----------------------------------------------------------------------------------


def test_rollup_of_unreported_points(tmp_path):
    kb = load(write_tree(tmp_path / "docs", point_tree({})))
    points = plan_queries.points(kb, 2024)
    r = progress.rollup(points)
    assert r.total == 4
    assert r.unreported == 4 == r.total
    assert r.known == 0
    assert r.percent is None
    assert r.by_status == {"not-reported": 4, "in-progress": 0, "completed": 0, "closed-out": 0}
    assert [progress.shown_progress(p) for p in points] == [None] * 4


MIX = {
    1: {"status": "in-progress", "progress": 40},
    2: {"status": "completed"},  # no progress given: counts as 100
    3: {"status": "closed-out"},  # counts as 100
    4: {"status": "in-progress"},  # no progress: not known
}


def test_rollup_of_a_mix(tmp_path):
    kb = load(write_tree(tmp_path / "docs", point_tree(MIX)))
    points = plan_queries.points(kb, 2024)
    assert [progress.shown_progress(p) for p in points] == [40, 100, 100, None]
    r = progress.rollup(points)
    assert r.total == 4
    assert r.by_status == {"not-reported": 0, "in-progress": 2, "completed": 1, "closed-out": 1}
    assert r.unreported == 0
    assert r.known == 3
    assert r.percent == pytest.approx(80.0)


def test_progress_without_status_change_is_known(tmp_path):
    kb = load(
        write_tree(tmp_path / "docs", point_tree({1: {"status": "in-progress", "progress": 0}, 2: {"progress": 25}}))
    )
    points = plan_queries.points(kb, 2024)
    assert [progress.shown_progress(p) for p in points] == [0, 25, None, None]
    r = progress.rollup(points)
    assert r.known == 2 and r.percent == pytest.approx(12.5)
    assert r.unreported == 3  # point 2 gave a percentage but its status is still not-reported


def test_section_rollups(tmp_path):
    kb = load(write_tree(tmp_path / "docs", point_tree(MIX)))
    plan = plan_queries.plan(kb, 2024)
    groups = plan_queries.by_section(plan, plan_queries.points(kb, 2024))
    assert [(s.number, [p.data.number for p in ps]) for s, ps in groups] == [(1, [1, 2]), (2, [3, 4]), (3, [])]
    rollups = {s.number: progress.rollup(ps) for s, ps in groups}
    assert (rollups[1].total, rollups[1].known, rollups[1].percent) == (2, 2, pytest.approx(70.0))
    assert (rollups[2].total, rollups[2].known, rollups[2].percent) == (2, 1, pytest.approx(100.0))
    assert rollups[2].by_status == {"not-reported": 0, "in-progress": 1, "completed": 0, "closed-out": 1}
    assert (rollups[3].total, rollups[3].known, rollups[3].percent, rollups[3].unreported) == (0, 0, None, 0)


# --- the ledger docs: a copy of the real docs with some points reported -----------------------------

LEAD_UNIT = "区政协办公室"
MILESTONES = [  # the latest is neither first nor last
    {"date": "2024-03-01", "note": "启动读书活动"},
    {"date": "2024-09-15", "note": "完成年度读书计划过半"},
    {"date": "2024-06-30", "note": "举办第二期读书班"},
]
REPORTED = {
    3: "status: in-progress\nprogress: 40\nlead_unit: "
    + LEAD_UNIT
    + "\nmilestones:\n"
    + "".join(f"  - date: {m['date']}\n    note: {m['note']}\n" for m in MILESTONES),
    7: "status: completed\n",
    9: "status: in-progress\n",
    12: "status: closed-out\n",
}
DRAFT_MARK = "zqxdraftmark"
MEMBERS_MARK = "zqxmembersmark"
MONTH_EVENT = "events/2024-05-reading-month.md"


def make_ledger_docs(root: Path) -> Path:
    docs = known_docs(root)
    for n, fields in REPORTED.items():
        path = docs / "plan" / "2024" / f"{n:02d}.md"
        text = path.read_text("utf-8")
        assert "status: not-reported\n" in text
        path.write_text(text.replace("status: not-reported\n", fields, 1), "utf-8")
    write_tree(
        docs,
        {
            MONTH_EVENT: """
                ---
                title: 读书月活动
                when: "2024-05"
                date_source: record
                points: [2024-03]
                ---

                按月记录的活动。
                """,
            f"wenshi/{DRAFT_MARK}-record.md": f"""
                ---
                title: 草稿记录 {DRAFT_MARK.upper()}
                kind: book
                draft: true
                points: [2024-11]
                tags: [{DRAFT_MARK}tag]
                ---

                草稿正文 {DRAFT_MARK}。
                """,
            f"wenshi/{DRAFT_MARK}-record.en.md": f"""
                ---
                title: Draft record {DRAFT_MARK}
                ---

                Draft body {DRAFT_MARK}.
                """,
            f"lectures/2024-06-01-{MEMBERS_MARK}.md": f"""
                ---
                title: 委员讲座 {MEMBERS_MARK.upper()}
                date: 2024-06-01
                visibility: members
                points: [2024-02]
                tags: [{MEMBERS_MARK}tag]
                ---

                仅委员可见的讲座 {MEMBERS_MARK}。
                """,
        },
    )
    return docs


@pytest.fixture(scope="module")
def ledger_docs(tmp_path_factory) -> Path:
    return make_ledger_docs(tmp_path_factory.mktemp("ledger-docs"))


@pytest.fixture(scope="module")
def ledger_site(ledger_docs, tmp_path_factory) -> Path:
    return build_tree(ledger_docs, tmp_path_factory.mktemp("ledger-public"))


@pytest.fixture(scope="module")
def members_site(ledger_docs, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("ledger-members") / "members-site"
    result = runner.build(ledger_docs, site, env={"KB_EDITION": "members"})
    assert result.returncode == 0, f"members' build failed\n{result.stderr}\n{result.stdout}"
    assert (site / "index.html").is_file(), f"the members' build wrote no {site}/index.html"
    return site


def point_statuses(docs: Path) -> dict[int, tuple[int, str]]:
    """number -> (section, status), read from the front matter of docs/plan/2024/NN.md."""
    out = {}
    for path in sorted((docs / "plan" / "2024").glob("[0-9][0-9].md")):
        meta, _ = front_matter(path)
        out[meta["number"]] = (meta["section"], meta.get("status", "not-reported"))
    return out


# --- roll-up bars ------------------------------------------------------------------------------------


def bars(site: Path, url: str) -> list:
    bars = [d for d in page_article(site, url).iter("div") if "kb-bar" in d.classes()]
    assert bars, f"{url} has no roll-up bar (div.kb-bar)"
    return bars


def segments(bar) -> dict[str, float]:
    out = {}
    for span in bar.iter("span"):
        code = next(c[len("kb-bar__part--") :] for c in span.classes() if c.startswith("kb-bar__part--"))
        m = re.search(r"width:\s*([0-9.]+)%", span.attrs.get("style", ""))
        assert m, f"segment {code} has no width: {span.attrs}"
        out[code] = float(m.group(1))
    return out


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_overview_of_unreported_points_leads_with_the_plan(known_site, lang, prefix):
    """Nothing reported: no empty bars and no "未填报" beside every point (issue 30), but the
    sections and their points, and one quiet line saying progress is not reported yet."""
    article = page_article(known_site, prefix + "plan/2024/")
    assert not [d for d in article.iter("div") if "kb-bar" in d.classes()]
    assert not [s for s in article.iter("span") if "kb-status" in s.classes()]
    quiet = [p for p in article.iter("p") if "kb-unreported" in p.classes()]
    assert [p.text() for p in quiet] == [normalize(STRINGS[lang]["rollup_unreported"])]
    sections = {s for s, _ in point_statuses(KNOWN_RECORDS).values()}
    assert len([h for h in article.iter("h2")]) >= len(sections)
    assert len([li for li in article.iter("li") if li.find("a")]) >= 15


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_bar_segments_match_the_status_shares(ledger_site, ledger_docs, lang, prefix):
    points = point_statuses(ledger_docs)
    found = bars(ledger_site, prefix + "plan/2024/")
    by_section: dict[int, list[str]] = {}
    for section, status in points.values():
        by_section.setdefault(section, []).append(status)
    groups = [[status for _, status in points.values()]] + [by_section[s] for s in sorted(by_section)]
    # a bar only where some point of the group has a report (issue 30: empty is not news)
    groups = [g for g in groups if set(g) != {"not-reported"}]
    assert len(found) == len(groups)
    for bar, statuses in zip(found, groups, strict=True):
        expected = {
            code: 100 * statuses.count(code) / len(statuses) for code in vocab.ALL["status"].codes if code in statuses
        }
        got = segments(bar)
        assert set(got) == set(expected), (got, expected)
        for code in expected:
            assert got[code] == pytest.approx(expected[code], abs=0.01), (code, got, expected)
        assert sum(got.values()) == pytest.approx(100, abs=0.05)
        for code in expected:
            assert f"{vocab.ALL['status'].label(code, lang)} {statuses.count(code)}" in bar.attrs["aria-label"]
    # the overall bar: 11 unreported, 2 in progress, 1 completed, 1 closed out
    assert segments(found[0]) == pytest.approx(
        {"not-reported": 73.33, "in-progress": 13.33, "completed": 6.67, "closed-out": 6.67}, abs=0.01
    )
    caption = page_article(ledger_site, prefix + "plan/2024/").find("p", class_="kb-rollup__caption").text()
    # known: 40 (point 3), 100 (completed), 100 (closed out) -> 80 % over 3 of 15
    assert normalize(STRINGS[lang]["rollup_percent"].format(percent=80, known=3, total=15)) in caption


# --- the task breakdown --------------------------------------------------------------------------------


def task_rows(site: Path, url: str) -> list[list]:
    table = page_article(site, url).find("table", class_="kb-tasks")
    assert table is not None, f"{url} has no task table"
    body = table.find("tbody")
    return [[td for td in tr.iter("td")] for tr in body.iter("tr")]


def task_columns(site: Path, url: str) -> list[str]:
    table = page_article(site, url).find("table", class_="kb-tasks")
    return [th.text().rstrip(" ↕↑↓") for th in table.find("thead").iter("th")]


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_task_table_of_unreported_points_lists_every_point(known_site, lang, prefix):
    """Nothing reported: the table is the plan (each point and its section), without a column of
    "尚未记录" for each field nobody has reported (issue 30)."""
    url = prefix + "plan/2024/tasks/"
    t = STRINGS[lang]
    assert task_columns(known_site, url) == [t["point"], t["section"]]
    rows = task_rows(known_site, url)
    assert len(rows) == 15
    targets = []
    for cells in rows:
        assert len(cells) == 2 and cells[1].text()
        links = links_of(known_site, url, cells[0])
        assert len(links) == 1
        assert exists(known_site, links[0]), f"{url} links to {links[0]}, which is not built"
        targets.append(links[0])
    assert targets == [f"{prefix}plan/2024/{n:02d}/" for n in range(1, 16)]
    table = page_article(known_site, url).find("table", class_="kb-tasks").text()
    assert normalize(t["not_recorded"]) not in table and vocab.ALL["status"].label("not-reported", lang) not in table


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_task_row_shows_reported_values(ledger_site, lang, prefix):
    url = prefix + "plan/2024/tasks/"
    t = STRINGS[lang]
    columns = task_columns(ledger_site, url)
    # columns with a report somewhere; cooperating units and deadlines are reported nowhere
    assert columns == [t[k] for k in ("point", "section", "lead_unit", "status", "progress", "latest_milestone")]
    col = {name: columns.index(t[name]) for name in ("lead_unit", "status", "progress", "latest_milestone")}
    rows = {links_of(ledger_site, url, cells[0])[0]: cells for cells in task_rows(ledger_site, url)}
    cells = rows[f"{prefix}plan/2024/03/"]
    assert cells[col["lead_unit"]].text() == LEAD_UNIT
    assert cells[col["status"]].text() == vocab.ALL["status"].label("in-progress", lang)
    assert cells[col["progress"]].text() == "40%"
    date = "2024年9月15日" if lang == "zh" else "15 September 2024"
    assert cells[col["latest_milestone"]].text() == f"{date} 完成年度读书计划过半"
    time = cells[col["latest_milestone"]].find("time")
    assert time is not None and time.attrs.get("datetime") == "2024-09-15"
    # completed without a percentage counts as 100; in progress without one shows nothing
    assert rows[f"{prefix}plan/2024/07/"][col["progress"]].text() == "100%"
    assert rows[f"{prefix}plan/2024/09/"][col["progress"]].text() == ""
    assert rows[f"{prefix}plan/2024/01/"][col["lead_unit"]].text() == ""
    assert rows[f"{prefix}plan/2024/01/"][col["status"]].text() == ""  # not reported: no "未填报"


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_point_page_shows_reported_values(ledger_site, lang, prefix):
    values = meta_values(ledger_site, prefix + "plan/2024/03/")
    t = STRINGS[lang]
    assert values[t["lead_unit"]].text() == LEAD_UNIT
    assert values[t["progress"]].text() == "40%"
    assert values[t["status"]].text() == vocab.ALL["status"].label("in-progress", lang)
    # a field reported nowhere yet is left out, not shown as "尚未记录" (issue 30)
    assert t["cooperating_units"] not in values and t["deadline"] not in values
    article = page_article(ledger_site, prefix + "plan/2024/03/")
    assert not [p for p in article.iter("p") if "kb-unreported" in p.classes()]
    milestones = article.find("ul", class_="kb-milestones")
    assert milestones is not None
    assert [li.find("time").attrs["datetime"] for li in milestones.iter("li")] == [m["date"] for m in MILESTONES]


def test_a_point_completed_without_a_percentage_is_complete_everywhere(ledger_site, ledger_docs, tmp_path):
    """One rule (collections/plan/progress.py): point 7 is reported completed, with no percentage.
    Its page, the task page, the roll-up and both published sheets all say 100 %, and the office's
    sheet read back unchanged records nothing new."""
    t = STRINGS["zh"]
    assert meta_values(ledger_site, "/plan/2024/07/")[t["progress"]].text() == "100%"
    rows = {
        links_of(ledger_site, "/plan/2024/tasks/", cells[0])[0]: cells
        for cells in task_rows(ledger_site, "/plan/2024/tasks/")
    }
    progress_column = task_columns(ledger_site, "/plan/2024/tasks/").index(t["progress"])
    assert rows["/plan/2024/07/"][progress_column].text() == "100%"
    sheet = load_workbook(ledger_site / "plan" / "2024" / "tasks.xlsx").active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == 7)
    assert row[header.index("完成进度")] == 100
    lines = (ledger_site / "plan" / "2024" / "tasks.csv").read_text("utf-8-sig").splitlines()
    csv_header = lines[0].split(",")
    assert next(line for line in lines[1:] if line.startswith("7,")).split(",")[csv_header.index("完成进度")] == "100%"
    before = (ledger_docs / "plan" / "2024" / "07.md").read_bytes()
    exported = tmp_path / "tasks.xlsx"
    assert run_kb("export", "tasks", "2024", "--xlsx", str(exported), docs=ledger_docs).returncode == 0
    imported = run_kb("import", "tasks", str(exported), docs=ledger_docs)
    assert imported.returncode == 0, imported.stderr
    assert "没有需要更新的内容" in imported.stdout, imported.stdout
    assert (ledger_docs / "plan" / "2024" / "07.md").read_bytes() == before


# --- back-links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_point_11_lists_every_wenshi_record_and_they_link_back(known_site, lang, prefix):
    wenshi = records_in(KNOWN_RECORDS, "wenshi")
    assert len(wenshi) == 5
    naming_11 = [src for src in wenshi if "2024-11" in front_matter(KNOWN_RECORDS / src)[0].get("points", [])]
    assert naming_11 == wenshi
    point = prefix + "plan/2024/11/"
    related = section_after(page_article(known_site, point), "related", "ul")
    assert related is not None, f"{point} has no list under its related-records heading"
    linked = links_of(known_site, point, related)
    assert sorted(linked) == sorted(prefix + url_of(src) for src in wenshi)
    for src in wenshi:
        page = prefix + url_of(src)
        assert exists(known_site, page)
        dd = meta_values(known_site, page)[STRINGS[lang]["points"]]
        assert links_of(known_site, page, dd) == [point], f"{page} does not link back to {point}"


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_events_and_point_10_link_both_ways(known_site, lang, prefix):
    events = [
        src
        for src in records_in(KNOWN_RECORDS, "events")
        if "2024-10" in front_matter(KNOWN_RECORDS / src)[0].get("points", [])
    ]
    assert len(events) >= 5
    point = prefix + "plan/2024/10/"
    related = section_after(page_article(known_site, point), "related", "ul")
    linked = links_of(known_site, point, related)
    assert sorted(p for p in linked if "/events/" in p) == sorted(prefix + url_of(src) for src in events)
    for src in events:
        page = prefix + url_of(src)
        dd = meta_values(known_site, page)[STRINGS[lang]["points"]]
        assert point in links_of(known_site, page, dd), f"{page} does not link to {point}"


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_every_record_naming_a_point_is_listed_there_and_links_back(content, lang, prefix):
    """Whatever the content: a record that names a work point is listed on the point's page, and
    its header links to the point."""
    pairs = []
    for folder in ("wenshi", "lectures", "events"):
        for src in records_in(content.docs, folder):
            meta, _ = front_matter(content.docs / src)
            if meta.get("draft") or meta.get("visibility", "public") != "public":
                continue
            for point_id in meta.get("points") or []:
                year, number = str(point_id).split("-")
                pairs.append((src, f"{prefix}plan/{year}/{number}/"))
    assert pairs, "no record names a work point"
    for src, point in pairs:
        page = prefix + url_of(src)
        related = section_after(page_article(content.site, point), "related", "ul")
        assert related is not None and page in links_of(content.site, point, related), f"{point} does not list {page}"
        dd = meta_values(content.site, page)[STRINGS[lang]["points"]]
        assert point in links_of(content.site, page, dd), f"{page} does not link to {point}"


def test_point_without_records_has_no_empty_section(known_site):
    article = page_article(known_site, "/plan/2024/05/")
    assert not [h for h in article.iter("h2") if h.attrs.get("id") == "related"]


# --- events --------------------------------------------------------------------------------------------


def event(title: str, when: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nwhen: {when}\n{extra}---\n\n正文。\n"


def test_group_events_by_month_then_year(tmp_path):
    docs = write_tree(
        tmp_path / "docs",
        {
            "events/a-year-2024.md": event("年度活动乙", "2024"),
            "events/b-mar-8.md": event("三月八日", "2024-03-08"),
            "events/c-jan-month.md": event("一月某日", '"2024-01"'),
            "events/d-dec-31.md": event("年末", "2024-12-31"),
            "events/e-year-2023.md": event("去年活动", "2023"),
            "events/f-jan-20.md": event("一月二十日", "2024-01-20"),
            "events/g-mar-2.md": event("三月二日", "2024-03-02"),
            "events/h-year-2024.md": event("年度活动甲", "2024"),
            "events/i-feb-2025.md": event("明年二月", '"2025-02"'),
        },
    )
    kb = load(docs)
    groups = [(*g.key, g.entries) for g in listings.group(kb.listed("event"), REGISTRY["event"])]
    keys = [(precision, key) for precision, key, _ in groups]
    assert keys == [
        ("month", dt.date(2024, 1, 1)),
        ("month", dt.date(2024, 3, 1)),
        ("month", dt.date(2024, 12, 1)),
        ("month", dt.date(2025, 2, 1)),
        ("year", 2023),
        ("year", 2024),
    ]
    titles = {key: [e.data.title for e in es] for _, key, es in groups}
    assert set(titles[dt.date(2024, 1, 1)]) == {"一月某日", "一月二十日"}
    assert titles[dt.date(2024, 3, 1)] == ["三月二日", "三月八日"]  # by day
    assert titles[dt.date(2024, 12, 1)] == ["年末"]
    assert titles[dt.date(2025, 2, 1)] == ["明年二月"]
    assert titles[2023] == ["去年活动"]
    assert set(titles[2024]) == {"年度活动甲", "年度活动乙"}
    precision = {e.data.title: e.data.precision for e in kb.listed("event")}
    assert precision["三月八日"] == "day" and precision["一月某日"] == "month" and precision["去年活动"] == "year"
    assert listings.group([], REGISTRY["event"]) == []


def kb_check(docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts.kb", "--docs", str(docs), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_when_accepts_day_month_and_year(tmp_path):
    docs = write_tree(
        tmp_path / "docs",
        {
            "events/day.md": event("某日", "2024-03-08"),
            "events/month.md": event("某月", '"2024-04"'),
            "events/year.md": event("某年", "2024"),
        },
    )
    result = kb_check(docs)
    assert result.returncode == 0, result.stdout + result.stderr
    kb = load(docs)
    whens = {e.src: (e.data.precision, e.data.start) for e in kb.listed("event")}
    assert whens == {
        "events/day.md": ("day", dt.date(2024, 3, 8)),
        "events/month.md": ("month", dt.date(2024, 4, 1)),
        "events/year.md": ("year", dt.date(2024, 1, 1)),
    }


@pytest.mark.parametrize("value", ["March", '"2024-13"', '"2024-3"'])
def test_when_refuses_anything_else(tmp_path, value):
    docs = write_tree(tmp_path / "docs", {"events/bad.md": event("某活动", value)})
    result = kb_check(docs)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    lines = [ln for ln in out.splitlines() if re.match(r"^.*events/bad\.md:\d+: ", ln)]
    assert len(lines) == 1, out
    line = lines[0]
    path, number = re.match(r"^(.*events/bad\.md):(\d+): ", line).groups()
    assert (ROOT / path).resolve() == (docs / "events" / "bad.md").resolve()
    assert int(number) == 3, line  # the line of `when:`
    assert "“when”" in line, line
    assert re.search(r"[\u4e00-\u9fff]", line.split(": ", 1)[1]), f"not a Chinese message: {line}"
    assert "Traceback" not in out


# --- the activities calendar ----------------------------------------------------------------------------


def expected_events(docs: Path) -> dict[str, tuple[str, dict]]:
    """slug URL ("events/x/") -> (precision, front matter) for every event record."""
    out = {}
    for src in records_in(docs, "events"):
        meta, _ = front_matter(docs / src)
        when = meta["when"]
        precision = "day" if isinstance(when, dt.date) else "year" if isinstance(when, int) else "month"
        out[url_of(src)] = (precision, meta)
    return out


def vevents(site: Path, rel: str) -> dict[str, object]:
    path = site / rel
    assert path.is_file(), f"no calendar at {path}"
    cal = Calendar.from_ical(path.read_bytes())
    items = cal.walk("VEVENT")
    by_url = {}
    for item in items:
        url = str(item.get("url"))
        assert url.startswith(SITE_URL), url
        by_url[url[len(SITE_URL) :]] = item
    assert len(by_url) == len(items), "two VEVENTs share a URL"
    return by_url


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_calendar_has_one_event_per_dated_event(known_site, lang, prefix):
    items = vevents(known_site, prefix.lstrip("/") + "events/calendar.ics")
    expected = expected_events(KNOWN_RECORDS)
    dated = {url: meta for url, (precision, meta) in expected.items() if precision != "year"}
    undated = [url for url, (precision, _) in expected.items() if precision == "year"]
    assert dated and undated, "the real docs have events known to the day and events known only to the year"
    lang_root = prefix.lstrip("/")
    assert set(items) == {lang_root + url for url in dated}
    for url in undated:
        assert lang_root + url not in items
    for url, meta in dated.items():
        item = items[lang_root + url]
        start = item.decoded("dtstart")
        assert type(start) is dt.date, f"{url}: DTSTART is not an all-day date: {start!r}"
        assert start == meta["when"]
        assert item.decoded("dtend") == meta["when"] + dt.timedelta(days=1)
        # the title in the calendar's language: the translation's where there is one
        translation = KNOWN_RECORDS / ("events/" + url.strip("/").split("/")[-1] + ".en.md")
        title = meta["title"]
        if lang == "en" and translation.exists():
            title = yaml.safe_load(translation.read_text("utf-8").split("---")[1])["title"]
        assert str(item.get("summary")) == title
    assert {str(i.get("uid")) for i in items.values()} and len({str(i.get("uid")) for i in items.values()}) == len(
        items
    )


@pytest.mark.parametrize("prefix", ["", "en/"], ids=["zh", "en"])
def test_calendar_month_event_spans_its_month(ledger_site, prefix):
    items = vevents(ledger_site, prefix + "events/calendar.ics")
    item = items[prefix + url_of(MONTH_EVENT)]
    assert item.decoded("dtstart") == dt.date(2024, 5, 1)
    assert item.decoded("dtend") == dt.date(2024, 6, 1)
    assert len(items) == 1 + sum(1 for p, _ in expected_events(KNOWN_RECORDS).values() if p != "year")


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_month_event_is_listed_under_its_month(ledger_site, lang, prefix):
    article = page_article(ledger_site, prefix + "events/")
    month = "2024年5月" if lang == "zh" else "May 2024"
    assert month in [h.text() for h in article.iter("h2")]
    table = section_after(article, next(h.attrs["id"] for h in article.iter("h2") if h.text() == month), "table")
    rows = [[td.text() for td in tr.iter("td")] for tr in table.iter("tr") if tr.find("td") is not None]
    assert len(rows) == 1
    assert rows[0][0] == (f"{month}（日期未定）" if lang == "zh" else f"{month} (date not fixed)")
    assert rows[0][1].startswith("读书月活动")


# --- feeds ---------------------------------------------------------------------------------------------------


def feed_entries(site: Path, rel: str) -> list[dict]:
    path = site / rel
    assert path.is_file(), f"no feed at {path}"
    root = ET.parse(path).getroot()
    assert root.tag == ATOM + "feed", root.tag
    assert root.find(ATOM + "title") is not None and root.find(ATOM + "updated") is not None
    out = []
    for entry in root.findall(ATOM + "entry"):
        links = [
            link.get("href") for link in entry.findall(ATOM + "link") if link.get("rel", "alternate") == "alternate"
        ]
        out.append(
            {
                "title": entry.findtext(ATOM + "title"),
                "link": links[0] if links else None,
                "id": entry.findtext(ATOM + "id"),
                "updated": entry.findtext(ATOM + "updated"),
            }
        )
    return out


def public_record_urls(docs: Path) -> set[str]:
    srcs = [src for folder in ("wenshi", "lectures", "events", "proposals") for src in records_in(docs, folder)]
    srcs += sorted(p.relative_to(docs).as_posix() for p in docs.glob("plan/*/[0-9][0-9].md"))
    out = set()
    for src in srcs:
        meta, _ = front_matter(docs / src)
        if not meta.get("draft") and meta.get("visibility", "public") == "public":
            out.add(url_of(src))
    return out


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_feed_is_atom_with_absolute_links(content, lang, prefix):
    entries = feed_entries(content.site, prefix.lstrip("/") + "feed.xml")
    assert entries
    paths = set()
    for e in entries:
        link = urlsplit(e["link"] or "")
        assert link.scheme in ("http", "https") and link.netloc, f"entry link is not absolute: {e}"
        assert link.path.startswith(prefix), e
        assert exists(content.site, link.path), f"feed entry {e['link']} is not a built page"
        assert e["id"] and e["title"]
        dt.datetime.fromisoformat(e["updated"].replace("Z", "+00:00"))
        paths.add(link.path)
    # every public record, or the newest FEED_SIZE of them when there are more
    expected = {prefix + url for url in public_record_urls(content.docs)}
    assert paths <= expected and len(paths) == min(len(expected), feeds.FEED_SIZE)


def text_of_every_file(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            yield path, raw.decode("utf-8", "ignore").lower()


def test_draft_and_members_only_records_are_not_published(ledger_site):
    for rel in ("feed.xml", "en/feed.xml"):
        titles = " ".join(e["title"] + " " + e["link"] for e in feed_entries(ledger_site, rel)).lower()
        assert DRAFT_MARK not in titles and MEMBERS_MARK not in titles, rel
    leaks = []
    for path, text in text_of_every_file(ledger_site):
        for mark in (DRAFT_MARK, MEMBERS_MARK):
            if mark in text or mark in path.as_posix().lower():
                leaks.append((path.relative_to(ledger_site).as_posix(), mark))
    assert leaks == [], f"hidden records leaked into the public site: {leaks}"


def test_members_edition_feed_has_the_members_only_record(members_site, ledger_docs):
    lecture = f"lectures/2024-06-01-{MEMBERS_MARK}/"
    for lang, prefix in LANGS:
        entries = feed_entries(members_site, prefix.lstrip("/") + "feed.xml")
        links = {urlsplit(e["link"]).path: e["title"] for e in entries}
        assert prefix + lecture in links, f"{lang} members' feed lacks the members-only lecture: {sorted(links)}"
        assert MEMBERS_MARK in links[prefix + lecture].lower()
        assert exists(members_site, prefix + lecture)
        assert not any(DRAFT_MARK in (e["title"] + e["link"]).lower() for e in entries), "drafts are in no edition"
        assert not exists(members_site, prefix + f"wenshi/{DRAFT_MARK}-record/")
    # the scan used for the public site finds the record where it is published
    assert any(MEMBERS_MARK in text for _, text in text_of_every_file(members_site))
    # and the members-only record links back from its point
    related = section_after(page_article(members_site, "/plan/2024/02/"), "related", "ul")
    assert "/" + lecture in links_of(members_site, "/plan/2024/02/", related)


# --- tags --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, prefix", LANGS, ids=["zh", "en"])
def test_tags_page_lists_a_point_tag(known_site, lang, prefix):
    tag = "悦读大讲堂"
    tagged = [
        p.relative_to(KNOWN_RECORDS).as_posix()
        for p in sorted((KNOWN_RECORDS / "plan" / "2024").glob("[0-9][0-9].md"))
        if tag in front_matter(p)[0].get("tags", [])
    ]
    assert tagged == ["plan/2024/02.md"]
    url = prefix + "tags/"
    assert page_file(known_site, url).is_file()
    ul = section_after(page_article(known_site, url), f"tag:{tag}", "ul")
    assert ul is not None, f"{url} does not list the tag {tag}"
    assert links_of(known_site, url, ul) == [prefix + url_of(src) for src in tagged]
    title_file = KNOWN_RECORDS / (tagged[0][: -len(".md")] + (".en.md" if lang == "en" else ".md"))
    ref = "2024 work points, no. 2: " if lang == "en" else "2024年工作要点 第2项："
    assert ul.find("a").text() == ref + normalize(front_matter(title_file)[0]["title"])


# --- last-updated dates ------------------------------------------------------------------------------------


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_last_updated_comes_from_git(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    repo = tmp_path / "repo"
    docs = write_tree(repo / "docs", {"a.md": "---\ntitle: 甲\n---\n", "sub/b.md": "---\ntitle: 乙\n---\n"})
    write_tree(repo, {"outside.md": "not in docs\n"})
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first", date="2023-05-06T12:00:00+08:00")
    (docs / "sub" / "b.md").write_text("---\ntitle: 乙二\n---\n", "utf-8")
    git(repo, "commit", "-q", "-am", "second", date="2024-02-29T09:30:00+08:00")
    assert history.last_updated(docs) == {"a.md": dt.date(2023, 5, 6), "sub/b.md": dt.date(2024, 2, 29)}


def test_last_updated_is_empty_outside_git(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    docs = write_tree(tmp_path / "docs", {"a.md": "---\ntitle: 甲\n---\n"})
    assert history.last_updated(docs) == {}
    assert history.last_updated(tmp_path / "does-not-exist") == {}


def git_date(path: Path) -> dt.date | None:
    out = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    return dt.date.fromisoformat(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def test_real_point_page_shows_its_git_date(real_site):
    zh_date, en_date = git_date(DOCS / "plan" / "2024" / "05.md"), git_date(DOCS / "plan" / "2024" / "05.en.md")
    assert zh_date and en_date, "the tests run in a git checkout (CI clones the repository), with these files committed"
    assert (
        meta_values(real_site, "/plan/2024/05/")[ZH["updated"]].text()
        == f"{zh_date.year}年{zh_date.month}月{zh_date.day}日"
    )
    latest = max(zh_date, en_date)
    assert (
        meta_values(real_site, "/en/plan/2024/05/")[EN["updated"]].text()
        == f"{latest.day} {MONTHS[latest.month - 1]} {latest.year}"
    )


def test_pages_outside_git_show_no_last_updated(ledger_site):
    assert ZH["updated"] not in meta_values(ledger_site, "/plan/2024/05/")
    assert EN["updated"] not in meta_values(ledger_site, "/en/plan/2024/05/")
