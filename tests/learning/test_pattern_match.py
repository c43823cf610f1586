"""Known patterns found in new sessions by the miner's rule for their kind."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.learning.pattern_match import SessionText, occurrences
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.store import load_records
from tests.learning.loop_support import Call, init_repo, noise, write_archive

TOKENS = ["Read", "(Edit → Bash:go test)+", "Grep", "Bash:git commit", "Bash:go test"]
NAMES = dict(enumerate(TOKENS))


def test_contiguous_patterns_match_runs_of_recorded_steps() -> None:
    text = SessionText(NAMES.__getitem__)
    tids = [0, 1, 2, 3, 0, 1]
    haystack = text.session(tids)
    found = occurrences(["Read", "(Edit → Bash:go test)+"], 0, text, tids, haystack)
    assert found == [(0, 1), (4, 5)]
    assert occurrences(["Read", "Grep"], 0, text, tids, haystack) == []


def test_gapped_patterns_match_plain_steps_and_report_recorded_indices() -> None:
    text = SessionText(NAMES.__getitem__)
    tids = [0, 1, 2, 3]
    haystack = text.session(tids)
    # Edit and go test come from the loop (recorded step 1), the commit after one Grep
    found = occurrences(["Edit", "Bash:go test", "Bash:git commit"], 2, text, tids, haystack)
    assert found == [(1, 1, 3)]
    assert occurrences(["Edit", "Bash:never run"], 2, text, tids, haystack) == []


def gapped_session(i: int) -> list[Call]:
    """docker up → curl → logs, with a different look-up or two between the steps."""
    looks: list[Call] = [("Read", ""), ("Grep", ""), ("Glob", "")]
    steps: list[Call] = [
        ("Bash", "docker compose up -d"),
        ("Bash", "curl -s localhost"),
        ("Bash", "docker compose logs web"),
    ]
    out: list[Call] = [*noise(i)]
    for j, call in enumerate(steps):
        out.append(call)
        if j < len(steps) - 1:
            out.extend(looks[(i + j) % 3 :][: 1 + (i + j) % 2])
    return [*out, *noise(i + 10_000)]


def test_incremental_numbers_of_a_gapped_pattern_equal_a_full_mine(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    for i in range(4):
        write_archive(project, i, gapped_session(i), day=i % 2)
    run_mine(project)
    [before] = [r for r in load_records(project).records.values()]
    assert before.stats.support == 4
    for i in range(4, 7):
        write_archive(project, i, gapped_session(i), day=3)
    inc = run_mine(project, mode="incremental")
    assert inc.mode == "incremental" and inc.new_sessions == 3
    after_incremental = load_records(project).records
    run_mine(project)
    after_full = load_records(project).records
    assert set(after_full) == set(after_incremental)
    drift = {"lift", "expected_support", "stability"}  # corpus-level: refreshed by full runs
    for key, record in after_full.items():
        assert record.stats.support == 7
        assert record.stats.model_dump(exclude=drift) == after_incremental[key].stats.model_dump(
            exclude=drift
        )
        assert record.evidence == after_incremental[key].evidence
