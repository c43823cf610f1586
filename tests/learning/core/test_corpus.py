"""Encoding a namespace's sessions: one character per token, sessions by day, shares of calls."""

from __future__ import annotations

from hestai_tmws.learning.core.corpus import SEPARATOR, decode, encode
from tests.learning.helpers import session


def test_each_token_is_one_character_and_decodes_back() -> None:
    sessions = [
        session("b", ["Read", "Edit", "Bash:pytest"], day=1),
        session("a", ["Edit", "Read"], day=0),
    ]
    corpus = encode(sessions)
    assert [s.session_id for s in corpus.seqs] == ["a", "b"]  # by day
    assert [len(t) for t in corpus.texts] == [2, 3]
    assert decode(corpus.texts[1], corpus) == ("Read", "Edit", "Bash:pytest")
    assert SEPARATOR not in "".join(corpus.texts)
    assert corpus.day_ids == [0, 1]
    assert sum(corpus.calls.values()) == 5
    assert abs(sum(corpus.prob.values()) - 1.0) < 1e-9
