"""Nothing is read from outside docs/ or written outside the site folder (issue 32): a page that
shows a photo by a path climbing out of docs/ is refused by `kb check` naming the line, and the
build neither reads that file nor writes its copies beside it."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from kb_testlib import DOCS, run_kb
from scripts.kb.adapter import runner


@pytest.mark.parametrize(
    "shown",
    [
        "![家里的照片](../../outside/home.jpg)",
        # raw HTML is resolved from the page's address, one folder deeper: this one passed kb check,
        # and the build read the photo and wrote its copies beside it, outside the site
        '<img src="../../../outside/home.jpg" alt="家里的照片">',
    ],
)
def test_a_photo_outside_docs_is_neither_read_nor_copied(tmp_path, shown):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    outside = tmp_path / "outside"
    outside.mkdir()
    Image.new("RGB", (1200, 800), "steelblue").save(outside / "home.jpg")
    (docs / "lectures" / "2024-06-11-outside.md").write_text(
        f"---\ntitle: 外面的照片\ndate: 2024-06-11\n---\n\n{shown}\n", "utf-8"
    )
    result = run_kb("check", docs=docs)
    assert result.returncode == 1
    assert "docs/lectures/2024-06-11-outside.md:6: 图片“" in result.stdout and "在 docs/ 文件夹以外" in result.stdout
    site = tmp_path / "site"
    build = runner.build(docs, site)
    assert build.returncode != 0 and "Traceback" not in build.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["home.jpg"]  # no copies written beside it
