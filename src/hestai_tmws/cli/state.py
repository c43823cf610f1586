"""Options shared by every command (`--project`, `--debug`), set once by the app callback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hestai_tmws.project import Project


@dataclass
class CliState:
    project_dir: Path | None = None
    debug: bool = False


STATE = CliState()


def current_project() -> Project:
    """The project named by --project, $TMWS_PROJECT, or the current folder."""
    return Project.discover(STATE.project_dir)
