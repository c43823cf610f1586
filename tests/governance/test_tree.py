"""`governance.tree`: the `.hestai-sys/` checks, and the pydantic view that wraps them."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.governance import tree
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.project import Project
from tests.governance.conftest import make_writable

HUB = tree.HubFacts(path="/hub", source="bundled", version="1.0", digests={"a": "x"})


def test_a_missing_tree_lists_every_hub_file(tmp_path: Path) -> None:
    facts = tree.check(tmp_path / ".hestai-sys", HUB, None)
    assert not facts.present and facts.missing == ["a"] and facts.tampered
    assert [code for code, _, _ in tree.problems(facts)] == ["GOV_MISSING"]


def test_an_unreadable_hub_is_the_error(tmp_path: Path) -> None:
    facts = tree.check(tmp_path / ".hestai-sys", None, "no hub")
    assert facts.error == "governance hub unavailable: no hub" and not facts.ok
    assert tree.problems(facts) == [("GOV_ERROR", ".hestai-sys", facts.error)]


def test_tampering_is_found_and_reported_as_before(ready: Project) -> None:
    assert verify_governance(ready).ok
    make_writable(ready.hestai_sys)
    (ready.hestai_sys / "planted.md").write_text("x")
    status = verify_governance(ready)
    assert status.added == ["planted.md"] and status.tampered and not status.ok
    assert [f.message for f in status.findings()] == [".hestai-sys/planted.md was added"]


def test_the_outdated_hub_is_an_update_not_tampering(tmp_path: Path) -> None:
    target = tmp_path / ".hestai-sys"
    target.mkdir()
    (target / ".version").write_text("0.9\n")
    (target / ".manifest.json").write_text('{"version": "0.9", "files": {}}')
    facts = tree.inspect(target, tree.HubFacts("/hub", "bundled", "1.0", {}))
    assert facts.outdated and not facts.tampered and not facts.current
    assert tree.problems(facts)[0][0] == "GOV_OUTDATED"
