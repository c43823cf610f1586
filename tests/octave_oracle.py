"""The reference-parser check every team runs on every OCTAVE file it writes.

`assert_oracle_clean(text)` fails the calling test unless octave-mcp 1.16.0 (the reference
implementation) reads `text` in strict mode with no warning, and re-emits it byte for byte.
octave-mcp pins mcp<2, so `pip install -e .[test]` cannot bring it; without it the oracle tests
SKIP and the run ends with one loud line naming the command that enables them (see
tests/conftest.py). With TMWS_REQUIRE_ORACLE=1 (scripts/test.sh sets it) a missing oracle FAILS
the tests instead: CI must never pass with nothing checked.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
from typing import Any

import pytest

INSTALL_COMMAND = "pip install --no-deps octave-mcp==1.16.0"
INSTALL_HINT = (
    "octave-mcp is not installed, so OCTAVE output cannot be checked against the reference "
    f"parser. Install it with: {INSTALL_COMMAND}"
)
REQUIRE_ENV = "TMWS_REQUIRE_ORACLE"
# Read once, when the suite starts: the tests' own environment has every TMWS_* variable removed.
REQUIRED = os.environ.get(REQUIRE_ENV) == "1"
SKIP_REASON = f"octave-mcp (the OCTAVE reference parser) is not installed; {INSTALL_COMMAND}"
SUMMARY_LINE = (
    f"OCTAVE oracle tests SKIPPED: octave-mcp is not installed. Enable them with: {INSTALL_COMMAND}"
)


def available() -> bool:
    """Whether `octave_mcp` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("octave_mcp") is not None
    except (ImportError, ValueError):
        return False


def reference() -> Any:
    """The `octave_mcp` module; a skip when it is missing, a failure when it is required."""
    try:
        import octave_mcp
    except ImportError:
        if REQUIRED:
            pytest.fail(f"{INSTALL_HINT} ({REQUIRE_ENV}=1 requires it)", pytrace=False)
        pytest.skip(SKIP_REASON)
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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One loud line at the end of a run that could not check OCTAVE against the reference."""
    if available():
        return
    if REQUIRED:
        line = f"OCTAVE oracle MISSING and {REQUIRE_ENV}=1: its tests fail. {INSTALL_HINT}"
        terminalreporter.write_sep("!", line, red=True, bold=True)
    else:
        terminalreporter.write_sep("!", SUMMARY_LINE, yellow=True, bold=True)
