"""The tags' names in each language other than Chinese: one table that editors keep, `tags.yml`
beside docs/ (like addresses.txt and redirects.yml), mapping each Chinese tag to its name:

    en:
      理论学习: Theoretical study
      长城文化: Great Wall culture

An English page shows its tags by these names (the Chinese page's front matter holds the tags);
a tag the table lacks stays Chinese there, marked as such, and `kb check` names it with the page
that uses it first. A table that cannot be read is an error with its line, as every file editors
write is.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .model import DEFAULT_LANG, LANGS, Entry, KnowledgeBase
from .problems import Problem

FILE = "tags.yml"
_CACHE: dict[str, tuple[tuple[int, int], dict[str, dict[str, str]], list[Problem]]] = {}


def read(root: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """{language: {Chinese tag: name}} from root/tags.yml (empty without the file), and the
    problems found in it. Kept while the file is unchanged."""
    path = Path(root) / FILE
    try:
        stat = path.stat()
    except OSError:
        return {}, []
    key = str(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1], hit[2]
    table, problems = _parse(path.read_text("utf-8-sig"))
    _CACHE[key] = (stamp, table, problems)
    return table, problems


def _parse(text: str) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    example = "en:\n  理论学习: Theoretical study"
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return {}, [Problem(FILE, line, f"这个文件写法有误，无法读取。每行写“中文标签: 英文名称”，例如：\n{example}")]
    others = [lang for lang in LANGS if lang != DEFAULT_LANG]
    if not isinstance(data, dict) or not set(map(str, data)) <= set(others):
        return {}, [Problem(FILE, 1, f"应按语言分组（{'、'.join(others)}），例如：\n{example}")]
    table: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    lines = text.splitlines()
    for lang, names in data.items():
        if not isinstance(names, dict):
            problems.append(Problem(FILE, 1, f"{lang} 下应是“中文标签: 英文名称”的列表，例如：\n{example}"))
            continue
        table[str(lang)] = {}
        for tag, name in names.items():
            if not isinstance(name, str | int | float) or isinstance(name, bool) or not str(name).strip():
                line = next((n for n, t in enumerate(lines, 1) if t.strip().startswith(f"{tag}:")), 1)
                problems.append(
                    Problem(FILE, line, f"标签“{tag}”的{lang}名称应是一段文字，例如 {tag}: Theoretical study。")
                )
                continue
            table[str(lang)][str(tag)] = " ".join(str(name).split())
    return table, problems


def name(table: dict[str, dict[str, str]], tag: str, lang: str) -> str | None:
    """The tag's name in `lang`: the tag itself in Chinese, the table's name, or None."""
    return tag if lang == DEFAULT_LANG else table.get(lang, {}).get(tag)


def check(kb: KnowledgeBase, prefix: str) -> list[Problem]:
    """tags.yml's own problems, and a warning for each tag without a name in another language,
    at the first page that uses it. Only where the project keeps the table (as addresses.txt:
    a copy of docs/ alone is checked without it)."""
    if not (kb.docs_dir.parent / FILE).is_file():
        return []
    table, problems = read(kb.docs_dir.parent)
    first: dict[str, Entry] = {}
    for e in sorted(kb.entries.values(), key=lambda e: e.src):
        for tag in getattr(e.data, "tags", None) or []:
            first.setdefault(tag, e)
    for lang in LANGS:
        if lang == DEFAULT_LANG:
            continue
        for tag, e in first.items():
            if name(table, tag, lang) is None:
                shown = f"{prefix}/{e.src}" if prefix != "." else e.src
                problems.append(
                    Problem(
                        shown,
                        e.parsed.line_of(("tags",)),
                        f"标签“{tag}”还没有英文名称，英文页面上会显示中文。请在 {FILE} 的 {lang}: 下加一行：{tag}: 英文名称。",
                        severity="warning",
                    )
                )
    return problems
