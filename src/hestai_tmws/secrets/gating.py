"""Which rules may be skipped on a text that contains none of their trigger literals.

Skipping a rule is sound only if every text it could match contains (lower-cased) one of
its triggers. That is shown here from the rule itself, never assumed:

- an anchored rule is only tried where one of its anchors occurs, so it is sound when every
  anchor contains a trigger;
- any other rule is sound when its regex forces one: its parse tree (`re._parser`) is
  walked, alternations are distributed over what surrounds them, and each run of
  fixed-text items (literals, small character classes, bounded repeats of them) is spelled
  out; if every spelling of one run contains a trigger, so does every match.

A rule for which neither can be shown keeps running on every long text, as before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hestai_tmws.secrets.rule_checks import Rule

if TYPE_CHECKING:
    import sre_constants as _c
    import sre_parse as _parser
else:
    from re import _constants as _c
    from re import _parser

# ASCII letters that a case-insensitive pattern also matches with a non-ASCII character
# (`ſ`, `K`, `ı`, `İ`), which the scanner's lower-casing may leave as it is.
# tests/secrets/test_gating.py derives this set from every code point.
CASE_ESCAPES = frozenset("iks")
_MAX_SPELLINGS = 4096  # spellings of one run before it is cut short
_MAX_CLASS = 64  # characters in a class before it counts as "anything"
_MAX_BRANCHES = 512  # distributed alternatives before the proof gives up
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)

Node = tuple[Any, Any]


class _GiveUp(Exception):
    """The proof grew too large: treat the rule as not shown sound."""


def trigger_sound(rule: Rule) -> bool:
    """True when no text without one of `rule.triggers` can give the rule a match."""
    triggers = tuple(rule.triggers)
    if not triggers or "" in triggers:  # an empty literal is never "found"
        return False
    if rule.anchors:
        return all(any(t in anchor for t in triggers) for anchor in rule.anchors)
    parsed = _parser.parse(rule.pattern.pattern, rule.pattern.flags)
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    budget = [_MAX_BRANCHES]
    try:
        return _sound(list(parsed.data), ignorecase, triggers, budget)
    except _GiveUp:
        return False


def _sound(items: list[Node], icase: bool, triggers: tuple[str, ...], budget: list[int]) -> bool:
    """Every match of the sequence `items` contains one of `triggers` (lower-cased)."""
    for i, (op, av) in enumerate(items):
        if op is _c.SUBPATTERN:
            _group, add, remove, sub = av
            flags_change = (add | remove) & re.IGNORECASE
            if not flags_change:  # a plain group: its items stand in line with the rest
                return _sound([*items[:i], *sub.data, *items[i + 1 :]], icase, triggers, budget)
        if op is _c.BRANCH:
            budget[0] -= len(av[1])
            if budget[0] < 0:
                raise _GiveUp
            return all(
                _sound([*items[:i], *alt.data, *items[i + 1 :]], icase, triggers, budget)
                for alt in av[1]
            )
    run: set[str] | None = None
    for node in [*items, (None, None)]:
        spelled = _spellings(node, icase)
        if spelled is not None and run is not None:
            joined = {a + b for a in run for b in spelled}
            if len(joined) <= _MAX_SPELLINGS:
                run = joined
                continue
            # too many spellings: judge the run so far and start a new one here
        if run is not None and all(any(t in s for t in triggers) for s in run):
            return True
        run = spelled
    return any(_inner_sound(node, icase, triggers, budget) for node in items)


def _inner_sound(node: Node, icase: bool, triggers: tuple[str, ...], budget: list[int]) -> bool:
    """A mandatory part (a repeat of at least one, a group with its own flags) is sound."""
    op, av = node
    if op in _REPEATS and av[0] >= 1:
        return _sound(list(av[2].data), icase, triggers, budget)
    if op is _c.SUBPATTERN:
        _group, add, remove, sub = av
        inner = bool(add & re.IGNORECASE) or (icase and not remove & re.IGNORECASE)
        return _sound(list(sub.data), inner, triggers, budget)
    if op is _c.ATOMIC_GROUP:
        return _sound(list(av.data), icase, triggers, budget)
    return False


def _spellings(node: Node, icase: bool) -> set[str] | None:
    """Every lower-cased text `node` can match, when that is a small fixed set."""
    op, av = node
    if op is _c.LITERAL:
        return _chars([av], icase)
    if op is _c.IN:
        codes: list[int] = []
        for kind, value in av:
            if kind is _c.LITERAL:
                codes.append(value)
            elif kind is _c.RANGE and value[1] - value[0] < _MAX_CLASS:
                codes.extend(range(value[0], value[1] + 1))
            else:
                return None  # a negated class, a category, a wide range
        return _chars(codes, icase)
    if op in _REPEATS and av[1] is not _c.MAXREPEAT and av[1] <= 4:
        inner: set[str] = {""}
        for sub in av[2].data:
            spelled = _spellings(sub, icase)
            if spelled is None:
                return None
            inner = {a + b for a in inner for b in spelled}
        out: set[str] = set()
        power = {""}
        for count in range(av[1] + 1):
            if count >= av[0]:
                out.update(power)
            power = {a + b for a in power for b in inner}
            if len(out) + len(power) > _MAX_SPELLINGS:
                return None
        return out
    return None


def _chars(codes: list[int], icase: bool) -> set[str] | None:
    """The lower-cased characters; None when one may be matched by a character the scanner
    does not lower to it (any non-ASCII one, and case escapes under IGNORECASE)."""
    out: set[str] = set()
    for code in codes:
        char = chr(code)
        if not char.isascii() or (icase and char.lower() in CASE_ESCAPES):
            return None
        out.add(char.lower())
    return out
