"""Overlapping fragments of one routine become one pattern with variants."""

from __future__ import annotations

from hestai_tmws.learning.core.fragments import merge_fragments, overlaps

STATUS, DIFF, LOG, ADD, COMMIT = (
    "Bash:git status",
    "Bash:git diff",
    "Bash:git log",
    "Bash:git add",
    "Bash:git commit",
)


def test_overlap_rules() -> None:
    assert overlaps((STATUS, DIFF, LOG), (STATUS, DIFF, LOG, ADD))  # contained
    assert overlaps((STATUS, DIFF, LOG), (DIFF, LOG, ADD))  # end to end, 2 of 3
    assert overlaps(("Skill:cc", ADD, COMMIT), ("Skill:cc", STATUS, ADD, COMMIT))  # optional
    assert not overlaps((STATUS, DIFF, LOG), (LOG, ADD, COMMIT))  # one step only
    assert not overlaps(("Read", "Edit", "Bash:go test"), (STATUS, DIFF, LOG))


def test_fragments_join_the_routine_that_explains_most_calls() -> None:
    chains = [(STATUS, DIFF, LOG), (DIFF, LOG, ADD), (STATUS, DIFF, LOG, ADD), ("Read", "Edit")]
    supports = [43, 43, 38, 50]
    merged = merge_fragments([[0], [1], [2], [3]], chains, supports)
    assert merged == [[2, 1, 0], [3]]  # ties: in chain order
