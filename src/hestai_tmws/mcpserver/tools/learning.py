"""The learning loop's MCP tools: suggest_skills, get_sops, record_feedback, learning_status.

Registered by the MCP server like every tool module (`tools.TOOL_MODULES`); each tool is a
thin, traced call into one core service and returns its pydantic model as structured content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from hestai_tmws.learning import feedback, status, suggest
from hestai_tmws.learning.feedback import FeedbackResult
from hestai_tmws.learning.status import LearningStatus, SopList
from hestai_tmws.learning.suggest import SuggestionBatch
from hestai_tmws.mcpserver.catalog import Hints
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import tool

if TYPE_CHECKING:
    from mcp.server import MCPServer

TOOL_NAMES = ("suggest_skills", "get_sops", "record_feedback", "learning_status")
HINTS = {
    "suggest_skills": Hints("Suggest skills for a task", False, False, False),
    "get_sops": Hints("Get standard operating procedures", True, False, True),
    "record_feedback": Hints("Record whether a suggestion helped", False, False, False),
    "learning_status": Hints("Learning loop status", True, False, True),
}
# The tools below are named as the services they call (the SDK names schemas after them).


def register(server: MCPServer, ctx: ServerContext) -> list[str]:
    @tool(server, ctx, "suggest_skills", hints=HINTS["suggest_skills"])
    def suggest_skills(
        task: Annotated[
            str, Field(description="What you are about to do, in a sentence or a few words.")
        ],
        limit: Annotated[int, Field(ge=1, le=10, description="How many skills at most.")] = 3,
    ) -> SuggestionBatch:
        """Suggest promoted skills (recurring, validated workflows of this project) for a task.

        Each suggestion has an id: after trying it, call record_feedback(suggestion_id,
        helpful). Results are ranked by BM25 over the skill files, weighted by past feedback.
        """
        session_id = ctx.trace_session(None)
        return suggest.suggest_skills(ctx.project, task, limit, session_id=session_id, source="mcp")

    @tool(server, ctx, "get_sops", hints=HINTS["get_sops"])
    def get_sops(
        trigger: Annotated[
            str, Field(description="Words naming the work (tools or actions); empty: all.")
        ] = "",
        min_confidence: Annotated[
            float, Field(ge=0.0, le=1.0, description="Lowest pattern confidence to include.")
        ] = 0.0,
        limit: Annotated[int, Field(ge=1, le=50, description="How many SOPs at most.")] = 5,
    ) -> SopList:
        """Standard operating procedures drafted from validated, approved or promoted patterns."""
        return status.get_sops(ctx.project, trigger, min_confidence, limit)

    @tool(server, ctx, "record_feedback", hints=HINTS["record_feedback"])
    def record_feedback(
        suggestion_id: Annotated[
            str, Field(description="The id of a suggestion (sg-…) from clock_in/suggest_skills.")
        ],
        helpful: Annotated[bool, Field(description="Did the suggested skill help?")],
        notes: Annotated[
            str | None, Field(description="Optional: why, in a sentence (500 characters max).")
        ] = None,
    ) -> FeedbackResult:
        """Record whether a suggested skill helped; it weights future suggestions."""
        return feedback.record_feedback(
            ctx.project, suggestion_id, helpful, notes, session_id=ctx.trace_session(None)
        )

    @tool(server, ctx, "learning_status", hints=HINTS["learning_status"])
    def learning_status() -> LearningStatus:
        """Patterns by state, skills, suggestion and feedback counts, and the last mining run."""
        return status.learning_status(ctx.project)

    return list(TOOL_NAMES)
