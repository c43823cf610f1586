"""The demo's transcripts read back as the Claude Code sessions they imitate."""

from __future__ import annotations

import json
from pathlib import Path

from hestai_tmws.demo.transcript import DEMO_WORKFLOW, write_transcript
from hestai_tmws.sessions.transcripts import read_transcript


def test_a_written_transcript_holds_every_call_in_order(tmp_path: Path) -> None:
    path = write_transcript(
        tmp_path / "t" / "s.jsonl",
        cwd=tmp_path,
        prompt="fix it",
        calls=DEMO_WORKFLOW,
        closing="LEARNING: test first",
        session_id="demo-session",
    )
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == 2 + 2 * len(DEMO_WORKFLOW)
    assert all(r["sessionId"] == "demo-session" for r in records)
    assert [r["parentUuid"] for r in records[1:]] == [r["uuid"] for r in records[:-1]]
    transcript = read_transcript(path)
    assert [c.name for c in transcript.tool_calls] == [tool for tool, _ in DEMO_WORKFLOW]
