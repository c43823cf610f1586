"""The error hierarchy shared by every core service.

Faces translate these into exit codes (CLI) or tool errors (MCP); each error carries a
one-line message and an optional hint so that users always see what to do next.
"""

from __future__ import annotations

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
    """A transcript path that is not an agent's transcript, or lies outside the allowed folders."""


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


class NotFoundError(TmwsError):
    """A session, document, pattern or file that does not exist."""
