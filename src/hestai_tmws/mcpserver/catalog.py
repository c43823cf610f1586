"""The behaviour hints of every tool, in one table (clients show them; tests check them).

read_only: changes nothing. destructive: may replace or remove existing content (not only
add). idempotent: the same call twice has no further effect. No tool reaches the network.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from mcp.types import ToolAnnotations


class Hints(NamedTuple):
    title: str
    read_only: bool
    destructive: bool
    idempotent: bool


TOOL_HINTS: dict[str, Hints] = {
    "clock_in": Hints("Clock in (open a session)", False, False, False),
    "clock_out": Hints("Clock out (archive the session)", False, False, False),
    "anchor_submit": Hints("Submit the agent's identity anchor", False, False, True),
    "document_submit": Hints("Submit a document (decision, report, context…)", False, True, False),
    "context_update": Hints("Change a context document", False, True, False),
    "get_context": Hints("Read the project context", True, False, True),
}


def annotations_for(name: str, hints: Hints | None = None) -> Any:
    """The SDK's ToolAnnotations for a tool of the table (or for `hints` given by a plug-in)."""
    h = hints or TOOL_HINTS[name]
    return ToolAnnotations(
        title=h.title,
        read_only_hint=h.read_only,
        destructive_hint=h.destructive,
        idempotent_hint=h.idempotent,
        open_world_hint=False,
    )
