"""Files in docs/ that a browser would run: refused, except the project's own scripts.

MkDocs copies every file of docs/ that is not a page into the site as it is. A script there
(`.js`, a module), an HTML or XHTML page, or an XML-like document (SVG and XSLT can hold script)
would run on readers' browsers with the site's own address: a page body's `<script src=…>` or an
SVG's `<script href>` ran. So `kb check` and the build refuse each such file, naming it, unless it
is one of the project's own assets below (changed with the code, reviewed as code). Pages are
Markdown; pictures are JPEG, PNG or WebP (media.py reads every one).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from . import links
from .problems import Problem

# The project's own scripts in docs/ (mkdocs.yml's extra_javascript and the ones the theme's
# templates in overrides/ load); tests/test_active_content.py keeps this list and docs/assets/ equal.
PROJECT_SCRIPTS = frozenset(
    {
        "assets/kb-a11y.js",
        "assets/kb-lightbox.js",
        "assets/kb-material.js",
        "assets/kb-reader.js",
        "assets/kb-sort.js",
        "assets/javascripts/kb-search-worker.js",
    }
)

SCRIPTS = {".js", ".mjs", ".cjs", ".jsx", ".wasm"}
PAGES = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta"}
XML_LIKE = {".xml", ".xsl", ".xslt", ".rss", ".atom", ".rdf", ".xul", ".mml", ".svg", ".svgz"}
ACTIVE = SCRIPTS | PAGES | XML_LIKE


def problems(static_files: list[str], shown) -> list[Problem]:
    """A problem for every file of `static_files` (docs-relative) a browser would run.
    `shown(src)`: the path as the editor sees it."""
    found = []
    for src in static_files:
        suffix = PurePosixPath(src).suffix.lower()
        if suffix not in ACTIVE or src in PROJECT_SCRIPTS:
            continue
        if suffix in (".svg", ".svgz"):
            message = (
                "SVG 图片里可以藏有脚本和外部链接，网站不发布 SVG 文件。请用绘图软件把它导出为 PNG，"
                '再用 kb import photo 图片.png --to 页面.md --alt "图片内容" 放入。'
            )
        elif suffix in SCRIPTS:
            message = (
                f"这是脚本文件（{suffix}）。docs/ 里的脚本会在读者的浏览器中运行，网站不发布编辑放入的脚本。"
                "请删除它；网站需要新的功能时，请交给网站维护人员。"
            )
        else:
            kind = "网页" if suffix in PAGES else "XML 文档"
            message = (
                f"这是{kind}文件（{suffix}）。它会原样发布、在读者的浏览器中打开，其中的脚本也会运行，所以不发布。"
                "内容请写成 Markdown 页面（.md）；要提供下载的资料请存为 PDF 放入 files/ 文件夹。"
            )
        found.append(Problem(shown(src), 1, message))
    return found


# A <meta http-equiv> in a page body acts on the whole page: "refresh" sends every reader to another
# address (a script is not needed for that, and the policy cannot stop it), "set-cookie" and
# "content-security-policy" change what the site is. No page needs one: the theme writes the head.
_META = re.compile(r"<meta\b[^>]*\bhttp-equiv\b", re.I)


def body_problems(body: str, body_line: int, shown_src: str) -> list[Problem]:
    """A <meta http-equiv> anywhere in a body (HTML comments and code, which show it as text, aside)."""
    found = []
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", " ", m.group()), links._masked(body), flags=re.S)
    indented = [(m.start(), m.end()) for m in links._INDENTED.finditer(text)]
    for m in _META.finditer(text):
        if any(a <= m.start() < b for a, b in indented):
            continue  # an example in code, shown as text
        line = body_line + text.count("\n", 0, m.start())
        found.append(
            Problem(
                shown_src,
                line,
                "正文里不能写 <meta http-equiv …>：它作用于整个页面，例如 refresh 会把每位读者自动带到别的网址。"
                "请删除这个标记；要链接到别处，请写普通的链接。",
            )
        )
    return found
