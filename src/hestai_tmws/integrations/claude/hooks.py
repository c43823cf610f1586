"""Claude Code hook handlers: `python -m hestai_tmws.integrations.claude.hooks <event>`.

Each hook gets one JSON object on stdin. The handlers clock in at session start (and print a
primer that Claude adds to its context), trace every tool call Claude makes, refuse direct
edits of `.hestai/` and `.hestai-sys/`, and clock out at session end. They never block the
agent because tmws failed: problems go to stderr and the exit code stays 0. The only
deliberate refusal is the PreToolUse deny decision, printed as JSON.

Start-up time matters (a hook runs for every tool call), so this module imports nothing
heavy at the top, and the PreToolUse path imports no tmws service at all.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hestai_tmws.project import Project
    from hestai_tmws.sessions.model import ActiveSession

PRIMER_MAX_BYTES = 2000
ENV_ROLE = "TMWS_ROLE"
ENV_PROJECT = "TMWS_PROJECT"
ENV_CLAUDE_PROJECT = "CLAUDE_PROJECT_DIR"
MCP_TOOL_PREFIX = "mcp__tmws__"
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "fish", "ksh"})

EVENT_ALIASES = {
    "session-start": "session-start",
    "sessionstart": "session-start",
    "pre-tool-use": "pre-tool-use",
    "pretooluse": "pre-tool-use",
    "post-tool-use": "post-tool-use",
    "posttooluse": "post-tool-use",
    "post-tool-use-failure": "post-tool-use-failure",
    "posttoolusefailure": "post-tool-use-failure",
    "session-end": "session-end",
    "sessionend": "session-end",
}


@dataclass
class HookOutcome:
    """What the hook process prints and how it exits."""

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def normalise_event(name: str) -> str | None:
    key = name.strip().lower().replace("_", "-")
    return EVENT_ALIASES.get(key) or EVENT_ALIASES.get(key.replace("-", ""))


def parse_payload(raw: str | bytes) -> dict[str, Any]:
    """The hook's JSON object; anything else (garbage, a list, nothing) is an empty payload."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _str(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


# -- finding the project and the session --------------------------------------------------------


def project_dir(payload: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """$TMWS_PROJECT, else $CLAUDE_PROJECT_DIR, else the hook's `cwd`, else the current folder."""
    return (
        environ.get(ENV_PROJECT)
        or environ.get(ENV_CLAUDE_PROJECT)
        or _str(payload, "cwd")
        or os.getcwd()
    )


def _project(payload: Mapping[str, Any], environ: Mapping[str, str]) -> Project:
    from hestai_tmws.project import Project

    return Project.discover(project_dir(payload, environ))


def find_session(project: Project, claude_session_id: str | None) -> ActiveSession | None:
    """The session clocked in for this Claude session, else the only open one (if not another's)."""
    from hestai_tmws.sessions.store import list_active

    active = list_active(project)
    if claude_session_id:
        mine = [s for s in active if s.claude_session_id == claude_session_id]
        if mine:
            return mine[-1]
    if len(active) == 1:
        only = active[0]
        if not only.claude_session_id or not claude_session_id:
            return only
    return None


def _claude_pid() -> int:
    """The Claude Code process (the hook's parent, skipping a shell in between), best effort."""
    pid = os.getppid()
    for _ in range(3):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            return pid
        comm = stat[stat.find("(") + 1 : stat.rfind(")")]
        if comm not in _SHELLS:
            return pid
        fields = stat[stat.rfind(")") + 2 :].split()
        try:
            parent = int(fields[1])
        except (IndexError, ValueError):
            return pid
        if parent <= 1:
            return pid
        pid = parent
    return pid


# -- the primer ---------------------------------------------------------------------------------


def _skill_line(item: Mapping[str, Any]) -> str:
    name = item.get("name") or item.get("skill") or item.get("title") or item.get("id") or "?"
    why = item.get("reason") or item.get("description") or ""
    return f"{name}" + (f" — {why}" if why else "")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_primer(
    *,
    session_id: str,
    role: str,
    focus: str,
    governance_version: str | None,
    read_first: list[str],
    north_star: str = "",
    checklist: list[str] | None = None,
    skills: list[Mapping[str, Any]] | None = None,
    resumed: bool = False,
    notes: list[str] | None = None,
) -> str:
    """A compact primer for Claude's context (kept under PRIMER_MAX_BYTES)."""
    verb = "continues" if resumed else "clocked in"
    lines = [
        f"hestai-tmws: session {session_id[:8]} {verb} as {role} on focus {focus!r}"
        + (f" (governance {governance_version})." if governance_version else "."),
    ]
    if read_first:
        lines.append("Read first: " + ", ".join(read_first) + ".")
    if north_star:
        lines.append("North star: " + _clip(north_star, 300))
    if checklist:
        shown = [_clip(item, 100) for item in checklist[:5]]
        more = f" (+{len(checklist) - 5} more)" if len(checklist) > 5 else ""
        lines.append("Open checklist: " + "; ".join(shown) + more)
    if skills:
        shown_skills = [_clip(_skill_line(s), 120) for s in skills[:3]]
        lines.append("Suggested skills: " + "; ".join(shown_skills))
    elif not resumed:
        lines.append("Suggested skills: none yet for this focus.")
    for note in (notes or [])[:2]:
        lines.append("Note: " + _clip(note, 160))
    if not resumed:
        lines.append(
            f"Anchor first: {MCP_TOOL_PREFIX}anchor_submit with your role, the governance version "
            "and your agent definition's MUST_ALWAYS / MUST_NEVER lines in your own words."
        )
    lines.append(
        ".hestai/ (project memory) and .hestai-sys/ (governance) are written only through tmws: "
        f"use {MCP_TOOL_PREFIX}document_submit and {MCP_TOOL_PREFIX}context_update "
        f"(read with {MCP_TOOL_PREFIX}get_context). "
        "The session is clocked out when Claude Code ends."
    )
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    if len(data) > PRIMER_MAX_BYTES:
        text = data[: PRIMER_MAX_BYTES - 4].decode("utf-8", "ignore").rstrip() + "…\n"
    return text


def _read_first_for(project: Project, session: ActiveSession) -> list[str]:
    from hestai_tmws.layout import CONTEXT_DOCS, HESTAI, HESTAI_SYS, NORTH_STAR

    candidates = [
        f"{HESTAI_SYS}/agents/{session.role}.oct.md",
        f"{HESTAI}/{NORTH_STAR}",
        *(f"{HESTAI}/{project.context_doc(name)}" for name in CONTEXT_DOCS[:1]),
    ]
    return [rel for rel in candidates if (project.root / rel).is_file()]


# -- handlers -----------------------------------------------------------------------------------


def handle_session_start(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock in (or pick up the session of a resumed/compacted Claude session); print the primer."""
    from hestai_tmws.errors import ConflictError
    from hestai_tmws.workflows.clock_in import clock_in

    project = _project(payload, environ)
    claude_id = _str(payload, "session_id")
    existing = find_session(project, claude_id) if claude_id else None
    if existing is not None and existing.claude_session_id == claude_id:
        primer = render_primer(
            session_id=existing.id,
            role=existing.role,
            focus=existing.focus,
            governance_version=existing.governance_version,
            read_first=_read_first_for(project, existing),
            resumed=True,
        )
        return HookOutcome(stdout=primer)
    role = environ.get(ENV_ROLE) or None  # None: clock_in uses the project's default_role
    kwargs: dict[str, Any] = {
        "role": role,
        "transcript_path": _str(payload, "transcript_path"),
        "claude_session_id": claude_id,
        "pid": _claude_pid(),
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
    from hestai_tmws.integrations.claude.guard import pre_tool_use_decision

    decision = pre_tool_use_decision(payload)
    if decision is None:
        return HookOutcome()
    return HookOutcome(stdout=json.dumps(decision) + "\n")


def claude_tool_summary(tool: str, tool_input: Any, cwd: str | None) -> str:
    """A one-line description of a Claude Code tool call (redacted later by record_trace)."""
    if not isinstance(tool_input, dict):
        return ""

    def path(key: str) -> str:
        value = tool_input.get(key)
        if not isinstance(value, str):
            return ""
        if cwd and os.path.isabs(value):
            try:
                rel = os.path.relpath(value, cwd)
                if not rel.startswith(".."):
                    return rel
            except ValueError:
                pass
        return value

    if tool == "Bash":
        command = tool_input.get("command")
        return _clip(command, 160) if isinstance(command, str) else ""
    if tool in ("Read", "Write", "Edit", "MultiEdit"):
        return path("file_path")
    if tool == "NotebookEdit":
        return path("notebook_path")
    if tool in ("Grep", "Glob"):
        pattern = tool_input.get("pattern")
        where = path("path")
        return _clip(f"{pattern}" + (f" in {where}" if where else ""), 160)
    if tool == "Task":
        task = tool_input.get("subagent_type") or tool_input.get("description") or ""
        return _clip(str(task), 160)
    if tool == "WebFetch":
        return _clip(str(tool_input.get("url") or ""), 160)
    if tool == "WebSearch":
        return _clip(str(tool_input.get("query") or ""), 160)
    keys = ",".join(sorted(str(k) for k in tool_input)[:8])
    return f"args: {keys}" if keys else ""


def tool_response_error(response: Any) -> str | None:
    """The error class of a failed tool call, from the PostToolUse `tool_response`, if it failed."""
    if isinstance(response, dict):
        if response.get("is_error") is True or response.get("isError") is True:
            return "ToolError"
        if response.get("interrupted") is True:
            return "Interrupted"
        error = response.get("error")
        if isinstance(error, str) and error:
            return "ToolError"
        if response.get("success") is False:
            return "ToolError"
    return None


def handle_post_tool_use(
    payload: dict[str, Any], environ: Mapping[str, str], *, failed: bool = False
) -> HookOutcome:
    """Append a trace of Claude's own tool call to its session (nothing when there is none)."""
    tool = _str(payload, "tool_name")
    if tool is None:
        return HookOutcome(stderr="tmws: post-tool-use without tool_name; nothing recorded\n")
    if tool.startswith(MCP_TOOL_PREFIX):
        return HookOutcome()  # our own MCP server traces these calls itself: never twice
    if fast_post_tool_use(payload, environ, tool, failed=failed):
        return HookOutcome()
    project = _project(payload, environ)
    session = find_session(project, _str(payload, "session_id"))
    if session is None:
        return HookOutcome()
    from hestai_tmws.sessions.traces import TraceRecord, digest_args, record_trace

    tool_input = payload.get("tool_input")
    error_class = "ToolFailure" if failed else tool_response_error(payload.get("tool_response"))
    duration = payload.get("duration_ms")
    record = TraceRecord(
        tool=tool,
        args_digest=digest_args(tool_input if tool_input is not None else {}, thorough=False),
        summary=claude_tool_summary(tool, tool_input, _str(payload, "cwd")),
        ok=error_class is None,
        error_class=error_class,
        duration_ms=float(duration) if isinstance(duration, int | float) else None,
        session_id=session.id,
        source="claude-code",
    )
    if not record_trace(project, session.id, record):
        return HookOutcome(stderr=f"tmws: could not record {tool} in session {session.id8}\n")
    return HookOutcome()


def fast_post_tool_use(
    payload: dict[str, Any], environ: Mapping[str, str], tool: str, *, failed: bool
) -> bool:
    """Record the trace with the standard library only; False means "take the full path".

    This hook runs after every tool call of the agent, so it must not import pydantic or
    gitpython. It follows `find_session`'s rule, and gives up (the full path then decides)
    at anything unusual: a link in the way, an unreadable session, two candidates.
    """
    import time
    from pathlib import Path

    from hestai_tmws.gitio import find_work_tree
    from hestai_tmws.sessions.trace_text import (
        MAX_SUMMARY_CHARS,
        SESSION_ID_PATTERN,
        TRACES_FILE,
        digest_args,
        quick_redact,
    )

    try:
        located = find_work_tree(Path(project_dir(payload, environ)).resolve())
        if located is None:
            return False
        root = located[0]
        folders = (
            root / ".hestai",
            root / ".hestai" / "sessions",
            root / ".hestai" / "sessions" / "active",
        )
        if any(f.is_symlink() for f in folders) or not folders[-1].is_dir():
            return False
        sessions: list[tuple[str, str | None]] = []
        for folder in folders[-1].iterdir():
            if folder.is_symlink() or not (folder / "session.json").is_file():
                continue
            data = json.loads((folder / "session.json").read_text(encoding="utf-8"))
            sessions.append((str(data["id"]), data.get("claude_session_id")))
        claude_id = _str(payload, "session_id")
        mine = [sid for sid, cid in sessions if claude_id and cid == claude_id]
        if len(mine) == 1:
            session_id = mine[0]
        elif not mine and len(sessions) == 1 and not (sessions[0][1] and claude_id):
            session_id = sessions[0][0]
        else:
            return False
        if not SESSION_ID_PATTERN.match(session_id):
            return False
        tool_input = payload.get("tool_input")
        error_class = "ToolFailure" if failed else tool_response_error(payload.get("tool_response"))
        duration = payload.get("duration_ms")
        summary = quick_redact(claude_tool_summary(tool, tool_input, _str(payload, "cwd")))
        if len(summary) > MAX_SUMMARY_CHARS:
            summary = summary[: MAX_SUMMARY_CHARS - 1] + "…"
        record = {
            "tool": tool,
            "args_digest": digest_args(
                tool_input if tool_input is not None else {}, thorough=False
            ),
            "summary": summary,
            "ok": error_class is None,
            "error_class": error_class,
            "duration_ms": float(duration) if isinstance(duration, int | float) else None,
            "ts": time.time(),
            "session_id": session_id,
            "source": "claude-code",
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(
            folders[-1] / session_id / TRACES_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644
        )
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def handle_session_end(payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Clock out the session of this Claude session, compressing its transcript."""
    from pathlib import Path

    from hestai_tmws.workflows.clock_out import clock_out

    project = _project(payload, environ)
    session = find_session(project, _str(payload, "session_id"))
    if session is None:
        return HookOutcome(stderr="tmws: no open session for this Claude session to clock out\n")
    transcript = _str(payload, "transcript_path") or session.transcript_path
    result = clock_out(
        project,
        session_id=session.id,
        transcript=Path(transcript) if transcript and Path(transcript).is_file() else None,
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
    "session-end": handle_session_end,
}


def dispatch(event: str | None, payload: dict[str, Any], environ: Mapping[str, str]) -> HookOutcome:
    """Run one handler; every failure becomes a note on stderr and exit code 0."""
    name = normalise_event(event or "") or normalise_event(_str(payload, "hook_event_name") or "")
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
