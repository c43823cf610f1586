"""Cancellation that means it: a cancelled tool call that has not started writing writes nothing.

The SDK runs a sync tool in a worker thread and, on `notifications/cancelled`, waits for the
thread to finish: the effect happens though the client was told nothing. Here every sync
tool runs through a write gate instead (`steward.gate`): cancelling stops the thread at its
first lock hold, or, when it already writes, lets that atomic write finish and log it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread

from hestai_tmws.steward.gate import WriteGate, gated

log = logging.getLogger("hestai_tmws.mcp")


def _run_gated(gate: WriteGate, fn: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    with gated(gate):
        return fn(**kwargs)


def cancellable(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (sync) as a coroutine function whose call the client can cancel before it writes."""

    @functools.wraps(fn)
    async def run(**kwargs: Any) -> Any:
        gate = WriteGate()
        try:
            return await anyio.to_thread.run_sync(
                functools.partial(_run_gated, gate, fn, kwargs), abandon_on_cancel=True
            )
        except anyio.get_cancelled_exc_class():
            if gate.cancel():
                log.warning("%s cancelled after it began writing; letting the write complete", name)
            else:
                log.info("%s cancelled before it wrote anything", name)
            raise

    return run


def make_cancellable(server: Any) -> list[str]:
    """Route every sync tool of `server` through a write gate; returns the tools changed.

    Like `ensure_traced`, this reaches into the SDK's tool manager (no public way exists).
    """
    manager = getattr(server, "_tool_manager", None)
    changed: list[str] = []
    if manager is None:
        return changed
    for tool in manager.list_tools():
        if tool.is_async:
            continue
        tool.fn = cancellable(tool.name, tool.fn)
        tool.is_async = True
        changed.append(tool.name)
    return changed
