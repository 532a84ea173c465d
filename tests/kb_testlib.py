"""Helpers shared by the tests: building sites, reading built pages, writing small docs trees.

Kept out of conftest.py so that test modules can import them by a name no other conftest.py
(tests/browser/ has its own) can shadow. conftest.py re-exports them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import yaml

from scripts.kb.adapter import runner
from scripts.kb.collections import REGISTRY
from scripts.kb.content import model

ROOT = Path(__file__).resolve().parents[1]

DOCS = ROOT / "docs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE = ROOT / "sources" / "2024-work-points.txt"  # byte for byte the published text
KNOWN_RECORDS = FIXTURES / "known-records"  # the 2024 work points and records, as of Nov 2026

_WS = re.compile(r"\s+")
# English month names as the site writes dates ("12 January 2024"); spelt out, not taken from the code
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space and strip; nothing else."""
    return _WS.sub(" ", text).strip()


# --- building ---------------------------------------------------------------------------------


# The address the tests' sites are built for (KB_SITE_URL), as a published site is: `.invalid` is
# reserved and never a real host. A build without one (mkdocs.yml sets none) has no absolute
# addresses at all: tests/test_public_face.py builds that case.
TEST_SITE_URL = "https://example.invalid/"


def build_tree(docs_dir: Path, tmp_path: Path) -> Path:
    """Strict build of `docs_dir` with the project's real configuration, for TEST_SITE_URL;
    returns the site folder."""
    site = Path(tmp_path) / "site"
    result = runner.build(Path(docs_dir), site, env={"KB_SITE_URL": TEST_SITE_URL})
    assert result.returncode == 0, (
        f"mkdocs build --strict of {docs_dir} failed (exit {result.returncode}).\n"
        f"--- stderr ---\n{result.stderr}\n--- stdout ---\n{result.stdout}"
    )
    assert (site / "index.html").is_file(), f"the build reported success but wrote no {site}/index.html"
    return site


# --- reading built pages -----------------------------------------------------------------------

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_INVISIBLE = {"script", "style", "template", "head", "title"}


class _Element:
    def __init__(self, tag: str, attrs: dict, parent: _Element | None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list = []  # _Element or str

    def text(self) -> str:
        parts: list[str] = []
        self._collect(parts)
        return normalize("".join(parts))

    def _collect(self, parts: list[str]) -> None:
        if self.tag in _INVISIBLE:
            return
        if self.tag in _BLOCK:
            parts.append(" ")
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._collect(parts)
        if self.tag in _BLOCK:
            parts.append(" ")

    def iter(self, *tags: str):
        """Descendants (document order) whose tag is one of `tags` (all if none given)."""
        for child in self.children:
            if isinstance(child, _Element):
                if not tags or child.tag in tags:
                    yield child
                yield from child.iter(*tags)

    def find(self, tag: str, **attrs) -> _Element | None:
        for el in self.iter(tag):
            if all(_attr_matches(el, k.rstrip("_"), v) for k, v in attrs.items()):
                return el
        return None

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


def _attr_matches(el: _Element, name: str, value: str) -> bool:
    if name == "class":
        return value in el.classes()
    return el.attrs.get(name) == value


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        el = _Element(tag, {k: (v or "") for k, v in attrs}, self.current)
        self.current.children.append(el)
        if tag not in _VOID:
            self.current = el

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(_Element(tag, {k: (v or "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # ignore stray end tags
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_file(site: Path, url_path: str) -> Path:
    """The index.html that serves `url_path` ("/plan/2024/01/") in a built site."""
    rel = url_path.strip("/")
    return Path(site) / rel / "index.html" if rel else Path(site) / "index.html"


def page_html(site: Path, url_path: str) -> str:
    path = page_file(site, url_path)
    assert path.is_file(), f"{url_path} was not built: {path} does not exist"
    return path.read_text("utf-8")


def page_article(site: Path, url_path: str) -> _Element:
    """The page's <article> element (Material puts the page content in exactly one)."""
    article = parse_html(page_html(site, url_path)).find("article")
    assert article is not None, f"{url_path} has no <article>"
    return article


def page_text(site: Path, url_path: str) -> str:
    """Visible text of the page's <article>, with whitespace runs collapsed to one space."""
    return page_article(site, url_path).text()


def text_without_document_metadata(article) -> str:
    """The article's text without the notice's 公文 metadata block (发文机关, 成文日期 …: fields
    taken from the text, shown apart from it)."""
    for el in list(article.iter("section")):
        if "kb-doc-meta" in el.classes():
            el.parent.children.remove(el)
    return article.text()


def search_documents(site: Path) -> list[dict]:
    """Every document of the built search index as {"location", "title", "text"}.

    Material writes search/search_index.json; the project may shard it after the build into
    search/kb/<lang>/d<NNN>.json (keys l, t, x) and leave a stub. Both are read."""
    site = Path(site)
    docs = []
    main = site / "search" / "search_index.json"
    assert main.is_file(), f"no search index at {main}"
    for doc in json.loads(main.read_text("utf-8")).get("docs", []):
        docs.append({"location": doc.get("location", ""), "title": doc.get("title", ""), "text": doc.get("text", "")})
    for shard in sorted((site / "search" / "kb").glob("*/d[0-9]*.json")):
        for doc in json.loads(shard.read_text("utf-8")):
            docs.append({"location": doc.get("l", ""), "title": doc.get("t", ""), "text": doc.get("x", "")})
    return docs


def search_locations(site: Path) -> set[str]:
    """The page part (before any #) of every search document's location."""
    return {doc["location"].split("#", 1)[0] for doc in search_documents(site)}


# --- writing small docs trees -----------------------------------------------------------------


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under root (text is dedented and stripped of a leading newline)."""
    root = Path(root)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return root


def plan_files(year: int = 2024) -> dict[str, str]:
    """A small plan: an index with three sections (the third without points) and four points."""
    return {
        f"plan/{year}/index.md": f"""
            ---
            title: 测试工作要点{year}
            year: {year}
            title_lines: [测试委员会, 常务委员会{year}年工作要点]
            adopted: {year}-01-11
            adopted_by: 测试会议
            issued: {year}-01-12
            issuer: 测试委员会
            sections:
              - number: 1
                heading: 第一部分标题
              - number: 2
                heading: 第二部分标题
              - number: 3
                heading: 第三部分标题
            attachment: 测试附件
            ---

            开篇段落。主要工作任务如下：

            <!-- kb:plan-overview -->
            """,
        f"plan/{year}/index.en.md": """
            ---
            title: Test work points
            sections:
              - number: 1
                heading: First section
              - number: 2
                heading: Second section
              - number: 3
                heading: Third section
            ---

            Opening paragraph. The main tasks are as follows:

            <!-- kb:plan-overview -->
            """,
        f"plan/{year}/02.md": f"""
            ---
            year: {year}
            number: 2
            section: 1
            title: 第二项标题
            ---

            第二项标题。第二项正文。
            """,
        f"plan/{year}/01.md": f"""
            ---
            year: {year}
            number: 1
            section: 1
            title: 第一项标题
            status: in-progress
            ---

            第一项标题。第一项正文。
            """,
        f"plan/{year}/01.en.md": """
            ---
            title: Point one
            ---

            Point one. Body of point one.
            """,
        f"plan/{year}/03.md": f"""
            ---
            year: {year}
            number: 3
            section: 2
            title: 第三项标题
            label: "3. "
            ---

            第三项标题。第三项正文。
            """,
        f"plan/{year}/04.md": f"""
            ---
            year: {year}
            number: 4
            section: 2
            title: 第四项标题
            label: "4．"
            ---

            第四项标题。第四项正文。
            """,
    }


def run_kb(*args: str, docs: Path, process: bool = False) -> subprocess.CompletedProcess:
    """`python -m scripts.kb --docs DOCS ARGS…` from the repository root, as an editor runs it: the
    command's own `main`, in this process (a process of its own cost a second or two of starting
    Python and importing, 150 times a run), with what it prints and its exit code. `process=True`
    starts `python -m scripts.kb` itself, for the tests of the command line as such."""
    argv = ["--docs", str(docs), *args]
    if process:
        return subprocess.run(
            [sys.executable, "-m", "scripts.kb", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
    from scripts.kb import cli
    from scripts.kb.content import loader

    loader.forget_parsed()  # a file rewritten within the same clock tick must be read again
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse refusing the command line
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return subprocess.CompletedProcess(["kb", *argv], code, out.getvalue(), err.getvalue())


# --- docs trees for tests: known content, and the live docs after ordinary editing ---------------


def known_docs(root: Path) -> Path:
    """A copy of docs/ whose 2024 work points and records are the fixture's
    (tests/fixtures/known-records/): tests that assert exact content (which point has which
    records, what is reported) use it, so editors' work on docs/ never breaks them. Everything
    else (home, index pages, guide, assets, other plan years) is the live site's, so the tree
    builds with the real configuration however the site's structure evolves."""
    docs = Path(root) / "docs"
    shutil.copytree(DOCS, docs)
    for path in sorted(docs.rglob("*.md")):
        src, _ = model.split_lang(path.relative_to(docs).as_posix())
        collection = REGISTRY.collection_for(src)
        if collection in REGISTRY.records and (collection is not REGISTRY["point"] or src.startswith("plan/2024/")):
            path.unlink()
    shutil.copytree(KNOWN_RECORDS, docs, dirs_exist_ok=True)
    return docs


def front_matter_of(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a Markdown file."""
    text = Path(path).read_text("utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head) or {}, body


def required_only(collection) -> tuple[str, ...]:
    """`kb new <collection>`'s options with only those it requires, as the README shows them: every
    optional field left empty (no kind, no speaker, no status, no number …). From the collection's
    declaration (scripts/kb/collections/), so a new collection is covered without an edit here."""
    args = ["--title", f"某{collection.titles['zh']}（测试新增·仅必填）"]
    if collection.date_field:
        args += ["--date", "2024-06-19"]
    for name in collection.new_options:
        info = collection.model.model_fields[name]
        if info.is_required():
            value = "2024" if info.annotation is int else "2024-06-19" if info.annotation is dt.date else "测试"
            args += [f"--{name.replace('_', '-')}", value]
    return tuple(args)


# `kb new` of every collection it can create, with only the options each requires.
REQUIRED_ONLY = {name: required_only(c) for name, c in REGISTRY.creatable().items()}


def edited_docs(root: Path) -> Path:
    """A copy of the live docs/ after an editor's ordinary day: `kb new` of a 文史 record, a
    lecture and an event with their details, `kb new` of each collection with only the required
    options (every optional field empty), and progress recorded on a work point (its front matter
    edited as the guide shows). Tests of what holds for any valid content run on it as on docs/
    itself."""
    docs = Path(root) / "docs"
    shutil.copytree(DOCS, docs)
    point = sorted(docs.glob("plan/*/[0-9][0-9].md"))[-1]
    meta, body = front_matter_of(point)
    point_id = f"{meta['year']}-{meta['number']:02d}"
    for args in (
        ("wenshi", "--title", "门头沟古村落（测试新增）", "--kind", "book", "--status", "in-progress"),
        ("lecture", "--title", "京西古道的历史（测试新增）", "--date", "2024-06-18", "--speaker", "张明"),
        ("event", "--title", "委员读书分享会（测试新增）", "--date", "2024-10-12", "--status", "held"),
    ):
        result = run_kb("new", *args, "--points", point_id, docs=docs)
        assert result.returncode == 0, f"kb new {args[0]} failed:\n{result.stderr}\n{result.stdout}"
    for collection, args in REQUIRED_ONLY.items():
        result = run_kb("new", collection, *args, docs=docs)
        assert result.returncode == 0, f"kb new {collection} failed:\n{result.stderr}\n{result.stdout}"
    meta.update(status="in-progress", progress=40, lead_unit="区政协办公室")
    meta["milestones"] = [*(meta.get("milestones") or []), {"date": "2024-03-15", "note": "召开第一次推进会"}]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    point.write_text(f"---\n{front}---\n{body}", "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 0, f"kb check refuses the edited docs:\n{result.stdout}\n{result.stderr}"
    return docs


def build_with_switch(tmp_path: Path, env: dict[str, str]) -> Path:
    """docs/ built with a switch that turns a cache or worker off (README: the switches), for the
    address `real_site` is built for (build_tree)."""
    result = runner.build(DOCS, tmp_path / "site", env={"KB_SITE_URL": TEST_SITE_URL, **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path / "site"


def assert_same_site(expected: Path, site: Path, *, min_pages: int = 40) -> list[Path]:
    """The two sites hold the same files, byte for byte; returns their paths."""
    files = sorted(p.relative_to(expected) for p in expected.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert sum(f.suffix == ".html" for f in files) > min_pages
    differing = [str(f) for f in files if (expected / f).read_bytes() != (site / f).read_bytes()]
    assert differing == []
    return files
