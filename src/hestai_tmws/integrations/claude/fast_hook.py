"""The Claude Code hooks' fast entry: PreToolUse and PostToolUse for a bare interpreter's cost.

Claude Code runs these two before and after every tool call, so `tmws integrate claude-code`
starts them as `python -I -c '…fast_hook import main…' <event>`: no console script, no user
site, and this module imports only `os`, `sys`, `time`, CPython's `_json`/`_sha256` (through
`fast_codec`), `layout` and the two standard-library rule modules (`guard`, `tool_summary`).

It answers only the common cases, with exactly the bytes and decisions of the full handlers
(`hooks`, `post_tool_use`; tests run both on the same payloads): an allowed edit, a tool call
traced into the one open session of this Claude session, and on SessionStart (resume) or
PreCompact the re-prime remembered by `workflows.reprime_cache`. Anything else (a deny, other
events, no session or two, odd payloads, a secret-looking argument, any error) is handed
to `hooks.run` with the same stdin, which decides as before. Nothing is written before the
hand-over, so nothing is recorded twice.
"""

from __future__ import annotations

import os
import sys
import time

from hestai_tmws.integrations.claude import fast_codec
from hestai_tmws.integrations.claude.guard import pre_tool_use_decision
from hestai_tmws.integrations.claude.tool_summary import claude_tool_summary, tool_response_error
from hestai_tmws.layout import ENV_PROJECT, HESTAI

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeVar

    _Item = TypeVar("_Item", bound=tuple[Any, ...])

ENV_CLAUDE_PROJECT = "CLAUDE_PROJECT_DIR"  # payload.ENV_CLAUDE_PROJECT
MCP_TOOL_PREFIX = "mcp__tmws__"  # payload.MCP_TOOL_PREFIX
SOURCE = "claude-code"  # post_tool_use.SOURCE
SESSION_FILE = "session.json"  # sessions.lookup.SESSION_FILE
TRACES_FILE = "traces.jsonl"  # sessions.trace_text.TRACES_FILE
MAX_SUMMARY_CHARS = 240  # sessions.trace_text.MAX_SUMMARY_CHARS
FAST_EVENTS = ("pre-tool-use", "post-tool-use", "post-tool-use-failure")
REPRIME_EVENTS = ("session-start", "pre-compact")  # a remembered re-prime, else the full path
_HEX = frozenset("0123456789abcdef")

# What each of trace_text's quick redaction patterns cannot match without (in its order;
# a test keeps the two lists in step). Text with none of these needs no redaction; text
# with one goes to the full path, whose regexes decide.
QUICK_LITERALS: tuple[tuple[str, ...], ...] = (
    ("-----BEGIN ",),
    ("AKIA", "ASIA", "AGPA", "AIDA", "AROA"),
    ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ("sk-", "sk_", "rk-", "rk_", "pk-", "pk_"),
    ("xox",),
    ("AIza",),
    ("eyJ",),
)
QUICK_LITERALS_NOCASE: tuple[tuple[str, ...], ...] = (  # the (?i) patterns, lower-cased
    ("bearer",),
    ("://",),
    ("passw", "pwd", "secret", "token", "api", "access", "private", "auth", "credential"),
)


class NotFast(Exception):
    """This call is not the common case: the full handlers take it."""


def may_need_redaction(text: str) -> bool:
    """False only when no quick redaction pattern can match `text` (True: let them look)."""
    if not text.isascii():  # case-insensitive matching beyond ASCII: leave it to `re`
        return True
    if any(lit in text for group in QUICK_LITERALS for lit in group):
        return True
    lowered = text.lower()
    return any(lit in lowered for group in QUICK_LITERALS_NOCASE for lit in group)


def _str(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return value if isinstance(value, str) and value else None


def project_dir(payload: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """`payload.project_dir`: $TMWS_PROJECT, $CLAUDE_PROJECT_DIR, the hook's cwd, this folder."""
    return (
        environ.get(ENV_PROJECT)
        or environ.get(ENV_CLAUDE_PROJECT)
        or _str(payload, "cwd")
        or os.getcwd()
    )


def work_tree(start: str) -> tuple[str, str]:
    """(root, git common dir) as `gitio.find_work_tree(Path(start).resolve())` finds them,
    with `os.path`; NotFast where that says None."""
    folder = os.path.realpath(start)
    while True:
        dot_git = os.path.join(folder, ".git")
        if os.path.isdir(dot_git):
            git_dir = dot_git
        elif os.path.isfile(dot_git):
            with open(dot_git, encoding="utf-8") as fh:
                text = fh.read().strip()
            if not text.startswith("gitdir: "):
                raise NotFast("unusual .git file")
            git_dir = os.path.realpath(os.path.join(folder, text[len("gitdir: ") :].strip()))
        else:
            parent = os.path.dirname(folder)
            if parent == folder:
                raise NotFast("not in a git work tree")
            folder = parent
            continue
        if not os.path.isfile(os.path.join(git_dir, "HEAD")):
            raise NotFast("no HEAD")
        common = git_dir
        pointer = os.path.join(git_dir, "commondir")
        if os.path.isfile(pointer):
            with open(pointer, encoding="utf-8") as fh:
                common = os.path.join(git_dir, fh.read().strip())
        return folder, os.path.realpath(common)


def open_session(
    payload: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[str, str, dict[str, Any]]:
    """(work tree root, git common dir, session record) of the one open session this hook
    is for, found as post_tool_use._fast_session_dir finds it; NotFast otherwise."""
    root, common = work_tree(project_dir(payload, environ))
    folders = [os.path.join(root, HESTAI)]
    folders += [
        os.path.join(folders[0], "sessions"),
        os.path.join(folders[0], "sessions", "active"),
    ]
    if any(os.path.islink(f) for f in folders) or not os.path.isdir(folders[-1]):
        raise NotFast("no plain sessions folder")
    sessions: list[tuple[str, object, dict[str, Any]]] = []
    for name in os.listdir(folders[-1]):
        folder = os.path.join(folders[-1], name)
        path = os.path.join(folder, SESSION_FILE)
        if os.path.islink(folder) or not os.path.isfile(path):
            continue
        with open(path, "rb") as fh:
            data = fast_codec.loads(fh.read().decode("utf-8"))
        sessions.append((str(data["id"]), data.get("claude_session_id"), data))
    candidates = for_agent(sessions, _str(payload, "session_id"))
    if len(candidates) != 1:
        raise NotFast("no single session")
    session_id, _, record = candidates[0]
    if len(session_id) != 12 or not _HEX.issuperset(session_id):
        raise NotFast("odd session id")
    return root, common, {**record, "id": session_id}


def session_dir(payload: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The folder of the one open session this hook is for."""
    root, _, record = open_session(payload, environ)
    return os.path.join(root, HESTAI, "sessions", "active", record["id"])


def for_agent(items: list[_Item], agent_session_id: str | None) -> list[_Item]:
    """`sessions.lookup.for_agent` over (id, claude session id) pairs."""
    if agent_session_id:
        mine = [item for item in items if item[1] == agent_session_id]
        if mine:
            return mine
    if len(items) == 1 and (not items[0][1] or not agent_session_id):
        return [items[0]]
    return []


def trace_line(payload: Mapping[str, Any], tool: str, *, failed: bool, session_id: str) -> bytes:
    """The bytes `post_tool_use.fast_post_tool_use` appends for this call."""
    tool_input = payload.get("tool_input")
    canonical = fast_codec.canonical(tool_input if tool_input is not None else {})
    summary = claude_tool_summary(tool, tool_input, _str(payload, "cwd"))
    if may_need_redaction(canonical) or may_need_redaction(summary):
        raise NotFast("a secret-looking argument: the regexes decide")
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[: MAX_SUMMARY_CHARS - 1] + "…"
    error_class = "ToolFailure" if failed else tool_response_error(payload.get("tool_response"))
    duration = payload.get("duration_ms")
    record = {
        "tool": tool,
        "args_digest": fast_codec.sha256(canonical.encode("utf-8")).hexdigest(),
        "summary": summary,
        "ok": error_class is None,
        "error_class": error_class,
        "duration_ms": float(duration) if isinstance(duration, int | float) else None,
        "source": SOURCE,
        "ts": time.time(),
        "session_id": session_id,
    }
    return (fast_codec.dumps(record).rstrip("\n") + "\n").encode("utf-8")


def reprime(event: str, payload: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The re-prime `hooks` prints for a resumed or compacting Claude session, when the
    cache still holds it (`workflows.reprime_cache`); NotFast for a new session or a miss."""
    from hestai_tmws.workflows import reprime_cache  # lazy: json, only at start and compaction

    agent = _str(payload, "session_id")
    if agent is None:
        raise NotFast("no Claude session id")
    root, common, record = open_session(payload, environ)
    if record.get("claude_session_id") != agent:
        raise NotFast("not this Claude session's own")
    source = (_str(payload, "source") or "resume") if event == "session-start" else "compaction"
    text = reprime_cache.cached(common, os.path.join(root, HESTAI), record, source)
    if text is None:
        raise NotFast("nothing remembered")
    return text


def handle(event: str | None, raw: bytes, environ: Mapping[str, str]) -> str:
    """What to print for the common case; NotFast (or any error) means "take the full path".

    Nothing is written before the last step, so a hand-over never records a call twice.
    """
    text = raw.decode("utf-8", "replace")
    payload = fast_codec.loads(text) if text.strip() else {}
    if not isinstance(payload, dict):
        raise NotFast("not an object")
    if event in REPRIME_EVENTS:
        return reprime(event, payload, environ)
    if event == "pre-tool-use":
        if pre_tool_use_decision(payload) is not None:
            raise NotFast("a deny: the full path prints it")
        return ""
    if event not in FAST_EVENTS:
        raise NotFast("not a fast event")
    tool = _str(payload, "tool_name")
    if tool is None:
        raise NotFast("no tool name")
    if tool.startswith(MCP_TOOL_PREFIX):
        return ""  # our MCP server traces its own tools
    folder = session_dir(payload, environ)
    line = trace_line(
        payload, tool, failed=event == "post-tool-use-failure", session_id=os.path.basename(folder)
    )
    fd = os.open(os.path.join(folder, TRACES_FILE), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return ""


def _read_stdin() -> bytes:
    try:
        return sys.stdin.buffer.read() if sys.stdin is not None else b""
    except (OSError, ValueError, AttributeError):
        return b""


def main(argv: list[str] | None = None) -> int:
    """`<event>`: the fast answer, else exactly what `hooks.main` does with the same stdin."""
    args = sys.argv[1:] if argv is None else argv
    event = args[0] if args else None
    raw = _read_stdin()
    if event in FAST_EVENTS or event in REPRIME_EVENTS:
        try:
            printed = handle(event, raw, os.environ)
        except Exception:  # NotFast, or anything unexpected: the full path decides
            pass
        else:
            if printed:
                sys.stdout.write(printed)
                sys.stdout.flush()
            return 0
    from hestai_tmws.integrations.claude.hooks import run  # lazy: the full path, rare here

    outcome = run(event, raw, os.environ)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
        sys.stdout.flush()
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    return outcome.exit_code


def agent_main(argv: list[str]) -> int:
    """`tmws hook <agent> <event>` (the console script's typer-free path): Claude's events
    here, the other agents' in `agent_hooks`."""
    if argv[:1] == ["claude"]:
        return main(argv[1:])
    from hestai_tmws.integrations.agent_hooks import main as other  # lazy: Gemini, Cursor only

    return other(argv)
