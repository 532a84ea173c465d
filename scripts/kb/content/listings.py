"""Grouping and sorting entries for the generated listings, as each collection declares them
(`Listing.group_by`, `Listing.sort_by` in content/collection.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .collection import Collection, GroupBy
from .fields import vocabulary_of
from .model import Entry


@dataclass
class Group:
    """One group of a listing: the value its entries share at this level, its entries (in listing
    order) and, above the innermost level, its groups of the next level.

    A level whose entries all share one value says nothing: its group is not `shown` (no heading),
    and the next level's headings take its place (`depth`: the heading level, 2 for ##)."""

    key: Any
    entries: list[Entry]
    groups: list[Group] = field(default_factory=list)
    shown: bool = True
    depth: int = 2

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def heading(self) -> str:
        """The Markdown heading mark of this group: "##", "###"."""
        return "#" * self.depth


def _value(entry: Entry, key: str):
    return getattr(entry.data, key, None)


def _keys(entries: list[Entry], level: GroupBy, collection: Collection) -> list:
    present = {_value(e, level.key) for e in entries}
    if level.order == "vocabulary":
        v = vocabulary_of(collection.model, level.key)
        return [k for k in (*(v.codes if v else ()), None) if k in present]
    known = sorted(k for k in present if k is not None)
    ordered = known[::-1] if level.order == "desc" else known
    return ordered + ([None] if None in present else [])


def group(entries: list[Entry], collection: Collection) -> list[Group]:
    """The collection's entries grouped as its listing declares, empty groups left out."""
    listing = collection.listing
    return _group(entries, listing.group_by, collection)


def _group(entries: list[Entry], levels: tuple[GroupBy, ...], collection: Collection, depth: int = 2) -> list[Group]:
    listing = collection.listing
    if not levels:
        return []
    level, rest = levels[0], levels[1:]
    keys = _keys(entries, level, collection)
    shown = len(keys) > 1
    out = []
    for key in keys:
        members = [e for e in entries if _value(e, level.key) == key]
        if not rest:
            members = sorted(members, key=listing.sort_by, reverse=listing.reverse)
        subgroups = _group(members, rest, collection, depth + 1 if shown else depth)
        if rest:
            members = [e for g in subgroups for e in g.entries]
        out.append(Group(key, members, subgroups, shown, depth))
    return out
