"""The numpy counters give exactly the counts of the pure-Python ones."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.ngram_arrays import frequent_ngrams_arrays, window_pairs
from hestai_tmws.learning.core.ngrams import Level, frequent_ngrams


def _same(left: list[Level], right: list[Level]) -> None:
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert a.support == b.support
        assert a.occurrences == b.occurrences


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcd\x00\U0001f600", max_size=16), max_size=12),
    st.integers(1, 4),
    st.integers(0, 7),
)
def test_arrays_counter_equals_the_python_one(
    texts: list[str], min_support: int, max_len: int
) -> None:
    _same(
        frequent_ngrams_arrays(texts, min_support, max_len),
        frequent_ngrams(texts, min_support, max_len),
    )


def test_arrays_counter_on_a_known_case() -> None:
    levels = frequent_ngrams_arrays(["abab", "ab", "ba"], min_support=2, max_len=4)
    assert levels[2].support == {"ab": 2, "ba": 2}
    assert levels[2].occurrences == {"ab": 3, "ba": 2}
    assert len(levels) == 4 and levels[3].support == {}


def test_arrays_counter_of_no_texts() -> None:
    _same(frequent_ngrams_arrays([], 1, 3), frequent_ngrams([], 1, 3))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcd\x00\U0001f600", max_size=40),
    st.integers(1, 4),
    st.sets(st.sampled_from("abcd\U0001f600")),
)
def test_window_pairs_equal_counting_each_distance(
    joined: str, window: int, chars: set[str]
) -> None:
    calls, together = window_pairs(joined, window, chars)
    assert calls == Counter(joined)
    truth: Counter[str] = Counter()
    for d in range(1, window + 1):
        pairs = zip(joined, joined[d:], strict=False)
        truth.update(a + b for a, b in pairs if a != b and {a, b} <= chars)
    assert together == truth
