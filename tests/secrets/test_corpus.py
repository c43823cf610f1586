"""The evaluation corpus: ≥ 400 secrets of ≥ 200 kinds in ≥ 20 placements leak nothing, and
at most 1 in 50 benign look-alikes is touched (the targets of issue 11)."""

from __future__ import annotations

import random

import pytest

from hestai_tmws.secrets.redaction import redact, redact_many
from tests.secrets.corpus import (
    PLACEMENTS,
    Sample,
    build_benign,
    build_secrets,
    expand,
    formats,
    leaked,
)


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    return build_secrets()


def test_corpus_meets_the_size_the_issue_asks(samples: list) -> None:  # type: ignore[type-arg]
    assert len(samples) >= 400
    assert len({s.kind for s in samples}) >= 200
    assert len({s.placement for s in samples}) >= 20 and len(PLACEMENTS) >= 20
    assert len(build_benign()) >= 40
    assert build_secrets() == samples  # deterministic
    assert all(s.secret in s.text or s.also in s.text or "\\\n" in s.text for s in samples)


def test_no_secret_of_the_corpus_leaks(samples: list) -> None:  # type: ignore[type-arg]
    outs = redact_many([s.text for s in samples])
    leaks = [(s.kind, s.placement) for s, out in zip(samples, outs, strict=True) if leaked(s, out)]
    assert leaks == []


def test_each_secret_alone_is_redacted_too(samples: list) -> None:  # type: ignore[type-arg]
    for s in samples[::7]:
        assert not leaked(s, redact(s.text)), (s.kind, s.placement)


def test_benign_look_alikes_survive() -> None:
    benign = build_benign()
    changed = [kind for kind, text in benign if redact(text) != text]
    assert len(changed) * 50 <= len(benign), changed


def test_every_placement_is_exercised_by_a_prefix_format() -> None:
    fmt = next(f for f in formats() if f.template.startswith("glsa_"))
    value = expand(fmt.template, random.Random(1))
    for name, place in PLACEMENTS.items():
        text = place(fmt, value)
        assert value[:12] not in redact(text), name
