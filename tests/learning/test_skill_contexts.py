"""A promoted skill carries the focus of the sessions it came from, and is found by it."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.demo.steps import EXTRA_CALLS
from hestai_tmws.demo.transcript import DEMO_WORKFLOW, write_transcript
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote
from hestai_tmws.learning.review import approve
from hestai_tmws.learning.skills import CONTEXT_HEADING
from hestai_tmws.learning.store import load_records
from hestai_tmws.learning.suggest import suggest_skills
from hestai_tmws.project import Project
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from hestai_tmws.workflows.init import init_project

FOCUSES = ("rotate signing keys", "rotate signing keys again", "signing key rotation")


def test_skill_is_suggested_by_the_focus_of_its_evidence(project: Project, tmp_path: Path) -> None:
    project.config_file.write_text("learning:\n  min_days: 1\n")
    init_project(project)
    for n, focus in enumerate(FOCUSES):
        opened = clock_in(project, role="implementation-lead", focus=focus, force=True)
        transcript = write_transcript(
            tmp_path / f"t{n}.jsonl",
            cwd=project.root,
            prompt=f"session {n}",
            calls=[EXTRA_CALLS[n], *DEMO_WORKFLOW, EXTRA_CALLS[(n + 1) % 3], *DEMO_WORKFLOW],
            closing="done",
        )
        clock_out(project, session_id=opened.session_id, transcript=transcript, learn=False)
    run_mine(project)
    (record,) = [r for r in load_records(project).records.values() if r.state.value == "VALIDATED"]
    approve(project, record.id, actor="person:test")
    skill = promote(project, record.id, actor="person:test").promoted[0]
    text = (project.root / skill.path).read_text()
    section = text.split(CONTEXT_HEADING, 1)[1]
    assert [line[2:] for line in section.strip().splitlines()] == sorted(FOCUSES)
    found = suggest_skills(project, "rotate the signing keys for the release", record=False)
    assert [s.skill for s in found.suggestions] == [skill.skill]
