"""`learn mine --explain`: the nearest candidates and the rule each one missed."""

from __future__ import annotations

from datetime import date

from hestai_tmws.learning.core.explain import nearest_candidates
from hestai_tmws.learning.core.model import MiningConfig, SessionSeq, Step


def seq(sid: str, day: int, tokens: list[tuple[str, str | None]]) -> SessionSeq:
    steps = tuple(Step(tool=t, action=a, ok=True) for t, a in tokens)
    return SessionSeq(session_id=sid, day=date(2026, 3, day), namespace="x", steps=steps)


def test_too_few_days_and_exploration_are_named() -> None:
    looking = [("Read", None), ("Grep", None), ("Glob", None)]
    sessions = [seq(f"s{i}", 2, looking) for i in range(4)]
    [top, *_] = nearest_candidates(sessions, MiningConfig())
    assert top.chain == "Read → Grep → Glob" and (top.support, top.days) == (4, 1)
    assert top.reasons == [
        "V1: 1 days (needs >= 2)",
        "V3: no acting step (only reading, editing or task notes)",
    ]
    assert nearest_candidates([], MiningConfig()) == []
