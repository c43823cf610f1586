"""Destructive flags stay in a command's action, so that check V5 sees them."""

from __future__ import annotations

import pytest

from hestai_tmws.learning.core.risk_flags import risk_flags


@pytest.mark.parametrize(
    ("parts", "rest", "raw", "expected"),
    [
        (["rm"], ["-rf", "build"], "rm -rf build", ["-rf"]),
        (["rm"], ["-r", "x"], "rm -r x", ["-r"]),
        (["rm"], ["x"], "rm x", []),
        (["git", "push"], ["origin", "+main"], "git push origin +main", ["--force"]),
        (["git", "reset"], ["--hard", "HEAD"], "git reset --hard HEAD", ["--hard"]),
        (["git", "branch"], ["-D", "old"], "git branch -D old", ["-D"]),
        (["find"], [".", "-delete"], "find . -delete", ["-delete"]),
        (["chmod"], ["-R", "700", "x"], "chmod -R 700 x", ["-R"]),
        (["psql"], ["-c", "DROP TABLE t"], "psql -c 'DROP TABLE t'", ["drop", "table"]),
        (["git", "status"], [], "git status", []),
    ],
)
def test_risk_flags(parts: list[str], rest: list[str], raw: str, expected: list[str]) -> None:
    assert risk_flags(parts, rest, raw) == expected
