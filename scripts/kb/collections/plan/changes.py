"""One year's work points against the previous year's: continued, reworded, added, dropped.

Points are matched by the similarity of their text with the standard library's difflib, and
the same SequenceMatcher that scores a pair also gives the character-level insertions and
deletions shown on the changes page, so one algorithm decides both what matches and what is
marked.

A full difflib ratio of two points costs about 10 ms (quadratic in their length), and every pair
of points of two consecutive years is a candidate: at ten plan years that was a tenth of a
build. Most pairs are two different points, so each pair is first bounded by the length of the
longest common subsequence (rapidfuzz's bit-parallel LCSseq, microseconds): difflib's matching
blocks are a common subsequence, so its ratio is never above 2·LCS/(len a + len b), and a pair
whose bound is under the threshold cannot match. Only the rest get a difflib ratio, so the
scores, the matches and the marking are difflib's as before.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

from rapidfuzz.distance import LCSseq

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


@functools.lru_cache(maxsize=4096)
def _compared(a: str, b: str) -> difflib.SequenceMatcher:
    # Cached: each language's pass, and every save in the preview, compares the same texts again,
    # and the changes page marks the pairs that were scored (the matcher keeps its blocks).
    matcher = _matcher(a, b)
    matcher.get_matching_blocks()
    return matcher


def similarity(a: str, b: str) -> float:
    return _compared(a, b).ratio()


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


def _quick_possible(a: str, b: str, threshold: float) -> bool:
    # Upper bounds on difflib's ratio (2·matches/total, its own formula): from the lengths, then
    # from the longest common subsequence, which is at least as long as the matching blocks.
    # Pairs that cannot match are never compared in full.
    total = len(a) + len(b)
    if 2 * min(len(a), len(b)) / max(total, 1) < threshold:
        return False
    return (2.0 * LCSseq.similarity(a, b) / total if total else 1.0) >= threshold


@dataclass(frozen=True)
class Piece:
    kind: str  # "equal" | "insert" | "delete"
    text: str


def char_diff(old: str, new: str) -> list[Piece]:
    """The new text as pieces kept, inserted and deleted, character by character."""
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in _compared(old, new).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            pieces.append(Piece("insert", new[j1:j2]))
    return pieces
