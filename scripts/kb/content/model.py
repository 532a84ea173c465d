"""The knowledge base as plain Python: entries, their translations, and the queries on them.

`loader.py` reads and validates a docs tree into a `KnowledgeBase` (the pages to read come from
the MkDocs adapter's `inventory`, MkDocs' own file discovery, so `kb check` sees exactly the pages
the build renders) with the collections' registry (content/collection.py); `checks.py` holds the
cross-file checks; `listings.py` groups and sorts entries for the generated listings. Nothing
here imports MkDocs or names a collection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from . import fields, markers
from .collection import Collection, Registry
from .frontmatter_parse import ParsedFile
from .problems import Problem, errors
from .urls import DEFAULT_LANG, LANGS, directory_url, split_lang

__all__ = ["DEFAULT_LANG", "LANGS", "split_lang"]  # the language rule lives in urls.py
MARKER = markers.MARKER
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def text_hash(body: str, meta_title: str, extra: str = "") -> str:
    """Fingerprint of what a translation translates: the Chinese title, body and translatable fields."""
    normal = "\n".join(line.rstrip() for line in (meta_title + "\n" + extra + "\n" + body).strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def translatable_text(collection: Collection, data: BaseModel) -> str:
    """The fields a translation carries besides title and body, as one string for `text_hash`.

    Only what the collection's translation model translates (a plan's section headings, a point's
    lead and cooperating units and milestone notes): status, progress, deadline and the other
    fields a translation takes from the Chinese page never make it stale. In a list of items
    (milestones) only the translated parts count, not the keys that match them (`x-match-key`:
    a milestone's date), and in no particular order. Unset fields are left out, so adding a
    translatable field to the schema does not mark every existing translation stale."""
    model = collection.translation_model
    translatable = set(model.model_fields) - set(fields.Translation.model_fields)
    values = {}
    for name, value in data.model_dump(mode="json", include=translatable).items():
        if value in (None, [], ""):
            continue
        keys = _match_keys(model, name)
        if keys and isinstance(value, list):
            value = sorted(
                (
                    json.dumps({k: v for k, v in item.items() if k not in keys}, ensure_ascii=False, sort_keys=True)
                    for item in value
                ),
            )
        values[name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""


def _match_keys(model: type[BaseModel], name: str) -> set[str]:
    """Fields of a list item model (under `name`) marked `x-match-key`."""
    annotation = model.model_fields[name].annotation
    for item in typing.get_args(annotation):
        if isinstance(item, type) and issubclass(item, BaseModel):
            return {
                k
                for k, info in item.model_fields.items()
                if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("x-match-key")
            }
    return set()


class LocalizedMilestone(NamedTuple):
    date: dt.date
    note: str
    in_lang: bool  # False: the Chinese note, shown on a page in another language


@dataclass
class TranslatedPage:
    src: str  # docs-relative, e.g. "plan/2024/01.en.md"
    lang: str
    data: BaseModel
    body: str
    parsed: ParsedFile
    updated: dt.date | None = None  # last commit touching the file
    changed: dt.datetime | None = None  # the time of that commit


@dataclass
class Entry:
    src: str  # docs-relative Chinese source, e.g. "plan/2024/01.md"
    collection: Collection
    data: BaseModel
    body: str
    parsed: ParsedFile
    translations: dict[str, TranslatedPage] = field(default_factory=dict)
    updated: dt.date | None = None  # last commit touching the file (None outside git)
    changed: dt.datetime | None = None  # the time of that commit, with its UTC offset

    @property
    def id(self) -> str:
        """How other pages name it (a `Ref` field's value): its docs path without .md, unless its
        collection declares otherwise (a work point is "2024-05")."""
        if self.collection.entry_id is not None:
            return self.collection.entry_id(self)
        return self.src[: -len(".md")]

    @property
    def url(self) -> str:
        """Directory URL relative to the language root, e.g. "plan/2024/01/"."""
        return directory_url(self.src)

    @property
    def draft(self) -> bool:
        return bool(getattr(self.data, "draft", False))

    @property
    def visibility(self) -> str:
        return getattr(self.data, "visibility", "public")

    def translated(self, lang: str) -> TranslatedPage | None:
        return None if lang == DEFAULT_LANG else self.translations.get(lang)

    def title(self, lang: str) -> str:
        t = self.translated(lang)
        return t.data.title if t else self.data.title

    def body_for(self, lang: str) -> str:
        t = self.translated(lang)
        return t.body if t else self.body

    def bodies(self) -> list[tuple[str, str]]:
        """(source path, body) of the page and of each translation."""
        return [(self.src, self.body)] + [(t.src, t.body) for t in self.translations.values()]

    def updated_for(self, lang: str) -> dt.date | None:
        t = self.translated(lang)
        dates = [d for d in (self.updated, t.updated if t else None) if d]
        return max(dates) if dates else None

    def localized(self, name: str, lang: str):
        """(value, in_lang): a field in `lang` where the translation gives it, else the Chinese
        value (in_lang False on a page in another language: shown marked lang="zh")."""
        t = self.translated(lang)
        value = getattr(t.data, name, None) if t else None
        if value:
            return value, True
        return getattr(self.data, name, None), lang == DEFAULT_LANG

    def milestones_for(self, lang: str) -> list[LocalizedMilestone]:
        """A point's milestones as (date, note, translated), each note translated where the
        translation has a note for that date (the Chinese note otherwise)."""
        t = self.translated(lang)
        notes = {m.date: m.note for m in getattr(t.data, "milestones", [])} if t else {}
        return [
            LocalizedMilestone(m.date, notes.get(m.date, m.note), m.date in notes or lang == DEFAULT_LANG)
            for m in getattr(self.data, "milestones", [])
        ]

    def changed_for(self, lang: str) -> dt.datetime | None:
        """When the page a reader of `lang` sees last changed (its own file or its translation)."""
        t = self.translated(lang)
        times = [d for d in (self.changed, t.changed if t else None) if d]
        return max(times) if times else None

    def source_hash(self) -> str:
        return text_hash(self.body, self.data.title, translatable_text(self.collection, self.data))


@dataclass
class KnowledgeBase:
    docs_dir: Path
    registry: Registry
    entries: dict[str, Entry] = field(default_factory=dict)  # by Chinese src path
    problems: list[Problem] = field(default_factory=list)
    # Pages (Chinese src paths) that are there but failed to parse or validate: not entries, yet
    # other checks must not report them missing (a point 03.md with a bad field is no gap at 3).
    invalid: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)  # src paths (all languages) left out of this edition
    # Other files (attachments, images) that only hidden pages link to or show: left out as well.
    hidden_files: set[str] = field(default_factory=set)

    # Lookups are memoised: the knowledge base does not change once loaded (load_knowledge_base
    # clears the memo after it removes hidden entries), and pages ask for the same indexes often.
    # Collections' own queries (scripts/kb/collections/<name>/) memoise here too (`cached`).
    _memo: dict = field(default_factory=dict, repr=False)

    def cached(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # --- queries -------------------------------------------------------------------------
    def of(self, collection: Collection | str) -> list[Entry]:
        name = collection if isinstance(collection, str) else collection.name
        return self.cached(("of", name), lambda: [e for e in self.entries.values() if e.collection.name == name])

    def listed(self, collection: Collection | str) -> list[Entry]:
        """A collection's entries in its declared order."""
        c = self.registry[collection] if isinstance(collection, str) else collection
        return self.cached(
            ("listed", c.name),
            lambda: sorted(self.of(c), key=c.sort_key, reverse=c.newest_first) if c.sort_key else self.of(c),
        )

    def records(self) -> list[Entry]:
        return self.cached("records", lambda: [e for e in self.entries.values() if e.collection.is_record])

    def by_id(self, collection: str, entry_id: str) -> Entry | None:
        """The entry of `collection` that other pages name `entry_id`."""
        return self.cached(("by-id", collection), lambda: {e.id: e for e in self.of(collection)}).get(entry_id)

    def by_ref(self, ref: str) -> Entry | None:
        return self.entries.get(f"{ref}.md")

    def referenced(self, ref, value: str) -> Entry | None:
        """The entry a `Ref` field's value names, if any."""
        return self.by_id(ref.target, value) if ref.target is not None else self.by_ref(value)

    def references(self, entry: Entry, field_name: str) -> list[Entry]:
        """The pages `entry` names in its `Ref` field `field_name` (those that exist), in its order."""
        ref = next((r for r in entry.collection.refs if r.field == field_name), None)
        if ref is None:
            return []
        found = (self.referenced(ref, v) for v in getattr(entry.data, field_name, None) or [])
        return [e for e in found if e is not None]

    def points_of(self, entry: Entry) -> list[Entry]:
        """The pages a record names in its `points` field (the work points it belongs to)."""
        return self.references(entry, "points")

    def related_to(self, entry: Entry) -> list[Entry]:
        """Records that name this entry in a `Ref` field, plus those it names itself in one that
        may name any page (back-links both ways), by collection and path."""

        def naming():
            index = defaultdict(list)
            for e in self.entries.values():
                for ref in e.collection.refs:
                    if ref.target is None:
                        continue
                    for value in getattr(e.data, ref.field, None) or []:
                        index[(ref.target, value)].append(e)
            return index

        found = list(self.cached("named-by", naming).get((entry.collection.name, entry.id), []))
        for ref in entry.collection.refs:
            if ref.target is None:
                found += self.references(entry, ref.field)
        unique = {e.src: e for e in found}
        return sorted(unique.values(), key=lambda e: (e.collection.name, e.src))

    @property
    def ok(self) -> bool:
        return not errors(self.problems)
