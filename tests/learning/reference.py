"""A brute-force reference miner: every n-gram of every session, no pruning, no tricks.

It follows the definitions in docs/learning.md literally so that the fast miner can be
checked against it on small inputs. Shared with the fast miner: only the formulas of
`stats` (tested on their own).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from hestai_tmws.learning.core.model import MiningConfig, SessionSeq
from hestai_tmws.learning.core.stats import LengthHistogram, binomial_tail_bound, poisson_tail_bound

Gram = tuple[str, ...]


def occurrences_of(tokens: Sequence[str], gram: Sequence[str]) -> int:
    n = len(gram)
    return sum(1 for i in range(len(tokens) - n + 1) if tuple(tokens[i : i + n]) == tuple(gram))


def sessions_with(sessions: Sequence[SessionSeq], gram: Sequence[str]) -> list[SessionSeq]:
    return [s for s in sessions if occurrences_of([st.token for st in s.steps], gram)]


def reference_mine(sessions: Sequence[SessionSeq], config: MiningConfig) -> dict[Gram, int]:
    """Selected grams of ONE namespace (before clustering) -> distinct-session support."""
    seqs = [[st.token for st in s.steps] for s in sessions]
    support: Counter[Gram] = Counter()
    occ: Counter[Gram] = Counter()
    for seq in seqs:
        seen: set[Gram] = set()
        for n in range(1, config.max_len + 1):
            for i in range(len(seq) - n + 1):
                gram = tuple(seq[i : i + n])
                occ[gram] += 1
                seen.add(gram)
        support.update(seen)
    frequent = {g for g, c in support.items() if c >= config.min_support}
    calls = Counter(tok for seq in seqs for tok in seq)
    total = sum(calls.values()) or 1
    prob = {t: c / total for t, c in calls.items()}
    hist = LengthHistogram(Counter(len(seq) for seq in seqs))
    tested = [g for g in frequent if config.min_len <= len(g) <= config.max_len]
    tests = len(tested) or 1
    alpha = 1.0 if config.significance >= 1.0 else config.significance / tests
    ratio = config.closure_ratio

    def joins(together: int, left: int, right: int) -> bool:
        rarer, commoner = (left, right) if left <= right else (right, left)
        share = min(1.0, commoner / total)
        if together < config.min_lift * rarer * share:
            return False
        if together >= ratio * commoner:
            return True
        return binomial_tail_bound(together, rarer, share) <= alpha

    result: dict[Gram, int] = {}
    for gram in tested:
        n = len(gram)
        q = 1.0
        for tok in gram:
            q *= prob[tok]
        expected = hist.expected_support(q, n)
        sup = support[gram]
        if sup < config.min_lift * expected or poisson_tail_bound(sup, expected) > alpha:
            continue
        if not all(joins(occ[gram], occ[gram[:c]], occ[gram[c:]]) for c in range(1, n)):
            continue
        right = left = single = 0
        if n < config.max_len:
            for ext in frequent:
                if len(ext) != n + 1:
                    continue
                if ext[:-1] == gram:
                    single = max(single, support[ext])
                    if joins(occ[ext], occ[gram], occ[ext[-1:]]):
                        right += support[ext]
                if ext[1:] == gram:
                    single = max(single, support[ext])
                    if joins(occ[ext], occ[gram], occ[ext[:1]]):
                        left += support[ext]
        covered = max(single, right, left)
        if covered and (covered >= ratio * (sup - expected) or sup - covered < config.min_support):
            continue
        days = {s.day for s, seq in zip(sessions, seqs, strict=True) if occurrences_of(seq, gram)}
        if len(days) < config.min_days:
            continue
        result[gram] = sup
    return result
