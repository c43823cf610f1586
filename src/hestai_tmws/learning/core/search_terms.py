"""Search words of a task, a focus or changed paths: what skill suggestions look for (pure).

Stop words, numbers and one-letter words are dropped; `snake_case` words also count by
their parts, so `clock_in` finds skills that say "clock".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_TERMS = 40
_WORD = re.compile(r"[^\W\d_][\w]*|\d+[^\W\d_][\w]*", re.UNICODE)
_STOPWORDS_TEXT = """a an and are as at be but by can do does for from has have how i in into is
    it its me my no not of on or our so that the their then there these this to up use used
    using was we what when where which while who why will with you your fix add make new
    update main master feat feature chore work general issue task run runs running then
    step steps"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def query_terms(texts: Iterable[str | None], limit: int = MAX_TERMS) -> list[str]:
    """Distinct search words of the given texts, in order (stop words and numbers dropped)."""
    out: list[str] = []
    seen: set[str] = set()
    for text in texts:
        if not text:
            continue
        for raw in _WORD.findall(text.lower()):
            for word in [raw, *[p for p in raw.split("_") if p and p != raw]]:
                if len(word) < 2 or word in _STOPWORDS or word in seen:
                    continue
                seen.add(word)
                out.append(word)
                if len(out) >= limit:
                    return out
    return out


def path_words(paths: Iterable[str]) -> list[str]:
    """Folder names and file stems of changed paths (`src/app/cli.py` → src app cli)."""
    words: list[str] = []
    for path in paths:
        parts = [p for p in path.split("/") if p]
        if not parts:
            continue
        stem = parts[-1].split(".", 1)[0]
        words.extend([*parts[:-1], stem])
    return words
