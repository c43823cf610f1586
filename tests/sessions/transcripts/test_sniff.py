"""Formats are told by content, from at most the first 64 KiB."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.sessions.transcripts import read_transcript
from hestai_tmws.sessions.transcripts.sniff import SNIFF_BYTES, detect_format, require_calls
from tests.paths import REPO_ROOT

CORPUS = REPO_ROOT.parent / "shared" / "corpus"

CLAUDE = {"type": "user", "uuid": "u1", "sessionId": "s", "message": {"content": "hi"}}
CODEX = {"timestamp": "2026-01-01T00:00:00Z", "type": "session_meta", "payload": {"id": "a"}}
GEMINI_META = {"sessionId": "s", "projectHash": "p", "startTime": "2026-01-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([CLAUDE], "claude-code"),
        ([CODEX], "codex"),
        ([GEMINI_META, {"id": "m1", "type": "user", "content": "hi"}], "gemini"),
        ([{"hello": 1}], None),
    ],
)
def test_jsonl_by_record_shape(tmp_path: Path, records: list[object], expected: str) -> None:
    path = tmp_path / "any-name.txt"  # the name says nothing
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert detect_format(path) == expected


def test_an_indented_gemini_session(tmp_path: Path) -> None:
    path = tmp_path / "rollout-looks-like-codex.jsonl"
    path.write_text(json.dumps({**GEMINI_META, "messages": []}, indent=2))
    assert detect_format(path) == "gemini"


def test_a_first_record_longer_than_the_window(tmp_path: Path) -> None:
    path = tmp_path / "t"
    big = {**CODEX, "payload": {"id": "a", "base_instructions": "x" * (2 * SNIFF_BYTES)}}
    path.write_text(json.dumps(big, separators=(",", ":")) + "\n")
    assert detect_format(path) == "codex"


@given(st.text(max_size=300))
def test_plain_text_is_not_recognised(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log"
        path.write_text(text.lstrip().lstrip("{"), encoding="utf-8")
        assert detect_format(path) is None


def test_content_without_calls_is_refused(tmp_path: Path) -> None:

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    require_calls(read_transcript(empty), empty)  # nothing there: nothing lost
    chat = tmp_path / "chat.jsonl"
    chat.write_text(json.dumps(CODEX) + "\n")
    with pytest.raises(ValidationError, match="a codex transcript with content"):
        require_calls(read_transcript(chat), chat)


@pytest.mark.parametrize(
    "content",
    [
        b"root:x:0:0:root:/root:/bin/bash\n",
        b"root:$6$salt$hash:19000:0:99999:7:::\n",
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
        b"",
        b'{"just": "json"}\n',
        b"# plain session log\nuser: hello\n",
    ],
)
def test_system_files_and_binaries_are_not_transcripts(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)
    assert detect_format(path) is None


def test_a_missing_file_is_none(tmp_path: Path) -> None:
    assert detect_format(tmp_path / "absent") is None


def test_real_corpus_sessions_are_recognised() -> None:
    claude = sorted((CORPUS / "claude-code").glob("*.jsonl"))
    codex = sorted((CORPUS / "other-agents" / "codex").glob("*.jsonl"))
    if not claude or not codex:
        pytest.skip("the shared corpus is not here")
    assert {detect_format(p) for p in claude} == {"claude-code"}
    assert {detect_format(p) for p in codex} == {"codex"}
