"""The MCP server's learning steps: queued, coalesced, one process at a time, never lost."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.learning.auto import BackgroundLearning
from hestai_tmws.project import Project

WAIT = 30.0  # an upper bound for thread hand-overs, never a sleep


class FakeChild:
    """A learning process that runs until `finish` (stands in for `subprocess.Popen`)."""

    def __init__(self, archives: list[str]) -> None:
        self.archives = archives
        self.done = threading.Event()

    def poll(self) -> int | None:
        return 0 if self.done.is_set() else None

    def finish(self) -> None:
        self.done.set()


class Recorder:
    """The spawner: records each start and lets the test wait for the next one."""

    def __init__(self) -> None:
        self.children: list[FakeChild] = []
        self.started = threading.Semaphore(0)

    def __call__(self, _project: Project, archives: list[str]) -> Any:
        child = FakeChild(list(archives))
        self.children.append(child)
        self.started.release()
        return child

    def next(self) -> FakeChild:
        assert self.started.acquire(timeout=WAIT), "no learning step started"
        return self.children[-1]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return Project.discover(tmp_path)


def test_queued_archives_wait_for_a_quiet_server_and_go_together(project: Project) -> None:
    spawn = Recorder()
    learning = BackgroundLearning(project, quiet_s=3600, max_wait_s=3600, spawn=spawn)
    for name in ("a", "b", "c"):
        learning.add(f"sessions/archive/{name}.oct.md")
        learning.note_call()
    assert spawn.children == []  # the server is busy: nothing started
    learning.flush()  # the server stops: everything queued goes now, in one process
    assert [c.archives for c in spawn.children] == [
        ["sessions/archive/a.oct.md", "sessions/archive/b.oct.md", "sessions/archive/c.oct.md"]
    ]
    learning.flush()
    assert len(spawn.children) == 1  # nothing left to start


def test_a_quiet_server_starts_the_step_without_a_flush(project: Project) -> None:
    spawn = Recorder()
    learning = BackgroundLearning(project, quiet_s=0.0, max_wait_s=3600, spawn=spawn)
    learning.add("sessions/archive/a.oct.md")
    assert spawn.next().archives == ["sessions/archive/a.oct.md"]


def test_the_longest_wait_bounds_a_busy_server(project: Project) -> None:
    spawn = Recorder()
    learning = BackgroundLearning(project, quiet_s=3600, max_wait_s=0.0, spawn=spawn)
    learning.add("sessions/archive/a.oct.md")
    learning.note_call()
    assert spawn.next().archives == ["sessions/archive/a.oct.md"]


def test_one_process_at_a_time_and_no_archive_skipped(project: Project) -> None:
    spawn = Recorder()
    learning = BackgroundLearning(project, quiet_s=0.0, max_wait_s=0.0, spawn=spawn)
    learning.add("sessions/archive/a.oct.md")
    first = spawn.next()
    learning.add("sessions/archive/b.oct.md")
    learning.add("sessions/archive/c.oct.md")
    assert len(spawn.children) == 1  # b and c wait while a's process runs
    assert not spawn.started.acquire(timeout=0.0)
    first.finish()
    second = spawn.next()
    assert second.archives == ["sessions/archive/b.oct.md", "sessions/archive/c.oct.md"]


def test_a_failing_spawn_never_reaches_the_caller(project: Project) -> None:
    def broken(_project: Project, _archives: list[str]) -> Any:
        raise OSError("no processes left")

    learning = BackgroundLearning(project, quiet_s=3600, max_wait_s=3600, spawn=broken)
    learning.add("sessions/archive/a.oct.md")
    learning.flush()
    assert learning.pending == [] and learning.running is None
