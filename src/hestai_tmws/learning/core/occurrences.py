"""Locate every occurrence of a selected gram in a corpus (session index, position). Pure.

The corpus is joined into one array of code points (numpy, as the n-gram count): a gram's
occurrences are the positions of its rarest token where every other token matches at its
offset, a few array passes per gram instead of a `str.find` per occurrence.
"""

from __future__ import annotations

from hestai_tmws.learning.core.corpus import SEPARATOR, Corpus
from hestai_tmws.learning.core.ngram_arrays import Array, numpy_module


class Occurrences:
    """Every occurrence of a gram, overlaps included, from its rarest token's positions."""

    __slots__ = ("_calls", "_codes", "_np", "_positions", "_starts")

    def __init__(self, corpus: Corpus) -> None:
        np = self._np = numpy_module()
        text = SEPARATOR.join(corpus.texts)
        self._codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        lengths = np.fromiter(map(len, corpus.texts), dtype=np.int64, count=len(corpus.texts))
        self._starts = np.cumsum(lengths + 1) - lengths - 1
        self._calls = corpus.calls
        self._positions: dict[str, Array] = {}

    def find(self, gram: str) -> list[tuple[int, int]]:
        """(session index, start position) of every occurrence, in corpus order."""
        np = self._np
        codes = self._codes
        rarest = min(range(len(gram)), key=lambda j: self._calls[gram[j]])
        at = self._token_positions(gram[rarest]) - rarest
        at = at[(at >= 0) & (at + len(gram) <= len(codes))]
        for j, char in enumerate(gram):
            if j != rarest:
                at = at[codes[at + j] == ord(char)]
        k = np.searchsorted(self._starts, at, side="right") - 1
        return list(zip(k.tolist(), (at - self._starts[k]).tolist(), strict=True))

    def _token_positions(self, char: str) -> Array:
        positions = self._positions.get(char)
        if positions is None:
            positions = self._positions[char] = self._np.flatnonzero(self._codes == ord(char))
        return positions
