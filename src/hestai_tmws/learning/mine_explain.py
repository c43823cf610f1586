"""`tmws learn mine --explain`: the patterns that failed a check, then the runs that came closest.

Split from `pipeline` (the run itself) because it re-reads every session for the nearest
candidates: only asked for by hand, and its own concern.
"""

from __future__ import annotations

from hestai_tmws.learning.archive_scan import ArchiveRef, sessions_of
from hestai_tmws.learning.cache import SequenceCache, mining_input
from hestai_tmws.learning.core.checks import ValidationReport
from hestai_tmws.learning.core.explain import Candidate, nearest_candidates
from hestai_tmws.learning.core.fragments import overlaps
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig


def explain_run(
    cache: SequenceCache,
    archives: list[ArchiveRef],
    namespace: str,
    config: MiningConfig,
    mined: list[MinedPattern],
    reports: dict[str, ValidationReport],
) -> list[Candidate]:
    """Patterns that failed a check (with the check), then the runs that came closest."""
    out = [
        Candidate(
            chain=" → ".join(p.tokens),
            support=p.support,
            days=len(set(p.days)),
            reasons=[f"{c.code}: {c.reason}" for c in reports[p.id].checks if not c.passed],
        )
        for p in mined
        if not reports[p.id].passed
    ]
    seqs = mining_input(cache, sessions_of(cache, archives, namespace))
    known = {c.chain for c in out} | {
        " → ".join(tokens) for p in mined for tokens in (p.tokens, *(v.tokens for v in p.variants))
    }
    for near in nearest_candidates(seqs, config):
        if near.chain in known:
            continue
        steps = tuple(near.chain.split(" → "))
        home = next((p for p in mined if overlaps(p.tokens, steps)), None)
        if home is not None:
            near.reasons = [f"a piece of the routine {home.id} ({' → '.join(home.tokens)})"]
        out.append(near)
    return out
