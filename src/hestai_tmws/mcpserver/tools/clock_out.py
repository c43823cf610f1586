"""Tool `clock_out`: close the session and write its archive (with this call's own trace)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.tracing import current_call
from hestai_tmws.mcpserver.typed import tool
from hestai_tmws.sessions.store import resolve_session
from hestai_tmws.workflows.clock_out import ClockOutResult
from hestai_tmws.workflows.clock_out import clock_out as clock_out_service

if TYPE_CHECKING:
    from mcp.server import MCPServer


def _summary(arguments: dict[str, Any]) -> str:
    parts = [f"session={arguments.get('session_id') or 'current'}"]
    for key in ("decisions", "blockers", "learnings"):
        if arguments.get(key):
            parts.append(f"{key}={len(arguments[key])}")
    if arguments.get("summary"):
        parts.append(f"summary=<{len(arguments['summary'])} chars>")
    if arguments.get("commit"):
        parts.append("commit")
    return " ".join(parts)


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "clock_out", summarize=_summary)
    def clock_out(
        summary: Annotated[
            str | None, Field(description="What the session achieved, in a few lines.")
        ] = None,
        decisions: Annotated[list[str], Field(description="Decisions taken in this session.")] = [],  # noqa: B006 (pydantic copies defaults)
        blockers: Annotated[list[str], Field(description="What blocks further progress.")] = [],  # noqa: B006
        learnings: Annotated[
            list[str], Field(description="What the next session should know.")
        ] = [],  # noqa: B006
        session_id: Annotated[
            str | None, Field(description="Session id; default: the session this server opened.")
        ] = None,
        transcript_path: Annotated[
            str | None,
            Field(
                description="Transcript to compress into the archive; default: the recorded one."
            ),
        ] = None,
        commit: Annotated[
            bool, Field(description="Commit the archive and staged memory files.")
        ] = False,
        allow_empty: Annotated[
            bool, Field(description="Accept a transcript that yields no tool calls.")
        ] = False,
    ) -> ClockOutResult:
        """Close the session: compress its transcript and traces into an OCTAVE archive in
        .hestai/sessions/archive/, add the history entry, and stage (or commit) the files."""
        session = resolve_session(ctx.project, ctx.session_for_call(session_id))
        call = current_call()
        if call is not None:
            call.record_now(session.id)  # before the archive is written, so it is in it
        result = clock_out_service(
            ctx.project,
            session_id=session.id,
            transcript=Path(transcript_path) if transcript_path else None,
            summary=summary,
            decisions=decisions,
            blockers=blockers,
            learnings=learnings,
            commit=commit,
            learn=False,  # mining runs in the background: it never delays this response
            allow_empty=allow_empty,
            transcript_policy="agent",  # an agent names the file: only agent transcripts
        )
        ctx.forget(session.id)
        # learning runs in its own process once the server is quiet (`BackgroundLearning`)
        ctx.learning.add(result.archive_path.removeprefix(".hestai/"))
        return result

    return ["clock_out"]
