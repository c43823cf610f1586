"""Merge overlapping fragments of one routine into one pattern (pure).

Mining finds every contiguous run that recurs, so one routine (`git status → git diff →
git log → git add`) also surfaces as its pieces (`git diff → git log → git add`, `git
status → git diff → git log`) and as longer runs with an optional step before or after.
Clusters are visited by how many calls they explain (support × length); a cluster joins
an earlier representative that contains it, is contained in it (also with one optional
step inside), or overlaps it end to end by at least two thirds of the shorter chain.
Its members become that pattern's variants.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_OVERLAP_SHARE = 2 / 3
MIN_OVERLAP_STEPS = 2


def overlaps(a: Sequence[str], b: Sequence[str]) -> bool:
    """`a` and `b` are pieces of one routine: one contains the other, or they overlap."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    need = max(MIN_OVERLAP_STEPS, -(-len(short) * 2 // 3))
    if _contains(long_, short):
        return True
    if len(long_) == len(short) + 1 and len(short) >= 3 and _subsequence(short, long_):
        return True  # one optional step inside the routine
    top = min(len(a), len(b))
    for size in range(top, need - 1, -1):
        if tuple(a[-size:]) == tuple(b[:size]) or tuple(b[-size:]) == tuple(a[:size]):
            return True
    return False


def _subsequence(short: Sequence[str], long_: Sequence[str]) -> bool:
    rest = iter(long_)
    return all(any(t == u for u in rest) for t in short)


def _contains(long_: Sequence[str], short: Sequence[str]) -> bool:
    n = len(short)
    target = tuple(short)
    return any(tuple(long_[i : i + n]) == target for i in range(len(long_) - n + 1))


def merge_fragments(
    groups: list[list[int]], chains: Sequence[Sequence[str]], supports: Sequence[int]
) -> list[list[int]]:
    """Groups (representative first) with overlapping representatives merged."""
    order = sorted(
        range(len(groups)),
        key=lambda g: (
            -supports[groups[g][0]] * len(chains[groups[g][0]]),
            -supports[groups[g][0]],
            tuple(chains[groups[g][0]]),
        ),
    )
    merged: list[list[int]] = []
    for g in order:
        head = chains[groups[g][0]]
        home = next((m for m in merged if overlaps(chains[m[0]], head)), None)
        if home is None:
            merged.append(list(groups[g]))
        else:
            home.extend(groups[g])
    return merged
