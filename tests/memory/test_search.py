"""`search_memory`: ranked hits with snippets, filters, and an index that follows the files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import UsageError
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.memory.search import fts_query, search_memory
from hestai_tmws.project import Project
from tests.memory.archive_support import START, write_archive


def test_sessions_and_decisions_are_found_with_snippets(ready: Project) -> None:
    write_archive(ready, "abcd1234ef56", summary="retry loop now uses exponential backoff")
    submit_document(
        ready, doc_type="decision", title="Backoff", content="Retries use exponential backoff."
    )
    result = search_memory(ready, "exponential backoff")
    kinds = {hit.kind for hit in result.hits}
    assert {"session", "decision"} <= kinds
    session = next(h for h in result.hits if h.kind == "session")
    assert session.id == "abcd1234" and "[exponential]" in session.snippet
    assert session.path.startswith(".hestai/sessions/archive/")


def test_type_and_since_filter(ready: Project) -> None:
    write_archive(ready, "aaaa1111bbbb", summary="merge driver work", started=START)
    write_archive(
        ready, "cccc2222dddd", summary="merge driver again", started=START + timedelta(days=30)
    )
    later = search_memory(ready, "merge driver", kind="sessions", since="2026-03-15")
    assert [h.id for h in later.hits] == ["cccc2222"]
    assert search_memory(ready, "merge driver", kind="report").hits == []


def test_the_index_follows_new_changed_and_removed_files(ready: Project) -> None:
    rel = write_archive(ready, "abcd1234ef56", summary="zebra crossing")
    assert len(search_memory(ready, "zebra").hits) == 1
    again = search_memory(ready, "zebra")
    assert again.reindexed == 0  # nothing changed: nothing read
    ready.memory_path(rel).unlink()
    assert search_memory(ready, "zebra").hits == []
    write_archive(ready, "ffff9999eeee", summary="giraffe")
    assert [h.id for h in search_memory(ready, "giraffe").hits] == ["ffff9999"]


def test_a_hand_edit_is_picked_up_by_a_rebuild(ready: Project) -> None:
    rel = write_archive(ready, "abcd1234ef56", summary="zebra crossing")
    search_memory(ready, "zebra")
    path = ready.memory_path(rel)
    path.write_text(path.read_text().replace("zebra", "okapi"))
    assert len(search_memory(ready, "okapi", reindex=True).hits) == 1


@pytest.mark.parametrize(
    ("kwargs", "hint"),
    [
        ({"since": "yesterday"}, "YYYY-MM-DD"),
        ({"kind": "emails"}, "one of"),
        ({"limit": 0}, "1 to"),
    ],
)
def test_bad_filters_say_what_is_expected(
    ready: Project, kwargs: dict[str, object], hint: str
) -> None:
    with pytest.raises(UsageError) as caught:
        search_memory(ready, "x", **kwargs)  # type: ignore[arg-type]
    assert caught.value.hint and hint in caught.value.hint


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40))
def test_any_text_is_a_valid_query_or_a_clear_refusal(ready: Project, text: str) -> None:
    try:
        fts_query(text)
    except UsageError:
        return
    search_memory(ready, text)  # FTS5 syntax in user text never reaches SQLite as syntax
