"""The comparison behind `python -m scripts.engine_check` (MkDocs against ProperDocs, run by
.ci/run): what counts as the same site."""

from __future__ import annotations

import gzip

from scripts import engine_check


def _site(root, files: dict[str, bytes]):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_only_the_generator_tag_and_gzip_headers_may_differ(tmp_path):
    page = b'<head><meta name="generator" content="%s"></head><body>x</body>'
    a = _site(
        tmp_path / "a",
        {"index.html": page % b"mkdocs-1.6.1", "s.xml.gz": gzip.compress(b"<urlset/>", mtime=1), "kb.css": b"p{}"},
    )
    b = _site(
        tmp_path / "b",
        {"index.html": page % b"ProperDocs 1.6.7", "s.xml.gz": gzip.compress(b"<urlset/>", mtime=2), "kb.css": b"p{}"},
    )
    assert engine_check.compare(a, b) == []


def test_other_differences_and_extra_files_are_reported(tmp_path):
    a = _site(tmp_path / "a", {"index.html": b"<p>one</p>", "shared.js": b"1"})
    b = _site(tmp_path / "b", {"index.html": b"<p>two</p>", "shared.js": b"1", "kb/atom.xml.j2": b"{{ x }}"})
    assert engine_check.compare(a, b) == ["only in properdocs's build: kb/atom.xml.j2", "differs: index.html"]
