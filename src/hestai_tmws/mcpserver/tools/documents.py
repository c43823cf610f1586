"""Tool `document_submit`: hand a typed document to the Steward, which names and places it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import tool
from hestai_tmws.memory.documents import SUBMITTABLE, DocumentResult, submit_document

# annotations are evaluated in module scope: the help text must live here
DOC_TYPE_HELP = "Document type: one of " + ", ".join(SUBMITTABLE) + "."

if TYPE_CHECKING:
    from mcp.server import MCPServer


def _summary(arguments: dict[str, Any]) -> str:
    title = arguments.get("title") or ""
    content = arguments.get("content") or ""
    return f"{arguments.get('doc_type')}: {title[:80]} ({len(content)} chars)"


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "document_submit", summarize=_summary)
    def document_submit(
        doc_type: Annotated[str, Field(description=DOC_TYPE_HELP)],
        content: Annotated[
            str,
            Field(
                description=(
                    "OCTAVE (starting with ===NAME===) or plain text / Markdown, which is wrapped."
                )
            ),
        ],
        title: Annotated[
            str | None, Field(description="Title; names decision and report files.")
        ] = None,
        session_id: Annotated[
            str | None, Field(description="Session id; default: the session this server opened.")
        ] = None,
        base_hash: Annotated[
            str | None,
            Field(
                description=(
                    "sha256 of the document you read (fixed documents): the write "
                    "fails if it changed."
                )
            ),
        ] = None,
        approved_decision: Annotated[
            str | None,
            Field(description="North star only: number of the decision approving the change."),
        ] = None,
    ) -> DocumentResult:
        """Submit a decision, report or context document; the Steward picks folder and file name.

        Decisions are numbered, reports dated; fixed documents (context, checklist, roadmap,
        negative, north-star) are replaced, with base_hash as a compare-and-swap. Secrets are
        redacted before anything is written. The file is staged in git.
        """
        return submit_document(
            ctx.project,
            doc_type=doc_type,
            title=title,
            content=content,
            session_id=ctx.session_for_call(session_id),
            base_hash=base_hash,
            approved_decision=approved_decision,
        )

    return ["document_submit"]
