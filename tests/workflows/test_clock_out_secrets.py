"""No secret from a transcript or from clock-out arguments reaches any file under `.hestai/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.traces import TraceRecord, record_trace
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from tests.fixtures.secrets import leaks, make_secrets, write_transcript_with_secrets
from tests.workflows.clock_support import hestai_files, oracle_check, setup_project


@pytest.mark.parametrize("seed", [7, 2026])
def test_no_secret_reaches_project_memory(repo: Path, tmp_path: Path, seed: int) -> None:
    proj: Project = setup_project(repo)
    secrets = make_secrets(seed, per_kind=2)
    kinds = {s.kind for s in secrets}
    assert len(secrets) >= 40 and len(kinds) >= 15
    in_transcript, in_args = secrets[: len(secrets) - 12], secrets[len(secrets) - 12 :]
    transcript = tmp_path / "secret-session.jsonl"
    write_transcript_with_secrets(transcript, in_transcript, cwd=str(repo))

    def shown(n: int) -> str:
        """How a person would paste it: bare only when the value is recognisable alone."""
        secret = in_args[n]
        return secret.value if secret.standalone else secret.context

    opened = clock_in(proj, focus=f"rotate {shown(0)}")
    record_trace(proj, opened.session_id, TraceRecord(tool="Bash", summary=in_args[1].context))
    result = clock_out(
        proj,
        transcript=transcript,
        summary=f"Rotated keys; old one was {in_args[2].context}",
        decisions=[f"Move {in_args[3].context} to the vault", in_args[4].context],
        blockers=[f"blocked by {shown(5)}"],
        learnings=[f"never paste {in_args[6].context}", shown(7), in_args[8].context, shown(10)],
    )
    assert result.tool_calls > 5 * len(in_transcript)
    assert not leaks(result.model_dump_json(), secrets)

    scanned = 0
    for path in hestai_files(proj):
        data = path.read_bytes()
        text = data.decode("utf-8", "replace")
        leaked = leaks(text, secrets)
        assert not leaked, f"{path}: leaked {[s.kind for s in leaked]}"
        assert not any(s.value.encode() in data for s in secrets), path
        if path.name.endswith(".oct.md"):
            oracle_check(text)
        scanned += 1
    assert scanned >= 8

    archive_text = (proj.root / result.archive_path).read_text()
    data = read_archive(archive_text)
    assert len(data.tool_calls) == result.tool_calls  # redaction drops no tool call
    assert "[REDACTED" in archive_text
    assert data.meta.decision_count >= 2 and data.meta.learning_count >= 3
