"""The five large real sessions of the shared corpus archive with every one of their tool calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.transcripts import read_transcript
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from tests.workflows.clock_support import index_records, oracle_check, setup_project

# tool_use blocks of the main transcript plus its subagent transcripts
EXPECTED_CALLS = {
    "258c7280-ae70-4798-800f-63464d01a85d": 186 + 2,
    "4d5611e5-241a-462a-8d15-5122611a9569": 150 + 33,
    "8463c716-a2ea-4c14-9efa-87158ebd9f20": 177 + 19,
    "ae4a77f8-aedd-4bc1-888f-c94edc91af04": 242 + 12,
    "fa812bfe-b295-4cca-9c2f-fdf01028cb46": 197 + 46,
}


def count_tool_uses(main: Path) -> int:
    """Independent count: distinct tool_use ids in the main file and its subagent files."""
    files = [main, *sorted((main.parent / main.stem / "subagents").glob("*.jsonl"))]
    ids: set[str] = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            content = (
                (rec.get("message") or {}).get("content")
                if rec.get("type") == "assistant"
                else None
            )
            for block in content if isinstance(content, list) else []:
                if isinstance(block, dict) and block.get("type") == "tool_use":
                    ids.add(str(block.get("id")))
    return len(ids)


@pytest.mark.parametrize("session_name", sorted(EXPECTED_CALLS))
def test_corpus_session_archives_every_tool_call(
    corpus: Path, repo: Path, session_name: str
) -> None:
    main = corpus / f"{session_name}.jsonl"
    expected = EXPECTED_CALLS[session_name]
    assert count_tool_uses(main) == expected
    proj = setup_project(repo)
    opened = clock_in(proj, focus=f"corpus {session_name[:8]}")
    result = clock_out(proj, transcript=main, learn=False)
    assert result.tool_calls == expected

    text = (repo / result.archive_path).read_text(encoding="utf-8")
    oracle_check(text)
    data = read_archive(text)
    assert data.meta.session_id == opened.session_id
    assert len(data.tool_calls) == data.meta.tool_call_count == expected
    reader = read_transcript(main)
    assert [c.tool for c in data.tool_calls] == [c.name for c in reader.tool_calls]
    assert [c.ok for c in data.tool_calls] == [c.ok for c in reader.tool_calls]
    assert [c.sidechain for c in data.tool_calls] == [c.sidechain for c in reader.tool_calls]
    assert data.meta.transcript_sha256 == reader.sha256
    assert data.meta.sidechain_call_count == sum(c.sidechain for c in reader.tool_calls) > 0
    assert len(text.encode()) < 512 * 1024
    [record] = index_records(proj)
    assert record["tool_calls"] == expected
