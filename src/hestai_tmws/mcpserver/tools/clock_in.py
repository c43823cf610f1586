"""Tool `clock_in`: open a session; the server remembers it for the calls that follow."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.tracing import current_call
from hestai_tmws.mcpserver.typed import tool
from hestai_tmws.workflows.clock_in import ClockInResult
from hestai_tmws.workflows.clock_in import clock_in as clock_in_service
from hestai_tmws.workflows.resume import resume_session

if TYPE_CHECKING:
    from mcp.server import MCPServer


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "clock_in")
    def clock_in(
        role: Annotated[
            str | None,
            Field(
                description=(
                    "Agent role (an agents/*.oct.md of the hub); default: the "
                    "project's default_role."
                )
            ),
        ] = None,
        focus: Annotated[
            str | None,
            Field(description="What this session works on; default: from the git branch."),
        ] = None,
        working_dir: Annotated[
            str | None, Field(description="Folder the agent works in, if not the project root.")
        ] = None,
        force: Annotated[
            bool,
            Field(description="Open the session even when another live session has this focus."),
        ] = False,
        transcript_path: Annotated[
            str | None, Field(description="The agent's own transcript file, read at clock-out.")
        ] = None,
        claude_session_id: Annotated[
            str | None,
            Field(description="Claude Code's session id, when the agent is Claude Code."),
        ] = None,
        resume: Annotated[
            str | None,
            Field(
                description="Continue this open session instead (same claude_session_id, "
                "or its client is gone)."
            ),
        ] = None,
    ) -> ClockInResult:
        """Open a work session (or resume one) and return its primer: what to read first,
        open checklist items, recent learnings, suggested skills. Later calls of this
        connection act on it; no connection can act on another's session."""
        if resume:
            result = resume_session(
                ctx.project,
                resume,
                pid=os.getpid(),
                client_pids=(ctx.client_pid,),
                agent_session_id=claude_session_id,
            )
        else:
            result = clock_in_service(
                ctx.project,
                role=role,
                focus=focus,
                working_dir=working_dir,
                force=force,
                transcript_path=transcript_path,
                claude_session_id=claude_session_id,
            )
        ctx.remember(result.session_id)
        call = current_call()
        if call is not None:
            call.session_id = result.session_id  # this call's trace opens the new session's log
        return result

    return ["clock_in"]
