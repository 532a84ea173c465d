"""`kb import proposals FILE.xlsx`: the office's list of proposals into docs/proposals/ (sheet.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from ...content.problems import format_report
from ...sources import file_set
from . import sheet as proposal_sheet


def cmd_import_proposals(args) -> int:
    docs = Path(args.docs)
    kb = args.context.load(args.docs, include_drafts=True, edition="members", with_history=False)
    if not kb.ok:
        print(format_report(kb.problems), file=sys.stderr)
        print("错误：内容检查未通过，请先按上面的提示修改，再导入提案表。", file=sys.stderr)
        return 1
    from ...content.site_config import sessions

    plan = proposal_sheet.plan_import(kb, docs, args.file, year=args.year, sessions=sessions())
    for note in plan.notes:
        print(f"提示：{note}")
    if not plan.ok:
        print("\n".join(plan.problems), file=sys.stderr)
        print(f"共 {len(plan.problems)} 处需要修改；没有写入任何文件。", file=sys.stderr)
        return 1
    for write in plan.writes:
        print("\n".join(write.lines))
    created = sum(1 for w in plan.writes if w.new)
    summary = f"新建 {created} 件、更新 {len(plan.writes) - created} 件、{plan.unchanged} 件没有变化"
    if not plan.writes:
        print(f"提案表与网站内容一致（{plan.unchanged} 件），没有需要更新的内容。")
        return 0
    if args.dry_run:
        print(f"（试运行）{summary}；没有写入。去掉 --dry-run 即可写入。")
        return 0
    if not file_set.write_or_say({write.path: write.text.encode("utf-8") for write in plan.writes}):
        return 1
    print(f"{summary}。请运行 kb check，再用 git diff 查看改动。")
    return 0


def register(groups: dict, context) -> None:
    """Under `kb import`: `proposals`."""
    iq = groups["import"].add_parser(
        "proposals", help="用提案办理情况表（.xlsx 或 .csv）新建或更新 docs/proposals/ 的提案"
    )
    iq.add_argument("file", help="提案表文件，例如 2024年提案办理情况.xlsx")
    iq.add_argument("--year", type=int, help="年度（默认取自“年度”列、标题行、工作表名或文件名）")
    iq.add_argument("--dry-run", action="store_true", help="只逐件列出将要新建和更新的内容，不写入")
    iq.set_defaults(func=cmd_import_proposals, context=context)
