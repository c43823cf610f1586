"""Helpers of the MCP tests: call a tool, read a session's traces and its archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hestai_tmws.governance.rules import load_agent
from hestai_tmws.project import Project


async def call(client: Any, name: str, arguments: dict[str, Any] | None = None) -> Any:
    """Call a tool that must succeed; returns its result (sent once, as JSON text)."""
    result = await client.call_tool(name, arguments or {})
    assert not result.is_error, result.content[0].text
    if result.structured_content is not None:  # a plain SDK server (the tmws one sends none)
        return result.structured_content
    assert len(result.content) == 1
    return json.loads(result.content[0].text)


async def call_error(client: Any, name: str, arguments: dict[str, Any] | None = None) -> str:
    """Call a tool that must fail; returns the error text the agent reads."""
    result = await client.call_tool(name, arguments or {})
    assert result.is_error, result
    return "\n".join(block.text for block in result.content)


def trace_lines(project: Project, session_id: str) -> list[dict[str, Any]]:
    path = project.hestai / "sessions" / "active" / session_id / "traces.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def archive_traces(project: Project, archive_path: str) -> list[dict[str, Any]]:
    """The TRACE entries of an archive (parsed with the project's OCTAVE reader)."""
    from hestai_tmws.octave import parse

    doc = parse((project.root / archive_path).read_text(encoding="utf-8"))
    section = doc.section("TRACE")
    assert section is not None, "the archive has no TRACE section"
    out = []
    for key, value in section.body.items():
        if key.startswith("T") and isinstance(value, dict):
            out.append({k: getattr(v, "text", v) for k, v in value.items()})
    return out


def staged(project: Project) -> set[str]:
    return {c.path for c in project.git.staged_changes()}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def anchor_args(project: Project, role: str = "implementation-lead") -> dict[str, Any]:
    """The arguments of an anchor that passes: the role's own commitments, the live version."""
    agent = load_agent(project, role)
    version = (project.hestai_sys / ".version").read_text().strip()
    return {
        "role": role,
        "governance_version": version,
        "must_always": list(agent.must_always),
        "must_never": list(agent.must_never),
    }
