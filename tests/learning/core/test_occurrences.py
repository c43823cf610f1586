"""Locating a gram from its rarest token's positions gives every occurrence, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.corpus import encode
from hestai_tmws.learning.core.model import SessionSeq
from hestai_tmws.learning.core.occurrences import Occurrences
from tests.learning.strategies import TOKENS, small_corpora


@settings(max_examples=80, deadline=None)
@given(small_corpora(), st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4))
def test_occurrence_finder_finds_every_occurrence(
    sessions: list[SessionSeq], gram: list[str]
) -> None:
    corpus = encode(sessions)
    if any(t not in corpus.tokens.values() for t in gram):
        return
    chars = {t: c for c, t in corpus.tokens.items()}
    text = "".join(chars[t] for t in gram)
    found = Occurrences(corpus).find(text)
    expected = [
        (k, i)
        for k, s in enumerate(corpus.seqs)
        for i in range(len(s.steps) - len(gram) + 1)
        if [st.token for st in s.steps[i : i + len(gram)]] == gram
    ]
    assert found == expected
