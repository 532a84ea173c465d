"""`kb new <collection>`: a record from its collection's archetype, one sub-command per collection,
its options from its declaration; shared with `kb import record` (its scaffold and options)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..collections import REGISTRY
from ..content import fields
from ..content.collection import Collection
from ..sources import scaffold
from .common import ChineseArgumentParser, parse_date


def _scaffold(args, collection: Collection, title: str) -> Path | None:
    """`kb new`'s record from the command line's options (None after printing why not)."""
    try:
        return scaffold.create(
            Path(args.docs),
            collection,
            REGISTRY,
            title=title,
            date=getattr(args, "date", None),
            slug=args.slug,
            fields={k: v for k, v in vars(args).items() if k in collection.new_options and v is not None},
        )
    except scaffold.ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return None


def cmd_new(args) -> int:
    path = _scaffold(args, REGISTRY[args.collection], args.title)
    if path is None:
        return 1
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    return 0


def _option_help(collection: Collection, name: str) -> str:
    """The field's description from its schema, and its allowed values when a vocabulary is bound."""
    info = collection.model.model_fields[name]
    text = (info.description or "").rstrip("。")
    v = fields.vocabulary_of(collection.model, name)
    if v:
        text += f"。可选：{v.describe('zh')}"
    if scaffold.is_list_field(collection.model, name):
        text += "。多项用逗号分开"
    return text.replace("%", "%%")


def register(sub) -> None:
    """`kb new <collection>`: one sub-command per collection, its options from its declaration."""
    n = sub.add_parser("new", help="按模板新建一条记录", description="按模板新建一条记录，打印新文件的路径。")
    kinds = n.add_subparsers(dest="collection", required=True, metavar="类别", parser_class=ChineseArgumentParser)
    for name, collection in REGISTRY.creatable().items():
        k = kinds.add_parser(name, help=collection.titles["zh"], description=f"新建一条{collection.titles['zh']}记录。")
        k.add_argument("--title", required=True, help="标题（必填）")
        _add_record_options(k, collection)
        k.set_defaults(func=cmd_new)


def _add_record_options(k, collection: Collection, *, date_required: bool = True) -> None:
    """A collection's options as `kb new` takes them: --date when it is dated, --slug, its fields."""
    if collection.date_field:
        k.add_argument(
            "--date",
            type=parse_date,
            required=date_required,
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
