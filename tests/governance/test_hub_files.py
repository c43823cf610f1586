"""The bundled hub itself: every file is canonical OCTAVE and says what the code relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hestai_tmws import layout
from hestai_tmws.governance import hub as hubmod
from hestai_tmws.governance.rules import load_agents, load_routing, naming_patterns
from hestai_tmws.octave import emit, parse
from tests.governance.conftest import BUNDLED
from tests.octave_oracle import reference

OCT_FILES = sorted(p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.oct.md"))
REQUIRED_TYPES = {
    "decision",
    "report",
    "context",
    "north-star",
    "checklist",
    "negative",
    "session-archive",
    "pattern",
    "skill",
    "learnings-index",
    "suggestion-log",
    "feedback-log",
    "adoption-log",
    "active-session",
    "provenance",
    "history-period",
}
ROLES = {
    "system-steward",
    "implementation-lead",
    "critical-engineer",
    "holistic-orchestrator",
    "requirements-steward",
    "test-methodology-guardian",
    "security-specialist",
    "technical-architect",
}
OPERATORS = ("→", "⊕", "⇌", "∧", "∨", "⧺", "->", "+", "~", "<->")


def _quoted_strings(text: str) -> list[str]:
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)


def test_hub_has_the_expected_files() -> None:
    assert (BUNDLED / "VERSION").read_text().strip() == "1.0.0"
    assert len(OCT_FILES) == 22  # 4 governance files, 8 agents, 10 templates
    for rel in (
        "governance/rules/naming-standard.oct.md",
        "governance/rules/visibility-rules.oct.md",
        "governance/rules/workflow-methodology.oct.md",
        "governance/workflow/001-workflow-north-star.oct.md",
    ):
        assert rel in OCT_FILES
    templates = {Path(p).name for p in OCT_FILES if p.startswith("templates/")}
    assert templates == {
        f"{n}.oct.md"
        for n in (
            "octave-primer",
            "project-context",
            "project-history",
            "project-roadmap",
            "project-checklist",
            "context-negatives",
            "north-star",
            "session-archive",
            "decision",
            "report",
        )
    }


@pytest.mark.parametrize("rel", OCT_FILES)
def test_file_is_canonical_under_the_reference_parser(rel: str) -> None:
    octave_mcp = reference()
    text = (BUNDLED / rel).read_text(encoding="utf-8")
    _doc, warnings = octave_mcp.parse_with_warnings(text)
    assert warnings == []
    assert octave_mcp.emit(octave_mcp.parse(text)) == text


@pytest.mark.parametrize("rel", OCT_FILES)
def test_file_parses_with_our_reader(rel: str) -> None:
    text = (BUNDLED / rel).read_text(encoding="utf-8")
    doc = parse(text)
    assert emit(doc) == text  # canonical for our emitter too, so the Steward can re-render it
    assert doc.name == doc.meta["TYPE"]
    assert doc.sections, "every hub document has at least one section"
    # Free text stays plain: no operator characters inside quoted strings.
    for value in _quoted_strings(text):
        if value.startswith("^") and rel.startswith("governance/rules/"):
            continue  # regexes need + and | by nature; the oracle above checks them
        assert not any(op in value for op in OPERATORS), f"{rel}: operator inside {value!r}"


def test_all_document_types_are_routed_to_the_layout_folders() -> None:
    rules = load_routing(BUNDLED)
    assert set(rules) >= REQUIRED_TYPES
    expected = {
        "context": (layout.CONTEXT, "project-context.oct.md"),
        "history": (layout.CONTEXT, "project-history.oct.md"),
        "roadmap": (layout.CONTEXT, "project-roadmap.oct.md"),
        "checklist": (layout.CONTEXT, "project-checklist.oct.md"),
        "negative": (layout.CONTEXT, "context-negatives.oct.md"),
        "north-star": (layout.WORKFLOW, layout.NORTH_STAR.rsplit("/", 1)[1]),
        "decision": (layout.DECISIONS, "001-use-octave.oct.md"),
        "active-session": (layout.SESSIONS_ACTIVE, "2026-09-14-a1b2c3/session.json"),
        "session-archive": (layout.SESSIONS_ARCHIVE, "2026-09-14-retry-logic-a1b2c3d4.oct.md"),
        "report": (layout.REPORTS, "2026-09-30-b2-quality-gate.oct.md"),
        "pattern": (layout.PATTERNS, "run-tests-after-edit.oct.md"),
        "skill": (layout.SKILLS, "run-focused-tests/SKILL.md"),
        "learnings-index": (layout.SESSIONS_ARCHIVE, layout.LEARNINGS_INDEX.rsplit("/", 1)[1]),
        "suggestion-log": (layout.LEARNING, layout.SUGGESTIONS_LOG.rsplit("/", 1)[1]),
        "feedback-log": (layout.LEARNING, layout.FEEDBACK_LOG.rsplit("/", 1)[1]),
        "adoption-log": ("", layout.ADOPTIONS_LOG),
        "legacy": (layout.LEGACY, "hestai-mcp/context/PROJECT-CONTEXT.oct.md"),
    }
    for doc_type, (folder, example) in expected.items():
        rule = rules[doc_type]
        assert rule.folder == folder, doc_type
        assert rule.writer == "system-steward"
        assert rule.matches(rule.path_for(example)), doc_type
    for name in layout.CONTEXT_DOCS:
        assert any(r.matches(f"{layout.CONTEXT}/{name}.oct.md") for r in rules.values())
    assert rules["north-star"].matches(layout.NORTH_STAR)
    assert not rules["active-session"].committed
    assert all(r.committed for t, r in rules.items() if t != "active-session")
    jsonl = {t for t, r in rules.items() if r.format == "jsonl"}
    assert jsonl == {
        "learnings-index",
        "suggestion-log",
        "feedback-log",
        "adoption-log",
        "provenance",
    }
    assert all(rules[t].append_only and rules[t].envelope is None for t in jsonl)
    assert all(r.max_bytes and r.max_bytes > 0 for r in rules.values())


def test_octave_types_name_their_envelope_and_templates_agree() -> None:
    rules = load_routing(BUNDLED)
    templates = {
        "context": "project-context",
        "history": "project-history",
        "roadmap": "project-roadmap",
        "checklist": "project-checklist",
        "negative": "context-negatives",
        "north-star": "north-star",
        "session-archive": "session-archive",
        "decision": "decision",
        "report": "report",
    }
    for doc_type, template in templates.items():
        rule = rules[doc_type]
        assert rule.format == "octave" and rule.envelope
        doc = parse((BUNDLED / "templates" / f"{template}.oct.md").read_text(encoding="utf-8"))
        assert doc.name == rule.envelope, template
        assert doc.meta["TYPE"] == rule.envelope
    assert {r.envelope for r in rules.values() if r.format == "octave"} >= {"PATTERN"}


def test_routing_patterns_agree_with_the_naming_standard() -> None:
    rules = load_routing(BUNDLED)
    names = naming_patterns(BUNDLED)
    for doc_type in ("decision", "session-archive", "report", "north-star"):
        assert rules[doc_type].pattern == names[doc_type].pattern, doc_type
    assert rules["pattern"].pattern == names["pattern-record"].pattern


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        ("slug", ["a", "retry-logic", "b2-gate"], ["", "-a", "a-", "a--b", "A", "a_b", "ä"]),
        ("decision", ["001-use-jsonl.oct.md"], ["1-x.oct.md", "001-X.oct.md", "001-x.md"]),
        (
            "session-archive",
            ["2026-09-14-retry-logic-a1b2c3d4.oct.md"],
            ["2026-09-14-a1b2c3d4.oct.md", "2026-09-14-retry-A1B2C3D4.oct.md"],
        ),
        ("report", ["2026-09-30-b2-quality-gate.oct.md"], ["2026-9-30-x.oct.md", "gate.oct.md"]),
        ("jsonl-log", ["feedback.jsonl"], ["feedback.json", "Feedback.jsonl"]),
        ("skill-file", ["SKILL.md"], ["skill.md"]),
        ("id8", ["a1b2c3d4"], ["a1b2c3d", "A1B2C3D4"]),
        ("context-doc", ["project-roadmap.oct.md"], ["project-plan.oct.md"]),
    ],
)
def test_naming_patterns(pattern: str, good: list[str], bad: list[str]) -> None:
    regex = naming_patterns(BUNDLED)[pattern]
    for name in good:
        assert regex.match(name), name
    for name in bad:
        assert not regex.match(name), name


def test_naming_examples_route_as_the_standard_says() -> None:
    from hestai_tmws.governance.rules import route

    rules = load_routing(BUNDLED)
    doc = parse((BUNDLED / "governance/rules/naming-standard.oct.md").read_text(encoding="utf-8"))
    examples = doc.section("EXAMPLES")
    assert examples is not None
    good, bad = examples.body["GOOD"], examples.body["BAD"]
    assert isinstance(good, list) and isinstance(bad, list)
    for rel in good:
        assert route(rules, str(rel)) is not None, rel
    for rel in bad:
        assert route(rules, str(rel)) is None, rel


def test_eight_agents_with_complete_identities() -> None:
    agents = load_agents(BUNDLED)
    assert set(agents) >= ROLES
    seen_commitments: set[str] = set()
    for role, agent in agents.items():
        assert agent.role == role
        assert len(agent.mission) > 30 and len(agent.authority) > 30
        assert 3 <= len(agent.must_always) <= 6, role
        assert 3 <= len(agent.must_never) <= 6, role
        assert agent.outputs
        assert agent.phases and agent.escalates_to
        for line in agent.commitments:
            assert line not in seen_commitments, f"{role}: {line!r} is copied from another role"
            seen_commitments.add(line)
        assert set(agent.works_with) <= set(agents), role
    phases = {"D0", "D1", "D2", "D3", "B0", "B1", "B2", "B3", "B4"}
    assert all(set(a.phases) <= phases for a in agents.values())


def test_methodology_phase_leads_are_defined_agents() -> None:
    agents = load_agents(BUNDLED)
    doc = parse((BUNDLED / "governance/rules/workflow-methodology.oct.md").read_text("utf-8"))
    phases = doc.section("PHASES")
    assert phases is not None and len(phases.body) == 9
    for phase in phases.body.values():
        assert isinstance(phase, dict)
        assert phase["LEAD"] in agents


def test_bundled_hub_validates() -> None:
    info = hubmod.validate_hub(BUNDLED)
    assert info.version == "1.0.0"
    assert set(info.agents) >= ROLES
    assert set(info.doc_types) >= REQUIRED_TYPES
    assert "VERSION" in info.files and "CHANGELOG.md" in info.files
    assert len(info.files) == len(OCT_FILES) + 2
