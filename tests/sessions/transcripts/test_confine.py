"""confine_transcript: only an agent's transcript, and for agents only from allowed folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hestai_tmws.errors import TranscriptRejectedError, UsageError
from hestai_tmws.sessions.transcripts.confine import confine_transcript
from tests.fixtures import clock_transcripts as ct


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "repo").mkdir()
    return tmp_path / "repo"


def test_a_transcript_outside_is_fine_for_a_person_not_for_an_agent(
    root: Path, tmp_path: Path
) -> None:
    tr = ct.write_basic(tmp_path / "elsewhere" / "s.jsonl")
    assert confine_transcript(tr, root=root, policy="person") == tr.resolve()
    with pytest.raises(TranscriptRejectedError, match="outside") as info:
        confine_transcript(tr, root=root, policy="agent")
    assert isinstance(info.value, UsageError) and info.value.hint


def test_an_agent_may_read_the_repo_its_agents_folder_and_allowed_folders(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inside = ct.write_basic(root / "notes" / "s.jsonl")
    assert confine_transcript(inside, root=root, policy="agent") == inside.resolve()
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude"))
    own = ct.write_basic(tmp_path / "claude" / "projects" / "-x" / "s.jsonl")
    assert confine_transcript(own, root=root, policy="agent") == own.resolve()
    extra = ct.write_basic(tmp_path / "exports" / "s.jsonl")
    allowed = [tmp_path / "exports"]
    assert confine_transcript(extra, root=root, policy="agent", allowed=allowed) == extra.resolve()


def test_a_link_is_judged_by_its_target(root: Path, tmp_path: Path) -> None:
    target = ct.write_basic(tmp_path / "outside.jsonl")
    link = root / "link.jsonl"
    link.symlink_to(target)
    with pytest.raises(TranscriptRejectedError, match="outside"):
        confine_transcript(link, root=root, policy="agent")


@pytest.mark.parametrize("policy", ["person", "agent"])
def test_system_files_devices_fifos_and_folders_are_refused(
    root: Path, tmp_path: Path, policy: str
) -> None:
    fifo = root / "pipe"
    os.mkfifo(fifo)
    text = root / "passwd"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n")
    binary = root / "tool"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" * 10)
    for path in (Path("/proc/self/environ"), Path("/dev/null"), fifo, root, text, binary):
        with pytest.raises(TranscriptRejectedError):
            confine_transcript(path, root=root, policy=policy)  # type: ignore[arg-type]
    if Path("/etc/passwd").is_file():
        with pytest.raises(TranscriptRejectedError, match="not a transcript"):
            confine_transcript(Path("/etc/passwd"), root=root, policy=policy)  # type: ignore[arg-type]


def test_a_missing_file_is_a_clear_error(root: Path) -> None:
    with pytest.raises(TranscriptRejectedError, match="cannot be opened"):
        confine_transcript(root / "absent.jsonl", root=root, policy="person")


def test_a_plain_log_is_accepted_from_a_person_only(root: Path) -> None:
    log = root / "session.log"
    log.write_text("> fix the test\n$ pytest -q\n1 failed\n\nLEARNING: run it first\n")
    assert confine_transcript(log, root=root, policy="person") == log.resolve()
    with pytest.raises(TranscriptRejectedError, match="not a transcript"):
        confine_transcript(log, root=root, policy="agent")


def test_plain_session_logs_are_told_from_account_files(tmp_path: Path) -> None:
    from hestai_tmws.sessions.transcripts.confine import is_plain_log
    from hestai_tmws.sessions.transcripts.sniff import detect_format

    log = tmp_path / "s.log"
    log.write_text("> fix the test\n$ pytest -q\n1 failed\n\nDECISION: keep it pure\n")
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n")
    shadow = tmp_path / "shadow"
    shadow.write_text("root:$6$salt$abcdefgh:19000:0:99999:7:::\n")
    assert is_plain_log(log) and not is_plain_log(passwd) and not is_plain_log(shadow)
    assert detect_format(log) is None  # not an agent's structured transcript


def test_allow_empty_takes_any_text_a_person_names_but_never_system_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("what I did today\nnothing structured here\n")
    binary = tmp_path / "a.out"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00")
    with pytest.raises(TranscriptRejectedError, match="0 tool calls"):
        confine_transcript(notes, root=tmp_path, policy="person")
    assert confine_transcript(notes, root=tmp_path, policy="person", allow_empty=True) == notes
    for refused in (binary, Path("/etc/hostname"), Path("/proc/self/environ")):
        if not refused.exists():
            continue
        with pytest.raises(TranscriptRejectedError):
            confine_transcript(refused, root=tmp_path, policy="person", allow_empty=True)
    with pytest.raises(TranscriptRejectedError):  # an agent never names a plain file
        confine_transcript(notes, root=tmp_path, policy="agent", allow_empty=True)
