"""Claude Code hook handlers: `python -m hestai_tmws.integrations.claude.hooks <event>`.

Each hook gets one JSON object on stdin. The handlers clock in at session start (and print a
primer that Claude adds to its context), trace every tool call Claude makes, refuse direct
edits of `.hestai/` and `.hestai-sys/`, and clock out at session end. They never block the
agent because tmws failed: problems go to stderr and the exit code stays 0. The only
deliberate refusal is the PreToolUse deny decision, printed as JSON.

Start-up time matters (a hook runs for every tool call), so this module imports nothing
heavy at the top, and the PreToolUse path imports no tmws service at all. The payload helpers
live in `payload`, the PostToolUse path (with its standard-library fast path) in
`post_tool_use`, its one-line summaries in `tool_summary`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hestai_tmws.errors import ConflictError
from hestai_tmws.integrations.claude.guard import pre_tool_use_decision
from hestai_tmws.integrations.claude.payload import (
    ENV_ROLE,
    HookOutcome,
    hook_project,
    normalise_event,
    parse_payload,
    payload_str,
)

if TYPE_CHECKING:
    from hestai_tmws.sessions.model import Suggestion

PRIMER_MAX_BYTES = 2000  # workflows.primer's (not imported here: hooks start light)

# -- the primer ---------------------------------------------------------------------------------


def render_primer(
    *,
    session_id: str,
    role: str,
    focus: str,
    governance_version: str | None,
    read_first: list[str],
    north_star: str = "",
    checklist: list[str] | None = None,
    skills: Sequence[Suggestion | Mapping[str, Any]] | None = None,
    resumed: bool = False,
    notes: list[str] | None = None,
) -> str:
    """The compact primer for Claude's context (kept under PRIMER_MAX_BYTES): the workflow's."""
    from hestai_tmws.workflows.primer import render_compact  # lazy: loads pydantic

    return render_compact(
        session_id=session_id,
        role=role,
        focus=focus,
        governance_version=governance_version,
        read_first=read_first,
        north_star=north_star,
        checklist=checklist,
        skills=skills,
        resumed=resumed,
        notes=notes,
    )


# -- handlers -----------------------------------------------------------------------------------


def handle_session_start(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock in (or pick up the session of a resumed/compacted Claude session); print the primer."""
    project = hook_project(payload, environ)
    claude_id = payload_str(payload, "session_id")
    again = _reprime(project, claude_id, payload_str(payload, "source") or "resume")
    if again is not None:  # this Claude session is clocked in: resumed, compacted or cleared
        return HookOutcome(stdout=again)
    from hestai_tmws.sessions.store import agent_pid  # lazy: the service stack, only at start
    from hestai_tmws.workflows.clock_in import clock_in  # lazy: the service stack, only at start

    role = environ.get(ENV_ROLE) or None  # None: clock_in uses the project's default_role
    kwargs: dict[str, Any] = {
        "role": role,
        "transcript_path": payload_str(payload, "transcript_path"),
        "claude_session_id": claude_id,
        "pid": agent_pid(os.getppid()),  # Claude Code, past the shell that runs the hook
    }
    stderr = ""
    try:
        result = clock_in(project, **kwargs)
    except ConflictError as exc:
        # another live session holds this focus (a second Claude window, or one that crashed):
        # open ours anyway so that this session's work is attributed to it
        result = clock_in(project, force=True, **kwargs)
        stderr = f"tmws: {exc.message} (clocked in alongside it)\n"
    primer = render_primer(
        session_id=result.session_id,
        role=result.role,
        focus=result.focus,
        governance_version=result.governance_version,
        read_first=list(result.context_files),
        north_star=result.north_star_summary,
        checklist=list(result.open_checklist_items),
        skills=list(result.suggested_skills),
        notes=[n for n in result.notes if "not available" not in n],
    )
    return HookOutcome(stdout=primer, stderr=stderr)


def handle_pre_tool_use(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    decision = pre_tool_use_decision(payload)
    if decision is None:
        return HookOutcome()
    return HookOutcome(stdout=json.dumps(decision) + "\n")


def handle_post_tool_use(
    payload: dict[str, Any],
    environ: Mapping[str, str],
    *,
    failed: bool = False,
    source: str = "claude-code",
    summary: str | None = None,
) -> HookOutcome:
    """Trace the agent's own tool call (`post_tool_use`, loaded only for this event); other
    agents' hooks pass their `source` and, for tools Claude lacks, a `summary`."""
    from hestai_tmws.integrations.claude import post_tool_use  # lazy: only this event needs it

    return post_tool_use.handle_post_tool_use(
        payload, environ, failed=failed, source=source, summary=summary
    )


def _reprime(project: Any, claude_id: str | None, source: str) -> str | None:
    from hestai_tmws.workflows.reprime import reprime_for_agent  # lazy: the service stack

    return reprime_for_agent(project, claude_id, source)


def handle_pre_compact(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Before compaction: the working state, so that the summary keeps it (the SessionStart
    hook with source "compact" gives it back afterwards)."""
    again = _reprime(
        hook_project(payload, environ), payload_str(payload, "session_id"), "compaction"
    )
    return HookOutcome(stdout=again or "")


def handle_session_end(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock out the session of this Claude session, compressing its transcript."""
    from hestai_tmws.sessions.store import session_for_agent  # lazy: the service stack
    from hestai_tmws.workflows.clock_out import clock_out  # lazy: the service stack, only at end

    project = hook_project(payload, environ)
    session = session_for_agent(project, payload_str(payload, "session_id"))
    if session is None:
        return HookOutcome(stderr="tmws: no open session for this Claude session to clock out\n")
    transcript = payload_str(payload, "transcript_path") or session.transcript_path
    result = clock_out(
        project,
        session_id=session.id,
        transcript=Path(transcript) if transcript and Path(transcript).is_file() else None,
        allow_empty=True,  # Claude's own transcript: a chat without tool calls is real
    )
    archive = getattr(result, "archive_path", None) or getattr(result, "archive", None)
    where = f" → {archive}" if archive else ""
    return HookOutcome(stderr=f"tmws: session {session.id8} clocked out{where}\n")


Handler = Callable[[dict[str, Any], Mapping[str, str]], HookOutcome]
HANDLERS: dict[str, Handler] = {
    "session-start": handle_session_start,
    "pre-tool-use": handle_pre_tool_use,
    "post-tool-use": handle_post_tool_use,
    "post-tool-use-failure": lambda p, e: handle_post_tool_use(p, e, failed=True),
    "pre-compact": handle_pre_compact,
    "session-end": handle_session_end,
}


def dispatch(event: str | None, payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Run one handler; every failure becomes a note on stderr and exit code 0."""
    name = normalise_event(event or "") or normalise_event(
        payload_str(payload, "hook_event_name") or ""
    )
    if name is None:
        return HookOutcome(stderr=f"tmws: unknown hook event {event!r}; ignored\n")
    try:
        return HANDLERS[name](payload, environ)
    except Exception as exc:  # never block the agent because tmws failed
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        hint = getattr(exc, "hint", None)
        text = f"tmws {name}: {message}\n" + (f"hint: {hint}\n" if hint else "")
        return HookOutcome(stderr=text)


def read_stdin() -> bytes:
    try:
        return sys.stdin.buffer.read() if sys.stdin is not None else b""
    except (OSError, ValueError, AttributeError):
        return b""


def run(event: str | None, raw: str | bytes, environ: Mapping[str, str]) -> HookOutcome:
    """One hook invocation from its raw stdin (garbage is an empty payload)."""
    return dispatch(event, parse_payload(raw), environ)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outcome = run(args[0] if args else None, read_stdin(), os.environ)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
        sys.stdout.flush()
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
