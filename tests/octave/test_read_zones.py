"""Literal zones are found before reading; tabs and CRs outside them are refused."""

from __future__ import annotations

import pytest

from hestai_tmws.octave import OctaveError
from hestai_tmws.octave.read_zones import find_literal_zones


def test_zones_map_opening_to_closing_line_and_tag() -> None:
    text = "===X===\nA::\n  ```python\n  x\t= 1\n  ```\nB::\n  ````\n  ```\n  ````\n===END===\n"
    assert find_literal_zones(text) == {2: (4, "python"), 6: (8, "")}


def test_no_fences_means_no_zones() -> None:
    assert find_literal_zones("===X===\nA::1\n===END===\n") == {}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("===X===\nA::\t1\n===END===\n", "tab outside a literal zone", 2),
        ("===X===\r\nA::1\n===END===\n", "carriage return outside", 1),
        ("===X===\nA::\n  ```\n  x\n===END===\n", "unterminated literal zone", 3),
        ("===X===\nA::\n  ```\n  ````\n  ```\n===END===\n", "inside the literal zone", 4),
    ],
)
def test_problems_name_their_line(text: str, message: str, line: int) -> None:
    with pytest.raises(OctaveError, match=message) as info:
        find_literal_zones(text)
    assert info.value.line == line
