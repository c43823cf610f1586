"""context_update / show_context / append_history: merges, compare-and-swap, size cap, history."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
    UsageError,
    ValidationError,
)
from hestai_tmws.memory.context import (
    ARCHIVE_SECTION,
    HISTORY_REL,
    ContextChange,
    append_history,
    resolve_context_doc,
    show_context,
    update_context,
)
from hestai_tmws.memory.context_merge import apply_change, cap_document
from hestai_tmws.octave import Document, Literal, Section, emit, parse
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash
from tests.conftest import REPO_ROOT
from tests.memory.support import (
    memory_text,
    write_settings,
)
from tests.octave_oracle import assert_oracle_clean

CTX = "context/project-context.oct.md"


def doc_of(project: Project, rel: str = CTX) -> Document:
    text = memory_text(project, rel)
    assert_oracle_clean(text)
    return parse(text)


def update(
    project: Project, *changes: dict[str, Any], document: str = "project-context", **kw: Any
) -> Any:
    return update_context(project, document=document, changes=list(changes), **kw)


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


# -- merge rules, property-based ---------------------------------------------------------------

_key = st.sampled_from(["A", "B", "C", "D_1"])
_section = st.sampled_from(["ONE", "TWO"])
_atom = st.one_of(st.integers(-5, 5), st.booleans(), st.text(max_size=12), st.none())
_change = st.builds(
    ContextChange,
    op=st.sampled_from(["add", "replace", "append", "remove"]),
    section=_section,
    key=_key,
    value=_atom,
)


@settings(max_examples=200, deadline=None)
@given(changes=st.lists(_change, max_size=12))
def test_changes_behave_like_a_dict_model(changes: list[ContextChange]) -> None:
    doc = Document(name="PROJECT_CONTEXT", meta={"TYPE": "PROJECT_CONTEXT"})
    model: dict[str, dict[str, Any]] = {}
    for change in changes:
        sec = model.get(change.section, {})
        key = change.key
        assert key is not None
        try:
            apply_change(doc, change)
        except (ValidationError, NotFoundError, UsageError):
            ok = False
        else:
            ok = True
        # the model of what must have happened
        exists = key in sec
        if change.op == "add":
            assert ok == (not exists)
            if ok:
                model.setdefault(change.section, {})[key] = change.value
        elif change.op == "replace":
            assert ok == exists
            if ok:
                sec[key] = change.value
        elif change.op == "append":
            assert ok == (not exists or sec[key] is None or isinstance(sec[key], list))
            if ok:
                target = model.setdefault(change.section, {})
                if target.get(key) is None:
                    target[key] = []
                target[key].append(change.value)
        else:
            if change.value is None:
                assert ok == exists
                if ok:
                    del sec[key]
            else:
                expect = exists and isinstance(sec[key], list) and change.value in sec[key]
                assert ok == expect
                if ok:
                    sec[key].remove(change.value)
    got = {s.name: s.body for s in doc.sections if s.body or s.name in model}
    assert got == {k: v for k, v in model.items() if v or k in got}
    text = emit(doc)
    assert_oracle_clean(text)
    assert parse(text) == doc


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


@settings(max_examples=60, deadline=None)
@given(
    lists=st.lists(st.lists(st.text(min_size=1, max_size=20), max_size=25), min_size=1, max_size=4),
    cap=st.integers(min_value=5, max_value=60),
)
def test_cap_never_loses_an_entry(lists: list[list[str]], cap: int) -> None:
    doc = Document(
        name="PROJECT_CONTEXT",
        meta={"TYPE": "PROJECT_CONTEXT"},
        sections=[Section(n + 1, f"S{n}", {"LOG": list(items)}) for n, items in enumerate(lists)],
    )
    moved, lines = cap_document(doc, cap, lambda d: emit(d).count("\n"))
    assert lines == emit(doc).count("\n")
    for n, items in enumerate(lists):
        gone = [m.value for m in moved if m.section == f"S{n}"]
        assert gone + list(doc.sections[n].body["LOG"]) == items  # type: ignore[arg-type]
    if lines > cap:  # only when every list is empty
        assert all(not s.body["LOG"] for s in doc.sections)


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


# -- history -----------------------------------------------------------------------------------


def test_append_history_adds_newest_first_and_replaces_retries(ready: Project) -> None:
    steward = Steward(ready)
    append_history(
        ready,
        steward,
        {
            "id": "a" * 12,
            "date": "2026-09-01",
            "event": "first",
            "source": "sessions/archive/x.oct.md",
            "decisions": ["d1", "d2"],
        },
    )
    append_history(
        ready,
        steward,
        {
            "id": "b" * 12,
            "date": "2026-09-02",
            "event": "second",
            "source": "sessions/archive/y.oct.md",
        },
    )
    append_history(
        ready,
        steward,
        {
            "id": "a" * 12,
            "date": "2026-09-01",
            "event": "first again",
            "source": "sessions/archive/x.oct.md",
        },
    )
    entries = doc_of(ready, HISTORY_REL).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert [e["EVENT"] for e in entries] == ["first again", "second"]  # type: ignore[index]
    assert list(entries[0])[:4] == ["DATE", "EVENT", "SOURCE", "SESSION"]  # type: ignore[arg-type]


def test_append_history_inside_a_transaction(ready: Project) -> None:
    steward = Steward(ready)
    with steward.transaction("clock-out", stage=True):
        append_history(ready, steward, {"event": "inside", "date": "2026-09-03"})
        steward.write_text(
            "reports/2026-09-03-x.oct.md", "===REPORT===\nMETA:\n  TYPE::REPORT\n---\n===END===\n"
        )
    entries = doc_of(ready, HISTORY_REL).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert entries[0]["EVENT"] == "inside"  # type: ignore[index]


def test_append_history_redacts_secrets(ready: Project) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    append_history(
        ready, Steward(ready), {"event": f"leaked {token}", "password": "hunter2hunter2"}
    )
    text = memory_text(ready, HISTORY_REL)
    assert token not in text and "hunter2hunter2" not in text


def test_append_history_drops_oldest_archived_sessions_when_full(ready: Project) -> None:
    write_settings(ready, max_document_bytes=4000)
    steward = Steward(ready)
    for n in range(40):
        append_history(
            ready,
            steward,
            {
                "id": f"{n:012x}",
                "event": f"session {n} " + "x" * 40,
                "source": f"sessions/archive/s{n}.oct.md",
            },
        )
    text = memory_text(ready, HISTORY_REL)
    assert len(text.encode()) <= 4000
    entries = parse(text).section("TIMELINE").body["ENTRIES"]  # type: ignore[union-attr]
    assert entries[0]["SESSION"] == f"{39:012x}"  # type: ignore[index]
    assert 1 < len(entries) < 40  # type: ignore[arg-type]


# -- reading -----------------------------------------------------------------------------------


def test_show_context_returns_documents_hashes_north_star_and_open_items(ready: Project) -> None:
    update(
        ready,
        {"op": "replace", "section": "TASKS", "key": "T1/STATUS", "value": "DONE"},
        document="checklist",
    )
    view = show_context(ready)
    names = [d.name for d in view.documents]
    assert names == [
        "project-context",
        "project-history",
        "project-roadmap",
        "project-checklist",
        "context-negatives",
    ]
    for d in view.documents:
        assert d.exists and d.sha256 == content_hash(d.content) and d.error is None
    assert [i.key for i in view.open_items] == ["T2", "T3"]
    assert view.open_items[0].owner == "requirements-steward"
    ns = view.north_star
    assert ns is not None and ns.exists and ns.status == "DRAFT"
    assert ns.requirements and ns.requirements[0].startswith("I1 first-immutable")
    assert view.max_lines == 200


def test_show_context_selected_and_missing_documents(ready: Project) -> None:
    Steward(ready).delete("context/project-roadmap.oct.md")
    view = show_context(ready, ["roadmap", "north-star"])
    assert [d.name for d in view.documents] == ["project-roadmap"]
    assert not view.documents[0].exists and view.documents[0].sha256 == ""
    assert view.north_star is not None and view.north_star.exists
    only = show_context(ready, ["context"])
    assert only.north_star is None and only.open_items == []


def test_show_context_hash_is_a_valid_base_hash(ready: Project) -> None:
    view = show_context(ready, ["context"])
    update(
        ready,
        {"op": "append", "section": "RISKS", "key": "OPEN", "value": "x"},
        base_hash=view.documents[0].sha256,
    )
