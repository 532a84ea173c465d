"""The plan's `kb` commands: `kb import plan` (a year's pages from the issued text, a Word file or a
PDF, with its attachment's task breakdown; `--check` compares), `kb import tasks` (the office's
task sheet back into the points) and `kb export tasks` (the sheet as the build publishes it)."""

from __future__ import annotations

import sys
from pathlib import Path

from ...content.problems import format_report
from ...content.site_config import site_url
from ...sources import file_set, frontmatter_edit, word
from . import fidelity as plan_fidelity
from . import queries as plan_queries
from . import source_text as plan_text
from . import task_sheet, task_table
from .model import WorkPoint


def cmd_import_plan(args) -> int:
    try:
        raw = word.read_source(args.file)
    except (OSError, word.WordError) as exc:
        print(f"错误：{args.context.unreadable(args.file, exc)}", file=sys.stderr)
        return 1
    # A Word plan becomes the text form first, so every rule of the text applies to it as well.
    original, kind, lines = raw, word.identify(raw), None
    if kind in ("docx", "pdf"):
        try:
            lines = (
                word.plan_lines(raw, args.file)
                if kind == "docx"
                else word.pdf_plan_lines(raw, args.file, plan_text.BLOCK_STARTS)
            )
        except word.WordError as exc:
            print(f"错误：{exc}\n没有写入任何文件。", file=sys.stderr)
            return 1
        raw = lines.text.encode("utf-8")
    elif kind != "text":
        print(f"错误：{word.refusal(kind, args.file)}\n没有写入任何文件。", file=sys.stderr)
        return 1
    else:
        raw, came_as = plan_text.as_utf8(raw)
        if came_as:
            print(f"{args.file}: 这个文本文件是 {came_as} 编码，已按此读取；sources/ 里保存的是 UTF-8 文本。")
    try:
        plan = plan_text.parse(raw, args.file, year=args.year)
    except plan_text.PlanTextError as exc:
        if lines is not None:
            place = lines.at(exc.line).replace(" ", "")
            advice = f"\n{lines.advice}" if lines.advice else ""
            exc = f"{args.file}:{place}: {word.located_message(exc.message, lines)}{advice}"
        print(f"{exc}\n没有写入任何文件。", file=sys.stderr)
        return 1
    tasks = None if args.check else task_table.read(plan)
    if tasks is not None and tasks.problems:
        for line, message in tasks.problems:
            place = lines.at(line).replace(" ", "") if lines is not None else str(line)
            shown = word.located_message(message, lines) if lines is not None else message
            print(f"{args.file}:{place}: {shown}", file=sys.stderr)
        advice = f"{lines.advice}\n" if lines is not None and lines.advice else ""
        print(f"{advice}共 {len(tasks.problems)} 处需要修改；没有写入任何文件。", file=sys.stderr)
        return 1
    docs = Path(args.docs)
    folder = docs / "plan" / str(plan.year)
    pages = plan_text.pages(plan)
    sources = docs.resolve().parent / "sources"
    stored = sources / f"{plan.year}-work-points.txt"
    # the Word file (or PDF) is kept beside the text extracted from it
    stored_original = sources / f"{plan.year}-work-points.{kind}" if lines is not None else None

    if args.check:
        present = {
            name: (folder / name).read_text("utf-8-sig") if (folder / name).is_file() else None for name in pages
        }
        differences = plan_text.compare(plan, present)
        rendered = not differences
        if rendered:
            # The Markdown is what the importer writes; is what readers see the text, too?
            kb = args.context.load(docs, edition="public", with_history=False)
            differences = plan_fidelity.rendered_differences(plan, kb)
        for d in differences:
            page = d.name if d.name.startswith("/") else args.context.shown(folder / d.name)
            print(f"{page}: 与原文 {args.file} 不一致：{d.what}")
        if lines is not None and stored.is_file() and stored.read_bytes() != raw:
            print(
                f"{args.context.shown(stored)}: 与从 {args.file} 重新提取的文字不一致。如果 Word 原文是对的，运行 "
                f"kb import plan {args.file} --update 重新导入。"
            )
            return 1
        if differences and rendered:
            print(
                f"{len({d.name for d in differences})} 个页面的 Markdown 与导入程序写出的一致，但网页上显示的文字与原文不同："
                "原文中有导入程序未能转义的写法。请不要手工改动这些页面，把原文文件和以上信息交给网站维护人员。"
            )
            return 1
        if differences:
            pages_named = len({d.name for d in differences})
            print(
                f"{pages_named} 个页面与原文不一致。如果原文是对的，运行 kb import plan {args.file} --update "
                "按原文改回（编辑填写的状态、进度等会保留）。"
            )
            return 1
        print(f"{args.context.shown(folder)}/ 的 {len(pages)} 个页面与原文 {args.file} 一致。")
        return 0

    if (folder / "index.md").exists() and not args.update:
        print(
            f"错误：{args.context.shown(folder)}/ 已有 {plan.year} 年的工作要点，没有写入任何文件。"
            f"如果要按新的原文替换文字、同时保留编辑填写的状态、进度、牵头单位等，请加 --update；"
            f"如果年度不对，请用 --year 指定。",
            file=sys.stderr,
        )
        return 1
    dropped = sorted(p.name for p in folder.glob("[0-9][0-9].md") if p.name not in pages) if folder.is_dir() else []
    if dropped:
        names = "、".join(args.context.shown(folder / n) for n in dropped)
        print(
            f"错误：原文中没有 {names} 对应的工作要点，没有写入任何文件。请确认原文无误后，先把这些页面"
            f"（连同 .en.md 译文）删除或移走，再重新导入。",
            file=sys.stderr,
        )
        return 1
    for kept, content in ((stored, raw), (stored_original, original)):
        if kept is not None and kept.exists() and kept.read_bytes() != content and not args.update:
            print(
                f"错误：{args.context.shown(kept)} 已存在且与 {args.file} 不同，没有写入任何文件。要用新的原文替换，请加 --update。",
                file=sys.stderr,
            )
            return 1

    writes: dict[Path, str] = {}
    for name, (kind, values, body) in pages.items():
        path = folder / name
        point_tasks = (
            tasks.points[values["number"]].fields() if kind == "point" and values["number"] in tasks.points else {}
        )
        if path.is_file():
            old = path.read_text("utf-8-sig")
            new = _fill_blank_fields(plan_text.merge(old, kind, values, body), point_tasks, path)
            if new != old:
                writes[path] = new
        else:
            writes[path] = plan_text.new_page(kind, values, body, point_tasks)
    verb = "将写入" if args.dry_run else "写入"
    for path in writes:
        print(f"{verb} {args.context.shown(path)}")
    for note in tasks.notes:
        print(f"提示：{note}")
    if tasks.attachment is not None:
        print(
            f"{tasks.attachment.label}“{tasks.attachment.title}”：{len(tasks.points)} 项的牵头单位、配合单位、完成时限"
            "取自这张表（已有页面上编辑填写过的不改动）。"
        )
    files = {path: text.encode("utf-8") for path, text in writes.items()}
    for kept, content in ((stored_original, original), (stored, raw)):
        if kept is not None and (not kept.exists() or kept.read_bytes() != content):
            print(f"{verb} {args.context.shown(kept)}")
            files[kept] = content
    if args.dry_run:
        print(f"（--dry-run：没有写入任何文件。共 {len(writes)} 个页面。）")
        return 0
    # all or nothing, the overview last: a failed import leaves no half-written year behind
    if not file_set.write_or_say(files, last=folder / "index.md"):
        return 1
    print(
        f"{plan.year} 年工作要点：{len(plan.sections)} 个部分、{len(plan.points)} 项，共写入 {len(writes)} 个页面。\n"
        f"下一步：运行 kb check，再用 kb preview 预览 /plan/{plan.year}/ 和 /plan/{plan.year}/changes/。"
    )
    return 0


def _fill_blank_fields(text: str, values: dict, path: Path) -> str:
    """A point page with the attached task breakdown's values in the fields it leaves empty; what
    editors recorded is kept (the office may have changed a unit since the plan was issued)."""
    if not values:
        return text
    from ...content.frontmatter_parse import read

    meta = read(text.encode("utf-8"), path.name).meta
    blank = {k: v for k, v in values.items() if meta.get(k) in (None, "", [])}
    return frontmatter_edit.update_text(text, blank, WorkPoint) if blank else text


def cmd_export(args) -> int:
    kb = args.context.load(args.docs, edition="public", with_history=False)
    if plan_queries.plan(kb, args.year) is None:
        years = "、".join(str(p.data.year) for p in plan_queries.plans(kb)) or "无"
        print(f"错误：没有 {args.year} 年的工作要点（现有年度：{years}）。", file=sys.stderr)
        return 1
    rows = task_sheet.rows(kb, args.year, site_url())
    if args.csv:
        Path(args.csv).write_bytes(task_sheet.to_csv(rows))
        print(args.csv)
    else:
        target = args.xlsx or f"{args.year}-tasks.xlsx"
        Path(target).write_bytes(task_sheet.to_xlsx(rows, args.year))
        print(target)
    return 0


def cmd_import(args) -> int:
    # The members' edition: members-only points are in the office's sheet too.
    kb = args.context.load(args.docs, include_drafts=True, edition="members", with_history=False)
    if not kb.ok:
        print(format_report(kb.problems), file=sys.stderr)
        print("错误：内容检查未通过，请先按上面的提示修改，再导入任务分解表。", file=sys.stderr)
        return 1
    try:
        sheet = task_sheet.read_sheet(args.file)
    except (task_sheet.SheetError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    try:
        year = args.year or task_sheet.detect_year(sheet, kb)
    except task_sheet.YearError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if args.year and (why := task_sheet.title_contradicts(sheet, kb, args.year)):
        print(f"错误：{why}没有写入任何文件。", file=sys.stderr)
        return 1
    if year is None:
        print(f"错误：{args.file} 看不出是哪一年的任务分解表。请加上 --year，例如 --year 2024。", file=sys.stderr)
        return 1
    plan = task_sheet.plan_import(kb, sheet, year)
    for note in plan.notes:
        print(f"提示：{note}")
    if not plan.ok:
        print("\n".join(plan.problems), file=sys.stderr)
        print(f"共 {len(plan.problems)} 处需要修改；没有写入任何文件。", file=sys.stderr)
        return 1
    if not plan.changes:
        print(f"{year} 年任务分解表与网站内容一致，没有需要更新的内容。")
        return 0
    texts = {}
    for change in plan.changes:
        print("\n".join(task_sheet.describe(change)))
        path = Path(args.docs) / change.point.src
        texts[path] = frontmatter_edit.update_text(
            path.read_text("utf-8"),
            {k: v for k, v in change.fields.items() if k != "milestones"},
            WorkPoint,
            appended={"milestones": change.new_milestones},
        )
    # Never write a page `kb check` would refuse (e.g. front matter grown past its limit).
    refused = [
        f"{args.file}: 写入 docs/{change.point.src} 后无法通过检查：{message}"
        for change in plan.changes
        for message in frontmatter_edit.problems_in(
            texts[Path(args.docs) / change.point.src], Path(args.docs) / change.point.src, WorkPoint
        )
    ]
    if refused:
        print("\n".join(refused), file=sys.stderr)
        print(f"共 {len(refused)} 处需要修改；没有写入任何文件。", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"（试运行）将更新 {len(texts)} 个文件；没有写入。去掉 --dry-run 即可写入。")
        return 0
    if not file_set.write_or_say({path: text.encode("utf-8") for path, text in texts.items()}):
        return 1
    print(f"已更新 {len(texts)} 个文件。请运行 kb check，再用 git diff 查看改动。")
    return 0


def register(groups: dict, context) -> None:
    """Under `kb import`: `plan` and `tasks`; under `kb export`: `tasks`."""
    what, ew = groups["import"], groups["export"]
    ip = what.add_parser("plan", help="按印发的工作要点原文生成 docs/plan/<年度>/")
    ip.add_argument("file", help="原文：Word 文档（.docx）、PDF 或文本文件（UTF-8），例如 2025年工作要点.docx")
    ip.add_argument("--year", type=int, help="年度（默认取自标题）")
    ip.add_argument("--dry-run", action="store_true", help="只列出将写入的文件，不写入")
    ip.add_argument("--update", action="store_true", help="替换已有年度的文字，保留编辑填写的字段和译文")
    ip.add_argument("--check", action="store_true", help="只比较页面与原文，有不一致时返回 1")
    ip.set_defaults(func=cmd_import_plan, context=context)
    it = what.add_parser("tasks", help="用任务分解表（.xlsx、.csv 或 Word 表格）更新工作要点的状态、进度等")
    it.add_argument("file", help="任务分解表文件")
    it.add_argument("--year", type=int, help="年度（默认取自标题行、文件名或工作表名称；三者不一致时必须指定）")
    it.add_argument("--dry-run", action="store_true", help="只逐项列出将要做的改动，不写入")
    it.set_defaults(func=cmd_import, context=context)
    et = ew.add_parser("tasks", help="导出某一年的任务分解表，与网站上发布的文件相同")
    et.add_argument("year", type=int, help="年度，例如 2024")
    out = et.add_mutually_exclusive_group()
    out.add_argument("--xlsx", help="写入的 .xlsx 文件（默认 <年度>-tasks.xlsx）")
    out.add_argument("--csv", help="写入的 .csv 文件")
    et.set_defaults(func=cmd_export, context=context)
