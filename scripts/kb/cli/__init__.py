"""`kb` (also `python -m scripts.kb`): the editors' command, one module per command.

check [--strict]                 validate every page; exit 1 on errors (and on warnings with --strict)
new <collection> --title T ...   create a record from its archetype; print its path
preview [--public]               preview the site on this computer (the members' edition by default)
build [--members]                the publishing build of one edition (needs its address)
schema [--check]                 export JSON Schema files to schemas/ (or only compare)
translate <file.md> ...          start an English translation (<file>.en.md)
translated <file.en.md> ...      record that an English page matches its current Chinese text
mv OLD.md NEW.md                 move a page with its translation and photos; its old address redirects
addresses                        record the current pages' addresses in addresses.txt
import record COLLECTION FILE.docx [--title T] [--date D] ...
                                 a Word article as a new record, with its pictures and stated facts
import photo FILE... --to RECORD.md [--alt TEXT | --captions SHEET]
                                 phone photos, resized and without location, beside a record

and each collection's own (its folder's commands.py, declared in its `Extension`), such as
import plan FILE, import tasks FILE, export tasks YEAR (the plan) and import proposals FILE.
"""

from __future__ import annotations

import argparse
import sys

from ..collections import REGISTRY
from ..content import os_errors
from . import check, common, move, new, preview, record, schema, translate
from .common import ROOT, ChineseArgumentParser


def parser() -> argparse.ArgumentParser:
    p = ChineseArgumentParser(prog="kb", description="知识库编辑工具")
    p.add_argument("--docs", default=str(ROOT / "docs"), help="文档目录（默认 docs/）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", parser_class=ChineseArgumentParser)
    check.register(sub)
    new.register(sub)
    preview.register(sub)
    move.register(sub)
    schema.register(sub)
    translate.register(sub)
    imp = sub.add_parser("import", help="导入印发的原文、Word 记录、照片和办公室的表格")
    what = imp.add_subparsers(dest="what", required=True, metavar="内容", parser_class=ChineseArgumentParser)
    exp = sub.add_parser("export", help="导出表格（.xlsx 或 .csv）")
    ew = exp.add_subparsers(dest="what", required=True, metavar="内容", parser_class=ChineseArgumentParser)
    record.register(what)
    groups, context = {"import": what, "export": ew}, common.context()
    for extension in REGISTRY.all_extensions():
        if extension.commands is not None:
            extension.commands(groups, context)
    return p


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
