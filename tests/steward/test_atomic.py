"""Atomic replacement: the new content or the old, a hook before the rename, no temp left."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.steward import atomic
from hestai_tmws.steward.atomic import (
    TEMP_PREFIX,
    append_line,
    append_whole_lines,
    atomic_write_bytes,
    fsync_dir,
)


def test_replaces_and_runs_the_hook_before_the_content_is_visible(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")
    seen: list[bytes] = []
    atomic_write_bytes(target, b"new", before_rename=lambda: seen.append(target.read_bytes()))
    assert seen == [b"old"] and target.read_bytes() == b"new"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))
    fsync_dir(tmp_path / "missing")  # a folder that cannot be opened is a no-op


def test_a_failing_hook_keeps_the_old_content_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")

    def fail() -> None:
        raise RuntimeError("crash before rename")

    with pytest.raises(RuntimeError):
        atomic_write_bytes(target, b"new", before_rename=fail, durable=False)
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


@given(
    st.lists(
        st.text(
            alphabet=st.characters(exclude_characters="\n\r", exclude_categories=("Cs",)),
            max_size=40,
        )
    )
)
def test_appended_lines_come_back_in_order_one_per_line(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:  # a fresh file per example
        log = Path(tmp) / "traces.jsonl"
        for line in lines:
            append_line(log, line + "\n" if line.endswith("x") else line)
        text = log.read_text(encoding="utf-8") if lines else ""
        assert text.split("\n")[:-1] == lines if lines else not log.exists()


def test_deferred_dir_fsync_syncs_each_folder_once_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tmws import` writes batches of archives into one folder: one folder fsync per batch."""
    synced: list[Path] = []
    monkeypatch.setattr(atomic, "fsync_dir", synced.append)
    with atomic.deferred_dir_fsync():
        with atomic.deferred_dir_fsync():  # nested: joins the outer block
            for n in range(5):
                atomic_write_bytes(tmp_path / f"{n}.txt", b"x")
        assert synced == [] and (tmp_path / "4.txt").read_bytes() == b"x"
    assert synced == [tmp_path]
    atomic_write_bytes(tmp_path / "later.txt", b"y")
    assert synced == [tmp_path, tmp_path]  # outside the block: at once, as before


def test_an_empty_append_with_nothing_to_cut_does_not_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_bytes(b'{"a": 1}\n')
    fsynced: list[int] = []
    monkeypatch.setattr(atomic.os, "fsync", fsynced.append)
    assert append_whole_lines(log, b"") is None and fsynced == []
    log.write_bytes(b'{"a": 1}\n{"b"')  # a torn tail: cut, and the cut made durable
    append_whole_lines(log, b"")
    assert log.read_bytes() == b'{"a": 1}\n' and len(fsynced) == 1
