"""Conservative high-entropy detection: random tokens yes, hashes and ids no."""

from __future__ import annotations

from hestai_tmws.secrets.entropy import ENTROPY_CANDIDATE, entropy_ok

RANDOM = "k3J9sLm2Qp8Rt5Vw1Xy4Za6Bc7De0Fg2Hi9JkLm"


def test_a_long_mixed_token_is_high_entropy() -> None:
    assert entropy_ok(RANDOM)


def test_hex_digests_and_short_values_are_not() -> None:
    assert not entropy_ok("0123456789abcdef" * 4)
    assert not entropy_ok("k3J9sLm2Qp8")


def test_ids_with_a_prefix_are_judged_without_it() -> None:
    assert not entropy_ok("toolu_" + "a" * 40)


def test_the_candidate_needs_an_assignment_or_quote() -> None:
    assert ENTROPY_CANDIDATE.search(f"x={RANDOM}")
    assert not ENTROPY_CANDIDATE.search(f"x {RANDOM}")
