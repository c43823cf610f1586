"""Redaction: each secret shape, what must survive, JSON data, and failing closed."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import TmwsError
from hestai_tmws.secrets import redaction
from hestai_tmws.secrets.redaction import (
    Finding,
    RedactionError,
    assert_clean,
    is_clean,
    marker,
    redact,
    redact_obj,
    scan,
    sensitive_key,
)

# Fragments are joined at run time so that no complete secret-shaped literal sits in the file.
A62 = "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9"  # 39 mixed characters
HEX64 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-" + "ant-api03-" + A62 + A62 + " end", "key [REDACTED:anthropic_key] end"),
        ("sk-" + "proj-" + A62 + A62, "[REDACTED:openai_key]"),
        ("OPENAI=sk-" + A62, "OPENAI=[REDACTED:openai_key]"),
        ("gh" + "p_" + A62[:36], "[REDACTED:github_token]"),
        (
            "url https://gh" + "o_" + A62[:36] + "@github.com/a/b",
            "url https://[REDACTED:github_token]@github.com/a/b",
        ),
        ("github" + "_pat_" + A62[:22] + "_" + A62 + A62[:20], "[REDACTED:github_token]"),
        ("gl" + "pat-" + A62[:20], "[REDACTED:gitlab_token]"),
        ("xo" + "xb-1234567890-1234567890123-" + A62[:24].lower(), "[REDACTED:slack_token]"),
        (
            "post to https://hooks.slack" + ".com/services/T0000AAAA/B0000BBBB/" + A62[:24],
            "post to [REDACTED:slack_webhook]",
        ),
        ("AI" + "za" + A62[:35], "[REDACTED:google_api_key]"),
        ("id=AK" + "IA" + "IOSFODNN7EXAMPL3", "id=[REDACTED:aws_access_key_id]"),
        (
            "aws_secret_access_key = " + A62 + "+",
            "aws_secret_access_key = [REDACTED:aws_secret_key]",
        ),
        ('"AWS_SECRET_KEY": "' + A62 + '/"', '"AWS_SECRET_KEY": "[REDACTED:aws_secret_key]"'),
        ("sk_" + "live_" + A62[:24], "[REDACTED:stripe_key]"),
        ("rk_" + "test_" + A62[:24], "[REDACTED:stripe_key]"),
        (
            "bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + A62[:30],
            "bearer [REDACTED:jwt]",
        ),
        ("npm" + "_" + A62[:36], "[REDACTED:npm_token]"),
        ("SK" + "0123456789abcdef0123456789abcdef", "[REDACTED:twilio_key]"),
        ("S" + "G." + A62[:22] + "." + A62 + "abcd", "[REDACTED:sendgrid_key]"),
        ("hf" + "_" + A62[:34], "[REDACTED:huggingface_token]"),
        ("pypi-" + "AgEIcHlwaS5vcmc" + A62 + A62, "[REDACTED:pypi_token]"),
        (
            "postgres://app:s3cr3t!pw@db:5432/app",
            "postgres://app:[REDACTED:url_password]@db:5432/app",
        ),
        ("DB_PASSWORD=hunter2", "DB_PASSWORD=[REDACTED:password]"),
        ("passwd=Tr0ub4dor&3", "passwd=[REDACTED:password]"),
        ("export GITHUB_TOKEN=abcdef123456", "export GITHUB_TOKEN=[REDACTED:token]"),
        # `AUTH` with a suffix is rejected; the scan must still try `TOKEN` (low entropy value)
        (
            "export SERVICE_AUTH_TOKEN=abcdefghABCDEFGH",
            "export SERVICE_AUTH_TOKEN=[REDACTED:token]",
        ),
        ('{"password": "correct horse battery"}', '{"password": "[REDACTED:password]"}'),
        ('{\\"api_key\\": \\"k3yV4lue99\\"}', '{\\"api_key\\": \\"[REDACTED:api_key]\\"}'),
        ("client_secret: abc123XYZ789", "client_secret: [REDACTED:secret]"),
        ("password: 'single quoted'", "password: '[REDACTED:password]'"),
        ("apiKey = `k3y-in-backticks`", "apiKey = `[REDACTED:api_key]`"),
        ("cb?code=1&token=f00ba4c0ffee&x=1", "cb?code=1&token=[REDACTED:token]&x=1"),
        (
            "Authorization: Bearer abcDEF123456ghiJKL789",
            "Authorization: Bearer [REDACTED:auth_header]",
        ),
        (
            "headers['Authorization'] = 'token abc123def456'",
            "headers['Authorization'] = 'token [REDACTED:auth_header]'",
        ),
        ("curl -H 'bearer AbC123dEf456GhI789jkl'", "curl -H 'bearer [REDACTED:bearer_token]'"),
        ("Basic " + base64.b64encode(b"user:pa55word").decode(), "Basic [REDACTED:basic_auth]"),
        ("psql --password hunter2 -h db", "psql --password [REDACTED:cli_secret] -h db"),
        ("tool --api-key=abc123xyz", "tool --api-key=[REDACTED:cli_secret]"),
        ("mysql -u root -pS3cret db", "mysql -u root -p[REDACTED:password] db"),
        ("curl -u admin:Passw0rd https://x", "curl -u admin:[REDACTED:password] https://x"),
        ("PRIVATE_KEY=0x" + HEX64, "PRIVATE_KEY=[REDACTED:api_key]"),
        ('SIGNING = "' + A62 + 'Zq"', 'SIGNING = "[REDACTED:high_entropy]"'),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef\n-----END RSA PRIVATE KEY-----\nafter",
            "[REDACTED:private_key]\nafter",
        ),
        (
            "x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r (cut off",
            "x [REDACTED:private_key]",
        ),
        (
            "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: abc123\nok",
            "[REDACTED:private_key]\nok",
        ),
    ],
)
def test_redacts_each_shape(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert is_clean(redact(text))


KEPT = [
    "/home/user/projects/app/src/hestai_tmws/sessions/redaction.py",
    "commit 3f5e8a9c2b1d4e6f7a8b9c0d1e2f3a4b5c6d7e8f",
    '"sha": "3f5e8a9c2b1d4e6f7a8b9c0d1e2f3a4b5c6d7e8f"',
    "sha256=" + HEX64,
    'digest: "' + HEX64 + '"',
    "4d5611e5-241a-462a-8d15-5122611a9569",
    '"sessionId": "4d5611e5-241a-462a-8d15-5122611a9569"',
    "session_id=4d5611e5-241a-462a-8d15-5122611a9569",
    "The password field is required",
    "password",
    "Enter your password:",
    "reset_password_token",
    "max_tokens: 4096",
    "max_tokens=4096",
    '"input_tokens": 3, "output_tokens": 9',
    "author=John",
    "bypass=true",
    "oauth: enabled",
    "password = get_password()",
    "token = os.environ['TOKEN']",
    "password: ${DB_PASSWORD}",
    "PASSWORD=$DB_PASSWORD",
    "api_key: <your-api-key>",
    'password = ""',
    "password: null",
    "token: str = None",
    "const token = await getToken();",
    'secret_key_base: System.get_env("SECRET_KEY_BASE")',
    "password = new_password",
    "the secret: nobody knows",
    "https://github.com/org/repo/pull/12",
    "git@github.com:org/repo.git",
    "postgres://localhost:5432/db",
    "http://user@host/path",
    "toolu_01UwLnYYWGBvukzh1QE6JpfM msg_01PdWvcjJ6E9BgscDveYt9YV req_011CY4TRHLYkp2wmETF8ujUf",
    '"tool_use_id": "srvtoolu_01UVVmyMrtVsygmU6qacrqnH"',
    "2026-02-12T16:02:25.227Z task-output-waiting-1770927708311",
    "scikit-learn disk-usage task-123456789012345678901234",
    "the Bearer token scheme and Basic authentication",
    "aGVsbG8=",
    "def check_password(password: str) -> bool:",
    "if token is None:",
    "[REDACTED:password]",
    'name: "release-2024-build-artifacts-for-linux"',
    "password_hash = bcrypt.hashpw(pw, salt)",
    "AKIA is the prefix of AWS access key ids",
    'token = "tool" or "tool:<name>"',
    "step(token=pattern.tokens[i])",
    "self._by_token: dict[str, str] = {}",
    "cache._token_ids = {tok: i for i in x}",
    "token: Optional[str] = None",
    '_TOKEN = "TMWS_CONFLICT_"',
    'ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")',
    '"        pass_filenames: false\\n"',
    "auth_method: oauth2-pkce",
    "password = user.password",
]


@pytest.mark.parametrize("text", KEPT)
def test_keeps_non_secrets(text: str) -> None:
    assert redact(text) == text
    assert scan(text) == []


def test_scan_reports_spans_not_values() -> None:
    text = "a DB_PASSWORD=hunter2 b gh" + "p_" + A62[:36]
    findings = scan(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("password", "hunter2"),
        ("github_token", "gh" + "p_" + A62[:36]),
    ]
    assert all(isinstance(f, Finding) and f.detector == "pattern" for f in findings)


def test_overlapping_hits_merge() -> None:
    text = "export GITHUB_TOKEN=gh" + "p_" + A62[:36]
    assert redact(text) == "export GITHUB_TOKEN=[REDACTED:github_token]"


def test_detect_secrets_plugins_contribute() -> None:
    text = "cloudant_password='" + "a" * 5 + HEX64[5:] + "'"
    kinds = {f.detector for f in scan(text)}
    assert "detect-secrets" in kinds or redact(text) != text
    discord = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs"
    assert redact(f"bot token {discord} ok") == "bot token [REDACTED:ds_discord_bot_token] ok"


def test_redact_is_idempotent_on_examples() -> None:
    text = "DB_PASSWORD=hunter2 and Authorization: Bearer abcDEF123456ghiJKL789"
    once = redact(text)
    assert redact(once) == once


def test_empty_and_tiny() -> None:
    assert redact("") == ""
    assert redact("ok") == "ok"
    assert scan("") == []


# -- JSON-like data ------------------------------------------------------------------------------
def test_redact_obj_sensitive_keys_wholesale() -> None:
    data = {
        "password": "plain words are still a password",
        "GITHUB_TOKEN": "anything",
        "apiKey": "x1",
        "Authorization": "Bearer something",
        "client_secret": ["a", {"nested": "b"}],
        "credentials": {"user": "u", "pass": "p"},
        "Set-Cookie": "sid=1",
        "input_tokens": 12,
        "max_tokens": 4096,
        "token": None,
        "secret": "",
        "sessionId": "4d5611e5-241a-462a-8d15-5122611a9569",
        "author": "John",
        "tokenizer": "cl100k",
        "note": "DB_PASSWORD=hunter2",
        "items": ["aws_secret_access_key = " + A62 + "+", 3, True, None],
        ("tuple",): None,
    }
    assert redact_obj(data) == {
        "password": "[REDACTED:password]",
        "GITHUB_TOKEN": "[REDACTED:token]",
        "apiKey": "[REDACTED:api_key]",
        "Authorization": "[REDACTED:auth]",
        "client_secret": ["[REDACTED:secret]", {"nested": "[REDACTED:secret]"}],
        "credentials": {"user": "[REDACTED:credential]", "pass": "[REDACTED:credential]"},
        "Set-Cookie": "[REDACTED:cookie]",
        "input_tokens": 12,
        "max_tokens": 4096,
        "token": None,
        "secret": "",
        "sessionId": "4d5611e5-241a-462a-8d15-5122611a9569",
        "author": "John",
        "tokenizer": "cl100k",
        "note": "DB_PASSWORD=[REDACTED:password]",
        "items": ["aws_secret_access_key = [REDACTED:aws_secret_key]", 3, True, None],
        "('tuple',)": None,
    }


def test_redact_obj_keys_and_scalars() -> None:
    key = "gh" + "p_" + A62[:36]
    assert redact_obj({key: 1}) == {"[REDACTED:github_token]": 1}
    assert redact_obj(("a", 1.5)) == ["a", 1.5]
    assert redact_obj(7) == 7
    assert redact_obj("DB_PASSWORD=hunter2") == "DB_PASSWORD=[REDACTED:password]"


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("password", "password"),
        ("DB_PASSWORD", "password"),
        ("passwd", "password"),
        ("x-api-key", "api_key"),
        ("apiKey", "api_key"),
        ("accessToken", "token"),
        ("client_secret", "secret"),
        ("Authorization", "auth"),
        ("private_key", "api_key"),
        ("credentials", "credential"),
        ("cookie", "cookie"),
        ("input_tokens", None),
        ("author", None),
        ("oauth", None),
        ("session_id", None),
        ("keyboard", None),
        ("secretary", None),
    ],
)
def test_sensitive_key(key: str, kind: str | None) -> None:
    assert sensitive_key(key) == kind


# -- failing closed ----------------------------------------------------------------------------
def test_assert_clean() -> None:
    assert_clean("nothing to see")
    assert_clean(redact("DB_PASSWORD=hunter2"))
    with pytest.raises(RedactionError) as info:
        assert_clean("DB_PASSWORD=hunter2", what="archive")
    assert "archive" in str(info.value) and "password" in str(info.value)
    assert "hunter2" not in str(info.value)  # the message never repeats the secret
    assert isinstance(info.value, TmwsError)


def test_scanner_failure_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> list[tuple[int, int, str, str]]:
        raise ValueError("bug")

    monkeypatch.setattr(redaction, "_raw_findings", boom)
    with pytest.raises(RedactionError):
        redact("anything")
    with pytest.raises(RedactionError):
        redact_obj({"a": "anything"})
    with pytest.raises(RedactionError):
        assert_clean("anything")


def test_failure_messages_never_quote_the_input(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> list[tuple[int, int, str, str]]:
        raise ValueError(f"bad input {text}")

    monkeypatch.setattr(redaction, "_raw_findings", boom)
    with pytest.raises(RedactionError) as info:
        redact("DB_PASSWORD=hunter2")
    assert "hunter2" not in str(info.value) and "ValueError" in str(info.value)


def test_pathologically_deep_data_fails_closed() -> None:
    deep: object = "DB_PASSWORD=hunter2"
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(RedactionError):
        redact_obj(deep)


def test_non_converging_redaction_widens_to_the_whole_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the output still looks secret after every pass, the field goes whole: never stuck."""

    def always(text: str) -> list[tuple[int, int, str, str]]:
        return [(0, 1, "stubborn", "pattern")]

    monkeypatch.setattr(redaction, "_raw_findings", always)
    with redaction.widening_log() as log:
        assert redact("x y") == "[REDACTED:unverified]"
    assert log and "whole" in log[0]


def test_a_trace_left_after_every_pass_widens_to_its_word(monkeypatch: pytest.MonkeyPatch) -> None:
    real = redaction._raw_findings
    calls: list[str] = []

    def stubborn(text: str) -> list[tuple[int, int, str, str]]:
        calls.append(text)
        hits = real(text)
        at = max(text.find("zz"), text.find("stubborn"))  # it even sees its own marker
        return [*hits, (at, at + 2, "stubborn", "pattern")] if at != -1 else hits

    monkeypatch.setattr(redaction, "_raw_findings", stubborn)
    with redaction.widening_log() as log:
        out = redact("keep this; drop abczzdef; keep that")
    assert out == "keep this; drop [REDACTED:unverified] keep that" and len(log) == 1


def test_marker_format() -> None:
    assert marker("token") == "[REDACTED:token]"


# -- properties --------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_output_of_redact_is_always_clean(text: str) -> None:
    out = redact(text)
    assert is_clean(out)
    assert redact(out) == out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Nd", "Zs"]), max_size=300))
def test_plain_words_are_never_touched(text: str) -> None:
    """Letters, digits and spaces alone hold no assignment, prefix or PEM: nothing changes
    unless a token-shaped word happens to be generated."""
    out = redact(text)
    if out != text:
        assert all(f.detector in ("pattern", "detect-secrets") for f in scan(text))


# -- batches -----------------------------------------------------------------------------------
def test_redact_many_matches_redact() -> None:
    texts = [
        "",
        "plain",
        "DB_PASSWORD=hunter2",
        "-----BEGIN PRIVATE KEY-----\nMIIEabc (cut off, no END line)",
        "next string stays intact",
        "aws_secret_access_key =",
        A62 + "+",  # a bare 40-char value without its key: not a secret on its own
        "has the separator \n\x00\n inside DB_PASSWORD=hunter2",
        "postgres://app:s3cr3t!pw@db:5432/app",
        'ibm_cos_hmac_secret_access_key = "' + HEX64[:48] + '"',
        HEX64[:48],  # the same value alone is just hex: a batch must not redact it here
    ]
    out = redaction.redact_many(texts)
    assert out == [redact(t) for t in texts]
    assert out[-1] == HEX64[:48]
    assert redaction.redact_many([]) == []


def test_redact_many_large_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redaction, "_BATCH_CHARS", 50)
    texts = [f"line {i} DB_PASSWORD=pw{i}x" if i % 3 == 0 else f"line {i}" for i in range(40)]
    assert redaction.redact_many(texts) == [redact(t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=12))
def test_redact_many_outputs_are_clean(texts: list[str]) -> None:
    out = redaction.redact_many(texts)
    assert len(out) == len(texts)
    assert all(is_clean(o) for o in out)
    assert all(o == t for o, t in zip(out, texts, strict=True) if is_clean(t))


def test_a_text_found_clean_is_not_scanned_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clock-out and import scan the same archive text twice (compose, then the Steward)."""
    calls: list[str] = []
    real = redaction._raw_findings

    def counting(text: str) -> list[tuple[int, int, str, str]]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(redaction, "_raw_findings", counting)
    text = "a long enough plain text about the build, scanned once " * 3
    redaction.assert_clean(text)
    assert redact(text) == text and redaction.redact_many([text]) == [text]
    redaction.assert_clean(text)
    assert calls == [text]
    secret = "token: ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    out = redact(secret)
    assert out != secret and redact(out) == out  # the output is remembered, never the input
    assert redact(secret) == out


def test_a_patched_scanner_starts_from_an_empty_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "remembered as clean by the real scanner, then flagged by a stricter one"
    redaction.assert_clean(text)

    def flags_everything(t: str) -> list[tuple[int, int, str, str]]:
        return [(0, len(t), "password", "pattern")] if "[REDACTED" not in t else []

    monkeypatch.setattr(redaction, "_raw_findings", flags_everything)
    with pytest.raises(RedactionError):
        redaction.assert_clean(text)
