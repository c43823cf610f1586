"""The CLI faces: `tmws integrate claude-code`, `tmws hook claude <event>`, `tmws serve --help`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app

runner = CliRunner()


def tmws(repo: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(build_app(), ["-C", str(repo), *args], input=stdin)
    return result.exit_code, result.output


def test_integrate_dry_run_then_write_then_nothing_to_do(repo: Path) -> None:
    code, out = tmws(repo, "integrate", "claude-code", "--dry-run", "--launcher", "tmws")
    assert code == 0
    assert "+++ b/.claude/settings.json" in out and "+++ b/.mcp.json" in out
    assert not (repo / ".claude").exists() and not (repo / ".mcp.json").exists()
    code, out = tmws(repo, "integrate", "claude-code", "--launcher", "tmws")
    assert code == 0
    assert "created   .claude/settings.json" in out and "created   .mcp.json" in out
    code, out = tmws(repo, "integrate", "claude-code", "--launcher", "tmws", "--dry-run")
    assert (code, out) == (0, "nothing to change\n")
    code, out = tmws(repo, "integrate", "claude-code", "--launcher", "tmws", "--json")
    data = json.loads(out)
    assert code == 0 and data["dry_run"] is False
    assert [f["changed"] for f in data["files"]] == [False, False]


def test_integrate_python_launcher_points_at_this_interpreter(repo: Path) -> None:
    import sys

    code, _ = tmws(repo, "integrate", "claude-code", "--launcher", "python")
    assert code == 0
    server = json.loads((repo / ".mcp.json").read_text())["mcpServers"]["tmws"]
    assert server == {"command": sys.executable, "args": ["-m", "hestai_tmws.mcpserver"]}


def test_integrate_refuses_a_broken_settings_file(repo: Path) -> None:
    (repo / ".claude").mkdir()
    (repo / ".claude/settings.json").write_text("{oops")
    code, out = tmws(repo, "integrate", "claude-code", "--launcher", "tmws")
    assert code == 1
    assert "not valid JSON" in out and "hint:" in out


def test_hook_command_denies_and_allows(repo: Path) -> None:
    payload = {
        "tool_name": "Write",
        "tool_input": {"file_path": ".hestai-sys/x.md"},
        "cwd": str(repo),
    }
    code, out = tmws(repo, "hook", "claude", "pre-tool-use", stdin=json.dumps(payload))
    assert code == 0
    assert json.loads(out)["hookSpecificOutput"]["permissionDecision"] == "deny"
    payload["tool_input"] = {"file_path": "README.md"}
    code, out = tmws(repo, "hook", "claude", "pre-tool-use", stdin=json.dumps(payload))
    assert (code, out) == (0, "")
    code, out = tmws(repo, "hook", "claude", "session-end", stdin="garbage")
    assert code == 0


def test_serve_has_help(repo: Path) -> None:
    code, out = tmws(repo, "serve", "--help")
    assert code == 0 and "stdio" in out


def test_integrate_gemini_writes_hooks_unless_told_not_to(repo: Path) -> None:
    code, out = tmws(repo, "integrate", "gemini", "--launcher", "tmws", "--no-hooks", "--dry-run")
    assert code == 0 and "tmws hook gemini" not in out and "+++ b/.gemini/settings.json" in out
    code, out = tmws(repo, "integrate", "gemini", "--launcher", "tmws")
    settings = json.loads((repo / ".gemini" / "settings.json").read_text())
    assert code == 0 and set(settings["hooks"]) >= {"SessionStart", "AfterTool", "SessionEnd"}
    code, out = tmws(repo, "integrate", "cursor", "--launcher", "tmws")
    assert code == 0 and "created   .cursor/hooks.json" in out
