"""`run_doctor`: every check reports, broken set-ups fail with the command that fixes them."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.integrations.agents import integrate_agent
from hestai_tmws.integrations.claude.settings import Launcher
from hestai_tmws.project import Project
from hestai_tmws.workflows.doctor import DoctorReport, run_doctor


def _check(report: DoctorReport, name: str) -> tuple[str, str | None]:
    found = next(c for c in report.checks if c.name == name)
    return found.state, found.fix


def test_a_fresh_project_without_the_hook_fails_with_the_fix(ready: Project) -> None:
    report = run_doctor(ready)
    assert not report.ok
    assert _check(report, "git hook") == ("fail", "tmws hooks install")
    assert _check(report, "merge driver")[0] == "ok"  # tmws init registered it
    assert _check(report, "governance")[0] == "ok"
    assert _check(report, "Claude Code")[0] == "skip"


def test_with_the_hook_installed_every_check_passes(ready: Project) -> None:
    install_hook(ready)
    report = run_doctor(ready)
    assert [c.name for c in report.checks if c.state == "fail"] == []
    assert report.ok


def test_a_hand_edit_fails_the_ledger_check_with_adopt(ready: Project) -> None:
    path = ready.memory_path("context/project-context.oct.md")
    path.write_text(path.read_text() + "\n", encoding="utf-8")
    state, fix = _check(run_doctor(ready), "ledger")
    assert state == "fail" and fix is not None and fix.startswith("tmws adopt .hestai/")


def test_an_agent_setting_whose_program_is_gone_fails(ready: Project) -> None:
    config = {
        "mcpServers": {
            "tmws": {"command": "/nonexistent/python", "args": ["-m", "hestai_tmws.mcpserver"]}
        }
    }
    (ready.root / ".mcp.json").write_text(json.dumps(config), encoding="utf-8")
    state, fix = _check(run_doctor(ready), "Claude Code")
    assert state == "fail" and fix and "integrate claude-code" in fix


def test_governance_edits_fail(ready: Project) -> None:
    target = next(p for p in ready.hestai_sys.rglob("*.md") if p.is_file())
    target.chmod(0o644)
    target.write_text("changed", encoding="utf-8")
    assert _check(run_doctor(ready), "governance") == ("fail", "tmws inject")


def test_every_agent_integration_is_reported(
    ready: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claude Code, Codex, Gemini CLI and Cursor each get a line; an agent with a hook system
    but only the server registered is a warning."""
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex-home"))
    names = [c.name for c in run_doctor(ready).checks]
    assert {"Claude Code", "Codex", "Gemini CLI", "Cursor"} <= set(names)
    python = Launcher.python(sys.executable)
    integrate_agent("gemini", ready.root, launcher=python)
    integrate_agent("cursor", ready.root, launcher=python, hooks=False)
    integrate_agent("codex", ready.root, launcher=python)
    report = run_doctor(ready)
    assert _check(report, "Gemini CLI")[0] == "ok"
    assert _check(report, "Cursor") == ("warn", "tmws integrate cursor")
    assert _check(report, "Codex")[0] == "ok"  # no hooks to expect: its rollout is read


def test_a_gemini_hook_whose_program_is_gone_fails(ready: Project) -> None:
    integrate_agent("gemini", ready.root, launcher=Launcher.python("/nonexistent/python"))
    state, fix = _check(run_doctor(ready), "Gemini CLI")
    assert state == "fail" and fix == "tmws integrate gemini --launcher python"


def test_the_portable_claude_line_runs_through_the_launcher_or_tmws(
    ready: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committed line names no program: it runs when this clone's launcher is healthy,
    or else when `tmws` is on PATH."""
    from hestai_tmws.integrations.claude.settings import integrate_claude_code
    from hestai_tmws.workflows.hook_launcher import launcher_path

    python = tmp_path / "venv" / "python"
    python.parent.mkdir()
    python.write_text("#!/bin/sh\nexit 0\n")
    python.chmod(0o755)
    launcher = Launcher(
        hook_prefix=["tmws", "hook", "claude"],
        server_command=sys.executable,
        server_args=["-m", "hestai_tmws.mcpserver"],
        fast_python=str(python),
    )
    integrate_claude_code(ready.root, launcher=launcher)
    on_path: dict[str, str | None] = {"tmws": None}
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: on_path.get(name, real_which(name)))
    assert _check(run_doctor(ready), "Claude Code")[0] == "ok"
    python.unlink()  # the interpreter went away, and tmws is not on PATH
    assert _check(run_doctor(ready), "Claude Code")[0] == "fail"
    on_path["tmws"] = "/usr/local/bin/tmws"
    assert _check(run_doctor(ready), "Claude Code")[0] == "ok"
    path = launcher_path(ready.root)
    assert path is not None and path.exists()
