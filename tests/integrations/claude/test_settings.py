"""`integrate claude-code`: merge hooks and the MCP server into the user's files, idempotently."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.claude.settings import (
    FAST_HOOK_MODULE,
    HOOK_EVENTS,
    Launcher,
    fast_hook_python,
    integrate_claude_code,
    merge_hooks,
    merge_mcp,
)
from hestai_tmws.workflows.hook_launcher import committed_command

TMWS = Launcher(
    hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
)
PYTHON = Launcher.python("/opt/py/bin/python3")


def read(path: Path) -> Any:
    return json.loads(path.read_text())


def our_commands(settings_data: dict[str, Any], event: str) -> list[str]:
    return [
        h["command"]
        for group in settings_data["hooks"].get(event, [])
        for h in group["hooks"]
        if "hook claude" in h["command"] or "claude_hooks" in h["command"]
    ]


def test_fresh_project_gets_both_files(tmp_path: Path) -> None:
    result = integrate_claude_code(tmp_path, launcher=TMWS)
    assert [(f.path, f.created, f.changed) for f in result.files] == [
        (".claude/settings.json", True, True),
        (".mcp.json", True, True),
    ]
    data = read(tmp_path / ".claude/settings.json")
    for claude_event, ours, matcher, timeout in HOOK_EVENTS:
        (group,) = data["hooks"][claude_event]
        assert group.get("matcher") == matcher
        assert group["hooks"] == [
            {"type": "command", "command": TMWS.hook_command(ours), "timeout": timeout}
        ]
    assert read(tmp_path / ".mcp.json") == {
        "mcpServers": {"tmws": {"command": "tmws", "args": ["serve"]}}
    }


def test_existing_settings_are_kept(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    existing = {
        "permissions": {"allow": ["Bash(git status)"]},
        "hooks": {
            "PostToolUse": [
                {"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh"}]}
            ],
            "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
        },
        "model": "opus",
    }
    (tmp_path / ".claude/settings.json").write_text(json.dumps(existing))
    (tmp_path / ".mcp.json").write_text(
        json.dumps({"mcpServers": {"other": {"command": "other-server", "env": {"A": "1"}}}})
    )
    integrate_claude_code(tmp_path, launcher=TMWS)
    data = read(tmp_path / ".claude/settings.json")
    assert data["permissions"] == existing["permissions"] and data["model"] == "opus"
    assert data["hooks"]["Stop"] == existing["hooks"]["Stop"]
    assert data["hooks"]["PostToolUse"][0] == existing["hooks"]["PostToolUse"][0]
    assert our_commands(data, "PostToolUse") == [TMWS.hook_command("post-tool-use")]
    servers = read(tmp_path / ".mcp.json")["mcpServers"]
    assert servers["other"] == {"command": "other-server", "env": {"A": "1"}}
    assert servers["tmws"] == {"command": "tmws", "args": ["serve"]}


def test_idempotent_and_updates_our_entries_in_place(tmp_path: Path) -> None:
    integrate_claude_code(tmp_path, launcher=TMWS)
    first = (tmp_path / ".claude/settings.json").read_bytes()
    again = integrate_claude_code(tmp_path, launcher=TMWS)
    assert not again.changed and again.diff() == ""
    assert (tmp_path / ".claude/settings.json").read_bytes() == first
    switched = integrate_claude_code(tmp_path, launcher=PYTHON)
    assert switched.changed
    data = read(tmp_path / ".claude/settings.json")
    for claude_event, ours, _matcher, _timeout in HOOK_EVENTS:
        assert our_commands(data, claude_event) == [PYTHON.hook_command(ours)]
    assert read(tmp_path / ".mcp.json")["mcpServers"]["tmws"] == {
        "command": "/opt/py/bin/python3",
        "args": ["-m", "hestai_tmws.mcpserver"],
    }


def test_duplicates_of_ours_are_collapsed(tmp_path: Path) -> None:
    ours = {"type": "command", "command": "tmws hook claude post-tool-use"}
    mine = {"type": "command", "command": "./mine.sh"}
    data = {
        "hooks": {
            "PostToolUse": [
                {"matcher": "*", "hooks": [ours]},
                {"matcher": "Bash", "hooks": [mine, dict(ours)]},
            ]
        }
    }
    merged = merge_hooks(data, TMWS)
    groups = merged["hooks"]["PostToolUse"]
    assert groups == [
        {
            "matcher": "*",
            "hooks": [{**ours, "command": TMWS.hook_command("post-tool-use"), "timeout": 10}],
        },
        {"matcher": "Bash", "hooks": [mine]},
    ]
    assert data["hooks"]["PostToolUse"][1]["hooks"] == [mine, ours]  # input untouched


def test_dry_run_shows_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / ".mcp.json").write_text('{"mcpServers": {}}\n')
    result = integrate_claude_code(tmp_path, dry_run=True, launcher=TMWS)
    assert result.dry_run and result.changed
    diff = result.diff()
    assert "--- /dev/null\n+++ b/.claude/settings.json" in diff
    assert "--- a/.mcp.json\n+++ b/.mcp.json" in diff
    assert '+      "command": "tmws",' in diff
    assert not (tmp_path / ".claude").exists()
    assert (tmp_path / ".mcp.json").read_text() == '{"mcpServers": {}}\n'


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        (".claude/settings.json", "{not json"),
        (".claude/settings.json", "[1, 2]"),
        (".claude/settings.json", '{"hooks": []}'),
        (".mcp.json", '{"mcpServers": "tmws"}'),
    ],
)
def test_broken_files_are_refused_not_overwritten(tmp_path: Path, rel: str, text: str) -> None:
    target = tmp_path / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    with pytest.raises(ValidationError) as info:
        integrate_claude_code(tmp_path, launcher=TMWS)
    assert rel in info.value.message and info.value.hint
    assert target.read_text() == text


def test_a_linked_settings_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude/settings.json").symlink_to(tmp_path / "real.json")
    with pytest.raises(ValidationError, match="symbolic link"):
        integrate_claude_code(tmp_path, launcher=TMWS)
    assert (tmp_path / "real.json").read_text() == "{}"


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
commands = st.sampled_from(["./a.sh", "echo hi", "tmws hook claude post-tool-use", "npx thing"])
hook_entries = st.fixed_dictionaries({"type": st.just("command"), "command": commands})
groups = st.fixed_dictionaries(
    {"hooks": st.lists(hook_entries, max_size=3)},
    optional={"matcher": st.sampled_from(["*", "Bash", "Edit|Write"])},
)
user_settings = st.fixed_dictionaries(
    {},
    optional={
        "hooks": st.dictionaries(
            st.sampled_from(["PreToolUse", "PostToolUse", "Stop", "SessionStart"]),
            st.lists(groups, max_size=3),
            max_size=4,
        ),
        "env": st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
        "other": json_scalars,
    },
)


@settings(max_examples=75)
@given(user_settings)
def test_merging_twice_is_merging_once_and_keeps_foreign_hooks(data: dict[str, Any]) -> None:
    once = merge_hooks(data, TMWS)
    assert merge_hooks(once, TMWS) == once
    for claude_event, ours, _matcher, _timeout in HOOK_EVENTS:
        assert our_commands(once, claude_event) == [TMWS.hook_command(ours)]
    foreign_before = [
        h["command"]
        for groups_ in data.get("hooks", {}).values()
        for g in groups_
        for h in g["hooks"]
        if "hook claude" not in h["command"]
    ]
    foreign_after = [
        h["command"]
        for groups_ in once["hooks"].values()
        for g in groups_
        for h in g["hooks"]
        if "hook claude" not in h["command"]
    ]
    assert sorted(foreign_after) == sorted(foreign_before)
    assert {k: v for k, v in once.items() if k != "hooks"} == {
        k: v for k, v in data.items() if k != "hooks"
    }


def test_merge_mcp_keeps_extra_keys_of_our_entry() -> None:
    merged = merge_mcp(
        {"mcpServers": {"tmws": {"command": "old", "env": {"TMWS_ROLE": "x"}}}}, TMWS
    )
    assert merged["mcpServers"]["tmws"] == {
        "command": "tmws",
        "env": {"TMWS_ROLE": "x"},
        "args": ["serve"],
    }


# -- issue 14: failures traced, graceful without tmws, local settings, allow-list, remove -----


def test_failed_tool_calls_have_their_hook(tmp_path: Path) -> None:
    integrate_claude_code(tmp_path, launcher=TMWS)
    data = read(tmp_path / ".claude/settings.json")
    assert our_commands(data, "PostToolUseFailure") == [TMWS.hook_command("post-tool-use-failure")]


def test_a_teammate_without_tmws_gets_one_line_and_exit_0(tmp_path: Path) -> None:
    command = TMWS.hook_command("post-tool-use")
    shell = shutil.which("sh") or "/bin/sh"
    env = {"PATH": str(tmp_path)}
    proc = subprocess.run([shell, "-c", command], env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr == "tmws is not installed; hook skipped\n"
    fake = tmp_path / "tmws"  # installed: the hook runs, its output and exit code pass through
    fake.write_text('#!/bin/sh\necho "ran $*"\nexit 3\n')
    fake.chmod(0o755)
    proc = subprocess.run([shell, "-c", command], env=env, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "ran hook claude post-tool-use\n", "")


def test_local_settings_and_the_allow_list(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / ".claude/settings.local.json").write_text(
        json.dumps({"permissions": {"allow": ["Bash(ls)"]}})
    )
    result = integrate_claude_code(tmp_path, launcher=TMWS, local=True, allow_tools=True)
    assert [f.path for f in result.files] == [".claude/settings.local.json", ".mcp.json"]
    assert not (tmp_path / ".claude/settings.json").exists()
    data = read(tmp_path / ".claude/settings.local.json")
    assert data["permissions"]["allow"] == ["Bash(ls)", "mcp__tmws__*"]
    again = integrate_claude_code(tmp_path, launcher=TMWS, local=True, allow_tools=True)
    assert not again.changed


def test_remove_takes_out_only_ours(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    mine = {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "notify-send"}]}]}}
    (tmp_path / ".claude/settings.json").write_text(json.dumps(mine))
    integrate_claude_code(tmp_path, launcher=TMWS, allow_tools=True)
    removed = integrate_claude_code(tmp_path, launcher=TMWS, remove=True)
    assert removed.changed
    assert read(tmp_path / ".claude/settings.json") == mine
    assert not (tmp_path / ".mcp.json").exists()  # it held only our server


# -- the fast entry: a recorded interpreter with -I ---------------------------------------------

FAST_TMWS = TMWS.model_copy(update={"fast_python": "/opt/fast/bin/python"})


def _fake(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_the_fast_probe_wants_an_installed_tmws(tmp_path: Path) -> None:
    assert fast_hook_python(str(tmp_path / "missing")) is None
    assert fast_hook_python(str(_fake(tmp_path / "py", "exit 1"))) is None
    ok = _fake(tmp_path / "good", '[ "$1" = -I ] && [ "$3" = "import ' + FAST_HOOK_MODULE + '" ]')
    assert fast_hook_python(str(ok)) == str(ok)
    assert Launcher.python(str(ok)).fast_python == str(ok)


def test_old_settings_are_upgraded_in_place(tmp_path: Path) -> None:
    integrate_claude_code(tmp_path, launcher=PYTHON)  # what earlier versions wrote
    integrate_claude_code(tmp_path, launcher=TMWS)
    fast = Launcher.python("/opt/py/bin/python3").model_copy(
        update={"fast_python": "/opt/py/bin/python3"}
    )
    assert integrate_claude_code(tmp_path, launcher=fast).changed
    data = read(tmp_path / ".claude/settings.json")
    for claude_event, ours, _, _ in HOOK_EVENTS:
        (group,) = data["hooks"][claude_event]
        assert [h["command"] for h in group["hooks"]] == [fast.hook_command(ours)]
        assert fast.hook_command(ours) == committed_command(ours)  # no path: the launcher's
        assert "/opt/py" not in fast.hook_command(ours)
    assert not integrate_claude_code(tmp_path, launcher=fast).changed
    assert integrate_claude_code(tmp_path, launcher=TMWS).changed  # and back again
    assert our_commands(read(tmp_path / ".claude/settings.json"), "PreToolUse") == [
        TMWS.hook_command("pre-tool-use")
    ]


def test_the_fast_line_falls_back_to_tmws_then_to_a_notice(tmp_path: Path) -> None:
    shell = shutil.which("sh") or "/bin/sh"
    command = FAST_TMWS.hook_command("post-tool-use")
    env = {"PATH": str(tmp_path / "bin")}
    proc = subprocess.run([shell, "-c", command], env=env, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "tmws is not installed; hook skipped\n"
    _fake(tmp_path / "bin" / "tmws", 'echo "tmws $*"; exit 3')
    proc = subprocess.run([shell, "-c", command], env=env, capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (3, "tmws hook claude post-tool-use\n")
    # with a launcher: tests/workflows/test_hook_launcher.py


def test_the_written_fast_line_runs_the_hook(tmp_path: Path, repo: Path) -> None:
    python = fast_hook_python(sys.executable)
    if python is None:
        pytest.skip("this interpreter has no installed hestai_tmws for -I")
    launcher = Launcher.python(python)
    integrate_claude_code(repo, launcher=launcher)  # writes this machine's launcher
    command = launcher.hook_command("pre-tool-use")
    payload = {"cwd": str(repo), "tool_name": "Write", "tool_input": {"file_path": ".hestai/x"}}
    shell = shutil.which("sh") or "/bin/sh"
    env = {"PATH": "/usr/bin:/bin", "CLAUDE_PROJECT_DIR": str(repo)}  # no tmws: the launcher ran
    proc = subprocess.run(
        [shell, "-c", command], input=json.dumps(payload), env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0 and proc.stderr == ""
    decision = json.loads(proc.stdout)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny"
