"""The hestai-tmws MCP server (stdio, `mcp` SDK 2.x): tools, resources, prompts, traces.

Named `mcpserver` so that it never shadows the `mcp` SDK package. Importing this package is
cheap; the SDK is imported when a server is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hestai_tmws.mcpserver.server import TmwsServer

__all__ = ["build_server", "mcp_reference_markdown", "serve"]


def build_server(project: Any, **options: Any) -> TmwsServer:
    from hestai_tmws.mcpserver.server import build_server as _build  # lazy: keeps the package cheap

    return _build(project, **options)


def serve(project_dir: Any = None) -> None:
    from hestai_tmws.mcpserver.boot import serve as _serve  # lazy: keeps the package cheap

    _serve(project_dir)


def mcp_reference_markdown(server: Any = None) -> str:
    from hestai_tmws.mcpserver.reference import (  # lazy: keeps the package cheap
        mcp_reference_markdown as _render,
    )

    return _render(server)
