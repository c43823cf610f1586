from __future__ import annotations

import hashlib
import json
import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.mining import mine, pattern_id
from hestai_tmws.learning.core.model import MiningConfig, SessionSeq
from hestai_tmws.learning.core.stats import wilson_lower_bound
from tests.learning.helpers import DAY0, filler, session
from tests.learning.reference import occurrences_of, reference_mine, sessions_with
from tests.learning.strategies import small_corpora

SEQ = ("Read", "Edit", "Bash:pytest")


def corpus_with(seq_sessions: int, *, days: tuple[int, ...] = (0, 1, 2)) -> list[SessionSeq]:
    """Eight sessions of unique filler; `seq_sessions` of them carry SEQ in the middle."""
    out = []
    for i in range(8):
        tokens = filler(f"s{i}a", 4)
        if i < seq_sessions:
            tokens += list(SEQ)
        tokens += filler(f"s{i}b", 4)
        out.append(session(f"s{i}", tokens, day=days[i % len(days)]))
    return out


def test_same_sequence_in_three_sessions_gives_one_pattern() -> None:
    patterns = mine(corpus_with(3), MiningConfig())
    assert [p.tokens for p in patterns] == [SEQ]
    p = patterns[0]
    assert p.support == 3
    assert p.session_ids == ("s0", "s1", "s2")
    assert p.days == (DAY0, DAY0 + timedelta(days=1), DAY0 + timedelta(days=2))
    assert (p.first_seen, p.last_seen) == (DAY0, DAY0 + timedelta(days=2))
    assert p.occurrences == 3
    assert p.namespace == "proj"
    assert p.evidence_namespaces == ("proj",)
    assert p.id == pattern_id("proj", SEQ)
    assert p.lift >= MiningConfig().min_lift


def test_same_sequence_in_two_sessions_gives_none() -> None:
    assert mine(corpus_with(2), MiningConfig()) == []


def test_sequence_seen_on_one_day_only_gives_none() -> None:
    assert mine(corpus_with(3, days=(0,)), MiningConfig()) == []
    assert len(mine(corpus_with(3, days=(0,)), MiningConfig(min_days=1))) == 1


def test_tiny_corpus_of_only_the_sequence_is_found() -> None:
    sessions = [session(f"s{i}", SEQ, day=i) for i in range(3)]
    assert [p.tokens for p in mine(sessions, MiningConfig())] == [SEQ]


def test_statistics_from_occurrences() -> None:
    sessions = corpus_with(3)
    # s0 runs SEQ twice, the second time with a failing pytest; s1's outcome is unknown.
    s0 = sessions[0]
    sessions[0] = session(
        "s0", [st.token for st in s0.steps] + list(SEQ), day=0, failed=(len(s0.steps) + 2,)
    )
    sessions[1] = session("s1", [st.token for st in sessions[1].steps], day=1, ok=None)
    (p,) = mine(sessions, MiningConfig())
    assert p.occurrences == 4
    assert p.outcomes_known == 3  # s0 twice, s2 once
    assert p.successes == 2
    assert p.success_rate == pytest.approx(2 / 3)
    assert p.wilson_lower == pytest.approx(wilson_lower_bound(2, 3))
    assert p.failed_steps == (0, 0, 1)
    assert p.mean_duration_ms == pytest.approx(300.0)
    assert p.confidence == pytest.approx(p.wilson_lower * 0.3)


def test_stability_counts_recent_weeks() -> None:
    days = (0, 7, 35)
    sessions = corpus_with(3, days=days)
    as_of = DAY0 + timedelta(days=35)
    (p,) = mine(sessions, MiningConfig(as_of=as_of, stability_weeks=8))
    assert p.stability == pytest.approx(3 / 8)
    (p,) = mine(sessions, MiningConfig(stability_weeks=2))  # as_of defaults to the last day
    assert p.stability == pytest.approx(1 / 2)


def test_namespaces_never_mix() -> None:
    ours = corpus_with(3)
    theirs = [SessionSeq(s.session_id + "x", s.day, "other", s.steps) for s in corpus_with(3)]
    both = mine(ours + theirs, MiningConfig())
    assert sorted(p.namespace for p in both) == ["other", "proj"]
    assert {p.id for p in both} == {pattern_id("proj", SEQ), pattern_id("other", SEQ)}
    for p in both:
        assert p.evidence_namespaces == (p.namespace,)
        assert all(sid.endswith("x") == (p.namespace == "other") for sid in p.session_ids)
    only = mine(ours + theirs, MiningConfig(namespace="other"))
    assert [p.namespace for p in only] == ["other"]
    # Two sessions in each namespace are not three anywhere.
    split = [*corpus_with(2), SessionSeq("y", DAY0, "other", session("y", SEQ).steps)]
    assert mine(split, MiningConfig()) == []


def test_pattern_id_is_stable_and_namespaced() -> None:
    assert pattern_id("proj", SEQ) == pattern_id("proj", list(SEQ))
    assert pattern_id("proj", SEQ) != pattern_id("other", SEQ)
    assert pattern_id("proj", SEQ) != pattern_id("proj", SEQ[:2])
    assert pattern_id("a", ("b\x1fc",)) != pattern_id("a\x1fb", ("c",))
    assert pattern_id("proj", SEQ).startswith("pat-")
    payload = json.dumps(["proj", list(SEQ)], ensure_ascii=False, separators=(",", ":"))
    assert pattern_id("proj", SEQ) == "pat-" + hashlib.sha256(payload.encode()).hexdigest()[:16]


def test_result_does_not_depend_on_input_order() -> None:
    from hestai_tmws.learning.core.generator import generate_corpus

    corpus = generate_corpus(3, sessions=300, workflows=4)
    shuffled = list(corpus.sessions)
    random.Random(1).shuffle(shuffled)
    assert mine(corpus.sessions, MiningConfig()) == mine(shuffled, MiningConfig())


def test_closure_keeps_the_longer_pattern_only() -> None:
    long_seq = ["Grep", "Read", "Edit", "Bash:pytest", "Bash:git commit"]
    sessions = [
        session(f"s{i}", filler(f"a{i}", 3) + long_seq + filler(f"b{i}", 3), day=i % 3)
        for i in range(5)
    ]
    assert [p.tokens for p in mine(sessions, MiningConfig())] == [tuple(long_seq)]


def test_common_prefix_of_two_variants_is_absorbed() -> None:
    base = ["Grep", "Read", "Edit"]
    a = [*base, "Bash:pytest", "Bash:git commit"]
    b = [*base, "Bash:npm test", "Bash:git push"]
    sessions = [
        session(f"s{i}", filler(f"a{i}", 3) + (a if i % 2 else b) + filler(f"b{i}", 3), day=i % 3)
        for i in range(8)
    ]
    got = {p.tokens for p in mine(sessions, MiningConfig(cluster_similarity=1.0))}
    assert got == {tuple(a), tuple(b)}


def test_variants_are_clustered_under_the_best_supported_member() -> None:
    main = ["Grep", "Read", "Edit", "Bash:pytest", "Bash:git commit"]
    variant = ["Grep", "Read", "Bash:ruff check", "Bash:pytest", "Bash:git commit"]
    sessions = [
        session(
            f"s{i}",
            filler(f"a{i}", 3) + (variant if i < 3 else main) + filler(f"b{i}", 3),
            day=i % 3,
        )
        for i in range(9)
    ]
    (p,) = mine(sessions, MiningConfig())
    assert p.tokens == tuple(main)
    assert p.support == 6
    assert [(v.tokens, v.support) for v in p.variants] == [(tuple(variant), 3)]
    assert p.variants[0].id == pattern_id("proj", variant)


def test_low_lift_sequences_are_not_reported() -> None:
    # Two tools alternating everywhere: every window is expected by chance.
    sessions = [session(f"s{i}", ["Read", "Edit"] * 10, day=i % 3) for i in range(20)]
    assert mine(sessions, MiningConfig()) == []


def test_config_rejects_inverted_lengths() -> None:
    with pytest.raises(ValueError):
        MiningConfig(min_len=5, max_len=4)


# ---------------------------------------------------------------- properties


@st.composite
def configs(draw: st.DrawFn) -> MiningConfig:
    min_len = draw(st.integers(min_value=1, max_value=3))
    return MiningConfig(
        min_support=draw(st.integers(min_value=1, max_value=3)),
        min_days=draw(st.integers(min_value=1, max_value=2)),
        min_len=min_len,
        max_len=draw(st.integers(min_value=min_len, max_value=6)),
        min_lift=draw(st.sampled_from([0.0, 1.0, 1.5, 3.0])),
        significance=draw(st.sampled_from([0.01, 0.5, 1.0, 1.0])),
        closure_ratio=draw(st.sampled_from([0.5, 0.9, 1.0])),
        cluster_similarity=draw(st.sampled_from([0.8, 1.0])),
        max_gap=0,  # the brute-force reference counts contiguous runs (gapped: test_gapped)
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_corpora(), configs())
def test_fast_miner_agrees_with_brute_force(
    sessions: list[SessionSeq], config: MiningConfig
) -> None:
    mined = mine(sessions, config)
    got: dict[tuple[str, ...], int] = {}
    for p in mined:
        got[p.tokens] = p.support
        for v in p.variants:
            got[v.tokens] = v.support
    assert got == reference_mine(sessions, config)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_corpora(), configs())
def test_reported_statistics_match_the_evidence(
    sessions: list[SessionSeq], config: MiningConfig
) -> None:
    for p in mine(sessions, config):
        holders = sessions_with(sessions, p.tokens)
        assert p.support == len(holders) == len(p.session_ids)
        assert set(p.session_ids) == {s.session_id for s in holders}
        assert p.days == tuple(sorted({s.day for s in holders}))
        assert len(p.days) >= config.min_days and p.support >= config.min_support
        assert p.occurrences == sum(
            occurrences_of([x.token for x in s.steps], p.tokens) for s in holders
        )
        assert p.lift >= config.min_lift
        assert config.min_len <= len(p.tokens) <= config.max_len
        assert 0.0 <= p.wilson_lower <= p.success_rate <= 1.0
        assert p.successes <= p.outcomes_known <= p.occurrences
        assert sum(p.failed_steps) >= p.outcomes_known - p.successes
        for v in p.variants:
            # a merged fragment of the routine may recur in more sessions than the whole
            # routine (tests/learning/core/test_fragments.py); its own count must be right
            assert v.support == len(sessions_with(sessions, v.tokens))
