"""The project lock: one writer at a time, across processes, threads and worktrees.

filelock gives the OS-level lock; a small holder file next to it names who holds it, so a
"busy" error can tell the user which process to look at. The holder file is overwritten in
place, padded to a fixed size, never truncated: truncating a file that has data makes ext4
flush it on close (0.3–4.4 ms on every transaction of a busy server).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hestai_tmws.errors import BusyError
from hestai_tmws.steward.gate import checkpoint

HOLDER_BYTES = 1024  # the holder file's size: JSON, padded with spaces (JSON ignores them)


def write_in_place(path: Path, data: bytes, size: int = HOLDER_BYTES) -> None:
    """Overwrite `path` with `data` padded to `size` bytes, without truncating (see above).

    Longer data is written whole and the file cut to it; that path is rare (a huge command).
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        if len(data) < size:
            os.write(fd, data + b" " * (size - len(data)))  # at offset 0: just opened
            if os.fstat(fd).st_size > size:  # left longer by an earlier long record
                os.ftruncate(fd, size)
        else:
            os.write(fd, data)
            os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


class StewardLock:
    """A re-entrant (per thread) inter-process lock with holder information."""

    def __init__(self, path: Path, *, timeout: float = 10.0) -> None:
        import filelock  # lazy: ~30 ms, paid only by processes that take the lock

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.holder_path = path.with_name(path.name + ".holder")
        self.timeout = timeout
        # A short poll keeps the lock busy while writers queue for it (the default 50 ms left
        # it idle between holders and halved throughput under contention).
        self._timeout_error = filelock.Timeout
        self._lock = filelock.FileLock(
            str(path), timeout=timeout, thread_local=True, poll_interval=0.003
        )
        self._local = threading.local()

    @property
    def depth(self) -> int:
        return int(getattr(self._local, "depth", 0))

    @contextmanager
    def hold(self, purpose: str = "write") -> Iterator[None]:
        if self.depth > 0:  # this thread holds it: filelock would only count (and realpath)
            self._local.depth = self.depth + 1
            try:
                checkpoint()
                yield
            finally:
                self._local.depth = self.depth - 1
            return
        try:
            self._lock.acquire(timeout=self.timeout, poll_interval=0.003)
        except self._timeout_error as exc:
            raise BusyError(
                f"the Steward lock is busy: held by {self.describe_holder()}",
                hint=f"wait for it to finish, or check {self.holder_path} if that process is gone",
            ) from exc
        outermost = self.depth == 0
        self._local.depth = self.depth + 1
        try:
            checkpoint()  # a cancelled call that has not written yet stops here, lock released
            if outermost:
                self._write_holder(purpose)
            yield
        finally:
            self._local.depth = self.depth - 1
            self._lock.release()

    def _write_holder(self, purpose: str) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "thread": threading.current_thread().name,
            "command": " ".join(os.path.basename(a) for a in sys.argv[:3]),
            "purpose": purpose,
            "since": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        with contextlib.suppress(OSError):  # holder info is a courtesy, never a failure
            write_in_place(self.holder_path, json.dumps(info).encode("utf-8"))

    def describe_holder(self) -> str:
        try:
            info = json.loads(self.holder_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "an unknown process"
        return (
            f"pid {info.get('pid')} on {info.get('host')} ({info.get('command') or '?'}, "
            f"{info.get('purpose')}) since {info.get('since')}"
        )
