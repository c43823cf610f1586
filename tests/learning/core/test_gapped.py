"""Gapped procedures: steps in order with at most two foreign steps between them."""

from __future__ import annotations

from itertools import pairwise, product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.gapped import (
    PlainCorpus,
    _grow,
    eligible,
    embeddings,
    gapped_probability,
    same_routine,
)
from hestai_tmws.learning.core.mining import mine
from hestai_tmws.learning.core.model import MiningConfig
from tests.learning.helpers import filler, session

PROCEDURE = ["Edit", "Bash:bun run typecheck", "Bash:bun test"]


def reference_embeddings(text: str, gram: str, gap: int) -> list[tuple[int, ...]]:
    """Brute force: per start, the lexicographically first valid embedding."""
    out: list[tuple[int, ...]] = []
    for start in range(len(text)):
        if not gram or text[start] != gram[0]:
            continue
        rest = [range(len(text))] * (len(gram) - 1)
        for tail in product(*rest):
            path = (start, *tail)
            steps_ok = all(0 < b - a <= gap + 1 for a, b in pairwise(path))
            if steps_ok and all(text[p] == g for p, g in zip(path, gram, strict=True)):
                out.append(path)
                break
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abcd", max_size=12),
    st.text(alphabet="abc", min_size=1, max_size=3),
    st.integers(min_value=0, max_value=2),
)
def test_embeddings_agree_with_brute_force(text: str, gram: str, gap: int) -> None:
    assert embeddings(text, gram, gap) == reference_embeddings(text, gram, gap)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.text(alphabet="abcd", max_size=10), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=0, max_value=2),
)
def test_level_wise_growth_finds_every_frequent_gapped_gram(
    texts: list[str], min_support: int, gap: int
) -> None:
    config = MiningConfig(min_support=min_support, max_len=4)
    joins = {a + b for a in "abcd" for b in "abcd" if a != b}
    found = _grow(texts, joins, config, gap)
    expected: dict[str, set[int]] = {}
    for n in range(2, 5):
        for letters in product("abcd", repeat=n):
            gram = "".join(letters)
            if len(set(gram)) < n:
                continue  # each step once
            where = {k for k, t in enumerate(texts) if embeddings(t, gram, gap)}
            if len(where) >= min_support:
                expected[gram] = where
    assert found == expected


def test_two_foreign_steps_may_interleave_three_may_not() -> None:
    assert embeddings("aXYbZc", "abc") == [(0, 3, 5)]
    assert embeddings("aXYZbc", "abc") == []
    assert embeddings("aXYZbc", "abc", 3) == [(0, 4, 5)]


def test_a_later_middle_step_can_still_reach_the_end() -> None:
    # the earliest b is too far from c; the second b is not
    assert embeddings("abXbXXc", "abc") == [(0, 3, 6)]


def test_loops_are_opened_up_with_their_origin() -> None:
    plain = PlainCorpus().session(["Read", "(Edit → Bash:go test)+", "Bash:git commit"])
    assert len(plain.text) == 4 and plain.origin == [0, 1, 1, 2]


def test_only_acting_and_editing_steps_make_a_gapped_procedure() -> None:
    assert eligible("Edit") and eligible("Bash:bun test")
    assert not eligible("Read") and not eligible("TaskUpdate")
    assert not eligible("(Edit → Bash:go test)+")
    # a look at the repository interleaves, as a Read does
    assert not eligible("Bash:git status") and not eligible("Bash:git diff")
    assert eligible("Bash:git add") and eligible("Bash:git commit")


def test_the_chance_of_a_gapped_placement_grows_with_the_window() -> None:
    assert gapped_probability(0.001, 3, 0) == 0.001
    assert gapped_probability(0.001, 3, 2) == pytest.approx(0.009)
    assert gapped_probability(0.5, 4, 2) == 1.0


def test_pieces_of_one_routine() -> None:
    assert same_routine(["git status", "commit skill", "git log"], ["commit skill", "git status"])
    assert not same_routine(["Edit", "typecheck", "bun test"], ["typecheck", "bun run test", "x"])


def interleaved(i: int) -> list[str]:
    """The procedure with one or two different look-ups between its steps each time."""
    looks = ["Read", "Grep", "Glob"]
    tokens = filler(f"a{i}", 2)
    for j, step in enumerate(PROCEDURE):
        tokens.append(step)
        if j < len(PROCEDURE) - 1:
            tokens.extend(looks[(i + j) % 3 :][: 1 + (i + j) % 2])
    return tokens + filler(f"b{i}", 2)


def test_an_interleaved_procedure_is_found_only_with_gaps() -> None:
    sessions = [session(f"s{i}", interleaved(i), day=i % 2) for i in range(4)]
    [pattern] = [p for p in mine(sessions, MiningConfig()) if p.gap]
    assert pattern.tokens == tuple(PROCEDURE) and pattern.support == 4
    assert pattern.gap == 2 and pattern.occurrences == 4 and pattern.success_rate == 1.0
    assert not [p for p in mine(sessions, MiningConfig(max_gap=0)) if p.tokens == pattern.tokens]


def test_a_gapped_piece_of_a_contiguous_routine_is_not_a_second_pattern() -> None:
    routine = ["Bash:git status", "Bash:git diff", "Bash:git add", "Bash:git commit"]
    sessions = [session(f"s{i}", [*filler(f"x{i}", 2), *routine], day=i % 2) for i in range(4)]
    sessions += [
        session(f"t{i}", ["Bash:git status", "Read", "Bash:git add", "Bash:git commit"], day=i)
        for i in range(3)
    ]
    patterns = mine(sessions, MiningConfig())
    assert [p.gap for p in patterns] == [0]


def test_the_outcome_of_a_gapped_occurrence_is_its_last_step() -> None:
    sessions = [session(f"s{i}", interleaved(i), day=i % 2) for i in range(4)]
    first = interleaved(0)
    sessions[0] = session("s0", first, failed=[first.index("Bash:bun test")])
    [pattern] = [p for p in mine(sessions, MiningConfig()) if p.gap]
    assert (pattern.successes, pattern.outcomes_known) == (3, 4)
    assert pattern.failed_steps == (0, 0, 1)
