"""Redaction against the generated fake-secrets corpus: nothing may leak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.secrets.redaction import assert_clean, redact, redact_obj
from hestai_tmws.sessions.transcripts import read_transcript
from tests.fixtures.secrets import FakeSecret, leaks, make_secrets, write_transcript_with_secrets

SEEDS = range(40)
SEPARATORS = [" ", "\n", "\t", ", ", "; ", " (", ") ", "\n\n", " | "]


def test_corpus_shape() -> None:
    secrets = make_secrets(0)
    assert len(secrets) >= 40
    assert len({s.kind for s in secrets}) >= 15
    assert make_secrets(0) == secrets  # reproducible
    assert {s.value for s in make_secrets(1)}.isdisjoint(s.value for s in secrets)
    assert all(s.value in s.context for s in secrets)
    pem = next(s for s in secrets if s.kind == "pem_private_key")
    assert len(pem.needles) > 2  # the value, its escaped form and each body line


@pytest.mark.parametrize("seed", SEEDS)
def test_every_secret_redacted_by_redact(seed: int) -> None:
    for secret in make_secrets(seed):
        out = redact(secret.context)
        assert not leaks(out, [secret]), (secret.kind, out)
        assert "[REDACTED:" in out
        if secret.standalone:
            assert not leaks(redact(secret.value), [secret]), secret.kind


@pytest.mark.parametrize("seed", SEEDS)
def test_every_secret_redacted_by_redact_obj(seed: int) -> None:
    secrets = make_secrets(seed)
    data = {
        "command": [s.context for s in secrets],
        "nested": {"deeper": [{"text": s.context} for s in secrets]},
        "password": [s.value for s in secrets],  # a secret-named key takes everything
    }
    assert not leaks(json.dumps(redact_obj(data)), secrets)


def test_all_secrets_in_one_text() -> None:
    secrets = make_secrets(99)
    text = "\n".join(f"step {i}: {s.context}" for i, s in enumerate(secrets))
    out = redact(text)
    assert not leaks(out, secrets)
    assert_clean(out)


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
    filler=st.lists(st.text(max_size=60), min_size=5, max_size=5),
    seps=st.lists(st.sampled_from(SEPARATORS), min_size=10, max_size=10),
)
def test_secrets_at_random_positions_in_random_text_are_removed(
    seed: int, picks: list[int], filler: list[str], seps: list[str]
) -> None:
    corpus = make_secrets(seed, per_kind=1)
    chosen: list[FakeSecret] = [corpus[p % len(corpus)] for p in picks]
    parts: list[str] = [filler[0]]
    for i, secret in enumerate(chosen):
        parts += [seps[2 * i], secret.context, seps[2 * i + 1], filler[(i + 1) % len(filler)]]
    text = "".join(parts)
    out = redact(text)
    assert not leaks(out, chosen), [s.kind for s in leaks(out, chosen)]


@pytest.mark.parametrize("suffix", [".jsonl", ".log"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_transcripts_with_secrets(tmp_path: Path, seed: int, suffix: str) -> None:
    secrets = make_secrets(seed)
    path = tmp_path / f"session{suffix}"
    write_transcript_with_secrets(path, secrets)
    raw = read_transcript(path)
    assert raw.format == ("claude-code" if suffix == ".jsonl" else "plain")
    assert leaks(path.read_text(), secrets) == secrets  # every secret really is in there
    # Display fields are redacted at read time, without calling `redacted()`.
    shown = [c.input_digest for c in raw.tool_calls] + [c.error_text or "" for c in raw.tool_calls]
    assert not leaks("\n".join(shown + raw.errors), secrets)
    clean = raw.redacted()
    dumped = clean.model_dump_json()
    assert not leaks(dumped, secrets)
    assert_clean(dumped, what="redacted transcript")
    assert len(clean.markers.decisions) == len(secrets)


def test_transcript_carries_secrets_everywhere(tmp_path: Path) -> None:
    """The generator really exercises prompts, inputs, outputs, paths, markers, sidechains."""
    secrets = make_secrets(3, per_kind=1)
    path = tmp_path / "s.jsonl"
    write_transcript_with_secrets(path, secrets)
    raw = read_transcript(path)
    for field in ("user_prompts", "assistant_texts", "commands"):
        assert leaks("\n".join(getattr(raw, field)), secrets), field
    assert leaks("\n".join(raw.markers.decisions), secrets)
    assert leaks("\n".join(raw.files_read), [s for s in secrets if s.standalone])
    assert any(c.sidechain for c in raw.tool_calls)
    assert {c.name for c in raw.tool_calls} >= {
        "Bash",
        "Write",
        "Edit",
        "Grep",
        "Read",
        "mcp__vault__store",
    }
