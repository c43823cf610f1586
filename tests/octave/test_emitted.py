"""The memo of emitted texts: exact texts only, and bounded."""

from __future__ import annotations

import pytest

from hestai_tmws.octave import Document, emit
from hestai_tmws.octave import emitted as emitted_mod
from hestai_tmws.octave.emitted import emitted_envelope, remember


def test_an_emitted_text_is_known_with_its_envelope() -> None:
    text = emit(Document(name="NOTE", body={"KEY": "a value"}))
    assert emitted_envelope(text) == "NOTE"
    assert emitted_envelope(text.replace("a value", "b value")) is None
    assert emitted_envelope(text + " ") is None


def test_the_memo_starts_over_past_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emitted_mod, "_BUDGET", 10)
    monkeypatch.setattr(emitted_mod, "_names", {})
    monkeypatch.setattr(emitted_mod, "_held", [0])
    remember("12345678", "A")
    remember("abcdefgh", "B")  # over budget: the first is forgotten
    assert emitted_envelope("12345678") is None
    assert emitted_envelope("abcdefgh") == "B"
