"""Redirects write nothing outside the site and over nothing in it (issue 32): both sides of a
redirect are addresses without "." or ".." segments, an old address cannot be (or sit under) a file
the build publishes (/feed.xml/, /assets/, a photo of docs/), `kb check` says so with the line and
the fix, the build refuses the same without a traceback, and the writer itself refuses, before
writing anything, a page that would land outside the site folder or under one of its files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_redirects import kb, repo  # noqa: F401  (the fixture: a repository with recorded addresses)

from scripts.kb.adapter import runner
from scripts.kb.content import addresses
from scripts.kb.outputs import redirects


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/lectures/../../../../tmp/escape/: /wenshi/\n", "写成 /tmp/escape/: /wenshi/"),
        ("/old/: /wenshi/../../../etc/\n", "写成 /old/: /etc/"),
        ("/./old/: /wenshi/\n", "“.”或“..”这样的路径段"),
        ("/feed.xml/: /wenshi/\n", "/feed.xml 冲突"),
        ("/sitemap.xml/: /wenshi/\n", "/sitemap.xml 冲突"),
        ("/events/calendar.ics/x/: /wenshi/\n", "/events/calendar.ics 冲突"),
        ("/plan/2024/tasks.csv/: /wenshi/\n", "/plan/2024/tasks.csv 冲突"),
        ("/404.html/: /wenshi/\n", "/404.html 冲突"),
        ("/assets/kb-sort.js/: /wenshi/\n", "/assets/ 冲突"),
        ("/search/: /wenshi/\n", "/search/ 冲突"),
        ("/about/photos/hall.jpg/: /wenshi/\n", "/about/photos/hall.jpg 冲突"),
        ("/.well-known/acme-challenge/x/: /wenshi/\n", "/.well-known/ 冲突"),  # round 4
    ],
)
def test_kb_check_refuses_a_redirect_outside_or_over_the_sites_files(repo, capsys, text, message):  # noqa: F811
    (repo / addresses.REDIRECTS).write_text("# comment\n" + text, "utf-8")
    code, out = kb(capsys, repo / "docs", "check")
    assert code == 1 and "Traceback" not in out, out
    line = next(line for line in out.splitlines() if line.startswith("redirects.yml:2:"))
    assert message in line, line


def test_the_build_refuses_them_too_and_writes_nothing_outside(repo, tmp_path):  # noqa: F811
    (repo / addresses.REDIRECTS).write_text("/lectures/../../../../escape/: /wenshi/\n/feed.xml/: /wenshi/\n", "utf-8")
    site = tmp_path / "out" / "deep" / "site"
    site.parent.mkdir(parents=True)
    result = runner.build(repo / "docs", site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "redirects.yml:1:" in result.stderr and "redirects.yml:2:" in result.stderr
    assert not (tmp_path / "escape").exists() and not (tmp_path / "out" / "escape").exists()
    assert not site.exists()


def _site_with_feed(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "wenshi").mkdir(parents=True)
    (site / "wenshi" / "index.html").write_text("<title>文史资料</title>", "utf-8")
    (site / "feed.xml").write_text("<feed/>", "utf-8")
    return site


def test_the_writer_refuses_a_page_under_a_file_and_writes_nothing(tmp_path):
    """kb check refuses such a line first; redirects.yml changed between check and write (or a
    check that missed a generated file) still writes nothing."""
    site = _site_with_feed(tmp_path)
    (tmp_path / addresses.REDIRECTS).write_text("/a-fine-one/: /wenshi/\n/feed.xml/: /wenshi/\n", "utf-8")
    with pytest.raises(redirects.RedirectError, match="/feed.xml 冲突"):
        redirects.write_site(site, tmp_path, ["zh", "en"], "https://example.invalid/")
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "feed.xml",
        "wenshi",
        "wenshi/index.html",
    ]


def test_the_writer_refuses_a_page_outside_the_site(tmp_path, monkeypatch):
    site = _site_with_feed(tmp_path)
    monkeypatch.setattr(
        addresses, "read_redirects", lambda root: ({"/../../escape/": "/wenshi/"}, {"/../../escape/": 1}, [])
    )
    with pytest.raises(redirects.RedirectError, match="路径段"):
        redirects.write_site(site, tmp_path, ["zh"], "https://example.invalid/")
    assert not (tmp_path.parent / "escape").exists() and not (site / redirects.MAP_FILE).exists()
