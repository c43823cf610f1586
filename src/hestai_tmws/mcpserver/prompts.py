"""MCP prompts: one per agent definition of the governance hub (`agents/<role>.oct.md`).

A prompt puts the agent in its role with the commitments its anchor will be checked against,
and tells it the tmws workflow (clock in, anchor, work through the tools, clock out).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver.prompts import Prompt
from pydantic import Field

from hestai_tmws.governance.rules import load_agent, load_agents
from hestai_tmws.mcpserver.context import ServerContext

log = logging.getLogger("hestai_tmws.mcp.prompts")


def render_agent_prompt(agent: Any, governance_version: str | None, focus: str = "") -> str:
    """The text of a role prompt (agent: a governance `AgentDefinition`)."""
    lines = [
        f"You are the {agent.role} of this project, working under hestai-tmws governance"
        + (f" {governance_version}." if governance_version else "."),
        "",
        f"MISSION: {agent.mission}",
        f"AUTHORITY: {agent.authority}",
        "MUST ALWAYS:",
        *(f"- {item}" for item in agent.must_always),
        "MUST NEVER:",
        *(f"- {item}" for item in agent.must_never),
        "OUTPUTS: " + "; ".join(agent.outputs),
    ]
    if getattr(agent, "escalates_to", None):
        lines.append(f"ESCALATES TO: {agent.escalates_to}")
    if focus:
        lines += ["", f"FOCUS: {focus}"]
    focus_arg = f', focus="{focus}"' if focus else ""
    lines += [
        "",
        "WORKFLOW:",
        f'1. clock_in(role="{agent.role}"{focus_arg}) and read the context it points to '
        "(get_context, hestai://context/… resources).",
        "2. anchor_submit with your role, the governance version and the MUST ALWAYS / "
        "MUST NEVER lines above, in your own words.",
        "3. Record decisions and reports with document_submit; change context documents only "
        "with context_update (never edit .hestai/ or .hestai-sys/ by hand).",
        "4. clock_out with a summary, your decisions, blockers and learnings.",
    ]
    return "\n".join(lines)


def _governance_version(ctx: ServerContext) -> str | None:
    try:
        return (ctx.project.hestai_sys / ".version").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _make_renderer(ctx: ServerContext, role: str) -> Callable[..., str]:
    def render(
        focus: Annotated[str, Field(description="What this session works on (optional).")] = "",
    ) -> str:
        agent = load_agent(ctx.project, role)  # fresh: governance may be healed or updated
        return render_agent_prompt(agent, _governance_version(ctx), focus)

    render.__name__ = role.replace("-", "_")
    return render


def register_prompts(server: Any, ctx: ServerContext) -> list[str]:
    """Add one prompt per agent definition; returns the roles (none when the hub has no agents)."""
    try:
        agents = load_agents(ctx.project)
    except Exception as exc:  # a broken hub must not keep the server from starting
        log.warning("no agent prompts: %s", exc)
        return []
    for role, agent in agents.items():
        prompt = Prompt.from_function(
            _make_renderer(ctx, role),
            name=role,
            title=role.replace("-", " ").title(),
            description=f"Act as the {role}: {agent.mission}",
        )
        server.add_prompt(prompt)
    return list(agents)
