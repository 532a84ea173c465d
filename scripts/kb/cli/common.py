"""What every `kb` command shares: the parser that speaks Chinese, paths as the editor sees them,
dates as typed, and what a collection's own commands are given (`CommandContext`)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from ..adapter import inventory
from ..collections import REGISTRY
from ..content.collection import CommandContext

ROOT = Path(__file__).resolve().parents[3]


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


def shown(path: Path) -> str:
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def unreadable(name: str, exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"无法读取 {name}（{exc.strerror}）。请检查文件路径。"
    return str(exc)


def parse_date(text: str) -> dt.date | str:
    """A day; or, for an activity known only to the month or year, "2024-04" or "2024" (the
    record's validation refuses a partial date where the collection needs a day)."""
    if re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", text.strip()):
        return text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 YYYY-MM-DD，例如 2024-05-01") from None


def load(docs, **options):
    """The knowledge base of a docs folder, as the build reads it (adapter/inventory.py)."""
    return inventory.load_knowledge_base(docs, **options)


def context() -> CommandContext:
    """What a collection's own commands (`Extension.commands`) are given."""
    return CommandContext(
        registry=REGISTRY, load=load, shown=shown, unreadable=unreadable, parser_class=ChineseArgumentParser, root=ROOT
    )
