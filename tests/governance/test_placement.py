"""The routing table handed to the Steward as its placement check."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.governance.locate import ENV_HUB, bundled_hub_path
from hestai_tmws.governance.placement import placement_from, routing_placement
from hestai_tmws.governance.rules import load_routing, route
from hestai_tmws.project import Project

_ROUTING = load_routing(bundled_hub_path())
_PLACEMENT = placement_from(_ROUTING)


def test_paths_map_to_their_routing_rule(project: Project) -> None:
    placement = routing_placement(project)
    assert placement is not None
    rule = placement("workflow/decisions/001-use-jsonl.oct.md")
    assert rule is not None and rule.doc_type == "decision"
    assert placement("nowhere/x.json") is None


def test_a_hub_without_a_readable_table_gives_no_placement(
    project: Project, hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for routing in hub_copy.rglob("visibility-rules.oct.md"):
        routing.write_text("not octave\n", encoding="utf-8")
    monkeypatch.setenv(ENV_HUB, str(hub_copy))
    assert routing_placement(project) is None


_RUNBOOK_RULE = """  RUNBOOK:
    DOC_TYPE::runbook
    FOLDER::runbooks
    PATTERN::"^[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*[.]oct[.]md$"
    WRITER::system-steward
    COMMITTED::true
    ENVELOPE::RUNBOOK
    MAX_BYTES::65536
    FORMAT::octave
    APPEND_ONLY::false
    DESCRIPTION::"A runbook a team added to its hub"
"""


def _hub_with_runbooks(hub_copy: Path) -> None:
    rules = hub_copy / "governance" / "rules" / "visibility-rules.oct.md"
    text = rules.read_text(encoding="utf-8")
    anchor = "  LEARNINGS_INDEX:\n"
    assert anchor in text
    rules.write_text(text.replace(anchor, _RUNBOOK_RULE + anchor, 1), encoding="utf-8")


def test_a_type_added_to_the_table_is_routed_submitted_and_created_by_init(
    repo: Path, hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.governance.rules import clear_caches
    from hestai_tmws.memory.documents import submit_document
    from hestai_tmws.workflows.init import init_project, layout_dirs

    _hub_with_runbooks(hub_copy)
    monkeypatch.setenv(ENV_HUB, str(hub_copy))
    clear_caches()
    project = Project.discover(repo)
    result = init_project(project)
    assert "runbooks" in layout_dirs(project)
    assert ".hestai/runbooks/" in result.folders and project.memory_path("runbooks").is_dir()
    doc = submit_document(project, doc_type="runbook", title="Restart the queue", content="x")
    assert doc.rel.startswith("runbooks/") and doc.rel.endswith("-restart-the-queue.oct.md")
    assert project.memory_path(doc.rel).read_text(encoding="utf-8").startswith("===RUNBOOK===")


@given(
    parts=st.lists(
        st.sampled_from(
            [
                "workflow",
                "decisions",
                "sessions",
                "archive",
                "context",
                "reports",
                "learning",
                "provenance",
                "x",
                ".hestai",
                "001-use-jsonl.oct.md",
                "2025-01-01-a-b.oct.md",
                "project-context.oct.md",
                "notes.md",
                "a.jsonl",
                "2025-01-01.jsonl",
                "b\\c",
            ]
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_router_routes_as_route(parts: list[str]) -> None:
    """`placement_from`'s table, read once, gives `route`'s rule for every path."""
    rel = "/".join(parts)
    assert _PLACEMENT(rel) is route(_ROUTING, rel)
