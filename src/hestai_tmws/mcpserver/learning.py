"""The registration point for the learning tools (filled by the learning core).

If `hestai_tmws.mcpserver.tools.learning` exists, its `register(server, ctx)` adds the tools and
returns their names. It should wrap each tool with `tracing.traced(ctx, name)` and take its
hints from `catalog.annotations_for(name, Hints(...))`; any tool it forgets to wrap is
wrapped afterwards by `tracing.ensure_traced`, so every call is recorded either way.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from hestai_tmws.mcpserver.context import ServerContext

log = logging.getLogger("hestai_tmws.mcp.learning")
LEARNING_TOOLS_MODULE = "hestai_tmws.mcpserver.tools.learning"


def register_learning_tools(server: Any, ctx: ServerContext) -> list[str]:
    """Add the learning tools when the learning core provides them; returns their names."""
    try:
        mcp_tools = importlib.import_module(LEARNING_TOOLS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("hestai_tmws.learning"):
            return []  # the learning tools are not installed (yet)
        raise
    try:
        names = mcp_tools.register(server, ctx)
    except Exception as exc:  # a broken plug-in must not take the core tools down with it
        log.warning("learning tools not registered: %s: %s", type(exc).__name__, exc)
        return []
    return list(names or [])
