"""Fail safe, never stuck: a benign id never blocks clock-out or reap, and a redaction that
had to be widened is noted in the archive instead of refusing the session."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestai_tmws.project import Project
from hestai_tmws.secrets import redaction
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.store import list_active
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from hestai_tmws.workflows.reap import reap
from tests.fixtures import clock_transcripts as ct
from tests.workflows.clock_support import setup_project
from tests.workflows.test_reap import plant

_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _id(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_B64URL) for _ in range(n))


SHEETS = "1" + _id(43, 1)
DRIVE = "1" + _id(32, 2)
PLAYLIST = "PL" + _id(32, 3)
BUILD = _id(43, 4)


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def _transcript(path: Path, cwd: str, turn: ct.Turn) -> Path:
    spec = ct.TranscriptSpec(cwd=cwd, start=datetime.now(UTC) - timedelta(minutes=5), turns=[turn])
    return ct.write(path, spec)


CASES = {
    "sheets_id_in_read_path": ct.Turn(
        prompt="read it", calls=[ct.Call("Read", {"file_path": f"/data/sheets/{SHEETS}/a.csv"})]
    ),
    "drive_id_in_write_path": ct.Turn(
        prompt="save", calls=[ct.Call("Write", {"file_path": f"/d/{DRIVE}.txt", "content": "x"})]
    ),
    "playlist_id_in_prompt": ct.Turn(prompt=f"summarise the playlist {PLAYLIST} please"),
    "build_id_in_learning": ct.Turn(
        prompt="go", closing=f"LEARNING: build {BUILD} is the good one"
    ),
    "id_at_start_of_text": ct.Turn(prompt=f"{BUILD} failed again", closing=f"{SHEETS} done"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_single_benign_id_never_blocks_clock_out(
    proj: Project, tmp_path: Path, case: str
) -> None:
    tr = _transcript(tmp_path / f"{case}.jsonl", str(proj.root), CASES[case])
    opened = clock_in(proj, focus=case)
    # some cases are chat-only sessions, which clock-out takes when told they may be empty
    result = clock_out(
        proj, transcript=tr, summary=f"{BUILD} shipped", learnings=[DRIVE], allow_empty=True
    )
    assert result.session_id == opened.session_id and list_active(proj) == []
    text = (proj.root / result.archive_path).read_text()
    assert read_archive(text).meta.session_id == opened.session_id


def test_a_benign_id_never_blocks_reap(proj: Project, tmp_path: Path) -> None:
    tr = _transcript(tmp_path / "t.jsonl", str(proj.root), CASES["id_at_start_of_text"])
    stale = plant(proj, "aaaaaaaaaaaa", 30, transcript_path=str(tr), focus=f"{SHEETS} work")
    result = reap(proj)
    assert [r.id for r in result.reaped] == [stale.id] and result.failed == []


def test_a_widened_redaction_is_noted_in_the_archive_and_the_session_closes(
    proj: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = redaction._raw_findings

    def stubborn(text: str) -> list[tuple[int, int, str, str]]:
        hits = real(text)
        at = max(text.find("stubborn"), text.find("zqzq"))  # sees even its own marker
        return [*hits, (at, at + 4, "stubborn", "pattern")] if at != -1 else hits

    monkeypatch.setattr(redaction, "_raw_findings", stubborn)
    clock_in(proj, focus="widen")
    result = clock_out(proj, summary="the value zqzq-123 stays", learnings=["keep zqzq going"])
    monkeypatch.undo()
    text = (proj.root / result.archive_path).read_text()
    assert "zqzq" not in text and "[REDACTED:unverified]" in text
    assert "redaction widened" in text
