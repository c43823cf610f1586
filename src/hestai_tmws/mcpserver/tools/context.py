"""Tools `context_update` (compare-and-swap edits of a context document) and `get_context`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import tool
from hestai_tmws.memory.context import ContextChange, ContextUpdateResult, update_context
from hestai_tmws.memory.views import ContextView, show_context

if TYPE_CHECKING:
    from mcp.server import MCPServer


def _update_summary(arguments: dict[str, Any]) -> str:
    ops = []
    for change in arguments.get("changes") or []:
        op = getattr(change, "op", None) or (change.get("op") if isinstance(change, dict) else "?")
        section = getattr(change, "section", None) or (
            change.get("section") if isinstance(change, dict) else None
        )
        ops.append(f"{op}:{section}" if section else str(op))
    shown = ",".join(ops[:6]) + (f",+{len(ops) - 6}" if len(ops) > 6 else "")
    return f"{arguments.get('document')} [{shown}]" + (" cas" if arguments.get("base_hash") else "")


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "context_update", summarize=_update_summary)
    def context_update(
        document: Annotated[
            str,
            Field(
                description=(
                    "Context document name, e.g. project-context, "
                    "project-checklist, project-roadmap."
                )
            ),
        ],
        changes: Annotated[
            list[ContextChange],
            Field(
                description=(
                    "Edits applied in order: add, replace, append or remove a key of a section."
                )
            ),
        ],
        base_hash: Annotated[
            str | None,
            Field(
                description=(
                    "sha256 of the document as you read it (get_context); refused "
                    "if it changed since."
                )
            ),
        ] = None,
        session_id: Annotated[
            str | None, Field(description="Session id; default: the session this server opened.")
        ] = None,
    ) -> ContextUpdateResult:
        """Change a context document by keyed edits, atomically, through the Steward.

        Pass base_hash from get_context: if someone else changed the document meanwhile the
        call fails with the current hash, and you merge and retry. The file is staged in git.
        """
        return update_context(
            ctx.project,
            document=document,
            changes=changes,
            base_hash=base_hash,
            session_id=ctx.session_for_call(session_id),
        )

    @tool(server, ctx, "get_context")
    def get_context(
        documents: Annotated[
            list[str] | None,
            Field(description="Context documents to return (names); default: all of them."),
        ] = None,
    ) -> ContextView:
        """Read the project context: documents with their content and hash, the north star,
        and the open checklist items. Changes nothing."""
        return show_context(ctx.project, documents=documents)

    return ["context_update", "get_context"]
