"""`tmws merge-driver`: two edits of different keys merge cleanly (exit 0)."""

from __future__ import annotations

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws

BASE = "===DOC===\nMETA:\n  TYPE::CONTEXT\nA::one\nB::two\n===END===\n"


def test_disjoint_edits_merge(ready: Project) -> None:
    base, ours, theirs = (ready.root / n for n in ("base", "ours", "theirs"))
    base.write_text(BASE)
    ours.write_text(BASE.replace("A::one", "A::uno"))
    theirs.write_text(BASE.replace("B::two", "B::dos"))
    rel = ".hestai/context/project-context.oct.md"
    result = tmws(ready.root, "merge-driver", str(base), str(ours), str(theirs), rel)
    assert result.exit_code == 0, result.output
    merged = ours.read_text()
    assert "uno" in merged and "dos" in merged
