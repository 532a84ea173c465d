"""Reading a docs tree into a KnowledgeBase: parse, validate, check across files, apply the edition.

`kb check` and the build both call `load_knowledge_base`, so an editor sees exactly the errors
the build would refuse.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from . import active_content, checks, history, links, media, personal_data, site_config, tag_names
from .collection import Registry
from .frontmatter_parse import ParsedFile, read
from .model import DEFAULT_LANG, SLUG, Entry, KnowledgeBase, TranslatedPage, split_lang
from .problems import Problem, errors
from .validate import validate

# (docs_dir, prefix for messages) -> (the pages to read, problems with the tree itself)
Discover = Callable[[Path, str], tuple[list[str], list[Problem]]]


def read_knowledge_base(
    docs_dir: Path | str,
    discover: Discover,
    registry: Registry,
    *,
    include_drafts: bool = False,
    edition: str = "public",
    display_root: Path | str | None = None,
    with_history: bool = True,
    site_url: str | None = None,
) -> KnowledgeBase:
    """Read and check every page under docs_dir that `discover` lists (the MkDocs adapter's
    `inventory`: MkDocs' own file discovery, so `kb check` sees exactly the pages the build renders),
    each against its collection in `registry` (scripts/kb/collections/).

    include_drafts: drafts are kept (for `mkdocs serve`); otherwise they are hidden.
    edition: "public" hides `visibility: members` pages; "members" keeps them.
    display_root: paths in messages are relative to this folder (default: docs_dir's parent).
    with_history: read last-updated dates from git (one `git log` call).
    site_url: the published address (links to it are checked like links within the site);
    mkdocs.yml's by default.
    """
    docs_dir = Path(docs_dir)
    root = Path(display_root) if display_root else docs_dir.parent
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    kb = KnowledgeBase(docs_dir, registry)
    pending_translations: list[tuple[str, str, str, ParsedFile]] = []

    pages, kb.problems = discover(docs_dir, prefix)
    for src in pages:
        shown = shown_path(prefix, src)
        parsed = _read_cached(docs_dir / src, shown)
        kb.problems += parsed.problems
        zh_src, lang = split_lang(src)
        if errors(parsed.problems):
            if lang == DEFAULT_LANG:
                kb.invalid.add(src)
            continue
        if lang != DEFAULT_LANG:
            pending_translations.append((src, zh_src, lang, parsed))
            continue
        collection = registry.collection_for(src)
        data, problems = validate(parsed, collection.model, shown)
        kb.problems += problems
        if collection.is_record:
            stem = src.rsplit("/", 1)[-1][: -len(".md")]
            if not SLUG.match(stem):
                kb.problems.append(
                    Problem(
                        shown,
                        1,
                        f"文件名“{stem}.md”会成为网址，只能用小写英文字母、数字和“-”，例如 2024-03-15-changcheng-wenhua.md。请重命名。",
                    )
                )
        if data is not None:
            kb.entries[src] = Entry(src, collection, data, parsed.body, parsed)
        else:
            kb.invalid.add(src)

    for src, zh_src, lang, parsed in pending_translations:
        shown = shown_path(prefix, src)
        original = kb.entries.get(zh_src)
        model = registry.collection_for(zh_src).translation_model
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
        times = history.last_changed(docs_dir)
        for page in [*kb.entries.values(), *(t for e in kb.entries.values() for t in e.translations.values())]:
            page.changed = times.get(page.src)
            page.updated = page.changed.date() if page.changed else None
    checks.check_references(kb, prefix)
    if site_url is None:  # `kb check`: mkdocs.yml itself (a build checks the config it was given)
        kb.problems += site_config.identity_problems()
    site_url = site_url if site_url is not None else site_config.site_url()
    checks.check_links_to_hidden_pages(kb, prefix, site_url or "/")
    checks.check_missing_link_targets(kb, prefix)
    checks.check_english_dates(kb, prefix)
    kb.problems += tag_names.check(kb, prefix)
    kb.problems += media.check(kb, prefix)
    # Before the edition is applied: a members-only page's personal data is a warning in both.
    kb.problems += personal_data.check(kb, lambda src: shown_path(prefix, src))
    for e in kb.entries.values():
        for src, parsed in [(e.src, e.parsed)] + [(t.src, t.parsed) for t in e.translations.values()]:
            kb.problems += active_content.body_problems(parsed.body, parsed.body_line, shown_path(prefix, src))
    _apply_edition(kb, include_drafts=include_drafts, edition=edition)
    return kb


# Parsing is a pure function of a file's bytes, so a parsed file is reused while the file is
# unchanged: mkdocs-static-i18n loads the knowledge base once per language, and `mkdocs serve`
# once more per rebuild. Only parsing is cached; the knowledge base itself is built per build.
_PARSED: dict[tuple[str, str], tuple[tuple[int, int], ParsedFile]] = {}


def forget_parsed() -> None:
    """Parse every file afresh next time (a file rewritten within one tick of the file system's
    clock, with the same size, would otherwise be taken as unchanged)."""
    _PARSED.clear()


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
    """Remove drafts and members-only entries from this edition, and remember their files: the
    pages, and what only they link to or show (a PDF or a photo beside a members-only record)."""
    used_by_hidden: set[str] = set()
    used_by_shown: set[str] = set()
    for src, e in list(kb.entries.items()):
        targets = {t for page_src, body in e.bodies() for t in links.targets(page_src, body)}
        targets |= links.front_matter_targets(e.src, e.data, kb.docs_dir)
        cover = getattr(e.data, "cover", None)
        if cover:  # shown in listings, so it goes (or stays) with its record
            targets.add(media.resolve(src, cover))
        if (e.draft and not include_drafts) or (e.visibility == "members" and edition != "members"):
            kb.hidden.add(src)
            kb.hidden.update(t.src for t in e.translations.values())
            del kb.entries[src]
            used_by_hidden |= targets
        else:
            used_by_shown |= targets
    kb.hidden_files = {t for t in used_by_hidden - used_by_shown if not t.endswith(".md")}
    kb._memo.clear()
