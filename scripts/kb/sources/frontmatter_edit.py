"""Changing a few front-matter fields of a page and nothing else.

ruamel.yaml's round-trip mode keeps key order, comments, quoting and flow/block style of
everything it is not asked to change, so a `git diff` after `kb import tasks` shows only the
fields that changed. (A plain YAML dump would rewrite every line; a hand-made line editor would
have to re-implement YAML quoting.) Every front matter in docs/ round-trips unchanged through it:
tests/test_task_sheet.py checks that on the live docs/.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import typing
from pathlib import Path

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..content import fields as field_types

_BLOCK_SEQUENCE = re.compile(r"^[^\s#][^\n]*:[ \t]*\n(?P<indent>[ ]*)- ", re.MULTILINE)


def _yaml(front_matter: str) -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a long title or note onto a second line
    # Block lists keep the indentation the file already uses ("- x" or "  - x").
    m = _BLOCK_SEQUENCE.search(front_matter)
    offset = len(m.group("indent")) if m else 2
    y.indent(mapping=2, sequence=offset + 2, offset=offset)
    return y


def split(text: str) -> tuple[str, str, str, str]:
    """(bom, front-matter YAML, the rest from the closing ---, newline) of a page with front matter."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom) :]
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = re.search(r"^---[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        raise ValueError("front matter not closed")
    return bom, text[4 : 4 + end.start()], text[4 + end.start() :], newline


def _position(data: CommentedMap, key: str, order: list[str]) -> int:
    """Where a new key goes: after the last key the schema lists before it, so files stay in schema order."""
    before = order[: order.index(key)] if key in order else order
    keys = list(data.keys())
    last = max((keys.index(k) for k in before if k in data), default=len(keys) - 1)
    return last + 1


def _one_name_list(model, key: str) -> bool:
    """Whether field `key` is a list of names that a string is split into (content.fields.Units)."""
    info = model.model_fields.get(key)
    return info is not None and any(getattr(m, "func", None) is field_types.split_units for m in info.metadata)


def _item_dates(model, key: str) -> set[str]:
    """The date fields of the items of list field `key` (a point's milestones: "date")."""
    info = model.model_fields.get(key)
    for arg in typing.get_args(info.annotation) if info is not None else ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return {
                name
                for name, item in arg.model_fields.items()
                if item.annotation is dt.date or dt.date in typing.get_args(item.annotation)
            }
    return set()


def _yaml_value(model, key: str, value):
    # One name reads as it always did (lead_unit: 区政协办公室), unless it holds a separator: as a
    # string it would be read back as several names.
    if (
        isinstance(value, list)
        and len(value) == 1
        and _one_name_list(model, key)
        and field_types.split_units(value[0]) == value
    ):
        return value[0]
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        dates = _item_dates(model, key)
        seq = CommentedSeq()
        for v in value:
            item = CommentedMap()
            for k, x in v.items():
                item[k] = dt.date.fromisoformat(str(x)) if k in dates and not isinstance(x, dt.date) else x
            seq.append(item)
        return seq
    if isinstance(value, list):  # units, names: [a, b] as the archetypes write them
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    return value


def update_text(
    text: str, fields: dict, model, appended: dict[str, list] | None = None, removed: tuple[str, ...] = ()
) -> str:
    """The page text with `fields` set, the items of `appended` added at the end of their list
    fields and the keys `removed` taken out; all else byte for byte. A new key goes where `model`
    (the page's schema) lists it."""
    bom, front_matter, rest, newline = split(text)
    result = "---\n" + update_front(front_matter, fields, model, appended, removed) + rest
    return bom + (result.replace("\n", "\r\n") if newline == "\r\n" else result)


def update_front(
    front_matter: str, fields: dict, model, appended: dict[str, list] | None = None, removed: tuple[str, ...] = ()
) -> str:
    """`update_text` on the front matter's YAML alone (between the two --- lines)."""
    y = _yaml(front_matter)
    data = y.load(front_matter) or CommentedMap()
    order = list(model.model_fields)
    for key, value in fields.items():
        if key in data:
            data[key] = _yaml_value(model, key, value)
        else:
            data.insert(_position(data, key, order), key, _yaml_value(model, key, value))
    for key, items in (appended or {}).items():
        if not items:
            continue
        if key in data and isinstance(data[key], list):
            for item in _yaml_value(model, key, items):
                data[key].append(item)
        else:
            data.insert(_position(data, key, order), key, _yaml_value(model, key, items))
    for key in removed:
        data.pop(key, None)
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def problems_in(text: str, path: Path | str, model) -> list[str]:
    """What `kb check` would say about this page text (its parser, limits and schema): importers
    call it on what they are about to write, so they never write a page the build refuses."""
    from ..content.frontmatter_parse import parse
    from ..content.validate import validate

    parsed = parse(text, str(path))
    return [p.message for p in (parsed.problems or validate(parsed, model, str(path))[1])]


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.kb-tmp")
    tmp.write_bytes(text.encode("utf-8"))
    os.replace(tmp, path)
