"""Level-wise (apriori) counting of contiguous n-grams: distinct-text support, occurrences.

An n-gram at position i is a candidate only if the (n-1)-grams at i and i+1 are both
frequent; each level keeps, per text, the start positions of frequent n-grams. Pure.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, sub


@dataclass(slots=True)
class Level:
    """Frequent n-grams of one length: distinct-session support and occurrence counts."""

    support: dict[str, int]
    occurrences: dict[str, int]


def _count_fallback(counts: dict[str, int], items: Iterable[str]) -> None:
    get = counts.get
    for item in items:
        counts[item] = get(item, 0) + 1


# The C helper behind Counter.update, called directly: Counter.update pays an ABC
# isinstance check per call, which adds up over tens of thousands of sessions per level.
_count: Callable[[dict[str, int], Iterable[str]], None] = getattr(
    collections, "_count_elements", _count_fallback
)


def frequent_ngrams(texts: Sequence[str], min_support: int, max_len: int) -> list[Level]:
    """Every contiguous n-gram seen in >= `min_support` texts, per length (index 0 empty).

    Support only shrinks as a gram grows, so each level starts from the positions where
    the previous level's grams at i and i+1 were both frequent; texts with no such
    positions drop out. The inner loops run in C (`_count`, `compress`, `map`). A text
    whose grams are all distinct counts once, for support and occurrences alike; only
    texts with repeats pay for a second count.
    """
    levels: list[Level] = [Level({}, {})]
    if max_len < 1:
        return levels
    # Level 1: one set per text for support, one count over all texts for occurrences.
    token_support: dict[str, int] = {}
    token_calls: dict[str, int] = {}
    for text in texts:
        _count(token_support, set(text))
    _count(token_calls, "".join(texts))
    support = {g: c for g, c in token_support.items() if c >= min_support}
    levels.append(Level(support, {g: token_calls[g] for g in support}))
    everything = len(support) == len(token_support)
    work: list[tuple[int, Sequence[int]]] = []
    for k, text in enumerate(texts):
        if everything:
            nxt: Sequence[int] = range(len(text) - 1)
        else:
            nxt = _next_candidates(range(len(text)), text, support)
        if nxt:
            work.append((k, nxt))
    n = 2
    while work and n <= max_len:
        unique: dict[str, int] = {}  # texts without repeats: support == occurrences
        repeated: dict[str, int] = {}  # support from texts with repeats
        repeated_occ: dict[str, int] = {}  # occurrences in texts with repeats
        for k, cand in work:
            text = texts[k]
            grams = [text[i : i + n] for i in cand]
            distinct = set(grams)
            if len(distinct) == len(grams):
                _count(unique, grams)
            else:
                _count(repeated, distinct)
                _count(repeated_occ, grams)
        # Support without a merged copy of `unique` (the largest dict of the level).
        repeated_get = repeated.get
        support = {g: t for g, c in unique.items() if (t := c + repeated_get(g, 0)) >= min_support}
        for gram, count in repeated.items():
            if count >= min_support and gram not in unique:
                support[gram] = count
        del repeated
        unique_get, repeated_get = unique.get, repeated_occ.get
        occurrences = {g: unique_get(g, 0) + repeated_get(g, 0) for g in support}
        levels.append(Level(support, occurrences))
        if not support:
            break
        # The grams are sliced again rather than kept: holding one level's grams for every
        # text at once was most of the peak memory at 50,000 sessions (~190 MB).
        next_work: list[tuple[int, Sequence[int]]] = []
        for k, cand in work:
            text = texts[k]
            nxt = _next_candidates(cand, [text[i : i + n] for i in cand], support)
            if nxt:
                next_work.append((k, nxt))
        work = next_work
        n += 1
    return levels


def _next_candidates(
    cand: Sequence[int], grams: Iterable[str], support: dict[str, int]
) -> list[int]:
    """Positions i whose gram and whose neighbour's gram (at i + 1) are both frequent."""
    alive = list(compress(cand, map(support.__contains__, grams)))
    if len(alive) < 2:
        return []
    return list(compress(alive, map(eq, map(sub, alive[1:], alive), repeat(1))))
