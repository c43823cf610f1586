"""A full mine over exactly the inputs of the last one reuses its patterns; anything else mines."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.learning.mine_memo import MEMO_NAME, input_key, load, recall, remember
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.records import record_rel
from tests.learning.loop_support import init_repo, plant_sessions, write_archive


def _records(project: object, ids: list[str]) -> dict[str, str]:
    return {i: project.memory_path(record_rel(i)).read_text() for i in ids}  # type: ignore[attr-defined]


def test_an_unchanged_corpus_reuses_the_last_mine_with_the_same_result(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 12)
    first = run_mine(project)
    assert first.patterns > 0 and "mine" in first.timings_ms
    ids = first.created
    before = _records(project, ids)
    second = run_mine(project)
    assert "mine (reused)" in second.timings_ms and "mine" not in second.timings_ms
    assert (second.patterns, second.sessions, second.calls) == (
        first.patterns,
        first.sessions,
        first.calls,
    )
    assert second.created == [] and _records(project, ids) == before
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)
    third = run_mine(project)
    assert "mine" in third.timings_ms and third.sessions == first.sessions + 1


def test_the_key_covers_order_settings_and_namespace() -> None:
    base = input_key(["a", "b"], "cfg", "ns")
    assert base == input_key(["a", "b"], "cfg", "ns")
    assert len({base, input_key(["b", "a"], "cfg", "ns"), input_key(["a", "b"], "x", "ns")}) == 3
    assert input_key(["a", "b"], "cfg", "other") != base


def test_a_damaged_memo_is_not_used(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 12)
    run_mine(project)
    memo = load(project)
    assert memo is not None
    key = memo["key"]
    assert recall(memo, key) is not None
    assert recall({"key": key, "patterns": [{"id": 1}], "calls": 3}, key) is None
    assert recall(remember(key, [], 0), "other") is None
    (project.cache_dir / MEMO_NAME).write_bytes(b"\x00garbage")
    assert load(project) is None
    assert "mine" in run_mine(project).timings_ms  # mined again, not failed
