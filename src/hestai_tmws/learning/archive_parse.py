"""The pure half of packing an archive into a cache entry, so it can run in worker processes.

A cold mine of 50,000 archives spends nearly all its time reading, hashing and parsing the
files one by one; that work depends on each file alone, so `archive_scan` hands it to
`forkpool` workers. Token ids do not: they are numbered in the order tokens are first met
over the whole corpus, and that table lives in the parent. So a worker numbers one
archive's tokens locally, first met first (`parse_local`), and the parent maps them to the
global ids in archive order (`SequenceCache.assign`): the ids the serial loop gives. File
bytes never travel between processes: a worker reads the file itself from its name.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

from hestai_tmws.gitio import blob_id
from hestai_tmws.learning.core.model import token_of
from hestai_tmws.learning.core.steps import Call, collapse
from hestai_tmws.learning.core.tokens import action_of
from hestai_tmws.learning.sequences import ArchiveSequence, read_sequence

OK_CODES = {False: 0, True: 1, None: 2}
MAX_DUR = (1 << 32) - 2

Pair = tuple[str, str | None]  # (tool, action): one token of the cache's table
NamedStep = tuple[Pair, bool | None, int | None]
# session id, day ordinal, namespace, the archive's tokens in first-met order, and per step
# the index of its token there and the rest of its key (ok code above the duration code)
Local: TypeAlias = "tuple[str, int, str | None, tuple[Pair, ...], array[int], array[int]]"
# what a worker gives for one file: (blob id, None | bad-archive message | Local), or
# ("", "cannot read: ...") for a file it could not read
Opened: TypeAlias = "tuple[str, str | Local | None]"

_R = TypeVar("_R")
_PAIRS: dict[Pair, Pair] = {}  # one tuple per token: a chunk's results pickle each once


def named_steps(text: str) -> tuple[ArchiveSequence, list[NamedStep]]:
    """The archive's steps after `collapse`, each with the (tool, action) it is counted as
    (raises ValidationError when it is not a readable archive)."""
    seq = read_sequence(text)
    pairs: dict[str, Pair] = {}
    calls: list[Call] = []
    for call in seq.calls:
        tool = call.tool.strip() or "unknown"
        action = action_of(tool, call.digest)
        token = token_of(tool, action)
        pairs[token] = (tool, action)
        calls.append((token, call.ok, call.duration_ms))
    return seq, [(pairs.get(t, (t, None)), ok, dur) for t, ok, dur in collapse(calls)]


def parse_local(text: str) -> Local:
    """`SequenceCache.pack` without the token table: ids local to this archive."""
    seq, steps = named_steps(text)
    local: dict[Pair, int] = {}
    lids, rest = array("q"), array("q")
    for pair, ok, dur in steps:
        lids.append(local.setdefault(pair, len(local)))
        dur_code = 0 if dur is None else min(max(dur, 0), MAX_DUR) + 1
        rest.append((OK_CODES[ok] << 32) | dur_code)
    tokens = tuple(_PAIRS.setdefault(pair, pair) for pair in local)
    return (seq.session_id, seq.day.toordinal(), seq.namespace, tokens, lids, rest)


@dataclass
class Shared:
    """What the workers inherit at the fork instead of receiving it with every chunk."""

    folder: str = ""
    known: Container[str] = ()  # blob ids with an entry already (not parsed again)
    bad: Container[str] = ()  # blob ids known to be unreadable archives


SHARED = Shared()  # set by the parent around a pooled scan (`archive_scan`)


def open_one(item: tuple[str, str]) -> Opened:
    """Read one archive file (name, blob id or ""), hash it if its id is unknown, and parse
    it unless its blob is known: what the serial loop does to one file, minus token ids."""
    name, blob = item
    try:
        with open(os.path.join(SHARED.folder, name), "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return "", f"cannot read: {exc.strerror}"
    if not blob:
        blob = blob_id(data)
    if blob in SHARED.known or blob in SHARED.bad:
        return blob, None
    return blob, parse_bytes(data)


def parse_bytes(data: bytes) -> str | Local:
    """One archive's local entry, or the message the cache keeps for a bad one."""
    return parsed_or_message(parse_local, data)


def parsed_or_message(parse: Callable[[str], _R], data: bytes) -> _R | str:
    """`parse` of the file's text, or why it is not a readable archive (the message the
    cache keeps in `bad`, the same for the serial loop and the workers)."""
    try:
        return parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except Exception as exc:
        return str(getattr(exc, "message", exc))[:200]
