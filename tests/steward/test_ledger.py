"""The ledger: MAC-chained entries, an index of written blobs and deletions, tampering caught."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hestai_tmws.steward.ledger import Ledger, LedgerEntry, LedgerTamperedError


def test_records_index_writes_and_the_last_deletion(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.jsonl", tmp_path / "key")
    ledger.record(".hestai/a.md", "b1")
    ledger.record(".hestai/a.md", None, op="delete")
    ledger.record(".hestai/b.md", "b2", actor="me", reason="why")
    index = ledger.index()
    assert index.knows(".hestai/a.md", "b1") and index.was_deleted(".hestai/a.md")
    assert index.knows(".hestai/b.md", "b2") and not index.was_deleted(".hestai/b.md")
    assert [e.actor for e in ledger.read()] == ["steward", "steward", "me"]


def test_a_hand_edited_line_breaks_the_chain(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.jsonl", tmp_path / "key")
    ledger.record(".hestai/a.md", "b1")
    text = ledger.path.read_text(encoding="utf-8")
    ledger.path.write_text(text.replace("b1", "b9"), encoding="utf-8")
    with pytest.raises(LedgerTamperedError):
        ledger.index()


def test_ledger_compacts_to_its_newest_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard reads the whole ledger on every commit, so the ledger stays bounded."""
    from hestai_tmws.steward import ledger as ledger_mod

    monkeypatch.setattr(ledger_mod, "COMPACT_BYTES", 4096)
    monkeypatch.setattr(ledger_mod, "KEEP_ENTRIES", 10)
    ledger = Ledger(tmp_path / "ledger.jsonl", tmp_path / "ledger.key")
    for i in range(200):
        ledger.append([LedgerEntry(f".hestai/f{i}", f"{i:040x}", "write", float(i))])
    entries = ledger.read()  # the re-chained ledger verifies
    assert 0 < len(entries) < 200 and (tmp_path / "ledger.jsonl").stat().st_size <= 4096 + 400
    assert entries[-1].path == ".hestai/f199"
    assert [e.path for e in entries] == [f".hestai/f{i}" for i in range(200 - len(entries), 200)]


def test_compaction_keeps_every_recent_path_and_does_not_repeat_on_each_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst of writes before one commit all stays vouched for (the guard's fast path)."""
    from hestai_tmws.steward import ledger as ledger_mod

    monkeypatch.setattr(ledger_mod, "COMPACT_BYTES", 4096)
    monkeypatch.setattr(ledger_mod, "KEEP_ENTRIES", 10)
    ledger = Ledger(tmp_path / "ledger.jsonl", tmp_path / "ledger.key")
    ledger.append([LedgerEntry(".hestai/old", "0" * 40, "write", 1.0)])  # long committed
    compactions = 0
    real = Ledger.compact

    def counting(self: Ledger, keep: int | None = None, *, now: float | None = None) -> None:
        nonlocal compactions
        compactions += 1
        real(self, keep, now=now)

    monkeypatch.setattr(Ledger, "compact", counting)
    now = time.time()
    for i in range(200):
        ledger.append(
            [
                LedgerEntry(f".hestai/f{i}", f"{i:040x}", "write", now),
                LedgerEntry(".hestai/provenance/day.jsonl", f"{i + 1000:040x}", "write", now),
            ]
        )
    index = ledger.index()
    assert all(index.knows(f".hestai/f{i}", f"{i:040x}") for i in range(200))
    assert index.knows(".hestai/provenance/day.jsonl", f"{1199:040x}")  # its last blob
    assert ".hestai/old" not in index.blobs
    assert 0 < compactions <= 8  # the threshold doubles: not once per append
