"""The learning loop's MCP tools: suggest_skills, get_sops, record_feedback, learning_status.

Registered by the MCP server (`mcpserver.learning.register_learning_tools`); each tool is a
thin, traced call into one core service and returns its pydantic model as structured content.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from hestai_tmws.learning.feedback import FeedbackResult
from hestai_tmws.learning.status import LearningStatus, SopList
from hestai_tmws.learning.suggest import SuggestionBatch

TOOL_NAMES = ("suggest_skills", "get_sops", "record_feedback", "learning_status")


def register(server: Any, ctx: Any) -> list[str]:
    from hestai_tmws.mcpserver.catalog import Hints, annotations_for
    from hestai_tmws.mcpserver.tracing import traced

    hints = {
        "suggest_skills": Hints("Suggest skills for a task", False, False, False),
        "get_sops": Hints("Get standard operating procedures", True, False, True),
        "record_feedback": Hints("Record whether a suggestion helped", False, False, False),
        "learning_status": Hints("Learning loop status", True, False, True),
    }

    @server.tool(name="suggest_skills", annotations=annotations_for("", hints["suggest_skills"]))
    @traced(ctx, "suggest_skills")
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
        from hestai_tmws.learning.suggest import suggest_skills as service

        session_id = ctx.trace_session(None)
        return service(ctx.project, task, limit, session_id=session_id, source="mcp")

    @server.tool(name="get_sops", annotations=annotations_for("", hints["get_sops"]))
    @traced(ctx, "get_sops")
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
        from hestai_tmws.learning.status import get_sops as service

        return service(ctx.project, trigger, min_confidence, limit)

    @server.tool(name="record_feedback", annotations=annotations_for("", hints["record_feedback"]))
    @traced(ctx, "record_feedback")
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
        from hestai_tmws.learning.feedback import record_feedback as service

        return service(
            ctx.project, suggestion_id, helpful, notes, session_id=ctx.trace_session(None)
        )

    @server.tool(name="learning_status", annotations=annotations_for("", hints["learning_status"]))
    @traced(ctx, "learning_status")
    def learning_status() -> LearningStatus:
        """Patterns by state, skills, suggestion and feedback counts, and the last mining run."""
        from hestai_tmws.learning.status import learning_status as service

        return service(ctx.project)

    return list(TOOL_NAMES)
