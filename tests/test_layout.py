"""The layout names: relative, POSIX, inside their layer, and importable without pydantic."""

from __future__ import annotations

import subprocess
import sys

from hestai_tmws import layout
from tests.paths import SRC


def test_memory_paths_are_relative_posix_paths() -> None:
    rels = [
        layout.CONTEXT,
        layout.DECISIONS,
        layout.SESSIONS_ACTIVE,
        layout.SESSIONS_ARCHIVE,
        layout.PATTERNS,
        layout.SKILLS,
        layout.NORTH_STAR,
        layout.LEARNINGS_INDEX,
        layout.SUGGESTIONS_LOG,
        layout.FEEDBACK_LOG,
    ]
    assert all(not r.startswith("/") and "\\" not in r and ".." not in r for r in rels)
    assert layout.DECISIONS.startswith(layout.WORKFLOW + "/")
    assert layout.PATTERNS.startswith(layout.LEARNING + "/")
    assert len(set(layout.CONTEXT_DOCS)) == len(layout.CONTEXT_DOCS) == 5


def test_the_layout_needs_only_the_standard_library() -> None:
    code = "import sys, hestai_tmws.layout; print('pydantic' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "False", out.stderr
