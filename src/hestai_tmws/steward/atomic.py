"""Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder.

A crash at any instant leaves the old file or the new one, never a torn one. Temp files are
dot-named with a fixed prefix so that no reader mistakes a leftover for data (`tmws verify`
lists leftovers of crashed writers: `memory_files.temp_leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".tmws-tmp-"


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(
    target: Path,
    data: bytes,
    *,
    mode: int = 0o644,
    before_rename: Callable[[], None] | None = None,
    durable: bool = True,
) -> None:
    """Replace `target` with `data` atomically and durably.

    `before_rename` runs once the new content is durable in the temp file and before it
    becomes visible: the Steward records the ledger entry there, so whatever a crash leaves
    on disk is always known to the ledger. `durable=False` skips the fsyncs (still atomic
    against a crashed process, not against power loss): for gitignored, short-lived files.
    """
    folder = target.parent
    tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if before_rename is not None:
            before_rename()
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(folder)


def append_line(path: str | os.PathLike[str], line: str) -> None:
    """Append one line (a newline is added when missing) with a single O_APPEND write.

    The one way private logs grow (traces, trace errors): one write of one line is atomic
    enough for a log that only its own session appends to. Standard library only, so the
    hooks' fast path can use it.
    """
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
