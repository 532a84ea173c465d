"""Reading a docs tree into a KnowledgeBase: parse, validate, check across files, apply the edition.

`kb check` and the build both call `load_knowledge_base`, so an editor sees exactly the errors
the build would refuse.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from . import checks, history, schemas
from .frontmatter_parse import ParsedFile, read
from .model import DEFAULT_LANG, SLUG, Entry, KnowledgeBase, TranslatedPage, split_lang
from .problems import Problem, errors
from .validate import validate


def iter_markdown(docs_dir: Path) -> Iterable[str]:
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md"):
                yield Path(root, name).relative_to(docs_dir).as_posix()


def load_knowledge_base(
    docs_dir: Path | str,
    *,
    include_drafts: bool = False,
    edition: str = "public",
    display_root: Path | str | None = None,
    with_history: bool = True,
) -> KnowledgeBase:
    """Read and check every page under docs_dir.

    include_drafts: drafts are kept (for `mkdocs serve`); otherwise they are hidden.
    edition: "public" hides `visibility: members` pages; "members" keeps them.
    display_root: paths in messages are relative to this folder (default: docs_dir's parent).
    with_history: read last-updated dates from git (one `git log` call).
    """
    docs_dir = Path(docs_dir)
    root = Path(display_root) if display_root else docs_dir.parent
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    kb = KnowledgeBase(docs_dir)
    pending_translations: list[tuple[str, str, str, ParsedFile]] = []

    for src in iter_markdown(docs_dir):
        shown = shown_path(prefix, src)
        parsed = _read_cached(docs_dir / src, shown)
        kb.problems += parsed.problems
        if errors(parsed.problems):
            continue
        zh_src, lang = split_lang(src)
        if lang != DEFAULT_LANG:
            pending_translations.append((src, zh_src, lang, parsed))
            continue
        collection = schemas.collection_for(src)
        data, problems = validate(parsed, collection.model, shown)
        kb.problems += problems
        if collection in schemas.RECORD_COLLECTIONS or collection is schemas.PLAN:
            stem = src.rsplit("/", 1)[-1][: -len(".md")]
            if collection is not schemas.PLAN and not SLUG.match(stem):
                kb.problems.append(
                    Problem(
                        shown,
                        1,
                        f"文件名“{stem}.md”会成为网址，只能用小写英文字母、数字和“-”，例如 2024-03-15-changcheng-wenhua.md。请重命名。",
                    )
                )
        if data is not None:
            kb.entries[src] = Entry(src, collection, data, parsed.body, parsed)

    for src, zh_src, lang, parsed in pending_translations:
        shown = shown_path(prefix, src)
        original = kb.entries.get(zh_src)
        model = schemas.collection_for(zh_src).translation_model
        data, problems = validate(parsed, model, shown)
        kb.problems += problems
        if not (docs_dir / zh_src).exists():
            kb.problems.append(
                Problem(
                    shown,
                    1,
                    f"找不到对应的中文原文 {prefix}/{zh_src}。译文必须与中文页面同名、只多一个 .{lang}（例如 01.md 与 01.en.md）。",
                )
            )
        elif data is not None and original is not None:
            original.translations[lang] = TranslatedPage(src, lang, data, parsed.body, parsed)

    if with_history:
        dates = history.last_updated(docs_dir)
        for e in kb.entries.values():
            e.updated = dates.get(e.src)
            for t in e.translations.values():
                t.updated = dates.get(t.src)
    checks.check_references(kb, prefix)
    _apply_edition(kb, include_drafts=include_drafts, edition=edition)
    return kb


# Parsing is a pure function of a file's bytes, so a parsed file is reused while the file is
# unchanged: mkdocs-static-i18n loads the knowledge base once per language, and `mkdocs serve`
# once more per rebuild. Only parsing is cached; the knowledge base itself is built per build.
_PARSED: dict[tuple[str, str], tuple[tuple[int, int], ParsedFile]] = {}


def _read_cached(path: Path, shown: str) -> ParsedFile:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (str(path), shown)
    hit = _PARSED.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    parsed = read(path.read_bytes(), shown)
    _PARSED[key] = (stamp, parsed)
    return parsed


def shown_path(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def _apply_edition(kb: KnowledgeBase, *, include_drafts: bool, edition: str) -> None:
    """Remove drafts and members-only entries from this edition, and remember their files."""
    for src, e in list(kb.entries.items()):
        if (e.draft and not include_drafts) or (e.visibility == "members" and edition != "members"):
            kb.hidden.add(src)
            kb.hidden.update(t.src for t in e.translations.values())
            del kb.entries[src]
    kb._memo.clear()
