"""`tmws demo` is the README's main job: it must run the whole life cycle, step by step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hestai_tmws.demo.run import BASIC_STEPS, run_demo

EXPECTED_STEPS = [
    "init",
    "status",
    "settings",
    "hooks",
    "mcp-session",
    "more-sessions",
    "mine",
    "approve+promote",
    "suggest",
    "guard",
]


@pytest.mark.slow
def test_demo_runs_the_whole_life_cycle(tmp_path: Path) -> None:
    where = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.cli.app", "demo", "--dir", str(where), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True
    assert [s["name"] for s in report["steps"]] == EXPECTED_STEPS
    by_name = {s["name"]: s for s in report["steps"]}
    assert "anchor passed" in by_name["mcp-session"]["detail"]
    assert "6 MCP calls traced" in by_name["mcp-session"]["detail"]
    assert "VALIDATED" in by_name["mine"]["detail"]
    skill = by_name["approve+promote"]["files"][0]
    assert (where / skill).is_file()
    assert Path(skill).parent.name in by_name["suggest"]["detail"]
    assert "blocked by the pre-commit guard" in by_name["guard"]["detail"]
    # what a user finds afterwards: committed memory, three archives, the hook, no active session
    log = subprocess.run(
        ["git", "-C", str(where), "log", "--oneline"], capture_output=True, text=True, check=True
    ).stdout
    assert "demo: memory written by tmws" in log
    assert len(list((where / ".hestai/sessions/archive").glob("*.oct.md"))) == 4
    assert (where / ".git/hooks/pre-commit").is_file()
    assert not any((where / ".hestai/sessions/active").iterdir())
    status = subprocess.run(
        ["git", "-C", str(where), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == ""


def test_a_failing_step_stops_the_demo_and_is_reported(tmp_path: Path) -> None:
    def broken(project: object) -> tuple[str, list[str]]:
        raise RuntimeError("boom")

    seen: list[str] = []
    report = run_demo(
        tmp_path / "d",
        steps=[*BASIC_STEPS[:1], ("broken", broken), *BASIC_STEPS],
        on_step=lambda s: seen.append(s.name),
    )
    assert not report.ok
    assert seen == ["init", "broken"]
    assert report.steps[-1].detail == "RuntimeError: boom"
