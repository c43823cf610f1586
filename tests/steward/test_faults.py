"""Fault injection: a full disk, a read-only mount, a file where a folder belongs, short writes,
torn tails. Each gives a clear error naming the path and leaves nothing half written."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import EnvironmentFault, environment_fault
from hestai_tmws.gitio import blob_id
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward import atomic as atomic_mod
from hestai_tmws.steward.atomic import TEMP_PREFIX, append_whole_lines
from hestai_tmws.steward.ledger import Ledger, LedgerEntry
from hestai_tmws.steward.provenance import parse_text
from tests.conftest import git


def _mount(target: Path, *options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return proc.returncode == 0


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs holding a fresh repository; skipped where mounting is not permitted."""
    mnt = tmp_path / "fs"
    if not _mount(mnt, "size=512k"):
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        repo = mnt / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "--template=", "-b", "main")
        yield repo
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(folder: Path) -> None:
    """Take every free byte of the file system that holds `folder`."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def _leftovers(project: Project) -> list[Path]:
    return list(project.hestai.rglob(f"{TEMP_PREFIX}*"))


def test_full_disk_names_the_path_and_leaves_the_old_file(small_fs: Path) -> None:
    project = Project.discover(small_fs)
    steward = Steward(project, validate_secrets=False)
    steward.write_text("reports/a.json", '{"v": 1}')
    _fill(small_fs)
    with pytest.raises(EnvironmentFault) as info:
        steward.write_text("reports/a.json", '{"v": "' + "x" * 200_000 + '"}')
    assert ".hestai/reports/a.json" in info.value.message or "reports" in info.value.message
    assert "no space left" in info.value.message and info.value.exit_code == 1
    assert (project.hestai / "reports/a.json").read_text() == '{"v": 1}'
    assert _leftovers(project) == []
    (small_fs / "filler").unlink()
    steward.write_text("reports/a.json", '{"v": 2}')  # nothing was poisoned
    steward.ledger.read()
    for file in (project.hestai / "provenance").glob("*.jsonl"):
        assert parse_text(file.read_text())[1] == []


def test_read_only_mount_names_the_path(tmp_path: Path) -> None:
    mnt = tmp_path / "ro"
    if not _mount(mnt, "size=1m"):
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        repo = mnt / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "--template=", "-b", "main")
        project = Project.discover(repo)
        steward = Steward(project, validate_secrets=False)
        steward.write_text("reports/a.json", "1")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=False)
        if remount.returncode != 0:
            pytest.skip("remounting read-only is not permitted here")
        with pytest.raises(EnvironmentFault) as info:
            steward.write_text("reports/a.json", "2")
        assert "read-only" in info.value.message
        assert (project.hestai / "reports/a.json").read_text() == "1"
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_file_where_the_archive_folder_belongs(project: Project) -> None:
    (project.hestai / "sessions").mkdir(parents=True)
    (project.hestai / "sessions/archive").write_text("not a folder\n")
    steward = Steward(project, validate_secrets=False)
    with pytest.raises(EnvironmentFault) as info:
        steward.write_text("sessions/archive/x.json", "{}")
    assert "sessions/archive" in info.value.message and "folder" in info.value.message
    assert (project.hestai / "sessions/archive").read_text() == "not a folder\n"


@given(st.sampled_from([errno.ENOSPC, errno.EROFS, errno.EACCES, errno.ENOTDIR, errno.EDQUOT]))
def test_environment_errors_name_the_path(code: int) -> None:
    fault = environment_fault(OSError(code, os.strerror(code), "/p/.hestai/x"))
    assert fault is not None and "/p/.hestai/x" in fault.message and fault.hint
    assert environment_fault(OSError(errno.EBADF, "bad")) is None  # a bug stays a bug


def test_short_writes_are_continued(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def one_byte(fd: int, data: bytes | memoryview) -> int:
        return real_write(fd, bytes(data[:1]))

    monkeypatch.setattr(atomic_mod.os, "write", one_byte)
    ledger = Ledger(project.ledger_path, project.ledger_key_path)
    ledger.append([LedgerEntry(".hestai/a", "a" * 40, "write", 1.0)])
    monkeypatch.undo()
    assert [e.path for e in ledger.read()] == [".hestai/a"]


def test_a_failed_append_is_cut_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "log.jsonl"
    target.write_bytes(b'{"a":1}\n')
    real_write = os.write
    calls = {"n": 0}

    def fail_second(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "full")
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(atomic_mod.os, "write", fail_second)
    with pytest.raises(OSError):
        append_whole_lines(target, b'{"b":2}\n')
    monkeypatch.undo()
    assert target.read_bytes() == b'{"a":1}\n'


@settings(max_examples=30)
@given(st.binary(max_size=200).filter(lambda b: b"\n" not in b))
def test_a_torn_tail_is_cut_before_the_next_append(tmp_path_factory: object, torn: bytes) -> None:
    folder = Path(str(tmp_path_factory.mktemp("torn")))  # type: ignore[attr-defined]
    target = folder / "log.jsonl"
    target.write_bytes(b'{"a":1}\n' + torn)
    content = append_whole_lines(target, b'{"b":2}\n', read_back=True)
    assert content == b'{"a":1}\n{"b":2}\n'


def test_torn_ledger_tail_does_not_block_later_writes(project: Project) -> None:
    steward = Steward(project, validate_secrets=False)
    steward.write_text("reports/a.json", "1")
    with project.ledger_path.open("a") as fh:
        fh.write('{"path":".hestai/reports/a.json","blob":"ab')  # a crash mid-line
    steward.ledger.read()  # the torn tail is ignored by readers
    steward.write_text("reports/a.json", "2")
    idx = steward.ledger.index()
    assert idx.knows(".hestai/reports/a.json", blob_id(b"2"))


@pytest.mark.parametrize("length", [100, 3_850, 4_096, 20_000])
def test_no_length_of_reason_breaks_the_chain(project: Project, length: int) -> None:
    steward = Steward(project, validate_secrets=False)
    steward.record_adoption(".hestai/reports/a.json", "a" * 40, actor="me", reason="r" * length)
    steward.write_text("reports/b.json", "1")
    steward.record_adoption(".hestai/reports/c.json", "c" * 40, actor="me", reason="s" * length)
    assert len(steward.ledger.read()) == 6  # three records, each with its provenance entry
