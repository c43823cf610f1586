"""detect-secrets in process: plugins behind their literal gates."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_the_gates_cover_every_plugin_of_the_installed_version() -> None:
    """What lets detect-secrets stay unloaded: each plugin has a gate (or never runs)."""
    from detect_secrets.core.plugins import util

    from hestai_tmws.secrets import detect_secrets_gate as gate

    assert gate.gates_cover_plugins(), "a new detect-secrets: check its plugins, then the gates"
    names = {cls.__name__ for cls in util.get_mapping_from_secret_type_to_class().values()}
    assert names <= set(gate._DS_GATES) | gate._DS_SKIPPED


def test_the_keyword_proof_spells_every_denylisted_keyword() -> None:
    """Every keyword the plugin's regexes need contains one of the proof's literals."""
    from detect_secrets.plugins.keyword import DENYLIST

    from hestai_tmws.secrets.detect_secrets_gate import _DS_GATES

    proof = _DS_GATES["KeywordDetector"].proof
    for entry in DENYLIST:
        for spelling in {entry.replace("_?", "_"), entry.replace("_?", "")}:
            assert "?" not in spelling and "[" not in spelling, entry
            assert any(literal in spelling for literal in proof), spelling


def test_case_twins_are_every_character_ignorecase_matches_with_an_ascii_letter() -> None:
    import re
    import string

    from hestai_tmws.secrets.detect_secrets_gate import CASE_TWINS

    letters = re.compile(f"[{string.ascii_letters}]", re.IGNORECASE)
    twins = {
        chr(cp)
        for cp in range(128, 0x110000)
        if not 0xD800 <= cp < 0xE000 and letters.fullmatch(chr(cp))
    }
    assert twins == set(CASE_TWINS)


_CHILD = """
import sys
from hestai_tmws.secrets.redaction import redact
text = sys.stdin.read()
clean = redact(text)
print(int("detect_secrets" in sys.modules), int(clean != text))
"""


def _redact_in_child(text: str) -> tuple[int, int]:
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], input=text, capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    loaded, changed = out.stdout.split()
    return int(loaded), int(changed)


def test_a_pattern_record_without_triggers_leaves_detect_secrets_unloaded() -> None:
    from hestai_tmws.learning.record_text import render_record
    from tests.learning.test_records import mined_record

    text = render_record(mined_record())
    assert "PASSED::" in text or "passed" in text.lower()  # the window literal `pass` is there
    assert _redact_in_child(text) == (0, 0)


def test_a_text_with_a_trigger_loads_detect_secrets_and_finds_the_secret() -> None:
    from hestai_tmws.learning.record_text import render_record
    from tests.learning.test_records import mined_record

    token = "xoxb-" + "123456789012-123456789012-" + "abcdefghijklmnopqrstuvwx"
    text = render_record(mined_record()).replace("===END===", f"NOTE::{token}\n===END===")
    assert _redact_in_child(text) == (1, 1)
    keyword = 'db_key = "' + "Zq8rT2vLw9Xc" + '"  # PASSED'
    assert _redact_in_child(keyword)[0] == 1  # a keyword the plugin could match: loaded
    twin = "PASSED " + "pa\u017f\u017fword"  # `ſ` matches `s` under IGNORECASE
    assert _redact_in_child(twin)[0] == 1


def test_the_telegram_gate_rests_on_the_plugin_s_pattern() -> None:
    """`after_digit` holds for the installed plugin: a digit right before the colon."""
    from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector

    from hestai_tmws.secrets.detect_secrets_gate import _DS_GATES

    patterns = [(rx.pattern, rx.flags & re.ASCII) for rx in TelegramBotTokenDetector.denylist]
    assert patterns == [(r"\d{8,10}:[0-9A-Za-z_-]{35}", 0)]
    assert _DS_GATES["TelegramBotTokenDetector"].after_digit


_PIECES = [
    "1234567890",
    "12345678",
    "::",
    ":",
    "f" * 40,
    "A1b2_C3-d4" * 4,
    " ",
    "\n",
    "x",
    "\u0663",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_the_gate_skips_only_texts_the_plugins_find_nothing_in(pieces: list[str]) -> None:
    """With every gate bypassed (each plugin sees its windows) the findings are the same."""
    from hestai_tmws.secrets import detect_secrets_gate as gate

    text = "".join(pieces)
    lower = text.lower()
    gated = ds_findings(text, lower, None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "_some_gate_fires", lambda *_: True)
        assert ds_findings(text, lower, None) == gated


def test_a_hash_after_a_key_does_not_fire_a_token_after_digits_does() -> None:
    from hestai_tmws.secrets.detect_secrets_gate import _some_gate_fires
    from hestai_tmws.secrets.literals import find_literals

    def fires(text: str) -> bool:
        return _some_gate_fires(text, text.lower(), None, find_literals(text.lower(), ()))

    assert not fires("  TRANSCRIPT_SHA256::" + "f" * 64 + "\n")
    token = "123456789:" + "AAH" + "x" * 32
    assert fires(f"bot {token}\n") and ds_findings(token, token.lower(), None)
