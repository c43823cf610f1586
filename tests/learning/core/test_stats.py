from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning.core.stats import (
    LengthHistogram,
    binomial_tail_bound,
    confidence,
    lift,
    poisson_tail_bound,
    stability,
    wilson_lower_bound,
)


def test_wilson_known_values() -> None:
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(0, 10) == 0.0
    assert wilson_lower_bound(10, 10) == pytest.approx(0.7225, abs=1e-4)
    assert wilson_lower_bound(3, 3) == pytest.approx(0.4385, abs=1e-4)
    assert wilson_lower_bound(90, 100) == pytest.approx(0.8256, abs=1e-4)
    assert wilson_lower_bound(1, 2, z=1.0) < wilson_lower_bound(1, 2, z=0.5)
    with pytest.raises(ValueError):
        wilson_lower_bound(3, 2)


@given(st.integers(min_value=1, max_value=500), st.data())
def test_wilson_is_below_the_rate_and_grows_with_evidence(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    low = wilson_lower_bound(k, n)
    assert 0.0 <= low <= k / n + 1e-12
    assert wilson_lower_bound(2 * k, 2 * n) >= low - 1e-12


def test_confidence_scales_until_ten_sessions() -> None:
    assert confidence(0.8, 5) == pytest.approx(0.4)
    assert confidence(0.8, 10) == pytest.approx(0.8)
    assert confidence(0.8, 50) == pytest.approx(0.8)


def test_stability_counts_weeks_with_occurrences() -> None:
    as_of = date(2025, 3, 31)
    days = [as_of, as_of - timedelta(days=6), as_of - timedelta(days=7), as_of - timedelta(70)]
    assert stability(days, as_of, 4) == pytest.approx(2 / 4)
    assert stability([], as_of, 4) == 0.0
    assert stability([as_of + timedelta(days=1)], as_of, 4) == 0.0  # future days ignored


def _exact_expected(lengths: dict[int, int], q: float, n: int) -> float:
    return sum(
        count * (1 - (1 - q) ** (length - n + 1))
        for length, count in lengths.items()
        if length >= n
    )


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=200),
        st.integers(min_value=1, max_value=50),
        min_size=1,
        max_size=8,
    ),
    st.floats(min_value=1e-12, max_value=1.0),
    st.integers(min_value=1, max_value=20),
)
def test_expected_support_matches_the_exact_sum(lengths: dict[int, int], q: float, n: int) -> None:
    hist = LengthHistogram(lengths)
    got = hist.expected_support(q, n)
    want = _exact_expected(lengths, q, n)
    assert got == pytest.approx(want, rel=0.006, abs=1e-12)
    assert got <= sum(c for length, c in lengths.items() if length >= n) + 1e-9


def test_windows_and_lift() -> None:
    hist = LengthHistogram({5: 2, 2: 1})
    assert hist.windows(3) == 6
    assert hist.windows(6) == 0
    assert lift(4, 2.0) == 2.0
    assert lift(3, 0.0) == math.inf
    assert lift(0, 0.0) == 0.0


def _poisson_tail(k: int, lam: float) -> float:
    return 1.0 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))


def _binomial_tail(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=60), st.floats(min_value=0.001, max_value=30.0))
def test_poisson_bound_is_an_upper_bound(k: int, lam: float) -> None:
    bound = poisson_tail_bound(k, lam)
    exact = _poisson_tail(k, lam)
    assert bound >= exact - 1e-9
    if k > 2 * lam + 2:
        assert bound <= 2 * exact + 1e-12  # tight where it matters


@settings(max_examples=200)
@given(
    st.integers(min_value=1, max_value=60),
    st.data(),
    st.floats(min_value=0.001, max_value=0.999),
)
def test_binomial_bound_is_an_upper_bound(n: int, data: st.DataObject, p: float) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n + 1))
    bound = binomial_tail_bound(k, n, p)
    exact = _binomial_tail(k, n, p) if k <= n else 0.0
    assert bound >= exact - 1e-9
    assert 0.0 <= bound <= 1.0
