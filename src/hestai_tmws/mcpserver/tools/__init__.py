"""The MCP tools, one module per core service; each exposes `register(server, ctx) -> list[str]`.

A module is imported only when the server is built, so a service that is not installed yet
(or fails to import) removes its tools instead of the whole server.
"""

from __future__ import annotations

from hestai_tmws.mcpserver.catalog import annotations_for as annotations_for

# Registration order is the order clients list the tools in: the session workflow first.
TOOL_MODULES = ("clock_in", "anchor", "documents", "context", "clock_out", "learning", "search")
