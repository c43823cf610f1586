"""The Steward lock: busy errors name the holder; the lock frees when its holder dies."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hestai_tmws.errors import BusyError, ExitCode
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.lock import HOLDER_BYTES, write_in_place

HOLDER = textwrap.dedent(
    """
    import sys
    from hestai_tmws.project import Project
    from hestai_tmws.steward import Steward
    steward = Steward(Project.discover(sys.argv[1]), validate_secrets=False)
    with steward.transaction("holding for a test"):
        print("held", flush=True)
        sys.stdin.readline()  # hold until the test closes our stdin
    """
)


def start_holder(project: Project) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_busy_error_names_the_holder(project: Project) -> None:
    proc = start_holder(project)
    try:
        steward = Steward(project, lock_timeout=0.2, validate_secrets=False)
        steward.lock.timeout = 0.2
        with pytest.raises(BusyError) as info:
            steward.write_text("reports/a.json", "1")
        assert f"pid {proc.pid}" in info.value.message
        assert "holding for a test" in info.value.message
        assert info.value.exit_code == ExitCode.BUSY
        assert not (project.hestai / "reports/a.json").exists()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
    Steward(project, validate_secrets=False).write_text("reports/a.json", "1")


def test_lock_released_when_holder_is_killed(project: Project) -> None:
    proc = start_holder(project)
    proc.kill()
    proc.wait(timeout=10)
    steward = Steward(project, validate_secrets=False)
    steward.lock.timeout = 2
    assert steward.write_text("reports/a.json", "1").created


def test_lock_is_reentrant_in_one_thread(project: Project) -> None:
    steward = Steward(project, validate_secrets=False)
    with steward.transaction(), steward.transaction():
        steward.write_text("reports/a.json", "1")
    assert steward.lock.depth == 0


def test_a_nested_hold_takes_nothing_more_and_the_outer_one_still_holds(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    steward = Steward(project, validate_secrets=False)
    taken: list[object] = []
    real = steward.lock._lock.acquire
    monkeypatch.setattr(steward.lock._lock, "acquire", lambda **kw: taken.append(kw) or real(**kw))
    with steward.transaction("outer"):
        steward.write_text("reports/a.json", "1")  # a hold inside the transaction
        steward.write_text("reports/b.json", "2")
        assert steward.lock.depth == 1 and steward.lock._lock.is_locked
    assert len(taken) == 1 and steward.lock.depth == 0
    assert not steward.lock._lock.is_locked


def test_holder_file_is_rewritten_in_place_and_names_the_latest_holder(project: Project) -> None:
    steward = Steward(project, validate_secrets=False)
    holder = steward.lock.holder_path
    with steward.transaction("a first, rather long purpose for this transaction"):
        pass
    inode = holder.stat().st_ino
    with steward.transaction("short"):
        assert "short) since" in steward.lock.describe_holder()
    assert holder.stat().st_ino == inode  # the same file, overwritten: no new file, no rename
    assert holder.stat().st_size == HOLDER_BYTES
    assert json.loads(holder.read_text(encoding="utf-8"))["purpose"] == "short"


@pytest.mark.parametrize("sizes", [(10, 2000, 30), (3000, 1500, 5)])
def test_write_in_place_leaves_only_the_last_record(tmp_path: Path, sizes: tuple[int, ...]) -> None:
    target = tmp_path / "holder"
    for n in sizes:
        record = json.dumps({"purpose": "x" * n}).encode()
        write_in_place(target, record)
        assert json.loads(target.read_bytes()) == {"purpose": "x" * n}
        assert target.stat().st_size == max(HOLDER_BYTES, len(record))
