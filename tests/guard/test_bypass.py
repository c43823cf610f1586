"""The bypass suite: every way of getting a hand edit into `.hestai/` through a real `git commit`.

Each case runs the installed hook (this venv's Python) in a real repository and must block.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from hestai_tmws.project import Project
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    Guarded,
    assert_blocked,
    context_doc,
    git,
    run,
    steward_write,
)


def test_direct_edit(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT, "edited by hand", f"tmws adopt {CONTEXT_ROOT}")


def test_direct_edit_with_commit_all(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    assert_blocked(guarded.commit("-a"), CONTEXT_ROOT)


def test_direct_edit_committed_by_path(guarded: Guarded) -> None:
    """`git commit PATH` commits through a temporary index: the hook must read that one."""
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    assert_blocked(guarded.commit("--", CONTEXT_ROOT), CONTEXT_ROOT)


def test_new_file(guarded: Guarded) -> None:
    new = ".hestai/context/project-roadmap.oct.md"
    guarded.path(new).write_text(context_doc().replace("PROJECT_CONTEXT", "PROJECT_ROADMAP"))
    git(guarded.root, "add", new)
    assert_blocked(guarded.commit(), new, "a new file the Steward did not write")


@pytest.mark.parametrize("name", ["notes.txt", "run.sh", "data.bin", "README", "x.oct.md.bak"])
def test_new_file_of_another_extension(guarded: Guarded, name: str) -> None:
    rel = f".hestai/{name}"
    guarded.path(rel).write_bytes(b"anything\n")
    git(guarded.root, "add", rel)
    assert_blocked(guarded.commit(), rel)


def test_deletion(guarded: Guarded) -> None:
    git(guarded.root, "rm", "-q", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT, "deleted by hand")


def test_rename(guarded: Guarded) -> None:
    git(guarded.root, "mv", CONTEXT_ROOT, ".hestai/context/project-roadmap.oct.md")
    assert_blocked(guarded.commit(), CONTEXT_ROOT, ".hestai/context/project-roadmap.oct.md")


def test_case_only_rename(guarded: Guarded) -> None:
    git(guarded.root, "mv", CONTEXT_ROOT, ".hestai/context/Project-Context.oct.md")
    assert_blocked(guarded.commit(), ".hestai/context/Project-Context.oct.md")


def test_case_variant_folder(guarded: Guarded) -> None:
    rel = ".HESTAI/context/project-context.oct.md"
    guarded.path(rel).parent.mkdir(parents=True)
    guarded.path(rel).write_text(context_doc(owner="me"))
    git(guarded.root, "add", rel)
    assert_blocked(guarded.commit(), rel, "only by case")


def test_chmod(guarded: Guarded) -> None:
    guarded.path(CONTEXT_ROOT).chmod(0o755)
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT, "mode 100755")


def test_chmod_in_index_only(guarded: Guarded) -> None:
    git(guarded.root, "update-index", "--chmod=+x", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT, "mode 100755")


def test_new_symlink(guarded: Guarded) -> None:
    link = guarded.path(".hestai/context/link.oct.md")
    link.symlink_to("project-context.oct.md")
    git(guarded.root, "add", ".hestai/context/link.oct.md")
    assert_blocked(guarded.commit(), ".hestai/context/link.oct.md", "symbolic link")


def test_steward_file_replaced_by_symlink(guarded: Guarded, tmp_path: Path) -> None:
    """A symlink whose target text happens to be a ledgered blob is still refused (mode 120000)."""
    outside = tmp_path / "elsewhere.oct.md"
    outside.write_text(context_doc(owner="me"))
    f = guarded.path(CONTEXT_ROOT)
    f.unlink()
    f.symlink_to(outside)
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT, "symbolic link")


def test_hestai_folder_replaced_by_symlink(guarded: Guarded, tmp_path: Path) -> None:
    git(guarded.root, "rm", "-q", "-r", "--cached", ".hestai")
    os.rename(guarded.root / ".hestai", tmp_path / "moved")
    (guarded.root / ".hestai").symlink_to(tmp_path / "moved")
    git(guarded.root, "add", ".hestai")
    assert_blocked(guarded.commit(), "must be a real folder")


def test_edit_then_revert_partially(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    original = f.read_text()
    f.write_text(original.replace("team", "me").replace("build", "ship"))
    git(guarded.root, "add", CONTEXT_ROOT)
    f.write_text(original.replace("team", "me"))  # half undone, and staged again
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)


def test_staged_edit_with_work_tree_reverted(guarded: Guarded) -> None:
    """The index is what gets committed: a clean work tree does not hide a staged hand edit."""
    f = guarded.path(CONTEXT_ROOT)
    original = f.read_text()
    f.write_text(original.replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    f.write_text(original)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)


def test_hand_edit_next_to_a_steward_write(guarded: Guarded) -> None:
    steward_write(
        guarded.project,
        "context/project-roadmap.oct.md",
        context_doc().replace("PROJECT_CONTEXT", "PROJECT_ROADMAP"),
    )
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    proc = guarded.commit()
    assert_blocked(proc, CONTEXT_ROOT)
    assert "project-roadmap" not in proc.stderr


def test_hand_edit_ledger_line(guarded: Guarded) -> None:
    ledger = guarded.project.ledger_path
    lines = ledger.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace('"actor":"steward"', '"actor":"someone"')
    ledger.write_text("".join(lines))
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), "ledger was edited by hand")


def test_forged_ledger_line(guarded: Guarded) -> None:
    """Appending a line that names the hand-edited blob breaks the MAC chain."""
    import json

    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    blob = git(guarded.root, "rev-parse", f":{CONTEXT_ROOT}").strip()
    forged = {
        "path": CONTEXT_ROOT,
        "blob": blob,
        "op": "write",
        "ts": 1.0,
        "actor": "steward",
        "reason": "",
        "mac": "0" * 64,
    }
    with guarded.project.ledger_path.open("a") as fh:
        fh.write(json.dumps(forged) + "\n")
    assert_blocked(guarded.commit(), "ledger")


def test_ledger_deleted(guarded: Guarded) -> None:
    guarded.project.ledger_path.unlink()
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)


def test_ledger_key_replaced(guarded: Guarded) -> None:
    guarded.project.ledger_key_path.write_bytes(b"k" * 32)
    steward_write(guarded.project, CONTEXT, context_doc(owner="someone"))  # even a real write
    assert_blocked(guarded.commit(), "ledger")


BYPASS_ENVS = [
    {"TMWS_SKIP_GUARD": "1"},
    {"SKIP": "tmws-guard"},
    {"HESTAI_BYPASS": "1"},
    {"TMWS_GUARD": "off", "TMWS_NO_VERIFY": "1", "TMWS_BYPASS": "1"},
    {"HESTAI_TMWS_SKIP": "1", "TMWS_DISABLE": "1"},
    {"PRE_COMMIT_ALLOW_NO_CONFIG": "1", "PRE_COMMIT": "0"},
    {"CI": "true", "GITHUB_ACTIONS": "true"},
    {"PYTHONSAFEPATH": "0", "PYTHONNOUSERSITE": "0", "PYTHONINSPECT": ""},
]


@pytest.mark.parametrize("env", BYPASS_ENVS, ids=lambda e: "+".join(sorted(e)))
def test_environment_variables_do_not_bypass(guarded: Guarded, env: dict[str, str]) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(env=env), CONTEXT_ROOT)


def test_tmws_project_pointing_elsewhere(guarded: Guarded, tmp_path: Path) -> None:
    """$TMWS_PROJECT names another repository whose ledger would accept anything: ignored."""
    from tests.conftest import make_repo

    other = make_repo(tmp_path / "other")
    other_project = Project.discover(other)
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    steward_write(other_project, CONTEXT, f.read_text())  # other's ledger knows the blob
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(env={"TMWS_PROJECT": str(other)}), CONTEXT_ROOT)


def _fake_package(root: Path) -> None:
    """A `hestai_tmws` whose guard always passes."""
    pkg = root / "hestai_tmws" / "guard"
    pkg.mkdir(parents=True)
    (root / "hestai_tmws" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text("raise SystemExit(0)\n")


def test_pythonpath_with_a_fake_guard(guarded: Guarded, tmp_path: Path) -> None:
    _fake_package(tmp_path / "fake")
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    env = {"PYTHONPATH": str(tmp_path / "fake"), "PYTHONSTARTUP": str(tmp_path / "x.py")}
    assert_blocked(guarded.commit(env=env), CONTEXT_ROOT)


def test_fake_guard_planted_in_the_work_tree(guarded: Guarded) -> None:
    """The hook runs in the work tree root; `-I` keeps a planted package off sys.path."""
    _fake_package(guarded.root)
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)


def test_tmws_on_path_cannot_replace_the_recorded_interpreter(
    guarded: Guarded, tmp_path: Path
) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    tmws = fake_bin / "tmws"
    tmws.write_text("#!/bin/sh\nexit 0\n")
    tmws.chmod(0o755)
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    env = {"PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}
    assert_blocked(guarded.commit(env=env), CONTEXT_ROOT)


def test_governance_layer_committed(guarded: Guarded) -> None:
    rel = ".hestai-sys/governance/rules/naming-standard.oct.md"
    guarded.path(rel).parent.mkdir(parents=True)
    guarded.path(rel).write_text("anything\n")
    git(guarded.root, "add", "-f", rel)
    assert_blocked(guarded.commit(), rel, "never committed", "git rm -r --cached -- .hestai-sys")


def test_active_session_committed(guarded: Guarded) -> None:
    from hestai_tmws.steward import Steward

    Steward(guarded.project).append_private("sessions/active/abc123abc123/traces.jsonl", "{}")
    rel = ".hestai/sessions/active/abc123abc123/traces.jsonl"
    git(guarded.root, "add", "-f", rel)
    assert_blocked(guarded.commit(), rel, "never committed")


def test_hand_edit_committed_from_a_worktree(guarded: Guarded, tmp_path: Path) -> None:
    wt = tmp_path / "wt"
    git(guarded.root, "worktree", "add", "-q", "-b", "side", str(wt))
    f = wt / CONTEXT_ROOT
    f.write_text(f.read_text().replace("team", "me"))
    git(wt, "add", CONTEXT_ROOT)
    assert_blocked(run(wt, "git", "commit", "-q", "-m", "x"), CONTEXT_ROOT)


def test_hand_edit_during_a_merge(guarded: Guarded) -> None:
    """A merge is open (MERGE_HEAD) and a file the merge does not touch is edited by hand."""
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(
        guarded.project,
        "context/project-roadmap.oct.md",
        context_doc().replace("PROJECT_CONTEXT", "PROJECT_ROADMAP"),
    )
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    proc = guarded.commit()
    assert_blocked(proc, CONTEXT_ROOT)
    assert "project-roadmap" not in proc.stderr


def test_hand_edit_of_a_merged_file_during_a_merge(guarded: Guarded) -> None:
    """The merge brings a new version of the file; a person tweaks it before committing."""
    git(guarded.root, "checkout", "-q", "-b", "side")
    steward_write(guarded.project, CONTEXT, context_doc(owner="team", risk="low"))
    git(guarded.root, "commit", "-q", "-m", "side")
    git(guarded.root, "checkout", "-q", "main")
    git(guarded.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("low", "high"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit(), CONTEXT_ROOT)


def test_hand_edit_on_amend(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit("--amend", "--no-edit"), CONTEXT_ROOT)


def test_hand_edit_while_a_rebase_is_stopped(guarded: Guarded) -> None:
    steward_write(guarded.project, CONTEXT, context_doc(owner="second"))
    git(guarded.root, "commit", "-q", "-m", "second")
    env = {"GIT_SEQUENCE_EDITOR": "sed -i -e 's/^pick/edit/'"}
    git(guarded.root, "rebase", "-q", "-i", "HEAD~1", env=env)
    assert (guarded.project.git_dir / "rebase-merge").is_dir()
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("second", "third"))
    git(guarded.root, "add", CONTEXT_ROOT)
    assert_blocked(guarded.commit("--amend", "--no-edit"), CONTEXT_ROOT)


def test_every_refusal_is_listed(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    guarded.path(".hestai/extra.md").write_text("x\n")
    guarded.path(".hestai-sys").mkdir()
    guarded.path(".hestai-sys/x.md").write_text("x\n")
    git(guarded.root, "add", "-f", CONTEXT_ROOT, ".hestai/extra.md", ".hestai-sys/x.md")
    proc = guarded.commit()
    assert_blocked(proc, CONTEXT_ROOT, ".hestai/extra.md", ".hestai-sys/x.md")
    assert "3 staged changes" in proc.stderr


def test_message_names_the_way_out(guarded: Guarded) -> None:
    f = guarded.path(CONTEXT_ROOT)
    f.write_text(f.read_text().replace("team", "me"))
    git(guarded.root, "add", CONTEXT_ROOT)
    proc = guarded.commit()
    expected = textwrap.dedent(
        f"""\
        tmws guard: commit blocked: 1 staged change under .hestai/ did not come from the Steward
          {CONTEXT_ROOT}: edited by hand"""
    )
    assert proc.stderr.startswith(expected), proc.stderr
    assert f'tmws adopt {CONTEXT_ROOT} --reason "' in proc.stderr
    assert f"git restore --staged --worktree -- {CONTEXT_ROOT}" in proc.stderr
    assert "no environment variable skips this check" in proc.stderr
