"""The error hierarchy shared by every core service.

Faces translate these into exit codes (CLI) or tool errors (MCP); each error carries a
one-line message and an optional hint so that users always see what to do next.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented, stable process exit codes of the CLI."""

    OK = 0
    ERROR = 1
    USAGE = 2
    POLICY = 3
    BUSY = 4


class TmwsError(Exception):
    """Base of every expected failure: a clear message, a hint, an exit code."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class NotARepositoryError(TmwsError):
    """Raised outside a git work tree."""


class UsageError(TmwsError):
    """Bad arguments or input that the caller can correct."""

    exit_code = ExitCode.USAGE


class PathRejectedError(UsageError):
    """A path outside `.hestai/`, escaping through a link, or breaking the naming standard."""


class TranscriptRejectedError(UsageError):
    """A transcript path that is not an agent's transcript, or lies outside the allowed folders.

    Exit 1, like a transcript that gives no tool call: the path was well formed, its file is not."""

    exit_code = ExitCode.ERROR


class ValidationError(TmwsError):
    """Content that does not meet the format or the governance rules."""


class PolicyError(TmwsError):
    """Refused by policy: the guard, an anchor requirement, an illegal state transition."""

    exit_code = ExitCode.POLICY


class BusyError(TmwsError):
    """The Steward lock is held by someone else for longer than the timeout."""

    exit_code = ExitCode.BUSY


class ConflictError(TmwsError):
    """A compare-and-swap lost: the document changed since the caller read it."""

    def __init__(
        self, message: str, *, current: str = "", current_hash: str = "", hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.current = current
        self.current_hash = current_hash


class CancelledError(TmwsError):
    """The caller cancelled the request before it wrote anything; nothing was changed."""


class NotFoundError(TmwsError):
    """A session, document, pattern or file that does not exist."""


class EnvironmentFault(TmwsError):
    """The machine refused a file operation (disk full, read-only, no permission, a file where
    a folder belongs): not a bug of tmws, and the write it interrupted left nothing half done."""


_ENV_ERRNOS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space, then run the command again"),
    errno.EDQUOT: ("the disk quota is exhausted", "free some space, then run the command again"),
    errno.EROFS: ("the file system is read-only", "run tmws where the project is writable"),
    errno.EACCES: ("permission denied", "check the owner and permissions of that path"),
    errno.EPERM: ("operation not permitted", "check the owner and permissions of that path"),
    errno.ENOTDIR: (
        "a file stands where a folder belongs",
        "move that file aside (tmws never deletes it), then run the command again",
    ),
}


def environment_fault(exc: OSError, path: object = None) -> EnvironmentFault | None:
    """The clear error for an OSError the environment caused, naming the path; else None."""
    known = _ENV_ERRNOS.get(exc.errno or 0)
    if known is None:
        return None
    where = exc.filename if exc.filename is not None else path
    problem, hint = known
    shown = f"{where}: " if where is not None else ""
    return EnvironmentFault(f"cannot write {shown}{problem}", hint=hint)


@contextmanager
def environment_errors(path: object = None) -> Iterator[None]:
    """Turn environment OSErrors raised inside into EnvironmentFault (naming the path)."""
    try:
        yield
    except OSError as exc:
        fault = environment_fault(exc, path)
        if fault is None:
            raise
        raise fault from exc
