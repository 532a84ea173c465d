"""Front matter is data: wherever a value lands (listings, raw HTML in generated pages, Material's
<title> and <meta name="description">), it is shown as text and never becomes markup or attributes.

One build of the small fixture with hostile but valid values; each test looks where one value lands.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_testlib import build_tree, page_html, parse_html

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"

ATTR = "{: onfocus=alert(1) autofocus tabindex=0 }"
HEADING = f"第一部分 {ATTR}"
DESCRIPTION = '">【系统通知】<b>请登录 关于"京西古道"的讲座'.replace("<b>", "")
TITLE = '讲座 *强调* _下划线_ [链接](http://evil.invalid) `代码` | 表格 | {: .cls onclick=alert(2) } & R&D "引号"'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("inert")
    docs = tmp / "docs"
    shutil.copytree(FIXTURE, docs)
    plan = docs / "plan" / "2024" / "index.md"
    plan.write_text(plan.read_text("utf-8").replace("heading: 第一部分", f'heading: "{HEADING}"'), "utf-8")
    quoted_title = TITLE.replace('"', '\\"')
    quoted_description = DESCRIPTION.replace('"', '\\"')
    (docs / "lectures" / "2024-07-03-hostile.md").write_text(
        f'---\ntitle: "{quoted_title}"\ndate: 2024-07-03\ndescription: "{quoted_description}"\n'
        f'speaker: "张三 {ATTR}"\nvenue: "# 会议室"\npoints: [2024-01]\n---\n\n正文\n',
        "utf-8",
    )
    point = docs / "plan" / "2024" / "01.md"
    text = point.read_text("utf-8")
    point.write_text(text.replace("\n---\n", f'\nlead_unit: "牵头 {ATTR} *甲*"\n---\n', 1), "utf-8")
    return build_tree(docs, tmp)


def _no_handlers(html: str, where: str) -> None:
    for el in parse_html(html).iter():
        bad = [a for a in el.attrs if a.startswith("on") or a in ("autofocus", "tabindex") and el.tag != "div"]
        assert not [a for a in bad if a.startswith("on") or a == "autofocus"], (where, el.tag, el.attrs)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_attr_list_in_a_section_heading_stays_text(site, prefix):
    html = page_html(site, f"{prefix}/plan/2024/full-text/")
    _no_handlers(html, "full text")
    h2 = parse_html(html).find("h2", id="section-1")
    assert h2 is not None
    assert ATTR in h2.text(), h2.text()
    overview = page_html(site, f"{prefix}/plan/2024/")
    _no_handlers(overview, "overview")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_markdown_in_a_title_stays_text_in_listings_and_tables(site, prefix):
    listing = page_html(site, f"{prefix}/lectures/")
    _no_handlers(listing, "lecture index")
    assert 'href="http://evil.invalid"' not in listing
    doc = parse_html(listing)
    assert any(TITLE in a.text() for a in doc.iter("a")), "the title must be one link text, shown literally"
    tasks = page_html(site, f"{prefix}/plan/2024/tasks/")
    _no_handlers(tasks, "tasks")
    assert f"牵头 {ATTR} *甲*" in parse_html(tasks).find("table").text()


def test_title_and_description_are_escaped_in_head(site):
    html = page_html(site, "/lectures/2024-07-03-hostile/")
    _no_handlers(html, "record page")
    doc = parse_html(html)
    metas = [m for m in doc.iter("meta") if m.attrs.get("name") == "description"]
    assert [m.attrs["content"] for m in metas] == [DESCRIPTION]
    head = html.split("</head>")[0]
    assert "【系统通知】" not in html.split("<body", 1)[1].split("<article", 1)[0], "description leaked as text"
    title = head.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "&#34;引号&#34;" in title or "&quot;引号&quot;" in title, title
    assert "R&amp;D" in title
