"""The hooks `integrate gemini|cursor` merges (issue 14): the user's own hooks and settings
survive, a second run is byte-identical, --dry-run writes nothing, --remove restores the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.agent_hook_config import (
    AGENT_HOOK_MODULE,
    CURSOR_HOOKS_REL,
    GEMINI_HOOK_EVENTS,
)
from hestai_tmws.integrations.agents import CURSOR_REL, GEMINI_REL, integrate_agent
from hestai_tmws.integrations.claude.settings import Launcher

TMWS = Launcher(
    hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
)
PYTHON = Launcher.python("/opt/venv/bin/python")
USER_GEMINI: dict[str, Any] = {
    "theme": "GitHub",
    "hooks": {
        "BeforeTool": [
            {
                "matcher": "write_file|replace",
                "hooks": [{"type": "command", "command": "./lint.sh"}],
            }
        ],
        "AfterTool": [
            {"matcher": "run_shell_command", "hooks": [{"type": "command", "command": "./log.sh"}]}
        ],
    },
    "mcpServers": {"docs": {"command": "docs-server"}},
}
USER_CURSOR: dict[str, Any] = {
    "version": 1,
    "hooks": {
        "afterFileEdit": [{"command": "./format.sh"}],
        "beforeShellExecution": [{"command": "./guard.sh"}],
    },
}


def write(root: Path, rel: str, data: dict[str, Any]) -> bytes:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path.read_bytes()


def commands(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["command"]] if isinstance(node.get("command"), str) else []
        return own + [c for value in node.values() for c in commands(value)]
    if isinstance(node, list):
        return [c for value in node for c in commands(value)]
    return []


def test_gemini_hooks_join_the_users_own(tmp_path: Path) -> None:
    before = write(tmp_path, GEMINI_REL, USER_GEMINI)
    dry = integrate_agent("gemini", tmp_path, dry_run=True, launcher=TMWS)
    assert "tmws hook gemini after-tool" in dry.diff()
    assert (tmp_path / GEMINI_REL).read_bytes() == before  # a dry run writes nothing
    integrate_agent("gemini", tmp_path, launcher=TMWS)
    settings = json.loads((tmp_path / GEMINI_REL).read_text())
    assert settings["theme"] == "GitHub" and "docs" in settings["mcpServers"]
    hooks = settings["hooks"]
    assert hooks["BeforeTool"][0] == USER_GEMINI["hooks"]["BeforeTool"][0]
    assert hooks["BeforeTool"][1]["matcher"] == "write_file|replace"  # ours: a group apart
    assert hooks["AfterTool"][0] == USER_GEMINI["hooks"]["AfterTool"][0]
    (ours,) = hooks["AfterTool"][1:]
    assert ours["matcher"] == "*" and ours["hooks"][0]["timeout"] == 10_000
    assert all(event in hooks for event, *_ in GEMINI_HOOK_EVENTS)
    after = (tmp_path / GEMINI_REL).read_bytes()
    assert not integrate_agent("gemini", tmp_path, launcher=TMWS).changed
    assert (tmp_path / GEMINI_REL).read_bytes() == after  # idempotent, byte for byte
    integrate_agent("gemini", tmp_path, remove=True, launcher=TMWS)
    assert (tmp_path / GEMINI_REL).read_bytes() == before


def test_a_new_launcher_replaces_our_hooks_in_place(tmp_path: Path) -> None:
    write(tmp_path, GEMINI_REL, USER_GEMINI)
    integrate_agent("gemini", tmp_path, launcher=TMWS)
    integrate_agent("gemini", tmp_path, launcher=PYTHON)
    found = commands(json.loads((tmp_path / GEMINI_REL).read_text())["hooks"])
    ours = [c for c in found if AGENT_HOOK_MODULE in c]
    assert len(ours) == len(GEMINI_HOOK_EVENTS)
    assert not [c for c in found if "tmws hook gemini" in c]  # no stale copy left behind
    assert "./lint.sh" in found and "./log.sh" in found


def test_cursor_hooks_join_the_users_own(tmp_path: Path) -> None:
    before = write(tmp_path, CURSOR_HOOKS_REL, USER_CURSOR)
    result = integrate_agent("cursor", tmp_path, launcher=TMWS)
    assert {f.path for f in result.files if f.changed} == {
        CURSOR_REL,
        CURSOR_HOOKS_REL,
        "AGENTS.md",
    }
    config = json.loads((tmp_path / CURSOR_HOOKS_REL).read_text())
    assert config["version"] == 1
    assert config["hooks"]["beforeShellExecution"] == [{"command": "./guard.sh"}]
    edit = config["hooks"]["afterFileEdit"]
    assert (
        edit[0] == {"command": "./format.sh"}
        and "tmws hook cursor after-file-edit" in (edit[1]["command"])
    )
    assert "tmws hook cursor after-shell-execution" in commands(config)[-1]
    after = (tmp_path / CURSOR_HOOKS_REL).read_bytes()
    assert not integrate_agent("cursor", tmp_path, launcher=TMWS).changed
    assert (tmp_path / CURSOR_HOOKS_REL).read_bytes() == after
    integrate_agent("cursor", tmp_path, remove=True, launcher=TMWS)
    assert (tmp_path / CURSOR_HOOKS_REL).read_bytes() == before


def test_a_cursor_hooks_file_of_our_own_is_removed_whole(tmp_path: Path) -> None:
    integrate_agent("cursor", tmp_path, launcher=TMWS)
    assert json.loads((tmp_path / CURSOR_HOOKS_REL).read_text())["version"] == 1
    integrate_agent("cursor", tmp_path, remove=True, launcher=TMWS)
    assert not (tmp_path / CURSOR_HOOKS_REL).exists() and not (tmp_path / CURSOR_REL).exists()


@pytest.mark.parametrize("agent", ["gemini", "cursor"])
def test_no_hooks_registers_only_the_server(tmp_path: Path, agent: str) -> None:
    integrate_agent(agent, tmp_path, launcher=TMWS, hooks=False)
    assert not (tmp_path / CURSOR_HOOKS_REL).exists()
    if agent == "gemini":
        assert set(json.loads((tmp_path / GEMINI_REL).read_text())) == {"mcpServers"}


def test_a_cursor_event_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    before = write(tmp_path, CURSOR_HOOKS_REL, {"version": 1, "hooks": {"afterFileEdit": "x"}})
    with pytest.raises(ValidationError, match="afterFileEdit"):
        integrate_agent("cursor", tmp_path, launcher=TMWS)
    assert (tmp_path / CURSOR_HOOKS_REL).read_bytes() == before


def test_gemini_hooks_that_are_not_an_object_are_refused(tmp_path: Path) -> None:
    write(tmp_path, GEMINI_REL, {"hooks": ["not", "an", "object"]})
    with pytest.raises(ValidationError, match="hooks"):
        integrate_agent("gemini", tmp_path, launcher=TMWS)
