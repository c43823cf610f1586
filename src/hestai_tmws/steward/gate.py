"""The write gate: a cancelled request that has not started writing never starts.

A face that can be cancelled mid-call (an MCP request, by `notifications/cancelled`) opens a
gate around the call; every lock hold passes through it. Cancelling before the first hold
makes that hold refuse; cancelling after it lets the write finish (writes are atomic under
the lock) and the gate reports that it did, so the face can log it.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hestai_tmws.errors import CancelledError

_GATE: contextvars.ContextVar[WriteGate | None] = contextvars.ContextVar(
    "tmws_write_gate", default=None
)


class WriteGate:
    """One call's state: cancelled or not, writing or not (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self.started_writing = False

    def cancel(self) -> bool:
        """Cancel the call; True when it had already started writing (it will complete)."""
        with self._lock:
            self.cancelled = True
            return self.started_writing

    def enter_write(self) -> None:
        with self._lock:
            if self.cancelled and not self.started_writing:
                raise CancelledError("the request was cancelled before it wrote anything")
            self.started_writing = True


@contextmanager
def gated(gate: WriteGate) -> Iterator[WriteGate]:
    """Route every lock hold of this thread (or task) through `gate`."""
    token = _GATE.set(gate)
    try:
        yield gate
    finally:
        _GATE.reset(token)


def checkpoint() -> None:
    """Called before every write lock is taken; raises CancelledError for a cancelled call."""
    gate = _GATE.get()
    if gate is not None:
        gate.enter_write()


def cancelled_while_writing() -> bool:
    """True inside a gated call that was cancelled after it had started writing."""
    gate = _GATE.get()
    return gate is not None and gate.cancelled and gate.started_writing
