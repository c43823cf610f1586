"""A person's review decisions: who decided, and the transition result they get back."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import PolicyError
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.review import decide, person_actor
from hestai_tmws.learning.store import load_records
from tests.learning.loop_support import init_repo, plant_sessions


def test_person_actor_normalises_the_name(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    assert person_actor(project, "  Ada   Lovelace ") == "person:Ada Lovelace"
    assert person_actor(project).startswith("person:")


def test_decide_approves_as_a_person_and_reports_the_move(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    [pid] = list(load_records(project).records)
    result = decide(project, "approve", pid[:10], person="ada", reason="useful")
    data = result.model_dump(mode="json")
    assert data == {
        "pattern_id": pid,
        "from_state": "VALIDATED",
        "to_state": "APPROVED",
        "actor": "person:ada",
        "reason": "useful",
        "path": f".hestai/learning/patterns/{pid}.oct.md",
        "removed": [],
    }
    with pytest.raises(PolicyError):
        decide(project, "deprecate", pid, person="ada")
