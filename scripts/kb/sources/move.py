"""`kb mv OLD NEW`: move a page so that its old address keeps working (issue 18 item 4).

Moves the Chinese page and its translations, and the files only it uses (photos, attachments)
that sit in its folder, keeping their place relative to the page; rewrites the moved page's
relative links and images so they still reach what they reached; rewrites other pages' Markdown
links to it; records the redirect old address -> new address in redirects.yml (and both
addresses in addresses.txt). Links in raw HTML and absolute links are left as written: the
redirect still takes readers from the old address to the new one.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content import addresses, links, site_config, urls
from ..content.collection import Registry
from ..content.model import SLUG
from ..content.urls import DEFAULT_LANG, LANGS, split_lang, translation_src

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)


class MoveError(Exception):
    """A refused move; the message is for editors (Chinese, names the file and the fix)."""


@dataclass
class MoveReport:
    moved: list[tuple[str, str]] = field(default_factory=list)  # docs-relative (old, new)
    relinked: list[str] = field(default_factory=list)  # other pages whose links were rewritten
    left: list[str] = field(default_factory=list)  # notes: references left as written
    redirect: tuple[str, str] = ("", "")


def _docs_relative(docs: Path, name: str) -> str:
    path = Path(name)
    candidates = [path] if path.is_absolute() else [Path.cwd() / path, docs / path]
    for candidate in candidates:
        try:
            return candidate.resolve().relative_to(docs.resolve()).as_posix()
        except ValueError:
            continue
    raise MoveError(f"{name} 不在 docs/ 里。请写 docs/ 下的页面文件，例如 docs/lectures/2024-03-01-x.md。")


def _split_front(text: str) -> tuple[str, str, str]:
    """(front matter block with its fences, front matter yaml, body)."""
    m = _FRONT.match(text)
    if not m:
        return "", "", text
    return m.group(0), m.group(1), text[m.end() :]


def _page_targets(src: str, text: str, docs: Path) -> set[str]:
    """Docs-relative files a page's body links to or shows, and its front matter names."""
    block, front, body = _split_front(text)
    found = links.targets(src, body)
    try:
        data = yaml.safe_load(front) if front else None
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        values = []
        for value in data.values():
            values += value if isinstance(value, list) else [value]
        for value in values:
            if isinstance(value, str) and "." in value and len(value) < 300:
                target = links.resolve(src, value)
                if target and (docs / target).is_file():
                    found.add(target)
    return found


def _relative(from_src: str, target: str, html: bool) -> str:
    """The relative reference from page from_src to docs-relative target, as Markdown (relative
    to the file) or raw HTML (relative to the page's directory URL) writes it."""
    return urls.html_link(target, from_src) if html else urls.source_link(target, from_src)


def _moved_target(target: str, html: bool, where: dict[str, str]) -> str:
    """Where a reference's target is after the move. Raw HTML names a page by its directory URL
    (lectures/x), Markdown by its file (lectures/x.md)."""
    if not html:
        return where.get(target, target)
    for page in (f"{target}.md", f"{target}/index.md", "index.md" if target == "" else None):
        if page and page in where:
            return urls.address(where[page]).strip("/")
    return where.get(target, target)


def _rewrite(text: str, src: str, new_src: str, where: dict[str, str]) -> tuple[str, int]:
    """The text of page src, to be written at new_src, with every relative reference that the
    move would break rewritten: references to what moved (`where`: old docs path -> new), and
    all of them when the page itself changes folder. Returns (text, number of changes).

    Front matter is left alone: the fields that name files (a record's cover) belong to records,
    which live in their collection's one folder, so a record only changes name, never folder,
    and its cover keeps its place beside it."""
    block, front, body = _split_front(text)
    changes = 0
    out, last = [], 0
    for link, offset, html in sorted(links.raw_targets(body), key=lambda t: t[1]):
        target = links.resolve(src, link, html)
        start = body.find(link, offset)
        if target is None or start < last:
            continue
        moved = _moved_target(target, html, where)
        if moved == target and posixpath.dirname(src) == posixpath.dirname(new_src):
            continue
        path, hashmark, fragment = link.partition("#")
        path, qmark, query = path.partition("?")
        new_link = _relative(new_src, moved, html)
        if path.endswith("/") and not new_link.endswith("/"):
            new_link += "/"
        new_link += qmark + query + hashmark + fragment
        if new_link != link:
            out += [body[last:start], new_link]
            last = start + len(link)
            changes += 1
    out.append(body[last:])
    body = "".join(out)
    return block + body, changes


def move(docs: Path, old: str, new: str, registry: Registry) -> MoveReport:
    """Move page OLD to NEW (paths as the editor types them); see the module's docstring."""
    docs = Path(docs)
    root = docs.parent
    old_src, old_lang = split_lang(_docs_relative(docs, old))
    new_src, new_lang = split_lang(_docs_relative(docs, new))
    shown_old, shown_new = f"docs/{old_src}", f"docs/{new_src}"
    if not old_src.endswith(".md") or not (docs / old_src).is_file():
        raise MoveError(f"找不到页面 {shown_old}。请写要移动的中文页面文件，例如 docs/lectures/2024-03-01-x.md。")
    if not new_src.endswith(".md"):
        raise MoveError(f"新文件名 {new} 必须以 .md 结尾，例如 docs/lectures/2024-03-01-y.md。")
    if new_src == old_src:
        raise MoveError("新旧文件相同，无需移动。")
    if old_src.rsplit("/", 1)[-1] == "index.md" or old_src in site_config.nav_pages():
        raise MoveError(
            f"{shown_old} 是首页或栏目页，网站的导航（mkdocs.yml 的 nav）和列表都指向它，不能用 kb mv 移动。"
            "只能移动栏目里的单个页面，例如 docs/lectures/2024-03-01-x.md。"
        )
    for lang in LANGS:
        target = translation_src(new_src, lang)
        if (docs / target).exists():
            raise MoveError(f"docs/{target} 已经存在。请换一个新文件名，或先处理那个文件。")
    parts = new_src[: -len(".md")].split("/")
    bad = [p for p in parts if not SLUG.match(p)]
    if bad:
        raise MoveError(
            f"新网址中的“{bad[0]}”不合适：文件夹和文件名会成为网址，只能用小写英文字母、数字和“-”，"
            "例如 docs/lectures/2024-03-01-changcheng-wenhua.md。"
        )
    if registry.collection_for(old_src) is not registry.collection_for(new_src):
        raise MoveError(
            f"{shown_old} 是“{registry.collection_for(old_src).titles['zh']}”，移到 {shown_new} 就成了"
            f"“{registry.collection_for(new_src).titles['zh']}”，字段要求不同。请在同一栏目内移动，"
            "或在新栏目用 kb new 新建页面、复制内容，再在 redirects.yml 中把旧网址指向它。"
        )
    old_address, new_address = urls.address(old_src), urls.address(new_src)

    # The pages to move: the Chinese page and its translations.
    pages = {old_src: new_src}
    for lang in LANGS:
        if lang != DEFAULT_LANG and (docs / translation_src(old_src, lang)).is_file():
            pages[translation_src(old_src, lang)] = translation_src(new_src, lang)
    texts = {src: (docs / src).read_text("utf-8") for src in pages}

    # Files only these pages use, in the page's folder or below it, move along.
    all_pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if p.is_file())
    others = {}
    for src in all_pages:
        if src not in pages:
            others[src] = (docs / src).read_text("utf-8")
    used_elsewhere = set()
    for src, text in others.items():
        used_elsewhere |= _page_targets(src, text, docs)
    old_dir, new_dir = posixpath.dirname(old_src), posixpath.dirname(new_src)
    where: dict[str, str] = dict(pages)
    report = MoveReport(redirect=(old_address, new_address))
    for src, text in texts.items():
        for target in sorted(_page_targets(src, text, docs)):
            if target.endswith(".md") or target in where or not (docs / target).is_file():
                continue
            inside = old_dir == "" or target.startswith(old_dir + "/")
            if target in used_elsewhere or not inside or old_dir == new_dir:
                continue
            rel = posixpath.relpath(target, old_dir or ".")
            moved = posixpath.normpath(posixpath.join(new_dir, rel))
            if (docs / moved).exists():
                report.left.append(f"docs/{target}（docs/{moved} 已存在，照片留在原处，链接已改为指向原处）")
                continue
            where[target] = moved

    # Write: moved pages with their references rewritten, files moved, other pages relinked.
    for src, text in texts.items():
        new_text, _ = _rewrite(text, src, pages[src], where)
        (docs / pages[src]).parent.mkdir(parents=True, exist_ok=True)
        (docs / pages[src]).write_text(new_text, "utf-8")
        (docs / src).unlink()
        report.moved.append((src, pages[src]))
    for target, moved in where.items():
        if target in pages:
            continue
        (docs / moved).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(docs / target, docs / moved)
        report.moved.append((target, moved))
    for src, text in others.items():
        # Only Markdown links to the moved pages: links.targets sees them as the .md path.
        _, _, body = _split_front(text)
        if not (links.targets(src, body) & set(pages)):
            continue
        new_text, changes = _rewrite(text, src, src, pages)
        if changes and new_text != text:
            (docs / src).write_text(new_text, "utf-8")
            report.relinked.append(src)
    for folder in {posixpath.dirname(s) for s in list(pages) + list(where)}:
        path = docs / folder
        while folder and path.is_dir() and not any(path.iterdir()):
            path.rmdir()
            folder = posixpath.dirname(folder)
            path = docs / folder

    # The redirect, and both addresses on record.
    redirects, _, problems = addresses.read_redirects(root)
    if problems:
        raise MoveError(f"{problems[0].path}:{problems[0].line}: {problems[0].message}")
    redirects = {old: (new_address if new == old_address else new) for old, new in redirects.items()}
    redirects.pop(new_address, None)
    redirects[old_address] = new_address
    addresses.write_redirects(root, redirects)
    recorded = {a for _, a in addresses.read_record(root)}
    addresses.write_record(root, recorded | {old_address, new_address})
    return report
