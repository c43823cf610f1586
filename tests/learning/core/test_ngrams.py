"""Level-wise n-gram counting: support is distinct texts, occurrences count repeats."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.ngrams import frequent_ngrams


def test_frequent_ngrams_counts_distinct_sessions() -> None:
    levels = frequent_ngrams(["abab", "ab", "ba"], min_support=2, max_len=4)
    assert levels[1].support == {"a": 3, "b": 3}
    assert levels[1].occurrences == {"a": 4, "b": 4}
    assert levels[2].support == {"ab": 2, "ba": 2}
    assert levels[2].occurrences == {"ab": 3, "ba": 2}
    assert len(levels) == 4 and levels[3].support == {}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abc"), max_size=12), min_size=1, max_size=8))
def test_frequent_ngrams_match_counting(texts_as_lists: list[list[str]]) -> None:
    texts = ["".join(t) for t in texts_as_lists]
    levels = frequent_ngrams(texts, min_support=2, max_len=5)
    for n in range(1, 6):
        truth: Counter[str] = Counter()
        occ: Counter[str] = Counter()
        for text in texts:
            grams = [text[i : i + n] for i in range(len(text) - n + 1)]
            truth.update(set(grams))
            occ.update(grams)
        expected = {g: c for g, c in truth.items() if c >= 2}
        got = levels[n].support if n < len(levels) else {}
        assert got == expected
        if n < len(levels):
            assert levels[n].occurrences == {g: occ[g] for g in expected}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="abcd", max_size=14), min_size=1, max_size=10),
    st.integers(1, 4),
)
def test_support_counts_texts_with_and_without_repeats_alike(
    texts: list[str], min_support: int
) -> None:
    """Grams seen only in texts with repeats, only in texts without, or in both: one sum."""
    levels = frequent_ngrams(texts, min_support=min_support, max_len=4)
    for n in range(2, min(5, len(levels))):
        truth: Counter[str] = Counter()
        for text in texts:
            truth.update({text[i : i + n] for i in range(len(text) - n + 1)})
        assert levels[n].support == {g: c for g, c in truth.items() if c >= min_support}
