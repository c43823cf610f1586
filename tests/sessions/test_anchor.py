"""anchor_submit and require_anchor: identity checks against the role definition."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import NotFoundError, PolicyError, UsageError
from hestai_tmws.governance.rules import load_agent
from hestai_tmws.memory.context import update_context
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.project import Project
from hestai_tmws.sessions.anchor import require_anchor, submit_anchor
from hestai_tmws.sessions.commitments import commitment_score
from hestai_tmws.sessions.store import load_session, save_session
from hestai_tmws.steward import Steward
from tests.memory.support import (
    PARAPHRASED_ALWAYS,
    PARAPHRASED_NEVER,
    ROLE,
    governance_version,
    open_session,
    write_settings,
)


def anchor(project: Project, **kw: Any) -> Any:
    kw.setdefault("role", ROLE)
    kw.setdefault("governance_version", governance_version(project))
    kw.setdefault("must_always", PARAPHRASED_ALWAYS)
    kw.setdefault("must_never", PARAPHRASED_NEVER)
    return submit_anchor(project, **kw)


def test_a_paraphrased_anchor_passes_and_is_recorded(ready: Project) -> None:
    session = open_session(ready)
    result = anchor(ready, focus="retry logic")
    assert result.passed, [f.message for f in result.failures]
    assert result.failures == []
    assert len(result.checks) == 10 and all(c.passed for c in result.checks)
    assert result.session_id == session.id
    stored = load_session(ready, session.id).anchor
    assert stored is not None
    assert stored.passed is True
    assert stored.role == ROLE
    assert stored.governance_version == governance_version(ready)
    assert stored.focus == "retry logic"
    assert stored.threshold == 80.0


def test_the_definitions_own_words_pass(ready: Project) -> None:
    open_session(ready)
    agent = load_agent(ready, ROLE)
    result = anchor(ready, must_always=agent.must_always, must_never=agent.must_never)
    assert result.passed
    assert all(c.score == 100.0 for c in result.checks)


def test_unknown_role_fails(ready: Project) -> None:
    open_session(ready, role="ghost-writer")
    result = anchor(ready, role="ghost-writer")
    assert not result.passed
    assert [f.point for f in result.failures] == ["role"]
    assert "known roles" in result.failures[0].message
    assert result.checks == []


def test_role_other_than_the_sessions_fails(ready: Project) -> None:
    open_session(ready, role="technical-architect")
    result = anchor(ready)
    assert "session_role" in [f.point for f in result.failures]


def test_wrong_governance_version_fails(ready: Project) -> None:
    open_session(ready)
    result = anchor(ready, governance_version="0.0.1")
    assert [f.point for f in result.failures] == ["governance_version"]
    failure = result.failures[0]
    assert failure.expected == governance_version(ready) and failure.got == "0.0.1"


def test_version_prefix_v_is_accepted(ready: Project) -> None:
    open_session(ready)
    assert anchor(ready, governance_version="v" + governance_version(ready)).passed


def test_a_missing_commitment_fails_with_that_commitment(ready: Project) -> None:
    open_session(ready)
    never = [s for s in PARAPHRASED_NEVER if "secrets" not in s]
    result = anchor(ready, must_never=never)
    assert not result.passed
    assert [f.point for f in result.failures] == ["must_never"]
    assert result.failures[0].expected == "Commit secrets, credentials or large generated files"


def test_commitments_in_the_wrong_list_do_not_count(ready: Project) -> None:
    open_session(ready)
    result = anchor(ready, must_always=PARAPHRASED_NEVER, must_never=PARAPHRASED_ALWAYS)
    points = {f.point for f in result.failures}
    assert points == {"must_always", "must_never"}
    assert len(result.failures) == 10


def test_fragments_do_not_pass(ready: Project) -> None:
    open_session(ready)
    result = anchor(ready, must_always=["test", "run tests", "small"], must_never=["secrets"])
    assert not result.passed
    assert len([f for f in result.failures if f.point in ("must_always", "must_never")]) == 10


def test_the_threshold_is_configurable(ready: Project) -> None:
    open_session(ready)
    write_settings(ready, anchor_threshold=99)
    strict = anchor(ready)
    assert not strict.passed and strict.threshold == 99.0
    write_settings(ready, anchor_threshold=50)
    loose = anchor(ready, must_never=[*PARAPHRASED_NEVER[:4], "Edit hestai files by hand"])
    assert loose.passed


def test_a_new_anchor_replaces_the_old_verdict(ready: Project) -> None:
    session = open_session(ready)
    anchor(ready)
    anchor(ready, governance_version="9.9")
    stored = load_session(ready, session.id).anchor
    assert stored is not None and stored.passed is False
    assert stored.failures


def test_anchor_needs_an_open_session(ready: Project) -> None:
    with pytest.raises(NotFoundError):
        anchor(ready)
    open_session(ready)
    open_session(ready)
    with pytest.raises(UsageError, match="2 sessions"):
        anchor(ready)


def test_anchor_input_limits(ready: Project) -> None:
    open_session(ready)
    with pytest.raises(UsageError):
        anchor(ready, role="  ")
    with pytest.raises(UsageError):
        anchor(ready, must_always=["x" * 501])
    with pytest.raises(UsageError):
        anchor(ready, must_never=["x"] * 51)


def test_named_session_is_anchored(ready: Project) -> None:
    first = open_session(ready)
    second = open_session(ready, focus="other")
    result = anchor(ready, session_id=second.id[:6])
    assert result.session_id == second.id
    assert load_session(ready, first.id).anchor is None


# -- scoring -----------------------------------------------------------------------------------


def test_score_examples() -> None:
    c = "Write or update a failing test before changing behaviour"
    assert commitment_score(c, c) == 100.0
    assert commitment_score(c, "I write a failing test first, before I change behavior") >= 80
    assert commitment_score(c, "test") < 50
    assert commitment_score(c, "Commit secrets, credentials or large generated files") < 50
    assert commitment_score(c, "") == 0.0


@settings(max_examples=100, deadline=None)
@given(a=st.text(max_size=80), b=st.text(max_size=80))
def test_score_is_bounded(a: str, b: str) -> None:
    assert 0.0 <= commitment_score(a, b) <= 100.0


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(["write", "failing", "test", "change", "behaviour"]), max_size=2)
)
def test_a_subset_of_words_never_covers_a_commitment(words: list[str]) -> None:
    c = "Write or update a failing test before changing behaviour"
    assert commitment_score(c, " ".join(words)) < 80


# -- anchor_required ---------------------------------------------------------------------------


def ctx_change() -> list[dict[str, Any]]:
    return [{"op": "append", "section": "RISKS", "key": "OPEN", "value": "x"}]


def test_not_required_by_default(ready: Project) -> None:
    require_anchor(ready, None)
    submit_document(ready, doc_type="report", title="r", content="text")


def test_required_anchor_blocks_writes_until_it_passes(ready: Project) -> None:
    write_settings(ready, anchor_required=True)
    with pytest.raises(PolicyError, match=r"clock-in|open session"):
        submit_document(ready, doc_type="report", title="r", content="text")
    session = open_session(ready)
    with pytest.raises(PolicyError, match="no anchor") as info:
        submit_document(ready, doc_type="report", title="r", content="text")
    assert "tmws anchor" in (info.value.hint or "")
    with pytest.raises(PolicyError, match="no anchor"):
        update_context(ready, document="context", changes=ctx_change())
    assert not anchor(ready, governance_version="0.1").passed
    with pytest.raises(PolicyError, match="failed anchor"):
        update_context(ready, document="context", changes=ctx_change(), session_id=session.id)
    assert anchor(ready).passed
    submit_document(ready, doc_type="report", title="r", content="text")
    update_context(ready, document="context", changes=ctx_change())


def test_required_anchor_can_come_from_the_environment(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMWS_ANCHOR_REQUIRED", "true")
    open_session(ready)
    with pytest.raises(PolicyError):
        require_anchor(ready, None)


def test_an_anchor_goes_stale_when_governance_changes(ready: Project) -> None:
    write_settings(ready, anchor_required=True)
    session = open_session(ready)
    assert anchor(ready).passed
    record = load_session(ready, session.id)
    assert record.anchor is not None
    record.anchor.governance_version = "0.0.0"  # as if anchored before a re-inject
    save_session(ready, Steward(ready), record)
    with pytest.raises(PolicyError, match="governance changed"):
        require_anchor(ready, session.id)


def test_internal_updates_can_skip_the_anchor(ready: Project) -> None:
    write_settings(ready, anchor_required=True)
    session = open_session(ready)
    update_context(
        ready, document="context", changes=ctx_change(), session_id=session.id, enforce_anchor=False
    )
