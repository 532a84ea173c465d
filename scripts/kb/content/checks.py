"""Checks across files: references between records, markers, translations and links; and each
collection's own (`Extension.checks`, in its folder: a plan's numbering, proposal numbers)."""

from __future__ import annotations

import posixpath
import re

from . import links, markers
from .derived import derived_pages
from .model import LANGS, Entry, KnowledgeBase, split_lang
from .problems import Problem


def _shown(prefix: str, src: str) -> str:
    return f"{prefix}/{src}" if prefix != "." else src


def check_references(kb: KnowledgeBase, prefix: str) -> None:
    for extension in kb.registry.all_extensions():
        for check in extension.checks:
            check(kb, prefix)
    for e in kb.entries.values():
        shown = _shown(prefix, e.src)
        for src, parsed in [(e.src, e.parsed)] + [(t.src, t.parsed) for t in e.translations.values()]:
            for line, message in markers.marker_problems(parsed.body, e.src, kb):
                kb.problems.append(Problem(_shown(prefix, src), parsed.body_line + line - 1, message))
        if e.translations:
            check_translations(kb, e, prefix)
        for ref in e.collection.refs:
            for i, value in enumerate(getattr(e.data, ref.field, None) or []):
                if kb.referenced(ref, value) is None:
                    kb.problems.append(
                        Problem(shown, e.parsed.line_of((ref.field, i)), ref.missing.format(ref=value, prefix=prefix))
                    )


def check_translations(kb: KnowledgeBase, e: Entry, prefix: str) -> None:
    """A translation records the fingerprint of the Chinese text it was made from (`kb translated`);
    when the Chinese page changes afterwards, the translation is reported as stale."""
    current = e.source_hash()
    for t in e.translations.values():
        recorded = getattr(t.data, "source_hash", None)
        if recorded == current:
            continue
        if recorded is None:
            why = "没有记录它依据的中文原文版本"
        else:
            why = "对应的中文原文在翻译之后改动过"
        kb.problems.append(
            Problem(
                _shown(prefix, t.src),
                1,
                f"译文可能已过期：{why}（中文原文 {_shown(prefix, e.src)}）。请对照原文更新译文，"
                f"然后运行 kb translated {_shown(prefix, t.src)}。",
                severity="warning",
            )
        )


def check_links_to_hidden_pages(kb: KnowledgeBase, prefix: str, site_url: str) -> None:
    """A page may not link to a page that an edition showing it leaves out: the public site has
    no members-only pages, and no edition has drafts. Checked before any edition is applied, so
    `kb check` (which keeps everything) reports what either edition's build would break on.

    Absolute links (`/lectures/x/`, or the site's own address) count too: MkDocs leaves them as
    written, so the link would publish the hidden page's address, a slug of its title."""
    for e in kb.entries.values():
        for src, body, parsed in [(e.src, e.body, e.parsed)] + [
            (t.src, t.body, t.parsed) for t in e.translations.values()
        ]:
            for link, offset, html in links.raw_targets(body):
                target_src = links.resolve(src, link, html)
                if target_src is None:
                    target_src = links.resolve_absolute(link, site_url, LANGS)
                if target_src is None:
                    continue
                target = _page_at(kb, target_src)
                if target is None or target is e:
                    continue
                if e.visibility == "public" and target.visibility == "members":
                    why = "仅在委员版中出现（visibility: members），公开网站上没有它"
                elif not e.draft and target.draft:
                    why = "是草稿（draft: true），发布的网站上没有它"
                else:
                    continue
                kb.problems.append(
                    Problem(
                        _shown(prefix, src),
                        parsed.body_line + body.count("\n", 0, offset),
                        f"这里链接到 {_shown(prefix, target.src)}，但那个页面{why}，链接会失效。"
                        "请删掉这个链接，或者先把那个页面公开。",
                    )
                )


def check_missing_link_targets(kb: KnowledgeBase, prefix: str) -> None:
    """A Markdown link to a page that is not in docs/ fails the strict build (MkDocs' "target is
    not found"), so `kb check` reports it first, with the line and the fix. (Links to other files
    are checked with the photos and attachments, in media.py.)"""
    derived = {p.src for p in derived_pages(kb)}  # the task breakdown, full text… the build writes
    for e in kb.entries.values():
        for src, body, parsed in [(e.src, e.body, e.parsed)] + [
            (t.src, t.body, t.parsed) for t in e.translations.values()
        ]:
            for link, offset in links.markdown_links(body):
                target = links.resolve(src, link)
                if target is None or not target.endswith(".md"):
                    continue  # URLs and anchors; files and images are checked with the photos (media.py)
                path = kb.docs_dir / target
                if split_lang(target)[0] in derived or target in derived:
                    continue
                if path.is_file() and not any(part.startswith(".") for part in target.split("/")):
                    continue
                kb.problems.append(
                    Problem(
                        _shown(prefix, src),
                        parsed.body_line + body.count("\n", 0, offset),
                        f"链接“{link}”指向的页面不存在：找不到 {_shown(prefix, target)}。"
                        "请检查文件名（区分大小写）和相对路径（相对于本页所在的文件夹），或者删掉这个链接。",
                    )
                )


def _page_at(kb: KnowledgeBase, target_src: str) -> Entry | None:
    """The entry a link lands on: `x.md`, its translation `x.en.md`, or a folder URL `x/`."""
    if target_src.endswith(".md"):
        candidates = [target_src]
    else:
        candidates = [target_src + ".md", posixpath.join(target_src, "index.md")]
    for candidate in candidates:
        zh_src, _ = split_lang(candidate)
        if zh_src in kb.entries:
            return kb.entries[zh_src]
    return None


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_US_DATE = re.compile(rf"\b({_MONTHS}) (\d{{1,2}}), (\d{{4}})\b")


def check_english_dates(kb: KnowledgeBase, prefix: str) -> None:
    """English pages write dates as the site does everywhere else, "12 January 2024": a
    translation's "January 12, 2024" is named with its line and the form to use."""
    for e in kb.entries.values():
        for t in e.translations.values():
            if t.lang != "en":
                continue
            for m in _US_DATE.finditer(t.body):
                line = t.parsed.body_line + t.body.count("\n", 0, m.start())
                kb.problems.append(
                    Problem(
                        _shown(prefix, t.src),
                        line,
                        f"英文日期请写成“{m.group(2)} {m.group(1)} {m.group(3)}”（日 月 年），与网站其他地方的英文日期一致；"
                        f"这里写的是“{m.group(0)}”。",
                        severity="warning",
                    )
                )
