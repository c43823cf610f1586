"""The record views: a submitted document, and an anchor that passed or failed."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import records
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.project import Project
from hestai_tmws.sessions.anchor import submit_anchor
from tests.memory.support import open_session


def test_a_document_and_a_failed_anchor(ready: Project, capsys: pytest.CaptureFixture[str]) -> None:
    session = open_session(ready)
    result = submit_document(
        ready, doc_type="report", title="[all_done] report", content="text", session_id=session.id
    )
    records.document_result(result)
    assert capsys.readouterr().out.startswith(f"created {result.path} (")
    anchor = submit_anchor(
        ready,
        session_id=session.id,
        role="implementation-lead",
        governance_version="0.0.0",
        must_always=[],
        must_never=[],
    )
    records.anchor_result(anchor)
    out = capsys.readouterr().out
    assert not anchor.passed and out.startswith("anchor failed: ")
    assert all(f"  - {f.message}" in out for f in anchor.failures)
