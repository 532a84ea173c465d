"""Drafts, the members' edition, escaping, refused builds, and the `kb new` round trip, on real builds."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]
DRAFT = "DRAFTMARKERQX"
MEMBERS = "MEMBERSMARKERQX"


def all_output_text(site: Path) -> str:
    """Every file of the output, decoded leniently: pages, search shards, sitemap, feeds, calendar."""
    parts = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            parts.append(path.read_bytes().decode("utf-8", "replace"))
        elif path.is_file():
            import gzip

            parts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    return "\n".join(parts).lower()


@pytest.fixture(scope="module")
def private_docs(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("private") / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "lectures" / "2024-06-01-draft-lecture.md").write_text(
        f"---\ntitle: {DRAFT} 草稿讲座\ndate: 2024-06-01\ndraft: true\npoints: [2024-02]\ntags: [{DRAFT}标签]\n---\n\n{DRAFT} 正文\n",
        "utf-8",
    )
    (docs / "lectures" / "2024-06-02-members-lecture.md").write_text(
        f"---\ntitle: {MEMBERS} 内部讲座\ndate: 2024-06-02\nvisibility: members\nspeaker: {MEMBERS}主讲\npoints: [2024-02]\n---\n\n{MEMBERS} 正文\n",
        "utf-8",
    )
    (docs / "wenshi" / "members-only-entry.md").write_text(
        f"---\ntitle: {MEMBERS} 内部文史\nkind: book\nvisibility: members\npoints: [2024-11]\n---\n\n{MEMBERS}\n",
        "utf-8",
    )
    return docs


@pytest.fixture(scope="module")
def public_site(private_docs, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("public") / "site"
    result = runner.build(private_docs, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def members_site(private_docs, tmp_path_factory) -> Path:
    # Not named "site": the members' edition is never written to <config folder>/site.
    site = tmp_path_factory.mktemp("members") / "members-site"
    result = runner.build(
        private_docs, site, env={"KB_EDITION": "members", "KB_MEMBERS_SITE_URL": "https://members.example.invalid/"}
    )
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("marker", [DRAFT, MEMBERS])
def test_public_output_holds_no_trace(public_site, marker):
    text = all_output_text(public_site)
    assert marker.lower() not in text
    for slug in ("2024-06-01-draft-lecture", "2024-06-02-members-lecture", "members-only-entry"):
        assert slug not in text, slug
    # the search index was written and is searchable, so absence above means something
    assert (public_site / "search" / "kb" / "zh" / "meta.json").exists()
    assert "悦读大讲堂" in text


def test_members_edition_holds_and_marks_members_pages(members_site):
    page = members_site / "lectures" / "2024-06-02-members-lecture" / "index.html"
    html = page.read_text("utf-8")
    assert MEMBERS in html and "仅委员可见" in html
    listing = (members_site / "lectures" / "index.html").read_text("utf-8")
    assert MEMBERS in listing
    assert "2024-06-02-members-lecture" in (members_site / "sitemap.xml").read_text("utf-8")
    assert MEMBERS in (members_site / "feed.xml").read_text("utf-8")
    # drafts are not published in the members' edition either
    assert DRAFT.lower() not in all_output_text(members_site)


def test_members_edition_defaults_to_its_own_folder(tmp_path):
    """Without an explicit site_dir, KB_EDITION=members writes site-members/, never site/."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", project / "docs")
    config = project / "mkdocs.yml"
    runner.write_config(project / "docs", project / "site", config)
    text = config.read_text("utf-8")
    config.write_text("\n".join(ln for ln in text.splitlines() if not ln.startswith("site_dir:")) + "\n", "utf-8")
    env = {**os.environ, "KB_EDITION": "members", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site-members" / "index.html").exists()
    assert not (project / "site").exists()


def test_drafts_show_in_the_preview(private_docs):
    """`mkdocs serve` builds drafts (marked as such); `mkdocs build` leaves them out (above)."""
    config = private_docs.parent / "serve.yml"
    runner.write_config(private_docs, private_docs.parent / "unused-site", config)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        html = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/lectures/2024-06-01-draft-lecture/", timeout=5
                ) as r:
                    html = r.read().decode("utf-8")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("mkdocs serve exited: " + proc.stderr.read().decode("utf-8", "replace")[-2000:])
                time.sleep(0.5)
        assert html is not None, "preview did not answer"
        assert DRAFT in html and "草稿（不会发布）" in html
        # the preview is where editors are told which file to edit
        assert "docs/lectures/2024-06-01-draft-lecture.md 的 front matter 中填写或更新" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lectures/", timeout=5) as r:
            assert DRAFT in r.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_front_matter_markup_is_refused_by_the_build_and_the_site_is_kept(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    site = tmp_path / "site"
    assert runner.build(docs, site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (docs / "lectures" / "2024-07-01-xss.md").write_text(
        '---\ntitle: "<script>alert(1)</script>"\ndate: 2024-07-01\n---\n', "utf-8"
    )
    result = runner.build(docs, site)
    assert result.returncode != 0
    assert "2024-07-01-xss.md:2:" in result.stderr and "HTML 标记" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before, "a refused build must leave the previous site exactly as it was"
    assert not any(".building" in p.name or ".previous" in p.name for p in site.parent.iterdir())


def test_a_failing_strict_build_keeps_the_previous_site(tmp_path):
    """A broken link is only found while pages are written; the old site must still survive."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    site = tmp_path / "site"
    assert runner.build(docs, site).returncode == 0
    marker = site / "KEEP"
    marker.write_text("previous build", "utf-8")
    index = docs / "wenshi" / "index.md"
    index.write_text(index.read_text("utf-8") + "\n[broken](no-such-page.md)\n", "utf-8")
    result = runner.build(docs, site)
    assert result.returncode != 0
    assert marker.read_text("utf-8") == "previous build"
    assert not any(".building" in p.name for p in site.parent.iterdir())


def test_plain_text_with_markdown_characters_is_shown_literally(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    (docs / "lectures" / "2024-07-02-stars.md").write_text(
        '---\ntitle: "*粗体* [链接](http://evil.invalid) & R&D"\ndate: 2024-07-02\nspeaker: "张_三_"\n---\n', "utf-8"
    )
    site = tmp_path / "site"
    result = runner.build(docs, site)
    assert result.returncode == 0, result.stderr
    listing = (site / "lectures" / "index.html").read_text("utf-8")
    assert "*粗体* [链接](http://evil.invalid) &amp; R&amp;D" in listing
    assert 'href="http://evil.invalid"' not in listing
    assert "<em>" not in listing.split("2024-07-02-stars")[1].split("</tr>")[0]
    page = (site / "lectures" / "2024-07-02-stars" / "index.html").read_text("utf-8")
    assert "张_三_" in page


from kb_testlib import run_kb  # noqa: E402


def test_scaffold_round_trip(tmp_path):
    """kb new -> kb check -> build -> listed in its index, for every collection with an archetype."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    made = {}
    for collection, args in {
        "lecture": [
            "--title",
            "长城文化与门头沟",
            "--date",
            "2024-08-15",
            "--speaker",
            "王五",
            "--speaker-role",
            "wenshi-adviser",
            "--topic-kind",
            "local-culture",
            "--points",
            "2024-02",
        ],
        "wenshi": ["--title", "门头沟古村落", "--kind", "book"],
        "event": ["--title", "委员读书交流会", "--date", "2024-09-20"],
    }.items():
        result = run_kb("new", collection, *args, docs=docs)
        assert result.returncode == 0, result.stderr
        path = (
            ROOT / result.stdout.strip()
            if not Path(result.stdout.strip()).is_absolute()
            else Path(result.stdout.strip())
        )
        assert path.exists() and path.name.isascii(), path
        made[collection] = path
    assert made["lecture"].name == "2024-08-15-chang-cheng-wen-hua-yu-men-tou-gou.md"
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout
    site = tmp_path / "site"
    result = runner.build(docs, site)
    assert result.returncode == 0, result.stderr
    assert "长城文化与门头沟" in (site / "lectures" / "index.html").read_text("utf-8")
    assert "门头沟古村落" in (site / "wenshi" / "index.html").read_text("utf-8")
    assert "委员读书交流会" in (site / "events" / "index.html").read_text("utf-8")
    lecture = (site / "lectures" / made["lecture"].stem / "index.html").read_text("utf-8")
    assert "王五" in lecture and "政协文史参事" in lecture


def test_scaffold_refuses_bad_values_and_existing_files(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    bad = run_kb("new", "lecture", "--title", "x", "--date", "2024-08-15", "--speaker-role", "boss", docs=docs)
    assert bad.returncode == 1 and "speaker_role" in bad.stderr and "Traceback" not in bad.stderr
    assert not list((docs / "lectures").glob("2024-08-15-*"))
    first = run_kb("new", "wenshi", "--title", "同名", "--slug", "same-name", docs=docs)
    assert first.returncode == 0
    again = run_kb("new", "wenshi", "--title", "同名", "--slug", "same-name", docs=docs)
    assert again.returncode == 1 and "已经存在" in again.stderr
    date = run_kb("new", "lecture", "--title", "x", "--date", "2024-02-30", docs=docs)
    assert date.returncode != 0 and "YYYY-MM-DD" in date.stderr and "Traceback" not in date.stderr


def test_a_refused_preview_says_what_the_browser_shows(tmp_path):
    """In the preview there is no site/ to keep: the message speaks of the pages in the browser."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    (docs / "lectures" / "2024-05-21-bad.md").write_text("---\ntitle：测试讲座\ndate: 2024-05-21\n---\n", "utf-8")
    config = tmp_path / "serve.yml"
    runner.write_config(docs, tmp_path / "unused-site", config)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(  # the first build fails, so the preview stops with the message
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode != 0
    assert "2024-05-21-bad.md:2:" in proc.stderr and "全角冒号" in proc.stderr, proc.stderr[-2000:]
    assert "预览没有更新" in proc.stderr and "保持不变" not in proc.stderr, proc.stderr[-2000:]


def test_stale_translation_is_reported_once_per_build(tmp_path):
    """mkdocs-static-i18n builds each language in its own pass; the warning is printed once."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lectures-site", docs)
    page = docs / "lectures" / "2024-05-20-district-key-tasks.md"
    page.write_text(page.read_text("utf-8") + "\n新增的一句话。\n", "utf-8")
    result = runner.build(docs, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    stale = [ln for ln in result.stderr.splitlines() if "2024-05-20-district-key-tasks.en.md" in ln and "过期" in ln]
    assert len(stale) == 1, stale
