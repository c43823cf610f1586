"""detect_format: an agent's transcript by its content; anything else is None."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hestai_tmws.sessions.transcripts.sniff import SNIFF_BYTES, detect_format
from tests.fixtures import clock_transcripts as ct

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def test_claude_code_transcripts(tmp_path: Path) -> None:
    assert detect_format(ct.write_basic(tmp_path / "s.jsonl")) == "claude-code"


def test_codex_and_gemini_shapes(tmp_path: Path) -> None:
    codex = tmp_path / "rollout.jsonl"
    codex.write_text(json.dumps({"type": "session_meta", "payload": {"id": "x"}}) + "\n")
    gemini = tmp_path / "session.json"
    gemini.write_text(json.dumps({"sessionId": "s", "messages": [{"type": "user"}]}))
    assert detect_format(codex) == "codex" and detect_format(gemini) == "gemini"


def test_a_huge_first_record_is_judged_by_its_opening(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    record = {"type": "user", "sessionId": "s", "message": {"content": "x" * SNIFF_BYTES}}
    big.write_text(json.dumps(record) + "\n")
    assert detect_format(big) == "claude-code"


@pytest.mark.parametrize(
    "content",
    [
        b"root:x:0:0:root:/root:/bin/bash\n",
        b"root:$6$salt$hash:19000:0:99999:7:::\n",
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
        b"",
        b'{"just": "json"}\n',
        b'{"type": "user"}\nnot json\n',
        b"# plain session log\nuser: hello\n",
    ],
)
def test_other_files_are_not_transcripts(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f"
    path.write_bytes(content)
    assert detect_format(path) is None


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert detect_format(tmp_path / "absent") is None


def test_real_corpus_sessions_are_recognised() -> None:
    claude = sorted((CORPUS / "claude-code").glob("*.jsonl"))
    codex = sorted((CORPUS / "other-agents" / "codex").glob("*.jsonl"))[:5]
    if not claude:
        pytest.skip("the shared corpus is not here")
    assert {detect_format(p) for p in claude} == {"claude-code"}
    assert {detect_format(p) for p in codex} <= {"codex"}
