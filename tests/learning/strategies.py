"""Hypothesis strategies shared by the mining tests: small random corpora with a motif."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from hestai_tmws.learning.core.model import SessionSeq, Step

TOKENS = ["Read", "Edit", "Grep", "Bash:pytest", "Bash:git commit"]


@st.composite
def small_corpora(draw: st.DrawFn) -> list[SessionSeq]:
    alphabet = TOKENS[: draw(st.integers(min_value=2, max_value=5))]
    count = draw(st.integers(min_value=1, max_value=9))
    motif = draw(st.lists(st.sampled_from(TOKENS), min_size=2, max_size=5))
    sessions = []
    for i in range(count):
        tokens = draw(st.lists(st.sampled_from(alphabet), max_size=12))
        if draw(st.booleans()):
            at = draw(st.integers(min_value=0, max_value=len(tokens)))
            tokens[at:at] = motif
        oks = draw(
            st.lists(
                st.sampled_from([True, True, False, None]),
                min_size=len(tokens),
                max_size=len(tokens),
            )
        )
        steps = tuple(
            Step(
                tool=t.partition(":")[0],
                action=t.partition(":")[2] or None,
                ok=ok,
                duration_ms=float(j),
            )
            for j, (t, ok) in enumerate(zip(tokens, oks, strict=True))
        )
        day = date(2025, 1, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=3)))
        sessions.append(SessionSeq(f"s{i}", day, "ns", steps))
    return sessions
