"""Checking parsed front matter against a collection's schema, with messages editors can act on."""

from __future__ import annotations

import datetime as dt
import difflib
import typing

from pydantic import BaseModel, ValidationError

from . import fields
from .frontmatter_parse import ParsedFile
from .problems import Problem

_YAML_WORDS = "YAML 会把 yes/no/on/off/true/false 当作真假值、把 2024 当作数字、把 2024-05-01 当作日期；如果要写文字，请用英文双引号括起来。"


def _type_name(value) -> str:
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, int):
        return f"数字 {value}"
    if isinstance(value, float):
        return f"小数 {value}"
    if isinstance(value, dt.datetime):
        return f"日期时间 {value}"
    if isinstance(value, dt.date):
        return f"日期 {value}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "“键: 值”组"
    if value is None:
        return "空值"
    return f"文字“{value}”"


def _field_name(loc: tuple) -> str:
    """("milestones", 1, "date") -> "milestones 的第 2 项的 date": list items counted from 1."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f" 的第 {part + 1} 项"
        else:
            out += f"{'' if out.endswith('项') else ' '}的 {part}" if out else str(part)
    return out


def _bounds(model: type[BaseModel], loc: tuple) -> tuple[object, object]:
    """(lowest, highest) allowed for the number at `loc` (None where unbounded)."""
    info = model.model_fields.get(str(loc[0])) if len(loc) == 1 else None
    low = high = None
    for m in info.metadata if info else []:
        low = getattr(m, "ge", low)
        high = getattr(m, "le", high)
    return low, high


def _vocabulary(model: type[BaseModel], loc: tuple):
    """The vocabulary bound to the field at `loc` (not one that shares the field's name: an
    event's `status` is not a work point's), or None."""
    names = [p for p in loc if isinstance(p, str)]
    for name in names[:-1]:  # descend into nested models (e.g. milestones -> Milestone)
        info = model.model_fields.get(name)
        nested = (
            [a for a in typing.get_args(info.annotation) or (info.annotation,) if isinstance(a, type)] if info else []
        )
        models = [a for a in nested if issubclass(a, BaseModel)]
        if not models:
            return None
        model = models[0]
    return fields.vocabulary_of(model, names[-1]) if names else None


def _message(err: dict, model: type[BaseModel]) -> str:
    loc = tuple(err["loc"])
    field = _field_name(loc)
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        info = model.model_fields.get(str(loc[0]))
        what = f"（{info.description.rstrip('。')}）" if info is not None and info.description and len(loc) == 1 else ""
        return f"缺少必填字段“{field}”{what}。请添加一行 {loc[-1]}: …"
    if kind == "extra_forbidden":
        known = list(model.model_fields) if len(loc) == 1 else []
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        hint = f"是不是想写“{near[0]}”？" if near else ""
        listing = f"本类页面可用的字段：{'、'.join(known)}。" if known else ""
        return f"未知字段“{field}”。{hint}{listing}"
    if kind in ("literal_error", "enum"):
        v = _vocabulary(model, loc)
        code = v.code_for(value) if v and isinstance(value, str) else None
        if code is not None:  # the label the site shows: the file holds the code
            return f"字段“{field}”写的是“{value}”，这是 {code} 的显示名称；元数据里请写代码：{loc[-1]}: {code}。"
        allowed = v.describe("zh") if v else str(ctx.get("expected", ""))
        extra = _YAML_WORDS if isinstance(value, bool) else ""
        return f"字段“{field}”的值 {_type_name(value)} 不在允许范围内。可选值：{allowed}。{extra}"
    if kind == "string_type":
        if value is None:
            return f"字段“{field}”不能为空：请在冒号后写上内容，或删掉这一行。"
        return f"字段“{field}”应当是文字，现在是{_type_name(value)}。{_YAML_WORDS}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"字段“{field}”应当是整数，现在是{_type_name(value)}。"
    if kind == "finite_number":
        return f"字段“{field}”应当是普通的数字（例如 2），不能是 .nan 或 .inf。"
    if kind in ("float_type", "float_parsing"):
        return f"字段“{field}”应当是数字，现在是{_type_name(value)}。"
    if kind in ("bool_type", "bool_parsing"):
        return f"字段“{field}”应当是 true 或 false，现在是{_type_name(value)}。"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"字段“{field}”应当是日期，格式 YYYY-MM-DD（例如 2024-05-01），现在是{_type_name(value)}。"
    if kind == "list_type":
        return f"字段“{field}”应当是列表，例如 {loc[-1]}: [甲, 乙]，现在是{_type_name(value)}。"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"字段“{field}”应当是一组“键: 值”，现在是{_type_name(value)}。"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(model, loc)
        low = ctx.get("ge", low)
        high = ctx.get("le", high)
        if low is not None and high is not None:
            return f"{field} 必须在 {low} 到 {high} 之间，现在是 {value}。"
        if "gt" in ctx or "lt" in ctx:
            limit = ctx.get("gt", ctx.get("lt"))
            return f"{field} 必须{'大于' if 'gt' in ctx else '小于'} {limit}，现在是 {value}。"
        return (
            f"{field} 不能{'小于' if low is not None else '大于'} {low if low is not None else high}，现在是 {value}。"
        )
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return (
            f"字段“{field}”有 {len(value) if isinstance(value, str) else '很多'} 个字，超过了 {limit} 个字的上限："
            "标题会完整显示在浏览器标签、搜索结果、列表和分享卡片上。请改短，其余内容写进正文。"
        )
    if kind == "too_short":
        return f"字段“{field}”至少要有 {ctx.get('min_length', 1)} 项。"
    if kind == "string_pattern_mismatch":
        if str(loc[0]) == "points":
            return f"字段“{field}”的值“{value}”格式不对：工作要点写作 年度-两位序号，例如 2024-02。"
        return f"字段“{field}”的值“{value}”格式不对：只能用小写英文字母、数字、“-”和“/”，例如 wenshi/sanqin-accounts。"
    if kind == "value_error":
        reason = str(ctx.get("error", ""))
        if "no-markup" in reason:
            return f"字段“{field}”里不能写 HTML 标记（如 <script>、<b>）。请只写纯文字。"
        if "control-char:" in reason:
            code = reason.split("control-char:", 1)[1]
            what = (
                "换行"
                if code in ("U+000A", "U+000D", "U+2028", "U+2029")
                else "制表符"
                if code == "U+0009"
                else "控制字符"
            )
            return (
                f"字段“{field}”里有{what}（{code}）。这个字段只能写一行文字：请删掉它"
                "（如果是从别处复制来的文字，请重新输入）。"
            )
        if "year-range" in reason:
            from .fields import FIRST_YEAR, LAST_YEAR

            return (
                f"字段“{field}”的日期 {value} 不在 {FIRST_YEAR}—{LAST_YEAR} 年之间，"
                "可能是输入错误。请改为真实的日期，格式 YYYY-MM-DD。"
            )
        if "when-format" in reason:
            return f'字段“{field}”的值 {_type_name(value)} 不是可用的日期：写 2024-03-08（某一天）、"2024-04"（某月，要加引号）或 2024（某年），年份在 1949—2100 之间。'
        if "empty" in reason:
            return f"字段“{field}”不能为空。"
        return f"字段“{field}”的值不合法：{reason}"
    return f"字段“{field}”的值不合法（{err.get('msg', kind)}）。"


def validate(parsed: ParsedFile, model: type[BaseModel], path: str):
    """Return (instance or None, problems)."""
    try:
        return model.model_validate(parsed.meta), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = (
                parsed.line_of(loc)
                if loc and err["type"] != "missing"
                else parsed.line_of(loc[:-1])
                if len(loc) > 1
                else 1
            )
            problems.append(Problem(path, line, _message(err, model)))
        return None, problems
