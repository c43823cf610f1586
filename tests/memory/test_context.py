"""context_update / show_context / append_history: merges, compare-and-swap, size cap, history."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest

from hestai_tmws.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
    UsageError,
    ValidationError,
)
from hestai_tmws.memory.context import hash_matches
from hestai_tmws.memory.history import ARCHIVE_SECTION
from hestai_tmws.memory.naming import HISTORY_REL, resolve_context_doc
from hestai_tmws.octave import Literal
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash
from tests.conftest import REPO_ROOT
from tests.memory.support import (
    CTX,
    doc_of,
    memory_text,
    update,
    write_settings,
)

# -- each operation ----------------------------------------------------------------------------


def test_add_a_key(ready: Project) -> None:
    result = update(ready, {"op": "add", "section": "IDENTITY", "key": "OWNER", "value": "team-a"})
    assert result.applied == ["added IDENTITY.OWNER"]
    assert doc_of(ready).section("IDENTITY").body["OWNER"] == "team-a"  # type: ignore[union-attr]
    assert result.sha256 == content_hash(memory_text(ready, CTX))
    assert result.changed and not result.created


def test_add_an_existing_key_is_refused(ready: Project) -> None:
    before = memory_text(ready, CTX)
    with pytest.raises(ValidationError, match="already exists"):
        update(ready, {"op": "add", "section": "IDENTITY", "key": "NAME", "value": "x"})
    assert memory_text(ready, CTX) == before


def test_add_creates_a_missing_section(ready: Project) -> None:
    update(ready, {"op": "add", "section": "glossary", "key": "TMWS", "value": "the tool"})
    doc = doc_of(ready)
    sec = doc.section("GLOSSARY")
    assert sec is not None and sec.number == 6 and sec.body == {"TMWS": "the tool"}


def test_replace_a_key(ready: Project) -> None:
    update(ready, {"op": "replace", "section": "identity", "key": "NAME", "value": "Demo → app"})
    assert doc_of(ready).section("IDENTITY").body["NAME"] == "Demo → app"  # type: ignore[union-attr]


def test_replace_a_missing_key_is_refused(ready: Project) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        update(ready, {"op": "replace", "section": "IDENTITY", "key": "NOPE", "value": 1})


def test_replace_in_a_missing_section_is_refused(ready: Project) -> None:
    with pytest.raises(NotFoundError, match="section"):
        update(ready, {"op": "replace", "section": "NOWHERE", "key": "X", "value": 1})


def test_append_to_a_list_and_to_a_new_list(ready: Project) -> None:
    update(
        ready,
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "flaky CI"},
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "slow disk"},
        {"op": "append", "section": "LEARNINGS", "key": "RECENT", "value": {"WHAT": "x", "N": 2}},
    )
    doc = doc_of(ready)
    assert doc.section("RISKS").body["OPEN"] == ["flaky CI", "slow disk"]  # type: ignore[union-attr]
    assert doc.section("LEARNINGS").body["RECENT"] == [{"WHAT": "x", "N": 2}]  # type: ignore[union-attr]


def test_append_to_a_scalar_is_refused(ready: Project) -> None:
    with pytest.raises(ValidationError, match="not a list"):
        update(ready, {"op": "append", "section": "IDENTITY", "key": "NAME", "value": "x"})


def test_remove_a_key_and_a_list_item(ready: Project) -> None:
    update(
        ready,
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "a"},
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "b"},
    )
    update(
        ready,
        {"op": "remove", "section": "RISKS", "key": "OPEN", "value": "a"},
        {"op": "remove", "section": "IDENTITY", "key": "PHASE"},
    )
    doc = doc_of(ready)
    assert doc.section("RISKS").body["OPEN"] == ["b"]  # type: ignore[union-attr]
    assert "PHASE" not in doc.section("IDENTITY").body  # type: ignore[union-attr]


def test_remove_missing_things_is_refused(ready: Project) -> None:
    with pytest.raises(NotFoundError):
        update(ready, {"op": "remove", "section": "IDENTITY", "key": "GONE"})
    with pytest.raises(NotFoundError, match="no item"):
        update(ready, {"op": "remove", "section": "RISKS", "key": "OPEN", "value": "never there"})


def test_nested_keys_reach_into_blocks(ready: Project) -> None:
    update(
        ready,
        {"op": "replace", "section": "TASKS", "key": "T1/STATUS", "value": "DONE"},
        {"op": "add", "section": "TASKS", "key": "T4/WHAT", "value": "new task"},
        document="checklist",
    )
    doc = doc_of(ready, "context/project-checklist.oct.md")
    tasks = doc.section("TASKS").body  # type: ignore[union-attr]
    assert tasks["T1"]["STATUS"] == "DONE"  # type: ignore[index]
    assert tasks["T4"] == {"WHAT": "new task"}


def test_whole_section_operations(ready: Project) -> None:
    update(ready, {"op": "add", "section": "TEAM", "value": {"LEAD": "ana", "SIZE": 3}})
    update(ready, {"op": "replace", "section": "TEAM", "value": {"LEAD": "bo"}})
    assert doc_of(ready).section("TEAM").body == {"LEAD": "bo"}  # type: ignore[union-attr]
    update(ready, {"op": "remove", "section": "TEAM"})
    assert doc_of(ready).section("TEAM") is None
    with pytest.raises(UsageError, match="append needs a key"):
        update(ready, {"op": "append", "section": "RISKS"})


def test_section_by_number(ready: Project) -> None:
    update(ready, {"op": "append", "section": "§4", "key": "OPEN", "value": "by number"})
    assert doc_of(ready).section("RISKS").body["OPEN"] == ["by number"]  # type: ignore[union-attr]


def test_literal_values(ready: Project) -> None:
    text = "line one\n\tindented → arrow\n"
    update(ready, {"op": "add", "section": "NOTES", "key": "LOG", "value": {"literal": text}})
    assert doc_of(ready).section("NOTES").body["LOG"] == Literal(text)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change",
    [
        {"op": "merge", "section": "RISKS", "key": "OPEN"},
        {"op": "add", "section": "META", "key": "TYPE", "value": "X"},
        {"op": "add", "section": "../x", "key": "A", "value": 1},
        {"op": "add", "section": "RISKS", "key": "bad key", "value": 1},
        {"op": "add", "section": "RISKS", "key": "A", "value": 1, "extra": 1},
    ],
)
def test_malformed_changes_are_usage_errors(ready: Project, change: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        update(ready, change)


def test_a_bad_change_leaves_the_document_untouched(ready: Project) -> None:
    before = memory_text(ready, CTX)
    with pytest.raises(NotFoundError):
        update(
            ready,
            {"op": "append", "section": "RISKS", "key": "OPEN", "value": "ok"},
            {"op": "replace", "section": "RISKS", "key": "MISSING", "value": "boom"},
        )
    assert memory_text(ready, CTX) == before


def test_document_names(ready: Project) -> None:
    assert resolve_context_doc("checklist")[2] == "context/project-checklist.oct.md"
    assert resolve_context_doc(".hestai/context/context-negatives.oct.md")[0] == "context-negatives"
    assert resolve_context_doc("negatives")[1] == "negative"
    with pytest.raises(UsageError):
        resolve_context_doc("../../etc/passwd")
    with pytest.raises(PolicyError, match="north star"):
        update(ready, {"op": "add", "section": "X", "key": "Y", "value": 1}, document="north-star")


def test_a_missing_document_is_created_from_its_template(ready: Project) -> None:
    Steward(ready).delete("context/project-roadmap.oct.md")
    result = update(
        ready,
        {"op": "replace", "section": "CURRENT", "key": "PHASE", "value": "B2"},
        document="roadmap",
        base_hash="",
    )
    assert result.created and result.previous_hash == ""
    doc = doc_of(ready, "context/project-roadmap.oct.md")
    assert doc.name == "PROJECT_ROADMAP"
    assert doc.section("CURRENT").body["PHASE"] == "B2"  # type: ignore[union-attr]


# -- compare-and-swap --------------------------------------------------------------------------


def test_matching_base_hash_applies(ready: Project) -> None:
    base = content_hash(memory_text(ready, CTX))
    first = update(
        ready, {"op": "append", "section": "RISKS", "key": "OPEN", "value": "a"}, base_hash=base
    )
    second = update(
        ready,
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "b"},
        base_hash=first.sha256,
    )
    assert second.previous_hash == first.sha256


def test_the_printed_twelve_digit_hash_is_accepted(ready: Project) -> None:
    base = content_hash(memory_text(ready, CTX))
    done = update(
        ready,
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "a"},
        base_hash=base[:12],
    )
    assert done.previous_hash == base


@pytest.mark.parametrize("given", ["abc", "", "0" * 12])
def test_a_short_or_wrong_prefix_is_refused(given: str) -> None:
    assert not hash_matches(given, "f" * 64)


def test_stale_base_hash_conflicts_and_returns_current_content(ready: Project) -> None:
    base = content_hash(memory_text(ready, CTX))
    update(ready, {"op": "append", "section": "RISKS", "key": "OPEN", "value": "someone else"})
    current = memory_text(ready, CTX)
    with pytest.raises(ConflictError) as info:
        update(
            ready,
            {"op": "append", "section": "RISKS", "key": "OPEN", "value": "mine"},
            base_hash=base,
        )
    assert info.value.current == current
    assert info.value.current_hash == content_hash(current)
    assert memory_text(ready, CTX) == current


def test_base_hash_for_a_missing_document(ready: Project) -> None:
    Steward(ready).delete("context/context-negatives.oct.md")
    with pytest.raises(ConflictError) as info:
        update(
            ready,
            {"op": "append", "section": "NEGATIVES", "key": "ENTRIES", "value": "x"},
            document="negatives",
            base_hash="f" * 64,
        )
    assert info.value.current == "" and info.value.current_hash == ""


def test_concurrent_updates_without_base_hash_lose_nothing(ready: Project) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for k in range(4):
                update(
                    ready, {"op": "append", "section": "RISKS", "key": "OPEN", "value": f"w{n}-{k}"}
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    items = doc_of(ready).section("RISKS").body["OPEN"]  # type: ignore[union-attr]
    assert sorted(items) == sorted(f"w{n}-{k}" for n in range(6) for k in range(4))  # type: ignore[arg-type]


CHILD = """
import sys
from pathlib import Path
from hestai_tmws.memory.context import update_context
from hestai_tmws.project import Project
project = Project.discover(Path(sys.argv[1]))
for k in range(4):
    update_context(project, document="context", changes=[
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": f"p{sys.argv[2]}-{k}"}])
"""


@pytest.mark.slow
def test_concurrent_updates_from_processes_lose_nothing(ready: Project) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(ready.root), str(n)],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        for n in range(3)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    items = doc_of(ready).section("RISKS").body["OPEN"]  # type: ignore[union-attr]
    assert sorted(items) == sorted(f"p{n}-{k}" for n in range(3) for k in range(4))  # type: ignore[arg-type]


def test_concurrent_cas_updates_never_both_win(ready: Project) -> None:
    base = content_hash(memory_text(ready, CTX))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            update(
                ready,
                {"op": "replace", "section": "IDENTITY", "key": "NAME", "value": f"n{n}"},
                base_hash=base,
            )
            result = "won"
        except ConflictError:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 4 + ["won"]


# -- size cap ----------------------------------------------------------------------------------


def archived_values(project: Project, source: str = CTX) -> list[Any]:
    doc = doc_of(project, HISTORY_REL)
    sec = doc.section(ARCHIVE_SECTION)
    if sec is None:
        return []
    blocks = [b for b in sec.body.values() if isinstance(b, dict) and b["FROM"] == source]
    return [b["VALUE"] for b in reversed(blocks)]  # stored newest first


def test_size_cap_moves_the_oldest_entries_to_history(ready: Project) -> None:
    write_settings(ready, context_max_lines=40)
    items = [f"learning number {n}" for n in range(30)]
    for item in items:
        update(ready, {"op": "append", "section": "LEARNINGS", "key": "RECENT", "value": item})
    text = memory_text(ready, CTX)
    assert text.count("\n") <= 40
    kept = doc_of(ready).section("LEARNINGS").body["RECENT"]  # type: ignore[union-attr]
    moved = archived_values(ready)
    assert moved + list(kept) == items  # oldest moved first, nothing lost, order kept
    assert moved and kept
    # the other sections were left alone
    assert doc_of(ready).section("IDENTITY").body["PHASE"] == "D0"  # type: ignore[union-attr]


def test_size_cap_moves_done_tasks_first(ready: Project) -> None:
    rel = "context/project-checklist.oct.md"
    changes = [
        {
            "op": "add",
            "section": "TASKS",
            "key": f"T{n}",
            "value": {"WHAT": f"task {n}", "STATUS": "DONE" if n % 2 else "OPEN"},
        }
        for n in range(4, 12)
    ]
    update(ready, *changes, document="checklist")
    lines = memory_text(ready, rel).count("\n")
    write_settings(ready, context_max_lines=lines - 10)
    result = update(
        ready,
        {"op": "replace", "section": "CURRENT", "key": "PHASE", "value": "B2"},
        document="checklist",
    )
    assert result.archived_entries == 4
    moved = archived_values(ready, rel)
    assert [v["WHAT"] for v in moved] == ["task 5", "task 7", "task 9", "task 11"]
    tasks = doc_of(ready, rel).section("TASKS").body  # type: ignore[union-attr]
    assert all(t["STATUS"] != "DONE" for t in tasks.values())  # type: ignore[index]
    assert len(tasks) == 3 + 4
    assert memory_text(ready, rel).count("\n") <= lines - 10


def test_cap_reports_when_nothing_can_move(ready: Project) -> None:
    write_settings(ready, context_max_lines=20)
    big = "".join(f"line {n}\n" for n in range(40))
    result = update(
        ready, {"op": "add", "section": "NOTES", "key": "BIG", "value": {"literal": big}}
    )
    assert result.over_cap
    assert any("over the 20-line cap" in n for n in result.notes)
    assert doc_of(ready).section("NOTES").body["BIG"] == Literal(big)  # type: ignore[union-attr]


def test_the_cap_applies_to_documents_submitted_whole(ready: Project) -> None:
    from hestai_tmws.memory.documents import submit_document

    write_settings(ready, context_max_lines=15)
    entries = ",".join(f'"old {n}"' for n in range(20))
    text = (
        "===CONTEXT_NEGATIVES===\nMETA:\n  TYPE::CONTEXT_NEGATIVES\n---\n"
        f"§1::NEGATIVES\n  ENTRIES::[{entries}]\n===END===\n"
    )
    result = submit_document(ready, doc_type="negative", content=text)
    assert result.archived_entries > 0
    rel = "context/context-negatives.oct.md"
    kept = doc_of(ready, rel).section("NEGATIVES").body["ENTRIES"]  # type: ignore[union-attr]
    assert archived_values(ready, rel) + list(kept) == [f"old {n}" for n in range(20)]
