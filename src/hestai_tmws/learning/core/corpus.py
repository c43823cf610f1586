"""One namespace's sessions, encoded for mining: one character per token, a session a `str`.

Interning every token to one character makes an n-gram a slice, so hashing and counting
run in C. Pure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from hestai_tmws.learning.core.model import SessionSeq, token_of
from hestai_tmws.learning.core.stats import LengthHistogram

SEPARATOR = "\x00"  # joins the sessions of a corpus into one string (never a token)


class _Interner(dict[tuple[str, str | None], str]):
    """(tool, action) -> one character (never NUL, never a surrogate); remembers tokens."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[str, str] = {}  # char -> token
        self._by_token: dict[str, str] = {}

    def __missing__(self, key: tuple[str, str | None]) -> str:
        token = token_of(*key)
        char = self._by_token.get(token)
        if char is None:
            code = len(self._by_token) + 1
            char = chr(code if code < 0xD800 else code + 0x800)
            self._by_token[token] = char
            self.tokens[char] = token
        self[key] = char
        return char


@dataclass(slots=True)
class Corpus:
    """One namespace, encoded: sessions sorted by day, each a string of token characters."""

    seqs: list[SessionSeq]
    texts: list[str]
    day_ids: list[int]
    tokens: dict[str, str]  # char -> token
    calls: dict[str, int]  # char -> calls
    prob: dict[str, float]  # char -> share of all calls
    lengths: LengthHistogram


def encode(seqs: list[SessionSeq]) -> Corpus:
    seqs = sorted(seqs, key=lambda s: (s.day, s.session_id))
    interner = _Interner()
    get = interner.__getitem__
    pair = attrgetter("tool", "action")
    texts = ["".join(map(get, map(pair, seq.steps))) for seq in seqs]
    calls = Counter("".join(texts))  # one count in C, in the same first-seen order
    total = sum(calls.values()) or 1
    day_index: dict[date, int] = {}
    day_ids = [day_index.setdefault(seq.day, len(day_index)) for seq in seqs]
    return Corpus(
        seqs=seqs,
        texts=texts,
        day_ids=day_ids,
        tokens=interner.tokens,
        calls=dict(calls),
        prob={char: count / total for char, count in calls.items()},
        lengths=LengthHistogram(Counter(len(t) for t in texts)),
    )


def decode(gram: str, corpus: Corpus) -> tuple[str, ...]:
    return tuple(corpus.tokens[c] for c in gram)
