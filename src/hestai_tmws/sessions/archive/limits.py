"""How much text an archive keeps: level 0 is the normal case, higher levels shrink text
to fit the size cap."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Limits:
    digest: int = 160
    prompt: int = 300
    prompts: int = 40
    command: int = 160
    commands: int = 150
    files: int = 300
    path: int = 200
    error: int = 240
    errors: int = 50
    marker: int = 400
    markers: int = 50
    summary: int = 1200
    trace_summary: int = 160
    traces: int | None = None  # keep at most this many traces (first and last half); None: all


_SHRINKING: tuple[Limits, ...] = (
    Limits(),
    Limits(
        digest=100,
        prompt=160,
        prompts=20,
        command=100,
        commands=80,
        files=150,
        error=160,
        errors=30,
        marker=300,
        trace_summary=80,
    ),
    Limits(
        digest=48,
        prompt=80,
        prompts=6,
        command=60,
        commands=30,
        files=60,
        path=120,
        error=100,
        errors=10,
        marker=200,
        markers=30,
        summary=600,
        trace_summary=32,
    ),
    Limits(
        digest=16,
        prompt=40,
        prompts=2,
        command=30,
        commands=10,
        files=20,
        path=80,
        error=60,
        errors=5,
        marker=120,
        markers=20,
        summary=300,
        trace_summary=0,
    ),
)
# Last resort for very long MCP sessions: the transcript's tool calls stay complete, the
# traces (a second record of the same calls) keep their first and last 200 entries.
LEVELS: tuple[Limits, ...] = (*_SHRINKING, replace(_SHRINKING[-1], traces=400))


def shorten(text: str, limit: int) -> str:
    """One line, at most `limit` characters (cut on a word boundary, then an ellipsis)."""
    one_line = _SPACES.sub(" ", text).strip()
    if limit <= 0:
        return ""
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
