"""Remember the last full mine's result, keyed by exactly what it was computed from.

`mining.mine` is a pure function of the sessions (the archives' blob ids, in order), the
mining settings, the default namespace and the mining code itself. When all four are what
the last full mine saw, running it again can only produce the same patterns, so a warm
`tmws learn mine` over 50,000 unchanged sessions reuses them (the records are still
reconciled; the mining core alone is seconds at that size). One new archive, another
setting or an edited module of `learning.core` changes the key and the mine runs.

The result has its own file next to the sequence cache (`learning-mine.marshal`): it holds
every supporting session id of every pattern, which incremental and automatic runs never
need, so only a full mine reads it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable
from typing import Any

from hestai_tmws.learning import core
from hestai_tmws.learning.archive_scan import ArchiveRef
from hestai_tmws.learning.cache import replace_quickly
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.incremental import Baseline
from hestai_tmws.project import Project

MEMO_FORMAT = 1
MEMO_NAME = "learning-mine.marshal"


def _code_fingerprint() -> str:
    """Size and modification time of every module of the mining core."""
    folder = os.path.dirname(os.path.abspath(core.__file__))  # the package, not `mining`:
    # importing the miner costs ~30 ms that an incremental run does not need
    parts = [str(MEMO_FORMAT)]
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            st = os.stat(os.path.join(folder, name))
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def input_key(blobs: Iterable[str], config_key: str, namespace: str) -> str:
    """A digest of everything a full mine's result depends on."""
    digest = hashlib.sha256()
    digest.update(f"{_code_fingerprint()}\n{config_key}\n{namespace}\n".encode())
    for blob in blobs:
        digest.update(blob.encode("ascii", "replace"))
        digest.update(b"\n")
    return digest.hexdigest()


def recall(memo: dict[str, Any] | None, key: str) -> tuple[list[MinedPattern], int] | None:
    """(patterns, calls) of the remembered mine if it was computed from `key`."""
    if not memo or memo.get("key") != key:
        return None
    try:
        patterns = [MinedPattern.model_validate(raw) for raw in memo["patterns"]]
        return patterns, int(memo["calls"])
    except Exception:  # damaged or from another shape: mine again
        return None


def remember(key: str, patterns: list[MinedPattern], calls: int) -> dict[str, Any]:
    """What `recall` reads back (plain values only: the cache is a marshal file)."""
    return {
        "key": key,
        "patterns": [p.model_dump(mode="json") for p in patterns],
        "calls": calls,
    }


def reuses(
    baseline: Baseline | None, archives: list[ArchiveRef], patterns: list[MinedPattern]
) -> bool:
    """Whether the stored baseline is the one the remembered patterns came with: the same
    archives, no session folded in since, the same patterns."""
    return (
        baseline is not None
        and baseline.sessions_since_full == 0
        and baseline.blobs == {a.blob for a in archives}
        and {a.id for a in baseline.patterns} == {p.id for p in patterns}
    )


def load(project: Project) -> dict[str, Any] | None:
    """The remembered result, or None (missing or damaged: the mine just runs)."""
    try:
        data = marshal.loads((project.cache_dir / MEMO_NAME).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def save(project: Project, memo: dict[str, Any]) -> None:
    """Write it atomically (no fsync: a lost memo only means the next full mine runs)."""
    path = project.cache_dir / MEMO_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_quickly(path, marshal.dumps(memo))
    except OSError:
        pass
