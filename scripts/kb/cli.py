"""`python -m scripts.kb`: the editors' command.

check [--strict]                 validate every page; exit 1 on errors (and on warnings with --strict)
new <collection> --title T ...   create a record from its archetype; print its path
schema [--check]                 export JSON Schema files to schemas/ (or only compare)
translated <file.en.md> ...      record that an English page matches its current Chinese text
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from . import loader, model, scaffold, schemas
from .problems import errors, format_report

ROOT = Path(__file__).resolve().parents[2]


def cmd_check(args) -> int:
    kb = loader.load_knowledge_base(args.docs, include_drafts=True, edition="members", display_root=Path.cwd())
    print(format_report(kb.problems))
    failing = kb.problems if args.strict else errors(kb.problems)
    return 1 if failing else 0


def cmd_new(args) -> int:
    try:
        path = scaffold.create(
            Path(args.docs),
            args.collection,
            title=args.title,
            date=args.date,
            slug=args.slug,
            fields={k: v for k, v in vars(args).items() if k in scaffold.OPTIONAL_FIELDS and v is not None},
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
    for model_cls, name in ((schemas.Translation, "translation"), (schemas.PlanTranslation, "plan-translation")):
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


def cmd_translated(args) -> int:
    kb = loader.load_knowledge_base(args.docs, include_drafts=True, edition="members", display_root=Path.cwd())
    docs = Path(args.docs).resolve()
    status = 0
    for name in args.files:
        path = Path(name).resolve()
        src = path.relative_to(docs).as_posix() if path.is_relative_to(docs) else name
        zh_src, lang = model.split_lang(src)
        entry = kb.entries.get(zh_src)
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scripts.kb", description="知识库编辑工具")
    p.add_argument("--docs", default=str(ROOT / "docs"), help="文档目录（默认 docs/）")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="检查所有页面的元数据")
    c.add_argument("--strict", action="store_true", help="警告（如译文过期）也算失败")
    c.set_defaults(func=cmd_check)

    n = sub.add_parser("new", help="按模板新建一条记录")
    n.add_argument("collection", choices=sorted(scaffold.ARCHETYPES))
    n.add_argument("--title", required=True, help="标题")
    n.add_argument("--date", type=_date, help="日期 YYYY-MM-DD（讲座、活动必填，默认今天）")
    n.add_argument("--slug", help="文件名（小写英文、数字和 -）；默认由标题的拼音生成")
    for field in scaffold.OPTIONAL_FIELDS:
        n.add_argument(f"--{field.replace('_', '-')}", dest=field)
    n.set_defaults(func=cmd_new)

    s = sub.add_parser("schema", help="导出 JSON Schema")
    s.add_argument("--out", default=str(ROOT / "schemas"))
    s.add_argument("--check", action="store_true", help="只比较，过期时返回 1")
    s.set_defaults(func=cmd_schema)

    t = sub.add_parser("translated", help="标记译文已与当前中文原文一致")
    t.add_argument("files", nargs="+")
    t.set_defaults(func=cmd_translated)
    return p


def _date(text: str) -> dt.date:
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
    except Exception as exc:  # an editor must never see a traceback
        print(
            f"内部错误：{type(exc).__name__}: {exc}\n这不是您的内容问题，请把这段信息发给网站维护者。", file=sys.stderr
        )
        return 2
