"""`hub_import`: a HestAI-MCP hub becomes a tmws hub that validates; nothing silently lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.governance.hub import validate_hub
from hestai_tmws.governance.hub_import import import_hub
from hestai_tmws.governance.rules import load_agents
from hestai_tmws.octave import parse
from tests.octave import real_corpus

AGENT = """===CODE_WARDEN===
META:
  TYPE::AGENT_DEFINITION
  VERSION::"2.0.0"
  PURPOSE::"Guard code quality"
  CONTRACT::HOLOGRAPHIC<JIT_GRAMMAR_COMPILATION>
§1::IDENTITY
  ROLE::CODE_WARDEN
  ARCHETYPE::[
    ATHENA<judgement>,
    HERMES<coordination>
  ]
  MISSION::QUALITY⊕CLARITY
  AUTHORITY_MANDATE::"Block changes without tests"
§2::OPERATIONAL_BEHAVIOR
  CONDUCT:
    PROTOCOL:
      MUST_ALWAYS::[
        "Read the diff twice"
      ]
      MUST_NEVER::[
        "Approve untested code"
      ]
      GATES::NEVER<UNTESTED,UNREVIEWED>
    OUTPUT:
      REQUIREMENTS::[
        Review_notes
      ]
    INTEGRATION:
      ESCALATION_TARGET::critical-engineer
§3::INTERACTION_RULES
  GRAMMAR:
    MUST_USE::[
      REGEX::"^VERDICT:",
      REGEX::"^EVIDENCE"
    ]
===END===
"""
FILES = {
    "VERSION": "1.8.0\n",
    "library/agents/code-warden.oct.md": AGENT,
    "library/agents/broken.oct.md": "===BROKEN===\nA::foo(bar)\n===END===\n",
    "standards/rules/house.oct.md": "===RULES===\nR1::be_kind\n===END===\n",
    "standards/odd.oct.md": "===ODD===\nA::2025-12-01\n===END===\n",
    "templates/000-PROJECT-TEMPLATE-NORTH-STAR.md": "# North star\n",
    "tools/validator.py": "print('x')\n",
}


def _hub(root: Path, files: dict[str, str] = FILES) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_agents_are_converted_rules_kept_and_code_dropped(tmp_path: Path) -> None:
    result = import_hub(_hub(tmp_path / "src"), tmp_path / "dest")
    assert result.agents == ["code-warden"] and result.version == "1.8.0+tmws"
    info = validate_hub(tmp_path / "dest")
    assert info.agents == ["code-warden"]
    agent = load_agents(tmp_path / "dest")["code-warden"]
    assert agent.mission == "QUALITY⊕CLARITY" and agent.authority == "Block changes without tests"
    assert agent.must_always == ["Read the diff twice"]
    assert agent.must_never == ["Approve untested code"]
    assert agent.outputs == ["Review_notes"] and agent.escalates_to == "critical-engineer"
    text = (tmp_path / "dest" / "agents" / "code-warden.oct.md").read_text(encoding="utf-8")
    assert parse(text).section("ORIGINAL").body["TEXT"].text == AGENT  # type: ignore[union-attr]
    assert "standards/rules/house.oct.md" in result.kept
    assert "standards/odd.oct.md" in result.wrapped  # not readable: carried in a literal zone
    assert any("broken.oct.md" in n for n in result.notes)
    assert [d.path for d in result.dropped] == ["tools/validator.py"]


def test_refuses_what_is_not_a_hestai_hub_or_a_used_destination(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a HestAI-MCP hub"):
        import_hub(tmp_path, tmp_path / "dest")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(UsageError, match="not empty"):
        import_hub(_hub(tmp_path / "src"), tmp_path / "used")


@pytest.mark.slow
def test_the_real_hestai_mcp_hub(tmp_path: Path) -> None:
    """HestAI-MCP's bundled hub: its 34 agents converted, the result validates."""
    if real_corpus.git_dir("HestAI-MCP") is None:
        pytest.skip("no local mirror of HestAI-MCP")
    prefix = "src/hestai_mcp/_bundled_hub"
    assert real_corpus.extract("HestAI-MCP", "HEAD", prefix, tmp_path / "src") > 100
    result = import_hub(tmp_path / "src" / prefix, tmp_path / "dest")
    assert len(result.agents) == 34 and not result.notes
    assert len(validate_hub(tmp_path / "dest").agents) == 34
    assert [d.path for d in result.dropped] == ["tools/octave-validator.py"]
