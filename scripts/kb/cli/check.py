"""`kb check` (every page against its collection) and `kb addresses` (record the pages' addresses)."""

from __future__ import annotations

from pathlib import Path

from ..adapter import inventory
from ..content import addresses, model
from ..content.problems import Problem, errors, format_report
from .common import shown


def cmd_check(args) -> int:
    kb = inventory.load_knowledge_base(args.docs, include_drafts=True, edition="members", display_root=Path.cwd())
    kb.problems += _unrecorded_addresses(Path(args.docs), kb)
    print(format_report(kb.problems))
    failing = kb.problems if args.strict else errors(kb.problems)
    return 1 if failing else 0


def _current_addresses(docs: Path, kb: model.KnowledgeBase) -> set[str]:
    pages, _ = inventory.inventory(docs, "docs")
    return addresses.current_addresses(pages, kb)


def _unrecorded_addresses(docs: Path, kb: model.KnowledgeBase) -> list:
    """A warning when pages' addresses are not yet in addresses.txt (only where the file exists)."""
    missing = addresses.unrecorded(docs.parent, _current_addresses(docs, kb))
    if not missing:
        return []
    record = shown(docs.parent / addresses.RECORD)
    examples = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
    return [
        Problem(
            record,
            1,
            f"{len(missing)} 个页面的网址（{examples}）还没有登记。发布前请运行 kb addresses，"
            f"并把 {addresses.RECORD} 一起提交：登记过的网址以后改名或移动时会自动转到新网址。",
            "warning",
        )
    ]


def cmd_addresses(args) -> int:
    docs = Path(args.docs)
    kb = inventory.load_knowledge_base(docs, include_drafts=True, edition="members", display_root=Path.cwd())
    current = _current_addresses(docs, kb)
    recorded = {a for _, a in addresses.read_record(docs.parent)}
    added = sorted(current - recorded)
    addresses.write_record(docs.parent, recorded | current)
    print(f"{shown(docs.parent / addresses.RECORD)}：新登记 {len(added)} 个网址，共 {len(recorded | current)} 个。")
    for a in added:
        print(f"  {a}")
    return 0


def register(sub) -> None:
    c = sub.add_parser("check", help="检查所有页面的元数据")
    c.add_argument("--strict", action="store_true", help="警告（如译文过期）也算失败")
    c.set_defaults(func=cmd_check)
    ad = sub.add_parser("addresses", help="把现有页面的网址登记到 addresses.txt")
    ad.set_defaults(func=cmd_addresses)
