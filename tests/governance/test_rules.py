"""Typed rules: routing paths, slugs, agents, and loading from a hub, .hestai-sys or a project."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.rules import (
    RoutingRule,
    load_agent,
    load_agents,
    load_routing,
    naming_patterns,
    route,
    slugify,
    template_path,
)
from hestai_tmws.project import Project
from tests.governance.conftest import BUNDLED

SLUG = naming_patterns(BUNDLED)["slug"]


@pytest.mark.parametrize(
    ("rel", "doc_type"),
    [
        ("context/project-context.oct.md", "context"),
        (".hestai/context/context-negatives.oct.md", "negative"),
        ("workflow/000-project-north-star.oct.md", "north-star"),
        ("workflow/decisions/012-drop-sqlite.oct.md", "decision"),
        ("sessions/active/2026-01-02-abcdef12/trace.jsonl", "active-session"),
        ("sessions/archive/2026-01-02-fix-login-abcdef12.oct.md", "session-archive"),
        ("learning/skills/run-tests/SKILL.md", "skill"),
        ("learning/suggestions.jsonl", "suggestion-log"),
        ("sessions/archive/learnings-index.jsonl", "learnings-index"),
        ("adoptions.jsonl", "adoption-log"),
    ],
)
def test_route_finds_the_document_type(rel: str, doc_type: str) -> None:
    rule = route(load_routing(BUNDLED), rel)
    assert rule is not None and rule.doc_type == doc_type


@pytest.mark.parametrize(
    "rel",
    [
        "context/notes.oct.md",
        "workflow/decisions/12-drop-sqlite.oct.md",
        "workflow/decisions/sub/012-x.oct.md",
        "sessions/archive/fix-login.oct.md",
        "learning/skills/run-tests/skill.md",
        "learning/skills/SKILL.md",
        "reports/q3.oct.md",
        "random.txt",
        "learning/patterns/Bad_Name.oct.md",
    ],
)
def test_route_rejects_paths_outside_the_standard(rel: str) -> None:
    assert route(load_routing(BUNDLED), rel) is None


def test_path_for_checks_the_name() -> None:
    rule = load_routing(BUNDLED)["decision"]
    assert rule.path_for("003-pick-a-db.oct.md") == "workflow/decisions/003-pick-a-db.oct.md"
    with pytest.raises(ValidationError, match="not a valid decision name"):
        rule.path_for("pick a db.oct.md")


def test_routing_rule_rejects_bad_entries() -> None:
    base = dict(doc_type="x", folder="a", pattern="^x$", committed=True)
    assert RoutingRule.model_validate(base).writer == "system-steward"
    for bad in ({"folder": "../etc"}, {"folder": "/abs"}, {"pattern": "x"}, {"pattern": "^(x$"}):
        with pytest.raises(ValueError):
            RoutingRule.model_validate({**base, **bad})


@given(st.text(max_size=200))
def test_slugify_always_yields_a_valid_short_slug(text: str) -> None:
    slug = slugify(text)
    assert SLUG.match(slug), slug
    assert len(slug) <= 48


def test_slugify_examples() -> None:
    assert slugify("Add retry logic to the sync client!") == "add-retry-logic-to-the-sync-client"
    assert slugify("Élan   vital") == "elan-vital"
    assert slugify("***") == "untitled"
    long = "word " * 20
    assert slugify(long) == "-".join(["word"] * 9)  # cut at a hyphen, never mid-word


def test_load_agent_and_unknown_role() -> None:
    agent = load_agent(BUNDLED, "system-steward")
    assert any("routing table" in line for line in agent.must_always)
    with pytest.raises(NotFoundError) as err:
        load_agent(BUNDLED, "wizard")
    assert err.value.hint is not None and "implementation-lead" in err.value.hint


def test_template_path() -> None:
    assert template_path(BUNDLED, "decision").name == "decision.oct.md"
    with pytest.raises(NotFoundError):
        template_path(BUNDLED, "nope")


def test_rules_load_from_a_project_and_from_hestai_sys(project: Project) -> None:
    assert load_routing(project) == load_routing(BUNDLED)
    inject(project)
    assert load_agents(project.hestai_sys) == load_agents(BUNDLED)
    assert load_routing(project.hestai_sys) == load_routing(BUNDLED)


def test_rules_reload_when_the_file_changes(hub_copy: Path) -> None:
    path = hub_copy / "agents" / "critical-engineer.oct.md"
    assert load_agent(hub_copy, "critical-engineer").mission.startswith("Find what")
    path.write_text(path.read_text().replace("Find what will break", "Spot what will break"))
    assert load_agent(hub_copy, "critical-engineer").mission.startswith("Spot what")


def test_bad_agent_files_are_reported_with_their_name(hub_copy: Path) -> None:
    path = hub_copy / "agents" / "critical-engineer.oct.md"
    text = path.read_text()
    path.write_text(
        text.replace("  ROLE::critical-engineer\n  MISSION", "  ROLE::other\n  MISSION")
    )
    with pytest.raises(ValidationError, match=r"critical-engineer\.oct\.md: ROLE is 'other'"):
        load_agents(hub_copy)
    start = text.index("  MUST_NEVER::[")
    end = text.index("  ]\n", start) + 4
    path.write_text(text[:start] + text[end:])
    with pytest.raises(ValidationError, match="MUST_NEVER"):
        load_agents(hub_copy)
