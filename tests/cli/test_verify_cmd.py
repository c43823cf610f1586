"""`tmws verify`: ok on a fresh project, exit 1 on a broken memory file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from hestai_tmws.cli import verify_cmd
from hestai_tmws.project import Project
from tests.cli.cli_support import tmws


def test_verify_ok_then_failed(ready: Project) -> None:
    assert "verify ok" in tmws(ready.root, "verify").stdout
    ready.memory_path("context/project-roadmap.oct.md").write_text("not octave [x]")
    result = tmws(ready.root, "verify")
    assert result.exit_code == 1 and "verify FAILED" in result.stdout


def test_the_bar_follows_each_file_and_stays_off_with_json(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []
    moved: list[int] = []

    @contextmanager
    def bar(message: str, *, enabled: bool = True, then: str | None = None) -> Iterator[Any]:
        asked.append((message, enabled))
        yield lambda done, total, rel: moved.append(done)

    monkeypatch.setattr(verify_cmd.output, "progress_bar", bar)
    result = tmws(ready.root, "verify")
    assert result.exit_code == 0 and asked == [("checking .hestai/", True)]
    assert moved and moved == list(range(1, len(moved) + 1))  # once per file, in order
    assert tmws(ready.root, "verify", "--json").exit_code == 0
    assert asked[-1] == ("checking .hestai/", False)


def test_the_command_uses_every_core(ready: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI is a short-lived process: it may fork workers (the core's default is not to)."""
    seen: list[object] = []
    real = verify_cmd.verify_project

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("jobs", "unset"))
        return real(*args, **kwargs)

    monkeypatch.setattr(verify_cmd, "verify_project", spy)
    assert tmws(ready.root, "verify").exit_code == 0
    assert seen == [None]
