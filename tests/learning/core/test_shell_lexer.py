"""The small shell lexer: simple commands, quotes, substitutions and redirections."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.learning.core.shell_lexer import drop_redirects, split_commands, strip_block_words


def test_a_line_splits_into_simple_commands_with_unquoted_words() -> None:
    segments = split_commands("cd 'my dir' && pytest -q \"a b\" | tee $(date) # note")
    assert [s.words for s in segments] == [
        ["cd", "my dir"],
        ["pytest", "-q", "a b"],
        ["tee", "$(date)"],
    ]
    assert segments[0].raw.strip() == "cd 'my dir'"


def test_redirections_and_block_words_are_dropped() -> None:
    assert drop_redirects(["make", "2>&1", ">", "log", "all"]) == ["make", "all"]
    assert strip_block_words(["do", "then", "pytest"]) == ["pytest"]


@given(st.text(max_size=120))
def test_any_text_splits_without_error(text: str) -> None:
    for segment in split_commands(text):
        assert all(isinstance(w, str) for w in segment.words)
