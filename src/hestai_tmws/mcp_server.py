"""The MCP face of hestai-tmws (see the `mcpserver` package; this name is the contract's).

`build_server(project)` → a `TmwsServer` (`.mcp` is the SDK's `MCPServer`), `serve()` runs it
over stdio, `mcp_reference_markdown()` renders docs/mcp.md from a live server.
"""

from __future__ import annotations

from hestai_tmws.mcpserver import build_server, mcp_reference_markdown, serve

__all__ = ["build_server", "mcp_reference_markdown", "serve"]
