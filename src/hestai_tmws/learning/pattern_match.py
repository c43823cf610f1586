"""Where a known pattern occurs in a new session, by the miner's rule for its kind.

Contiguous patterns are one `str.find` over the session as a string of token characters;
gapped ones (`core.gapped`) are matched on the session's plain steps with the miner's own
`embeddings`, so the incremental counts equal what a full mine reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from hestai_tmws.learning.core.gapped import Occurrence, PlainCorpus, embeddings

TokenNamer = Callable[[int], str]


def _char(code: int) -> str:
    """One character per token id (never NUL, never a surrogate)."""
    code += 1
    return chr(code if code < 0xD800 else code + 0x800)


class SessionText:
    """Sessions and patterns as strings of token characters: a match is one `str.find`."""

    def __init__(self, name: TokenNamer) -> None:
        self._name = name
        self.name = name
        self.plain = PlainCorpus()  # gapped patterns match on plain steps
        self._chars: list[str] = []
        self._by_token: dict[str, str] = {}

    def session(self, tids: list[int]) -> str:
        chars = self._chars
        if tids:
            top = max(tids)
            while len(chars) <= top:
                token = self._name(len(chars))
                char = self._by_token.get(token)
                if char is None:  # one character per token text
                    char = self._by_token[token] = _char(len(self._by_token))
                chars.append(char)
        return "".join(map(chars.__getitem__, tids))

    def pattern(self, tokens: Iterable[str]) -> str | None:
        """The pattern's string, or None if one of its tokens was never seen."""
        out = []
        for token in tokens:
            char = self._by_token.get(token)
            if char is None:
                return None
            out.append(char)
        return "".join(out)


def occurrences(
    tokens: Sequence[str], gap: int, text: SessionText, tids: list[int], haystack: str
) -> list[Occurrence]:
    """Where the pattern occurs in one session, by the miner's rule for its kind."""
    if gap:
        plain = text.plain.session([text.name(t) for t in tids])
        gram = text.plain.pattern(tokens)
        if gram is None:
            return []
        return [tuple(plain.origin[p] for p in path) for path in embeddings(plain.text, gram, gap)]
    needle = text.pattern(tokens)
    if needle is None or needle not in haystack:
        return []
    n = len(tokens)
    return [tuple(range(at, at + n)) for at in _starts(haystack, needle)]


def _starts(haystack: str, needle: str) -> list[int]:
    out: list[int] = []
    at = haystack.find(needle)
    while at >= 0:
        out.append(at)
        at = haystack.find(needle, at + 1)
    return out
