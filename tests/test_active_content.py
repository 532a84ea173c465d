"""Nothing an editor drops into docs/ runs on readers' browsers (issue 32): `kb check` and the build
refuse scripts, modules, HTML pages and XML-like files (SVG included) outside the project's own
assets, naming each; the policy the build writes allows scripts by path (the theme's folders and
the project's files), never an HTML file copied from docs/.

The browser and nginx side is tests/browser/test_csp_nginx.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from kb_testlib import DOCS, ROOT, run_kb
from scripts.kb.adapter import runner
from scripts.kb.content import active_content
from scripts.kb.outputs import csp

DROPPED = {
    "lectures/helper.js": "脚本文件（.js）",
    "lectures/module.MJS": "脚本文件（.mjs）",
    "assets/evil.js": "脚本文件（.js）",  # beside the project's own, but not one of them
    "assets/javascripts/lunr/x.js": "脚本文件（.js）",
    "lectures/page.html": "网页文件（.html）",
    "wenshi/old.HTM": "网页文件（.htm）",
    "lectures/page.xhtml": "网页文件（.xhtml）",
    "wenshi/images/logo.svg": "SVG 图片里可以藏有脚本",
    "lectures/data.xml": "XML 文档文件（.xml）",
    "lectures/style.xsl": "XML 文档文件（.xsl）",
}


def test_the_project_scripts_are_the_ones_in_docs_assets_and_those_loaded():
    in_docs = {p.relative_to(DOCS).as_posix() for p in (DOCS / "assets").rglob("*.js")}
    assert in_docs == set(active_content.PROJECT_SCRIPTS)
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert set(config["extra_javascript"]) <= active_content.PROJECT_SCRIPTS
    loaded = {
        m.group(1)
        for path in (ROOT / "overrides").rglob("*.html")
        for m in re.finditer(r"'(assets/[^']+\.js)'\s*\|\s*url", path.read_text("utf-8"))
    }
    assert loaded and loaded <= active_content.PROJECT_SCRIPTS


def test_kb_check_refuses_every_file_a_browser_would_run(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    for name in DROPPED:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("<script>alert(1)</script>", "utf-8")
    result = run_kb("check", docs=docs)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    for name, what in DROPPED.items():
        line = next((x for x in result.stdout.splitlines() if f"docs/{name}:1: " in x), None)
        assert line is not None and what in line, (name, result.stdout)
    # the project's own scripts and every other file are not named
    assert "kb-sort.js" not in result.stdout and "kb-search-worker.js" not in result.stdout


def test_the_build_refuses_them_too(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "lectures" / "helper.js").write_text("alert(1)", "utf-8")
    result = runner.build(docs, tmp_path / "site")
    assert result.returncode != 0 and "docs/lectures/helper.js:1:" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", "utf-8")


def test_scripts_are_allowed_by_path_each_file_or_a_folder_holding_none_of_docs(tmp_path):
    _tree(
        tmp_path,
        [
            "assets/kb-sort.js",
            "assets/javascripts/bundle.1234abcd.min.js",
            "assets/javascripts/kb-search-worker.js",
            "assets/javascripts/workers/search.1234abcd.min.js",
            "assets/javascripts/lunr/min/lunr.zh.min.js",
            "assets/javascripts/lunr/tinyseg.js",
            "index.html",
        ],
    )
    copied = {"assets/kb-sort.js", "assets/javascripts/kb-search-worker.js", "assets/kb.css"}
    assert csp.script_paths(tmp_path, copied) == [
        "assets/javascripts/bundle.1234abcd.min.js",
        "assets/javascripts/kb-search-worker.js",
        "assets/javascripts/lunr/",
        "assets/javascripts/workers/",
        "assets/kb-sort.js",
    ]
    policy = csp.path_policy(csp.script_paths(tmp_path, copied), ["'sha256-x'"], "/kb/")
    assert policy.startswith("script-src *:*/kb/assets/javascripts/bundle.1234abcd.min.js ")
    assert "'self'" not in policy and "'sha256-x'" in policy and "worker-src *:*/kb/assets/" in policy


def test_an_html_file_copied_from_docs_gets_no_hash(tmp_path):
    _tree(tmp_path, ["lectures/page.html", "404.html"])
    (tmp_path / "lectures" / "page.html").write_text("<script>editor()</script>", "utf-8")
    (tmp_path / "404.html").write_text("<script>theme()</script>", "utf-8")
    assert csp.inline_script_hashes(tmp_path, copied={"lectures/page.html"}) == [csp._hash("theme()")]


@pytest.mark.parametrize("name", ["x.js", "x.html", "x.svg"])
def test_the_real_docs_have_none(name):
    assert not [
        p
        for p in DOCS.rglob(f"*{Path(name).suffix}")
        if p.relative_to(DOCS).as_posix() not in active_content.PROJECT_SCRIPTS
    ]


@pytest.mark.parametrize(
    "tag",
    [
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "<META HTTP-EQUIV=refresh CONTENT='0; URL=https://evil.example/'>",
        '<meta\n  http-equiv="Set-Cookie" content="a=b">',
    ],
)
def test_a_meta_http_equiv_in_a_body_is_refused(tmp_path, tag):
    """Found in round 4: a body's <meta http-equiv="refresh"> sent every reader elsewhere, no script needed."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "lectures" / "2024-06-30-meta.md").write_text(
        f"---\ntitle: 跳转\ndate: 2024-06-30\n---\n\n正文。\n\n{tag}\n\n<!-- <meta http-equiv=refresh> in a comment -->\n\n"
        "As text: `<meta http-equiv=refresh>`\n\n```html\n<meta http-equiv=refresh>\n```\n\n    <meta http-equiv=refresh>\n",
        "utf-8",
    )
    result = run_kb("check", docs=docs)
    lines = [x for x in result.stdout.splitlines() if "2024-06-30-meta.md" in x]
    assert (
        result.returncode == 1 and len(lines) == 1 and "2024-06-30-meta.md:8: 正文里不能写 <meta http-equiv" in lines[0]
    )
