"""The knowledge base as plain Python: entries, their translations, and the queries on them.

`loader.py` reads and validates a docs tree into a `KnowledgeBase` (the pages to read come from
the MkDocs adapter's `inventory`, MkDocs' own file discovery, so `kb check` sees exactly the pages
the build renders); `checks.py` holds the cross-file checks; `listings.py` groups and sorts entries
for the generated listings. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import posixpath
import re
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from . import markers, plan_changes, schemas
from .frontmatter_parse import ParsedFile
from .problems import Problem, errors

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")
MARKER = markers.MARKER
# The listings a page may ask for: the plan's own and the guide's (scripts/kb/content/markers.py), and each
# collection's declared listing. scripts/kb/outputs/render.py renders each (a method named after the
# marker, or the collection's).
PAGE_MARKERS = tuple(markers.SPECS)
MARKERS = PAGE_MARKERS + tuple(c.listing.marker for c in schemas.COLLECTIONS.values() if c.listing)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def text_hash(body: str, meta_title: str, extra: str = "") -> str:
    """Fingerprint of what a translation translates: the Chinese title, body and translatable fields."""
    normal = "\n".join(line.rstrip() for line in (meta_title + "\n" + extra + "\n" + body).strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def directory_url(src: str) -> str:
    """THE rule from a page's source path to its directory URL relative to the language root:
    "plan/2024/01.md" -> "plan/2024/01/", "plan/index.md" -> "plan/", "index.md" -> ""."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page at `other` (both site-relative, slash-separated), with MkDocs'
    rule (`mkdocs.utils.get_relative_url`): a last component of `other` with a dot is a file."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _norm_parts(other), _norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


@functools.cache
def _norm_parts(path: str) -> list[str]:
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return path.split("/") if path else []


def translatable_text(collection: schemas.Collection, data: BaseModel) -> str:
    """The fields a translation carries besides title and body, as one string for `text_hash`.

    Only what the collection's translation model translates (a plan's section headings, a point's
    lead and cooperating units and milestone notes): status, progress, deadline and the other
    fields a translation takes from the Chinese page never make it stale. In a list of items
    (milestones) only the translated parts count, not the keys that match them (`x-match-key`:
    a milestone's date), and in no particular order. Unset fields are left out, so adding a
    translatable field to the schema does not mark every existing translation stale."""
    model = collection.translation_model
    translatable = set(model.model_fields) - set(schemas.Translation.model_fields)
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
    collection: schemas.Collection
    data: BaseModel
    body: str
    parsed: ParsedFile
    translations: dict[str, TranslatedPage] = field(default_factory=dict)
    updated: dt.date | None = None  # last commit touching the file (None outside git)
    changed: dt.datetime | None = None  # the time of that commit, with its UTC offset

    @property
    def id(self) -> str:
        if self.collection is schemas.WORK_POINT:
            return f"{self.data.year}-{self.data.number:02d}"
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
    _memo: dict = field(default_factory=dict, repr=False)

    def _cached(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # --- queries -------------------------------------------------------------------------
    def of(self, collection: schemas.Collection) -> list[Entry]:
        return self._cached(
            ("of", collection.name), lambda: [e for e in self.entries.values() if e.collection is collection]
        )

    def plan(self, year: int) -> Entry | None:
        return self._cached("plans-by-year", lambda: {e.data.year: e for e in self.of(schemas.PLAN)}).get(year)

    def plans(self) -> list[Entry]:
        """Every plan, newest year first (task sheets, `kb export`)."""
        return sorted(self.of(schemas.PLAN), key=lambda e: e.data.year, reverse=True)

    def listed(self, collection: schemas.Collection) -> list[Entry]:
        """A collection's entries in its declared order."""
        return self._cached(
            ("listed", collection.name),
            lambda: sorted(self.of(collection), key=collection.sort_key, reverse=collection.newest_first)
            if collection.sort_key
            else self.of(collection),
        )

    def plan_years(self) -> list[int]:
        """Years with a plan, oldest first."""
        return sorted(self._cached("plans-by-year", lambda: {e.data.year: e for e in self.of(schemas.PLAN)}))

    def previous_plan(self, year: int) -> Entry | None:
        earlier = [y for y in self.plan_years() if y < year]
        return self.plan(earlier[-1]) if earlier else None

    def next_plan(self, year: int) -> Entry | None:
        later = [y for y in self.plan_years() if y > year]
        return self.plan(later[0]) if later else None

    def comparison(self, year: int) -> plan_changes.Comparison | None:
        """This year's points against the previous plan's (None for the first year)."""
        previous = self.previous_plan(year)
        if previous is None:
            return None
        return self._cached(
            ("comparison", year), lambda: plan_changes.compare(self.points(previous.data.year), self.points(year))
        )

    def counterparts(self, point: Entry) -> tuple[plan_changes.Pair | None, plan_changes.Pair | None]:
        """The same point continued from the previous plan and into the next one, if any."""
        before = after = None
        if (c := self.comparison(point.data.year)) is not None:
            before = next((p for p in c.continued if p.new is point), None)
        following = self.next_plan(point.data.year)
        if following is not None and (c := self.comparison(following.data.year)) is not None:
            after = next((p for p in c.continued if p.old is point), None)
        return before, after

    def points(self, year: int | None = None) -> list[Entry]:
        return self._cached(
            ("points", year),
            lambda: [e for e in self.listed(schemas.WORK_POINT) if year is None or e.data.year == year],
        )

    def point(self, point_id: str) -> Entry | None:
        return self._cached("points-by-id", lambda: {e.id: e for e in self.of(schemas.WORK_POINT)}).get(point_id)

    def wenshi(self) -> list[Entry]:
        return self.listed(schemas.WENSHI)

    def lectures(self) -> list[Entry]:
        return self.listed(schemas.LECTURE)

    def events(self) -> list[Entry]:
        return self.listed(schemas.EVENT)

    def records(self) -> list[Entry]:
        return self._cached(
            "records", lambda: [e for e in self.entries.values() if e.collection in schemas.RECORD_COLLECTIONS]
        )

    def by_ref(self, ref: str) -> Entry | None:
        return self.entries.get(f"{ref}.md")

    def points_of(self, entry: Entry) -> list[Entry]:
        """The work points a record names in `points`."""
        refs = getattr(entry.data, "points", [])
        return [p for p in (self.point(r) for r in refs) if p is not None]

    def related_to(self, point: Entry) -> list[Entry]:
        """Records that name this point, plus those the point names in `related` (back-links both ways)."""

        def naming():
            index = defaultdict(list)
            for e in self.entries.values():
                for ref in getattr(e.data, "points", []):
                    index[ref].append(e)
            return index

        found = list(self._cached("named-by", naming).get(point.id, []))
        found += [r for r in (self.by_ref(ref) for ref in getattr(point.data, "related", [])) if r is not None]
        unique = {e.src: e for e in found}
        return sorted(unique.values(), key=lambda e: (e.collection.name, e.src))

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def split_lang(src: str) -> tuple[str, str]:
    """("plan/2024/01.md", "en") for "plan/2024/01.en.md"."""
    for lang in LANGS:
        if lang != DEFAULT_LANG and src.endswith(f".{lang}.md"):
            return src[: -len(f".{lang}.md")] + ".md", lang
    return src, DEFAULT_LANG
