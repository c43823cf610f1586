"""Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync the folder.

A crash at any instant leaves the old file or the new one, never a torn one. Temp files are
dot-named with a fixed prefix so that no reader mistakes a leftover for data (`tmws verify`
lists leftovers of crashed writers: `memory_files.temp_leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from hestai_tmws.layout import TEMP_PREFIX as TEMP_PREFIX  # re-exported: its old home

_DEFERRED_DIRS: ContextVar[set[Path] | None] = ContextVar("tmws_deferred_dirs", default=None)


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
    Inside `deferred_dir_fsync` the folder's fsync waits for the end of that block.
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
    deferred = _DEFERRED_DIRS.get()
    if durable and deferred is not None:
        deferred.add(folder)
    elif durable:
        fsync_dir(folder)


@contextlib.contextmanager
def deferred_dir_fsync() -> Iterator[None]:
    """Within the block, each folder a durable write renames into is fsynced once, at the end.

    For resumable bulk writes (`tmws import` writes archives in batches): every file is still
    fsynced before its rename, so a crash never tears one; a power loss before the end may
    undo the block's renames, which the next run redoes. Nested blocks join the outer one.
    """
    if _DEFERRED_DIRS.get() is not None:
        yield
        return
    folders: set[Path] = set()
    token = _DEFERRED_DIRS.set(folders)
    try:
        yield
    finally:
        _DEFERRED_DIRS.reset(token)
        for folder in sorted(folders):
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


def append_whole_lines(
    path: Path, data: bytes, *, mode: int = 0o644, read_back: bool = False
) -> bytes | None:
    """Append complete lines durably; with `read_back`, return the file's whole new content.

    A torn last line (a crash or a full disk mid-write) is cut off first, so one failure
    never poisons later appends. Every byte is written (a short `os.write` is continued) and
    fsynced; when writing fails the file is cut back to its previous length, so nothing is
    left half written. Callers hold the lock that serialises writers of `path`.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    try:
        size = os.fstat(fd).st_size
        keep = _whole_lines_length(fd)
        if not data and keep == size and not read_back:
            return None  # nothing cut, nothing written: nothing to make durable
        try:
            os.lseek(fd, keep, os.SEEK_SET)
            _write_all(fd, data)
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, keep)
            raise
        if not read_back:
            return None
        os.lseek(fd, 0, os.SEEK_SET)
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _whole_lines_length(fd: int) -> int:
    """Length of the file up to its last newline; truncates a torn tail to that length."""
    size = os.fstat(fd).st_size
    end = size
    while end > 0:
        start = max(0, end - 4096)
        chunk = os.pread(fd, end - start, start)
        if end == size and chunk.endswith(b"\n"):
            return size
        nl = chunk.rfind(b"\n")
        if nl >= 0:
            end = start + nl + 1
            break
        end = start
    if end != size:
        os.ftruncate(fd, end)
    return end


def _write_all(fd: int, data: bytes) -> None:
    """`os.write` may write less than asked (a nearly full disk): continue until all is out."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def last_line(path: Path) -> bytes | None:
    """The last non-empty line of `path` however long it is (read backwards in blocks)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        end = os.fstat(fd).st_size
        tail = b""
        while end > 0:
            start = max(0, end - 4096)
            tail = os.pread(fd, end - start, start) + tail
            end = start
            stripped = tail.rstrip(b"\n")
            if b"\n" in stripped or (end == 0 and stripped):
                return stripped.rsplit(b"\n", 1)[-1]
        return None
    finally:
        os.close(fd)


def bump_marker(path: Path) -> None:
    """Replace `path` with a new file (new inode and mtime) whose stat tells other processes
    that something changed; best effort, no fsync (a lost marker only costs a full check)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(str(time.time_ns()).encode("ascii"))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
