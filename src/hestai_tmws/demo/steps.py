"""The steps of `tmws demo` beyond init/status/verify: a whole life cycle, real services only.

hooks → an agent session over MCP stdio (real client, traced calls) → two more sessions
through the CLI services → mining → approval → promotion to a skill → the skill suggested at
the next clock-in → the guard blocking a hand edit while Steward writes commit cleanly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from hestai_tmws.demo.transcript import DEMO_WORKFLOW, write_transcript
from hestai_tmws.governance.rules import load_agent
from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote
from hestai_tmws.learning.review import approve
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from hestai_tmws.workflows.verify import verify_project

ROLE = "implementation-lead"
DEMO_SETTINGS = """\
# Written by `tmws demo`. Every demo session happens today, so the learning loop is told
# that one day of evidence is enough (the default asks for two distinct days).
learning:
  min_days: 1
  namespace: demo-project
"""
EXTRA_CALLS = (
    ("Glob", {"pattern": "src/**/*.py"}),
    ("TodoWrite", {"todos": [{"content": "fix retry", "status": "in_progress"}]}),
    ("WebSearch", {"query": "exponential backoff jitter"}),
)


def step_settings(project: Project) -> tuple[str, list[str]]:
    project.config_file.write_text(DEMO_SETTINGS, encoding="utf-8")
    return "learning settings for a one-day demo written", [project.config_file.name]


def step_hooks(project: Project) -> tuple[str, list[str]]:
    result = install_hook(project)
    return f"pre-commit guard {result.action} ({result.hook_path})", []


def _transcript(project: Project, n: int) -> str:
    # Each session fixes, tests and commits twice, with other work in between: three
    # sessions then hold six occurrences, enough evidence for V2's Wilson bound.
    before, between = EXTRA_CALLS[n % len(EXTRA_CALLS)], EXTRA_CALLS[(n + 1) % len(EXTRA_CALLS)]
    calls = [before, *DEMO_WORKFLOW, between, *DEMO_WORKFLOW]
    path = project.state_dir / "demo" / f"transcript-{n}.jsonl"
    write_transcript(
        path,
        cwd=project.root,
        prompt=f"Session {n}: the sync client gives up too early; fix the retry and test it.",
        calls=calls,
        closing="DECISION: cap the backoff at 30s\n"
        "LEARNING: run the client tests before committing",
    )
    return str(path)


async def _mcp_session(project: Project) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "hestai_tmws.mcpserver", str(project.root)],
        cwd=str(project.root),
    )

    async def call(client: Any, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        result = await client.call_tool(tool, args)
        if result.is_error:
            text = " ".join(getattr(c, "text", "") for c in result.content)
            raise RuntimeError(f"{tool} failed: {text}")
        if result.structured_content is not None:
            return dict(result.structured_content)
        return dict(json.loads(result.content[0].text))  # tmws sends its result once, as JSON

    agent = load_agent(project, ROLE)
    async with Client(params, read_timeout_seconds=60) as client:
        opened = await call(client, "clock_in", {"role": ROLE, "focus": "fix-retry"})
        anchor = await call(
            client,
            "anchor_submit",
            {
                "role": ROLE,
                "governance_version": opened["governance_version"],
                "must_always": list(agent.must_always),
                "must_never": list(agent.must_never),
                "focus": "fix-retry",
            },
        )
        decision = await call(
            client,
            "document_submit",
            {
                "doc_type": "decision",
                "title": "Cap retry backoff",
                "content": "Retries back off exponentially, capped at 30 seconds.",
            },
        )
        await call(
            client,
            "context_update",
            {
                "document": "project-checklist",
                "changes": [
                    {"op": "add", "section": "NOTES", "key": "RETRY", "value": "backoff capped"}
                ],
            },
        )
        await call(client, "get_context", {})
        closed = await call(
            client,
            "clock_out",
            {
                "summary": "Capped the retry backoff and tested it",
                "transcript_path": _transcript(project, 1),
            },
        )
    return {"opened": opened, "anchor": anchor, "decision": decision, "closed": closed}


def step_mcp_session(project: Project) -> tuple[str, list[str]]:
    out = anyio.run(_mcp_session, project)
    archive = out["closed"]["archive_path"]
    data = read_archive((project.root / archive).read_text(encoding="utf-8"))
    traced = [t.tool for t in data.traces]
    return (
        f"agent session {out['opened']['session_id'][:8]} over MCP stdio: anchor "
        f"{'passed' if out['anchor'].get('passed') else 'FAILED'}, {len(data.tool_calls)} tool "
        f"calls from its transcript, {len(traced)} MCP calls traced ({', '.join(traced)})",
        [out["decision"]["path"], archive],
    )


def step_more_sessions(project: Project) -> tuple[str, list[str]]:
    archives = []
    for n in (2, 3):
        opened = clock_in(project, role=ROLE, focus=f"fix-retry-{n}")
        closed = clock_out(
            project,
            session_id=opened.session_id,
            transcript=Path(_transcript(project, n)),
            summary=f"Retry fix, round {n}",
        )
        archives.append(closed.archive_path)
    return "two more sessions clocked in and out through the CLI services", archives


def step_mine(project: Project) -> tuple[str, list[str]]:
    report = run_mine(project)
    records = load_records(project).records.values()
    validated = [r for r in records if r.state.value == "VALIDATED"]
    if not validated:
        states = ", ".join(f"{r.id}={r.state.value}" for r in records) or "none"
        raise RuntimeError(f"no validated pattern was mined (patterns: {states})")
    best = validated[0]
    return (
        f"mined {report.sessions} archived sessions ({report.calls} tool calls): "
        f"pattern {best.id} VALIDATED: {' → '.join(best.tokens)}",
        [f".hestai/{best.rel}"],
    )


def step_promote(project: Project) -> tuple[str, list[str]]:
    validated = [r for r in load_records(project).records.values() if r.state.value == "VALIDATED"]
    approve(project, validated[0].id, actor="person:demo", reason="the demo approves it")
    result = promote(project, validated[0].id, actor="person:demo")
    skill = result.promoted[0]
    return f"approved by person:demo and promoted to skill '{skill.skill}'", [skill.path]


def step_suggest(project: Project) -> tuple[str, list[str]]:
    opened = clock_in(project, role=ROLE, focus="retry fix for the sync client")
    names = [s.skill for s in opened.suggested_skills]
    clock_out(
        project, session_id=opened.session_id, summary="looked at the suggestion", learn=False
    )
    if not names:
        raise RuntimeError(f"the promoted skill was not suggested ({'; '.join(opened.notes)})")
    return f"next clock-in suggested: {', '.join(names)}", []


def step_guard(project: Project) -> tuple[str, list[str]]:
    report = verify_project(project)
    if not report.ok:
        raise RuntimeError("verify failed before the commit")
    root = str(project.root)
    git = ["git", "-C", root]
    subprocess.run([*git, "add", "-A"], check=True, capture_output=True)
    done = subprocess.run(
        [*git, "commit", "-q", "-m", "demo: memory written by tmws"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"the guard refused Steward writes: {done.stderr.strip()}")
    target = project.hestai / "context" / "project-roadmap.oct.md"
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("===END===", "// a hand edit\n===END==="), encoding="utf-8")
    subprocess.run([*git, "add", str(target)], check=True, capture_output=True)
    blocked = subprocess.run(
        [*git, "commit", "-q", "-m", "hand edit"], capture_output=True, text=True
    )
    subprocess.run([*git, "reset", "-q", "HEAD", "--", str(target)], check=True)
    target.write_text(original, encoding="utf-8")
    if blocked.returncode == 0:
        raise RuntimeError("the guard let a hand edit through")
    return (
        f"verify ok ({report.checked_files} files); Steward writes committed; a hand edit of "
        f"{target.name} was blocked by the pre-commit guard",
        [],
    )


FULL_STEPS = [
    ("settings", step_settings),
    ("hooks", step_hooks),
    ("mcp-session", step_mcp_session),
    ("more-sessions", step_more_sessions),
    ("mine", step_mine),
    ("approve+promote", step_promote),
    ("suggest", step_suggest),
    ("guard", step_guard),
]
