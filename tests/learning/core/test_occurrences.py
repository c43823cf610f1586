"""Both ways of locating a gram (token positions, whole-corpus scan) give every occurrence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.corpus import encode
from hestai_tmws.learning.core.model import SessionSeq
from hestai_tmws.learning.core.occurrences import Occurrences
from tests.learning.strategies import TOKENS, small_corpora


@settings(max_examples=80, deadline=None)
@given(small_corpora(), st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4))
def test_occurrence_finder_paths_agree(sessions: list[SessionSeq], gram: list[str]) -> None:
    corpus = encode(sessions)
    if any(t not in corpus.tokens.values() for t in gram):
        return
    chars = {t: c for c, t in corpus.tokens.items()}
    text = "".join(chars[t] for t in gram)
    via_index = Occurrences(corpus)
    via_scan = Occurrences(corpus, rare=-1)
    found = via_index.find(text)
    assert found == via_scan.find(text)
    expected = [
        (k, i)
        for k, s in enumerate(corpus.seqs)
        for i in range(len(s.steps) - len(gram) + 1)
        if [st.token for st in s.steps[i : i + len(gram)]] == gram
    ]
    assert found == expected
