"""The reference-parser check every team runs on every OCTAVE file it writes.

`assert_oracle_clean(text)` fails the calling test unless octave-mcp 1.16.0 (the reference
implementation) reads `text` in strict mode with no warning, and re-emits it byte for byte.
It fails (never skips) when octave-mcp is missing, because then nothing is being checked.
"""

from __future__ import annotations

import difflib
from typing import Any

import pytest

INSTALL_HINT = (
    "octave-mcp is not installed, so OCTAVE output cannot be checked against the reference "
    "parser. Install it with: pip install --no-deps octave-mcp==1.16.0"
)


def reference() -> Any:
    """The `octave_mcp` module, or a test failure that says how to install it."""
    try:
        import octave_mcp
    except ImportError:  # pragma: no cover - depends on the environment
        pytest.fail(INSTALL_HINT, pytrace=False)
    return octave_mcp


def _diff(expected: str, actual: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            "our output",
            "octave_mcp.emit(octave_mcp.parse(ours))",
        )
    )


def assert_oracle_clean(text: str) -> None:
    """Assert the reference accepts `text` silently and considers it canonical."""
    octave_mcp = reference()
    try:
        _doc, warnings = octave_mcp.parse_with_warnings(text)
    except Exception as exc:  # the reference raises LexerError / ParserError
        pytest.fail(f"octave-mcp rejected the text: {exc}\n---\n{text}", pytrace=False)
    if warnings:
        pytest.fail(f"octave-mcp warned: {warnings}\n---\n{text}", pytrace=False)
    try:
        again = octave_mcp.emit(octave_mcp.parse(text))
    except Exception as exc:
        pytest.fail(f"octave-mcp strict parse failed: {exc}\n---\n{text}", pytrace=False)
    if again != text:
        pytest.fail(
            "octave-mcp does not re-emit the text unchanged:\n" + _diff(text, again),
            pytrace=False,
        )
