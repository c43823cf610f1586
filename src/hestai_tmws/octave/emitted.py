"""Texts this process's emitter wrote: reading one back cannot fail, so it need not be parsed.

`parse(emit(doc)) == doc` holds for every document `emit` accepts (tests/octave/
test_roundtrip.py over generated documents, tests/sessions/archive/test_render.py over
generated archives, and the reference parser's parity tests). So when the Steward is handed
a text byte-equal to one `emit` returned in this process (an import writes hundreds of
archives it has just rendered), parsing it again only repeats what is already known: its
envelope name is remembered with it. Any other text, including an emitted one changed by a
single character (say, by redaction), is parsed as before.
"""

from __future__ import annotations

_BUDGET = 1 << 23  # characters remembered before starting over (an import batch: ~1M)
_names: dict[str, str] = {}
_held = [0]


def remember(text: str, name: str) -> None:
    """Note that `emit` rendered `text`, whose first envelope is `name`."""
    if text in _names:
        return
    if _held[0] + len(text) > _BUDGET:
        _names.clear()
        _held[0] = 0
    _names[text] = name
    _held[0] += len(text)


def emitted_envelope(text: str) -> str | None:
    """The envelope name of `text` if `emit` rendered exactly this text, else None."""
    return _names.get(text)
