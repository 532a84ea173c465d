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
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..content import schemas

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


def _yaml_value(key: str, value):
    # One lead unit reads as it always did (lead_unit: 区政协办公室), unless its name holds a
    # separator: as a string it would be read back as several units.
    if key == "lead_unit" and isinstance(value, list) and len(value) == 1 and schemas.split_units(value[0]) == value:
        return value[0]
    if isinstance(value, str):
        return value
    if key != "milestones" and isinstance(value, list):  # units, names: [a, b] as the archetypes write them
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if key == "milestones":
        seq = CommentedSeq()
        for m in value:
            item = CommentedMap()
            item["date"] = m["date"] if isinstance(m["date"], dt.date) else dt.date.fromisoformat(str(m["date"]))
            item["note"] = m["note"]
            seq.append(item)
        return seq
    return value


def update_text(text: str, fields: dict, new_milestones: list[dict] | None = None, model=schemas.WorkPoint) -> str:
    """The page text with `fields` set and `new_milestones` appended; all else byte for byte.
    A new key goes where `model` (the page's schema) lists it."""
    bom, front_matter, rest, newline = split(text)
    y = _yaml(front_matter)
    data = y.load(front_matter) or CommentedMap()
    order = list(model.model_fields)
    for key, value in fields.items():
        if key == "milestones":
            continue
        if key in data:
            data[key] = _yaml_value(key, value)
        else:
            data.insert(_position(data, key, order), key, _yaml_value(key, value))
    if new_milestones:
        if "milestones" in data and isinstance(data["milestones"], list):
            for item in _yaml_value("milestones", new_milestones):
                data["milestones"].append(item)
        else:
            data.insert(_position(data, "milestones", order), "milestones", _yaml_value("milestones", new_milestones))
    out = io.StringIO()
    y.dump(data, out)
    result = "---\n" + out.getvalue() + rest
    return bom + (result.replace("\n", "\r\n") if newline == "\r\n" else result)


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
