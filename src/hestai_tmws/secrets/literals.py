"""Where the detectors' literals occur in a text, found in one pass.

The detectors key on ~220 trigger literals (which rules can match at all) and ~160 anchor
literals (where an anchored rule is tried). Looking each one up with its own `str.find`
pass cost a full scan of the text per literal: most of a scan of a long archive. One
Aho-Corasick automaton over all of them finds every occurrence, overlapping ones included,
in a single pass; the answers are exactly those of the `find` loops they replace.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ahocorasick_rs import AhoCorasick, MatchKind


@lru_cache(maxsize=4)
def _automaton(literals: tuple[str, ...]) -> AhoCorasick:
    return AhoCorasick(literals, matchkind=MatchKind.Standard)


class LiteralHits:
    """Every start offset of every literal found in one text (ascending per literal)."""

    __slots__ = ("_starts",)

    def __init__(self, starts: dict[str, list[int]]) -> None:
        self._starts = starts

    def present(self) -> frozenset[str]:
        """The literals that occur at least once."""
        return frozenset(self._starts)

    def starts(self, literal: str) -> list[int]:
        """Where `literal` starts, ascending; what a `str.find` loop from 0 returns."""
        return self._starts.get(literal, [])

    def positions(self, literals: Iterable[str]) -> list[int]:
        """Where any of `literals` starts, ascending (a position twice when two start there)."""
        out: list[int] = []
        for literal in literals:
            out.extend(self._starts.get(literal, ()))
        out.sort()
        return out


def find_literals(text: str, literals: tuple[str, ...]) -> LiteralHits:
    """Every occurrence in `text` of each of `literals` (non-empty, distinct)."""
    starts: dict[str, list[int]] = {}
    if not text:
        return LiteralHits(starts)
    for index, start, _end in _automaton(literals).find_matches_as_indexes(text, overlapping=True):
        literal = literals[index]
        found = starts.get(literal)
        if found is None:
            starts[literal] = [start]
        else:
            found.append(start)
    return LiteralHits(starts)
