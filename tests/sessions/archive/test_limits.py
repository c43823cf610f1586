"""How much text an archive keeps at each level."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.archive.limits import ELLIPSIS, LEVELS, shorten


@given(st.text(), st.integers(min_value=2, max_value=300))  # limit 1 gives 2 chars (kept)
def test_shorten_gives_one_line_within_the_limit(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    assert "\n" not in out


def test_shorten_cuts_on_a_word_and_marks_it() -> None:
    assert shorten("alpha beta gamma delta", 12) == "alpha beta" + ELLIPSIS
    assert shorten("short", 10) == "short"


def test_levels_only_shrink() -> None:
    for bigger, smaller in itertools.pairwise(LEVELS):
        assert smaller.digest <= bigger.digest and smaller.summary <= bigger.summary
    assert LEVELS[0].traces is None and LEVELS[-1].traces is not None
