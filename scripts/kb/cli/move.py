"""`kb mv OLD NEW`: a page moved with its translation and photos; its old address redirects."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..adapter import inventory
from ..collections import REGISTRY
from ..content import addresses
from ..sources import move


def _current_translations(docs: Path) -> dict[str, str]:
    """Translation src -> its Chinese src, for every translation up to date with its original."""
    kb = inventory.load_knowledge_base(docs, include_drafts=True, edition="members", with_history=False)
    return {
        t.src: e.src
        for e in kb.entries.values()
        for t in e.translations.values()
        if getattr(t.data, "source_hash", None) == e.source_hash()
    }


def _refresh_translations(docs: Path, before: dict[str, str], moved: dict[str, str]) -> list[str]:
    """Translations that were up to date before a move and whose original changed only by the
    move (its links rewritten) are marked up to date again, as `kb translated` would."""
    kb = inventory.load_knowledge_base(docs, include_drafts=True, edition="members", with_history=False)
    refreshed = []
    for src, zh_src in before.items():
        src, zh_src = moved.get(src, src), moved.get(zh_src, zh_src)
        entry = kb.entries.get(zh_src)
        path = docs / src
        if entry is None or not path.is_file():
            continue
        text = path.read_text("utf-8-sig")
        line = f"source_hash: {entry.source_hash()}"
        if re.search(r"(?m)^source_hash:.*$", text) and line not in text:
            path.write_text(re.sub(r"(?m)^source_hash:.*$", line, text, count=1), "utf-8")
            refreshed.append(src)
    return refreshed


def cmd_mv(args) -> int:
    docs = Path(args.docs)
    before = _current_translations(docs)
    try:
        report = move.move(docs, args.old, args.new, REGISTRY)
    except move.MoveError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for src in _refresh_translations(docs, before, dict(report.moved)):
        print(f"docs/{src} 的原文只改了链接：已记录为与原文一致")
    for old, new in report.moved:
        print(f"已移动 docs/{old} → docs/{new}")
    for src in report.relinked:
        print(f"已更新 docs/{src} 中指向它的链接")
    for note in report.left:
        print(f"未移动：{note}")
    old, new = report.redirect
    print(f"已在 {addresses.REDIRECTS} 中记录转址：{old} → {new}（英文版 /en{old} → /en{new}）。")
    print("请运行 kb check，然后提交所有改动（包括 redirects.yml 和 addresses.txt）。")
    return 0


def register(sub) -> None:
    mv = sub.add_parser("mv", help="移动或改名页面，旧网址自动转到新网址")
    mv.add_argument("old", help="要移动的中文页面，例如 docs/lectures/2024-03-01-x.md（译文和照片一起移动）")
    mv.add_argument("new", help="新的文件名，例如 docs/lectures/2024-03-01-y.md")
    mv.set_defaults(func=cmd_mv)
