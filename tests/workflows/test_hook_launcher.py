"""The machine-local hook launcher: committed settings the same everywhere, fallbacks intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.integrations.claude.settings import (
    HOOK_EVENTS,
    SETTINGS_REL,
    Launcher,
    integrate_claude_code,
)
from hestai_tmws.project import Project
from hestai_tmws.workflows import hook_launcher
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.hook_launcher import (
    LAUNCHER_MARKER,
    committed_command,
    ensure_launcher,
    fast_hook_python,
    healthy,
    launcher_path,
    launcher_text,
    recorded_python,
    write_launcher,
)
from hestai_tmws.workflows.init import init_project
from tests.conftest import git, make_repo

SHELL = shutil.which("dash") or shutil.which("sh") or "/bin/sh"
NOTICE = "tmws is not installed; hook skipped\n"


def _fake(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _fast(python: str) -> Launcher:
    """What `Launcher.detect` gives on a machine whose interpreter passed the probe."""
    return Launcher(
        hook_prefix=["tmws", "hook", "claude"],
        server_command="tmws",
        server_args=["serve"],
        fast_python=python,
    )


def _run(
    command: str, root: Path, path: str, stdin: str = "{}"
) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "CLAUDE_PROJECT_DIR": str(root), "HOME": os.environ["HOME"]}
    return subprocess.run(
        [SHELL, "-c", command], input=stdin, env=env, cwd=root, capture_output=True, text=True
    )


def _launcher(root: Path) -> Path:
    path = launcher_path(root)
    assert path is not None
    return path


def test_settings_are_byte_identical_across_machines(tmp_path: Path) -> None:
    alice = make_repo(tmp_path / "alice" / "repo")
    bob = make_repo(tmp_path / "bob" / "repo")
    py_a = str(_fake(tmp_path / "alice" / "venv" / "bin" / "python", "exit 0"))
    py_b = str(_fake(tmp_path / "bob" / "opt" / "python3.11", "exit 0"))
    integrate_claude_code(alice, launcher=_fast(py_a))
    integrate_claude_code(bob, launcher=_fast(py_b))
    for rel in (SETTINGS_REL, ".mcp.json"):
        assert (alice / rel).read_bytes() == (bob / rel).read_bytes()
    text = (alice / SETTINGS_REL).read_text()
    assert str(tmp_path) not in text and "python" not in text
    assert _launcher(alice).read_text() == launcher_text(py_a)
    assert _launcher(bob).read_text() == launcher_text(py_b)
    assert healthy(_launcher(alice)) and healthy(_launcher(bob))
    again = integrate_claude_code(bob, launcher=_fast(py_a))  # a teammate's path: no churn
    assert not again.changed and _launcher(bob).read_text() == launcher_text(py_a)


def test_the_launcher_is_never_staged(repo: Path, tmp_path: Path) -> None:
    python = str(_fake(tmp_path / "py", "exit 0"))
    result = integrate_claude_code(repo, launcher=_fast(python))
    assert result.notes == [f"created hook launcher {_launcher(repo)} (machine-local)"]
    assert _launcher(repo).is_relative_to(repo / ".git")
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged == [".claude/settings.json", ".mcp.json"]


def test_every_event_gets_the_portable_line(repo: Path, tmp_path: Path) -> None:
    integrate_claude_code(repo, launcher=_fast(str(_fake(tmp_path / "py", "exit 0"))))
    data = json.loads((repo / SETTINGS_REL).read_text())
    for claude_event, ours, _, _ in HOOK_EVENTS:
        (group,) = data["hooks"][claude_event]
        assert [h["command"] for h in group["hooks"]] == [committed_command(ours)]


# -- the chain: launcher → its interpreter, else tmws on PATH, else the notice ------------------


def test_no_launcher_falls_back_to_tmws_then_to_the_notice(repo: Path, tmp_path: Path) -> None:
    command = committed_command("post-tool-use")
    bin_dir = tmp_path / "bin"
    proc = _run(command, repo, str(bin_dir))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", NOTICE)
    _fake(bin_dir / "tmws", 'read -r line; echo "tmws $* <$line>"; exit 3')
    proc = _run(command, repo, str(bin_dir), stdin='{"a": 1}\n')
    assert (proc.returncode, proc.stdout) == (3, 'tmws hook claude post-tool-use <{"a": 1}>\n')


def test_a_dead_interpreter_falls_back_to_tmws(repo: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    python = _fake(tmp_path / "venv" / "python", "exit 9")
    write_launcher(repo, str(python), probe=lambda p: p)
    python.unlink()  # the venv went away
    assert not healthy(_launcher(repo))
    proc = _run(committed_command("pre-tool-use"), repo, str(bin_dir))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", NOTICE)
    _fake(bin_dir / "tmws", 'echo "tmws $*"; exit 2')
    proc = _run(committed_command("pre-tool-use"), repo, str(bin_dir))
    assert (proc.returncode, proc.stdout) == (2, "tmws hook claude pre-tool-use\n")


@pytest.mark.parametrize("code", [0, 1, 2])
def test_a_decision_of_the_fast_path_never_runs_twice(
    repo: Path, tmp_path: Path, code: int
) -> None:
    """Exit 2 blocks in Claude Code: whatever the launcher returns is final, tmws is not run."""
    ran = tmp_path / "tmws-ran"
    bin_dir = tmp_path / "bin"
    _fake(bin_dir / "tmws", f"touch {ran}; exit 0")
    python = _fake(tmp_path / "py", f'read -r x; echo "$x fast $1 $4"; exit {code}')
    write_launcher(repo, str(python), probe=lambda p: p)
    proc = _run(committed_command("pre-tool-use"), repo, str(bin_dir), stdin="deny")
    assert (proc.returncode, proc.stdout) == (code, "deny fast -I pre-tool-use\n")
    assert not ran.exists()


def test_a_linked_worktree_finds_the_clones_launcher(repo: Path, tmp_path: Path) -> None:
    python = _fake(tmp_path / "py", 'echo "fast $4"')
    write_launcher(repo, str(python), probe=lambda p: p)
    other = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "side", str(other))
    assert launcher_path(other) == _launcher(repo)
    proc = _run(committed_command("post-tool-use"), other, str(tmp_path / "none"))
    assert (proc.returncode, proc.stdout) == (0, "fast post-tool-use\n")


def test_an_interpreter_without_tmws_execs_tmws(repo: Path, tmp_path: Path) -> None:
    """The launcher's program itself: an ImportError hands the same stdin to tmws on PATH."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    python = str(bare / "bin" / "python")
    write_launcher(repo, python, probe=lambda p: p)
    bin_dir = tmp_path / "bin"
    proc = _run(committed_command("post-tool-use"), repo, str(bin_dir))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", NOTICE)
    _fake(bin_dir / "tmws", 'read -r line; echo "tmws $* <$line>"; exit 3')
    proc = _run(committed_command("post-tool-use"), repo, str(bin_dir), stdin="payload\n")
    assert (proc.returncode, proc.stdout) == (3, "tmws hook claude post-tool-use <payload>\n")


# -- who writes it ----------------------------------------------------------------------------


def test_ensure_writes_only_where_the_settings_use_it(repo: Path, tmp_path: Path) -> None:
    calls: list[str] = []

    def probe(python: str) -> str | None:
        calls.append(python)
        return str(tmp_path / "py") if (tmp_path / "py").exists() else None

    _fake(tmp_path / "py", "exit 0")
    assert ensure_launcher(repo, probe=probe).action == "skipped"  # no Claude settings
    assert calls == [] and not _launcher(repo).exists()
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text(json.dumps({"c": committed_command("x")}))
    assert ensure_launcher(repo, probe=probe).action == "created"
    assert ensure_launcher(repo, probe=probe).action == "unchanged"
    assert len(calls) == 1  # a healthy launcher costs no probe
    (tmp_path / "py").unlink()
    assert ensure_launcher(repo, probe=probe).action == "skipped"  # nothing runs it now
    _fake(tmp_path / "py", "exit 0")
    _launcher(repo).write_text("#!/bin/sh\nexit 0\n")  # not ours (an older format): rewritten
    assert ensure_launcher(repo, probe=probe).action == "updated"
    assert _launcher(repo).read_text() == launcher_text(str(tmp_path / "py"))


def test_init_and_clock_in_heal_a_fresh_clone(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    python = str(_fake(tmp_path / "py", "exit 0"))
    monkeypatch.setattr(hook_launcher.sys, "executable", python)
    monkeypatch.setattr(hook_launcher, "fast_hook_python", lambda p: p)
    integrate_claude_code(repo, launcher=_fast(python))
    _launcher(repo).unlink()  # a teammate's fresh clone: settings committed, no launcher
    project = Project.discover(repo)
    assert init_project(project).hook_launcher == f"Claude hook launcher created for {python}"
    _launcher(repo).unlink()
    session = clock_in(project, focus="launcher")
    assert f"Claude hook launcher created for {python}" in session.notes
    assert healthy(_launcher(repo))


def test_remove_takes_the_launcher_away(repo: Path, tmp_path: Path) -> None:
    launcher = _fast(str(_fake(tmp_path / "py", "exit 0")))
    integrate_claude_code(repo, launcher=launcher)
    integrate_claude_code(repo, launcher=launcher, local=True)
    integrate_claude_code(repo, launcher=launcher, remove=True)
    assert _launcher(repo).exists()  # settings.local.json still runs it
    result = integrate_claude_code(repo, launcher=launcher, local=True, remove=True)
    assert not _launcher(repo).exists()
    assert result.notes == [f"removed hook launcher {_launcher(repo)} (machine-local)"]


def test_old_lines_are_upgraded_in_place(repo: Path, tmp_path: Path) -> None:
    old_fast = (
        "if [ -x /home/ada/.venv/bin/python ]; then exec /home/ada/.venv/bin/python -I -c "
        "'import sys; from hestai_tmws.integrations.claude.fast_hook import main; "
        "sys.exit(main())' post-tool-use; elif command -v tmws >/dev/null 2>&1; then exec tmws "
        "hook claude post-tool-use; else echo 'tmws is not installed; hook skipped' >&2; fi"
    )
    plain = "tmws hook claude pre-tool-use"
    mine = {"type": "command", "command": "notify-send done"}
    settings = {
        "hooks": {
            "PostToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": old_fast}]}],
            "PreToolUse": [{"hooks": [mine, {"type": "command", "command": plain}]}],
        }
    }
    (repo / ".claude").mkdir()
    (repo / SETTINGS_REL).write_text(json.dumps(settings))
    integrate_claude_code(repo, launcher=_fast(str(_fake(tmp_path / "py", "exit 0"))))
    data = json.loads((repo / SETTINGS_REL).read_text())
    assert [h["command"] for h in data["hooks"]["PostToolUse"][0]["hooks"]] == [
        committed_command("post-tool-use")
    ]
    assert data["hooks"]["PreToolUse"][0]["hooks"] == [
        mine,
        {"type": "command", "command": committed_command("pre-tool-use"), "timeout": 10},
    ]
    assert "/home/ada" not in (repo / SETTINGS_REL).read_text()


# -- for real: this interpreter, a fresh repository, `sh -c` as Claude Code runs it -------------


def test_the_committed_line_traces_a_payload(repo: Path) -> None:
    python = fast_hook_python(sys.executable)
    if python is None:
        pytest.skip("this interpreter has no installed hestai_tmws for -I")
    project = Project.discover(repo)
    init_project(project)
    integrate_claude_code(repo, launcher=_fast(python))
    assert LAUNCHER_MARKER in (repo / SETTINGS_REL).read_text()
    session = clock_in(project, focus="real", claude_session_id="claude-real")
    data = json.loads((repo / SETTINGS_REL).read_text())
    post = data["hooks"]["PostToolUse"][0]["hooks"][0]["command"]
    pre = data["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    call = {"session_id": "claude-real", "cwd": str(repo), "tool_name": "Bash"}
    call["tool_input"] = {"command": "ls"}  # type: ignore[assignment]
    path = str(Path(sys.executable).parent) + os.pathsep + "/usr/bin:/bin"
    proc = _run(post, repo, path, stdin=json.dumps(call))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    traces = repo / ".hestai/sessions/active" / session.session_id / "traces.jsonl"
    (line,) = traces.read_text().splitlines()
    assert json.loads(line)["summary"] == "ls"
    deny = {"cwd": str(repo), "tool_name": "Write", "tool_input": {"file_path": ".hestai/x"}}
    proc = _run(pre, repo, path, stdin=json.dumps(deny))
    assert proc.returncode == 0 and proc.stderr == ""
    decision = json.loads(proc.stdout)["hookSpecificOutput"]  # one JSON object: printed once
    assert decision["permissionDecision"] == "deny"


_PATHS = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r"), min_size=1
).map(lambda tail: "/" + tail)


@given(_PATHS)
def test_any_interpreter_path_round_trips_through_the_script(python: str) -> None:
    assert recorded_python(launcher_text(python)) == python


def test_an_awkward_path_is_quoted_for_sh(repo: Path, tmp_path: Path) -> None:
    python = _fake(tmp_path / "it's a $HOME `x`" / "py", 'echo "fast $4"')
    write_launcher(repo, str(python), probe=lambda p: p)
    assert healthy(_launcher(repo))
    proc = _run(committed_command("post-tool-use"), repo, str(tmp_path / "none"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "fast post-tool-use\n", "")
