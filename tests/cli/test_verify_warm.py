"""Warm `tmws verify`: the last clean report again, only while every input is unchanged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hestai_tmws.cli import verify_cmd, verify_warm
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import TEMP_PREFIX
from hestai_tmws.workflows import verify_cache
from hestai_tmws.workflows.init import init_project
from tests.cli.cli_support import tmws
from tests.conftest import git


@pytest.fixture
def committed(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An initialised project with its memory committed; plain output (no terminal)."""
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(project.root)
    return project


def warm(capsys: pytest.CaptureFixture[str], *args: str) -> str | None:
    """What the warm path prints for `tmws verify ARGS`, or None when it declines."""
    capsys.readouterr()
    served = verify_warm.serve(["verify", *args])
    out = capsys.readouterr().out
    return out if served else None


def cache_file(project: Project) -> Path:
    return project.cache_dir / verify_cache.CACHE_NAME


def test_a_clean_run_is_served_again_with_the_same_output(
    committed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert warm(capsys) is None  # no cache yet
    full = tmws(committed.root, "verify")
    assert full.exit_code == 0 and "verify ok" in full.stdout
    assert warm(capsys) == full.stdout
    full_json = tmws(committed.root, "verify", "--json")
    assert warm(capsys, "--json") == full_json.stdout
    assert json.loads(full_json.stdout)["ok"] is True


def test_a_hand_edit_after_a_warm_run_fails(
    committed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    tmws(committed.root, "verify")
    assert warm(capsys) is not None
    roadmap = committed.memory_path("context/project-roadmap.oct.md")
    roadmap.write_text(roadmap.read_text() + "// by hand\n")  # same file, one line more
    assert warm(capsys) is None
    git(committed.root, "commit", "-q", "--no-verify", "-am", "hand edit")
    assert warm(capsys) is None
    result = tmws(committed.root, "verify")
    assert result.exit_code == 1 and "NOT_FROM_TMWS" in result.stdout
    assert warm(capsys) is None  # a failing report is never kept


@pytest.mark.parametrize(
    "change",
    ["index", "settings", "untracked", "temp", "governance", "env", "head"],
)
def test_every_input_counts(
    committed: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    tmws(committed.root, "verify")
    assert warm(capsys) is not None
    root = committed.root
    if change == "index":
        git(root, "update-index", "--chmod=+x", ".hestai/context/project-roadmap.oct.md")
    elif change == "settings":
        (root / ".hestai-tmws.yaml").write_text("lock_timeout_seconds: 9\n")
    elif change == "untracked":
        (committed.hestai / "notes.txt").write_text("hello\n")
    elif change == "temp":
        active = committed.hestai / "sessions/active"
        active.mkdir(parents=True, exist_ok=True)
        (active / f"{TEMP_PREFIX}x.tmp").write_text("partial")
    elif change == "governance":
        target = next(p for p in committed.hestai_sys.rglob("*.oct.md"))
        target.chmod(0o644)
    elif change == "env":
        monkeypatch.setenv("TMWS_HUB", str(root))
    elif change == "head":
        git(root, "commit", "-q", "--allow-empty", "-m", "another")
    assert warm(capsys) is None


def test_active_session_state_is_not_an_input(
    committed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Traces of an open session change all the time; verify never reads them."""
    tmws(committed.root, "verify")
    active = committed.hestai / "sessions/active/abc"
    active.mkdir(parents=True)
    (active / "traces.jsonl").write_text("{}\n")
    assert warm(capsys) is not None


@pytest.mark.parametrize(
    "damage", ["garbage", "fingerprint", "outputs", "format", "mac", "types", "racy"]
)
def test_a_tampered_cache_is_ignored_and_rebuilt(
    committed: Project, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    tmws(committed.root, "verify")
    path = cache_file(committed)
    data = json.loads(path.read_text())
    entry = data["entries"][str(committed.root.resolve())]
    if damage == "garbage":
        path.write_text("{not json")
    else:
        if damage == "fingerprint":
            entry["fingerprint"] = "0" * 64
        elif damage == "outputs":
            entry["outputs"]["plain"] = "verify ok: forged\n"
        elif damage == "mac":
            entry["mac"] = "é" * 64  # not even ASCII
        elif damage == "types":
            entry["hubs"] = {"not": "a list"}
        elif damage == "racy":  # a later cutoff would let old files count by stat alone
            entry["racy_from"] += 10**18
        else:
            data["format"] = 999
        path.write_text(json.dumps(data))
    assert warm(capsys) is None
    assert tmws(committed.root, "verify").exit_code == 0
    assert warm(capsys) is not None  # rebuilt by the full run


def test_an_edit_with_a_forged_fingerprint_is_not_served(
    committed: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Re-fingerprinting the cache after a hand edit needs the ledger key's MAC as well."""
    tmws(committed.root, "verify")
    roadmap = committed.memory_path("context/project-roadmap.oct.md")
    roadmap.write_text(roadmap.read_text() + "// by hand\n")
    repo = verify_cache.Repo.find(str(committed.root))
    assert repo is not None
    path = cache_file(committed)
    data = json.loads(path.read_text())
    entry = data["entries"][repo.root]
    entry["fingerprint"] = verify_cache.fingerprint(repo, entry["hubs"], entry["racy_from"])
    path.write_text(json.dumps(data))
    assert warm(capsys) is None


def test_a_fresh_clone_has_no_cache_and_the_same_verdict(
    committed: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = tmws(committed.root, "verify")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(committed.root), str(clone))
    assert not (clone / ".git" / "hestai-tmws").exists()
    again = tmws(clone, "verify")
    assert again.exit_code == first.exit_code == 0
    assert again.stdout.splitlines()[-1] == first.stdout.splitlines()[-1]


def test_fix_since_and_signed_runs_keep_nothing(committed: Project) -> None:
    base = git(committed.root, "rev-parse", "HEAD").strip()
    tmws(committed.root, "verify", "--since", base)
    tmws(committed.root, "verify", "--fix")
    assert not cache_file(committed).exists()


def test_inputs_that_change_during_the_run_keep_nothing(
    committed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    prints = iter(["a" * 64, "b" * 64])
    monkeypatch.setattr(
        verify_cache, "fingerprint", lambda repo, hubs=(), racy_from=0: next(prints)
    )
    assert tmws(committed.root, "verify").exit_code == 0
    assert not cache_file(committed).exists()


def test_only_plain_verify_takes_the_warm_path(committed: Project) -> None:
    tmws(committed.root, "verify")
    assert not verify_warm.serve(["verify", "--fix"])
    assert not verify_warm.serve(["verify", "--since", "HEAD"])
    assert not verify_warm.serve(["status"])


def test_the_output_kind_follows_the_console(monkeypatch: pytest.MonkeyPatch) -> None:
    assert verify_warm.output_kind(as_json=True) == "json"
    monkeypatch.setenv("NO_COLOR", "1")
    assert verify_warm.output_kind(as_json=False) == "plain"
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert verify_warm.output_kind(as_json=False) is None


def test_the_terminal_rendering_has_the_colours_rich_prints(committed: Project) -> None:
    report = verify_cmd.verify_project(committed)
    rendered = verify_cmd._rendered(report, terminal=True)
    assert rendered.startswith("verify \x1b[32mok\x1b[0m: ")
    assert verify_cmd._rendered(report, terminal=False).startswith("verify ok: ")


def test_no_repository_or_no_commit_means_no_warm_path(tmp_path: Path) -> None:
    assert verify_cache.Repo.find(str(tmp_path)) is None
    git(tmp_path, "init", "-q")
    assert verify_cache.Repo.find(str(tmp_path)) is None


def test_the_temp_prefix_mirrors_the_stewards() -> None:
    assert verify_cache.TEMP_PREFIX == TEMP_PREFIX


def test_work_trees_of_one_clone_keep_separate_entries(
    committed: Project, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    git(committed.root, "worktree", "add", "-q", str(other))
    tmws(committed.root, "verify")
    shutil.copytree(committed.hestai_sys, other / ".hestai-sys", symlinks=True)
    tmws(other, "verify")
    data = json.loads(cache_file(committed).read_text())
    assert len(data["entries"]) == 2
    assert warm(capsys) is not None


def test_the_entry_point_serves_the_warm_run(committed: Project) -> None:
    """Through `app.main` as the console script calls it: same stdout and exit code, and the
    second run never builds the typer app."""
    code = (
        "import sys; from hestai_tmws.cli import app; "
        "app.build_app = lambda: sys.exit('typer loaded'); app.main(['verify'])"
    )
    full = tmws(committed.root, "verify")
    second = subprocess.run(
        [sys.executable, "-c", code], cwd=committed.root, capture_output=True, text=True
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout == full.stdout
