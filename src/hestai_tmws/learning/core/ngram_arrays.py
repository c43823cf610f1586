"""The level-wise n-gram count of `ngrams.frequent_ngrams`, done on numpy arrays.

Same levels, same counts, for the full mine over tens of thousands of sessions: each level
sorts one int64 key per candidate position (the previous level's gram id and the added
token) instead of hashing a Python string per position. Only the frequent grams become
strings. Pure; numpy is imported on the first call, so the hook and incremental paths,
which never count n-grams, do not load it.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from hestai_tmws.learning.core.ngrams import Level

Array = Any  # a numpy array: numpy is imported lazily, so its types are not named here


def frequent_ngrams_arrays(texts: Sequence[str], min_support: int, max_len: int) -> list[Level]:
    """`ngrams.frequent_ngrams` (same levels and counts; dict order: first occurrence)."""
    np = numpy_module()
    if max_len < 1:
        return [Level({}, {})]
    joined = "\x00".join(texts)  # one slot between texts: a gram never spans two
    found = _count_levels(np, joined, texts, min_support, max_len)
    _return_freed_memory()
    # The strings and dicts are made once every large array is freed, so that they reuse
    # that memory instead of being placed above it.
    levels: list[Level] = [Level({}, {})]
    for n, (at, support, occurrences) in enumerate(found, start=1):
        grams = [joined[p : p + n] for p in at.tolist()]
        levels.append(
            Level(
                dict(zip(grams, support.tolist(), strict=True)),
                dict(zip(grams, occurrences.tolist(), strict=True)),
            )
        )
    return levels


def window_pairs(
    joined: str, window: int, chars: set[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Calls of every character, and how often `a` is followed by `b` within `window` steps.

    Pairs are counted for distinct `a` and `b` both in `chars` only (those are all the
    gapped miner tests): one in-place sort of int64 pair keys per distance instead of a
    2-char string per position and distance.
    """
    np = numpy_module()
    calls = Counter(joined)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    wanted = np.isin(codes, np.fromiter(map(ord, chars), dtype=np.uint32, count=len(chars)))
    width = int(codes.max(initial=0)) + 1
    together: dict[str, int] = {}
    get = together.get
    for d in range(1, window + 1):
        keep = wanted[:-d] & wanted[d:]
        keep &= codes[:-d] != codes[d:]
        key = codes[:-d][keep].astype(np.int64)
        key *= width
        key += codes[d:][keep]
        del keep
        key.sort()  # in place: the pairs' runs, counted without np.unique's copies
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        seen = np.diff(np.r_[starts, len(key)])
        for code, count in zip(key[starts].tolist(), seen.tolist(), strict=True):
            pair = chr(code // width) + chr(code % width)
            together[pair] = get(pair, 0) + count
    del codes, wanted
    _return_freed_memory()
    return dict(calls), together


def numpy_module() -> Any:
    """numpy, imported on first use (the one lazy import of it for the mining core)."""
    import numpy  # lazy: numpy costs ~100 ms to import, only the full mine needs it

    return numpy


def _count_levels(
    np: Any, joined: str, texts: Sequence[str], min_support: int, max_len: int
) -> list[tuple[Array, Array, Array]]:
    """Per length: first position, support and occurrences of each frequent gram."""
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int32, count=len(texts))
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths + 1)
    inside = np.ones(len(codes), dtype=bool)
    inside[(np.cumsum(lengths + 1, dtype=np.int64) - 1)[:-1]] = False  # separators
    pos = np.flatnonzero(inside).astype(np.int32)
    del inside
    key = codes[pos].astype(np.int64)
    width = int(codes.max(initial=0)) + 1  # keys are gram id * width + added token
    # Level 1 sorts the tokens themselves: a radix sort when they fit 16 bits.
    order = np.argsort(key.astype(np.uint16) if width <= 1 << 16 else key, kind="stable")
    order = order.astype(np.int32)
    found: list[tuple[Array, Array, Array]] = []
    n = 1
    while True:
        frequent, gid, level = _count_level(np, pos, key, doc_of[pos], order, min_support)
        del key
        found.append(level)
        if not len(level[0]) or n >= max_len:
            return found
        # Position i is a candidate of length n + 1 when the grams at i and i + 1 are both
        # frequent: adjacent alive positions (a gram at i + 1 means no separator in between).
        alive = frequent[gid]
        cand = np.zeros(len(pos), dtype=bool)
        cand[:-1] = alive[:-1] & alive[1:] & (pos[1:] == pos[:-1] + 1)
        del alive
        if not cand.any():
            return found
        key = gid[cand].astype(np.int64) * width
        pos = pos[cand]
        key += codes[pos + n]
        del gid
        # The stable sort of the new keys, from the last level's sort: taken in that order
        # (by gram, then position) they are sorted but for the added token inside each
        # gram's run, nearly sorted data that timsort orders several times faster.
        rank = np.cumsum(cand, dtype=np.int32) - 1
        by_gram = rank[order[cand[order]]]  # candidate indices, by the previous gram
        del rank, order, cand
        order = by_gram[np.argsort(key[by_gram], kind="stable")]
        del by_gram
        n += 1


def _count_level(
    np: Any, pos: Array, key: Array, doc: Array, order: Array, min_support: int
) -> tuple[Array, Array, tuple[Array, Array, Array]]:
    """(frequent per gram id, gram id per position, (first position, support, occurrences)).

    `order` is the stable sort of `key`: it keeps each gram's positions in text order, so
    a gram's distinct texts are where the text changes inside its run.
    """
    sorted_key = key[order]
    first = np.empty(len(order), dtype=bool)
    first[:1] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=first[1:])
    del sorted_key
    sorted_doc = doc[order]
    new_text = first.copy()
    new_text[1:] |= sorted_doc[1:] != sorted_doc[:-1]
    del sorted_doc
    run = np.cumsum(first, dtype=np.int32) - 1
    occurrences = np.bincount(run)
    support = np.bincount(run[new_text], minlength=len(occurrences))
    del new_text
    gid = np.empty(len(order), dtype=np.int32)
    gid[order] = run
    del run
    frequent = support >= min_support
    ids = np.flatnonzero(frequent)
    at = pos[order[first]][ids]  # a gram's first position (the sort is stable)
    by_place = np.argsort(at, kind="stable")
    ids = ids[by_place]
    return frequent, gid, (at[by_place], support[ids], occurrences[ids])


def _return_freed_memory() -> None:
    """Give the freed arrays' pages back to the system (glibc's `malloc_trim`; else no-op).

    glibc keeps the arrays in its heap once its mmap threshold has risen, and Python's
    small objects never reuse that heap: without the trim a full mine at 50,000 sessions
    keeps ~90 MB it no longer uses for the rest of the run.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # lazy: only the full mine frees arrays this large

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # None: not glibc (musl)
    if trim is not None:
        trim(0)
