"""The six validation checks a mined pattern must pass before anyone may approve it.

Each check returns a `CheckResult` with its code (V1..V6) and a one-line reason that says
what was measured against what, so a rejection can be explained without re-running.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from hestai_tmws.learning.core.model import MinedPattern, MiningConfig
from hestai_tmws.learning.core.steps import acts, loop_units, plain_tokens
from hestai_tmws.learning.core.tokens import SHELL_TOOLS, shell_action

DEFAULT_DENY_LIST: tuple[str, ...] = (
    "rm -rf",
    "rm -r",
    "git push --force",
    "git push -f",
    "git reset --hard",
    "git clean -f",
    "drop table",
    "drop database",
    "truncate table",
    "delete_file",
    "mkfs",
    "dd if=",
)

# A tool name: letters, digits, `_`, `-`, `.`; MCP tools as mcp__server__tool.
TOOL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,127}$")
# An action: one to four words of the characters the tokenizer keeps.
ACTION = re.compile(r"^[A-Za-z0-9_.:+@-]{1,64}( [A-Za-z0-9_.:+@-]{1,64}){0,3}$")

_INJECTION_PHRASES = (
    "ignore previous instructions",
    "ignore all previous",
    "ignore the above",
    "disregard previous",
    "disregard all previous",
    "forget previous instructions",
    "new instructions:",
    "system prompt",
    "you are now",
    "<|im_start|>",
    "</s>",
)
_SHELL_CHAINING = re.compile(r"(&&|\|\||;|\||`|\$\(|>|<)")
_WORD_SPLIT = re.compile(r"[\s_:.]+")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str  # "V1".."V6"
    passed: bool
    reason: str


class ValidationReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern_id: str
    checks: list[CheckResult]
    passed: bool

    @property
    def failed_codes(self) -> list[str]:
        return [c.code for c in self.checks if not c.passed]


def validate(
    pattern: MinedPattern,
    *,
    known_tools: set[str] | frozenset[str],
    deny_list: Sequence[str] = DEFAULT_DENY_LIST,
    config: MiningConfig | None = None,
) -> ValidationReport:
    """Run V1..V6 on `pattern`; it passes only if every check passes."""
    cfg = config or MiningConfig()
    checks = [
        check_support(pattern, cfg),
        check_success(pattern, cfg),
        check_shape(pattern, cfg),
        check_known_tools(pattern, known_tools),
        check_safety(pattern, deny_list),
        check_namespace(pattern),
    ]
    return ValidationReport(
        pattern_id=pattern.id, checks=checks, passed=all(c.passed for c in checks)
    )


def check_support(pattern: MinedPattern, config: MiningConfig) -> CheckResult:
    """V1: seen in enough distinct sessions, on enough distinct days."""
    days = len(set(pattern.days))
    ok = pattern.support >= config.min_support and days >= config.min_days
    reason = (
        f"support {pattern.support} (needs >= {config.min_support}), "
        f"{days} distinct days (needs >= {config.min_days})"
    )
    return CheckResult(code="V1", passed=ok, reason=reason)


def check_success(pattern: MinedPattern, config: MiningConfig) -> CheckResult:
    """V2: the sequence usually works, and the sample is large enough to say so."""
    ok = (
        pattern.outcomes_known > 0
        and pattern.success_rate >= config.min_success_rate
        and pattern.wilson_lower >= config.min_wilson_lower
    )
    reason = (
        f"success {pattern.successes}/{pattern.outcomes_known} = {pattern.success_rate:.2f} "
        f"(needs >= {config.min_success_rate:.2f}), Wilson lower bound "
        f"{pattern.wilson_lower:.2f} (needs >= {config.min_wilson_lower:.2f})"
    )
    return CheckResult(code="V2", passed=ok, reason=reason)


def check_shape(pattern: MinedPattern, config: MiningConfig) -> CheckResult:
    """V3: a real procedure: length within bounds, at least two distinct tool actions, and
    at least one step that does something (never only exploration, edits or bookkeeping)."""
    length = len(pattern.tokens)
    distinct = len(set(plain_tokens(pattern.tokens)))
    acting = sum(1 for t in pattern.tokens if acts(t))
    ok = config.min_len <= length <= config.max_len and distinct >= 2 and acting >= 1
    reason = (
        f"length {length} (needs {config.min_len}..{config.max_len}), "
        f"{distinct} distinct tools (needs >= 2), "
        f"{acting} acting steps (needs >= 1; reading, editing and task notes do not count)"
    )
    return CheckResult(code="V3", passed=ok, reason=reason)


def check_known_tools(pattern: MinedPattern, known_tools: Iterable[str]) -> CheckResult:
    """V4: every token names a tool seen in transcripts or in our MCP catalogue."""
    known = set(known_tools)
    bad = [t for t in _all_tokens(pattern) if not token_is_known(t, known)]
    if bad:
        listed = ", ".join(_quote(t) for t in sorted(set(bad))[:5])
        return CheckResult(code="V4", passed=False, reason=f"unknown or malformed tools: {listed}")
    return CheckResult(code="V4", passed=True, reason="every tool is known")


def token_is_known(token: str, known: set[str]) -> bool:
    """A well-formed token whose tool (or the whole token) is in `known`; a loop token when
    each of its steps is."""
    units = loop_units(token)
    if units is not None:
        return len(units) >= 2 and all(token_is_known(u, known) for u in units)
    tool, _, action = token.partition(":")
    if not TOOL_NAME.match(tool) or (action and not ACTION.match(action)):
        return False
    return tool in known or token in known


def check_safety(pattern: MinedPattern, deny_list: Sequence[str]) -> CheckResult:
    """V5: no destructive step, and nothing that would be rendered carries an injection."""
    for token in _all_tokens(pattern):
        entry = deny_match(token, deny_list)
        if entry is not None:
            return CheckResult(
                code="V5", passed=False, reason=f"destructive step {_quote(token)} ({entry!r})"
            )
    for text in rendered_strings(pattern):
        marker = injection_marker(text)
        if marker is not None:
            return CheckResult(
                code="V5", passed=False, reason=f"injection marker {marker} in {_quote(text)}"
            )
    return CheckResult(code="V5", passed=True, reason="no destructive step, no injection marker")


def check_namespace(pattern: MinedPattern) -> CheckResult:
    """V6: every piece of evidence comes from the pattern's own namespace."""
    others = sorted(set(pattern.evidence_namespaces) - {pattern.namespace})
    if others or not pattern.evidence_namespaces:
        found = ", ".join(_quote(o) for o in others) or "none"
        return CheckResult(
            code="V6",
            passed=False,
            reason=f"evidence from namespaces other than {pattern.namespace!r}: {found}",
        )
    return CheckResult(code="V6", passed=True, reason=f"all evidence from {pattern.namespace!r}")


def deny_match(token: str, deny_list: Sequence[str]) -> str | None:
    """The deny-list entry that `token` matches, if any.

    An entry matches when its words appear, in order and adjacent, among the token's words
    (split at spaces, `_`, `:`, `.`, case-insensitive): `delete_file` matches
    `mcp__fs__delete_file`, `drop table` matches `Bash:psql drop table`. For shell tokens
    an entry is also read as a command line (`git push -f` -> `git push --force`) and
    matches when it is a word-prefix of the token's action.
    """
    tool, _, action = token.partition(":")
    words = _words(token)
    action_words = action.lower().split() if tool in SHELL_TOOLS else []
    for entry in deny_list:
        entry_words = _words(entry)
        if entry_words and _contains(words, entry_words):
            return entry
        if action_words:
            parsed = shell_action(entry)
            if parsed:
                parsed_words = parsed.lower().split()
                if action_words[: len(parsed_words)] == parsed_words:
                    return entry
    return None


def injection_marker(text: str) -> str | None:
    """Describe the first injection marker in `text`, or None when it is clean."""
    for ch in text:
        if ch in _BIDI or (unicodedata.category(ch) in ("Cc", "Cf") and ch != " "):
            return f"control character U+{ord(ch):04X}"
    lowered = " ".join(text.lower().split())
    for phrase in _INJECTION_PHRASES:
        if phrase in lowered:
            return f"phrase {phrase!r}"
    found = _SHELL_CHAINING.search(text)
    if found:
        return f"shell metacharacter {found.group(1)!r}"
    return None


def rendered_strings(pattern: MinedPattern) -> list[str]:
    """Everything from a pattern that an SOP draft or a skill would show."""
    return [pattern.namespace, *_all_tokens(pattern)]


def _all_tokens(pattern: MinedPattern) -> list[str]:
    """Every plain token of the pattern and its variants (loops opened up)."""
    tokens = list(pattern.tokens)
    for variant in pattern.variants:
        tokens.extend(variant.tokens)
    return plain_tokens(tokens)


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(text.lower()) if w]


def _contains(words: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(words[i : i + size] == needle for i in range(len(words) - size + 1))


def _quote(text: str) -> str:
    """A short, printable rendering of untrusted text for a reason line."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return repr(clean[:80])
