"""Swapping a sealed tree in, and sweeping what crashed swaps left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.governance import swap
from hestai_tmws.governance.hub import read_hub
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.status import (
    MANIFEST_FILE,
    OLD_PREFIX,
    SYS_VERSION_FILE,
    TMP_PREFIX,
    verify_governance,
)
from hestai_tmws.governance.swap import build_and_swap, remove_tree, sweep_leftovers
from hestai_tmws.project import Project
from tests.governance.conftest import BUNDLED, make_writable


def test_the_tree_is_built_sealed_with_its_manifest(tmp_path: Path) -> None:
    target = tmp_path / ".hestai-sys"
    snapshot = read_hub(BUNDLED)
    build_and_swap(tmp_path, target, snapshot)
    assert (target / SYS_VERSION_FILE).read_text().strip() == snapshot.version
    assert (target / MANIFEST_FILE).is_file()
    some = next(iter(snapshot.files))
    assert (target / some).read_bytes() == snapshot.files[some]
    assert (target / some).stat().st_mode & 0o222 == 0  # sealed read-only
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hestai-sys"]
    remove_tree(target)
    assert not target.exists()


def test_leftovers_of_crashed_swaps_are_swept(tmp_path: Path) -> None:
    (tmp_path / f"{TMP_PREFIX}abc").mkdir()
    (tmp_path / f"{OLD_PREFIX}def" / "sub").mkdir(parents=True)
    (tmp_path / "keep").mkdir()
    assert sweep_leftovers(tmp_path) == [f"{OLD_PREFIX}def", f"{TMP_PREFIX}abc"]
    assert [p.name for p in tmp_path.iterdir()] == ["keep"]


def test_heals_without_an_atomic_exchange(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where renameat2 is missing, the two-rename fallback gives the same result."""
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    inject(project)
    make_writable(project.hestai_sys)
    (project.hestai_sys / "governance" / "rules" / "visibility-rules.oct.md").unlink()
    assert inject(project).action == "healed"
    assert verify_governance(project).ok
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".hestai-sys")) == [
        ".hestai-sys"
    ]
