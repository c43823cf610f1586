"""The seeded corpus generator: the same seed gives the same corpus, with the calls asked for."""

from __future__ import annotations

from hestai_tmws.learning.core.generator import generate_corpus


def test_same_seed_same_corpus_and_exact_call_count() -> None:
    first = generate_corpus(7, sessions=40, mean_calls=20, workflows=2, days=14)
    again = generate_corpus(7, sessions=40, mean_calls=20, workflows=2, days=14)
    assert first.sessions == again.sessions and first.planted == again.planted
    assert len(first.sessions) == 40 and first.calls == 40 * 20
    assert len(first.planted) == 2
    other = generate_corpus(8, sessions=40, mean_calls=20, workflows=2, days=14)
    assert other.sessions != first.sessions
