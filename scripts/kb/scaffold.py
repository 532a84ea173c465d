"""`kb new`: a new record from its collection's archetype (like Hugo's archetypes/).

The archetypes in scripts/kb/archetypes/ list each field with a comment naming its allowed
values, taken from the vocabularies, so an editor filling one in sees the choices. Fields the
editor did not give stay empty: the site shows them as "not recorded yet" rather than guessing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jinja2
from pypinyin import lazy_pinyin

from . import schemas, vocab
from .frontmatter_parse import parse
from .validate import validate

ARCHETYPES_DIR = Path(__file__).parent / "archetypes"
ARCHETYPES = {p.stem: p for p in ARCHETYPES_DIR.glob("*.md")}
OPTIONAL_FIELDS = (
    "speaker",
    "speaker_role",
    "topic_kind",
    "venue",
    "kind",
    "status",
    "partner",
    "points",
    "location",
    "date_source",
)


class ScaffoldError(Exception):
    pass


def slugify(title: str, max_length: int = 60) -> str:
    """ASCII slug from a Chinese or English title: 长城文化讲座 -> chang-cheng-wen-hua-jiang-zuo."""
    words = [w.lower() for part in lazy_pinyin(title) for w in re.findall(r"[A-Za-z0-9]+", part)]
    slug = "-".join(words)[:max_length].strip("-")
    return slug or "record"


def _yaml_value(value) -> str:
    """A scalar safe to drop into YAML: JSON strings are valid YAML and quote everything risky."""
    if value is None or value == "":
        return ""
    return json.dumps(str(value), ensure_ascii=False)


def render(collection: str, *, title: str, date: dt.date, fields: dict) -> str:
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, keep_trailing_newline=True, autoescape=False)
    template = env.from_string(ARCHETYPES[collection].read_text("utf-8"))
    values = {k: _yaml_value(v) for k, v in fields.items() if k != "points"}
    points = ", ".join(p.strip() for p in str(fields.get("points") or "").split(",") if p.strip())
    return template.render(
        title=_yaml_value(title), date=date.isoformat(), when=date.isoformat(), points=points, vocab=vocab.ALL, **values
    )


def create(docs: Path, collection: str, *, title: str, date: dt.date | None, slug: str | None, fields: dict) -> Path:
    if collection not in ARCHETYPES:
        raise ScaffoldError(f"没有“{collection}”这类记录。可选：{'、'.join(sorted(ARCHETYPES))}")
    target_collection = schemas.COLLECTIONS[collection]
    date = date or dt.date.today()
    slug = slug or slugify(title)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ScaffoldError(f"文件名“{slug}”只能用小写英文字母、数字和“-”。")
    if collection in ("lecture", "event") and not slug.startswith(date.isoformat()):
        slug = f"{date.isoformat()}-{slug}"
    path = docs / target_collection.folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} 已经存在。请用 --slug 另起一个文件名。")
    text = render(collection, title=title, date=date, fields=fields)
    # Refuse to write a record that would not pass `kb check` (e.g. a bad --speaker-role).
    parsed = parse(text, str(path))
    _, problems = validate(parsed, target_collection.model, str(path))
    problems = parsed.problems + problems
    if problems:
        raise ScaffoldError("参数有误，没有创建文件：\n" + "\n".join(p.message for p in problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path
