"""Search words: stop words, numbers and repeats dropped; snake_case words split; paths."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.learning.core.search_terms import MAX_TERMS, path_words, query_terms


def test_query_terms_drop_stop_words_numbers_and_duplicates() -> None:
    terms = query_terms(["Fix the flaky pytest run in hestai_tmws", "PYTEST 42 v2 ok"])
    assert terms == ["flaky", "pytest", "hestai_tmws", "hestai", "tmws", "v2", "ok"]
    assert path_words(["src/app/cli_main.py", "README"]) == ["src", "app", "cli_main", "README"]
    assert query_terms([None, "", "the and of"]) == []


@given(st.lists(st.one_of(st.none(), st.text(max_size=60)), max_size=8))
def test_terms_are_distinct_lower_case_and_bounded(texts: list[str | None]) -> None:
    terms = query_terms(texts)
    assert len(terms) == len(set(terms)) <= MAX_TERMS
    assert all(t == t.lower() and len(t) >= 2 for t in terms)
