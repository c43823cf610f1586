"""The managed AGENTS.md block: only the text between our markers is ours."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import ValidationError
from hestai_tmws.integrations.agents_md import BEGIN, block, with_block

user_text = st.text(st.characters(blacklist_characters="<"), max_size=200).map(
    lambda t: t.rstrip("\n") + "\n" if t.strip() else ""
)


@given(user_text)
def test_add_is_idempotent_and_remove_restores(text: str) -> None:
    added = with_block(text)
    assert added is not None and added.count(BEGIN) == 1
    assert with_block(added) == added
    assert added.startswith(text)
    assert with_block(added, remove=True) == (text or None)


def test_a_stale_block_is_replaced_in_place() -> None:
    stale = f"top\n\n{BEGIN}\nold words\n<!-- tmws:end -->\n\nbottom\n"
    assert with_block(stale) == f"top\n\n{block()}\nbottom\n"


def test_two_blocks_are_refused() -> None:
    with pytest.raises(ValidationError, match="2 tmws blocks"):
        with_block(block() + "\n" + block())
