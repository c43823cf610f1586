"""The cached listing of sessions/active/: reused while the folder is unchanged, never stale."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.sessions import listing
from hestai_tmws.sessions.lookup import open_session_ids

IDS = [f"{c * 12}" for c in "abcdef"]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    listing.forget()
    yield
    listing.forget()


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten seconds on: every change made so far has settled."""
    real = listing.now_ns
    monkeypatch.setattr(listing, "now_ns", lambda: real() + 10_000_000_000)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    scans: list[str] = []
    real = listing.open_session_ids

    def scan(root: str | os.PathLike[str]) -> list[str]:
        scans.append(os.fspath(root))
        return real(root)

    monkeypatch.setattr(listing, "open_session_ids", scan)
    return scans


def test_a_settled_unchanged_folder_is_not_scanned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, later: None
) -> None:
    (tmp_path / IDS[0]).mkdir()
    (tmp_path / "not-a-session").mkdir()
    scans = counting(monkeypatch)
    assert listing.active_ids(tmp_path) == (IDS[0],)
    assert listing.active_ids(tmp_path) == (IDS[0],)
    assert len(scans) == 1


def test_a_recently_changed_folder_is_scanned_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same-tick changes: a folder changed within SETTLED_NS is never answered from memory."""
    scans = counting(monkeypatch)
    (tmp_path / IDS[0]).mkdir()
    assert listing.active_ids(tmp_path) == (IDS[0],)
    (tmp_path / IDS[1]).mkdir()  # within the same tick, most likely: the stat may not move
    assert listing.active_ids(tmp_path) == (IDS[0], IDS[1])
    assert len(scans) == 2


def test_create_delete_and_rename_are_seen(tmp_path: Path, later: None) -> None:
    (tmp_path / IDS[0]).mkdir()
    assert listing.active_ids(tmp_path) == (IDS[0],)
    (tmp_path / IDS[1]).mkdir()
    assert listing.active_ids(tmp_path) == (IDS[0], IDS[1])
    (tmp_path / IDS[0]).rename(tmp_path / IDS[2])
    assert listing.active_ids(tmp_path) == (IDS[1], IDS[2])
    (tmp_path / IDS[1]).rmdir()
    assert listing.active_ids(tmp_path) == (IDS[2],)
    (tmp_path / IDS[2] / "session.json").write_text("{}")  # inside a session: not this cache
    assert listing.active_ids(tmp_path) == (IDS[2],)


def test_a_missing_folder_is_no_session(tmp_path: Path) -> None:
    assert listing.active_ids(tmp_path / "absent") == ()
    (tmp_path / "file").write_text("x")
    for wrong in (tmp_path / "file", tmp_path / "file" / "below"):
        with pytest.raises(NotADirectoryError):  # as an uncached scan: not silently empty
            listing.active_ids(wrong)


def test_settled_needs_a_margin_and_more_for_whole_second_stamps() -> None:
    now = 1_700_000_000_500_000_000
    assert listing.settled(now - listing.SETTLED_NS, now)
    assert not listing.settled(now - listing.SETTLED_NS + 1, now)
    whole = 1_700_000_000_000_000_000  # a file system that keeps seconds only
    assert not listing.settled(whole, whole + listing.SETTLED_NS)
    assert listing.settled(whole, whole + listing.COARSE_SETTLED_NS)


OPS = st.lists(
    st.tuples(st.sampled_from(["create", "delete", "rename", "list"]), st.sampled_from(IDS)),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_the_cache_agrees_with_a_fresh_scan(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    ops: list[tuple[str, str]],
) -> None:
    """Any sequence of changes, each one stamped apart (as time passes between real ones)."""
    listing.forget()
    real = listing.now_ns
    monkeypatch.setattr(listing, "now_ns", lambda: real() + 10_000_000_000)
    root = tmp_path_factory.mktemp("active")
    for step, (op, sid) in enumerate(ops):
        path = root / sid
        target = root / IDS[(IDS.index(sid) + 1) % len(IDS)]
        changed = True
        if op == "create" and not path.exists():
            path.mkdir()
        elif op == "delete" and path.exists():
            path.rmdir()
        elif op == "rename" and path.exists() and not target.exists():
            path.rename(target)
        else:
            changed = False  # nothing moved: the listing may come from the cache
        if changed:  # a distinct mtime per change, as changes made at different times get
            os.utime(root, ns=(0, 1_000_000_000 + step * 1_000_000))
        assert listing.active_ids(root) == tuple(open_session_ids(root))
