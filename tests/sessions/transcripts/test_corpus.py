"""The Claude Code reader against the real sessions in ../shared/corpus (skipped if absent).

Tool-call counts are checked twice: against numbers established once by hand, and against
an independent, deliberately naive scan (every distinct tool_use id in assistant records
of the main file and its subagent files, plus agent_progress mirrors).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.sessions.transcripts import read_claude_code, read_transcript

# name: (main-file tool calls, subagent tool calls incl. progress mirrors)
EXPECTED = {
    "258c7280-ae70-4798-800f-63464d01a85d": (186, 2),
    "4d5611e5-241a-462a-8d15-5122611a9569": (150, 33),
    "8463c716-a2ea-4c14-9efa-87158ebd9f20": (177, 19),
    "ae4a77f8-aedd-4bc1-888f-c94edc91af04": (242, 12),
    "fa812bfe-b295-4cca-9c2f-fdf01028cb46": (197, 46),
    "short": (2, 0),
    "subagent": (16, 9),  # no subagent file: the 9 come from agent_progress mirrors
    "tool_heavy": (6, 0),
}
LARGE = [name for name in EXPECTED if "-" in name]


def _lines(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def naive_ids(main: Path) -> tuple[set[str], set[str]]:
    """(ids in the main file's assistant records, ids only seen in subagent files/mirrors)."""
    main_ids: set[str] = set()
    side_ids: set[str] = set()
    for rec in _lines(main):
        if rec["type"] == "assistant":
            main_ids |= {b["id"] for b in rec["message"]["content"] if b.get("type") == "tool_use"}
        data = rec.get("data") or {}
        if rec["type"] == "progress" and data.get("type") == "agent_progress":
            inner = data["message"]["message"].get("content")
            if isinstance(inner, list):
                side_ids |= {b["id"] for b in inner if b.get("type") == "tool_use"}
    for sub in sorted((main.parent / main.stem / "subagents").glob("agent-*.jsonl")):
        for rec in _lines(sub):
            if rec["type"] == "assistant":
                side_ids |= {
                    b["id"] for b in rec["message"]["content"] if b.get("type") == "tool_use"
                }
    return main_ids, side_ids - main_ids


@pytest.mark.parametrize("name", list(EXPECTED))
def test_tool_call_counts(corpus: Path, name: str) -> None:
    path = corpus / f"{name}.jsonl"
    main_ids, side_ids = naive_ids(path)
    assert (len(main_ids), len(side_ids)) == EXPECTED[name]
    transcript = read_claude_code(path)
    assert len(transcript.tool_calls) == sum(EXPECTED[name])
    assert {c.tool_use_id for c in transcript.tool_calls} == main_ids | side_ids
    assert {c.tool_use_id for c in transcript.tool_calls if c.sidechain} == side_ids
    assert [c.index for c in transcript.tool_calls] == list(range(len(transcript.tool_calls)))
    only_main = read_claude_code(path, include_subagents=False)
    assert len(only_main.tool_calls) == EXPECTED[name][0]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_records_are_all_known_and_well_formed(corpus: Path, name: str) -> None:
    path = corpus / f"{name}.jsonl"
    transcript = read_claude_code(path, include_subagents=False)
    assert transcript.record_counts == dict(Counter(rec["type"] for rec in _lines(path)))
    assert transcript.unknown_types == {}
    assert transcript.malformed_lines == 0
    assert transcript.session_id is not None
    assert transcript.started_at is not None and transcript.ended_at is not None
    assert transcript.started_at <= transcript.ended_at


@pytest.mark.parametrize("name", LARGE)
def test_large_sessions_pair_every_result(corpus: Path, name: str) -> None:
    transcript = read_claude_code(corpus / f"{name}.jsonl")
    assert all(c.ok is not None for c in transcript.tool_calls)
    assert all(c.duration_ms is not None and c.duration_ms >= 0 for c in transcript.tool_calls)
    assert all(c.input_digest for c in transcript.tool_calls if c.name in ("Bash", "Read", "Edit"))
    assert all(len(c.input_digest) <= 201 for c in transcript.tool_calls)
    assert transcript.subagent_files, "every large session has subagent files"
    times = [c.started_at for c in transcript.tool_calls]
    assert times == sorted(times)  # type: ignore[type-var]


def test_known_session_details(corpus: Path) -> None:
    t = read_claude_code(corpus / "4d5611e5-241a-462a-8d15-5122611a9569.jsonl")
    assert t.cwd == "/home/USER/projects/spotter-worktrees/spotter-dov"
    assert t.git_branch == "spotter-dov"
    assert t.user_prompts == [
        "Work on bead spotter-dov. Run bd show spotter-dov to see the issue details and bd ready "
        "to find available subtasks. Start with the first ready task.",
        "continue",
    ]
    assert t.tool_calls[0].input_digest == "bd show spotter-dov"
    assert {c.agent_id for c in t.tool_calls if c.sidechain} == {"a2898e3"}
    assert Counter(c.name for c in t.tool_calls)["Bash"] > 50


def test_interrupted_prompts_are_not_typed(corpus: Path) -> None:
    t = read_claude_code(corpus / "short.jsonl")
    assert t.user_prompts == ["mix phx.server doesnt seem to start"]
    assert [c.ok for c in t.tool_calls] == [False, False]  # both rejected by the user


def test_sniffing_every_corpus_file(corpus: Path) -> None:
    for path in sorted(corpus.glob("*.jsonl")):
        assert read_transcript(path).format == "claude-code"


@pytest.mark.parametrize("name", LARGE)
def test_corpus_paths_and_commands_survive_redaction(corpus: Path, name: str) -> None:
    """The corpus is sanitized: redaction must not eat its paths, commands or digests."""
    t = read_claude_code(corpus / f"{name}.jsonl")
    clean = t.redacted()
    assert clean.files_read == t.files_read
    assert clean.files_changed == t.files_changed
    assert clean.commands == t.commands
    assert clean.user_prompts == t.user_prompts
    assert [c.input_digest for c in clean.tool_calls] == [c.input_digest for c in t.tool_calls]
    assert not any("[REDACTED" in c.input_digest for c in t.tool_calls)
