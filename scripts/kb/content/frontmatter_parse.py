"""Reading one Markdown file: encoding, the front-matter block, YAML with line numbers.

python-frontmatter (used by the scaffolder to write records) reports nothing an editor can act
on when reading: a BOM, a full-width colon or an unclosed block all come back as empty metadata,
and YAML errors carry lines relative to the block. Reading therefore composes the YAML node tree
itself (libyaml's CSafeLoader, as python-frontmatter does) to keep every key's line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import frontmatter
import yaml

from .problems import Problem

_HANDLER = frontmatter.YAMLHandler()  # python-frontmatter's rule for where the block starts and ends
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A key followed by a full-width colon, with no ASCII colon before it: `标题：测试`.
# MkDocs' own front-matter delimiter (mkdocs.utils.meta): exactly three dashes.
_MKDOCS_DELIMITER = re.compile(r"^---[ \t]*$")
_ANY_DELIMITER = re.compile(r"^-{3,}\s*$")  # python-frontmatter's
# Nesting deeper than any schema needs; refused before anything recurses over the tree.
_MAX_DEPTH = 8
_MAX_FRONT_MATTER = 64 * 1024  # characters; the longest real front matter is a few hundred

_FULLWIDTH_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s:：#\-\"'][^:：\"']*?)\s*：\s*(?P<rest>.*)$")
# A half-width colon followed by a full-width space (U+3000), which YAML does not take for a
# space: `title:　测试` is read as one word, not a key and a value.
_FULLWIDTH_SPACE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[^\s:：#\-\"'][^:：\"']*?):\u3000+(?P<rest>.*)$")


class _Loader(_BaseLoader):
    """Safe loader whose timestamps fail with a marked error instead of a bare ValueError."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible-date:{node.value}:{exc}", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class ParsedFile:
    meta: dict
    body: str
    body_line: int = 1  # file line on which the body starts
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> 1-based line
    has_front_matter: bool = False  # `kb import plan --check` tells a page without one
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: tuple) -> int:
        """Best line for a key path: the deepest recorded prefix, else the opening `---`."""
        for end in range(len(loc), 0, -1):
            if tuple(loc[:end]) in self.lines:
                return self.lines[tuple(loc[:end])]
        return 1


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (a BOM is fine). Anything else is refused with the encoding it looks like."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            raw.decode("gb18030")
            looks_like = "GBK（GB18030，中文 Windows 记事本里叫“ANSI”）"
        except UnicodeDecodeError:
            looks_like = "未知编码"
        return None, [
            Problem(
                path,
                line,
                f"文件不是 UTF-8 编码，看起来是 {looks_like}。请在编辑器中用“另存为”，编码选择“UTF-8”后重新保存。",
            )
        ]


def _split(text: str) -> tuple[str | None, str, int, int | None]:
    """(front-matter text or None, body, 1-based line of the YAML text's first line, bad line).

    python-frontmatter decides where the block starts and ends; a block it detects but cannot
    split was opened and never closed. It also accepts `----` as a delimiter, which MkDocs does
    not (its block is exactly `---`), so MkDocs would print such a block as body text: the
    delimiters are therefore held to MkDocs' rule, and the bad line reported."""
    if not _HANDLER.detect(text):
        return None, text, 1, None
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        return None, text, 1, 1
    start = text.find(fm, 3)
    first_line = text.count("\n", 0, start) + 1
    lines = text.split("\n")
    closing_line = next((i + 1 for i, line in enumerate(lines) if i and _ANY_DELIMITER.match(line)), 1)
    for line_no in (1, closing_line):
        if not _MKDOCS_DELIMITER.match(lines[line_no - 1]):
            return None, text, 1, -line_no
    return fm, body, first_line, None


def _record_lines(node: yaml.Node, prefix: tuple, out: dict, offset: int, keys_seen: list) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + offset
            if key in seen:
                keys_seen.append((prefix + (key,), seen[key], line))
            seen[key] = line
            out[prefix + (key,)] = line
            _record_lines(value_node, prefix + (key,), out, offset, keys_seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[prefix + (i,)] = item.start_mark.line + offset
            _record_lines(item, prefix + (i,), out, offset, keys_seen)


def _yaml_message(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """Translate libyaml's English into what to do, and pick the line that needs the fix."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark
    line = mark.line if mark else None
    if "impossible-date:" in problem:
        value = problem.split(":", 2)[1]
        return line, f"日期“{value}”不存在（例如 2 月没有 30 日）。请改为真实的日期，格式 YYYY-MM-DD。"
    if "tab" in problem.lower() or "\t" in problem:
        return line, "这一行用了制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成两个空格。"
    if "quoted scalar" in context:
        start = exc.context_mark.line if exc.context_mark else line
        return start, "这一行开始的引号没有闭合。请在值的末尾补上配对的引号（\" 或 '）。"
    if "mapping values are not allowed" in problem:
        return line, (
            "这一行的值里有半角冒号加空格“: ”，YAML 会把它当成新的键。"
            '请用英文双引号括起整个值，例如 title: "Python: 入门"。'
        )
    if "could not find expected ':'" in problem:
        start = exc.context_mark.line if exc.context_mark else line
        return start, "这一行不是“键: 值”的格式：缺少半角冒号，或上一行的缩进不对。请写成 键: 值（冒号后加一个空格）。"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return line, "这一行的缩进与上下文不一致。同一层的键要左对齐，列表项以“- ”开头并对齐。"
    return line, f"YAML 语法错误（{problem or context}）。请检查这一行的缩进、引号和冒号。"


def parse(text: str, path: str) -> ParsedFile:
    """Split and parse a decoded file. Problems are collected, never raised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fm_text, body, yaml_first_line, unclosed = _split(text)
    if unclosed and unclosed < 0:
        return ParsedFile(
            {},
            text,
            problems=[
                Problem(
                    path,
                    -unclosed,
                    "front matter（元数据块）的开始行和结束行必须正好是三个半角短横线 ---（不能多也不能少），"
                    "否则网站会把它当作正文显示。请把这一行改为 ---。",
                )
            ],
        )
    if unclosed:
        return ParsedFile(
            {},
            text,
            problems=[
                Problem(
                    path,
                    unclosed,
                    "front matter（元数据块）没有结束：第 1 行的 --- 之后找不到结束的 ---。"
                    "请在最后一个字段之后单独加一行 ---。",
                )
            ],
        )
    if fm_text is None:
        return ParsedFile({}, body)

    parsed = ParsedFile({}, body, text.count("\n", 0, len(text) - len(body)) + 1, has_front_matter=True)
    offset = yaml_first_line  # YAML's 0-based line 0 is this line of the file

    def fullwidth_colon_problems() -> list[Problem]:
        found = []
        for i, raw_line in enumerate(fm_text.split("\n")):
            space = _FULLWIDTH_SPACE.match(raw_line)
            if space:
                key, rest = space.group("key").strip(), space.group("rest")
                found.append(
                    Problem(
                        path,
                        i + offset,
                        f"“{key}:”后面是全角空格“　”，YAML 只认半角空格。"
                        f"请改为 {key}: {rest}（半角冒号“:”后加一个半角空格）。",
                    )
                )
                continue
            m = _FULLWIDTH_KEY.match(raw_line)
            if m:
                key, rest = m.group("key").strip(), m.group("rest")
                found.append(
                    Problem(
                        path,
                        i + offset,
                        f"“{key}”后面用了全角冒号“：”，YAML 只认半角冒号。"
                        f"请改为 {key}: {rest}（半角冒号“:”后加一个空格）。",
                    )
                )
        return found

    limit = _limit_problem(fm_text, path, offset)
    if limit is not None:
        parsed.problems = [limit]
        return parsed

    loader = _Loader(fm_text)
    try:
        node = loader.get_single_node()
        duplicates: list = []
        if node is not None:
            _record_lines(node, (), parsed.lines, offset, duplicates)
            data = loader.construct_document(node)
        else:
            data = {}
    except yaml.MarkedYAMLError as exc:
        parsed.problems = fullwidth_colon_problems()
        if not parsed.problems:
            line, message = _yaml_message(exc)
            parsed.problems = [Problem(path, (line or 0) + offset, message)]
        return parsed
    finally:
        loader.dispose()

    if not isinstance(data, dict):
        parsed.problems = fullwidth_colon_problems() or [
            Problem(
                path,
                node.start_mark.line + offset if node is not None else offset,
                f"front matter 应当是一组“键: 值”，例如 title: 标题；现在它是{_kind(data)}。请按编辑指南改写。",
            )
        ]
        return parsed
    for key_path, first, second in duplicates:
        parsed.problems.append(
            Problem(
                path,
                second,
                f"字段“{'.'.join(map(str, key_path))}”重复出现（第 {first} 行和第 {second} 行），后一个会覆盖前一个。请删掉其中一行。",
            )
        )
    parsed.meta = {str(k): v for k, v in data.items()}
    return parsed


def _limit_problem(fm_text: str, path: str, offset: int) -> Problem | None:
    """Refuse what would make reading unbounded, before the node tree is built or walked.

    An alias (`*name`) repeats an anchored (`&name`) value wherever it is used, so a few hundred
    bytes of nested aliases expand to millions of nodes (tens of seconds and gigabytes to record
    their lines); no field needs them. Deep nesting would exhaust the recursion that records
    lines. The scan is a single linear pass over libyaml's tokens."""
    if len(fm_text) > _MAX_FRONT_MATTER:
        return Problem(
            path,
            offset,
            f"front matter 太长（{len(fm_text)} 个字符，最多 {_MAX_FRONT_MATTER}）。"
            "长的内容请写在正文里（结束的 --- 之后）。",
        )
    depth = 0
    try:
        for token in yaml.scan(fm_text, Loader=_BaseLoader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                return Problem(
                    path,
                    token.start_mark.line + offset,
                    f"这一行用了 YAML 的锚点或别名“{sign}{token.value}”。front matter 不支持锚点（&名称）和别名（*名称）："
                    "请把要重复的内容直接写出来；如果“&”或“*”是文字的一部分，请用英文双引号括起整个值。",
                )
            if isinstance(token, _OPENING_TOKENS):
                depth += 1
                if depth > _MAX_DEPTH:
                    return Problem(
                        path,
                        token.start_mark.line + offset,
                        f"这一行嵌套太深（超过 {_MAX_DEPTH} 层）。front matter 的字段最多嵌套几层，请按编辑指南改写。",
                    )
            elif isinstance(token, _CLOSING_TOKENS):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: composing reports it with its line and fix
    return None


_OPENING_TOKENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING_TOKENS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _kind(value) -> str:
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, str):
        return f"一段文字“{value[:20]}”"
    if isinstance(value, (dt.date, int, float, bool)):
        return f"一个单独的值“{value}”"
    return "无法识别的内容"


def read(raw: bytes, path: str) -> ParsedFile:
    text, problems = decode(raw, path)
    if text is None:
        return ParsedFile({}, "", problems=problems)
    return parse(text, path)
