"""The emitter's shortcut for scalar children of a block writes what `_entry` writes."""

from __future__ import annotations

import importlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.octave import Document, Section, emit

emit_module = importlib.import_module("hestai_tmws.octave.emit")  # the package shadows it

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
)
_keys = st.sampled_from(["TOOL", "DIGEST", "OK", "PATTERN", "REGEX", "A_1", "x.y", "B-2"])


@given(_scalars, st.booleans())
def test_plain_is_scalar(value: Any, force: bool) -> None:
    assert emit_module._plain(value, force) == emit_module._scalar(value, force)


@given(st.dictionaries(_keys, _scalars, min_size=1, max_size=6), st.booleans())
def test_block_same_with_a_cold_key_cache(block: dict[str, Any], in_meta: bool) -> None:
    doc = Document(
        name="T",
        meta={"BLOCK": block} if in_meta else {},
        body={},
        sections=[Section(1, "S", {"C01": block, "C02": {"IN": block}})],
    )
    warm = emit(doc)
    emit_module._key_cache.clear()  # every child takes the `_entry` path once more
    assert emit(doc) == warm
