"""Findings: the one shape of a reported problem, with its defaults and its JSON."""

from __future__ import annotations

import pydantic
import pytest

from hestai_tmws.findings import Finding


def test_defaults_make_an_unfixed_error_without_a_path() -> None:
    finding = Finding(code="GOV_TAMPERED", message="changed")
    assert (finding.path, finding.severity, finding.fixed) == (None, "error", False)


def test_round_trips_through_json() -> None:
    finding = Finding(code="MISPLACED", path=".hestai/x.md", message="m", severity="warning")
    assert Finding.model_validate_json(finding.model_dump_json()) == finding


def test_severity_is_error_or_warning_only() -> None:
    with pytest.raises(pydantic.ValidationError):
        Finding(code="X", message="m", severity="fatal")
