"""Selection: a planted sequence is selected, its sub-grams are absorbed by closure."""

from __future__ import annotations

from hestai_tmws.learning.core.corpus import decode, encode
from hestai_tmws.learning.core.model import MiningConfig
from hestai_tmws.learning.core.ngrams import frequent_ngrams
from hestai_tmws.learning.core.selection import select_grams
from tests.learning.helpers import filler, session

SEQ = ("Read", "Edit", "Bash:pytest")


def test_the_planted_sequence_alone_is_selected() -> None:
    sessions = [
        session(f"s{i}", [*filler(f"a{i}", 4), *SEQ, *filler(f"b{i}", 4)], day=i % 3)
        for i in range(5)
    ]
    config = MiningConfig()
    corpus = encode(sessions)
    levels = frequent_ngrams(corpus.texts, config.min_support, config.max_len)
    selected = select_grams(levels, corpus, config)
    assert [decode(g, corpus) for g in selected] == [SEQ]
    assert all(expected >= 0.0 for expected in selected.values())
