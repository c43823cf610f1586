"""One Aho-Corasick pass must answer exactly what a `str.find` loop per literal did."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.secrets.literals import find_literals
from hestai_tmws.secrets.scanner import _scan_literals


def _find_loop(text: str, literal: str) -> list[int]:
    out: list[int] = []
    start = text.find(literal)
    while start != -1:
        out.append(start)
        start = text.find(literal, start + 1)
    return out


_ALPHABET = st.sampled_from(list("ab_-=:. \nkeyptoén😀"))
_LITERALS = st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=8)


@given(text=st.text(_ALPHABET, max_size=200), literals=_LITERALS)
def test_starts_and_presence_match_find_loops(text: str, literals: list[str]) -> None:
    distinct = tuple(sorted(set(literals)))
    found = find_literals(text, distinct)
    for literal in distinct:
        assert found.starts(literal) == _find_loop(text, literal)
    assert found.present() == {t for t in distinct if t in text}
    expected = sorted(p for t in distinct for p in _find_loop(text, t))
    assert found.positions(distinct) == expected


def test_overlapping_and_nested_occurrences_are_all_found() -> None:
    found = find_literals("aaa token_key", ("aa", "a", "token", "token_key", "key"))
    assert found.starts("aa") == [0, 1]
    assert found.starts("a") == [0, 1, 2]
    assert found.starts("token") == found.starts("token_key") == [4]
    assert found.starts("key") == [10]
    assert found.positions(("token", "token_key", "key")) == [4, 4, 10]


def test_real_detector_literals_on_a_real_shaped_text() -> None:
    text = 'export github_token=ghp_x; curl -h "authorization: bearer x" --password p\n'
    literals = _scan_literals()
    found = find_literals(text, literals)
    for literal in literals:
        assert found.starts(literal) == _find_loop(text, literal)


def test_empty_text_has_no_hits() -> None:
    found = find_literals("", ("a",))
    assert found.present() == frozenset()
    assert found.starts("a") == []
