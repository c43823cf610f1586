"""The routing table handed to the Steward as its placement check."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.governance.locate import ENV_HUB
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.project import Project


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
