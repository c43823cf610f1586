"""The fast hook entry answers exactly as the full handlers: same output, same trace bytes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.integrations.claude import fast_hook, hooks, payload, post_tool_use
from hestai_tmws.project import Project
from hestai_tmws.sessions import lookup, trace_text
from hestai_tmws.workflows import reprime, reprime_cache
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.init import init_project
from tests.conftest import CORPUS
from tests.mcpserver.conftest import subprocess_env
from tests.paths import REPO_ROOT

CLAUDE_ID = "claude-fast"
NOW = 1_796_000_000.123456


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both paths stamp `time.time()`: one clock makes their lines comparable byte for byte."""
    monkeypatch.setattr(time, "time", lambda: NOW)
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)


@pytest.fixture
def opened(repo: Path) -> Path:
    """A tmws project with one session open for CLAUDE_ID; its traces file."""
    project = Project.discover(repo)
    init_project(project)
    session = clock_in(project, focus="fast", claude_session_id=CLAUDE_ID)
    return repo / ".hestai" / "sessions" / "active" / session.session_id / "traces.jsonl"


def _traces(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def run_main(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    entry: Any,
    event: str,
    raw: bytes,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code = entry([event])
    out, err = capsys.readouterr()
    return code, out, err


def both(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    traces: Path,
    event: str,
    raw: bytes,
) -> None:
    """Run the full entry, then the fast one, on the same stdin: output and appended bytes match."""
    before = _traces(traces)
    full = run_main(monkeypatch, capsys, hooks.main, event, raw)
    middle = _traces(traces)
    fast = run_main(monkeypatch, capsys, fast_hook.main, event, raw)
    after = _traces(traces)
    assert fast == full
    assert after[len(middle) :] == middle[len(before) :]


def post(root: Path, tool: str, tool_input: Any, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": CLAUDE_ID,
        "cwd": str(root),
        "hook_event_name": "PostToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
        "tool_response": {"stdout": "x", "stderr": "", "interrupted": False},
        **extra,
    }


def test_a_plain_call_takes_the_fast_path_and_writes_the_full_paths_line(
    opened: Path, repo: Path
) -> None:
    raw = json.dumps(post(repo, "Bash", {"command": "ls -la"}, duration_ms=12)).encode()
    fast_hook.handle("post-tool-use", raw, {})
    (line,) = opened.read_bytes().splitlines(keepends=True)
    hooks.run("post-tool-use", raw, {})
    assert opened.read_bytes() == line + line
    record = json.loads(line)
    assert record["summary"] == "ls -la" and record["duration_ms"] == 12.0


def test_an_allowed_edit_is_silent_without_the_full_path(repo: Path) -> None:
    raw = json.dumps(
        {"cwd": str(repo), "tool_name": "Edit", "tool_input": {"file_path": "src/a.py"}}
    ).encode()
    assert fast_hook.handle("pre-tool-use", raw, {}) == ""


CASES: list[tuple[str, Any]] = [
    ("Bash", {"command": "pytest -q  tests/\n  -x"}),
    ("Bash", {"command": "x" * 400}),
    ("Bash", {"command": "export API_KEY=sk-live-abcdefghijklmnopqrstuvwxyz"}),
    ("Bash", {"command": "curl -H 'Authorization: Bearer abcdefghijklmnopqrs' https://u:p@h/"}),
    ("Read", {"file_path": "/elsewhere/a.py"}),
    ("Edit", {"file_path": "README.md", "old_string": "é", "new_string": "✓ \ud800"}),
    ("Grep", {"pattern": "def main", "path": "src"}),
    ("Task", {"subagent_type": "explore", "description": "look"}),
    ("WebSearch", {"query": "python _json"}),
    ("Unknown", {"z": 1, "a": [1.5, None, True]}),
    ("Unknown", None),
    ("Unknown", "just text"),
    ("mcp__tmws__clock_out", {}),
]


@pytest.mark.parametrize(("tool", "tool_input"), CASES)
@pytest.mark.parametrize("event", ["post-tool-use", "post-tool-use-failure"])
def test_tool_calls_trace_alike(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: Path,
    repo: Path,
    tool: str,
    tool_input: Any,
    event: str,
) -> None:
    raw = json.dumps(post(repo, tool, tool_input)).encode()
    both(monkeypatch, capsys, opened, event, raw)


ODD_STDIN = [
    b"",
    b"   \n",
    b"not json",
    b"[1, 2]",
    b"\xef\xbb\xbf{}",
    b'{"tool_name": "Bash"} trailing',
    b'{"cwd": "/nowhere/at/all", "tool_name": "Bash", "tool_input": {"command": "ls"}}',
    b'{"tool_input": {"command": "ls"}}',
    b'{"tool_name": "Bash", "tool_input": {"command": "ls"}, "session_id": "another"}',
    b'{"tool_name": "Bash", "tool_input": {"command": "ls"}, "duration_ms": true}',
    b'{"tool_name": "Read", "tool_input": {"file_path": "a"}, "tool_response": {"is_error": true}}',
    b'{"tool_name": "Read", "tool_input": {"file_path": "a"}, "tool_response": "\xff\xfe"}',
]


@pytest.mark.parametrize("raw", ODD_STDIN)
@pytest.mark.parametrize("event", ["post-tool-use", "pre-tool-use", ""])
def test_odd_input_answers_as_the_full_path(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: Path,
    repo: Path,
    raw: bytes,
    event: str,
) -> None:
    monkeypatch.chdir(repo)
    both(monkeypatch, capsys, opened, event, raw)


def test_two_sessions_of_one_claude_session_step_aside(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Path, repo: Path
) -> None:
    clock_in(Project.discover(repo), focus="other", claude_session_id=CLAUDE_ID, force=True)
    raw = json.dumps(post(repo, "Bash", {"command": "ls"})).encode()
    with pytest.raises(fast_hook.NotFast):
        fast_hook.handle("post-tool-use", raw, {})
    both(monkeypatch, capsys, opened, "post-tool-use", raw)


def test_no_session_and_no_project_record_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    raw = json.dumps(post(repo, "Bash", {"command": "ls"})).encode()
    both(monkeypatch, capsys, repo / "none.jsonl", "post-tool-use", raw)  # not even tmws init
    Project.discover(repo)
    init_project(Project.discover(repo))
    both(monkeypatch, capsys, repo / "none.jsonl", "post-tool-use", raw)
    assert not list((repo / ".hestai" / "sessions" / "active").glob("*/traces.jsonl"))


def test_a_linked_worktree_is_found_through_its_git_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Path, repo: Path
) -> None:
    sub = repo / "src" / "deep"
    sub.mkdir(parents=True)
    raw = json.dumps(post(sub, "Read", {"file_path": str(sub / "x.py")})).encode()
    both(monkeypatch, capsys, opened, "post-tool-use", raw)
    assert fast_hook.work_tree(str(sub))[0] == str(repo.resolve())


# -- PreToolUse: the allow/deny matrix ----------------------------------------------------------

TARGETS = [
    "README.md",
    ".hestai/context/project-context.oct.md",
    ".HESTAI/x",
    ".hestai-sys/agents/a.oct.md",
    "src/../.hestai/workflow/000-north.oct.md",
    "/abs/elsewhere/.hestai/x",
    "~/notes.md",
    "",
    "src/.hestai.md",
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("tool", ["Write", "Edit", "MultiEdit", "NotebookEdit", "Read", "Bash"])
def test_pre_tool_use_decides_alike(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    repo: Path,
    tool: str,
    target: str,
) -> None:
    key = "notebook_path" if tool == "NotebookEdit" else "file_path"
    raw = json.dumps({"cwd": str(repo), "tool_name": tool, "tool_input": {key: target}}).encode()
    full = run_main(monkeypatch, capsys, hooks.main, "pre-tool-use", raw)
    assert run_main(monkeypatch, capsys, fast_hook.main, "pre-tool-use", raw) == full
    denied = (
        ".hestai" in target.lower()
        and target != "src/.hestai.md"
        and key
        in (
            "file_path",
            "notebook_path",
        )
    )
    assert ("deny" in full[1]) == (denied and tool not in ("Read", "Bash"))


def test_a_link_into_the_memory_is_refused_on_both_paths(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Path, repo: Path
) -> None:
    (repo / "sneaky").symlink_to(repo / ".hestai")
    raw = json.dumps(
        {"cwd": str(repo), "tool_name": "Write", "tool_input": {"file_path": "sneaky/x"}}
    ).encode()
    full = run_main(monkeypatch, capsys, hooks.main, "pre-tool-use", raw)
    assert run_main(monkeypatch, capsys, fast_hook.main, "pre-tool-use", raw) == full
    assert '"deny"' in full[1]


# -- real payload shapes ------------------------------------------------------------------------


def _corpus() -> Path:
    for base in (CORPUS, *(p / "shared" / "corpus" / "claude-code" for p in REPO_ROOT.parents)):
        if base.is_dir():
            return base
    pytest.skip("the shared Claude Code corpus is not present")


def real_payloads(corpus: Path) -> Iterator[dict[str, Any]]:
    """PostToolUse payloads rebuilt from real transcripts: each tool_use with its result."""
    for path in sorted(corpus.glob("*.jsonl")):
        calls: dict[str, dict[str, Any]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            content = (record.get("message") or {}).get("content")
            if not isinstance(content, list):
                continue
            for block in content:
                if not isinstance(block, dict):
                    continue
                if block.get("type") == "tool_use":
                    calls[block["id"]] = {
                        "session_id": CLAUDE_ID,
                        "cwd": record.get("cwd"),
                        "hook_event_name": "PostToolUse",
                        "tool_name": block["name"],
                        "tool_input": block["input"],
                    }
                elif block.get("type") == "tool_result" and block.get("tool_use_id") in calls:
                    call = calls.pop(block["tool_use_id"])
                    call["tool_response"] = record.get("toolUseResult", block.get("content"))
                    yield call


def test_real_payloads_trace_the_same_bytes(opened: Path, repo: Path) -> None:
    environ = {"TMWS_PROJECT": str(repo)}
    fast = 0
    total = 0
    for call in real_payloads(_corpus()):
        raw = json.dumps(call).encode()
        total += 1
        start = len(_traces(opened))
        hooks.run("post-tool-use", raw, environ)
        full_line = _traces(opened)[start:]
        try:
            fast_hook.handle("post-tool-use", raw, environ)
            fast += 1
        except fast_hook.NotFast:
            hooks.run("post-tool-use", raw, environ)
        assert _traces(opened)[start + len(full_line) :] == full_line, call["tool_name"]
    print(f"real payloads: {fast} of {total} on the fast path")
    assert total > 500 and fast > total // 2  # most real calls take the fast path


# -- the restated rules stay the rules ----------------------------------------------------------


def test_restated_names_match_their_sources() -> None:
    assert fast_hook.ENV_CLAUDE_PROJECT == payload.ENV_CLAUDE_PROJECT
    assert fast_hook.MCP_TOOL_PREFIX == payload.MCP_TOOL_PREFIX
    assert fast_hook.SOURCE == post_tool_use.SOURCE
    assert fast_hook.SESSION_FILE == lookup.SESSION_FILE
    assert fast_hook.TRACES_FILE == trace_text.TRACES_FILE
    assert fast_hook.MAX_SUMMARY_CHARS == trace_text.MAX_SUMMARY_CHARS
    assert set(fast_hook.FAST_EVENTS) <= set(payload.EVENT_ALIASES.values())
    literals = fast_hook.QUICK_LITERALS + fast_hook.QUICK_LITERALS_NOCASE
    assert len(literals) == len(trace_text._QUICK_PATTERNS)


_fragments = st.sampled_from(
    [
        "-----BEGIN RSA PRIVATE KEY-----",
        "AKIAABCDEFGHIJKLMNOP",
        "ghp_",
        "github_pat_",
        "sk-",
        "rk_",
        "pk-live-",
        "xoxb-",
        "AIza",
        "eyJ",
        "abcdefghijklmnopqrstuvwxyz012345",
        "Bearer ",
        "BEARER ",
        "://",
        "u:p@",
        "PASSWORD",
        "Token",
        "api_key",
        "auth",
        "=",
        ": ",
        " ",
        ".",
        "ſecret",
        "K",
    ]
)


@given(st.lists(_fragments | st.text(max_size=5), max_size=8).map("".join))
def test_text_the_prefilter_lets_through_needs_no_redaction(text: str) -> None:
    if not fast_hook.may_need_redaction(text):
        assert trace_text.quick_redact(text) == text


@given(st.text(max_size=300), st.integers(min_value=2, max_value=200))
def test_clip_line_is_trace_texts(text: str, limit: int) -> None:
    from hestai_tmws.integrations.claude.tool_summary import clip_line

    assert clip_line(text, limit) == trace_text.clip_line(text, limit)


@given(
    st.lists(
        st.tuples(st.sampled_from(["a" * 12, "b" * 12, "c" * 12]), st.sampled_from([None, "", "x"]))
        | st.tuples(st.just("d" * 12), st.sampled_from(["y", "x"])),
        max_size=4,
    ),
    st.sampled_from([None, "", "x", "y"]),
)
def test_for_agent_is_the_lookup_rule(items: list[tuple[str, object]], agent: str | None) -> None:
    assert fast_hook.for_agent(items, agent) == lookup.for_agent(items, agent, lambda s: s[1])


def test_tmws_hook_routes_claude_here_and_other_agents_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Path, repo: Path
) -> None:
    from hestai_tmws.integrations import agent_hooks

    raw = json.dumps(post(repo, "Bash", {"command": "ls"})).encode()
    for argv in (["claude", "post-tool-use"], ["gemini", "after-tool"], ["cursor", "nope"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        full = (agent_hooks.main(argv), *capsys.readouterr())
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        assert (fast_hook.agent_main(argv), *capsys.readouterr()) == full


HEAVY = {"json", "re", "typing", "dataclasses", "pathlib", "hashlib", "pydantic", "collections"}


@pytest.mark.parametrize("event", ["post-tool-use", "pre-tool-use"])
def test_the_fast_path_loads_no_heavy_module(opened: Path, repo: Path, event: str) -> None:
    code = (
        "import sys; from hestai_tmws.integrations.claude.fast_hook import main; rc = main();"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr); sys.exit(rc)"
    )
    raw = json.dumps(post(repo, "Edit", {"file_path": "README.md"}))
    done = subprocess.run(
        [sys.executable, "-c", code, event],
        input=raw,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    loaded = set(done.stderr.split())
    assert not loaded & HEAVY, loaded & HEAVY
    assert {m for m in loaded if m.startswith("hestai_tmws.")} <= {
        "hestai_tmws.integrations",
        "hestai_tmws.integrations.claude",
        "hestai_tmws.integrations.claude.fast_hook",
        "hestai_tmws.integrations.claude.fast_codec",
        "hestai_tmws.integrations.claude.guard",
        "hestai_tmws.integrations.claude.tool_summary",
        "hestai_tmws.layout",
    }
    if event == "post-tool-use":
        assert json.loads(opened.read_text())["summary"] == "README.md"


# -- SessionStart on resume and PreCompact: the remembered re-prime ------------------------------


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by this test count as settled (no racy-timestamp wait)."""
    monkeypatch.setattr(reprime_cache, "RACY_SECONDS", 0.0)


def start(repo: Path, source: str | None = "resume", claude_id: str = CLAUDE_ID) -> bytes:
    data: dict[str, Any] = {"session_id": claude_id, "cwd": str(repo), "source": source}
    return json.dumps(data).encode()


@pytest.mark.parametrize("source", ["resume", "compact", "clear", None])
def test_a_resume_reprints_the_remembered_reprime(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: Path,
    repo: Path,
    settled: None,
    source: str | None,
) -> None:
    raw = start(repo, source)
    both(monkeypatch, capsys, opened, "session-start", raw)  # the full path remembers it
    text = fast_hook.handle("session-start", raw, {})
    assert text == hooks.run("session-start", raw, {}).stdout
    assert f"continues after {source or 'resume'} as" in text
    both(monkeypatch, capsys, opened, "pre-compact", raw)
    assert "after compaction" in fast_hook.handle("pre-compact", raw, {})


def test_a_changed_input_is_rendered_again(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    opened: Path,
    repo: Path,
    settled: None,
) -> None:
    raw = start(repo)
    hooks.run("session-start", raw, {})
    fast_hook.handle("session-start", raw, {})
    decisions = repo / ".hestai" / "workflow" / "decisions"
    decisions.mkdir(parents=True, exist_ok=True)
    (decisions / "007-use-the-cache.oct.md").write_text("x\n")
    with pytest.raises(fast_hook.NotFast):
        fast_hook.handle("session-start", raw, {})
    both(monkeypatch, capsys, opened, "session-start", raw)
    assert "007 use the cache" in fast_hook.handle("session-start", raw, {})
    checklist = repo / ".hestai" / "context" / "project-checklist.oct.md"
    checklist.write_text(checklist.read_text() + "\n")
    with pytest.raises(fast_hook.NotFast):
        fast_hook.handle("session-start", raw, {})


def test_fresh_files_and_other_sessions_take_the_full_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], opened: Path, repo: Path
) -> None:
    raw = start(repo)
    hooks.run("session-start", raw, {})  # every input was written a moment ago: not kept
    with pytest.raises(fast_hook.NotFast):
        fast_hook.handle("session-start", raw, {})
    monkeypatch.setattr(reprime_cache, "RACY_SECONDS", 0.0)
    hooks.run("session-start", raw, {})
    for other in (start(repo, claude_id="someone-else"), start(repo, claude_id="")):
        with pytest.raises(fast_hook.NotFast):
            fast_hook.handle("session-start", other, {})
    monkeypatch.setattr(reprime_cache, "CACHE_FORMAT", reprime_cache.CACHE_FORMAT + 1)
    with pytest.raises(fast_hook.NotFast):
        fast_hook.handle("session-start", raw, {})


def test_the_cache_names_what_render_reads() -> None:
    assert Project.discover(REPO_ROOT).context_doc("project-checklist") == reprime_cache.CHECKLIST
    assert reprime.REPRIME_MAX_BYTES == reprime_cache.REPRIME_MAX_BYTES
