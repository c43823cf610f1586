"""The neutral index documents: the SOP template's words, never a tool name."""

from __future__ import annotations

from hestai_tmws.learning.core.index_background import background_text


def test_background_has_template_words_but_no_tools() -> None:
    text = background_text()
    assert "zz" not in text.lower()
    assert "Steps" in text
    assert background_text() is text  # drafted once per process
