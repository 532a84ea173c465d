"""Which pages exist, by MkDocs' own file discovery, and the knowledge base read from them: the one
place the content model meets MkDocs' idea of a docs tree (`kb check` and the build both come here,
so an editor sees exactly the errors the build would refuse)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from mkdocs.structure.files import get_files
from mkdocs.utils import is_markdown_file

from ..collections import REGISTRY
from ..content import active_content, addresses, loader
from ..content.collection import Registry
from ..content.loader import shown_path
from ..content.model import KnowledgeBase
from ..content.problems import Problem


def load_knowledge_base(
    docs_dir: Path | str, *, config=None, registry: Registry = REGISTRY, **options
) -> KnowledgeBase:
    """`loader.read_knowledge_base` over the pages MkDocs would render (with the build's config
    when there is one), each against its collection in `registry` (every folder of
    scripts/kb/collections/); `options` as there (include_drafts, edition, display_root,
    with_history)."""
    site_url = config["site_url"] if config is not None else None
    pages: list[str] = []
    statics: set[str] = set()
    walked: list[bool] = []

    def discover(docs: Path, prefix: str) -> tuple[list[str], list[Problem]]:
        found, other, problems, whole = inventory_files(docs, prefix, config)
        pages.extend(found)
        statics.update(other)
        walked.append(whole)
        return found, problems

    kb = loader.read_knowledge_base(
        docs_dir, discover, registry, site_url=site_url or ("/" if config is not None else None), **options
    )
    # Addresses published before (addresses.txt beside docs/) must still lead somewhere: a page,
    # or a redirect in redirects.yml (content/addresses.py). Every page file counts, whatever the
    # edition: a page withheld from this edition is withheld on purpose.
    root = Path(docs_dir).parent
    shown = os.path.relpath(root, options.get("display_root") or root).replace(os.sep, "/")
    if all(walked):  # a tree not walked (a symlink in it) has no pages to hold addresses to
        kb.problems += addresses.check(
            root, addresses.current_addresses(pages, kb), shown="" if shown == "." else shown, static_files=statics
        )
    return kb


def inventory(docs_dir: Path, prefix: str, config=None) -> tuple[list[str], list[Problem]]:
    """The pages MkDocs will render from docs_dir and the problems with the tree (inventory_files)."""
    pages, _, problems, _ = inventory_files(docs_dir, prefix, config)
    return pages, problems


def inventory_files(docs_dir: Path, prefix: str, config=None) -> tuple[list[str], list[str], list[Problem], bool]:
    """The pages MkDocs will render from docs_dir, by MkDocs' own discovery (`get_files`, with the
    build's config when there is one), the other files it will publish, the files that must not be
    there, and whether the tree could be walked at all (not with a symlink in it).

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
                        f"这是一个符号链接（指向 {os.readlink(path)}）。docs/ 里不能有符号链接：网站会把它指向的内容一并发布，"
                        "指向自己或上级文件夹的链接还会让检查没完没了。请删除这个链接，把需要的文件本身复制进来；"
                        "删除之前，其他页面的检查都暂停（所以这里只报告链接）。",
                    )
                )
    if problems:
        return [], [], problems, False  # MkDocs' walk follows links (and loops): not walked at all
    files = get_files(config if config is not None else _minimal_config(docs_dir))
    pages, statics = [], []
    for f in files:
        if f.inclusion.is_excluded():
            continue
        shown = shown_path(prefix, f.src_uri)
        suffix = PurePosixPath(f.src_uri).suffix
        if not f.is_documentation_page():
            statics.append(f.src_uri)
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
    problems += active_content.problems(sorted(statics), lambda src: shown_path(prefix, src))
    return sorted(pages), sorted(statics), problems, True


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
