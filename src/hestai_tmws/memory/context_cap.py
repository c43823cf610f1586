"""The size cap of a context document: which old entries move to project history, and how.

Pure (no files, no locks), like `context_merge`: the cap is fuzzed on its own. Done tasks move
first, then the oldest items of log-like lists, so what an agent still needs stays in place.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from hestai_tmws.memory.context_merge import KEY_SEP
from hestai_tmws.octave.model import Document, Value
from hestai_tmws.octave.model import Literal as Lit

# Names that mark a list or section as a log whose old entries may move to project history.
_HISTORY_LIKE = re.compile(
    r"(HISTORY|LOG|DONE|COMPLETED|CLOSED|RESOLVED|CHANGES|CHANGELOG|SESSIONS|MILESTONES|"
    r"ARCHIVE|NOTES|RECENT|LEARNINGS|ENTRIES|TIMELINE|DECISIONS|EVENTS|OUTCOMES)",
    re.IGNORECASE,
)
DONE_STATES = frozenset(
    {
        "DONE",
        "COMPLETE",
        "COMPLETED",
        "CLOSED",
        "RESOLVED",
        "SUPERSEDED",
        "CANCELLED",
        "CANCELED",
        "DROPPED",
        "ACHIEVED",
        "REJECTED",
        "FIXED",
        "MERGED",
    }
)


@dataclass
class MovedEntry:
    """One entry taken out of a context document, to be kept in project history."""

    section: str
    key: str  # path inside the section, `/`-separated; for a list item, the list's key
    value: Value
    kind: Literal["list-item", "block"]

    def record(self, source: str, moved_at: str) -> tuple[str, dict[str, Value]]:
        """(unique key, block) for the ARCHIVED_CONTEXT section of project history."""
        payload = json.dumps(
            [source, self.section, self.key, _jsonable(self.value), moved_at],
            sort_keys=True,
            ensure_ascii=True,
        )
        digest = hashlib.sha256(payload.encode("ascii")).hexdigest()[:10]
        return f"A_{digest}", {
            "FROM": source,
            "SECTION": self.section,
            "KEY": self.key,
            "MOVED": moved_at,
            "VALUE": self.value,
        }


def _jsonable(value: Value) -> Any:
    if isinstance(value, Lit):
        return {"literal": value.text, "lang": value.lang}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


@dataclass
class _Candidate:
    priority: int
    size: int
    holder: list[Value] | dict[str, Value]
    section: str
    key: str
    item_key: str | None  # for a block entry: its key in `holder`

    def take(self) -> MovedEntry:
        if isinstance(self.holder, list):
            return MovedEntry(self.section, self.key, self.holder.pop(0), "list-item")
        assert self.item_key is not None
        value = self.holder.pop(self.item_key)
        return MovedEntry(self.section, self.key, value, "block")


def _is_done(value: Value) -> bool:
    if not isinstance(value, dict):
        return False
    status = value.get("STATUS")
    return isinstance(status, str) and status.upper() in DONE_STATES


def _walk(
    body: dict[str, Value], section: str, prefix: str, history_like: bool
) -> Iterator[_Candidate]:
    """Every movable entry of a block, with its priority (lower moves first)."""
    block_keys = [k for k, v in body.items() if isinstance(v, dict)]
    for key, value in body.items():
        path = f"{prefix}{KEY_SEP}{key}" if prefix else key
        named_like_log = history_like or bool(_HISTORY_LIKE.search(key))
        if isinstance(value, list) and value:
            if named_like_log:
                yield _Candidate(1, len(value), value, section, path, None)
            elif len(value) >= 2:
                yield _Candidate(3, len(value), value, section, path, None)
        elif isinstance(value, dict):
            if _is_done(value):
                yield _Candidate(0, len(block_keys), body, section, path, key)
            elif history_like:
                yield _Candidate(2, len(block_keys), body, section, path, key)
            elif len(block_keys) >= 2:
                yield _Candidate(4, len(block_keys), body, section, path, key)
            yield from _walk(value, section, path, named_like_log)


def _next_candidate(doc: Document) -> _Candidate | None:
    best: _Candidate | None = None
    for sec in doc.sections:
        history_like = bool(_HISTORY_LIKE.search(sec.name))
        for cand in _walk(sec.body, sec.name, "", history_like):
            # lowest priority class first; within it the biggest holder; ties: document order
            if best is None or (cand.priority, -cand.size) < (best.priority, -best.size):
                best = cand
    return best


def cap_document(
    doc: Document, max_lines: int, count_lines: Callable[[Document], int]
) -> tuple[list[MovedEntry], int]:
    """Move the oldest entries out of `doc` until it has at most `max_lines` lines.

    Order: done tasks/milestones first, then the oldest items of log-like lists (HISTORY,
    DONE, SESSIONS, …), then old blocks of log-like sections, then the oldest items of any
    list, then the first blocks of any section. Returns the moved entries (oldest first)
    and the final line count, which may still be over the cap when nothing is left to move.
    """
    moved: list[MovedEntry] = []
    lines = count_lines(doc)
    while lines > max_lines:
        excess = lines - max_lines
        freed = 0
        while freed < excess:
            cand = _next_candidate(doc)
            if cand is None:
                break
            entry = cand.take()
            moved.append(entry)
            freed += _estimate_lines(entry.value, entry.kind)
        if freed == 0:
            break
        lines = count_lines(doc)
    return moved, lines


def _estimate_lines(value: Value, kind: str) -> int:
    """A lower bound of the lines an entry takes, so one pass never moves much too much."""
    if kind == "list-item":
        return 1
    if isinstance(value, dict):
        return 1 + sum(_estimate_lines(v, "block") for v in value.values())
    if isinstance(value, Lit):
        return value.text.count("\n") + 3
    return 1
