"""Tool `search_memory` and resource `hestai://search/{query}`: ask memory without reading files.

An agent asks "what did we decide about X" and gets ranked records with snippets and the id
to read one; the same core service serves `tmws search`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import unquote

from pydantic import Field

from hestai_tmws.mcpserver.catalog import Hints
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import resource, tool
from hestai_tmws.memory.search import MAX_LIMIT, SEARCHABLE, SearchResult, search_memory

if TYPE_CHECKING:
    from mcp.server import MCPServer

TOOL_NAME = "search_memory"
HINTS = Hints("Search project memory", True, False, True)
SEARCH_URI = "hestai://search/{query}"
TYPE_HELP = "Only one record type: " + ", ".join(SEARCHABLE) + "."


def _summary(arguments: dict[str, Any]) -> str:
    return f"{str(arguments.get('query') or '')[:80]} ({arguments.get('type') or 'all'})"


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, TOOL_NAME, hints=HINTS, summarize=_summary)
    def search_memory_tool(
        query: Annotated[
            str, Field(description='Words that must all appear; "a phrase" in double quotes.')
        ],
        type: Annotated[str | None, Field(description=TYPE_HELP)] = None,
        limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="How many hits at most.")] = 10,
    ) -> SearchResult:
        """Ranked full-text search over session archives, decisions, context, reports and skills.

        Each hit has kind, id, path, date and a snippet with the matched words in [brackets];
        read the file at `path` (or the hestai:// resource) for the whole record.
        """
        return search_memory(ctx.project, query, kind=type, limit=limit)

    @resource(
        server,
        SEARCH_URI,
        name="memory-search",
        description="Search project memory; the hits as JSON (the search_memory tool's result)",
        mime_type="application/json",
    )
    def memory_search(query: str) -> str:
        result = search_memory(ctx.project, unquote(query))
        return json.dumps(result.model_dump(mode="json"), indent=2)

    return [TOOL_NAME]
