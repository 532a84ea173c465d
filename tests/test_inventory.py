"""One inventory: `kb check` and the build see exactly the files MkDocs publishes.

Symlinks, pages with other Markdown extensions, Markdown-looking files MkDocs would copy raw,
links from shown pages to hidden ones, and attachments only hidden pages use.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from kb_testlib import run_kb
from scripts.kb.adapter import runner

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"
RECORD = "---\ntitle: 测试讲座\ndate: 2024-06-01\n---\n\n正文\n"


@pytest.fixture()
def docs(tmp_path) -> Path:
    target = tmp_path / "docs"
    shutil.copytree(FIXTURE, target)
    return target


def _refused(docs: Path, tmp_path: Path, name: str, *words: str) -> None:
    """kb check names the file with a Chinese fix, and the build refuses the same, with no traceback."""
    check = run_kb("check", docs=docs)
    assert check.returncode == 1, check.stdout
    lines = [ln for ln in check.stdout.splitlines() if f"{name}:" in ln]
    assert lines, check.stdout
    for word in words:
        assert word in "\n".join(lines), (word, lines)
    build = runner.build(docs, tmp_path / "site")
    assert build.returncode != 0
    assert f"{name}:" in build.stderr and "Traceback" not in build.stderr, build.stderr[-3000:]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("kind", ["file outside docs", "folder outside docs", "file inside docs"])
def test_symlinks_are_refused(docs, tmp_path, kind):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET", "utf-8")
    (outside / "page.md").write_text(RECORD, "utf-8")
    link = docs / "lectures" / "linked"
    if kind == "file outside docs":
        os.symlink(outside / "secret.txt", link)
    elif kind == "folder outside docs":
        os.symlink(outside, link)
    else:
        os.symlink(docs / "index.md", link)
    _refused(docs, tmp_path, "lectures/linked", "符号链接")


@pytest.mark.parametrize("suffix", [".markdown", ".mdown", ".mkdn", ".mkd"])
def test_pages_with_other_markdown_extensions_are_refused(docs, tmp_path, suffix):
    # Unchecked before: this page's members-only, draft and unknown-field front matter was published.
    (docs / "lectures" / f"2024-06-01-x{suffix}").write_text(
        "---\ntitle: 隐藏\ndate: 2024-06-01\nvisibility: members\ndraft: true\nbogus: 1\n---\n", "utf-8"
    )
    _refused(docs, tmp_path, f"2024-06-01-x{suffix}", ".md")


@pytest.mark.parametrize("name", ["2024-06-01-x.MD", "2024-06-01-x.Md", "notes.MARKDOWN"])
def test_markdown_looking_files_mkdocs_copies_raw_are_refused(docs, tmp_path, name):
    (docs / "lectures" / name).write_text(RECORD.replace("---\n", "---\nvisibility: members\n", 1), "utf-8")
    _refused(docs, tmp_path, name, "小写")


def test_hidden_dotfiles_and_templates_folder_are_not_pages(docs):
    # MkDocs excludes them by default; the inventory is MkDocs' own, so kb check skips them too.
    (docs / ".notes.md").write_text("---\nbogus: 1\n---\n", "utf-8")
    (docs / "templates").mkdir()
    (docs / "templates" / "x.md").write_text("---\nbogus: 1\n---\n", "utf-8")
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize(
    ("front", "why"),
    [("visibility: members\n", "委员版"), ("draft: true\n", "草稿")],
)
@pytest.mark.parametrize(
    "link",
    ["[内部](2024-06-02-hidden.md)", "[内部](2024-06-02-hidden.md#top)", '<a href="../2024-06-02-hidden/">内部</a>'],
)
def test_links_from_shown_pages_to_hidden_pages_are_refused(docs, tmp_path, front, why, link):
    (docs / "lectures" / "2024-06-02-hidden.md").write_text(RECORD.replace("---\n", "---\n" + front, 1), "utf-8")
    (docs / "lectures" / "2024-06-03-public.md").write_text(
        RECORD.replace("2024-06-01", "2024-06-03") + f"\n见{link}。\n", "utf-8"
    )
    check = run_kb("check", docs=docs)
    assert check.returncode == 1
    lines = [ln for ln in check.stdout.splitlines() if "2024-06-03-public.md:8:" in ln]
    assert lines and "2024-06-02-hidden.md" in lines[0] and why in lines[0], check.stdout
    for env in ({}, {"KB_EDITION": "members"}):
        build = runner.build(docs, tmp_path / "out", env=env)
        assert build.returncode != 0 and "2024-06-03-public.md:8:" in build.stderr, build.stderr[-2000:]
        assert "Traceback" not in build.stderr


def test_members_pages_may_link_to_members_pages_and_code_is_not_a_link(docs):
    (docs / "lectures" / "2024-06-02-hidden.md").write_text(
        RECORD.replace("---\n", "---\nvisibility: members\n", 1), "utf-8"
    )
    (docs / "lectures" / "2024-06-04-members.md").write_text(
        RECORD.replace("---\n", "---\nvisibility: members\n", 1) + "\n[内部](2024-06-02-hidden.md)\n", "utf-8"
    )
    (docs / "lectures" / "2024-06-03-public.md").write_text(
        RECORD + "\n`[内部](2024-06-02-hidden.md)`\n\n```\n[内部](2024-06-02-hidden.md)\n```\n", "utf-8"
    )
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout


SECRET_SLUG = "2024-06-02-members-only-slug"
SITE_URL = "https://kb.example.invalid/cppcc/"  # set as KB_SITE_URL: a site_url with a base path


def _public_page_linking(docs: Path, front: str, link: str) -> None:
    (docs / "lectures" / f"{SECRET_SLUG}.md").write_text(RECORD.replace("---\n", "---\n" + front, 1), "utf-8")
    (docs / "lectures" / "2024-06-03-public.md").write_text(
        RECORD.replace("2024-06-01", "2024-06-03") + f"\n{link}\n", "utf-8"
    )


@pytest.mark.parametrize(
    ("front", "why"),
    [("visibility: members\n", "委员版"), ("draft: true\n", "草稿")],
)
@pytest.mark.parametrize(
    "link",
    [
        f"[内部](/lectures/{SECRET_SLUG}/)",
        f"[内部](/lectures/{SECRET_SLUG})",
        f"[内部](/en/lectures/{SECRET_SLUG}/)",
        f"[内部](/lectures/{SECRET_SLUG}.md)",
        f"[内部](/lectures/{SECRET_SLUG}/#top)",
        f"[内部](/lectures/{SECRET_SLUG}/?from=home)",
        f"[内部](/cppcc/lectures/{SECRET_SLUG}/)",
        f"[内部]({SITE_URL}lectures/{SECRET_SLUG}/)",
        f"[内部]({SITE_URL}en/lectures/{SECRET_SLUG}/index.html)",
        f'<a href="/lectures/{SECRET_SLUG}/">内部</a>',
        f"[s]: https://KB.example.invalid/lectures/{SECRET_SLUG}/\n\n[内部][s]",
    ],
)
def test_absolute_links_from_public_pages_to_hidden_pages_are_refused(docs, monkeypatch, front, why, link):
    # MkDocs leaves absolute links as written (an English INFO line), so the public site would
    # publish the hidden page's address: its slug, made from a title that may itself be secret.
    monkeypatch.setenv("KB_SITE_URL", SITE_URL)
    _public_page_linking(docs, front, link)
    check = run_kb("check", docs=docs)
    assert check.returncode == 1, check.stdout
    lines = [ln for ln in check.stdout.splitlines() if "2024-06-03-public.md:8:" in ln]
    assert lines and f"{SECRET_SLUG}.md" in lines[0] and why in lines[0], check.stdout


@pytest.mark.parametrize("front", ["visibility: members\n", "draft: true\n"])
def test_public_build_refuses_an_absolute_link_to_a_hidden_page(docs, tmp_path, monkeypatch, front):
    monkeypatch.setenv("KB_SITE_URL", SITE_URL)
    _public_page_linking(docs, front, f"[内部](/lectures/{SECRET_SLUG}/)")
    for edition in ("public", "members"):
        site = tmp_path / edition
        build = runner.build(docs, site, env={"KB_EDITION": edition})
        assert build.returncode != 0 and "2024-06-03-public.md:8:" in build.stderr, build.stderr[-2000:]
        assert f"{SECRET_SLUG}.md" in build.stderr and "Traceback" not in build.stderr
        published = [p for p in site.rglob("*") if p.is_file()] if site.exists() else []
        assert not [p for p in published if SECRET_SLUG.encode() in p.read_bytes()]


@pytest.mark.parametrize(
    "link",
    [
        f"[外站](https://other.example.invalid/lectures/{SECRET_SLUG}/)",
        "[不存在](/lectures/2024-06-09-nowhere/)",
        f"`[内部](/lectures/{SECRET_SLUG}/)`",
    ],
)
def test_absolute_links_elsewhere_are_left_alone(docs, monkeypatch, link):
    monkeypatch.setenv("KB_SITE_URL", SITE_URL)
    _public_page_linking(docs, "visibility: members\n", link)
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout


@pytest.fixture(scope="module")
def attachments_docs(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("attachments") / "docs"
    shutil.copytree(FIXTURE, docs)
    lectures = docs / "lectures"
    for name in ("members-only.pdf", "html-only.pdf", "draft-only.pdf", "shared.pdf"):
        (lectures / name).write_bytes(b"ATTACHMENT " + name.encode())
    for name in ("members-photo.png", "members-cover.png"):
        Image.new("RGB", (4, 4), "white").save(lectures / name)
    (lectures / "2024-06-02-members.md").write_text(
        RECORD.replace("---\n", "---\nvisibility: members\ncover: members-cover.png\n", 1)
        + '\n[纪要](members-only.pdf)\n\n![合影](members-photo.png)\n\n<a href="../html-only.pdf">原件</a>\n\n[共用][s]\n\n[s]: shared.pdf\n',
        "utf-8",
    )
    (lectures / "2024-06-05-draft.md").write_text(
        RECORD.replace("---\n", "---\ndraft: true\n", 1) + "\n[稿](draft-only.pdf)\n", "utf-8"
    )
    (lectures / "2024-06-03-public.md").write_text(RECORD + '\n<img src="../shared.pdf" alt="共用">\n', "utf-8")
    return docs


@pytest.mark.parametrize("edition", ["public", "members"])
def test_files_only_hidden_pages_use_are_left_out(attachments_docs, tmp_path, edition):
    site = tmp_path / f"{edition}-site"
    result = runner.build(attachments_docs, site, env={"KB_EDITION": edition})
    assert result.returncode == 0, result.stderr[-3000:]
    published = {p.name for p in (site / "lectures").iterdir() if p.is_file()}
    assert "shared.pdf" in published, "a file a public page uses as well stays"
    assert "draft-only.pdf" not in published, "no edition has drafts"
    members_files = {"members-only.pdf", "members-photo.png", "html-only.pdf", "members-cover.png"}
    if edition == "public":
        assert not members_files & published
        assert not [n for n in published if n.startswith("members-")], "nor any copy made of them"
    else:
        assert members_files <= published


@pytest.mark.parametrize(
    ("link", "line"),
    [
        ("[原文](02.MD.md#x)", 8),
        ("[另一页](../wenshi/no-such-page.md)", 8),
        ("[说明][r]\n\n[r]: missing/notes.md", 10),
    ],
)
def test_links_to_missing_pages_are_refused_in_chinese_before_the_build(docs, tmp_path, link, line):
    # Before: kb check passed and the strict build failed with MkDocs' English warning.
    (docs / "lectures" / "2024-06-03-public.md").write_text(RECORD + f"\n见{link}\n", "utf-8")
    _refused(docs, tmp_path, "2024-06-03-public.md", "不存在")
    build = runner.build(docs, tmp_path / "site")
    assert f"2024-06-03-public.md:{line}:" in build.stderr and "not found among" not in build.stderr


def test_links_that_resolve_are_accepted(docs):
    (docs / "lectures" / "notes.pdf").write_bytes(b"%PDF")
    (docs / "lectures" / "2024-06-03-public.md").write_text(
        RECORD
        + "\n[纪要](notes.pdf) [讲座](index.md#top) [外部](https://example.org/x.pdf) [本节](#a) [文件夹](../wenshi/)\n",
        "utf-8",
    )
    check = run_kb("check", docs=docs)
    assert check.returncode == 0, check.stdout
