"""Addresses that never break (issue 18 item 4): addresses.txt records every published address,
`kb check` refuses one that disappears without a redirect, `kb mv OLD NEW` moves a page with its
translation and photos and records the redirect in redirects.yml, and the build writes a page at
every old address in both languages, plus the map deploy/nginx.conf answers with a 301 (run with
a real nginx, as in test_nginx.py).

The editor's side runs the `kb` command in-process on a copy of tests/fixtures/lectures-site; the
build and nginx run once, on a copy of the real docs/.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import Image
from test_nginx import (
    TIMEOUT,
    Server,
    _free_port,
    _nginx_binary,
    _stop,
    _wait_until_listening,
    main_config,
    site_config,
)

from kb_testlib import TEST_SITE_URL, parse_html
from scripts.kb import cli
from scripts.kb.adapter import runner
from scripts.kb.content import addresses

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"
LECTURE = "lectures/2024-05-20-district-key-tasks"


def kb(capsys, docs: Path, *args: str) -> tuple[int, str]:
    """Run `python -m scripts.kb --docs DOCS ARGS` in-process: (exit code, stdout + stderr)."""
    code = cli.main(["--docs", str(docs), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def repo(tmp_path, capsys, monkeypatch) -> Path:
    """A repository: the fixture docs plus a page with photos in a folder of its own, and
    addresses.txt recorded by `kb addresses`."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURE, docs)
    about = docs / "about"
    about.mkdir()
    (about / "history.md").write_text(
        '---\ntitle: 沿革\n---\n\n# 沿革\n\n![会场](photos/hall.jpg)\n\n<img src="../cover.jpg" alt="封面">\n\n'
        "![共用的图](../shared.jpg)\n\n见[讲座](../lectures/2024-05-20-district-key-tasks.md)。\n",
        "utf-8",
    )
    (about / "history.en.md").write_text("---\ntitle: History\n---\n\n# History\n\n![Hall](photos/hall.jpg)\n", "utf-8")
    (about / "photos").mkdir()
    for name in ("about/photos/hall.jpg", "about/cover.jpg", "shared.jpg"):
        Image.new("RGB", (40, 30), "steelblue").save(docs / name)
    listing = docs / "wenshi" / "index.md"
    listing.write_text(
        listing.read_text("utf-8") + "\n\n[本会沿革](../about/history.md#start)\n\n![共用的图](../shared.jpg)\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out = kb(capsys, docs, "translated", str(about / "history.en.md"))
    assert code == 0, out
    code, out = kb(capsys, docs, "addresses")
    assert code == 0, out
    assert "/about/history/" in (tmp_path / addresses.RECORD).read_text("utf-8")
    return tmp_path


def test_a_plain_rename_is_refused_naming_the_old_address_and_the_command(repo, capsys):
    docs = repo / "docs"
    (docs / f"{LECTURE}.md").rename(docs / "lectures/2024-05-20-renamed.md")
    (docs / f"{LECTURE}.en.md").rename(docs / "lectures/2024-05-20-renamed.en.md")
    code, out = kb(capsys, docs, "check")
    assert code == 1, out
    line = next(line for line in out.splitlines() if line.startswith("addresses.txt:") and "已经发布过" in line)
    assert f"/{LECTURE}/" in line and f"/en/{LECTURE}/" in line
    assert f"kb mv docs/{LECTURE}.md docs/lectures/2024-05-20-renamed.md" in line


def test_a_deleted_page_is_refused_too(repo, capsys):
    (repo / "docs" / "about" / "history.md").unlink()
    (repo / "docs" / "about" / "history.en.md").unlink()
    code, out = kb(capsys, repo / "docs", "check")
    assert code == 1 and "网址 /about/history/" in out and "redirects.yml" in out, out


def test_kb_mv_moves_page_translation_and_its_own_photos(repo, capsys):
    docs = repo / "docs"
    code, out = kb(capsys, docs, "mv", "docs/about/history.md", "docs/info/origins.md")
    assert code == 0, out
    # The page and its translation moved; the photos only it uses went along, in the same place
    # relative to it; the photo another page shows stayed.
    assert not (docs / "about").exists()
    for name in ("info/origins.md", "info/origins.en.md", "info/photos/hall.jpg", "info/cover.jpg", "shared.jpg"):
        assert (docs / name).is_file(), name
    moved = (docs / "info/origins.md").read_text("utf-8")
    # Markdown is relative to the file, raw HTML to the page's address (about/history/).
    assert "](photos/hall.jpg)" in moved and '<img src="../cover.jpg"' in moved
    assert "](../shared.jpg)" in moved and "](../lectures/2024-05-20-district-key-tasks.md)" in moved
    # Another page's link to it follows it, anchor kept.
    assert "[本会沿革](../info/origins.md#start)" in (docs / "wenshi" / "index.md").read_text("utf-8")
    # The redirect and both addresses are recorded.
    assert yaml.safe_load((repo / addresses.REDIRECTS).read_text("utf-8")) == {"/about/history/": "/info/origins/"}
    recorded = (repo / addresses.RECORD).read_text("utf-8").splitlines()
    assert "/about/history/" in recorded and "/info/origins/" in recorded
    assert "/about/history/ → /info/origins/" in out
    code, out = kb(capsys, docs, "check")
    assert code == 0, out


def test_a_page_moved_twice_or_back_leaves_no_chain(repo, capsys):
    docs = repo / "docs"
    old, mid = f"docs/{LECTURE}.md", "docs/lectures/2024-05-20-key-tasks.md"
    assert kb(capsys, docs, "mv", old, mid)[0] == 0
    assert kb(capsys, docs, "mv", mid, "docs/lectures/2024-05-20-tasks.md")[0] == 0
    assert yaml.safe_load((repo / addresses.REDIRECTS).read_text("utf-8")) == {
        f"/{LECTURE}/": "/lectures/2024-05-20-tasks/",
        "/lectures/2024-05-20-key-tasks/": "/lectures/2024-05-20-tasks/",
    }
    assert kb(capsys, docs, "mv", "docs/lectures/2024-05-20-tasks.md", old)[0] == 0
    assert yaml.safe_load((repo / addresses.REDIRECTS).read_text("utf-8")) == {
        "/lectures/2024-05-20-key-tasks/": f"/{LECTURE}/",
        "/lectures/2024-05-20-tasks/": f"/{LECTURE}/",
    }
    code, out = kb(capsys, docs, "check")
    assert code == 0, out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("docs/lectures/no-such.md", "docs/lectures/x.md", "找不到页面"),
        (f"docs/{LECTURE}.md", "docs/lectures/2024-05-20-重点.md", "只能用小写英文字母"),
        (f"docs/{LECTURE}.md", "docs/lectures/Key Tasks.md", "只能用小写英文字母"),
        (f"docs/{LECTURE}.md", "docs/lectures/2024-07-01-jingxi-ancient-roads.md", "已经存在"),
        (f"docs/{LECTURE}.md", "docs/wenshi/key-tasks.md", "同一栏目"),
        (f"docs/{LECTURE}.md", "../outside.md", "不在 docs/ 里"),
        (f"docs/{LECTURE}.md", "docs/lectures/x.txt", ".md"),
        ("docs/wenshi/index.md", "docs/wenshi/all.md", "栏目页"),
        ("docs/index.md", "docs/home.md", "首页"),
        ("docs/tags.md", "docs/all-tags.md", "导航"),
    ],
)
def test_kb_mv_refuses_bad_moves_and_changes_nothing(repo, capsys, old, new, message):
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))
    code, out = kb(capsys, repo / "docs", "mv", old, new)
    assert code == 1 and message in out and "Traceback" not in out, out
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/about/history/: [unclosed\n", "不是有效的 YAML"),
        ('/about/: "/x/\\"><script>alert(1)</script>"\n', "不是两个网址"),
        ("/old/: /no-such-page/\n", "不是现有页面"),
        ("/about/history/: /\n", "现在又是一个页面"),
        ("- /old/\n", "YAML 映射"),
        ("/en/about/history/: /en/wenshi/\n", "不带 /en/"),
        ("/old page/: /wenshi/\n", "不是两个网址"),
    ],
)
def test_a_hostile_or_broken_redirects_file_is_refused_with_its_line(repo, capsys, text, message):
    (repo / addresses.REDIRECTS).write_text("# comment\n" + text, "utf-8")
    code, out = kb(capsys, repo / "docs", "check")
    assert code == 1 and "Traceback" not in out, out
    line = next(line for line in out.splitlines() if line.startswith("redirects.yml:"))
    assert message in line, line
    assert int(line.split(":")[1]) >= 2 or "YAML 映射" in line, line  # the line, past the comment


def test_new_pages_not_yet_recorded_are_a_warning(repo, capsys):
    (repo / "docs" / "about" / "staff.md").write_text("---\ntitle: 机构\n---\n\n# 机构\n", "utf-8")
    code, out = kb(capsys, repo / "docs", "check")
    assert code == 0 and "警告" in out and "/about/staff/" in out and "kb addresses" in out, out
    assert kb(capsys, repo / "docs", "check", "--strict")[0] == 1
    assert kb(capsys, repo / "docs", "addresses")[0] == 0
    code, out = kb(capsys, repo / "docs", "check", "--strict")
    assert code == 0, out


def test_no_recorded_address_of_the_real_docs_is_lost(capsys, monkeypatch):
    """Every address in the repository's addresses.txt is still a page or redirected, and
    redirects.yml is sound. (A page added since `kb addresses` last ran is only a warning.)"""
    assert (ROOT / addresses.RECORD).is_file()
    monkeypatch.chdir(ROOT)
    _, out = kb(capsys, ROOT / "docs", "check")
    lost = [
        line for line in out.splitlines() if line.startswith(("addresses.txt", "redirects.yml")) and "警告" not in line
    ]
    assert not lost, "\n".join(lost)


# --- the build and nginx ------------------------------------------------------------------------

MOVED_FROM, MOVED_TO = "/wenshi/sanqin-accounts/", "/wenshi/sanqin-zhangben/"


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory) -> Path:
    """The real docs/ and addresses.txt, one record moved with kb mv, then built."""
    tmp = tmp_path_factory.mktemp("moved")
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copy(ROOT / addresses.RECORD, tmp / addresses.RECORD)
    code = cli.main(
        [
            "--docs",
            str(tmp / "docs"),
            "mv",
            str(tmp / "docs/wenshi/sanqin-accounts.md"),
            str(tmp / "docs/wenshi/sanqin-zhangben.md"),
        ]
    )
    assert code == 0
    result = runner.build(tmp / "docs", tmp / "site", env={"KB_SITE_URL": TEST_SITE_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp / "site"


@pytest.mark.parametrize(("lang", "prefix"), [("zh", ""), ("en", "/en")])
def test_the_build_writes_a_page_at_the_old_address_in_both_languages(moved_site, lang, prefix):
    old = moved_site / (prefix + MOVED_FROM).strip("/") / "index.html"
    new_page = moved_site / (prefix + MOVED_TO).strip("/") / "index.html"
    assert new_page.is_file()
    tree = parse_html(old.read_text("utf-8"))
    assert tree.find("html").attrs["lang"] == lang
    assert tree.find("meta", **{"http-equiv": "refresh"}).attrs["content"] == "0; url=../sanqin-zhangben/"
    canonical = tree.find("link", rel="canonical").attrs["href"]
    assert canonical.startswith("http") and canonical.endswith(prefix + MOVED_TO)
    assert tree.find("meta", name="robots").attrs["content"] == "noindex"
    link = tree.find("main").find("a")
    assert link.attrs["href"] == "../sanqin-zhangben/"
    new_title = "".join(c for c in parse_html(new_page.read_text("utf-8")).find("title").children if isinstance(c, str))
    assert link.text() == new_title.strip() and new_title.strip()
    assert tree.find("script") is None  # nothing for the CSP to allow


@pytest.fixture(scope="module")
def nginx(moved_site, tmp_path_factory, request) -> Server:
    binary = _nginx_binary()
    prefix = tmp_path_factory.mktemp("nginx-redirects")
    site_conf, conf = prefix / "kb.conf", prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site_conf), "utf-8")
    port = _free_port()
    site_conf.write_text(site_config(moved_site, port), "utf-8")
    check = subprocess.run(
        [binary, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert check.returncode == 0, check.stderr
    with open(prefix / "stderr.log", "wb") as stderr:
        proc = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr
        )
    request.addfinalizer(lambda: _stop(proc))
    server = Server(moved_site, port, prefix)
    assert _wait_until_listening(proc, port), server.log()
    return server


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("asked", ["", "index.html", "?utm=x"])
def test_nginx_answers_the_old_address_with_a_301(nginx, prefix, asked):
    old = prefix + MOVED_FROM
    response = nginx.get(old + asked)
    assert response.status == 301, (old + asked, response.status)
    expected = prefix + MOVED_TO + ("?utm=x" if asked.startswith("?") else "")
    assert response.header("Location") == expected
    assert response.header("Content-Security-Policy")  # the server's headers still apply
    landed = nginx.get(expected)
    assert landed.status == 200
    assert f'lang="{"en" if prefix else "zh"}"' in landed.text()


def test_nginx_answers_the_old_address_without_its_slash(nginx):
    response = nginx.get(MOVED_FROM.rstrip("/"))
    assert response.status == 301 and response.header("Location") == MOVED_TO


def test_nginx_leaves_other_addresses_and_never_serves_the_map(nginx):
    assert nginx.get(MOVED_TO).status == 200
    assert nginx.get("/wenshi/").status == 200
    assert nginx.get("/.redirects.map").status == 404
    assert nginx.get("/no-such-page/").status == 404


def test_the_redirect_pages_are_valid_html(moved_site):
    from test_validators import _vnu

    pages = [moved_site / (p + MOVED_FROM).strip("/") / "index.html" for p in ("", "/en")]
    messages = [m for m in _vnu(*pages) if m["type"] != "info"]
    assert not messages, messages


def test_kb_mv_keeps_up_to_date_translations_up_to_date(repo, capsys):
    """A page whose only change is its link to the moved page keeps its translation current (the
    move is not a change to translate), and so does the moved page's own translation."""
    docs = repo / "docs"
    home = docs / "index.md"
    home.write_text(home.read_text("utf-8") + f"\n\n[重点工作解读]({LECTURE}.md)\n", "utf-8")
    code, out = kb(capsys, docs, "translated", str(docs / "index.en.md"), str(docs / f"{LECTURE}.en.md"))
    assert code == 0, out
    assert kb(capsys, docs, "check", "--strict")[0] == 0
    code, out = kb(capsys, docs, "mv", f"docs/{LECTURE}.md", "docs/lectures/2024-05-20-key-tasks.md")
    assert code == 0, out
    assert "[重点工作解读](lectures/2024-05-20-key-tasks.md)" in home.read_text("utf-8")
    code, out = kb(capsys, docs, "check", "--strict")
    assert code == 0, out
