"""Mining runs over real repositories: records, states, incremental runs, fresh clones."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from hestai_tmws.learning import pipeline as mine_pipeline
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.record_text import parse_record
from hestai_tmws.learning.records import PatternRecord
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from tests.learning.loop_support import (
    OTHER_WORKFLOW,
    WORKFLOW_TOKENS,
    commit_all,
    git,
    init_repo,
    plant_sessions,
    plant_weak,
    write_archive,
)


def records(project: Project) -> dict[str, object]:
    return dict(load_records(project).records)


def only_record(project: Project) -> PatternRecord:
    found = load_records(project)
    assert found.broken == {}
    assert len(found.records) == 1, list(found.records)
    return next(iter(found.records.values()))


def test_same_sequence_in_three_sessions_is_one_pattern(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)
    report = run_mine(project)
    assert report.mode == "full"
    assert (report.sessions, report.patterns) == (3, 1)
    record = only_record(project)
    assert tuple(record.tokens) == WORKFLOW_TOKENS
    assert report.created == [record.id]
    assert record.stats.support == 3
    assert sorted(record.evidence) == sorted(
        parse_record(project.memory_path(record.rel).read_text()).evidence
    )
    assert len(record.evidence) == 3
    # one of three runs ended in a failed commit: 2 of 3 is below V2's 0.75
    assert record.state is PatternState.REJECTED
    assert record.validation is not None and record.validation.failed_codes == ["V2"]
    assert [(h.from_state, h.to_state) for h in record.history] == [
        (None, PatternState.DETECTED),
        (PatternState.DETECTED, PatternState.REJECTED),
    ]
    staged = git(project.root, "diff", "--cached", "--name-only").split()
    assert f".hestai/{record.rel}" in staged


def test_same_sequence_in_two_sessions_is_no_pattern(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 2)
    report = run_mine(project)
    assert (report.sessions, report.patterns, report.created) == (2, 0, [])
    assert records(project) == {}


def test_two_workflows_give_two_patterns_and_evidence_is_capped(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 12)
    plant_sessions(project, 3, start=100, workflow=OTHER_WORKFLOW)
    run_mine(project)
    found = load_records(project).records
    assert len(found) == 2
    main = next(r for r in found.values() if tuple(r.tokens) == WORKFLOW_TOKENS)
    assert main.stats.support == 12 and len(main.evidence) == 10
    assert main.state is PatternState.VALIDATED


def test_three_clean_runs_are_enough(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    assert only_record(project).state is PatternState.VALIDATED


def test_rejected_reopens_only_when_support_doubles(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)
    run_mine(project)
    assert only_record(project).state is PatternState.REJECTED
    plant_sessions(project, 2, start=3)  # support 5 < 2 * 3
    report = run_mine(project)
    record = only_record(project)
    assert record.state is PatternState.REJECTED
    assert record.stats.support == 5
    assert report.transitions == [] and report.updated == [record.id]
    plant_sessions(project, 1, start=5)  # support 6 = 2 * 3
    report = run_mine(project)
    record = only_record(project)
    assert record.state is PatternState.VALIDATED
    assert [(t.from_state, t.to_state) for t in report.transitions] == [
        (PatternState.REJECTED, PatternState.DETECTED),
        (PatternState.DETECTED, PatternState.VALIDATED),
    ]
    assert record.history[-2].reason == "support doubled since rejection (3 → 6)"
    assert len(record.history) == 4


def test_unchanged_records_are_not_rewritten(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    record = only_record(project)
    before = project.memory_path(record.rel).stat().st_mtime_ns
    report = run_mine(project)
    assert (report.created, report.updated, report.unchanged) == ([], [], 1)
    assert project.memory_path(record.rel).stat().st_mtime_ns == before


def test_a_session_without_the_pattern_does_not_rewrite_its_record(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    record = only_record(project)
    text = project.memory_path(record.rel).read_text()
    write_archive(project, 500, [("Read", ""), ("Grep", ""), ("Write", "")], day=9)
    incremental = run_mine(project, mode="incremental")
    assert (incremental.new_sessions, incremental.updated, incremental.unchanged) == (1, [], 0)
    assert project.memory_path(record.rel).read_text() == text
    full = run_mine(project)
    assert (full.updated, full.unchanged) == ([], 1)
    assert project.memory_path(record.rel).read_text() == text
    plant_sessions(project, 1, start=6)
    assert run_mine(project).updated == [record.id]


def test_incremental_runs_give_the_numbers_of_a_full_run(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 4)
    plant_sessions(project, 3, start=50, workflow=OTHER_WORKFLOW)
    run_mine(project)
    plant_sessions(project, 5, start=4, days=5)
    write_archive(project, 77, [("Read", ""), *OTHER_WORKFLOW[:2]], day=6)
    inc = run_mine(project, mode="incremental")
    assert inc.mode == "incremental" and inc.new_sessions == 6 and inc.archives_read == 6
    assert "since the last full mine" in " ".join(inc.notes)
    after_incremental = load_records(project).records
    touched = next(k for k, v in after_incremental.items() if v.stats.support == 9)
    full = run_mine(project)
    assert full.mode == "full" and full.created == [] and touched not in full.updated
    after_full = load_records(project).records
    assert after_full[touched].stats == after_incremental[touched].stats
    drift = {"lift", "expected_support", "stability"}  # corpus-level: refreshed by full runs
    for key, record in after_full.items():
        assert record.stats.model_dump(exclude=drift) == after_incremental[key].stats.model_dump(
            exclude=drift
        )
        assert record.evidence == after_incremental[key].evidence


def test_records_a_failed_run_left_behind_are_written_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.errors import BusyError
    from hestai_tmws.learning import pipeline
    from hestai_tmws.learning.cache import SequenceCache

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    record = only_record(project)
    plant_sessions(project, 1, start=6)

    def busy(*_a: object, **_k: object) -> None:
        raise BusyError("the Steward lock is held")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "reconcile", busy)
        failed = run_mine(project, mode="incremental")
    assert failed.new_sessions == 1 and "not updated" in " ".join(failed.notes)
    assert only_record(project).stats.support == 6
    assert SequenceCache.load(project).baseline["pending"] == [record.id]
    late = run_mine(project, mode="incremental")
    assert (late.new_sessions, late.updated) == (0, [record.id])
    assert only_record(project).stats.support == 7
    assert SequenceCache.load(project).baseline["pending"] == []


def test_incremental_without_a_baseline_runs_a_full_mine(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    report = run_mine(project, mode="incremental")
    assert report.mode == "full"
    assert "no baseline" in " ".join(report.notes)


def test_auto_approve_policy_approves_validated_patterns(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo", settings="learning:\n  auto_approve: true\n")
    plant_sessions(project, 6)
    report = run_mine(project)
    record = only_record(project)
    assert record.state is PatternState.APPROVED
    assert record.history[-1].actor == "policy:auto_approve"
    assert [t.to_state for t in report.transitions] == [
        PatternState.VALIDATED,
        PatternState.APPROVED,
    ]


def test_an_approval_made_while_mining_is_kept(tmp_path: Path) -> None:
    from hestai_tmws.learning.review import approve

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    pattern_id = only_record(project).id
    plant_sessions(project, 1, start=6)

    def phase(name: str) -> None:
        if name == "writing records":  # after mining, before the records are reconciled
            approve(project, pattern_id, actor="person:ada")

    run_mine(project, phase=phase)
    record = only_record(project)
    assert record.state is PatternState.APPROVED
    assert record.stats.support == 7
    assert record.history[-1].actor == "person:ada"


def test_namespaces_are_mined_apart(tmp_path: Path) -> None:
    from tests.learning.loop_support import planted

    project = init_repo(tmp_path / "repo")
    for i in range(4):
        write_archive(project, i, planted(i), day=i % 2, namespace="alpha")
        write_archive(project, 100 + i, planted(100 + i), day=i % 2, namespace="beta")
    run_mine(project)
    found = load_records(project).records.values()
    assert sorted(r.namespace for r in found) == ["alpha", "beta"]
    assert all(r.stats.support == 4 for r in found)


def test_fresh_clone_mines_and_suggests_the_same(tmp_path: Path) -> None:
    from hestai_tmws.learning.promote import promote
    from hestai_tmws.learning.review import approve
    from hestai_tmws.learning.suggest import suggest_skills

    project = init_repo(tmp_path / "origin")
    plant_sessions(project, 6)
    plant_sessions(project, 3, start=40, workflow=OTHER_WORKFLOW)
    run_mine(project)
    validated = [
        r
        for r in load_records(project).records.values()
        if r.state.value == "VALIDATED" and tuple(r.tokens) == WORKFLOW_TOKENS
    ]
    approve(project, validated[0].id, actor="person:ada")
    promote(project, actor="person:ada")
    commit_all(project)
    original = {
        p.name: p.read_text() for p in (project.hestai / "learning").rglob("*") if p.is_file()
    }
    mined_there = run_mine(project)
    here = suggest_skills(project, "run pytest and commit", record=False)

    clone_dir = tmp_path / "elsewhere" / "clone"
    git(tmp_path, "clone", "-q", str(project.root), str(clone_dir))
    clone = Project.discover(clone_dir)
    assert not (clone.cache_dir).exists()
    mined_here = run_mine(clone)
    assert mined_here.archives_read == mined_here.archives == 9  # cold: nothing cached
    assert (mined_here.created, mined_here.updated) == ([], [])
    assert mined_here.patterns == mined_there.patterns == 2
    cloned = {p.name: p.read_text() for p in (clone.hestai / "learning").rglob("*") if p.is_file()}
    assert cloned == original
    there = suggest_skills(clone, "run pytest and commit", record=False)
    assert [(s.skill, s.score) for s in there.suggestions] == [
        (s.skill, s.score) for s in here.suggestions
    ]
    assert len(there.suggestions) == 1


# -- the real sessions of the shared corpus -------------------------------------------------

CORPUS_SESSIONS = (
    "258c7280-ae70-4798-800f-63464d01a85d",
    "4d5611e5-241a-462a-8d15-5122611a9569",
    "8463c716-a2ea-4c14-9efa-87158ebd9f20",
    "ae4a77f8-aedd-4bc1-888f-c94edc91af04",
    "fa812bfe-b295-4cca-9c2f-fdf01028cb46",
)


def test_real_corpus_sessions_archive_and_mine(corpus: Path, tmp_path: Path) -> None:
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out

    project = init_repo(tmp_path / "repo")
    outcomes = []
    for name in CORPUS_SESSIONS:
        clock_in(project, focus=f"corpus {name[:8]}")
        result = clock_out(project, transcript=corpus / f"{name}.jsonl")
        assert result.learning is not None, result.notes
        outcomes.append(result.learning)
    report = run_mine(project)
    assert report.unreadable == {} and report.sessions == 5
    assert report.archives_read == 0  # the clock-outs' automatic runs cached them all
    assert report.calls > 500
    summary = {
        "auto": [(o.mode, o.archives_read, o.note) for o in outcomes],
        "default": _found(project, report),
    }
    (project.root / ".hestai-tmws.yaml").write_text("learning:\n  min_days: 1\n")
    relaxed = run_mine(project)
    assert relaxed.mode == "full" and relaxed.archives_read == 0
    summary["min_days_1"] = _found(project, relaxed)
    print("CORPUS-MINING " + json.dumps(summary, indent=1, default=str))


def _found(project: Project, report: object) -> dict[str, object]:
    found = load_records(project).records.values()
    return {
        "calls": getattr(report, "calls"),  # noqa: B009
        "patterns": [
            (r.state.value, r.stats.support, r.stats.occurrences, " → ".join(r.tokens))
            for r in sorted(found, key=lambda r: -r.stats.support)
        ],
        "elapsed_ms": getattr(report, "elapsed_ms"),  # noqa: B009
    }


@pytest.mark.parametrize("count", [0, 1])
def test_mining_an_empty_or_tiny_archive_folder(tmp_path: Path, count: int) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, count)
    report = run_mine(project)
    assert (report.archives, report.patterns, report.created) == (count, 0, [])


def test_zero_patterns_come_with_a_reason(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 2)
    report = run_mine(project, explain=True)
    assert report.patterns == 0
    [near, *_] = report.explain
    assert near.chain == " → ".join(WORKFLOW_TOKENS) and near.support == 2
    assert near.reasons == ["V1: 2 sessions (needs >= 3)"]
    assert run_mine(project).explain == []  # only on request


def test_incremental_asks_git_for_the_namespace_only_when_a_session_lacks_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = mine_pipeline.learning_namespace
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 4)
    run_mine(project)

    def counting(*args: object) -> str:
        asked.append("asked")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(mine_pipeline, "learning_namespace", counting)
    plant_sessions(project, 2, start=4)
    named = run_mine(project, mode="incremental")
    assert (named.mode, named.new_sessions, asked) == ("incremental", 2, [])
    from tests.learning.loop_support import planted

    rel = write_archive(project, 90, planted(90), day=3)
    path = project.memory_path(rel)  # an archive written before namespaces existed
    path.write_text(path.read_text().replace("  NAMESPACE::demo\n", ""))
    unnamed = run_mine(project, mode="incremental")
    assert (unnamed.new_sessions, asked) == (1, ["asked"])


@pytest.mark.parametrize("enabled", [True, False])
def test_a_mine_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)
    (gc.enable if enabled else gc.disable)()
    try:
        run_mine(project)
        run_mine(project, mode="incremental")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
