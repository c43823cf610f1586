"""The size cap: old entries move out, oldest and done first, and none is ever lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.memory.context_cap import MovedEntry, cap_document
from hestai_tmws.octave import Document, Section, emit


def lines_of(doc: Document) -> int:
    text: str = emit(doc)
    return text.count("\n")


def test_done_blocks_move_before_open_ones() -> None:
    tasks = {
        f"T{n}": {"WHAT": f"task {n}", "STATUS": "DONE" if n % 2 else "OPEN"} for n in range(6)
    }
    doc = Document(name="CHECKLIST", sections=[Section(1, "TASKS", dict(tasks))])
    moved, lines = cap_document(doc, lines_of(doc) - 4, lines_of)
    assert moved and all(m.value["STATUS"] == "DONE" for m in moved)
    assert lines == lines_of(doc)


def test_a_moved_entry_records_where_it_came_from() -> None:
    key, block = MovedEntry("LOG", "ITEMS", "x", "list-item").record("context/a.oct.md", "T")
    assert key.startswith("A_") and block == {
        "FROM": "context/a.oct.md",
        "SECTION": "LOG",
        "KEY": "ITEMS",
        "MOVED": "T",
        "VALUE": "x",
    }


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
        assert gone + list(doc.sections[n].body["LOG"]) == items
    if lines > cap:  # only when every list is empty
        assert all(not s.body["LOG"] for s in doc.sections)
