"""Reading a docs tree into a KnowledgeBase: parse, validate, check across files, apply the edition.

`kb check` and the build both call `load_knowledge_base`, so an editor sees exactly the errors
the build would refuse.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from mkdocs.structure.files import get_files
from mkdocs.utils import is_markdown_file

from . import checks, history, links, media, schemas, site_config
from .frontmatter_parse import ParsedFile, read
from .model import DEFAULT_LANG, SLUG, Entry, KnowledgeBase, TranslatedPage, split_lang
from .problems import Problem, errors
from .validate import validate


def inventory(docs_dir: Path, prefix: str, config=None) -> tuple[list[str], list[Problem]]:
    """The pages MkDocs will render from docs_dir, by MkDocs' own discovery (`get_files`, with the
    build's config when there is one), and the files that must not be there.

    Only `.md` pages are accepted: every path, URL and translation rule here is written for it,
    and a `.markdown` page would otherwise be published unchecked. Symlinks are refused (MkDocs
    follows them, and would publish whatever they point to, anywhere on the machine), and so is a
    Markdown-looking file whose extension MkDocs does not recognise (`.MD`), which it copies
    raw, front matter and all."""
    problems = []
    for root, dirs, files in os.walk(docs_dir):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(root, name)
            if path.is_symlink():
                rel = path.relative_to(docs_dir).as_posix()
                problems.append(
                    Problem(
                        shown_path(prefix, rel),
                        1,
                        f"这是一个符号链接（指向 {os.readlink(path)}）。docs/ 里不能有符号链接：网站会把它指向的内容一并发布。"
                        "请删除这个链接，把需要的文件本身复制进来。",
                    )
                )
    if problems:
        return [], problems  # MkDocs' walk follows links (and loops): not walked at all
    files = get_files(config if config is not None else _minimal_config(docs_dir))
    pages = []
    for f in files:
        if f.inclusion.is_excluded():
            continue
        shown = shown_path(prefix, f.src_uri)
        suffix = PurePosixPath(f.src_uri).suffix
        if f.is_documentation_page():
            if suffix == ".md":
                pages.append(f.src_uri)
            else:
                problems.append(
                    Problem(shown, 1, f"页面文件的扩展名必须是 .md（现在是 {suffix}）。请把文件重命名为 .md 结尾。")
                )
        elif is_markdown_file(f.src_uri.lower()):
            problems.append(
                Problem(
                    shown,
                    1,
                    f"扩展名“{suffix}”有大写字母：网站不会把它当作页面，而会原样发布（连同 front matter）。"
                    "请把扩展名改为小写 .md。",
                )
            )
    return sorted(pages), problems


def _minimal_config(docs_dir: Path) -> dict:
    """What `get_files` reads from a config, with MkDocs' defaults (mkdocs.yml sets none of them)."""
    return {
        "docs_dir": str(docs_dir),
        "site_dir": str(docs_dir.parent / "site"),
        "use_directory_urls": True,
        "exclude_docs": None,
        "draft_docs": None,
        "not_in_nav": None,
    }


def iter_markdown(docs_dir: Path) -> Iterable[str]:
    """Every page `kb check` and the build validate (see `inventory`)."""
    return inventory(Path(docs_dir), ".")[0]


def load_knowledge_base(
    docs_dir: Path | str,
    *,
    include_drafts: bool = False,
    edition: str = "public",
    display_root: Path | str | None = None,
    with_history: bool = True,
    config=None,
) -> KnowledgeBase:
    """Read and check every page under docs_dir.

    include_drafts: drafts are kept (for `mkdocs serve`); otherwise they are hidden.
    edition: "public" hides `visibility: members` pages; "members" keeps them.
    display_root: paths in messages are relative to this folder (default: docs_dir's parent).
    with_history: read last-updated dates from git (one `git log` call).
    config: the build's MkDocs config, whose file discovery decides which pages exist.
    """
    docs_dir = Path(docs_dir)
    root = Path(display_root) if display_root else docs_dir.parent
    prefix = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    kb = KnowledgeBase(docs_dir)
    pending_translations: list[tuple[str, str, str, ParsedFile]] = []

    pages, kb.problems = inventory(docs_dir, prefix, config)
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
        else:
            kb.invalid.add(src)

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
        times = history.last_changed(docs_dir)
        for page in [*kb.entries.values(), *(t for e in kb.entries.values() for t in e.translations.values())]:
            page.changed = times.get(page.src)
            page.updated = page.changed.date() if page.changed else None
    checks.check_references(kb, prefix)
    site_url = config["site_url"] if config is not None else site_config.site_url()
    checks.check_links_to_hidden_pages(kb, prefix, site_url or "/")
    checks.check_missing_link_targets(kb, prefix)
    kb.problems += media.check(kb, prefix)
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
