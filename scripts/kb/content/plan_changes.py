"""One year's work points against the previous year's: continued, reworded, added, dropped.

Points are matched by the similarity of their text with the standard library's difflib: a plan
has a few dozen points at most, so comparing every pair costs nothing, and the same
SequenceMatcher that scores a pair also gives the character-level insertions and deletions
shown on the changes page, so one algorithm decides both what matches and what is marked.
(rapidfuzz would score faster but still needs difflib, or its own opcodes, for the marking;
a dependency buys nothing at this size.)
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

# Two points are the same point continued when this much of their text is shared. Points of one
# plan that differ in topic share far less than half (measured on 2024: the closest two
# different points score 0.29); a reworded point keeps most of its sentences.
SAME_POINT = 0.5


@dataclass(frozen=True)
class Pair:
    old: object  # the earlier year's point (an Entry, or anything with .body)
    new: object
    ratio: float

    @property
    def reworded(self) -> bool:
        return _text(self.old) != _text(self.new)


@dataclass
class Comparison:
    continued: list[Pair] = field(default_factory=list)  # in the new year's order, reworded or not
    added: list = field(default_factory=list)  # new year's points with no counterpart
    dropped: list = field(default_factory=list)  # earlier year's points with no counterpart

    @property
    def reworded(self) -> list[Pair]:
        return [p for p in self.continued if p.reworded]

    @property
    def unchanged(self) -> list[Pair]:
        return [p for p in self.continued if not p.reworded]


def _text(point) -> str:
    return point.body.strip()


def _matcher(a: str, b: str) -> difflib.SequenceMatcher:
    # autojunk would treat characters frequent in a long Chinese text (的, 政, 协) as junk and
    # give ragged diffs; the texts are short enough to compare in full.
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


@functools.lru_cache(maxsize=16384)
def similarity(a: str, b: str) -> float:
    # Cached: each language's pass, and every save in the preview, compares the same texts again
    # (ten plan years are 2,000 pairs; uncached they were two thirds of a preview rebuild).
    return _matcher(a, b).ratio()


def compare(old_points: list, new_points: list, threshold: float = SAME_POINT) -> Comparison:
    """Match each point to at most one counterpart, most similar pairs first."""
    scored = sorted(
        (
            (similarity(_text(o), _text(n)), i, j)
            for i, o in enumerate(old_points)
            for j, n in enumerate(new_points)
            if _quick_possible(_text(o), _text(n), threshold)
        ),
        key=lambda t: (-t[0], t[2], t[1]),
    )
    old_taken: dict[int, tuple[int, float]] = {}
    new_taken: dict[int, tuple[int, float]] = {}
    for ratio, i, j in scored:
        if ratio < threshold:
            break
        if i in old_taken or j in new_taken:
            continue
        old_taken[i] = (j, ratio)
        new_taken[j] = (i, ratio)
    out = Comparison()
    for j, n in enumerate(new_points):
        if j in new_taken:
            i, ratio = new_taken[j]
            out.continued.append(Pair(old_points[i], n, ratio))
        else:
            out.added.append(n)
    out.dropped = [o for i, o in enumerate(old_points) if i not in old_taken]
    return out


@functools.lru_cache(maxsize=16384)
def _quick_possible(a: str, b: str, threshold: float) -> bool:
    # Upper bounds on the ratio, from the lengths and then from the characters shared regardless
    # of order (linear time): pairs that cannot match are never compared in full.
    if 2 * min(len(a), len(b)) / max(len(a) + len(b), 1) < threshold:
        return False
    return _matcher(a, b).quick_ratio() >= threshold


@dataclass(frozen=True)
class Piece:
    kind: str  # "equal" | "insert" | "delete"
    text: str


def char_diff(old: str, new: str) -> list[Piece]:
    """The new text as pieces kept, inserted and deleted, character by character."""
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in _matcher(old, new).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", new[j1:j2]))
    return pieces
