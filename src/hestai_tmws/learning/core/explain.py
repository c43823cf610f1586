"""Why mining found what it found: the nearest candidates and the rule each one missed.

"0 patterns" must never come without a reason. For the most frequent runs of steps
(of the allowed length, seen in at least two sessions) this says which rule stopped them:
too few sessions, too few days, not more frequent than chance, or a validation check.
Pure: it re-counts the corpus at a lower support, which is cheap next to a full mine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from hestai_tmws.learning.core.corpus import decode, encode
from hestai_tmws.learning.core.model import MiningConfig, SessionSeq
from hestai_tmws.learning.core.ngrams import frequent_ngrams
from hestai_tmws.learning.core.selection import select_grams
from hestai_tmws.learning.core.steps import acts

NEAREST = 8
_EXPLAIN_MAX_LEN = 6


class Candidate(BaseModel):
    """One run of steps that came close, and what kept it from being a pattern."""

    chain: str
    support: int
    days: int
    reasons: list[str] = Field(default_factory=list)


def nearest_candidates(
    sessions: Iterable[SessionSeq], config: MiningConfig, limit: int = NEAREST
) -> list[Candidate]:
    """The best-supported runs that did not become patterns, each with its reasons."""
    seqs = list(sessions)
    if not seqs:
        return []
    corpus = encode(seqs)
    floor = max(2, min(config.min_support - 1, 2))
    top = min(config.max_len, _EXPLAIN_MAX_LEN)
    levels = frequent_ngrams(corpus.texts, floor, top)
    selected = select_grams(levels, corpus, config) if config.min_support <= top else {}
    rows: list[tuple[int, str]] = []
    for n in range(config.min_len, len(levels)):
        rows.extend((count, gram) for gram, count in levels[n].support.items())
    rows.sort(key=lambda r: (-r[0], -len(r[1]), r[1]))
    out: list[Candidate] = []
    for support, gram in rows:
        tokens = decode(gram, corpus)
        days = len({corpus.day_ids[k] for k, text in enumerate(corpus.texts) if gram in text})
        reasons = _reasons(tokens, support, days, gram in selected, config)
        if reasons:
            out.append(
                Candidate(chain=" → ".join(tokens), support=support, days=days, reasons=reasons)
            )
        if len(out) >= limit:
            break
    return out


def _reasons(
    tokens: Sequence[str], support: int, days: int, selected: bool, config: MiningConfig
) -> list[str]:
    reasons: list[str] = []
    if support < config.min_support:
        reasons.append(f"V1: {support} sessions (needs >= {config.min_support})")
    if days < config.min_days:
        reasons.append(f"V1: {days} days (needs >= {config.min_days})")
    if not reasons and not selected:
        reasons.append(
            "not more frequent than chance, or only a piece of a longer run "
            f"(needs lift >= {config.min_lift:g} and significance)"
        )
    if not any(acts(t) for t in tokens):
        reasons.append("V3: no acting step (only reading, editing or task notes)")
    return reasons
