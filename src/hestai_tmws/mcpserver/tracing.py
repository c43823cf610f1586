"""One wrapper for every MCP tool: time the call, translate errors, record a trace.

Applied uniformly (`traced`) so that no tool can forget to be recorded. Recording never
fails a call: `record_trace` swallows its own errors and counts them for the archive.
Two tools need their trace in a particular session, so the running call is reachable
through `current_call()`: clock_in names the session it opened, and clock_out records
its trace *before* the archive is written so that the archive contains it.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pydantic_core
from mcp.server.mcpserver.exceptions import ToolError

from hestai_tmws.errors import CancelledError, ConflictError, TmwsError
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.strict import mcp_wording
from hestai_tmws.sessions.trace_text import digest_args
from hestai_tmws.sessions.traces import TraceRecord, record_trace
from hestai_tmws.steward.gate import cancelled_while_writing

F = TypeVar("F", bound=Callable[..., Any])
Summarizer = Callable[[dict[str, Any]], str]

log = logging.getLogger("hestai_tmws.mcp")
TRACED_ATTR = "__tmws_traced__"
_SUMMARY_VALUE_CHARS = 60
_current: contextvars.ContextVar[CallTrace | None] = contextvars.ContextVar(
    "tmws_current_call", default=None
)


def tool_error_text(exc: TmwsError) -> str:
    """What the agent reads when a service refuses: the message, then what to do next."""
    lines = [exc.message]
    if isinstance(exc, ConflictError) and exc.current_hash:
        lines.append(f"current_hash: {exc.current_hash}")
    if exc.hint:
        lines.append(f"hint: {exc.hint}")
    return mcp_wording("\n".join(lines))


def default_summary(arguments: dict[str, Any]) -> str:
    """`key=value` for short scalars, `key=[n]` for lists, long text by its length only."""
    parts: list[str] = []
    for key in sorted(arguments):
        value = arguments[key]
        if value is None or value == [] or value == {} or value is False:
            continue
        if isinstance(value, str):
            if len(value) > _SUMMARY_VALUE_CHARS or "\n" in value:
                parts.append(f"{key}=<{len(value)} chars>")
            else:
                parts.append(f"{key}={value}")
        elif isinstance(value, bool | int | float):
            parts.append(f"{key}={value}")
        elif isinstance(value, list | tuple):
            parts.append(f"{key}=[{len(value)}]")
        else:
            parts.append(f"{key}=<{type(value).__name__}>")
    return " ".join(parts)


def _jsonable(arguments: dict[str, Any]) -> Any:
    try:
        return pydantic_core.to_jsonable_python(arguments, fallback=str)
    except Exception:
        return {key: str(value) for key, value in arguments.items()}


@dataclass
class CallTrace:
    """The tool call in progress (visible to the tool body through `current_call()`)."""

    ctx: ServerContext
    tool: str
    arguments: dict[str, Any]
    summarize: Summarizer
    started: float = field(default_factory=time.perf_counter)
    ts: float = field(default_factory=time.time)
    session_id: str | None = None  # where the trace goes; None: find it at the end
    recorded: bool = False

    def __post_init__(self) -> None:
        self.ctx.learning.note_call()  # a call at work: the background learning waits

    def record_now(self, session_id: str | None) -> bool:
        """Record this call as succeeded, now (clock_out: before its archive is written)."""
        self.session_id = session_id or self.session_id
        ok = self._record(ok=True, error_class=None)
        self.recorded = True
        return ok

    def _record(self, *, ok: bool, error_class: str | None) -> bool:
        duration_ms = (time.perf_counter() - self.started) * 1000.0
        try:
            explicit = self.arguments.get("session_id")
            wanted = self.session_id or (explicit if isinstance(explicit, str) else None)
            session_id = self.ctx.trace_session(wanted)
            if session_id is None:
                self.ctx.note_untraced()  # no open session: there is no log to append to
                return False
            plain = _jsonable(self.arguments)
            try:
                summary = self.summarize(self.arguments)
            except Exception:
                summary = ""
            record = TraceRecord(
                tool=self.tool,
                args_digest=digest_args(plain),
                summary=summary,
                ok=ok,
                error_class=error_class,
                duration_ms=round(duration_ms, 3),
                ts=self.ts,
                session_id=session_id,
                source="mcp",
            )
            written = record_trace(self.ctx.project, session_id, record)
        except Exception:
            written = False
        if not written:
            self.ctx.note_trace_failure()
        return written


def current_call() -> CallTrace | None:
    """The traced call running in this thread or task, if any."""
    return _current.get()


def _finish(call: CallTrace, exc: BaseException | None) -> None:
    call.ctx.learning.note_call()
    if exc is None:
        if not call.recorded:
            call._record(ok=True, error_class=None)
        return
    # an early "ok" record of clock_out is followed by the failure that came after it
    call._record(ok=False, error_class=type(exc).__name__)


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, TmwsError):
        return ToolError(tool_error_text(exc))
    return exc


def _cancel_note(summarize: Summarizer) -> Summarizer:
    def noted(arguments: dict[str, Any]) -> str:
        return (summarize(arguments) + " [cancelled while writing; completed]").strip()

    return noted


def traced(
    ctx: ServerContext,
    name: str,
    *,
    summarize: Summarizer | None = None,
    exclude: frozenset[str] = frozenset(),
) -> Callable[[F], F]:
    """Wrap a tool so that every call is timed, recorded and its TmwsError made a tool error.

    `exclude` names parameters that are not the caller's arguments (an SDK Context).
    """
    summarizer = summarize or default_summary

    def _args(kwargs: dict[str, Any]) -> dict[str, Any]:
        if not exclude:
            return kwargs
        return {k: v for k, v in kwargs.items() if k not in exclude}

    def decorate(fn: F) -> F:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(**kwargs: Any) -> Any:
                call = CallTrace(ctx, name, _args(kwargs), summarizer)
                token = _current.set(call)
                try:
                    result = await fn(**kwargs)
                except Exception as exc:
                    _finish(call, exc)
                    raise _translate(exc) from exc
                finally:
                    _current.reset(token)
                _finish(call, None)
                return result

            wrapper: Callable[..., Any] = async_wrapper
        else:

            @functools.wraps(fn)
            def sync_wrapper(**kwargs: Any) -> Any:
                call = CallTrace(ctx, name, _args(kwargs), summarizer)
                token = _current.set(call)
                try:
                    result = fn(**kwargs)
                except Exception as exc:
                    _finish(call, exc)
                    if isinstance(exc, CancelledError):
                        log.warning("%s was cancelled before it wrote anything", name)
                    raise _translate(exc) from exc
                finally:
                    _current.reset(token)
                if cancelled_while_writing():  # the write completed atomically: say so
                    log.warning("%s was cancelled while writing; it completed", name)
                    call.summarize = _cancel_note(call.summarize)
                _finish(call, None)
                return result

            wrapper = sync_wrapper
        if fn.__doc__:  # the description clients show: without the source's indentation
            wrapper.__doc__ = inspect.cleandoc(fn.__doc__)
        setattr(wrapper, TRACED_ATTR, name)
        ctx.traced_tools.add(name)
        return cast(F, wrapper)

    return decorate


def is_traced(fn: Callable[..., Any]) -> bool:
    return getattr(fn, TRACED_ATTR, None) is not None


def ensure_traced(server: Any, ctx: ServerContext) -> list[str]:
    """Wrap every registered tool that is not traced yet (a plug-in that forgot); returns them.

    The SDK has no public way to replace a tool's function, so this reaches into its tool
    manager; if that ever changes, nothing is wrapped and the tests say so.
    """
    manager = getattr(server, "_tool_manager", None)
    wrapped: list[str] = []
    if manager is None:
        return wrapped
    for tool in manager.list_tools():
        if is_traced(tool.fn):
            continue
        skip = frozenset({tool.context_kwarg}) if tool.context_kwarg else frozenset()
        tool.fn = traced(ctx, tool.name, exclude=skip)(tool.fn)
        wrapped.append(tool.name)
    return wrapped
