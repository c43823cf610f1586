"""`hestai_layout`: which HestAI-MCP layout, and every file's target by the naming standard."""

from __future__ import annotations

import os
from pathlib import Path

from hestai_tmws.workflows.hestai_layout import canonical_for, detect, legacy_target, plan_moves


def test_detect(tmp_path: Path) -> None:
    hestai = tmp_path / ".hestai"
    (hestai / "context").mkdir(parents=True)
    assert detect(hestai) is None
    (hestai / "context" / "project-context.oct.md").write_text("x")
    assert detect(hestai) is None  # tmws's own layout
    (hestai / "context" / "PROJECT-CONTEXT.oct.md").write_text("x")
    assert detect(hestai) == "2025-12"
    other = tmp_path / "other" / ".hestai"
    other.mkdir(parents=True)
    (tmp_path / "other" / ".hestai-state").mkdir()
    os.symlink("../.hestai-state", other / "state")
    assert detect(other) == "state-link"


def test_canonical_names() -> None:
    assert canonical_for("context/PROJECT-CONTEXT.oct.md") == (
        "context",
        "context/project-context.oct.md",
    )
    assert canonical_for("state/context/PROJECT-ROADMAP.oct.md") == (
        "roadmap",
        "context/project-roadmap.oct.md",
    )
    assert canonical_for("workflow/000-X-NORTH-STAR-SUMMARY.oct.md") == (
        "north-star",
        "workflow/000-project-north-star.oct.md",
    )
    assert canonical_for("workflow/components/000-X-NORTH-STAR-SUMMARY.oct.md") is None


def test_legacy_names_follow_the_naming_standard() -> None:
    assert legacy_target("README.md", "x")[0] == "legacy/hestai-mcp/readme.md"
    assert legacy_target("last_cleanup", "x")[0] == "legacy/hestai-mcp/last_cleanup.md"
    bad = legacy_target("rules/A.oct.md", "not octave")[0]
    assert bad == "legacy/hestai-mcp/rules/a.legacy.md"
    good = legacy_target("rules/a.oct.md", "===A===\nK::v\n===END===\n")[0]
    assert good == "legacy/hestai-mcp/rules/a.oct.md"


def test_no_case_twins_in_the_plan(tmp_path: Path) -> None:
    moves = plan_moves(tmp_path, {"r/A.md": "1", "r/a.md": "2"}, {})
    targets = [m.target for m in moves]
    assert len({t.lower() for t in targets}) == 2 == len(targets)
