"""Small builders for learning tests: sessions from token lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from hestai_tmws.learning.core.model import SessionSeq, Step

DAY0 = date(2025, 3, 3)


def step(token: str, ok: bool | None = True, duration_ms: float | None = 100.0) -> Step:
    tool, _, action = token.partition(":")
    return Step(tool=tool, action=action or None, ok=ok, duration_ms=duration_ms)


def session(
    sid: str,
    tokens: Sequence[str],
    *,
    day: int = 0,
    namespace: str = "proj",
    failed: Sequence[int] = (),
    ok: bool | None = True,
) -> SessionSeq:
    """A session whose steps succeed (or carry `ok`), except the positions in `failed`."""
    steps = tuple(step(tok, ok=False if i in failed else ok) for i, tok in enumerate(tokens))
    return SessionSeq(
        session_id=sid, day=DAY0 + timedelta(days=day), namespace=namespace, steps=steps
    )


def filler(prefix: str, count: int) -> list[str]:
    """Tools that occur once each: background that can never form a pattern."""
    return [f"mcp__{prefix}__t{i}" for i in range(count)]
