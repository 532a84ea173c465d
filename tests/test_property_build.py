"""If `kb check` passes, the build succeeds: a property test over generated front matter.

Hypothesis generates records for every collection in `REGISTRY.by_name` (and English
translations), with values drawn from each field's declared type mixed with hostile ones (markup,
control characters, out-of-range dates and numbers, .nan, wrong types, unknown keys). Each example
writes a batch of records into a copy of the small fixture tree; the records `kb check` refuses
are removed (the check is the same code the build runs), and the rest must build with the real
configuration, strictly. Builds take seconds, so examples are few and each carries many records;
KB_PROPERTY_EXAMPLES raises the count for a longer local run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import types
import typing
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from scripts.kb.adapter import inventory, runner
from scripts.kb.collections import REGISTRY
from scripts.kb.content import fields
from scripts.kb.content.collection import Collection

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "lectures-site"
EXAMPLES = int(os.environ.get("KB_PROPERTY_EXAMPLES", "3"))

HOSTILE_TEXT = [
    "{: onfocus=alert(1) autofocus tabindex=0 }",
    '">【系统通知】',
    "*强调* _下划线_ [链接](http://evil.invalid) `代码`",
    "| a | b |",
    "# 标题",
    "<script>alert(1)</script>",
    "&lt;b&gt; &amp; R&D",
    "行一\n行二",
    "制表\t符",
    "控制\x01字符",
    "\u202e反向",
    "  ",
    "-",
    "!!!",
    '关于"京西古道"的讲座',
    "x" * 300,
]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(HOSTILE_TEXT),
    st.lists(st.sampled_from(["a", "2024-01", "x y"]), max_size=2),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)
# Text a one-line field accepts, tricky characters included: it must build as well.
text = st.one_of(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(
        ["门头沟区政协", "京西古道", "Great Wall", "委员 读书", "A & B", "50%", "{: .x #y }", "a|b", "*x*", "[a](b)"]
        + ["\\", "`", '关于"京西古道"的讲座', "1.", "- 列表", "---", "<", "a < b > c", "&amp;", "&#x3c;script&#x3e;"]
    ),
)
accepted_dates = st.dates(min_value=dt.date(1949, 1, 1), max_value=dt.date(2100, 12, 31))
dates = st.one_of(
    accepted_dates,
    accepted_dates,
    accepted_dates,
    st.sampled_from([dt.date(1949, 1, 1), dt.date(2100, 12, 31), dt.date(2024, 2, 29), dt.date(1948, 12, 31)]),
)


def value_for(annotation, name: str = "") -> st.SearchStrategy:
    """A strategy for one field: its declared type (values `kb check` may well accept)."""
    return _typed(annotation, name)


def _typed(annotation, name: str) -> st.SearchStrategy:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _typed(args[0], name)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([_typed(a, name) for a in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(value_for(args[0], name), min_size=1 if name == "sections" else 0, max_size=3)
    if annotation is type(None):
        return st.none()
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        if name in ("number", "section"):
            return st.integers(min_value=1, max_value=21)
        return st.integers(min_value=0, max_value=101)
    if annotation is float:
        return st.floats(allow_nan=True, allow_infinity=True)
    if annotation is dt.date:
        return dates
    if annotation is str:
        if name in ("points",):
            return st.sampled_from(["2024-01", "2024-02", "2024-99", "2023-01"])
        if name in ("related",):
            return st.sampled_from(["lectures/2024-05-20-district-key-tasks", "wenshi/none", "x"])
        return text
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return front_matter(annotation)
    if name == "when":  # an event's day, month or year
        return st.one_of(dates, st.integers(min_value=1945, max_value=2105), st.sampled_from(["2024-04", "2100-12"]))
    return junk


def front_matter(model: type[BaseModel]) -> st.SearchStrategy:
    """Front matter of the declared types; one record in six has one field (or an unknown key)
    replaced by anything at all."""
    fields = model.model_fields
    required = {n: value_for(f.annotation, n) for n, f in fields.items() if f.is_required()}
    optional = {n: value_for(f.annotation, n) for n, f in fields.items() if not f.is_required()}
    typed = st.fixed_dictionaries(required, optional=optional)

    def spoil(meta: dict, key: str, value) -> dict:
        return {**meta, key: value}

    spoiled = st.builds(spoil, typed, st.sampled_from([*fields, "bogus_field"]), junk)
    return st.one_of(typed, typed, typed, typed, typed, spoiled)


def _where(collection: Collection, meta: dict, i: int) -> str:
    """A path the collection's pattern matches; work points are named by their number."""
    if collection is REGISTRY["point"]:
        number = meta.get("number")
        n = number if isinstance(number, int) and not isinstance(number, bool) and 3 <= number <= 99 else 50 + i
        return f"plan/2024/{n:02d}.md"
    if collection is REGISTRY["plan"]:
        return f"plan/{2030 + i}/index.md"
    if collection is REGISTRY.page:
        return f"notes/page-{i}.md"
    pattern = collection.patterns[0]
    return pattern.replace("*", f"2024-01-{i % 28 + 1:02d}-generated-{i}")


def _record(collection: Collection) -> st.SearchStrategy:
    def fix(meta: dict) -> dict:
        if collection is REGISTRY["point"] and isinstance(meta.get("year"), int):
            meta["year"] = 2024  # the fixture's plan year
        if collection is REGISTRY["plan"] and isinstance(meta.get("year"), int):
            meta["year"] = 2030  # rewritten to its folder's year in _write
        if collection is REGISTRY["point"] and "section" in meta and isinstance(meta["section"], int):
            meta["section"] = 1 + abs(meta["section"]) % 3  # the fixture's plan has sections 1 and 2
        return meta

    return st.tuples(st.just(collection), front_matter(collection.model).map(fix), st.booleans())


records = st.lists(st.one_of([_record(c) for c in REGISTRY]), min_size=6, max_size=16)
translations = front_matter(fields.Translation)


def _write(docs: Path, batch, translation_metas) -> dict[str, str]:
    written = {}
    for i, ((collection, meta, translate), english) in enumerate(zip(batch, translation_metas, strict=False)):
        src = _where(collection, meta, i)
        if src in written:
            continue
        if collection is REGISTRY["plan"] and meta.get("year") == 2030:
            meta = {**meta, "year": int(src.split("/")[1])}
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n生成的正文。\n"
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written[src] = text
        if translate:
            en_src = src[: -len(".md")] + ".en.md"
            en_text = "---\n" + yaml.safe_dump(english, allow_unicode=True, sort_keys=False) + "---\n\nGenerated.\n"
            (docs / en_src).write_text(en_text, "utf-8")
            written[en_src] = en_text
    return written


def _drop_refused(docs: Path, written: dict[str, str]) -> int:
    """Remove every generated file `kb check` refuses, until it passes; return how many remain."""
    for _ in range(len(written) + 1):
        kb = inventory.load_knowledge_base(
            docs, include_drafts=True, edition="members", display_root=docs.parent, with_history=False
        )
        bad = {p.path.removeprefix("docs/") for p in kb.problems if p.severity == "error"}
        if not bad:
            return sum((docs / src).exists() for src in written)
        assert bad <= set(written), f"kb check refused a file the test did not generate: {bad - set(written)}"
        for src in bad:
            (docs / src).unlink(missing_ok=True)
            if not src.endswith(".en.md"):
                (docs / (src[: -len(".md")] + ".en.md")).unlink(missing_ok=True)
    raise AssertionError("kb check kept refusing")


@pytest.mark.parametrize("edition", ["public", "members"])
def test_what_kb_check_accepts_builds(tmp_path_factory, edition):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(batch=records, english=st.lists(translations, min_size=16, max_size=16))
    def property_(batch, english):
        tmp = tmp_path_factory.mktemp("property")
        docs = tmp / "docs"
        shutil.copytree(FIXTURE, docs)
        written = _write(docs, batch, english)
        _drop_refused(docs, written)
        result = runner.build(docs, tmp / "site", env={"KB_EDITION": edition})
        kept = {src: text for src, text in written.items() if (docs / src).exists()}
        assert result.returncode == 0, (
            "kb check passed, but the build failed.\n"
            + "\n".join(f"--- {src}\n{text}" for src, text in kept.items())
            + f"\n--- stderr ---\n{result.stderr[-4000:]}"
        )
        assert "Traceback" not in result.stderr
        shutil.rmtree(tmp)

    property_()
