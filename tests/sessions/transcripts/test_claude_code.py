"""The Claude Code reader on small hand-written fixtures of every record shape."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts import read_claude_code, read_transcript
from hestai_tmws.sessions.transcripts.claude_code import typed_prompt
from hestai_tmws.sessions.transcripts.model import DIGEST_MAX, PROMPT_MAX, TEXT_MAX
from tests.paths import TRANSCRIPT_FIXTURES

FIXTURES = TRANSCRIPT_FIXTURES
BASIC = FIXTURES / "cc_basic.jsonl"
SUB_ID = "11111111-2222-4333-8444-555555555555"
WITH_SUB = FIXTURES / f"{SUB_ID}.jsonl"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def basic():  # type: ignore[no-untyped-def]
    return read_claude_code(BASIC)


def test_metadata(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.format == "claude-code"
    assert basic.source == BASIC
    assert basic.sha256 == hashlib.sha256(BASIC.read_bytes()).hexdigest()
    assert basic.session_id == "0b5e55a1-0000-4000-8000-000000000001"
    assert basic.cwd == "/repo"
    assert basic.git_branch == "fix-login"  # the last branch seen
    assert basic.version == "2.1.39"
    assert basic.started_at == ts("2026-03-01T10:00:00.100")
    assert basic.ended_at == ts("2026-03-01T10:03:06")


def test_record_counts_unknown_and_malformed(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.record_counts == {
        "file-history-snapshot": 1,
        "progress": 4,
        "user": 15,
        "assistant": 11,
        "system": 3,
        "queue-operation": 1,
        "future-thing": 1,
        "summary": 1,
    }
    assert basic.unknown_types == {"future-thing": 1}
    assert basic.malformed_lines == 2  # a cut-off object and a JSON array
    assert basic.malformed_examples == [22, 23]


def test_tool_calls_deduplicated_and_in_time_order(basic) -> None:  # type: ignore[no-untyped-def]
    ids = [c.tool_use_id for c in basic.tool_calls]
    assert ids == [
        "toolu_A1", "toolu_B1", "toolu_C1", "toolu_C2", "toolu_D1", "toolu_F1", "toolu_S1",
        "toolu_G1", "toolu_G2", "toolu_G3", "toolu_G4", "toolu_G5", "toolu_G6", "toolu_H1",
    ]  # fmt: skip
    assert [c.index for c in basic.tool_calls] == list(range(14))
    assert basic.tool_names[:5] == ["Read", "Bash", "Edit", "Write", "Edit"]


def test_results_paired_with_status_and_duration(basic) -> None:  # type: ignore[no-untyped-def]
    calls = {c.tool_use_id: c for c in basic.tool_calls}
    assert calls["toolu_A1"].ok is True
    assert calls["toolu_A1"].duration_ms == 500.0
    assert calls["toolu_A1"].started_at == ts("2026-03-01T10:00:03")
    assert calls["toolu_B1"].ok is False
    assert calls["toolu_B1"].duration_ms == 2250.0
    assert calls["toolu_B1"].error_text == "Exit code 1\nFAILED tests/test_login.py::test_ok"
    assert calls["toolu_C2"].ok is True  # no is_error field means success
    assert calls["toolu_D1"].ok is False
    assert calls["toolu_D1"].error_text == "<tool_use_error>File does not exist.</tool_use_error>"
    assert calls["toolu_G6"].ok is None  # no result seen
    assert calls["toolu_G6"].duration_ms is None
    assert calls["toolu_A1"].error_text is None


def test_sidechains(basic) -> None:  # type: ignore[no-untyped-def]
    side = {c.tool_use_id: c for c in basic.tool_calls if c.sidechain}
    assert set(side) == {"toolu_S1", "toolu_H1"}
    assert side["toolu_S1"].agent_id == "a77"  # from the agent_progress mirror
    assert side["toolu_S1"].ok is True
    assert side["toolu_S1"].duration_ms == 1000.0
    assert side["toolu_H1"].agent_id == "a99"  # isSidechain record in the main file
    assert all(c.agent_id is None for c in basic.tool_calls if not c.sidechain)


def test_digests(basic) -> None:  # type: ignore[no-untyped-def]
    digests = {c.tool_use_id: c.input_digest for c in basic.tool_calls}
    assert digests == {
        "toolu_A1": "/repo/src/login.py",
        "toolu_B1": "pytest -q tests/test_login.py",
        "toolu_C1": "/repo/src/login.py",
        "toolu_C2": "/repo/src/new.py",
        "toolu_D1": "/repo/src/missing.py",
        "toolu_F1": "Explore: Explore auth",
        "toolu_S1": "def login",
        "toolu_G1": "github/create_issue: Login bug",
        "toolu_G2": "docs.example.com/a/b",
        "toolu_G3": "bcrypt cost factor",
        "toolu_G4": "**/*.py",
        "toolu_G5": "1 todos",
        "toolu_G6": "Which hash?",
        "toolu_H1": "git status",
    }


def test_raw_input_kept(basic) -> None:  # type: ignore[no-untyped-def]
    b1 = next(c for c in basic.tool_calls if c.tool_use_id == "toolu_B1")
    assert b1.input == {
        "command": "pytest -q tests/test_login.py\necho done",
        "description": "Run the login tests",
        "timeout": 120000,
    }


def test_files_commands_errors(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.files_read == ["/repo/src/login.py"]
    assert basic.files_changed == ["/repo/src/login.py", "/repo/src/new.py"]  # failed edit left out
    assert basic.commands == ["pytest -q tests/test_login.py\necho done", "git status"]
    assert basic.errors == [
        "Bash: Exit code 1",
        "Edit: <tool_use_error>File does not exist.</tool_use_error>",
    ]


def test_prompts_are_typed_text_only(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.user_prompts == [
        "Fix the login bug.\nDECISION: use bcrypt for hashing",
        "/compact keep the tests",
        "thanks, now push",
    ]


def test_assistant_texts_main_thread_streamed_once(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.assistant_texts == [
        "I'll look at the code.",
        "LEARNING: run the tests before editing\nSome prose in between.\n**BLOCKER:** CI is red",
    ]


def test_markers(basic) -> None:  # type: ignore[no-untyped-def]
    assert basic.markers.decisions == ["use bcrypt for hashing"]  # not the compact summary's
    assert basic.markers.blockers == ["CI is red"]
    assert basic.markers.learnings == ["run the tests before editing"]


def test_without_subagents_drops_progress_mirrors(tmp_path: Path) -> None:
    transcript = read_claude_code(BASIC, include_subagents=False)
    ids = {c.tool_use_id for c in transcript.tool_calls}
    assert "toolu_S1" not in ids
    assert "toolu_H1" in ids  # sidechain records inside the main file stay
    assert len(ids) == 13


def test_subagent_files_fold_in_as_sidechains() -> None:
    transcript = read_claude_code(WITH_SUB)
    assert [c.tool_use_id for c in transcript.tool_calls] == ["toolu_T1", "toolu_SA1", "toolu_SA2"]
    t1, sa1, sa2 = transcript.tool_calls
    assert not t1.sidechain and t1.ok is True and t1.duration_ms == 18000.0
    assert sa1.sidechain and sa1.agent_id == "a1b2c3" and sa1.ok is True
    assert sa1.duration_ms == 250.0
    assert sa2.sidechain and sa2.ok is False and sa2.error_text == "Exit code 2\nls: cannot access"
    assert transcript.subagent_files == [
        WITH_SUB.parent / SUB_ID / "subagents" / "agent-a1b2c3.jsonl",
        WITH_SUB.parent / SUB_ID / "subagents" / "agent-acompact-0f0f0f.jsonl",
    ]
    assert transcript.malformed_lines == 1  # the cut-off last line of the agent file
    assert transcript.malformed_examples == []  # examples are main-file line numbers only
    assert transcript.user_prompts == ["Explore the project and summarise it."]
    assert transcript.assistant_texts == ["It is a small web app."]
    assert transcript.files_read == ["/proj/README.md"]
    assert transcript.commands == ["ls -la /proj"]
    assert transcript.ended_at == ts("2026-03-02T08:00:31")  # the compact agent's last record
    assert transcript.sha256 == hashlib.sha256(WITH_SUB.read_bytes()).hexdigest()


def test_subagent_files_can_be_excluded() -> None:
    transcript = read_claude_code(WITH_SUB, include_subagents=False)
    assert [c.tool_use_id for c in transcript.tool_calls] == ["toolu_T1"]
    assert transcript.subagent_files == []


def test_mirror_used_when_subagent_file_missing(tmp_path: Path) -> None:
    copy = tmp_path / WITH_SUB.name
    shutil.copy(WITH_SUB, copy)
    transcript = read_claude_code(copy)
    assert [c.tool_use_id for c in transcript.tool_calls] == ["toolu_T1", "toolu_SA1"]
    assert transcript.tool_calls[1].sidechain
    assert transcript.tool_calls[1].agent_id == "a1b2c3"
    assert transcript.tool_calls[1].ok is None  # the mirror carried no result


def test_legacy_sibling_agent_files(tmp_path: Path) -> None:
    """Older releases kept `agent-*.jsonl` beside the session file; fold those that name us."""
    main = tmp_path / f"{SUB_ID}.jsonl"
    shutil.copy(WITH_SUB, main)
    shutil.copy(
        WITH_SUB.parent / SUB_ID / "subagents" / "agent-a1b2c3.jsonl",
        tmp_path / "agent-a1b2c3.jsonl",
    )
    other = tmp_path / "agent-zzz.jsonl"
    other.write_text(json.dumps({"type": "user", "sessionId": "someone-else"}) + "\n")
    transcript = read_claude_code(main)
    assert transcript.subagent_files == [tmp_path / "agent-a1b2c3.jsonl"]
    assert [c.tool_use_id for c in transcript.tool_calls] == ["toolu_T1", "toolu_SA1", "toolu_SA2"]


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def test_streamed_records_never_double_count(tmp_path: Path) -> None:
    block = {"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {"command": "ls"}}
    rec = {
        "type": "assistant",
        "timestamp": "2026-01-01T00:00:00Z",
        "message": {"id": "msg_1", "content": [block]},
    }
    text = {
        "type": "assistant",
        "message": {"id": "msg_1", "content": [{"type": "text", "text": "hi"}]},
    }
    path = _write(tmp_path / "s.jsonl", [rec, rec, text, text, rec])
    transcript = read_claude_code(path)
    assert len(transcript.tool_calls) == 1
    assert transcript.assistant_texts == ["hi"]


def test_odd_shapes_are_tolerated(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "odd.jsonl",
        [
            {"no": "type"},
            {"type": 42},
            {"type": "assistant"},
            {"type": "assistant", "message": "not a dict"},
            {"type": "assistant", "message": {"content": "plain string content"}},
            {
                "type": "assistant",
                "message": {"content": [None, 3, {"type": "tool_use", "name": "X", "input": [1]}]},
            },
            {
                "type": "assistant",
                "message": {"content": [{"type": "tool_use", "id": "t9", "name": None}]},
            },
            {"type": "user", "message": {"content": [{"type": "tool_result", "tool_use_id": 5}]}},
            {"type": "user", "message": {"content": None}},
            {"type": "user", "timestamp": "not a time", "message": {"content": "typed"}},
            {
                "type": "system",
                "level": "error",
                "subtype": "api_error",
                "error": {"message": "overloaded"},
            },
            "null",
            '"a string"',
            "{" * 100_000,  # deep nesting: RecursionError inside json
            "\ufeff garbage",
        ],
    )
    transcript = read_claude_code(path)
    assert transcript.record_counts == {"<missing>": 2, "assistant": 5, "user": 3, "system": 1}
    assert transcript.unknown_types == {"<missing>": 2}
    assert transcript.malformed_lines == 4
    assert transcript.malformed_examples == [12, 13, 14, 15]
    assert [c.name for c in transcript.tool_calls] == ["X", "unknown"]
    assert transcript.tool_calls[0].tool_use_id == "anonymous-1"
    assert transcript.tool_calls[0].input == {"value": [1]}
    assert transcript.assistant_texts == ["plain string content"]
    assert transcript.user_prompts == ["typed"]
    assert transcript.errors == ['api_error: {"message": "overloaded"}']
    assert transcript.session_id == "odd"  # no sessionId anywhere: the file name


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    transcript = read_claude_code(path)
    assert transcript.tool_calls == []
    assert transcript.started_at is None
    assert transcript.sha256 == hashlib.sha256(b"").hexdigest()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_claude_code(tmp_path / "nope.jsonl")


def test_huge_single_line_is_capped(tmp_path: Path) -> None:
    """A 50 MB line (a Write of a huge file) is read; what we keep stays bounded."""
    big = "word " * 8_000_000  # 40 MB
    small = "word " * 1_000_000  # 5 MB
    records = [
        {"type": "user", "message": {"content": "DECISION: keep it small\n" + small}},
        {
            "type": "assistant",
            "message": {
                "id": "m",
                "content": [
                    {"type": "text", "text": small},
                    {
                        "type": "tool_use",
                        "id": "w",
                        "name": "Write",
                        "input": {"file_path": "/x/" + "a" * 500, "content": big},
                    },
                    {"type": "tool_use", "id": "b", "name": "Bash", "input": {"command": small}},
                ],
            },
        },
        {
            "type": "user",
            "message": {
                "content": [
                    {"type": "tool_result", "tool_use_id": "b", "is_error": True, "content": small}
                ]
            },
        },
    ]
    path = _write(tmp_path / "huge.jsonl", records)
    assert max(len(line) for line in path.read_bytes().split(b"\n")) >= 50_000_000
    transcript = read_claude_code(path)
    assert len(transcript.user_prompts[0]) <= PROMPT_MAX + 1
    assert transcript.markers.decisions == ["keep it small"]
    assert len(transcript.assistant_texts[0]) <= TEXT_MAX + 1
    write, bash = transcript.tool_calls
    assert len(write.input_digest) <= DIGEST_MAX + 1
    assert len(bash.input_digest) <= DIGEST_MAX + 1
    assert len(write.input["content"]) <= 20_001
    assert bash.error_text is not None and len(bash.error_text) <= 301
    assert all(len(c) <= 2_001 for c in transcript.commands)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  fix it  ", "fix it"),
        ("", None),
        ("[Request interrupted by user]", None),
        ("<task-notification>\n<task-id>x</task-id>", None),
        ("<local-command-stdout>ok</local-command-stdout>", None),
        ("<system-reminder>note</system-reminder>", None),
        ("<command-message>m</command-message>\n<command-name>/review</command-name>", "/review"),
        ("<command-name>/mcp</command-name>\n<command-args></command-args>", "/mcp"),
        ("<bash-input>ls -la</bash-input>", "! ls -la"),
    ],
)
def test_typed_prompt(text: str, expected: str | None) -> None:
    assert typed_prompt(text) == expected


def test_read_transcript_sniffs_claude_code() -> None:
    assert read_transcript(BASIC).format == "claude-code"
