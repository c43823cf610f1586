"""`tmws hooks install|uninstall|status`: chaining, hooksPath, worktrees, failing closed."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.errors import ConflictError, ValidationError
from hestai_tmws.guard.hook_script import HOOK_TEMPLATE, render_hook
from hestai_tmws.guard.hooks_install import CHAINED_NAME, hook_status, install_hook, uninstall_hook
from hestai_tmws.project import Project
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    assert_blocked,
    assert_passed,
    context_doc,
    git,
    run,
    steward_write,
)
from tests.paths import REPO_ROOT


def _hooks(repo: Path) -> Path:
    return repo / ".git" / "hooks"


def _foreign(repo: Path, body: str) -> Path:
    hook = _hooks(repo) / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(f"#!/bin/sh\n{body}\n")
    hook.chmod(0o755)
    return hook


def _hand_edit(repo: Path) -> None:
    f = repo / CONTEXT_ROOT
    f.write_text(f.read_text().replace("team", "me"))
    git(repo, "add", CONTEXT_ROOT)


def _memory(project: Project) -> None:
    steward_write(project, CONTEXT, context_doc(owner="team"))
    git(project.root, "commit", "-q", "--no-verify", "-m", "memory")


def test_the_repository_hook_file_is_the_template() -> None:
    assert (REPO_ROOT / "hooks" / "pre-commit").read_text() == HOOK_TEMPLATE
    assert os.access(REPO_ROOT / "hooks" / "pre-commit", os.X_OK)


def test_install_fresh(project: Project) -> None:
    result = install_hook(project)
    hook = _hooks(project.root) / "pre-commit"
    assert result.action == "installed" and result.hook_path == str(hook)
    assert result.python == sys.executable and result.chained is None
    assert hook.read_text() == render_hook(sys.executable)
    assert hook.stat().st_mode & stat.S_IXUSR
    status = hook_status(project)
    assert status.installed and status.current and status.python_ok
    assert status.python == sys.executable and status.version == 1
    assert not status.foreign_hook and status.chained is None


def test_install_is_idempotent_and_refreshes(project: Project, tmp_path: Path) -> None:
    install_hook(project)
    assert install_hook(project).action == "unchanged"
    hook = _hooks(project.root) / "pre-commit"
    hook.write_text(hook.read_text().replace("TMWS_HOOK_VERSION=1", "TMWS_HOOK_VERSION=0"))
    assert not hook_status(project).current
    assert install_hook(project).action == "updated"
    assert hook_status(project).current


def test_existing_hook_is_chained_and_still_runs(project: Project) -> None:
    marker = project.root / "foreign-ran"
    original = _foreign(project.root, f"touch '{marker}'")
    before = original.read_bytes()
    result = install_hook(project)
    assert result.chained == str(_hooks(project.root) / CHAINED_NAME)
    assert hook_status(project).chained == result.chained
    steward_write(project, CONTEXT, context_doc())
    assert_passed(run(project.root, "git", "commit", "-q", "-m", "x"))
    assert marker.exists()
    # uninstall puts the original back, byte for byte and executable
    assert uninstall_hook(project).action == "restored"
    assert original.read_bytes() == before and os.access(original, os.X_OK)
    assert not (_hooks(project.root) / CHAINED_NAME).exists()


def test_failing_chained_hook_still_blocks(project: Project) -> None:
    _foreign(project.root, "echo 'lint failed' >&2; exit 1")
    install_hook(project)
    steward_write(project, CONTEXT, context_doc())  # the guard would pass this
    proc = run(project.root, "git", "commit", "-q", "-m", "x")
    assert proc.returncode != 0 and "lint failed" in proc.stderr


def test_chained_hook_runs_before_the_guard(project: Project) -> None:
    """A chained hook that stages a hand edit cannot sneak it past: the guard runs last."""
    _memory(project)
    _foreign(
        project.root,
        f"echo tweak >> '{project.root / '.hestai/notes.md'}'; git add .hestai/notes.md",
    )
    install_hook(project)
    (project.root / "other.txt").write_text("x\n")
    git(project.root, "add", "other.txt")
    assert_blocked(run(project.root, "git", "commit", "-q", "-m", "x"), ".hestai/notes.md")


def test_chained_slot_taken(project: Project) -> None:
    _foreign(project.root, "exit 0")
    (_hooks(project.root) / CHAINED_NAME).write_text("#!/bin/sh\n")
    with pytest.raises(ConflictError, match="already taken"):
        install_hook(project)


def test_uninstall_without_chained_and_when_absent(project: Project) -> None:
    install_hook(project)
    assert uninstall_hook(project).action == "removed"
    assert not (_hooks(project.root) / "pre-commit").exists()
    assert uninstall_hook(project).action == "not-installed"


def test_uninstall_leaves_a_foreign_hook_alone(project: Project) -> None:
    hook = _foreign(project.root, "exit 0")
    assert uninstall_hook(project).action == "not-installed"
    assert hook.exists()
    status = hook_status(project)
    assert status.foreign_hook and not status.installed


def test_core_hooks_path_is_honoured(project: Project) -> None:
    git(project.root, "config", "core.hooksPath", ".githooks")
    result = install_hook(project)
    assert result.hook_path == str(project.root / ".githooks" / "pre-commit")
    _memory(project)
    _hand_edit(project.root)
    assert_blocked(run(project.root, "git", "commit", "-q", "-m", "x"), CONTEXT_ROOT)


def test_install_from_a_worktree_guards_every_worktree(project: Project, tmp_path: Path) -> None:
    _memory(project)
    wt = tmp_path / "wt"
    git(project.root, "worktree", "add", "-q", "-b", "side", str(wt))
    result = install_hook(Project.discover(wt))
    assert result.hook_path == str(_hooks(project.root) / "pre-commit")
    for tree in (wt, project.root):
        _hand_edit(tree)
        assert_blocked(run(tree, "git", "commit", "-q", "-m", "x"), CONTEXT_ROOT)


def test_missing_interpreter_fails_closed(project: Project) -> None:
    install_hook(project)
    hook = _hooks(project.root) / "pre-commit"
    hook.write_text(render_hook("/nonexistent/python3"))
    status = hook_status(project)
    assert status.installed and not status.python_ok
    steward_write(project, CONTEXT, context_doc())
    proc = run(project.root, "git", "commit", "-q", "-m", "x")
    assert proc.returncode != 0
    assert "/nonexistent/python3" in proc.stderr and "is gone" in proc.stderr


def test_broken_interpreter_fails_closed(project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho boom >&2\nexit 7\n")
    broken.chmod(0o755)
    install_hook(project)
    (_hooks(project.root) / "pre-commit").write_text(render_hook(str(broken)))
    steward_write(project, CONTEXT, context_doc())
    proc = run(project.root, "git", "commit", "-q", "-m", "x")
    assert proc.returncode != 0 and "could not run (exit 7)" in proc.stderr


def test_template_without_interpreter_needs_tmws_on_path(project: Project) -> None:
    hook = _hooks(project.root) / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(HOOK_TEMPLATE)
    hook.chmod(0o755)
    steward_write(project, CONTEXT, context_doc())
    env = {"PATH": "/usr/bin:/bin"}
    proc = run(project.root, "git", "commit", "-q", "-m", "x", env=env)
    assert proc.returncode != 0 and "cannot find hestai-tmws" in proc.stderr
    # with tmws on PATH the template works as is
    venv_bin = str(Path(sys.executable).parent)
    assert_passed(
        run(
            project.root,
            "git",
            "commit",
            "-q",
            "-m",
            "x",
            env={"PATH": f"{venv_bin}:/usr/bin:/bin"},
        )
    )


def test_interpreter_given_by_name_is_recorded_as_a_path(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    result = install_hook(project, python=Path(sys.executable).name)
    assert result.python == sys.executable
    assert hook_status(project).python == sys.executable


def test_install_refuses_an_interpreter_without_hestai_tmws(
    project: Project, tmp_path: Path
) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(ValidationError, match="cannot import hestai_tmws"):
        install_hook(project, python=str(fake))
    assert not (_hooks(project.root) / "pre-commit").exists()


def test_interpreter_path_with_quotes(project: Project, tmp_path: Path) -> None:
    odd = tmp_path / "it's a dir"
    odd.mkdir()
    link = odd / "python"
    link.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    link.chmod(0o755)
    install_hook(project, python=str(link))
    assert hook_status(project).python == str(link)
    _memory(project)
    _hand_edit(project.root)
    assert_blocked(run(project.root, "git", "commit", "-q", "-m", "x"), CONTEXT_ROOT)


def test_cli_install_status_uninstall(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from hestai_tmws.cli.app import build_app

    monkeypatch.chdir(project.root)
    runner = CliRunner()
    app = build_app()
    out = runner.invoke(app, ["hooks", "status", "--json"])
    assert out.exit_code == 1 and json.loads(out.output)["installed"] is False
    out = runner.invoke(app, ["hooks", "install", "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["action"] == "installed"
    out = runner.invoke(app, ["hooks", "status"])
    assert out.exit_code == 0 and "installed, current" in out.output
    out = runner.invoke(app, ["hooks", "uninstall"])
    assert out.exit_code == 0 and "removed" in out.output


# -- the pre-commit framework ----------------------------------------------------------------------


def test_pre_commit_hooks_yaml_is_a_valid_manifest() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "tmws-guard"
    assert hook["entry"] == "tmws guard pre-commit"
    assert hook["language"] == "python"
    assert hook["always_run"] is True and hook["pass_filenames"] is False


def _framework_repo(project: Project) -> None:
    venv_bin = Path(sys.executable).parent
    (project.root / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: tmws-guard\n"
        "        name: tmws guard\n"
        f"        entry: {venv_bin / 'tmws'} guard pre-commit\n"
        "        language: system\n"
        "        always_run: true\n"
        "        pass_filenames: false\n"
    )
    git(project.root, "add", ".pre-commit-config.yaml")
    git(project.root, "commit", "-q", "-m", "pre-commit config")
    proc = run(project.root, str(venv_bin / "pre-commit"), "install")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_pre_commit_framework_runs_the_guard_offline(project: Project) -> None:
    _memory(project)
    _framework_repo(project)
    _hand_edit(project.root)
    proc = run(project.root, "git", "commit", "-q", "-m", "x")
    assert proc.returncode != 0
    assert "tmws guard" in proc.stdout + proc.stderr and CONTEXT_ROOT in proc.stdout + proc.stderr
    git(project.root, "checkout", "HEAD", "--", CONTEXT_ROOT)
    steward_write(project, CONTEXT, context_doc(owner="steward"))
    assert_passed(run(project.root, "git", "commit", "-q", "-m", "y"))


@pytest.mark.slow
def test_tmws_hook_chains_the_framework_hook(project: Project) -> None:
    """`SKIP=tmws-guard` skips the framework's copy, never the hook `tmws hooks install` put in."""
    _memory(project)
    _framework_repo(project)
    result = install_hook(project)
    assert result.chained is not None
    _hand_edit(project.root)
    proc = run(project.root, "git", "commit", "-q", "-m", "x", env={"SKIP": "tmws-guard"})
    assert_blocked(proc, CONTEXT_ROOT)


def test_merge_committed_by_git_runs_the_guard(project: Project) -> None:
    """git runs pre-merge-commit, not pre-commit, for a merge it commits itself."""
    marker = project.root / "guard-chain-ran"
    _foreign(project.root, f"touch '{marker}'")
    result = install_hook(project)
    assert result.merge_hook == str(_hooks(project.root) / "pre-merge-commit")
    _memory(project)
    marker.unlink(missing_ok=True)
    git(project.root, "checkout", "-q", "-b", "side")
    (project.root / "side.txt").write_text("side\n")
    git(project.root, "add", "side.txt")
    git(project.root, "commit", "-q", "--no-verify", "-m", "side")
    git(project.root, "checkout", "-q", "main")
    (project.root / "main.txt").write_text("main\n")
    git(project.root, "add", "main.txt")
    git(project.root, "commit", "-q", "--no-verify", "-m", "main")
    assert_passed(run(project.root, "git", "merge", "-q", "--no-edit", "side"))
    assert marker.exists()
    assert uninstall_hook(project).action == "restored"
    assert not (_hooks(project.root) / "pre-merge-commit").exists()


def test_foreign_pre_merge_commit_hook_is_left_alone(project: Project) -> None:
    foreign = _hooks(project.root) / "pre-merge-commit"
    foreign.parent.mkdir(parents=True, exist_ok=True)
    foreign.write_text("#!/bin/sh\nexit 0\n")
    result = install_hook(project)
    assert result.merge_hook is None and "another tool" in (result.merge_hook_note or "")
    assert foreign.read_text() == "#!/bin/sh\nexit 0\n"
