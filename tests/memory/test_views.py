"""Reading memory: open checklist items, the north star summary, and document views."""

from __future__ import annotations

from hestai_tmws.memory.views import north_star_summary, open_checklist_items, show_context
from hestai_tmws.octave import Document, Section
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash
from tests.memory.support import update


def test_open_items_skip_done_blocks_checked_items_and_done_sections() -> None:
    doc = Document(
        name="PROJECT_CHECKLIST",
        sections=[
            Section(
                1,
                "TASKS",
                {
                    "T1": {"WHAT": "a", "STATUS": "DONE"},
                    "T2": {"WHAT": "b", "STATUS": "OPEN", "OWNER": "me"},
                },
            ),
            Section(
                2, "NOTES", {"TODO": ["[x] done already", "still to do"], "OTHER": ["not a task"]}
            ),
            Section(3, "DONE", {"T9": {"WHAT": "old", "STATUS": "OPEN"}}),
        ],
    )
    items = open_checklist_items(doc)
    assert [(i.section, i.key, i.text) for i in items] == [
        ("TASKS", "T2", "b"),
        ("NOTES", "TODO[2]", "still to do"),
    ]
    assert items[0].owner == "me" and items[0].status == "OPEN"


def test_the_north_star_summary_and_its_absence(ready: Project) -> None:
    summary = north_star_summary(ready)
    assert summary.exists and summary.sha256 and summary.requirements
    Steward(ready).delete(summary.rel)
    assert not north_star_summary(ready).exists


def test_a_document_that_does_not_parse_is_shown_with_its_error(ready: Project) -> None:
    rel = "context/project-roadmap.oct.md"
    (ready.hestai / rel).write_text("not octave\n", encoding="utf-8")
    view = show_context(ready, ["roadmap"]).documents[0]
    assert view.exists and view.error and view.sha256 == content_hash("not octave\n")


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
