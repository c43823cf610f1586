"""Roles and placement kept by the hub's tree fingerprint: re-derived whenever the hub moves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import hestai_tmws.governance.hub_memo as hub_memo
from hestai_tmws.errors import NotFoundError
from hestai_tmws.governance.fingerprint import tree_fingerprint
from hestai_tmws.governance.hub_memo import hub_placement, hub_roles
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.rules import load_agents
from hestai_tmws.project import Project


@pytest.fixture(autouse=True)
def _empty_memo() -> None:
    hub_memo._MEMO.clear()


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(hub_memo, name)

    def counted(hub: Path) -> object:
        calls.append(1)
        return real(hub)

    monkeypatch.setattr(hub_memo, name, counted)
    return calls


def test_roles_follow_a_removed_agent_file(hub_copy: Path) -> None:
    before = hub_roles(hub_copy, tree_fingerprint(hub_copy))
    assert before == sorted(load_agents(hub_copy)) and "implementation-lead" in before
    (hub_copy / "agents" / "implementation-lead.oct.md").unlink()
    after = hub_roles(hub_copy, tree_fingerprint(hub_copy))
    assert "implementation-lead" not in after
    assert after == sorted(load_agents(hub_copy))


def test_roles_follow_an_edit_in_place(hub_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch, "load_agents")
    hub_roles(hub_copy, tree_fingerprint(hub_copy))
    hub_roles(hub_copy, tree_fingerprint(hub_copy))
    assert len(calls) == 1  # nothing moved: kept
    agent = hub_copy / "agents" / "critical-engineer.oct.md"
    agent.write_bytes(agent.read_bytes() + b"\n")
    hub_roles(hub_copy, tree_fingerprint(hub_copy))
    assert len(calls) == 2


def test_unknown_or_linked_hub_is_derived_every_time(
    hub_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch, "load_agents")
    hub_roles(hub_copy, None)
    hub_roles(hub_copy, None)
    assert len(calls) == 2
    elsewhere = tmp_path / "agents-elsewhere"
    (hub_copy / "agents").rename(elsewhere)
    os.symlink(elsewhere, hub_copy / "agents")
    prints = tree_fingerprint(hub_copy)
    hub_roles(hub_copy, prints)
    hub_roles(hub_copy, prints)
    assert len(calls) == 4  # the fingerprint does not follow the link: never kept


def test_missing_agents_still_raise(hub_copy: Path) -> None:
    for path in (hub_copy / "agents").iterdir():
        path.unlink()
    (hub_copy / "agents").rmdir()
    with pytest.raises(NotFoundError):
        hub_roles(hub_copy, tree_fingerprint(hub_copy))


def test_placement_follows_the_routing_table(
    hub_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = counting(monkeypatch, "routing_placement")
    first = hub_placement(hub_copy, tree_fingerprint(hub_copy))
    assert first is not None
    assert hub_placement(hub_copy, tree_fingerprint(hub_copy)) is first
    rules = hub_copy / "governance" / "rules" / "visibility-rules.oct.md"
    rules.write_bytes(rules.read_bytes() + b"\n")
    again = hub_placement(hub_copy, tree_fingerprint(hub_copy))
    assert again is not None and again is not first and len(calls) == 2


def test_inject_hands_over_the_hub_fingerprint(project: Project) -> None:
    inject(project)  # created
    checked = inject(project)  # found intact by the full check
    kept = inject(project)  # the no-op answer kept from the check
    assert checked.action == kept.action == "unchanged"
    assert checked.hub_print == tree_fingerprint(Path(checked.hub))
    assert kept.hub_print == checked.hub_print
    assert "hub_print" not in checked.model_dump()
