"""detect-secrets in process: plugins behind their literal gates."""

from __future__ import annotations

from hestai_tmws.secrets.detect_secrets_gate import ds_findings, ds_plugins


def test_plugins_load_once_with_their_kinds() -> None:
    plugins = ds_plugins()
    assert plugins is ds_plugins()
    assert plugins and all(p.kind.startswith("ds_") for p in plugins)
    assert not any("high_entropy" in p.kind for p in plugins)


def test_a_slack_token_is_found_by_its_plugin() -> None:
    text = "token: xoxb-" + "123456789012-123456789012-" + "abcdefghijklmnopqrstuvwx"
    hits = ds_findings(text, text.lower(), None)
    assert hits and all(detector == "detect-secrets" for *_, detector in hits)


def test_plain_text_has_no_findings() -> None:
    text = "nothing to see here"
    assert ds_findings(text, text.lower(), None) == []
