from __future__ import annotations

import os
import re
from datetime import date

import pytest

from hestai_tmws.learning.core.generator import generate_corpus
from hestai_tmws.learning.core.mining import mine, pattern_id
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig, Variant
from hestai_tmws.learning.core.sop import describe_token, draft_sop, render_sop_markdown
from tests.paths import TESTS

GOLDEN = TESTS / "learning" / "golden"


def check_golden(name: str, text: str) -> None:
    """Compare with tests/learning/golden/<name>; UPDATE_GOLDEN=1 rewrites the file."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text


def full_pattern() -> MinedPattern:
    tokens = (
        "mcp__tmws__clock_in",
        "Read",
        "Edit",
        "Bash:pytest",
        "Bash:git add",
        "Bash:git commit",
    )
    ns = "hestai-demo"
    return MinedPattern(
        id=pattern_id(ns, tokens),
        namespace=ns,
        tokens=tokens,
        support=14,
        session_ids=tuple(f"2025-04-{d:02d}-sess" for d in range(1, 15)),
        days=tuple(date(2025, 4, d) for d in range(1, 12)),
        first_seen=date(2025, 4, 1),
        last_seen=date(2025, 4, 11),
        occurrences=16,
        successes=13,
        outcomes_known=15,
        success_rate=13 / 15,
        wilson_lower=0.6212,
        mean_duration_ms=48250.0,
        stability=0.625,
        confidence=0.6212,
        lift=312.4,
        expected_support=0.0448,
        variants=(
            Variant(
                id=pattern_id(ns, (*tokens[:3], "Bash:npm test", *tokens[4:])),
                tokens=(*tokens[:3], "Bash:npm test", *tokens[4:]),
                support=5,
            ),
            Variant(
                id=pattern_id(ns, (*tokens[:2], *tokens[3:])),
                tokens=(*tokens[:2], *tokens[3:]),
                support=3,
            ),
            Variant(id="v3", tokens=(*tokens, "Bash:git push"), support=3),
        ),
        failed_steps=(0, 0, 1, 3, 0, 1),
        evidence_namespaces=(ns,),
    )


def minimal_pattern() -> MinedPattern:
    tokens = ("Grep", "Read", "Task:code-reviewer")
    return MinedPattern(
        id=pattern_id("p", tokens),
        namespace="p",
        tokens=tokens,
        support=3,
        session_ids=("a", "b", "c"),
        days=(date(2025, 1, 6), date(2025, 1, 7)),
        first_seen=date(2025, 1, 6),
        last_seen=date(2025, 1, 7),
        occurrences=3,
        successes=0,
        outcomes_known=0,
        success_rate=0.0,
        wilson_lower=0.0,
        mean_duration_ms=None,
        stability=0.125,
        confidence=0.0,
        lift=2.5,
        expected_support=1.2,
        failed_steps=(0, 0, 0),
        evidence_namespaces=("p",),
    )


def test_full_draft_golden() -> None:
    check_golden("sop_full.md", render_sop_markdown(draft_sop(full_pattern())))


def test_minimal_draft_golden() -> None:
    check_golden("sop_minimal.md", render_sop_markdown(draft_sop(minimal_pattern())))


def test_mined_draft_golden() -> None:
    corpus = generate_corpus(11, sessions=250, workflows=3)
    top = mine(corpus.sessions, MiningConfig())[0]
    check_golden("sop_mined.md", render_sop_markdown(draft_sop(top)))


def test_draft_fields() -> None:
    draft = draft_sop(full_pattern())
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", draft.name) and len(draft.name) <= 64
    assert draft.name.startswith("workflow-clock-in-read-edit-")
    assert draft_sop(full_pattern(), name="my-skill").name == "my-skill"
    assert [s.index for s in draft.steps] == [1, 2, 3, 4, 5, 6]
    assert draft.steps[3].tool == "Bash" and draft.steps[3].action == "pytest"
    assert draft.steps[1].action is None
    assert [f.step for f in draft.common_failures] == [4, 3, 6]
    assert draft.common_failures[0].share == pytest.approx(3 / 16)
    assert draft.variants[0].changes == ("step 4 is `Bash:npm test` instead of `Bash:pytest`",)
    assert draft.variants[1].changes == ("skips step 3 (`Edit`)",)
    assert draft.variants[2].changes == ("adds `Bash:git push` at the end",)
    assert len(draft.description) <= 1024
    assert draft.evidence.sessions == tuple(sorted(full_pattern().session_ids)[:5])


def test_drafts_are_deterministic() -> None:
    a = render_sop_markdown(draft_sop(full_pattern()))
    b = render_sop_markdown(draft_sop(full_pattern()))
    assert a == b
    assert draft_sop(full_pattern()) == draft_sop(full_pattern())


def test_steps_never_show_argument_values() -> None:
    text = render_sop_markdown(draft_sop(full_pattern()))
    # Only the tokens and the evidence ids appear in code spans.
    spans = set(re.findall(r"`([^`]*)`", text))
    allowed = set(full_pattern().tokens) | {"Bash:npm test", "Bash:git push", "hestai-demo"}
    allowed |= set(full_pattern().session_ids) | {full_pattern().id}
    assert spans <= allowed


def test_untrusted_text_cannot_break_the_markdown() -> None:
    evil = full_pattern().model_copy(
        update={"tokens": ("Read", "mcp__x__a`b", "Edit\x1b[2J"), "failed_steps": (0, 1, 0)}
    )
    text = render_sop_markdown(draft_sop(evil))
    assert "\x1b" not in text
    assert "`mcp__x__a'b`" in text


@pytest.mark.parametrize(
    ("token", "text"),
    [
        ("Read", "Read the relevant file"),
        ("Bash:git commit", "Run git commit"),
        ("Bash", "Run a shell command"),
        ("Task:code-reviewer", "Delegate to the code-reviewer sub-agent"),
        ("Skill:pdf", "Use the pdf skill"),
        ("mcp__tmws__clock_in", "Call clock_in on the tmws MCP server"),
        ("SomethingNew", "Use SomethingNew"),
    ],
)
def test_describe_token(token: str, text: str) -> None:
    assert describe_token(token) == text
