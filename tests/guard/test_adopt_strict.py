"""adopt (and so the guard's suggested fix) is as strict as octave-mcp strict, never looser."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.guard.adopt import adopt
from tests.guard.support import CONTEXT_ROOT, Guarded

VALID = "===PROJECT_CONTEXT===\nMETA:\n  TYPE::PROJECT_CONTEXT\n---\nGATES::NEVER<A,B>\n===END===\n"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("2025-12-01", "unquoted date"), ("foo(bar)", "'[(]'"), ("a⊕b c", "after an A→B")],
)
def test_hand_edits_the_reference_refuses_are_refused(
    guarded: Guarded, value: str, fragment: str
) -> None:
    guarded.path(CONTEXT_ROOT).write_text(VALID.replace("NEVER<A,B>", value))
    with pytest.raises(ValidationError, match=fragment):
        adopt(guarded.project, [CONTEXT_ROOT], reason="hand edit", cwd=guarded.root)


def test_constructs_the_reference_reads_are_adopted(guarded: Guarded) -> None:
    guarded.path(CONTEXT_ROOT).write_text(VALID.replace("---\n", "---\nS::DONE[all_clear]\n"))
    result = adopt(guarded.project, [CONTEXT_ROOT], reason="hand edit", cwd=guarded.root)
    assert [item.path for item in result.adopted] == [CONTEXT_ROOT]
