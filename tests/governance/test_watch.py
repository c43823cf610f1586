"""The one watch-and-heal of governance: heal on demand, and from its thread on tampering."""

from __future__ import annotations

import os
import threading

from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.watch import GovernanceWatcher, Heal, heal_governance
from hestai_tmws.project import Project

TIMEOUT = 10.0  # a bound for a loaded machine; a heal takes milliseconds


def test_heal_governance_reports_only_real_work(project: Project) -> None:
    created = heal_governance(project)
    assert created is not None and created.action == "created"
    assert created.paths == [".hestai-sys/ (created)"]
    assert heal_governance(project) is None  # intact: nothing to do


def test_a_heal_describes_what_it_restored() -> None:
    heal = Heal("healed", ["governance/a.md", "b.md"])
    assert heal.paths == ["governance/a.md", "b.md"]
    assert heal.describe() == ".hestai-sys/ healed: governance/a.md, b.md"


def test_the_watcher_heals_tampering_and_reports_it(project: Project) -> None:
    inject(project)
    heals: list[Heal] = []
    ready = threading.Event()
    watcher = GovernanceWatcher(project, on_heal=heals.append, on_ready=ready.set)
    watcher.start()
    try:
        assert ready.wait(TIMEOUT) and watcher.ready.is_set()
        target = project.hestai_sys / "governance/rules/naming-standard.oct.md"
        os.chmod(target.parent, 0o755)
        os.chmod(target, 0o644)
        target.write_text("tampered\n")
        assert watcher.wait_for_heal(1, TIMEOUT)
    finally:
        watcher.stop()
    assert not watcher.running
    assert heals and "governance/rules/naming-standard.oct.md" in watcher.healed_paths


def test_a_failed_heal_is_counted_and_reported(project: Project) -> None:
    errors: list[Exception] = []
    (project.root / ".hestai-sys").write_text("a file where the folder goes\n")
    watcher = GovernanceWatcher(project, on_error=errors.append)
    assert watcher.heal_now() == []
    assert watcher.errors == 1 and errors
