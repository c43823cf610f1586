"""`workflows.status_facts`: the status facts, the same data the pydantic report validates."""

from __future__ import annotations

import json

from hestai_tmws.governance.hub_read import bundled_hub_dir
from hestai_tmws.project import Project
from hestai_tmws.workflows.status import project_status
from hestai_tmws.workflows.status_facts import active_sessions, collect
from tests.memory.support import open_session


def test_the_facts_are_the_report(ready: Project) -> None:
    open_session(ready, focus="facts")
    hub = bundled_hub_dir()
    assert hub is not None
    facts = collect(ready.root, (hub, "bundled"), None)
    assert facts == json.loads(project_status(ready).model_dump_json())
    assert facts["active_sessions"][0]["focus"] == "facts"


def test_an_unreadable_session_says_so(ready: Project) -> None:
    folder = ready.hestai / "sessions" / "active" / "broken"
    folder.mkdir(parents=True)
    (folder / "session.json").write_text("{not json")
    assert active_sessions(folder.parent)[0] == {
        "id": "broken",
        "role": "",
        "focus": "(unreadable session.json)",
        "started_at": "",
        "pid": None,
    }


def test_a_missing_hub_is_reported_not_raised(ready: Project) -> None:
    facts = collect(ready.root, (ready.root / "no-hub", "setting"), None)
    gov = facts["governance"]
    assert not gov["intact"] and gov["problems"][0].startswith("governance hub unavailable")
