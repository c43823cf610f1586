"""The error hierarchy: every expected failure carries its message, hint and exit code."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import (
    BusyError,
    ConflictError,
    ExitCode,
    NotARepositoryError,
    NotFoundError,
    PathRejectedError,
    PolicyError,
    TmwsError,
    UsageError,
    ValidationError,
)


def test_exit_codes_are_the_documented_numbers() -> None:
    assert [int(code) for code in ExitCode] == [0, 1, 2, 3, 4]
    assert [code.name for code in ExitCode] == ["OK", "ERROR", "USAGE", "POLICY", "BUSY"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (TmwsError, ExitCode.ERROR),
        (NotARepositoryError, ExitCode.ERROR),
        (ValidationError, ExitCode.ERROR),
        (NotFoundError, ExitCode.ERROR),
        (ConflictError, ExitCode.ERROR),
        (UsageError, ExitCode.USAGE),
        (PathRejectedError, ExitCode.USAGE),
        (PolicyError, ExitCode.POLICY),
        (BusyError, ExitCode.BUSY),
    ],
)
def test_each_error_maps_to_its_exit_code(error: type[TmwsError], code: ExitCode) -> None:
    exc = error("it broke", hint="do this")
    assert isinstance(exc, TmwsError)
    assert exc.exit_code is code
    assert (str(exc), exc.message, exc.hint) == ("it broke", "it broke", "do this")


def test_hint_is_optional() -> None:
    assert TmwsError("x").hint is None


def test_conflict_carries_the_current_document() -> None:
    exc = ConflictError("moved", current="text", current_hash="abc")
    assert (exc.current, exc.current_hash, exc.hint) == ("text", "abc", None)
    assert ConflictError("moved").current == ""
