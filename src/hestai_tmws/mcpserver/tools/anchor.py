"""Tool `anchor_submit`: the agent states who it is; checked against its agent definition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import tool
from hestai_tmws.sessions.anchor import AnchorResult, submit_anchor

if TYPE_CHECKING:
    from mcp.server import MCPServer


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "anchor_submit")
    def anchor_submit(
        role: Annotated[str, Field(description="Your role (the agent definition you act under).")],
        governance_version: Annotated[
            str, Field(description="The governance version clock_in reported.")
        ],
        must_always: Annotated[
            list[str], Field(description="Your MUST_ALWAYS commitments, in your own words.")
        ],
        must_never: Annotated[
            list[str], Field(description="Your MUST_NEVER commitments, in your own words.")
        ],
        focus: Annotated[str | None, Field(description="What you work on in this session.")] = None,
        session_id: Annotated[
            str | None, Field(description="Session id; default: the session this server opened.")
        ] = None,
    ) -> AnchorResult:
        """Anchor your identity: role, governance version and commitments, scored against the
        agent definition. Projects with anchor_required refuse document writes until it passes."""
        return submit_anchor(
            ctx.project,
            session_id=ctx.session_for_call(session_id),
            role=role,
            governance_version=governance_version,
            must_always=must_always,
            must_never=must_never,
            focus=focus,
        )

    return ["anchor_submit"]
