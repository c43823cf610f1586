"""Guarded areas of a repository path: one decision for the hook's fast and full checks."""

from __future__ import annotations

import pytest

from hestai_tmws.guard.areas import area


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (".hestai/context/a.oct.md", "memory"),
        (".hestai/sessions/active/x/session.json", "active"),
        (".hestai", "not-a-folder"),
        (".hestai-sys/governance/x.md", "system"),
        (".HESTAI/x.md", "case-variant"),
        ("src/.hestai/x.md", None),
        (".hestai-other/x", None),
    ],
)
def test_the_first_segment_decides(path: str, expected: str | None) -> None:
    assert area(path) == expected
