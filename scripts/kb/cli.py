"""`python -m scripts.kb`: the editors' command.

check [--strict]                 validate every page; exit 1 on errors (and on warnings with --strict)
new <collection> --title T ...   create a record from its archetype; print its path
schema [--check]                 export JSON Schema files to schemas/ (or only compare)
translate <file.md> ...         start an English translation (<file>.en.md)
translated <file.en.md> ...      record that an English page matches its current Chinese text
mv OLD.md NEW.md                 move a page with its translation and photos; its old address redirects
addresses                        record the current pages' addresses in addresses.txt
import plan FILE [--year Y] [--dry-run] [--update] [--check]
                                 write docs/plan/<year>/ from the published text, a .txt or the
                                 Word file (.docx) (or compare with it)
import record COLLECTION FILE.docx [--title T] [--date D] ...
                                 a Word article as a new record, with its pictures
export tasks <year> [--xlsx F | --csv F]   write a year's task breakdown as the build publishes it
import tasks FILE.xlsx [--year Y] [--dry-run]   update work points from the office's task sheet
import photo FILE --to RECORD.md --alt TEXT [--caption TEXT]   a phone photo, resized and without location
import proposals FILE.xlsx [--year Y] [--dry-run]   create/update docs/proposals/ from the office's list
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

from .adapter import inventory
from .content import addresses, media, model, os_errors, personal_data, schemas
from .content.problems import Problem, errors, format_report
from .content.site_config import site_url
from .outputs import plan_fidelity
from .sources import file_set, frontmatter_edit, move, plan_text, proposal_sheet, scaffold, task_sheet, word

ROOT = Path(__file__).resolve().parents[2]


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
    shown = _shown(docs.parent / addresses.RECORD)
    examples = "、".join(missing[:3]) + ("等" if len(missing) > 3 else "")
    return [
        Problem(
            shown,
            1,
            f"{len(missing)} 个页面的网址（{examples}）还没有登记。发布前请运行 python -m scripts.kb addresses，"
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
    print(f"{_shown(docs.parent / addresses.RECORD)}：新登记 {len(added)} 个网址，共 {len(recorded | current)} 个。")
    for a in added:
        print(f"  {a}")
    return 0


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
        report = move.move(docs, args.old, args.new)
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
    print("请运行 python -m scripts.kb check，然后提交所有改动（包括 redirects.yml 和 addresses.txt）。")
    return 0


def cmd_new(args) -> int:
    collection = schemas.COLLECTIONS[args.collection]
    try:
        path = scaffold.create(
            Path(args.docs),
            args.collection,
            title=args.title,
            date=getattr(args, "date", None),
            slug=args.slug,
            fields={k: v for k, v in vars(args).items() if k in collection.new_options and v is not None},
        )
    except scaffold.ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    return 0


def json_schemas() -> dict[str, str]:
    """File name -> JSON text, one per collection (and one for English pages)."""
    out = {}
    for name, collection in schemas.COLLECTIONS.items():
        schema = collection.model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{collection.titles['zh']}（{name}）front matter"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    translation_models = {schemas.Translation: "translation"}
    for name, collection in schemas.COLLECTIONS.items():
        translation_models.setdefault(collection.translation_model, f"{name}-translation")
    for model_cls, name in translation_models.items():
        schema = model_cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def cmd_schema(args) -> int:
    out_dir = Path(args.out)
    stale = []
    for name, text in json_schemas().items():
        target = out_dir / name
        if args.check:
            if not target.exists() or target.read_text("utf-8") != text:
                stale.append(str(target))
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    if args.check and stale:
        print("以下 JSON Schema 文件已过期，请运行 python -m scripts.kb schema 重新生成：\n" + "\n".join(stale))
        return 1
    return 0


def _named_pages(args):
    """(name, path, language, Chinese entry or None) for each file named on the command line."""
    kb = inventory.load_knowledge_base(args.docs, include_drafts=True, edition="members", display_root=Path.cwd())
    docs = Path(args.docs).resolve()
    for name in args.files:
        path = Path(name).resolve()
        src = path.relative_to(docs).as_posix() if path.is_relative_to(docs) else name
        zh_src, lang = model.split_lang(src)
        yield name, path, lang, kb.entries.get(zh_src)


def cmd_translated(args) -> int:
    status = 0
    for name, path, lang, entry in _named_pages(args):
        if lang == model.DEFAULT_LANG or entry is None:
            print(f"错误：{name} 不是一篇有对应中文原文的译文（应为 xxx.en.md）。", file=sys.stderr)
            status = 1
            continue
        text = path.read_text("utf-8-sig")
        new_line = f"source_hash: {entry.source_hash()}"
        if re.search(r"(?m)^source_hash:.*$", text):
            text = re.sub(r"(?m)^source_hash:.*$", new_line, text, count=1)
        else:
            text = re.sub(r"\A---\n", f"---\n{new_line}\n", text, count=1)
        path.write_text(text, "utf-8")
        print(f"{name}: {new_line}")
    return status


def _shown(path: Path) -> str:
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _unreadable(name: str, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"无法读取 {name}（{exc.strerror}）。请检查文件路径。"
    return str(exc)


def cmd_import_plan(args) -> int:
    try:
        raw = word.read_source(args.file)
    except (OSError, word.WordError) as exc:
        print(f"错误：{_unreadable(args.file, exc)}", file=sys.stderr)
        return 1
    # A Word plan becomes the text form first, so every rule of the text applies to it as well.
    original, kind, lines = raw, word.identify(raw), None
    if kind in ("docx", "pdf"):
        try:
            lines = word.plan_lines(raw, args.file) if kind == "docx" else word.pdf_plan_lines(raw, args.file)
        except word.WordError as exc:
            print(f"错误：{exc}\n没有写入任何文件。", file=sys.stderr)
            return 1
        raw = lines.text.encode("utf-8")
    elif kind != "text":
        print(f"错误：{word.refusal(kind, args.file)}\n没有写入任何文件。", file=sys.stderr)
        return 1
    try:
        plan = plan_text.parse(raw, args.file, year=args.year)
    except plan_text.PlanTextError as exc:
        if lines is not None:
            paragraph = lines.paragraph_of_line[min(exc.line, len(lines.paragraph_of_line)) - 1]
            exc = f"{args.file}:第{paragraph}段: {word.paragraph_message(exc.message, lines)}"
        print(f"{exc}\n没有写入任何文件。", file=sys.stderr)
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
            kb = inventory.load_knowledge_base(docs, edition="public", with_history=False)
            differences = plan_fidelity.rendered_differences(plan, kb)
        for d in differences:
            page = d.name if d.name.startswith("/") else _shown(folder / d.name)
            print(f"{page}: 与原文 {args.file} 不一致：{d.what}")
        if lines is not None and stored.is_file() and stored.read_bytes() != raw:
            print(
                f"{_shown(stored)}: 与从 {args.file} 重新提取的文字不一致。如果 Word 原文是对的，运行 "
                f"python -m scripts.kb import plan {args.file} --update 重新导入。"
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
                f"{pages_named} 个页面与原文不一致。如果原文是对的，运行 python -m scripts.kb import plan {args.file} --update "
                "按原文改回（编辑填写的状态、进度等会保留）。"
            )
            return 1
        print(f"{_shown(folder)}/ 的 {len(pages)} 个页面与原文 {args.file} 一致。")
        return 0

    if (folder / "index.md").exists() and not args.update:
        print(
            f"错误：{_shown(folder)}/ 已有 {plan.year} 年的工作要点，没有写入任何文件。"
            f"如果要按新的原文替换文字、同时保留编辑填写的状态、进度、牵头单位等，请加 --update；"
            f"如果年度不对，请用 --year 指定。",
            file=sys.stderr,
        )
        return 1
    dropped = sorted(p.name for p in folder.glob("[0-9][0-9].md") if p.name not in pages) if folder.is_dir() else []
    if dropped:
        names = "、".join(_shown(folder / n) for n in dropped)
        print(
            f"错误：原文中没有 {names} 对应的工作要点，没有写入任何文件。请确认原文无误后，先把这些页面"
            f"（连同 .en.md 译文）删除或移走，再重新导入。",
            file=sys.stderr,
        )
        return 1
    for kept, content in ((stored, raw), (stored_original, original)):
        if kept is not None and kept.exists() and kept.read_bytes() != content and not args.update:
            print(
                f"错误：{_shown(kept)} 已存在且与 {args.file} 不同，没有写入任何文件。要用新的原文替换，请加 --update。",
                file=sys.stderr,
            )
            return 1

    writes: dict[Path, str] = {}
    for name, (kind, fields, body) in pages.items():
        path = folder / name
        if path.is_file():
            old = path.read_text("utf-8-sig")
            new = plan_text.merge(old, kind, fields, body)
            if new != old:
                writes[path] = new
        else:
            writes[path] = plan_text.new_page(kind, fields, body)
    verb = "将写入" if args.dry_run else "写入"
    files = {path: text.encode("utf-8") for path, text in writes.items()}
    for kept, content in ((stored_original, original), (stored, raw)):
        if kept is not None and (not kept.exists() or kept.read_bytes() != content):
            files[kept] = content
    for path in files:
        print(f"{verb} {_shown(path)}")
    if args.dry_run:
        print(f"（--dry-run：没有写入任何文件。共 {len(writes)} 个页面。）")
        return 0
    try:
        # all or nothing, the overview last: a failed import leaves no half-written year behind
        file_set.write_all(files, last=folder / "index.md")
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc)}没有写入任何文件。", file=sys.stderr)
        return 1
    print(
        f"{plan.year} 年工作要点：{len(plan.sections)} 个部分、{len(plan.points)} 项，共写入 {len(writes)} 个页面。\n"
        f"下一步：运行 python -m scripts.kb check，再用 mkdocs serve 预览 /plan/{plan.year}/ 和 /plan/{plan.year}/changes/。"
    )
    return 0


def cmd_import_record(args) -> int:
    try:
        raw = word.read_source(args.file)
    except (OSError, word.WordError) as exc:
        print(f"错误：{_unreadable(args.file, exc)}", file=sys.stderr)
        return 1
    try:
        record = word.convert_record(raw, args.file, title=args.title)
        if record.title is None:
            print(
                f"错误：{args.file} 的开头没有标题，没有写入任何文件。请在 Word 中把第一行标题设为“标题 1”样式，"
                "或用 --title 给出标题。",
                file=sys.stderr,
            )
            return 1
        pictures = word.prepare_pictures(record, args.file, media.MAX_BYTES)
    except word.WordError as exc:
        print(f"错误：{exc}\n没有写入任何文件。", file=sys.stderr)
        return 1
    public = (getattr(args, "visibility", None) or "public") == "public"
    found = record.personal_data()
    for where, hits in found:
        print(
            f"{'错误' if public else '提示'}：{args.file}:{where}: {personal_data.message(hits, public=public)}",
            file=sys.stderr if public else sys.stdout,
        )
    if found and public:
        print("没有写入任何文件。", file=sys.stderr)
        return 1
    collection = schemas.COLLECTIONS[args.collection]
    docs = Path(args.docs)
    try:
        path, text = scaffold.prepare(
            docs,
            args.collection,
            title=record.title,
            date=getattr(args, "date", None),
            slug=args.slug,
            fields={k: v for k, v in vars(args).items() if k in collection.new_options and v is not None},
        )
    except scaffold.ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    body = word.body_with_pictures(record, pictures, path.stem)
    folder = path.parent / "images"
    taken = [folder / p.filename for p in pictures if (folder / p.filename).exists()]
    if taken:
        print(f"错误：{_shown(taken[0])} 已经存在，没有写入任何文件。请用 --slug 另起一个文件名。", file=sys.stderr)
        return 1
    head = re.match(r"\A---\n.*?\n---\n", text, re.S)
    files = {folder / pic.filename: pic.data for pic in pictures}
    files[path] = (head.group(0) + "\n" + body).encode("utf-8")
    try:
        file_set.write_all(files, last=path)  # the record with its pictures, or nothing
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc)}没有写入任何文件。", file=sys.stderr)
        return 1
    print(f"写入 {_shown(path)}")
    for pic in pictures:
        print(f"写入 {_shown(folder / pic.filename)}" + ("" if pic.alt else "（没有替代文字）"))
    for note in record.notes:
        print(f"提示：{note}")
    missing_alt = sum(1 for p in pictures if not p.alt)
    if missing_alt:
        print(
            f"提示：{missing_alt} 张图片在 Word 中没有替代文字，kb check 会指出它们所在的行：请在方括号里写明图片的内容"
            "（或在 Word 中右键图片“编辑替代文字”后重新导入）。"
        )
    print("下一步：运行 python -m scripts.kb check，再用 mkdocs serve 预览这条记录，核对文字、表格和图片。")
    return 0


def cmd_import_photo(args) -> int:
    from .sources import photo

    try:
        done = photo.import_photo(Path(args.file), Path(args.to), args.alt, caption=args.caption)
    except photo.PhotoImportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    cleaned = "，已去除拍摄地点" if done.had_location else ""
    print(
        f"已写入 {_shown(done.photo)}（{done.width}×{done.height} 像素，{media.human_size(done.size)}{cleaned}），"
        f"并在 {_shown(done.record)} 第 {done.line} 行插入：{done.markdown}"
    )
    if any(done.record.with_name(done.record.name[: -len(".md")] + f".{lang}.md").exists() for lang in model.LANGS):
        print("这条记录有译文：请在译文中也加上这张照片，然后运行 python -m scripts.kb translated 译文文件。")
    return 0


def cmd_export(args) -> int:
    kb = inventory.load_knowledge_base(args.docs, edition="public", with_history=False)
    if kb.plan(args.year) is None:
        years = "、".join(str(p.data.year) for p in kb.plans()) or "无"
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
    kb = inventory.load_knowledge_base(args.docs, include_drafts=True, edition="members", with_history=False)
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
            change.new_milestones,
        )
    # Never write a page `kb check` would refuse (e.g. front matter grown past its limit).
    refused = [
        f"{args.file}: 写入 docs/{change.point.src} 后无法通过检查：{message}"
        for change in plan.changes
        for message in frontmatter_edit.problems_in(
            texts[Path(args.docs) / change.point.src], Path(args.docs) / change.point.src, schemas.WorkPoint
        )
    ]
    if refused:
        print("\n".join(refused), file=sys.stderr)
        print(f"共 {len(refused)} 处需要修改；没有写入任何文件。", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"（试运行）将更新 {len(texts)} 个文件；没有写入。去掉 --dry-run 即可写入。")
        return 0
    try:
        file_set.write_all({path: text.encode("utf-8") for path, text in texts.items()})
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc)}没有写入任何文件。", file=sys.stderr)
        return 1
    print(f"已更新 {len(texts)} 个文件。请运行 python -m scripts.kb check，再用 git diff 查看改动。")
    return 0


def cmd_import_proposals(args) -> int:
    docs = Path(args.docs)
    kb = inventory.load_knowledge_base(args.docs, include_drafts=True, edition="members", with_history=False)
    if not kb.ok:
        print(format_report(kb.problems), file=sys.stderr)
        print("错误：内容检查未通过，请先按上面的提示修改，再导入提案表。", file=sys.stderr)
        return 1
    plan = proposal_sheet.plan_import(kb, docs, args.file, year=args.year)
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
    try:
        file_set.write_all({write.path: write.text.encode("utf-8") for write in plan.writes})
    except OSError as exc:
        print(f"错误：{os_errors.describe(exc)}没有写入任何文件。", file=sys.stderr)
        return 1
    print(f"{summary}。请运行 python -m scripts.kb check，再用 git diff 查看改动。")
    return 0


# argparse speaks English; editors read these messages, so the common ones are said in Chinese.
_ARGPARSE_ZH = [
    (r"the following arguments are required: (.*)", r"缺少必填参数：\1"),
    (r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"参数 \1 的值“\2”不可用，可选：\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面要写一个值"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (.*)", r"参数不明确：\1"),
]
_HELP_ZH = [
    ("usage: ", "用法："),
    ("options:\n", "选项：\n"),
    ("positional arguments:\n", "位置参数：\n"),
    ("show this help message and exit", "显示本帮助并退出"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        for pattern, replacement in _ARGPARSE_ZH:
            translated, n = re.subn(pattern, replacement, message)
            if n:
                message = translated
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n请运行 {self.prog} --help 查看用法。\n")

    def format_usage(self) -> str:
        return _zh_help(super().format_usage())

    def format_help(self) -> str:
        return _zh_help(super().format_help())


def _zh_help(text: str) -> str:
    for english, chinese in _HELP_ZH:
        text = text.replace(english, chinese)
    return text


def _option_help(collection: schemas.Collection, name: str) -> str:
    """The field's description from its schema, and its allowed values when a vocabulary is bound."""
    info = collection.model.model_fields[name]
    text = (info.description or "").rstrip("。")
    v = schemas.vocabulary_of(collection.model, name)
    if v:
        text += f"。可选：{v.describe('zh')}"
    if scaffold.is_list_field(collection.model, name):
        text += "。多项用逗号分开"
    return text.replace("%", "%%")


def add_new_parsers(sub) -> None:
    """`kb new <collection>`: one sub-command per collection, its options from its declaration."""
    n = sub.add_parser("new", help="按模板新建一条记录", description="按模板新建一条记录，打印新文件的路径。")
    kinds = n.add_subparsers(dest="collection", required=True, metavar="类别", parser_class=ChineseArgumentParser)
    for name, collection in scaffold.NEW_COLLECTIONS.items():
        k = kinds.add_parser(name, help=collection.titles["zh"], description=f"新建一条{collection.titles['zh']}记录。")
        k.add_argument("--title", required=True, help="标题（必填）")
        _add_record_options(k, collection)
        k.set_defaults(func=cmd_new)


def _add_record_options(k, collection: schemas.Collection) -> None:
    """A collection's options as `kb new` takes them: --date when it is dated, --slug, its fields."""
    if collection.date_field:
        k.add_argument(
            "--date",
            type=_date,
            required=True,
            help="日期（必填）：YYYY-MM-DD；活动只知道月份或年份时写 2024-04 或 2024"
            if collection.date_field == "when"
            else "日期（必填）：YYYY-MM-DD",
        )
    k.add_argument("--slug", help="文件名（小写英文、数字和 -）；默认由标题的拼音生成")
    for field in collection.new_options:
        required = collection.model.model_fields[field].is_required()
        k.add_argument(
            f"--{field.replace('_', '-')}",
            dest=field,
            required=required,
            help=("（必填）" if required else "") + _option_help(collection, field),
        )


# Collections whose records are articles an editor may have written in Word
WORD_COLLECTIONS = ("wenshi", "lecture", "event")


def add_import_record_parsers(what) -> None:
    r = what.add_parser(
        "record",
        help="把 Word 文章（.docx）导入为一条文史资料、讲座或活动记录",
        description="把 Word 文章（.docx）导入为一条新记录：标题、小标题、段落、列表、表格、粗体斜体、脚注和图片（连同替代文字）。",
    )
    kinds = r.add_subparsers(dest="collection", required=True, metavar="类别", parser_class=ChineseArgumentParser)
    for name in WORD_COLLECTIONS:
        collection = scaffold.NEW_COLLECTIONS[name]
        k = kinds.add_parser(
            name, help=collection.titles["zh"], description=f"把 Word 文章导入为一条{collection.titles['zh']}记录。"
        )
        k.add_argument("file", help="Word 文档（.docx）")
        k.add_argument("--title", help="标题（默认取 Word 文档的第一个标题）")
        _add_record_options(k, collection)
        k.set_defaults(func=cmd_import_record)


def translation_skeleton(entry: model.Entry) -> str:
    """The English page to start from: the title to translate, the other translatable fields as
    commented YAML holding the Chinese values, the fingerprint of the Chinese text, and the
    Chinese body to translate in place. The empty title keeps `kb check` failing until the page is
    translated, so a half-done translation is never published."""
    fields = set(entry.collection.translation_model.model_fields) - set(schemas.Translation.model_fields)
    lines = ["---", f"# 标题的译文。中文原文：{entry.data.title}", "title:"]
    for name in sorted(fields):
        value = entry.data.model_dump(mode="json").get(name)
        if value in (None, [], ""):
            continue
        info = entry.collection.translation_model.model_fields[name]
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            value = value[0]  # one lead unit: a line to translate, not a list of one
        block = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False).rstrip("\n")
        lines.append(f"# {(info.description or name).rstrip('。')}。把下面几行的中文改为译文，再去掉行首的“# ”：")
        lines += ["# " + line for line in block.split("\n")]
    lines += [f"source_hash: {entry.source_hash()}", "---", ""]
    return "\n".join(lines) + "\n" + entry.body.lstrip("\n")


def cmd_translate(args) -> int:
    status = 0
    for name, path, lang, entry in _named_pages(args):
        if lang != model.DEFAULT_LANG or entry is None:
            print(f"错误：{name} 不是一篇中文页面（应为 xxx.md，不是 xxx.en.md）。", file=sys.stderr)
            status = 1
            continue
        target = path.with_name(path.name[: -len(".md")] + ".en.md")
        if target.exists():
            print(f"错误：{target.name} 已经存在。请直接修改它，改完后运行 kb translated。", file=sys.stderr)
            status = 1
            continue
        target.write_text(translation_skeleton(entry), "utf-8")
        print(target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target)
    return status


def parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="python -m scripts.kb", description="知识库编辑工具")
    p.add_argument("--docs", default=str(ROOT / "docs"), help="文档目录（默认 docs/）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", parser_class=ChineseArgumentParser)

    c = sub.add_parser("check", help="检查所有页面的元数据")
    c.add_argument("--strict", action="store_true", help="警告（如译文过期）也算失败")
    c.set_defaults(func=cmd_check)

    add_new_parsers(sub)

    mv = sub.add_parser("mv", help="移动或改名页面，旧网址自动转到新网址")
    mv.add_argument("old", help="要移动的中文页面，例如 docs/lectures/2024-03-01-x.md（译文和照片一起移动）")
    mv.add_argument("new", help="新的文件名，例如 docs/lectures/2024-03-01-y.md")
    mv.set_defaults(func=cmd_mv)

    ad = sub.add_parser("addresses", help="把现有页面的网址登记到 addresses.txt")
    ad.set_defaults(func=cmd_addresses)

    s = sub.add_parser("schema", help="导出 JSON Schema")
    s.add_argument("--out", default=str(ROOT / "schemas"))
    s.add_argument("--check", action="store_true", help="只比较，过期时返回 1")
    s.set_defaults(func=cmd_schema)

    tr = sub.add_parser("translate", help="为中文页面新建英文译文文件，列出要翻译的字段")
    tr.add_argument("files", nargs="+", help="中文页面，例如 docs/plan/2024/02.md")
    tr.set_defaults(func=cmd_translate)

    t = sub.add_parser("translated", help="标记译文已与当前中文原文一致")
    t.add_argument("files", nargs="+")
    t.set_defaults(func=cmd_translated)

    imp = sub.add_parser("import", help="导入印发的原文或任务分解表")
    what = imp.add_subparsers(dest="what", required=True)
    ip = what.add_parser("plan", help="按印发的工作要点原文生成 docs/plan/<年度>/")
    ip.add_argument("file", help="原文：Word 文档（.docx）或文本文件（UTF-8），例如 2025年工作要点.docx")
    ip.add_argument("--year", type=int, help="年度（默认取自标题）")
    ip.add_argument("--dry-run", action="store_true", help="只列出将写入的文件，不写入")
    ip.add_argument("--update", action="store_true", help="替换已有年度的文字，保留编辑填写的字段和译文")
    ip.add_argument("--check", action="store_true", help="只比较页面与原文，有不一致时返回 1")
    ip.set_defaults(func=cmd_import_plan)
    add_import_record_parsers(what)
    it = what.add_parser("tasks", help="用任务分解表（.xlsx 或 .csv）更新工作要点的状态、进度等")
    it.add_argument("file", help="任务分解表文件")
    it.add_argument("--year", type=int, help="年度（默认取自标题行、文件名或工作表名称；三者不一致时必须指定）")
    it.add_argument("--dry-run", action="store_true", help="只逐项列出将要做的改动，不写入")
    it.set_defaults(func=cmd_import)

    ph = what.add_parser(
        "photo", help="把手机照片（JPEG、PNG、HEIC）缩小、转正、去掉拍摄地点后放到记录旁边，并插入正文"
    )
    ph.add_argument("file", help="照片文件，例如 IMG_1234.HEIC")
    ph.add_argument("--to", required=True, help="记录的 .md 文件，例如 docs/lectures/2024-05-20-xxx.md")
    ph.add_argument("--alt", help="替代文字（必填）：照片的内容，例如“主讲人在会场作报告”")
    ph.add_argument("--caption", help="图注（可选），显示在照片下方")
    ph.set_defaults(func=cmd_import_photo)

    iq = what.add_parser("proposals", help="用提案办理情况表（.xlsx 或 .csv）新建或更新 docs/proposals/ 的提案")
    iq.add_argument("file", help="提案表文件，例如 2024年提案办理情况.xlsx")
    iq.add_argument("--year", type=int, help="年度（默认取自“年度”列、标题行、工作表名或文件名）")
    iq.add_argument("--dry-run", action="store_true", help="只逐件列出将要新建和更新的内容，不写入")
    iq.set_defaults(func=cmd_import_proposals)

    e = sub.add_parser("export", help="导出任务分解表（.xlsx 或 .csv）")
    ew = e.add_subparsers(dest="what", required=True)
    et = ew.add_parser("tasks", help="导出某一年的任务分解表，与网站上发布的文件相同")
    et.add_argument("year", type=int, help="年度，例如 2024")
    out = et.add_mutually_exclusive_group()
    out.add_argument("--xlsx", help="写入的 .xlsx 文件（默认 <年度>-tasks.xlsx）")
    out.add_argument("--csv", help="写入的 .csv 文件")
    et.set_defaults(func=cmd_export)
    return p


def _date(text: str) -> dt.date | str:
    """A day; or, for an activity known only to the month or year, "2024-04" or "2024" (the
    record's validation refuses a partial date where the collection needs a day)."""
    if re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text.strip()):
        return text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 YYYY-MM-DD，例如 2024-05-01") from None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a full disk, a read-only folder: the cause, not "an internal error"
        print(f"错误：{os_errors.describe(exc)}这不是内容的问题。", file=sys.stderr)
        return 1
    except Exception as exc:  # an editor must never see a traceback
        print(
            f"内部错误：{type(exc).__name__}: {exc}\n这不是您的内容问题，请把这段信息发给网站维护者。", file=sys.stderr
        )
        return 2
