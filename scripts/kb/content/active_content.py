"""Files in docs/ that a browser would run: refused, except the project's own scripts.

MkDocs copies every file of docs/ that is not a page into the site as it is. A script there
(`.js`, a module), an HTML or XHTML page, or an XML-like document (SVG and XSLT can hold script)
would run on readers' browsers with the site's own address: a page body's `<script src=…>` or an
SVG's `<script href>` ran. So `kb check` and the build refuse each such file, naming it, unless it
is one of the project's own assets below (changed with the code, reviewed as code). Pages are
Markdown; pictures are JPEG, PNG or WebP (media.py reads every one).
"""

from __future__ import annotations

from pathlib import PurePosixPath

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
                '再用 python -m scripts.kb import photo 图片.png --to 页面.md --alt "图片内容" 放入。'
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
