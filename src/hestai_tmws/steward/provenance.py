"""Committed provenance: which `.hestai/` blobs tmws wrote, in files every clone has.

The local MAC ledger lives in one clone's `.git`, so CI (a fresh clone) cannot tell a Steward
write from a hand edit. Each Steward write, deletion and adoption therefore also appends one
JSON line to `.hestai/provenance/<UTC day>.jsonl`: path, blob id, time, actor, session, tool
version and kind. A file per day keeps every file small and cold (no file every branch edits
forever), and `.hestai/**/*.jsonl merge=union` merges two branches' lines without conflicts.
`tmws verify` proves each `.hestai/` blob at a commit against these lines
(`guard.provenance_proof`). Provenance files cannot record their own blob: they are checked
structurally instead (every line parses; see `parse_text`).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hestai_tmws import __version__
from hestai_tmws.errors import PathRejectedError
from hestai_tmws.layout import HESTAI
from hestai_tmws.steward.atomic import append_whole_lines

PROVENANCE_DIR = "provenance"  # inside .hestai/
PROVENANCE_PREFIX = f"{HESTAI}/{PROVENANCE_DIR}/"
KINDS = frozenset({"write", "merge-driver", "adopt", "delete"})
ENV_SESSION = "TMWS_SESSION_ID"  # set by clock-in callers that want records tied to a session
_FIELDS = ("path", "blob", "kind", "ts", "actor", "session", "tool")


@dataclass(frozen=True)
class ProvenanceRecord:
    """One line: tmws wrote (or deleted, or adopted) `blob` at `path`."""

    path: str  # relative to the work tree root, POSIX, e.g. ".hestai/context/x.oct.md"
    blob: str | None  # git blob id; None for a deletion
    kind: str  # write | merge-driver | adopt | delete
    ts: str  # UTC, ISO 8601 to the second
    actor: str = "steward"
    session: str = ""
    tool: str = __version__

    def to_line(self) -> str:
        """The canonical line (sorted keys, no spaces): identical records are identical bytes."""
        body = {name: getattr(self, name) for name in _FIELDS}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def is_provenance(path: str) -> bool:
    """Is `path` (relative to the work tree root) a provenance file?"""
    return (
        path.startswith(PROVENANCE_PREFIX)
        and path.endswith(".jsonl")
        and "/" not in (path[len(PROVENANCE_PREFIX) :])
    )


def utc_stamp(now: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if now is None else now))


def provenance_rel(now: float | None = None) -> str:
    """The file today's records go to, relative to `.hestai/`."""
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() if now is None else now))
    return f"{PROVENANCE_DIR}/{day}.jsonl"


def record(path: str, blob: str | None, kind: str, *, actor: str = "steward") -> ProvenanceRecord:
    """A record stamped now, with the session named by the environment (if any)."""
    return ProvenanceRecord(
        path=path,
        blob=blob,
        kind=kind,
        ts=utc_stamp(),
        actor=actor or "steward",
        session=os.environ.get(ENV_SESSION, ""),
    )


def parse_line(line: str) -> ProvenanceRecord | None:
    """The record on one line, or None when the line is not a well-formed record."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != set(_FIELDS):
        return None
    blob = data["blob"]
    strings = all(isinstance(data[k], str) for k in _FIELDS if k != "blob")
    if not strings or not (blob is None or _is_oid(blob)) or data["kind"] not in KINDS:
        return None
    if (blob is None) != (data["kind"] == "delete") or not data["path"].startswith(HESTAI + "/"):
        return None
    return ProvenanceRecord(**data)


def parse_text(text: str) -> tuple[list[ProvenanceRecord], list[int]]:
    """(records, numbers of malformed lines) of one provenance file."""
    records, bad = _parsed(text)
    return list(records), list(bad)


@lru_cache(maxsize=4)
def _parsed(text: str) -> tuple[tuple[ProvenanceRecord, ...], tuple[int, ...]]:
    """`parse_text`'s answer, kept for a few texts: verify reads the same file twice (the
    format check of the work tree's file, the proof of HEAD's blob); records are frozen."""
    records: list[ProvenanceRecord] = []
    bad: list[int] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        rec = parse_line(line)
        if rec is None:
            bad.append(lineno)
        else:
            records.append(rec)
    return tuple(records), tuple(bad)


_OID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256, lower-case hex


def _is_oid(value: object) -> bool:
    return isinstance(value, str) and _OID.fullmatch(value) is not None


def append_records(target: Path, records: Iterable[ProvenanceRecord]) -> bytes:
    """Append `records` durably (`atomic.append_whole_lines`) and return the new content.

    The caller holds the Steward lock and uses the content for the file's blob id.
    """
    data = "".join(r.to_line() for r in records).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    content = append_whole_lines(target, data, read_back=True)
    assert content is not None
    return content


def refuse_direct_write(rel: str) -> None:
    """Provenance is appended by the Steward's record step alone: no write, append or delete
    replaces it (`rel` is relative to `.hestai/`)."""
    if is_provenance(f"{HESTAI}/{rel}"):
        raise PathRejectedError(
            f"{rel}: provenance is appended by the Steward itself, never written directly"
        )
