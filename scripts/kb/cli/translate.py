"""`kb translate` (start a page's English translation) and `kb translated` (record that a
translation matches its Chinese page as it is now)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from ..adapter import inventory
from ..content import fields, model, urls


def _named_pages(args):
    """(name, path, language, Chinese entry or None) for each file named on the command line."""
    kb = inventory.load_knowledge_base(args.docs, include_drafts=True, edition="members", display_root=Path.cwd())
    docs = Path(args.docs).resolve()
    for name in args.files:
        path = Path(name).resolve()
        src = path.relative_to(docs).as_posix() if path.is_relative_to(docs) else name
        zh_src, lang = model.split_lang(src)
        yield name, path, lang, kb.entries.get(zh_src)


def translation_skeleton(entry: model.Entry) -> str:
    """The English page to start from: the title to translate, the other translatable fields as
    commented YAML holding the Chinese values, the fingerprint of the Chinese text, and the
    Chinese body to translate in place. The empty title keeps `kb check` failing until the page is
    translated, so a half-done translation is never published."""
    translated = set(entry.collection.translation_model.model_fields) - set(fields.Translation.model_fields)
    lines = ["---", f"# 标题的译文。中文原文：{entry.data.title}", "title:"]
    for name in sorted(translated):
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
        target = path.with_name(urls.translation_src(path.name, "en"))
        if target.exists():
            print(f"错误：{target.name} 已经存在。请直接修改它，改完后运行 kb translated。", file=sys.stderr)
            status = 1
            continue
        target.write_text(translation_skeleton(entry), "utf-8")
        print(target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target)
    return status


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


def register(sub) -> None:
    tr = sub.add_parser("translate", help="为中文页面新建英文译文文件，列出要翻译的字段")
    tr.add_argument("files", nargs="+", help="中文页面，例如 docs/plan/2024/02.md")
    tr.set_defaults(func=cmd_translate)
    t = sub.add_parser("translated", help="标记译文已与当前中文原文一致")
    t.add_argument("files", nargs="+")
    t.set_defaults(func=cmd_translated)
