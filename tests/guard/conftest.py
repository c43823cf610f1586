"""Fixtures for the guard tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.guard.hooks_install import install_hook
from hestai_tmws.project import Project
from tests.guard.support import (
    CONTEXT,
    Guarded,
    context_doc,
    git,
    steward_write,
    write_gitattributes,
)


@pytest.fixture
def guarded(repo: Path) -> Guarded:
    """A repo with the hook installed and a committed Steward-written context document.

    `.gitattributes` holds the lines `tmws init` writes: provenance logs merge by union.
    """
    project = Project.discover(repo)
    install_hook(project)
    write_gitattributes(repo)
    git(repo, "add", ".gitattributes")
    steward_write(project, CONTEXT, context_doc(owner="team"))
    git(repo, "commit", "-q", "-m", "memory")
    return Guarded(repo, project)
