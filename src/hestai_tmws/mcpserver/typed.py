"""The one way a tool or resource joins the server: typed, traced and annotated alike.

The SDK's `server.tool(...)` / `server.resource(...)` decorators, reached through these two
functions, keep the decorated function's type (so `mypy --strict` sees every tool), and a
tool cannot be registered without its trace wrapper and its behaviour hints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from hestai_tmws.mcpserver.catalog import Hints, annotations_for
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.tracing import Summarizer, traced

if TYPE_CHECKING:
    from mcp.server import MCPServer

F = TypeVar("F", bound=Callable[..., Any])


def tool(
    server: MCPServer,
    ctx: ServerContext,
    name: str,
    *,
    hints: Hints | None = None,
    summarize: Summarizer | None = None,
) -> Callable[[F], F]:
    """Register the decorated function as tool `name`, traced, with its hints from the catalog
    (or `hints`, for a plug-in's tool); returns the traced function."""
    register = server.tool(name=name, annotations=annotations_for(name, hints))
    trace: Callable[[F], F] = traced(ctx, name, summarize=summarize)

    def decorate(fn: F) -> F:
        return register(trace(fn))

    return decorate


def resource(
    server: MCPServer, uri: str, *, name: str, description: str, mime_type: str
) -> Callable[[F], F]:
    """Register the decorated function as the resource (or URI template) `uri`."""
    register: Callable[[F], F] = server.resource(
        uri, name=name, description=description, mime_type=mime_type
    )
    return register
