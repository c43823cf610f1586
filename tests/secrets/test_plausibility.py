"""The value checks of `keyword = value` rules: real values pass, placeholders do not."""

from __future__ import annotations

import pytest

from hestai_tmws.secrets.plausibility import has_digit, plausible_value, reference_free


@pytest.mark.parametrize("value", ["$DB_PASSWORD", "${TOKEN}", "{{ secret }}", "<your-key>", "***"])
def test_references_and_placeholders_are_not_values(value: str) -> None:
    assert not reference_free(value)


def test_a_marker_is_not_a_value() -> None:
    assert not reference_free("[REDACTED:token]")


def test_a_made_value_is_reference_free() -> None:
    assert reference_free("k3J9sLm2Qp8Rt5Vw")


def test_has_digit() -> None:
    assert has_digit("abc1") and not has_digit("abcdef")


def test_a_machine_made_token_is_plausible_and_a_placeholder_is_not() -> None:
    kw = {"quoted": True, "op": "=", "spaced": False, "keyword": "token"}
    assert plausible_value("k3J9sLm2Qp8Rt5Vw1Xy4", **kw)
    assert not plausible_value("placeholder", **kw)
    assert not plausible_value("null", **kw)
