from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.clustering import (
    cluster_patterns,
    cluster_sequences,
    max_edits,
    similarity,
)
from hestai_tmws.learning.core.mining import pattern_id
from hestai_tmws.learning.core.model import MinedPattern


def test_similarity_is_token_level() -> None:
    a = ("Read", "Edit", "Bash:pytest", "Bash:git add", "Bash:git commit")
    assert similarity(a, a) == 1.0
    assert similarity(a, (*a[:2], "Bash:npm test", *a[3:])) == 0.8
    assert similarity(a, a[:4]) == 0.8
    assert similarity(a[:3], ("Read", "Edit", "Grep")) < 0.8
    assert similarity((), ()) == 1.0
    assert max_edits(5, 5, 0.8) == 1
    assert max_edits(10, 9, 0.8) == 2
    assert max_edits(3, 3, 0.8) == 0


def test_representative_has_the_highest_support() -> None:
    seqs = [("a", "b", "c", "d", "e"), ("a", "b", "x", "d", "e"), ("p", "q", "r")]
    groups = cluster_sequences(seqs, [3, 10, 7], 0.8)
    assert groups == [[1, 0], [2]]


def test_joins_the_most_similar_representative() -> None:
    a, b = tuple("abcdefghij"), tuple("abcdefklmn")  # 0.6 apart: two clusters at 0.7
    c = tuple("abcdefgkmn")  # 0.7 to a, 0.8 to b
    assert cluster_sequences([a, b, c], [9, 8, 1], 0.7) == [[0], [1, 2]]
    tie = tuple("abcdefghmn")  # 0.8 to both: the earlier representative wins
    assert cluster_sequences([a, b, tie], [9, 8, 1], 0.7) == [[0, 2], [1]]


def test_ties_in_support_are_broken_by_length_then_tokens() -> None:
    seqs = [("b", "c", "d", "e", "f"), ("a", "c", "d", "e", "f")]
    assert cluster_sequences(seqs, [4, 4], 0.8) == [[1, 0]]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcd"), min_size=1, max_size=7), min_size=1, max_size=12),
    st.sampled_from([0.5, 0.8, 1.0]),
)
def test_every_member_is_close_to_its_representative(
    raw: list[list[str]], threshold: float
) -> None:
    seqs = [tuple(s) for s in raw]
    supports = [len(s) * 7 % 5 + 1 for s in seqs]
    groups = cluster_sequences(seqs, supports, threshold)
    assert sorted(i for g in groups for i in g) == list(range(len(seqs)))
    reps = [g[0] for g in groups]
    for group in groups:
        rep = group[0]
        for member in group[1:]:
            assert similarity(seqs[member], seqs[rep]) >= threshold - 1e-9
            assert supports[member] <= supports[rep]
    # a representative never belonged to an earlier cluster's reach... unless it came first
    for i, rep in enumerate(reps):
        for earlier in reps[:i]:
            assert similarity(seqs[rep], seqs[earlier]) < threshold - 1e-9 or seqs[rep] == ()


def _pattern(ns: str, tokens: tuple[str, ...], support: int) -> MinedPattern:
    day = date(2025, 1, 1)
    return MinedPattern(
        id=pattern_id(ns, tokens),
        namespace=ns,
        tokens=tokens,
        support=support,
        session_ids=tuple(f"s{i}" for i in range(support)),
        days=(day,),
        first_seen=day,
        last_seen=day,
        occurrences=support,
        successes=support,
        outcomes_known=support,
        success_rate=1.0,
        wilson_lower=0.5,
        mean_duration_ms=None,
        stability=1.0,
        confidence=0.5,
        lift=9.0,
        expected_support=0.1,
        failed_steps=(0,) * len(tokens),
        evidence_namespaces=(ns,),
    )


def test_cluster_patterns_keeps_namespaces_apart() -> None:
    a = ("Read", "Edit", "Grep", "Glob", "Write")
    b = ("Read", "Edit", "Grep", "Glob", "Bash:ls")
    result = cluster_patterns([_pattern("x", a, 5), _pattern("x", b, 3), _pattern("y", b, 4)], 0.8)
    assert [(p.namespace, p.tokens, [v.tokens for v in p.variants]) for p in result] == [
        ("x", a, [b]),
        ("y", b, []),
    ]
