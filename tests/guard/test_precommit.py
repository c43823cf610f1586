"""The guard's core check, its fast entry and its CLI face (without going through `git commit`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.gitio import StagedChange, blob_id
from hestai_tmws.guard.precommit import EXIT_BLOCKED, EXIT_OK, check_staged, hook_main, locate
from hestai_tmws.project import Project
from tests.guard.support import CONTEXT, CONTEXT_ROOT, context_doc, git, steward_write

Z = "0" * 40


@pytest.fixture
def written(project: Project) -> tuple[Project, str]:
    """A project whose ledger knows one blob of the context document."""
    text = context_doc()
    steward_write(project, CONTEXT, text)
    return project, blob_id(text.encode())


def change(
    status: str,
    path: str,
    new: str = Z,
    *,
    old: str = Z,
    mode: str = "100644",
    old_mode: str = "100644",
    old_path: str | None = None,
) -> StagedChange:
    return StagedChange(status, old_mode, mode, old, new, path, old_path)


def test_paths_outside_memory_are_ignored(project: Project) -> None:
    report = check_staged(
        project, [change("A", "src/x.py", "1" * 40), change("A", ".hestaix/y", "2" * 40)]
    )
    assert report.ok and report.checked == 0


def test_known_blob_passes_unknown_blocks(written: tuple[Project, str]) -> None:
    project, blob = written
    assert check_staged(project, [change("M", CONTEXT_ROOT, blob)]).ok
    report = check_staged(project, [change("M", CONTEXT_ROOT, "f" * 40)])
    assert [v.code for v in report.violations] == ["HAND_EDIT"]


def test_rename_checks_both_sides(written: tuple[Project, str]) -> None:
    project, blob = written
    moved = ".hestai/context/project-roadmap.oct.md"
    report = check_staged(project, [change("R", moved, blob, old=blob, old_path=CONTEXT_ROOT)])
    assert sorted(v.code for v in report.violations) == ["DELETED", "NEW_FILE"]
    assert report.checked == 2


def test_copy_checks_the_new_path(written: tuple[Project, str]) -> None:
    project, blob = written
    copied = ".hestai/context/project-roadmap.oct.md"
    report = check_staged(project, [change("C", copied, blob, old=blob, old_path=CONTEXT_ROOT)])
    assert [(v.code, v.path) for v in report.violations] == [("NEW_FILE", copied)]


@pytest.mark.parametrize(
    ("mode", "code"),
    [("100755", "MODE"), ("120000", "SYMLINK"), ("160000", "SUBMODULE"), ("100664", "MODE")],
)
def test_modes(written: tuple[Project, str], mode: str, code: str) -> None:
    project, blob = written
    report = check_staged(project, [change("M", CONTEXT_ROOT, blob, old=blob, mode=mode)])
    assert [v.code for v in report.violations] == [code]


def test_mode_normalised_to_100644_passes_without_ledger(project: Project) -> None:
    ch = change("M", ".hestai/x.md", "a" * 40, old="a" * 40, old_mode="100755")
    assert check_staged(project, [ch]).ok


def test_type_change_needs_the_ledger(project: Project) -> None:
    ch = change("T", ".hestai/x.md", "a" * 40, old="a" * 40, old_mode="120000")
    assert [v.code for v in check_staged(project, [ch]).violations] == ["HAND_EDIT"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (".hestai-sys/agents/a.oct.md", "SYSTEM_LAYER"),
        (".hestai/sessions/active/abc/session.json", "ACTIVE_SESSION"),
        (".Hestai/x.oct.md", "CASE_VARIANT"),
        (".HESTAI-SYS/x", "CASE_VARIANT"),
        (".hestai", "NOT_A_FOLDER"),
    ],
)
def test_structural_refusals(project: Project, path: str, code: str) -> None:
    report = check_staged(project, [change("A", path, "1" * 40)])
    assert [v.code for v in report.violations] == [code]


@pytest.mark.parametrize(
    "path", [".hestai-sys/agents/a.oct.md", ".hestai/sessions/active/abc/session.json", ".Hestai/x"]
)
def test_removing_forbidden_content_from_git_passes(project: Project, path: str) -> None:
    assert check_staged(project, [change("D", path, old="1" * 40, mode="000000")]).ok


def test_unmerged_entry(project: Project) -> None:
    report = check_staged(project, [change("U", CONTEXT_ROOT, mode="000000", old_mode="000000")])
    assert [v.code for v in report.violations] == ["UNMERGED"]


def test_deletion_needs_a_steward_delete(written: tuple[Project, str]) -> None:
    from hestai_tmws.steward import Steward

    project, blob = written
    deletion = change("D", CONTEXT_ROOT, old=blob, mode="000000")
    assert [v.code for v in check_staged(project, [deletion]).violations] == ["DELETED"]
    Steward(project).delete(CONTEXT)
    assert check_staged(project, [deletion]).ok


def test_tampered_ledger_is_one_violation(written: tuple[Project, str]) -> None:
    project, blob = written
    project.ledger_path.write_text(project.ledger_path.read_text().replace('"write"', '"adopt"'))
    report = check_staged(project, [change("M", CONTEXT_ROOT, blob)])
    (v,) = report.violations
    assert v.code == "LEDGER_TAMPERED" and "edited by hand" in v.problem and v.remedy


def test_report_render_lists_each_violation(written: tuple[Project, str]) -> None:
    project, _ = written
    report = check_staged(
        project, [change("M", CONTEXT_ROOT, "f" * 40), change("A", ".hestai-sys/x", "1" * 40)]
    )
    text = report.render()
    assert text.startswith("tmws guard: commit blocked: 2 staged changes")
    assert text.count("      fix: ") == 2
    assert check_staged(project, []).render() == ""


def test_locate_ignores_tmws_project(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMWS_PROJECT", str(tmp_path))
    found = locate(project.root / ".git" / "..")
    assert found.root == project.root and found.common_dir == project.common_dir


def test_hook_main_exit_codes(
    written: tuple[Project, str], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = written
    assert hook_main(project.root) == EXIT_OK
    git(project.root, "commit", "-q", "--no-verify", "-m", "x")
    f = project.root / CONTEXT_ROOT
    f.write_text(f.read_text() + "// hand\n")
    git(project.root, "add", CONTEXT_ROOT)
    assert hook_main(project.root) == EXIT_BLOCKED
    assert CONTEXT_ROOT in capsys.readouterr().err


def test_hook_main_outside_a_repository_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hook_main(tmp_path) == EXIT_BLOCKED
    assert "blocked until the check can run" in capsys.readouterr().err


def test_fast_entry_module(written: tuple[Project, str]) -> None:
    project, _ = written
    ok = subprocess.run(
        [sys.executable, "-I", "-m", "hestai_tmws.guard", "pre-commit"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-I", "-m", "hestai_tmws.guard", "nonsense"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_refusal_path_imports_no_heavy_libraries(written: tuple[Project, str]) -> None:
    """Even the full check (a refusal, with its message) stays off pydantic, gitpython, typer."""
    project, _ = written
    git(project.root, "commit", "-q", "--no-verify", "-m", "x")
    f = project.root / CONTEXT_ROOT
    f.write_text(f.read_text() + "// hand\n")
    git(project.root, "add", CONTEXT_ROOT)
    code = (
        "import json, sys\n"
        "from hestai_tmws.guard.__main__ import main\n"
        "rc = main(['pre-commit'])\n"
        "print(json.dumps([rc, sorted(m.split('.')[0] for m in sys.modules)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=project.root, capture_output=True, text=True
    )
    rc, modules = json.loads(out.stdout)
    assert rc == EXIT_BLOCKED and CONTEXT_ROOT in out.stderr
    assert not {"pydantic", "git", "typer", "rich", "watchfiles", "filelock"} & set(modules)


def test_cli_guard_pre_commit(
    written: tuple[Project, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.cli.app import build_app

    project, _ = written
    monkeypatch.chdir(project.root)
    runner = CliRunner()
    ok = runner.invoke(build_app(), ["guard", "pre-commit", "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["ok"] is True and data["checked"] == 2  # the file and its provenance
    f = project.root / CONTEXT_ROOT
    f.write_text(f.read_text() + "// hand\n")
    git(project.root, "add", CONTEXT_ROOT)
    blocked = runner.invoke(build_app(), ["guard", "pre-commit", "--json"])
    assert blocked.exit_code == 3
    assert json.loads(blocked.stdout)["violations"][0]["code"] == "NEW_FILE"  # not in HEAD yet
