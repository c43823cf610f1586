"""Group near-duplicate patterns: the best-supported member represents, the rest are variants.

Similarity is the normalised token-level Levenshtein similarity (rapidfuzz, on token
sequences): 1 - edits / longer length, so one edit in a five-step pattern gives 0.8.
Grouping is greedy in a fixed order (support, then length, then tokens), so the same
input always yields the same clusters.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from hestai_tmws.learning.core.model import MinedPattern, Variant

# rapidfuzz compares floats; 4/5 may come out a hair below 0.8.
_EPSILON = 1e-9


def similarity(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Normalised token-level Levenshtein similarity: 1 - edits / longer length."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    return 1.0 - Levenshtein.distance(a, b) / longest


def max_edits(length_a: int, length_b: int, threshold: float) -> int:
    """The most edits two sequences may differ by and still be `threshold` similar."""
    return int((1.0 - threshold) * max(length_a, length_b) + _EPSILON)


def cluster_sequences(
    sequences: Sequence[Sequence[Hashable]],
    supports: Sequence[int],
    threshold: float,
    order_keys: Sequence[Sequence[str]] | None = None,
) -> list[list[int]]:
    """Cluster indices of `sequences`; each group lists its representative first.

    A sequence joins the most similar existing representative with similarity >=
    `threshold` (the earliest on ties); otherwise it starts a new cluster. Sequences are
    visited by descending support, then descending length, then `order_keys` (defaults to
    the sequences themselves), so representatives always have the highest support.
    """
    keys: Sequence[Sequence[Hashable]] = order_keys if order_keys is not None else sequences
    order = sorted(
        range(len(sequences)),
        key=lambda i: (-supports[i], -len(sequences[i]), tuple(map(str, keys[i]))),
    )
    reps: list[Sequence[Hashable]] = []
    groups: list[list[int]] = []
    by_length: dict[int, list[int]] = {}
    for i in order:
        seq = sequences[i]
        best = _best_representative(seq, reps, by_length, threshold)
        if best is None:
            by_length.setdefault(len(seq), []).append(len(reps))
            reps.append(seq)
            groups.append([i])
        else:
            groups[best].append(i)
    return groups


def _best_representative(
    seq: Sequence[Hashable],
    reps: list[Sequence[Hashable]],
    by_length: dict[int, list[int]],
    threshold: float,
) -> int | None:
    """Index of the most similar representative (earliest on ties), None below threshold.

    Works on integer edit counts (rapidfuzz's normalised cut-offs round at the boundary):
    for each length of representative, the allowed edits follow from the threshold, and
    only lengths within [t * n, n / t] can qualify at all.
    """
    n = len(seq)
    best: tuple[float, int] | None = None
    for length, indices in by_length.items():
        allowed = max_edits(n, length, threshold)
        if abs(length - n) > allowed:
            continue
        found = process.extractOne(
            seq, [reps[i] for i in indices], scorer=Levenshtein.distance, score_cutoff=allowed
        )
        if found is None:
            continue
        score = 1.0 - found[1] / max(n, length, 1)
        index = indices[found[2]]
        if best is None or score > best[0] or (score == best[0] and index < best[1]):
            best = (score, index)
    return None if best is None else best[1]


def cluster_patterns(patterns: Sequence[MinedPattern], threshold: float) -> list[MinedPattern]:
    """Representatives of `patterns` (one namespace at a time) with their variants attached."""
    result: list[MinedPattern] = []
    by_namespace: dict[str, list[MinedPattern]] = {}
    for pattern in patterns:
        by_namespace.setdefault(pattern.namespace, []).append(pattern)
    for namespace in sorted(by_namespace):
        members = by_namespace[namespace]
        groups = cluster_sequences(
            [p.tokens for p in members], [p.support for p in members], threshold
        )
        for group in groups:
            rep = members[group[0]]
            variants = tuple(
                Variant(id=members[i].id, tokens=members[i].tokens, support=members[i].support)
                for i in group[1:]
            )
            result.append(rep.model_copy(update={"variants": variants}))
    return result
