"""`kb import record <collection> FILE.docx`: a Word article as a new record, with its pictures and
the facts its first lines state (主讲人, 时间, 地点 …); and `kb import photo`: phone photos beside
a record."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..collections import REGISTRY
from ..content import media, personal_data, urls
from ..sources import file_set, scaffold, word
from ..sources.office import record_facts
from .common import ChineseArgumentParser, shown, unreadable
from .new import _add_record_options


def cmd_import_record(args) -> int:
    try:
        raw = word.read_source(args.file)
    except (OSError, word.WordError) as exc:
        print(f"错误：{unreadable(args.file, exc)}", file=sys.stderr)
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
    collection = REGISTRY[args.collection]
    docs = Path(args.docs)
    # the facts the document states (主讲人, 时间, 地点 …); an option given on the command line wins
    read_fields, fact_notes = record_facts.record_fields(collection.word_facts, record.facts)
    given = {k: v for k, v in vars(args).items() if k in collection.new_options and v is not None}
    date = getattr(args, "date", None) or read_fields.pop(collection.date_field, None)
    read_fields.pop(collection.date_field, None)
    values = {**{k: v for k, v in read_fields.items() if k in collection.new_options}, **given}
    if collection.date_field and date is None:
        print(
            f"错误：{args.file} 的开头没有写明日期（例如“时间：2024年5月20日（星期一）下午2:30”），没有写入任何文件。"
            "请在 Word 文档开头加上这一行，或用 --date 给出日期，例如 --date 2024-05-20。",
            file=sys.stderr,
        )
        return 1
    try:
        path, text = scaffold.prepare(
            docs, collection, REGISTRY, title=record.title, date=date, slug=args.slug, fields=values
        )
    except scaffold.ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    body = word.body_with_pictures(record, pictures, path.stem)
    folder = path.parent / "images"
    taken = [folder / p.filename for p in pictures if (folder / p.filename).exists()]
    if taken:
        print(f"错误：{shown(taken[0])} 已经存在，没有写入任何文件。请用 --slug 另起一个文件名。", file=sys.stderr)
        return 1
    head = re.match(r"\A---\n.*?\n---\n", text, re.S)
    files = {folder / pic.filename: pic.data for pic in pictures}
    files[path] = (head.group(0) + "\n" + body).encode("utf-8")
    if not file_set.write_or_say(files, last=path):  # the record with its pictures, or nothing
        return 1
    print(f"写入 {shown(path)}")
    if record.facts:
        words = REGISTRY.words()["zh"]
        shown_facts = "，".join(
            f"{words.get(k, k)}（{k}）{v}"
            for k, v in {**read_fields, **({collection.date_field: date} if date else {})}.items()
            if k not in given
        )
        if shown_facts:
            print(f"从文档开头读出：{shown_facts}（这几行已从正文中去掉；命令行给出的选项优先）")
    for note in fact_notes:
        print(f"提示：{note}")
    for pic in pictures:
        print(f"写入 {shown(folder / pic.filename)}" + ("" if pic.alt else "（没有替代文字）"))
    for note in record.notes:
        print(f"提示：{note}")
    missing_alt = sum(1 for p in pictures if not p.alt)
    if missing_alt:
        print(
            f"提示：{missing_alt} 张图片在 Word 中没有替代文字，kb check 会指出它们所在的行：请在方括号里写明图片的内容"
            "（或在 Word 中右键图片“编辑替代文字”后重新导入）。"
        )
    print("下一步：运行 kb check，再用 kb preview 预览这条记录，核对文字、表格和图片。")
    return 0


def add_import_record_parsers(what) -> None:
    r = what.add_parser(
        "record",
        help="把 Word 文章（.docx）导入为一条文史资料、讲座或活动记录",
        description="把 Word 文章（.docx）导入为一条新记录：标题、小标题、段落、列表、表格、粗体斜体、脚注和图片（连同替代文字）。",
    )
    kinds = r.add_subparsers(dest="collection", required=True, metavar="类别", parser_class=ChineseArgumentParser)
    for name, collection in REGISTRY.creatable().items():
        if not collection.word_import:
            continue
        k = kinds.add_parser(
            name, help=collection.titles["zh"], description=f"把 Word 文章导入为一条{collection.titles['zh']}记录。"
        )
        k.add_argument("file", help="Word 文档（.docx）")
        k.add_argument("--title", help="标题（默认取 Word 文档的第一个标题，或居中、加粗、大字的第一行）")
        _add_record_options(k, collection, date_required=False)
        k.set_defaults(func=cmd_import_record)


def cmd_import_photo(args) -> int:
    """One photo, several, or a folder of them: in the order they were taken, one line each with a
    count; a photo refused stops no other and is named at the end."""
    from ..sources import photo

    try:
        files = photo.batch(args.file)
        texts = photo.caption_sheet(args.captions) if args.captions else {}
    except photo.PhotoImportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    refused: list[tuple[str, str]] = []
    for k, path in enumerate(files, 1):
        found = photo.caption_for(texts, path)
        alt, caption = found or (args.alt, args.caption)
        if args.captions and found is None and not args.alt:
            why = (
                f"说明表 {args.captions} 里没有这张照片（文件名 {path.name}）。请在说明表中加一行写明它的替代文字，"
                "或用 --alt 给没有写进说明表的照片一句共用的替代文字。"
            )
            print(f"[{k}/{len(files)}] 没有导入 {shown(path)}：{why}", file=sys.stderr)
            refused.append((shown(path), why))
            continue
        try:
            done = photo.import_photo(path, Path(args.to), alt or args.alt, caption=caption or args.caption)
        except photo.PhotoImportError as exc:
            print(f"[{k}/{len(files)}] 没有导入 {shown(path)}：{exc}", file=sys.stderr)
            refused.append((shown(path), str(exc)))
            continue
        cleaned = "，已去除拍摄地点" if done.had_location else ""
        print(
            f"[{k}/{len(files)}] 已写入 {shown(done.photo)}（{done.width}×{done.height} 像素，"
            f"{media.human_size(done.size)}{cleaned}），并在 {shown(done.record)} 第 {done.line} 行插入：{done.markdown}"
        )
    named = {photo.caption_key(p.name) for p in files}
    for key, (_, _, typed) in texts.items():
        if key not in named:
            print(f"提示：说明表 {args.captions} 里的“{typed}”没有对应的照片，没有用上。请核对文件名。")
    if refused:
        print(
            f"{len(files) - len(refused)} 张已导入，{len(refused)} 张没有导入："
            + "；".join(name for name, _ in refused)
            + "。请按上面每张的提示处理后，只导入这几张。",
            file=sys.stderr,
        )
        return 1
    if any(done.record.with_name(urls.translation_src(done.record.name, lang)).exists() for lang in urls.LANGS[1:]):
        print("这条记录有译文：请在译文中也加上这张照片，然后运行 kb translated 译文文件。")
    return 0


def register(what) -> None:
    """Under `kb import`: `record` and `photo`."""
    add_import_record_parsers(what)
    ph = what.add_parser(
        "photo", help="把手机照片（JPEG、PNG、HEIC）缩小、转正、去掉拍摄地点后放到记录旁边，并插入正文"
    )
    ph.add_argument("file", nargs="+", help="照片文件或文件夹，例如 IMG_1234.HEIC 或 照片/（按拍摄时间的先后导入）")
    ph.add_argument("--to", required=True, help="记录的 .md 文件，例如 docs/lectures/2024-05-20-xxx.md")
    ph.add_argument(
        "--alt", help="替代文字：照片的内容，例如“主讲人在会场作报告”；几张照片共用，或用 --captions 逐张写"
    )
    ph.add_argument(
        "--captions", help="说明表（.xlsx 或 .csv）：每张照片一行，列为 文件名、替代文字、图注（图注可不填）"
    )
    ph.add_argument("--caption", help="图注（可选），显示在照片下方")
    ph.set_defaults(func=cmd_import_photo)
