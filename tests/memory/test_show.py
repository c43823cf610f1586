"""`show_record`: one record found by id, number, name or path, and made readable."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.memory.show import kind_of, show_record
from hestai_tmws.project import Project
from tests.memory.archive_support import write_archive


def test_a_session_is_found_by_its_short_id_and_summarised(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="fixed the retry loop", decisions=("use backoff",))
    shown = show_record(ready, "abcd1234")
    assert (shown.kind, shown.id) == ("session", "abcd1234ef56")
    titles = [s.title for s in shown.sections]
    assert titles[:2] == ["Summary", "Decisions"]
    assert shown.sections[1].fields[0].value == "use backoff"


def test_a_decision_is_found_by_number_and_by_path(ready: Project) -> None:
    submit_document(
        ready, doc_type="decision", title="Use SQLite", content="We use SQLite FTS5 for search."
    )
    by_number = show_record(ready, "1")
    assert by_number.kind == "decision" and by_number.path.endswith(".oct.md")
    by_path = show_record(ready, by_number.path)
    assert by_path == by_number
    assert any("FTS5" in f.value for s in by_number.sections for f in s.fields)


def test_unknown_records_say_what_to_try(ready: Project) -> None:
    with pytest.raises(NotFoundError) as caught:
        show_record(ready, "no-such-thing")
    assert caught.value.hint and "search" in caught.value.hint


def test_paths_outside_memory_are_not_shown(ready: Project) -> None:
    with pytest.raises(NotFoundError):
        show_record(ready, "README.md")


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("sessions/archive/x.oct.md", "session"),
        ("workflow/decisions/001-a.oct.md", "decision"),
        ("learning/skills/a/SKILL.md", "skill"),
        ("workflow/000-project-north-star.oct.md", "context"),
    ],
)
def test_the_kind_comes_from_the_folder(rel: str, kind: str) -> None:
    assert kind_of(rel) == kind
