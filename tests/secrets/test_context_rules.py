"""Context rules: CLI arguments and prose carry secrets without a vendor prefix."""

from __future__ import annotations

import pytest

from hestai_tmws.secrets.context_rules import machine_made, password_like, short_token
from hestai_tmws.secrets.redaction import redact

V = "Zq8kP3vLm9Tx2Rb7Nc4WdYs"  # 23 mixed characters, no repeats


@pytest.mark.parametrize(
    "text",
    [
        f"docker login -u ci -p {V} registry.example.com",
        f"sshpass -p '{V}' ssh deploy@host",
        f"mongosh -u admin -p {V} mydb",  # short texts once skipped the rule: no trigger
        f"htpasswd -b -c /etc/nginx/.htpasswd admin {V}",
        f"aws configure set aws_secret_access_key {V}",
        f"gh auth login --with {V}",
        f"my api key is {V} please",
        f"LEARNING: the secret is {V}",
        f'{{\\"key\\": \\"{V}\\"}}',
    ],
)
def test_context_placements_are_redacted(text: str) -> None:
    assert V not in redact(text) and V[:12] not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "uv run --with requests pytest",
        "git show token:cmd/a.go",
        "the key idea is simple",
        "token = request.headers.get('Authorization')",
        "export PGPASSWORD=$DB_PASSWORD",
        "set the password in the vault",
    ],
)
def test_ordinary_commands_and_prose_stay(text: str) -> None:
    assert redact(text) == text


def test_value_checks() -> None:
    assert machine_made(V) and not machine_made("cmd/main2.go") and not machine_made("$TOKEN")
    assert short_token("ab12cd34") and not short_token("requests")
    assert password_like("hunter2!") and not password_like("-v")
