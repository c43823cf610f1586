"""Which open session an event or a call is for: the one set of rules, standard library only.

Every face asks the same question: the CLI and the workflows (`store.resolve_session`), the
MCP server (`ServerContext`), the Claude Code hooks (`store.session_for_agent`, and the hook
fast path, which must not import pydantic). The rules live here once, over plain ids and
records, so that each caller only supplies how it reads the open sessions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

SESSION_ID_RE = re.compile(r"^[0-9a-f]{12}$")
SESSION_FILE = "session.json"  # the record in each session folder
MIN_PREFIX = 4  # shortest id prefix that names a session

T = TypeVar("T")


def is_session_id(text: str) -> bool:
    """12 lowercase hex digits: what every session folder is named."""
    return bool(SESSION_ID_RE.match(text))


def normalise_id(text: str) -> str:
    """What a caller typed, as ids are written (stripped, lower case)."""
    return text.strip().lower()


def open_session_ids(active_dir: str | os.PathLike[str]) -> list[str]:
    """Ids of the folders under `sessions/active/` named like a session (links skipped), sorted.

    A missing folder means no open session; other OS errors reach the caller.
    """
    try:
        names = sorted(
            entry.name for entry in os.scandir(active_dir) if entry.is_dir(follow_symlinks=False)
        )
    except FileNotFoundError:
        return []
    return [name for name in names if is_session_id(name)]


def by_prefix(items: Sequence[T], wanted: str, id_of: Callable[[T], str]) -> list[T]:
    """The items whose id starts with `wanted` (normalised; at least MIN_PREFIX characters)."""
    if len(wanted) < MIN_PREFIX:
        return []
    return [item for item in items if id_of(item).startswith(wanted)]


def for_agent(
    items: Sequence[T], agent_session_id: str | None, agent_of: Callable[[T], object]
) -> list[T]:
    """The candidates for an agent's own session id (a Claude Code session, say).

    Those clocked in for that agent session (oldest first), else the only open session when
    it belongs to no other agent session; empty when nothing fits. One candidate is the
    answer; several mean the agent session was clocked in twice (callers take the newest or,
    on the hook fast path, step aside).
    """
    if agent_session_id:
        mine = [item for item in items if agent_of(item) == agent_session_id]
        if mine:
            return mine
    if len(items) == 1:
        only = items[0]
        if not agent_of(only) or not agent_session_id:
            return [only]
    return []
