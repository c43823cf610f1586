"""`integrate codex|gemini|cursor` (issue 14): the user's own entries survive, a second run is
byte-identical, --dry-run writes nothing, and --remove takes everything of ours out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.agents import CODEX_REL, CURSOR_REL, GEMINI_REL, integrate_agent
from hestai_tmws.integrations.agents_md import AGENTS_MD, BEGIN, END
from hestai_tmws.integrations.claude.settings import Launcher

TMWS = Launcher(
    hook_prefix=["tmws", "hook", "claude"], server_command="tmws", server_args=["serve"]
)
CODEX_CONFIG = """\
# my Codex settings
model = "gpt-5.5"

[mcp_servers.docs]
command = "docs-server"  # keep me
args = ["--fast"]
"""
USER_AGENTS = "# Agents\n\nAlways run the tests.\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_codex_keeps_the_users_toml_and_agents_md(tmp_path: Path) -> None:
    (tmp_path / ".codex").mkdir()
    (tmp_path / CODEX_REL).write_text(CODEX_CONFIG)
    (tmp_path / AGENTS_MD).write_text(USER_AGENTS)
    before = snapshot(tmp_path)
    result = integrate_agent("codex", tmp_path, launcher=TMWS)
    assert [f.path for f in result.files if f.changed] == [CODEX_REL, AGENTS_MD]
    text = (tmp_path / CODEX_REL).read_text()
    assert text.startswith(CODEX_CONFIG) and "# keep me" in text
    config = tomlkit.parse(text).unwrap()
    assert config["mcp_servers"]["tmws"] == {"command": "tmws", "args": ["serve"]}
    assert config["mcp_servers"]["docs"] == {"command": "docs-server", "args": ["--fast"]}
    agents = (tmp_path / AGENTS_MD).read_text()
    assert agents.startswith(USER_AGENTS) and BEGIN in agents and END in agents
    after = snapshot(tmp_path)
    assert not integrate_agent("codex", tmp_path, launcher=TMWS).changed
    assert snapshot(tmp_path) == after  # byte-identical
    removed = integrate_agent("codex", tmp_path, remove=True)
    assert removed.changed and snapshot(tmp_path) == before


@pytest.mark.parametrize(("agent", "rel"), [("gemini", GEMINI_REL), ("cursor", CURSOR_REL)])
def test_json_configs_keep_the_users_servers(tmp_path: Path, agent: str, rel: str) -> None:
    (tmp_path / rel).parent.mkdir()
    users = {"theme": "dark", "mcpServers": {"mine": {"command": "mine", "env": {"K": "v"}}}}
    (tmp_path / rel).write_text(json.dumps(users, indent=4) + "\n")
    before = snapshot(tmp_path)
    dry = integrate_agent(agent, tmp_path, dry_run=True, launcher=TMWS)
    assert dry.changed and f"+++ b/{rel}" in dry.diff() and snapshot(tmp_path) == before
    integrate_agent(agent, tmp_path, launcher=TMWS)
    data = json.loads((tmp_path / rel).read_text())
    assert data["theme"] == "dark" and data["mcpServers"]["mine"] == users["mcpServers"]["mine"]
    assert data["mcpServers"]["tmws"]["command"] == "tmws"
    if agent == "cursor":
        assert data["mcpServers"]["tmws"]["args"] == ["serve", "--project", "${workspaceFolder}"]
    after = snapshot(tmp_path)
    assert not integrate_agent(agent, tmp_path, launcher=TMWS).changed
    assert snapshot(tmp_path) == after
    integrate_agent(agent, tmp_path, remove=True)
    assert json.loads((tmp_path / rel).read_text()) == users
    assert not (tmp_path / AGENTS_MD).exists()  # it held only our block


def test_broken_configs_are_refused_not_clobbered(tmp_path: Path) -> None:
    (tmp_path / ".gemini").mkdir()
    (tmp_path / GEMINI_REL).write_text("{not json")
    with pytest.raises(ValidationError, match="not valid JSON"):
        integrate_agent("gemini", tmp_path, launcher=TMWS)
    (tmp_path / ".codex").mkdir()
    (tmp_path / CODEX_REL).write_text("[[[")
    with pytest.raises(ValidationError, match="not valid TOML"):
        integrate_agent("codex", tmp_path, launcher=TMWS)
    assert (tmp_path / CODEX_REL).read_text() == "[[["


def test_codex_user_config_honours_codex_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "codex-home"
    monkeypatch.setenv("CODEX_HOME", str(home))
    project = tmp_path / "project"
    project.mkdir()
    integrate_agent("codex", project, user=True, launcher=TMWS)
    assert "[mcp_servers.tmws]" in (home / "config.toml").read_text()
    assert not (project / CODEX_REL).exists()
