"""Writes, compare-and-swap, ledger records, staging and error handling of the Steward."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest

from hestai_tmws.errors import ConflictError, TmwsError, ValidationError
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward import atomic as atomic_mod
from hestai_tmws.steward.ledger import LedgerTamperedError
from hestai_tmws.steward.provenance import provenance_rel
from hestai_tmws.steward.steward import content_hash
from tests.conftest import git


def provenance_root() -> str:
    return f".hestai/{provenance_rel()}"


def steward_for(project: Project) -> Steward:
    return Steward(project, validate_secrets=False)


def test_write_records_git_blob_id(project: Project) -> None:
    steward = steward_for(project)
    result = steward.write_text("reports/a.json", '{"a": 1}\n')
    path = project.root / ".hestai/reports/a.json"
    assert path.read_text() == '{"a": 1}\n'
    expected = git(project.root, "hash-object", str(path)).strip()
    assert result.blob == expected
    assert result.created and result.changed
    index = steward.ledger.index()
    assert index.knows(".hestai/reports/a.json", expected)


def test_unchanged_write_is_not_ledgered_twice(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", "{}")
    again = steward.write_text("reports/a.json", "{}")
    assert not again.changed
    # one entry for the file, one for the provenance line that records it
    assert steward.ledger.index().entries == 2


def test_invalid_json_refused_and_nothing_written(project: Project) -> None:
    steward = steward_for(project)
    with pytest.raises(ValidationError):
        steward.write_text("reports/a.json", "{not json")
    assert not (project.hestai / "reports/a.json").exists()


def test_oversized_content_refused(project: Project) -> None:
    steward = Steward(project, validate_secrets=False, max_bytes=100)
    with pytest.raises(ValidationError, match="limit"):
        steward.write_text("reports/a.json", json.dumps("x" * 200))


def test_compare_and_swap(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", '"v1"')
    steward.write_text("reports/a.json", '"v2"', expect_sha256=content_hash('"v1"'))
    with pytest.raises(ConflictError) as info:
        steward.write_text("reports/a.json", '"v3"', expect_sha256=content_hash('"v1"'))
    assert info.value.current == '"v2"'
    assert info.value.current_hash == content_hash('"v2"')
    assert steward.read_text("reports/a.json") == '"v2"'


def test_cas_empty_hash_means_absent(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", '"v1"', expect_sha256="")
    with pytest.raises(ConflictError):
        steward.write_text("reports/a.json", '"v2"', expect_sha256="")


def test_transaction_stages_written_files(project: Project) -> None:
    steward = steward_for(project)
    with steward.transaction(stage=True):
        steward.write_text("reports/a.json", "1")
        steward.write_text("reports/b.json", "2")
    staged = git(project.root, "diff", "--cached", "--name-only").split()
    assert staged == [provenance_root(), ".hestai/reports/a.json", ".hestai/reports/b.json"]


def test_private_files_are_not_ledgered_or_staged(project: Project) -> None:
    steward = steward_for(project)
    with steward.transaction(stage=True):
        steward.write_text("sessions/active/abc/session.json", "{}")
        steward.append_private("sessions/active/abc/traces.jsonl", '{"t": 1}')
        steward.append_private("sessions/active/abc/traces.jsonl", '{"t": 2}')
    assert steward.ledger.index().entries == 0
    assert git(project.root, "diff", "--cached", "--name-only") == ""
    lines = (project.hestai / "sessions/active/abc/traces.jsonl").read_text().splitlines()
    assert lines == ['{"t": 1}', '{"t": 2}']


def test_append_private_only_under_active(project: Project) -> None:
    with pytest.raises(TmwsError):
        steward_for(project).append_private("reports/x.jsonl", "{}")


def test_delete_is_ledgered_and_prunes_folders(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("learning/patterns/p.json", "{}")
    assert steward.delete("learning/patterns/p.json")
    assert not (project.hestai / "learning").exists()
    assert steward.ledger.index().was_deleted(".hestai/learning/patterns/p.json")
    assert not steward.delete("learning/patterns/p.json")


def test_threads_lose_no_append(project: Project) -> None:
    steward = steward_for(project)

    def worker(n: int) -> None:
        for i in range(25):
            steward.append_jsonl("log.jsonl", [{"worker": n, "i": i}])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (project.hestai / "log.jsonl").read_text().splitlines()
    assert len(lines) == 200
    assert {(json.loads(x)["worker"], json.loads(x)["i"]) for x in lines} == {
        (n, i) for n in range(8) for i in range(25)
    }


def test_permission_error_is_one_clear_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only folder (simulated: tests run as root) gives a clear error, no partial file."""
    steward = steward_for(project)
    steward.write_text("reports/a.json", '"old"')

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("hestai_tmws.steward.steward.atomic_write_bytes", denied)
    with pytest.raises(TmwsError, match="permission denied"):
        steward.write_text("reports/a.json", '"new"')
    assert (project.hestai / "reports/a.json").read_text() == '"old"'


def test_failed_write_leaves_no_temp_file(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", '"old"')

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic_mod.os, "replace", boom)
    with pytest.raises(OSError):
        steward.write_text("reports/a.json", '"new"')
    names = sorted(p.name for p in (project.hestai / "reports").iterdir())
    assert names == ["a.json"]
    assert (project.hestai / "reports/a.json").read_text() == '"old"'


def test_ledger_detects_appended_line(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", "1")
    with project.ledger_path.open("a") as fh:
        fh.write(
            json.dumps(
                {
                    "path": ".hestai/reports/a.json",
                    "blob": "0" * 40,
                    "op": "write",
                    "ts": 1.0,
                    "actor": "me",
                    "reason": "",
                    "mac": "f" * 64,
                }
            )
            + "\n"
        )
    with pytest.raises(LedgerTamperedError, match="line 3"):  # 1-2: the write, its provenance
        steward.ledger.index()


def test_ledger_detects_edited_line(project: Project) -> None:
    steward = steward_for(project)
    steward.write_text("reports/a.json", "1")
    steward.write_text("reports/b.json", "2")
    text = project.ledger_path.read_text().replace("reports/a.json", "reports/c.json")
    project.ledger_path.write_text(text)
    with pytest.raises(LedgerTamperedError, match="line 1"):
        steward.ledger.index()


def test_ledger_lives_in_common_git_dir(project: Project) -> None:
    steward_for(project).write_text("reports/a.json", "1")
    assert project.ledger_path.is_relative_to(project.common_dir)
    assert not (project.root / ".hestai" / "ledger.jsonl").exists()
    assert (
        subprocess.run(
            ["git", "status", "--porcelain", "--ignored"],
            cwd=project.root,
            capture_output=True,
            text=True,
        ).stdout.count("ledger")
        == 0
    )


def test_worktree_shares_ledger_and_lock(repo: Path, tmp_path: Path) -> None:
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", str(wt), "-b", "side")
    main, side = Project.discover(repo), Project.discover(wt / "sub" if False else wt)
    assert side.root == wt.resolve() and side.common_dir == main.common_dir
    assert side.git_dir != main.git_dir
    assert side.lock_path == main.lock_path
    steward_for(side).write_text("reports/w.json", "1")
    assert (
        steward_for(main)
        .ledger.index()
        .knows(".hestai/reports/w.json", steward_for(side).ledger.read()[0].blob or "")
    )


def test_resolve_head_loose_packed_unborn_and_worktree(repo: Path, tmp_path: Path) -> None:
    from hestai_tmws.gitio import GitRepo, resolve_head

    expected = git(repo, "rev-parse", "HEAD").strip()
    g = GitRepo(repo)
    assert resolve_head(g.git_dir, g.common_dir) == expected
    git(repo, "pack-refs", "--all")
    assert not (g.common_dir / "refs/heads/main").exists()
    assert g.head_commit() == expected
    git(repo, "checkout", "-q", "--orphan", "unborn")
    assert g.head_commit() is None
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "--detach")
    assert g.head_commit() == expected
    wt = tmp_path / "wt2"
    git(repo, "worktree", "add", "-q", str(wt), "-b", "wt2")
    assert GitRepo(wt).head_commit() == expected
