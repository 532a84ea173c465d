"""The field reference of the editors' guide, read from the schemas so it cannot drift."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import vocab
from ..content.collection import Collection, Registry
from ..content.model import KnowledgeBase
from .render import Renderer

_TYPES = {
    "zh": {
        "string": "文字",
        "date": "日期 YYYY-MM-DD",
        "integer": "整数",
        "number": "数字",
        "boolean": "true 或 false",
        "array": "列表",
        "object": "键值组",
    },
    "en": {
        "string": "text",
        "date": "date YYYY-MM-DD",
        "integer": "whole number",
        "number": "number",
        "boolean": "true or false",
        "array": "list",
        "object": "mapping",
    },
}


@dataclass
class FieldRow:
    name: str
    required: bool
    kind: str
    allowed: str | None
    default: str | None
    description: str


def _type_of(prop: dict) -> dict:
    """The non-null branch of an Optional field's schema."""
    for branch in prop.get("anyOf", []):
        if branch.get("type") != "null":
            return branch
    return prop


def field_rows(model, lang: str) -> list[FieldRow]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema["properties"].items():
        t = _type_of(prop)
        if "$ref" in t:
            kind = _TYPES[lang]["object"]
        elif t.get("format") == "date":
            kind = _TYPES[lang]["date"]
        else:
            kind = _TYPES[lang].get(t.get("type", "string"), t.get("type", ""))
        v = vocab.ALL.get(prop.get("x-vocab", ""))  # the vocabulary bound to this field (fields.coded)
        allowed = v.describe(lang) if v else ", ".join(t.get("items", {}).get("enum", [])) or None
        default = prop.get("default")
        shown_default = None if default in (None, [], False) else str(default)
        description = prop.get("description", "") if lang == "zh" else prop.get("x-description-en", "")
        rows.append(FieldRow(name, name in required, kind, allowed, shown_default, description))
    return rows


def collections_for_guide(registry: Registry) -> list[Collection]:
    """Collections in the order the guide explains them (each declaration's `guide_order`)."""
    shown = [c for c in registry if c.guide_order is not None]
    return sorted(shown, key=lambda c: c.guide_order)


def field_reference(kb: KnowledgeBase, page_src: str, lang: str, args: list[str]) -> str:
    """The guide's `<!-- kb:field-reference -->`: every collection's fields, from its model."""
    return Renderer(kb, page_src, lang).render(
        "field-reference.md.j2",
        collections=collections_for_guide(kb.registry),
        rows=lambda c: field_rows(c.model, lang),
    )
