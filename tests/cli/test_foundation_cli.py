"""The CLI faces of init, status, verify, inject: output, --json and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hestai_tmws import __version__
from hestai_tmws.cli.app import build_app
from hestai_tmws.layout import bundled_hub_version

runner = CliRunner()


def tmws(repo: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), ["-C", str(repo), *args])
    return result.exit_code, result.output


def test_version_fast_path() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.cli.app", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == f"tmws {__version__} (governance hub {bundled_hub_version()})"


def test_init_status_verify_json(repo: Path) -> None:
    code, out = tmws(repo, "init")
    assert code == 0 and "created" in out
    code, out = tmws(repo, "init")
    assert code == 0 and "kept" in out
    code, out = tmws(repo, "status", "--json")
    status = json.loads(out)
    assert (
        code == 0 and status["governance"]["intact"] and status["memory_files"] == 7
    )  # six documents and provenance
    code, out = tmws(repo, "verify", "--json")
    assert code == 0 and json.loads(out)["ok"]


def test_verify_exit_code_on_damage(repo: Path) -> None:
    tmws(repo, "init")
    (repo / ".hestai/context/project-roadmap.oct.md").write_text("not octave\n")
    code, out = tmws(repo, "verify")
    assert code == 1 and "OCTAVE_INVALID" in out


def test_outside_repo_is_one_clear_error(tmp_path: Path) -> None:
    code, out = tmws(tmp_path, "status")
    assert code == 1
    assert "not inside a git repository" in out
    assert "Traceback" not in out
