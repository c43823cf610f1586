"""Locate every occurrence of a selected gram in a corpus (session index, position). Pure."""

from __future__ import annotations

from bisect import bisect_right

from hestai_tmws.learning.core.corpus import SEPARATOR, Corpus


class Occurrences:
    """Locate every occurrence of a gram in the corpus joined into one string.

    A gram holding a rare token is found from that token's positions (a short list, built
    once per token by a C-level scan); a gram of common tokens only is found with one
    `str.find` loop over the whole corpus.
    """

    __slots__ = ("_calls", "_positions", "_rare", "_starts", "_text")

    def __init__(self, corpus: Corpus, rare: int = 4096) -> None:
        # Up to `rare` calls, a token's position list beats a scan of the whole corpus.
        self._rare = rare
        starts: list[int] = []
        offset = 0
        for text in corpus.texts:
            starts.append(offset)
            offset += len(text) + 1
        self._starts = starts
        self._text = SEPARATOR.join(corpus.texts)
        self._calls = corpus.calls
        self._positions: dict[str, list[int]] = {}

    def find(self, gram: str) -> list[tuple[int, int]]:
        """(session index, start position) of every occurrence, overlaps included."""
        rarest = min(range(len(gram)), key=lambda j: self._calls[gram[j]])
        if self._calls[gram[rarest]] <= self._rare:
            text = self._text
            at_starts = [
                p - rarest
                for p in self._token_positions(gram[rarest])
                if p >= rarest and text.startswith(gram, p - rarest)
            ]
        else:
            at_starts = self._scan(gram)
        starts = self._starts
        found: list[tuple[int, int]] = []
        for at in at_starts:
            k = bisect_right(starts, at) - 1
            found.append((k, at - starts[k]))
        return found

    def _token_positions(self, char: str) -> list[int]:
        positions = self._positions.get(char)
        if positions is None:
            positions = self._positions[char] = self._scan(char)
        return positions

    def _scan(self, gram: str) -> list[int]:
        text = self._text
        found: list[int] = []
        at = text.find(gram)
        while at >= 0:
            found.append(at)
            at = text.find(gram, at + 1)
        return found
