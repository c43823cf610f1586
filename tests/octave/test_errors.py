"""OctaveError: a validation error that points at the line when one is known."""

from __future__ import annotations

from hestai_tmws.errors import ExitCode, ValidationError
from hestai_tmws.octave import OctaveError, parse


def test_message_starts_with_the_line() -> None:
    exc = OctaveError("bad token", line=7, hint="quote it")
    assert str(exc) == "line 7: bad token"
    assert (exc.line, exc.detail, exc.hint) == (7, "bad token", "quote it")


def test_without_a_line_the_message_is_the_detail() -> None:
    exc = OctaveError("cannot write NaN")
    assert (str(exc), exc.line) == ("cannot write NaN", None)


def test_it_is_a_validation_error_for_the_faces() -> None:
    exc = OctaveError("x")
    assert isinstance(exc, ValidationError) and exc.exit_code is ExitCode.ERROR


def test_the_reader_reports_the_offending_line() -> None:
    try:
        parse("===X===\nA::1\nB: v\n===END===\n")
    except OctaveError as exc:
        assert exc.line == 3
        assert str(exc).startswith("line 3:")
    else:
        raise AssertionError("the reader accepted `B: v`")
