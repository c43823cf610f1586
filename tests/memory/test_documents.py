"""document_submit: routing, naming, validation, refusals, redaction and decision numbering."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hestai_tmws.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
    UsageError,
    ValidationError,
)
from hestai_tmws.memory.documents import SUBMITTABLE, submit_document
from hestai_tmws.octave import Literal, parse
from hestai_tmws.project import Project
from hestai_tmws.steward.steward import content_hash
from tests.conftest import git
from tests.memory.support import (
    files_under,
    memory_text,
    open_session,
    write_settings,
)
from tests.octave_oracle import assert_oracle_clean

NOW = datetime(2026, 9, 14, 10, 30, tzinfo=UTC)
DECISION_NAME = re.compile(r"^[0-9]{3}-[a-z0-9]+(-[a-z0-9]+)*[.]oct[.]md$")

EXPECTED_PATHS = {
    "decision": "workflow/decisions/001-use-jsonl-for-logs.oct.md",
    "report": "reports/2026-09-14-use-jsonl-for-logs.oct.md",
    "context": "context/project-context.oct.md",
    "checklist": "context/project-checklist.oct.md",
    "negative": "context/context-negatives.oct.md",
    "roadmap": "context/project-roadmap.oct.md",
    "north-star": "workflow/000-project-north-star.oct.md",
}
ENVELOPES = {
    "decision": "DECISION",
    "report": "REPORT",
    "context": "PROJECT_CONTEXT",
    "checklist": "PROJECT_CHECKLIST",
    "negative": "CONTEXT_NEGATIVES",
    "roadmap": "PROJECT_ROADMAP",
    "north-star": "NORTH_STAR",
}


def submit(project: Project, doc_type: str, content: str = "Some text.\n", **kw: object) -> object:
    kw.setdefault("title", "Use JSONL for logs")
    kw.setdefault("now", NOW)
    return submit_document(project, doc_type=doc_type, content=content, **kw)  # type: ignore[arg-type]


# -- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", SUBMITTABLE)
def test_every_type_is_routed_to_its_place(ready: Project, doc_type: str) -> None:
    session = open_session(ready)
    text = "First line\n\nSecond line\n"
    result = submit(ready, doc_type, text + "- a rule\n" if doc_type == "north-star" else text)
    rel = EXPECTED_PATHS[doc_type]
    assert result.rel == rel
    assert result.path == f".hestai/{rel}"
    text = memory_text(ready, rel)
    assert_oracle_clean(text)
    doc = parse(text)
    assert doc.name == ENVELOPES[doc_type]
    assert doc.meta["TYPE"] == ENVELOPES[doc_type]
    assert doc.meta["TITLE"] == "Use JSONL for logs"
    assert doc.meta["DATE"] == "2026-09-14"
    assert doc.meta["SESSION"] == session.id
    assert doc.meta["AUTHOR_ROLE"] == "implementation-lead"
    if doc_type == "north-star":  # text is read into the template's structure
        assert doc.sections[0].body["STATEMENT"] == "First line Second line"
    else:
        assert doc.sections[0].body["TEXT"] == Literal("First line\n\nSecond line\n", "markdown")
    assert result.sha256 == content_hash(text)
    assert result.source_format == "text"
    # written by the Steward: in the ledger, and staged in git
    from hestai_tmws.steward import Steward

    blob = git(ready.root, "hash-object", str(ready.hestai / rel)).strip()
    assert Steward(ready).ledger.index().knows(f".hestai/{rel}", blob)
    assert f".hestai/{rel}" in git(ready.root, "diff", "--cached", "--name-only").split()


def test_decisions_are_numbered_in_order(ready: Project) -> None:
    first = submit(ready, "decision", title="First choice")
    second = submit(ready, "decision", title="Second choice")
    assert (first.number, second.number) == (1, 2)
    assert second.rel == "workflow/decisions/002-second-choice.oct.md"
    assert parse(memory_text(ready, second.rel)).meta["NUMBER"] == "002"


def test_decision_number_follows_the_highest_existing(ready: Project) -> None:
    from hestai_tmws.steward import Steward

    existing = "===DECISION===\nMETA:\n  TYPE::DECISION\n---\n===END===\n"
    Steward(ready).write_text("workflow/decisions/007-older.oct.md", existing)
    assert submit(ready, "decision", title="Next").number == 8


def test_reports_with_the_same_name_on_one_day_do_not_overwrite(ready: Project) -> None:
    first = submit(ready, "report", "one\n", title="Gate B2")
    second = submit(ready, "report", "two\n", title="Gate B2")
    assert first.rel == "reports/2026-09-14-gate-b2.oct.md"
    assert second.rel == "reports/2026-09-14-gate-b2-2.oct.md"
    assert "one" in memory_text(ready, first.rel)


def test_without_session_the_document_names_none(ready: Project) -> None:
    result = submit(ready, "decision")
    doc = parse(memory_text(ready, result.rel))
    assert doc.meta["SESSION"] is None and doc.meta["AUTHOR_ROLE"] is None
    assert result.session_id is None


def test_unknown_session_is_an_error(ready: Project) -> None:
    with pytest.raises(NotFoundError):
        submit(ready, "decision", session_id="abcdef123456")


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_type", ["history", "session-archive", "pattern", "skill", "active-session"]
)
def test_types_written_by_other_services_are_refused(ready: Project, doc_type: str) -> None:
    with pytest.raises(PolicyError, match="cannot be submitted"):
        submit(ready, doc_type)


@pytest.mark.parametrize("doc_type", ["learnings-index", "feedback-log"])
def test_log_types_are_refused(ready: Project, doc_type: str) -> None:
    with pytest.raises(PolicyError):
        submit(ready, doc_type)


@pytest.mark.parametrize(
    "doc_type",
    [
        "banana",
        "../decision",
        "decision/../../x",
        "decision\x00",
        "",
        "/etc/passwd",
        "dec ision",
        "workflow/decisions",
        "DECISION.oct.md",
    ],
)
def test_unknown_and_path_like_types_are_refused(ready: Project, doc_type: str) -> None:
    before = sorted(p.relative_to(ready.root) for p in ready.hestai.rglob("*"))
    with pytest.raises(UsageError) as info:
        submit(ready, doc_type)
    assert "decision" in (info.value.hint or "")
    assert sorted(p.relative_to(ready.root) for p in ready.hestai.rglob("*")) == before


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\windows\\system32", "windows-system32"),
        ("/absolute/path.oct.md", "absolute-path-oct-md"),
        ("Überprüfung der Größe", "uberprufung-der-groe"),
        ("  Use   JSONL\nfor\tlogs  ", "use-jsonl-for-logs"),
        ("a" * 60, "a" * 48),
        ("word " * 30, "-".join(["word"] * 9)),
    ],
)
def test_titles_become_safe_slugs(ready: Project, title: str, slug: str) -> None:
    result = submit(ready, "decision", title=title)
    assert result.slug == slug
    assert result.rel == f"workflow/decisions/001-{slug}.oct.md"
    assert (ready.hestai / result.rel).is_file()


@pytest.mark.parametrize("title", ["..", "../..", "/", "....//", "   ", "!!!", "日本語"])
def test_titles_without_letters_are_refused(ready: Project, title: str) -> None:
    with pytest.raises(UsageError):
        submit(ready, "decision", title=title)
    assert files_under(ready, "workflow/decisions") == []


def test_overlong_title_is_refused(ready: Project) -> None:
    with pytest.raises(UsageError, match="200"):
        submit(ready, "decision", title="x" * 201)


def test_decision_needs_a_title(ready: Project) -> None:
    with pytest.raises(UsageError, match="title"):
        submit_document(ready, doc_type="decision", content="text", now=NOW)


def test_oversized_content_is_refused_with_the_routing_limit(ready: Project) -> None:
    with pytest.raises(ValidationError, match="65536 bytes"):
        submit(ready, "decision", "x" * 70_000)
    assert files_under(ready, "workflow/decisions") == []


def test_oversized_content_is_refused_with_the_setting(ready: Project) -> None:
    write_settings(ready, max_document_bytes=1000)
    with pytest.raises(ValidationError, match="1000 bytes"):
        submit(ready, "report", "y" * 1001)
    assert submit(ready, "report", "y" * 500).bytes <= 1000


def test_rendered_size_is_checked_too(ready: Project) -> None:
    write_settings(ready, max_document_bytes=300)
    with pytest.raises(ValidationError, match="would be"):
        submit(ready, "report", "z" * 290)
    assert files_under(ready, "reports") == []


@pytest.mark.parametrize("content", ["", "   \n\t\n", "bad \x00 byte", "bell \x07 here"])
def test_empty_or_binary_content_is_refused(ready: Project, content: str) -> None:
    with pytest.raises(ValidationError):
        submit(ready, "report", content)


# -- OCTAVE and plain content ------------------------------------------------------------------

OCTAVE_DECISION = """===DECISION===
META:
  TYPE::DECISION
  STATUS::APPROVED
---
§1::CONTEXT
  PROBLEM::"Logs conflict when two branches append"
§2::DECISION
  CHOICE::"JSON Lines with the union merge driver"
  FLOW::[append→commit→merge]
===END===
"""


def test_octave_content_is_validated_and_completed(ready: Project) -> None:
    session = open_session(ready)
    result = submit(ready, "decision", OCTAVE_DECISION, title="Use JSONL")
    assert result.source_format == "octave"
    text = memory_text(ready, result.rel)
    assert_oracle_clean(text)
    doc = parse(text)
    assert doc.meta["STATUS"] == "APPROVED"
    assert doc.meta["TITLE"] == "Use JSONL"
    assert doc.meta["SESSION"] == session.id
    assert doc.section("DECISION").body["CHOICE"] == "JSON Lines with the union merge driver"  # type: ignore[union-attr]


def test_octave_title_comes_from_meta_when_not_given(ready: Project) -> None:
    text = OCTAVE_DECISION.replace("  STATUS::APPROVED\n", '  TITLE::"Logs as JSONL"\n')
    result = submit_document(ready, doc_type="decision", content=text, now=NOW)
    assert result.rel == "workflow/decisions/001-logs-as-jsonl.oct.md"


def test_octave_with_the_wrong_envelope_is_refused(ready: Project) -> None:
    with pytest.raises(ValidationError, match="===DECISION==="):
        submit(ready, "decision", OCTAVE_DECISION.replace("===DECISION===", "===REPORT==="))


def test_octave_with_the_wrong_meta_type_is_refused(ready: Project) -> None:
    with pytest.raises(ValidationError, match="META TYPE"):
        submit(ready, "decision", OCTAVE_DECISION.replace("TYPE::DECISION", "TYPE::REPORT"))


def test_invalid_octave_is_refused_with_a_line(ready: Project) -> None:
    broken = OCTAVE_DECISION.replace('  PROBLEM::"Logs', '  PROBLEM: "Logs')
    with pytest.raises(ValidationError, match="line"):
        submit(ready, "decision", broken)
    assert files_under(ready, "workflow/decisions") == []


def test_plain_text_is_kept_verbatim_in_a_literal_zone(ready: Project) -> None:
    text = (
        "# Heading\n\nSome **markdown** with a → arrow, a\ttab and a fence:\n\n"
        "```python\nprint('hi')\n```\n\n===END===\n§1::NOT_A_SECTION\nKEY::value\n"
    )
    result = submit(ready, "report", text)
    written = memory_text(ready, result.rel)
    assert_oracle_clean(written)
    assert parse(written).sections[0].body["TEXT"] == Literal(text, "markdown")


def test_windows_newlines_are_normalised(ready: Project) -> None:
    result = submit(ready, "report", "a\r\nb\r\n")
    assert parse(memory_text(ready, result.rel)).sections[0].body["TEXT"] == Literal(
        "a\nb\n", "markdown"
    )


# -- secrets -----------------------------------------------------------------------------------

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_secrets_in_text_are_redacted_and_reported(ready: Project) -> None:
    result = submit(ready, "report", f"We used the token {TOKEN} by mistake.\n")
    written = memory_text(ready, result.rel)
    assert TOKEN not in written
    assert "[REDACTED:" in written
    assert result.redactions == 1
    assert result.redaction_kinds
    assert any("redacted" in note for note in result.notes)


def test_secrets_in_octave_values_are_redacted(ready: Project) -> None:
    text = OCTAVE_DECISION.replace(
        "  STATUS::APPROVED\n", f'  STATUS::APPROVED\n  API_KEY::"{TOKEN}"\n'
    )
    result = submit(ready, "decision", text)
    written = memory_text(ready, result.rel)
    assert TOKEN not in written
    assert_oracle_clean(written)
    assert result.redactions >= 1


# -- fixed documents ---------------------------------------------------------------------------


def test_fixed_document_replacement_with_a_stale_hash_conflicts(ready: Project) -> None:
    current = memory_text(ready, "context/project-checklist.oct.md")
    with pytest.raises(ConflictError) as info:
        submit(ready, "checklist", "new\n", base_hash="0" * 64)
    assert info.value.current == current
    assert info.value.current_hash == content_hash(current)
    ok = submit(ready, "checklist", "new\n", base_hash=content_hash(current))
    assert ok.changed


def test_north_star_template_can_be_replaced_once(ready: Project) -> None:
    submit(ready, "north-star", "Our mission.\n- our mission. holds\n", title="North star")
    with pytest.raises(PolicyError, match="immutable"):
        submit(
            ready, "north-star", "Another mission.\n- another mission. holds\n", title="North star"
        )


def test_north_star_change_needs_an_existing_approved_decision(ready: Project) -> None:
    submit(ready, "north-star", "Our mission.\n- our mission. holds\n", title="North star")
    with pytest.raises(PolicyError, match="does not exist"):
        submit(ready, "north-star", "v2\n- v2 holds\n", title="North star", approved_decision="5")
    proposed = OCTAVE_DECISION.replace("STATUS::APPROVED", "STATUS::PROPOSED")
    submit(ready, "decision", proposed, title="Proposed change")
    with pytest.raises(PolicyError, match="PROPOSED"):
        submit(ready, "north-star", "v2\n- v2 holds\n", title="North star", approved_decision="1")
    submit(ready, "decision", OCTAVE_DECISION, title="Approved change")
    result = submit(
        ready, "north-star", "v2\n- v2 holds\n", title="North star", approved_decision="002"
    )
    doc = parse(memory_text(ready, result.rel))
    assert doc.meta["APPROVED_BY"] == "workflow/decisions/002-approved-change.oct.md"


def test_north_star_decision_number_must_be_a_number(ready: Project) -> None:
    submit(ready, "north-star", "Our mission.\n- our mission. holds\n", title="North star")
    with pytest.raises(UsageError):
        submit(ready, "north-star", "v2\n- v2 holds\n", approved_decision="../001")


def test_result_serialises_to_json(ready: Project) -> None:
    result = submit(ready, "decision")
    data = json.loads(result.model_dump_json())
    assert data["rel"] == "workflow/decisions/001-use-jsonl-for-logs.oct.md"
    assert Path(ready.root / data["path"]).is_file()


def test_a_plain_text_north_star_keeps_mission_and_requirements(ready: Project) -> None:
    text = (
        "Sync invoices for finance.\n\n- One ledger entry per invoice\n- EU only\n\n"
        "Out of scope:\n- Payments\n"
    )
    result = submit(ready, "north-star", text, title="North star")
    doc = parse(memory_text(ready, result.rel))
    assert doc.section("MISSION").body["STATEMENT"] == "Sync invoices for finance."  # type: ignore[union-attr]
    immutables = doc.section("IMMUTABLES").body  # type: ignore[union-attr]
    assert [v["RULE"] for v in immutables.values()] == ["One ledger entry per invoice", "EU only"]  # type: ignore[index]
    assert doc.section("OUT_OF_SCOPE").body["LIST"] == ["Payments"]  # type: ignore[union-attr]


def test_a_plain_text_north_star_without_requirements_is_refused_with_an_example(
    ready: Project,
) -> None:
    with pytest.raises(UsageError) as info:
        submit(ready, "north-star", "Just a mission.\n", title="North star")
    assert info.value.hint and "- Every invoice" in info.value.hint


def test_a_decision_without_status_does_not_approve_a_north_star_change(ready: Project) -> None:
    submit(ready, "north-star", "Our mission.\n- it holds\n", title="North star")
    submit(
        ready, "decision", OCTAVE_DECISION.replace("  STATUS::APPROVED\n", ""), title="No status"
    )
    with pytest.raises(PolicyError, match="missing"):
        submit(ready, "north-star", "v2\n- v2 holds\n", title="North star", approved_decision="1")
