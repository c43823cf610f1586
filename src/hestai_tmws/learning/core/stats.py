"""Statistics of a pattern, recomputed from the evidence on every run.

Small pure functions so that mining, validation and the SOP drafts agree on one definition
of each number (see `docs/learning.md`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

# Below this value of q * longest session, 1 - (1 - q)^m equals m * q within 0.5 %.
_LINEAR_LIMIT = 0.01


def wilson_lower_bound(successes: int, n: int, z: float = 1.96) -> float:
    """Lower bound of the Wilson score interval: a success rate that small samples must earn."""
    if n <= 0:
        return 0.0
    if successes < 0 or successes > n:
        raise ValueError(f"successes {successes} must lie between 0 and n={n}")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z2 / n))


def confidence(wilson_lower: float, support: int) -> float:
    """Wilson lower bound scaled down until the pattern has been seen in 10 sessions."""
    return wilson_lower * min(1.0, support / 10)


def stability(days: Iterable[date], as_of: date, weeks: int) -> float:
    """Share of the last `weeks` seven-day windows (ending at `as_of`) with an occurrence."""
    seen: set[int] = set()
    for day in days:
        age = (as_of - day).days
        if 0 <= age < 7 * weeks:
            seen.add(age // 7)
    return len(seen) / weeks


class LengthHistogram:
    """Session lengths of one namespace, for the expected support of the independence model.

    Under independence every position holds token t with probability p(t) = calls of t /
    all calls. A sequence with probability q = prod p(t_i) occurs at least once in a session
    of length L with probability 1 - (1 - q)^(L - n + 1); summing that over the sessions
    gives the expected number of sessions that contain it by chance.
    """

    __slots__ = ("_counts", "_longest", "_windows")

    def __init__(self, lengths: Mapping[int, int]) -> None:
        self._counts = sorted((length, count) for length, count in lengths.items() if count)
        self._longest = self._counts[-1][0] if self._counts else 0
        self._windows: dict[int, int] = {}

    def windows(self, n: int) -> int:
        """How many contiguous windows of length n the sessions hold altogether."""
        cached = self._windows.get(n)
        if cached is None:
            cached = sum(count * (length - n + 1) for length, count in self._counts if length >= n)
            self._windows[n] = cached
        return cached

    def expected_support(self, q: float, n: int) -> float:
        """Expected distinct-session support of a length-n sequence of probability q."""
        if q <= 0.0:
            return 0.0
        if q * self._longest <= _LINEAR_LIMIT:
            return q * self.windows(n)
        if q >= 1.0:
            return float(sum(count for length, count in self._counts if length >= n))
        log_miss = math.log1p(-q)
        total = 0.0
        for length, count in self._counts:
            m = length - n + 1
            if m > 0:
                total += count * -math.expm1(m * log_miss)
        return total


def lift(support: int, expected: float) -> float:
    """Observed over expected support; infinite when chance cannot explain any of it."""
    if expected <= 0.0:
        return math.inf if support > 0 else 0.0
    return support / expected


def poisson_tail_bound(observed: int, expected: float) -> float:
    """Upper bound of P(X >= observed) for X ~ Poisson(expected): the chance-explanation odds.

    Uses the first term of the tail and the geometric bound on the rest, which is tight
    when `observed` is well above `expected` (the only case that matters here).
    """
    if observed <= 0 or expected <= 0.0:
        return 1.0 if observed <= 0 else 0.0
    if observed <= expected + 1:
        return 1.0
    log_first = -expected + observed * math.log(expected) - math.lgamma(observed + 1)
    ratio = expected / (observed + 1)
    return min(1.0, math.exp(log_first) / (1.0 - ratio))


def binomial_tail_bound(observed: int, trials: int, p: float) -> float:
    """Upper bound of P(X >= observed) for X ~ Binomial(trials, p).

    First term of the tail times the geometric bound on the rest (the term ratio only
    falls as k grows); exact when `observed == trials`.
    """
    if observed <= 0:
        return 1.0
    if observed > trials or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if observed <= trials * p:
        return 1.0
    log_first = (
        math.lgamma(trials + 1)
        - math.lgamma(observed + 1)
        - math.lgamma(trials - observed + 1)
        + observed * math.log(p)
        + (trials - observed) * math.log1p(-p)
    )
    ratio = (trials - observed) / (observed + 1) * p / (1.0 - p)
    if ratio >= 1.0:
        return 1.0
    return min(1.0, math.exp(log_first) / (1.0 - ratio))


LIFT_CAP = 1000.0


def lift_text(value: float) -> str:
    """Lift as a person reads it: how much more often than chance, capped at 1000×.

    Above the cap the exact figure only says "chance explains none of it".
    """
    if value != value or value <= 0:  # NaN or nothing seen
        return "lift unknown"
    if value >= LIFT_CAP:
        return f"over {LIFT_CAP:.0f}× more often than chance"
    if value >= 10:
        return f"{value:.0f}× more often than chance"
    return f"{value:.1f}× more often than chance"
