"""Year-over-year matching: the cheap bound that skips pairs changes no match, score or marking."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.kb.collections.plan import changes as plan_changes


@dataclass(frozen=True)
class Point:
    body: str


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def reference(old: list[Point], new: list[Point], threshold: float) -> tuple[list, list, list]:
    """Every pair scored by difflib, most similar first: what compare() did before the bound."""
    scored = sorted(
        (
            (_ratio(o.body.strip(), n.body.strip()), i, j)
            for i, o in enumerate(old)
            for j, n in enumerate(new)
            if 2 * min(len(o.body.strip()), len(n.body.strip())) / max(len(o.body.strip()) + len(n.body.strip()), 1)
            >= threshold
        ),
        key=lambda t: (-t[0], t[2], t[1]),
    )
    old_taken, new_taken = {}, {}
    for ratio, i, j in scored:
        if ratio < threshold:
            break
        if i not in old_taken and j not in new_taken:
            old_taken[i], new_taken[j] = (j, ratio), (i, ratio)
    continued = [(new_taken[j][0], j, new_taken[j][1]) for j in range(len(new)) if j in new_taken]
    added = [j for j in range(len(new)) if j not in new_taken]
    dropped = [i for i in range(len(old)) if i not in old_taken]
    return continued, added, dropped


# A few characters only, so that many pairs are near the threshold (Chinese, as in the plans).
texts = st.text(alphabet="政协委员会的提案 a", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=6), st.lists(texts, max_size=6), st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]))
def test_compare_matches_difflib_on_every_pair(old_texts, new_texts, threshold):
    old = [Point(t) for t in old_texts]
    new = [Point(t) for t in new_texts]
    got = plan_changes.compare(old, new, threshold)
    # identity, not equality: equal texts may repeat
    continued = [
        (next(i for i, o in enumerate(old) if o is p.old), next(j for j, n in enumerate(new) if n is p.new), p.ratio)
        for p in got.continued
    ]
    added = [next(j for j, n in enumerate(new) if n is p) for p in got.added]
    dropped = [next(i for i, o in enumerate(old) if o is p) for p in got.dropped]
    assert (continued, added, dropped) == reference(old, new, threshold)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_bound_is_never_below_difflib(a, b):
    assert plan_changes.similarity(a, b) == _ratio(a, b)
    if a and b and _ratio(a, b) >= 0.5:  # an empty point is never matched (the length bound)
        assert plan_changes._quick_possible(a, b, 0.5)
    pieces = plan_changes.char_diff(a, b)
    assert "".join(p.text for p in pieces if p.kind != "delete") == b
    assert "".join(p.text for p in pieces if p.kind != "insert") == a
