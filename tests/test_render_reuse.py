"""English fallback pages take the Chinese page's conversion (scripts/kb/adapter/render_reuse.py):
the site is the same byte for byte as when every page is converted, and a page is only reused when
its Markdown is the same text and its HTML holds no relative address."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from kb_testlib import TEST_SITE_URL, build_tree
from scripts.kb.adapter import render_reuse, runner


def _files(site: Path) -> list[Path]:
    return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())


def test_site_is_the_same_when_every_page_is_converted(edited_content, tmp_path):
    # the edited docs hold records `kb new` made today, with no English text: their English pages
    # are fallbacks; one of them links to another page and shows a photo, so it is converted again
    docs = edited_content.docs
    fallbacks = [
        p for p in docs.rglob("*.md") if not p.name.endswith(".en.md") and not p.with_suffix(".en.md").exists()
    ]
    assert fallbacks, "the edited docs should hold pages with no English text"
    result = runner.build(docs, tmp_path / "site", env={"KB_RENDER_REUSE": "off", "KB_SITE_URL": TEST_SITE_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    converted = tmp_path / "site"
    files = _files(edited_content.site)
    assert files == _files(converted)
    differing = [str(f) for f in files if (edited_content.site / f).read_bytes() != (converted / f).read_bytes()]
    assert differing == []


def test_a_fallback_page_with_a_relative_address_is_converted_again(edited_content, tmp_path):
    # an asset is not mirrored under en/: from en/lectures/x/ its relative address is one ../ longer
    docs = tmp_path / "docs"
    shutil.copytree(edited_content.docs, docs)
    record = next(
        p
        for p in sorted((docs / "lectures").glob("*.md"))
        if "测试新增" in p.read_text("utf-8") and not p.with_suffix(".en.md").exists()
    )
    record.write_text(record.read_text("utf-8") + "\n见[样式表](../assets/kb.css)。\n", "utf-8")
    site = build_tree(docs, tmp_path)
    for page in (site / "lectures" / record.stem, site / "en" / "lectures" / record.stem):
        html = (page / "index.html").read_text("utf-8")
        href = re.search(r'href="([^"]*kb\.css)">样式表', html).group(1)
        assert (page / href).resolve() == (site / "assets" / "kb.css").resolve(), (page, href)


def _page(src: str, markdown: str, content: str, locale: str = "zh", abs_src: str | None = None):
    file = SimpleNamespace(src_uri=src, abs_src_path=abs_src or f"/nonexistent/{src}", locale=locale)
    return SimpleNamespace(
        file=file,
        markdown=markdown,
        content=content,
        toc=["toc"],
        _title_from_render="T",
        present_anchor_ids={"a"},
        title="标题",
        meta={},
    )


def _config(lang: str):
    return SimpleNamespace(theme={"language": lang})


def test_reuse_gives_the_kept_conversion_once_and_only_for_the_same_markdown():
    reuse = render_reuse.RenderReuse()
    reuse.remember(_page("lectures/a.md", "正文", "<p>正文</p>"), _config("zh"))
    reuse.remember(_page("lectures/b.md", "正文", '<p><a href="../c/">c</a></p>'), _config("zh"))
    reuse.remember(_page("lectures/d.md", "正文", "<p>正文</p>"), _config("zh"))

    en = _page("lectures/a.md", "正文", None)
    reuse.offer("正文", en, _config("en"))
    en.render(None, None)
    assert (en.content, en.toc, en._title_from_render, en.present_anchor_ids) == ("<p>正文</p>", ["toc"], "T", {"a"})
    assert "render" not in vars(en)  # the class's own method again
    assert en.meta == {"search": {"exclude": True}}  # its entries would repeat the Chinese page's

    again = _page("lectures/a.md", "正文", None)
    reuse.offer("正文", again, _config("en"))  # given once: the kept conversion is gone
    assert "render" not in vars(again)

    relative = _page("lectures/b.md", "正文", None)
    reuse.offer("正文", relative, _config("en"))  # a relative address differs one folder deeper
    assert "render" not in vars(relative)

    changed = _page("lectures/d.md", "正文", None)
    reuse.offer("另一段正文", changed, _config("en"))  # a marker rendered in English, say
    assert "render" not in vars(changed)

    reuse.remember(_page("lectures/e.md", "正文", "<p>正文</p>"), _config("zh"))
    retitled = _page("lectures/e.md", "正文", None)
    retitled.title = "Title"
    reuse.offer("正文", retitled, _config("en"))  # reused, but its search entries differ: indexed
    assert "render" in vars(retitled) and retitled.meta == {}

    reuse.remember(_page("lectures/f.md", "正文", "<p>正文</p>"), _config("zh"))
    material = _page("lectures/f.md", "正文", None)
    reuse.offer("正文", material, _config("en"), deduplicated_search=False)  # KB_SEARCH=material
    assert "render" in vars(material) and material.meta == {}


def test_translated_pages_are_not_kept(tmp_path):
    (tmp_path / "a.md").write_text("正文", "utf-8")
    (tmp_path / "a.en.md").write_text("Text", "utf-8")
    reuse = render_reuse.RenderReuse()
    reuse.remember(_page("a.md", "正文", "<p>正文</p>", abs_src=str(tmp_path / "a.md")), _config("zh"))
    page = _page("a.md", "正文", None, locale="en")
    reuse.offer("正文", page, _config("en"))
    assert "render" not in vars(page)
    assert reuse._kept == {}
