"""Open sessions on disk: listing, resolving by id or prefix, and by agent session."""

from __future__ import annotations

import os
import socket
from typing import ClassVar

import psutil
import pytest

from hestai_tmws.errors import NotFoundError, PolicyError, UsageError, ValidationError
from hestai_tmws.project import Project
from hestai_tmws.sessions import listing, store
from hestai_tmws.sessions.model import ActiveSession, utc_now
from hestai_tmws.sessions.store import (
    list_active,
    load_session,
    resolve_session,
    save_session,
    session_dirs,
    session_for_agent,
    session_rel,
)
from hestai_tmws.steward import Steward


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten seconds on: every file written so far has settled (`listing.settled`)."""
    real = listing.now_ns
    monkeypatch.setattr(listing, "now_ns", lambda: real() + 10_000_000_000)


def open_session(project: Project, sid: str, claude: str | None = None) -> ActiveSession:
    session = ActiveSession(
        id=sid,
        role="implementation-lead",
        focus="f",
        focus_source="explicit",
        started_at=utc_now(),
        claude_session_id=claude,
    )
    save_session(project, Steward(project), session)
    return session


def test_no_session_is_an_error_with_a_hint(project: Project) -> None:
    assert session_dirs(project) == [] and list_active(project) == []
    with pytest.raises(NotFoundError):
        resolve_session(project, None)
    assert session_for_agent(project, "claude-a") is None


def test_resolving_by_id_prefix_and_the_only_one(project: Project) -> None:
    open_session(project, "aaaa11111111")
    assert resolve_session(project, None).id == "aaaa11111111"
    assert resolve_session(project, "AAAA1").id == "aaaa11111111"
    open_session(project, "aaaa22222222")
    with pytest.raises(UsageError, match="matches 2 open sessions"):
        resolve_session(project, "aaaa")
    with pytest.raises(UsageError, match="2 sessions are open"):
        resolve_session(project, None)
    with pytest.raises(NotFoundError):
        resolve_session(project, "bbbb")


def test_by_agent_session(project: Project) -> None:
    open_session(project, "aaaa11111111", claude="claude-a")
    assert session_for_agent(project, "claude-b") is None
    assert session_for_agent(project, None) is not None
    open_session(project, "bbbb22222222", claude="claude-b")
    found = session_for_agent(project, "claude-b")
    assert found is not None and found.id == "bbbb22222222"


# -- liveness and resuming (issue 14) -----------------------------------------------------------


class _FakeProcess:
    """psutil.Process stand-in: the platform answer without a real process."""

    answers: ClassVar[dict[int, object]] = {}

    def __init__(self, pid: int) -> None:
        self.answer = self.answers.get(pid, psutil.NoSuchProcess(pid))
        if isinstance(self.answer, Exception):
            raise self.answer

    def status(self) -> str:
        return str(self.answer)


def test_liveness_comes_from_psutil_not_proc_or_signals(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _FakeProcess.answers = {
        10: psutil.STATUS_RUNNING,
        11: psutil.STATUS_ZOMBIE,
        12: psutil.AccessDenied(12),
    }
    monkeypatch.setattr(store.psutil, "Process", _FakeProcess)
    monkeypatch.setattr("os.kill", None)  # a probe by signal would fail loudly
    host = socket.gethostname()
    assert [store.pid_alive(pid) for pid in (10, 11, 12, 13)] == [True, False, True, False]
    session = open_session(project, "aaaa11111111").model_copy(update={"pid": 11, "host": host})
    assert store.process_alive(session) is False and store.client_gone(session)
    elsewhere = session.model_copy(update={"host": "another-host"})
    assert store.process_alive(elsewhere) is None and not store.client_gone(elsewhere)


def test_resuming_needs_a_proof(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _FakeProcess.answers = {20: psutil.STATUS_SLEEPING}
    monkeypatch.setattr(store.psutil, "Process", _FakeProcess)
    host = socket.gethostname()
    live = open_session(project, "bbbb11111111", claude="claude-a").model_copy(
        update={"pid": 20, "host": host}
    )
    assert store.check_resumable(live, client_pids=(), agent_session_id="claude-a")
    assert store.check_resumable(live, client_pids=(20,), agent_session_id=None)
    with pytest.raises(PolicyError, match="another live client"):
        store.check_resumable(live, client_pids=(99,), agent_session_id="claude-b")
    dead = live.model_copy(update={"pid": 21})
    assert "gone" in store.check_resumable(dead, client_pids=(), agent_session_id=None)
    rebound = store.rebind_session(project, dead, 20)
    assert store.load_session(project, dead.id).pid == rebound.pid == 20


def test_the_agent_pid_skips_shells(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = {30: ("bash", 29), 29: ("zsh", 28), 28: ("claude", 1)}

    class Proc:
        def __init__(self, pid: int) -> None:
            if pid not in tree:
                raise psutil.NoSuchProcess(pid)
            self.pid = pid

        def name(self) -> str:
            return tree[self.pid][0]

        def ppid(self) -> int:
            return tree[self.pid][1]

    monkeypatch.setattr(store.psutil, "Process", Proc)
    assert store.agent_pid(30) == 28
    assert store.agent_pid(28) == 28
    assert store.agent_pid(77) == 77  # gone: the best answer is what we were given


def test_an_unchanged_record_is_not_read_again(
    project: Project, monkeypatch: pytest.MonkeyPatch, later: None
) -> None:
    open_session(project, "aaaaaaaaaaaa")
    first = load_session(project, "aaaaaaaaaaaa")
    reads: list[str] = []
    real = store._read_session
    monkeypatch.setattr(store, "_read_session", lambda p, s: reads.append(s) or real(p, s))
    again = load_session(project, "aaaaaaaaaaaa")
    assert again == first and again is not first  # a copy of the cached record
    assert reads == []


def test_a_changed_record_is_read_again(project: Project) -> None:
    session = open_session(project, "aaaaaaaaaaaa")
    assert load_session(project, "aaaaaaaaaaaa").focus == "f"
    save_session(project, Steward(project), session.model_copy(update={"focus": "g"}))
    assert load_session(project, "aaaaaaaaaaaa").focus == "g"
    path = project.memory_path(session_rel("aaaaaaaaaaaa"))
    os.chmod(path, 0o644)
    before = path.stat()
    path.write_text(path.read_text().replace('"g"', '"h"'))  # in place, same size, same inode
    # the clock's tick may be coarser than this test: say that time has passed, as it has
    # for any edit a person or another process makes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert load_session(project, "aaaaaaaaaaaa").focus == "h"
    path.write_text("{broken")
    with pytest.raises(ValidationError):
        load_session(project, "aaaaaaaaaaaa")
    assert list_active(project) == []  # a broken record is skipped, never served from the cache
    path.unlink()
    with pytest.raises(NotFoundError):
        load_session(project, "aaaaaaaaaaaa")


def test_a_cached_record_cannot_be_changed_by_a_caller(project: Project) -> None:
    open_session(project, "aaaaaaaaaaaa")
    load_session(project, "aaaaaaaaaaaa").focus = "changed by a caller"
    assert load_session(project, "aaaaaaaaaaaa").focus == "f"


def test_a_record_read_in_its_own_clock_tick_is_read_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A same-tick in-place edit can keep the stat: a record that recent is never cached."""
    open_session(project, "aaaaaaaaaaaa")
    load_session(project, "aaaaaaaaaaaa")
    assert store.active_view(project)[0].id == "aaaaaaaaaaaa"
    reads: list[str] = []
    real = store._read_session
    monkeypatch.setattr(store, "_read_session", lambda p, s: reads.append(s) or real(p, s))
    load_session(project, "aaaaaaaaaaaa")
    store.active_view(project)
    assert reads == ["aaaaaaaaaaaa", "aaaaaaaaaaaa"]


def test_a_view_is_rebuilt_when_any_record_changes(project: Project, later: None) -> None:
    open_session(project, "aaaaaaaaaaaa")
    b = open_session(project, "bbbbbbbbbbbb")
    assert [s.focus for s in store.active_view(project)] == ["f", "f"]
    save_session(project, Steward(project), b.model_copy(update={"focus": "g"}))
    assert [s.focus for s in store.active_view(project)] == ["f", "g"]
    path = project.memory_path(session_rel("aaaaaaaaaaaa"))
    path.write_text("{broken")
    assert [s.id for s in store.active_view(project)] == ["bbbbbbbbbbbb"]
    assert [s.id for s in store.active_view(project)] == ["bbbbbbbbbbbb"]
    path.unlink()
    open_session(project, "cccccccccccc")
    assert [s.id for s in store.active_view(project)] == ["bbbbbbbbbbbb", "cccccccccccc"]


def test_the_view_shares_records_and_the_listing_copies_them(project: Project, later: None) -> None:
    open_session(project, "aaaaaaaaaaaa")
    open_session(project, "bbbbbbbbbbbb")
    view = store.active_view(project)
    assert [s.id for s in view] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
    assert store.active_view(project)[0] is view[0]  # no copy, no read: the cached record
    listed = list_active(project)
    assert listed == view and all(a is not b for a, b in zip(listed, view, strict=True))
