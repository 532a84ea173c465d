"""`kb new`: a new record from its collection's archetype (like Hugo's archetypes/).

Each collection's archetype (archetype.md in its folder under scripts/kb/collections/) lists each
field with a comment naming its allowed values, taken from the vocabularies, so an editor filling
one in sees the choices. Fields the editor did not give stay empty: the site shows them as "not
recorded yet" rather than guessing. Which options a collection takes, and whether it is dated,
is its declaration (content/collection.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import typing
from pathlib import Path

import jinja2

from ..content import vocab
from ..content.collection import Collection, Registry
from ..content.fields import vocabulary_of
from ..content.frontmatter_parse import parse
from ..content.validate import validate

_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")


class ScaffoldError(Exception):
    pass


# A file name made from a title is at most this long (the guide says so); the date or year and
# number that some collections put in front come on top.
SLUG_MAX = 60


def _words(title: str) -> list[str]:
    """The title cut into words with jieba (already the search's segmenter) before pypinyin reads
    it: pypinyin alone matches its phrase list greedily across word boundaries, so the particle 的
    before 士兵 or 确定 was read as the di of 的士 and 的确. Word by word it is de, and 目的 stays mu-di."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter in `kb new`
    return jieba.lcut(title, HMM=False)


def _pinyin(word: str) -> list[str]:
    # Imported when a title is slugged: pypinyin's phrase tables take a third of a second to load,
    # which every build and kb command would otherwise pay.
    from pypinyin import lazy_pinyin

    return lazy_pinyin(word)


def slugify(title: str, max_length: int = SLUG_MAX) -> str:
    """ASCII slug from a Chinese or English title: 长城文化讲座 -> chang-cheng-wen-hua-jiang-zuo.

    A long title is cut after the last whole word that fits in `max_length` (after the last whole
    syllable if even the first word is longer): never "…-jian-y"."""
    words = [[s.lower() for part in _pinyin(word) for s in re.findall(r"[A-Za-z0-9]+", part)] for word in _words(title)]
    words = [w for w in words if w]
    slug = ""
    for word in words:
        longer = "-".join(filter(None, [slug, *word]))
        if len(longer) <= max_length:
            slug = longer
            continue
        for syllable in word if not slug else ():  # the first word alone is too long
            if len(longer := "-".join(filter(None, [slug, syllable]))) > max_length:
                break
            slug = longer
        break
    if not slug and words:  # one English word longer than the limit
        slug = words[0][0][:max_length]
    return slug or "record"


def _yaml_value(value) -> str:
    """A scalar safe to drop into YAML: JSON strings are valid YAML and quote everything risky."""
    if value is None or value == "":
        return ""
    return json.dumps(str(value), ensure_ascii=False)


def is_list_field(model, name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and typing.get_origin(info.annotation) is list


def _plain_scalar(model, name: str, value: str) -> bool:
    info = model.model_fields.get(name)
    kinds = set(typing.get_args(info.annotation) or (info.annotation,)) if info else set()
    value = value.strip()
    return (int in kinds and value.isdigit()) or (
        dt.date in kinds and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None
    )


def split_list(text: str) -> list[str]:
    """`--points 2024-02,2024-08` (also with Chinese commas or 、) -> ["2024-02", "2024-08"]."""
    return [p for p in _LIST_SEPARATORS.split(str(text).strip()) if p]


@functools.cache
def _template(archetype: Path) -> jinja2.Template:
    # Compiled once: `kb import proposals` renders one record per row (compiling was 2/3 of its time).
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined, keep_trailing_newline=True, autoescape=False)
    return env.from_string(archetype.read_text("utf-8"))


def render(collection: Collection, archetype: Path, *, title: str, date: dt.date | str | None, fields: dict) -> str:
    model = collection.model
    template = _template(archetype)
    values = {}
    for name, value in fields.items():
        v = vocabulary_of(model, name)
        if v is not None:  # `--status 已办复` as well as `--status replied`: the file holds the code
            value = v.code_for(value) or value
        if is_list_field(model, name):  # a list as an importer split it, or the text of an option
            items = value if isinstance(value, list) else split_list(value)
            values[name] = ", ".join(_yaml_value(v) for v in items)
        elif _plain_scalar(model, name, str(value)):
            values[name] = str(value).strip()  # a number or a date, written as YAML reads it
        else:
            values[name] = _yaml_value(value)
    day = date.isoformat() if isinstance(date, dt.date) else _yaml_value(date)
    text = template.render(title=_yaml_value(title), date=day, when=day, vocab=vocab.ALL, **values)
    # a field left empty ("venue: ") would keep a trailing space, which editors' tools and the
    # task-sheet import then strip: a needless difference in `git diff`
    return "\n".join(line.rstrip() for line in text.split("\n"))


def missing_refs(docs: Path, collection: Collection, registry: Registry, fields: dict) -> str | None:
    """The first of the collection's `Ref` options (`--points 2024-02,2024-08`) that names pages
    not in docs/ (without loading the site: the target collection's `ref_path` says where each
    would be), as a message with the fix; None when every one exists."""
    for ref in collection.refs:
        target = registry.by_name.get(ref.target) if ref.target else None
        if target is None or target.ref_path is None or not fields.get(ref.field):
            continue
        missing = [v for v in split_list(fields[ref.field]) if not _exists(docs, target.ref_path(v))]
        if missing:
            return target.ref_option_missing.format(field=ref.field.replace("_", "-"), refs="、".join(missing))
    return None


def _exists(docs: Path, src: str | None) -> bool:
    return src is not None and (docs / src).is_file()


def create(
    docs: Path,
    collection: Collection,
    registry: Registry,
    *,
    title: str,
    date: dt.date | str | None,
    slug: str | None,
    fields: dict,
) -> Path:
    path, text = prepare(docs, collection, registry, title=title, date=date, slug=slug, fields=fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def prepare(
    docs: Path,
    collection: Collection,
    registry: Registry,
    *,
    title: str,
    date: dt.date | str | None,
    slug: str | None,
    fields: dict,
) -> tuple[Path, str]:
    """(path, text) of a new record that passes `kb check`; nothing written (importers write a
    whole batch only when every record of it is valid)."""
    target_collection = collection
    archetype = registry.archetype(collection)
    if archetype is None or not collection.folder:
        creatable = registry.creatable()
        raise ScaffoldError(f"没有“{collection.name}”这类记录。可选：{'、'.join(sorted(creatable))}")
    if target_collection.date_field and date is None:
        # Never "today": a record dated by when it was typed in would be wrong without a warning.
        raise ScaffoldError(
            f"新建{target_collection.titles['zh']}记录必须给出日期：--date YYYY-MM-DD，例如 --date 2024-05-20。"
        )
    missing = missing_refs(docs, collection, registry, fields)
    if missing:
        raise ScaffoldError(missing)
    slug = slug or slugify(title)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ScaffoldError(f"文件名“{slug}”只能用小写英文字母、数字和“-”。")
    day = date.isoformat() if isinstance(date, dt.date) else str(date or "")
    prefix = "-".join(
        day if name == "date" else f"{int(fields[name]):03d}" if name == "number" else str(fields[name])
        for name in target_collection.slug_prefix
        if (day if name == "date" else fields.get(name)) and (name != "number" or str(fields[name]).isdigit())
    )
    if prefix and not slug.startswith(prefix):
        slug = f"{prefix}-{slug}"
    path = docs / target_collection.folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} 已经存在。请用 --slug 另起一个文件名。")
    text = render(collection, archetype, title=title, date=date, fields=fields)
    # Refuse to write a record that would not pass `kb check` (e.g. a bad --speaker-role).
    parsed = parse(text, str(path))
    # A value YAML cannot read (e.g. an impossible date) stops the parse: report only that.
    problems = parsed.problems or validate(parsed, target_collection.model, str(path))[1]
    if problems:
        raise ScaffoldError("参数有误，没有创建文件：\n" + "\n".join(p.message for p in problems))
    return path, text
