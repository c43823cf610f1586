"""The shell vocabulary tables are consistent with each other."""

from __future__ import annotations

from hestai_tmws.learning.core.shell_words import (
    RUNNERS,
    SECOND_LEVEL,
    SETUP_WORDS,
    SUBCOMMANDS,
    WRAPPERS,
)


def test_second_levels_belong_to_programs_with_subcommands() -> None:
    assert set(SECOND_LEVEL) <= set(SUBCOMMANDS)


def test_runners_and_wrappers_are_not_setup_words() -> None:
    assert not set(WRAPPERS) & SETUP_WORDS
    assert all(len(key) == 2 for key in RUNNERS)
    assert all(opt.startswith("-") for opts in SUBCOMMANDS.values() for opt in opts)
