"""Fixtures for the guard tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.project import Project
from tests.guard.support import CONTEXT, Guarded, context_doc, git, steward_write


@pytest.fixture
def guarded(repo: Path) -> Guarded:
    """A repo with the hook installed and a committed Steward-written context document."""
    project = Project.discover(repo)
    install_hook(project)
    steward_write(project, CONTEXT, context_doc(owner="team"))
    git(repo, "commit", "-q", "-m", "memory")
    return Guarded(repo, project)
