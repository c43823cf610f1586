"""Bare values: words, numbers and operator text read the same wherever they stand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.octave import OctaveError, read_scalars
from hestai_tmws.octave.read_scalars import bare_value, normalize_bare


@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("true", True),
        ("false", False),
        ("null", None),
        ("42", 42),
        ("-7", -7),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("plain", "plain"),
        ("two  words", "two words"),
        ("a -> b", "a→b"),
        ("a <-> b", "a⇌b"),
        ("x vs y", "x⇌y"),
        ("a + b ~ c", "a⊕b⧺c"),
        ("p | q & r", "p∨q∧r"),
        ("see #2", "see §2"),
    ],
)
def test_bare_runs_read_as_the_reference_reads_them(run: str, value: object) -> None:
    assert bare_value(run, 1) == value
    assert type(bare_value(run, 1)) is type(value)


def test_out_of_range_numbers_name_their_line() -> None:
    with pytest.raises(OctaveError, match="out of range") as info:
        bare_value("1e999", 9)
    assert info.value.line == 9


@given(st.integers())
def test_every_integer_reads_back(number: int) -> None:
    assert bare_value(str(number), 1) == number


@given(st.from_regex(r"[a-z]{1,8}( [a-z]{1,8}){0,3}", fullmatch=True))
def test_words_are_joined_by_one_space(text: str) -> None:
    words = text.split()
    if "vs" not in words:  # the word vs is the ⇌ operator
        assert normalize_bare("   ".join(words)) == " ".join(words)


@given(st.text(alphabet="ab1.e-_:$()→ ", min_size=1, max_size=12))
def test_bare_value_remembered_is_the_value_read_fresh(run: str) -> None:
    """A token read before gives what a fresh read gives; a refused one is refused each time,
    with the line of each call."""

    def fresh() -> object:
        try:
            return ("ok", read_scalars._bare_value(run, 3))
        except OctaveError as exc:
            return ("error", exc.line)

    def remembered(line: int) -> object:
        try:
            return ("ok", read_scalars.bare_value(run, line))
        except OctaveError as exc:
            return ("error", exc.line)

    want = fresh()
    first, again = remembered(3), remembered(3)
    assert first == want and again == want
    assert type(first[1]) is type(want[1])
    if want[0] == "error":
        assert remembered(9) == ("error", 9)
