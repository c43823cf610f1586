"""What a step means to a developer: its kind, loops of steps, and a procedure's outcome.

Raw tool calls repeat: five `Edit`s in a row are one edit, and `go test → Edit → go test`
is one fix loop, not three steps. `collapse` folds a session's calls into the steps a
person would name (runs merged, two-step alternations made one loop token such as
``(Edit → Bash:go test)+``), keeping the outcome of the last call. `acts` tells the steps
that do something from those that only look, edit or keep notes, so that a procedure is
never just exploration. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from operator import eq
from typing import Literal

from hestai_tmws.learning.core.shell_words import INSPECTION

StepKind = Literal["explore", "bookkeep", "edit", "delegate", "act"]

LOOP_OPEN = "("
LOOP_CLOSE = ")+"
LOOP_SEP = " → "
MIN_LOOP_CALLS = 3  # `A B A`: run, fix, rerun

EXPLORE_TOOLS = frozenset(
    {"Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch", "ToolSearch"}
)
BOOKKEEP_TOOLS = frozenset(
    {
        "TaskCreate",
        "TaskUpdate",
        "TaskList",
        "TaskGet",
        "TaskOutput",
        "TaskStop",
        "TodoWrite",
        "TodoRead",
        "ExitPlanMode",
        "EnterPlanMode",
        "AskUserQuestion",
        "KillShell",
        "BashOutput",
    }
)
EDIT_TOOLS = frozenset({"Edit", "Write", "MultiEdit", "NotebookEdit"})
DELEGATE_TOOLS = frozenset({"Task", "Agent"})
BARE_SHELLS = frozenset({"Bash", "bash", "Shell", "PowerShell"})

# (token text, ok, duration in ms or None)
Call = tuple[str, bool | None, int | None]


def loop_token(units: Sequence[str]) -> str:
    return LOOP_OPEN + LOOP_SEP.join(units) + LOOP_CLOSE


def loop_units(token: str) -> tuple[str, ...] | None:
    """The steps of a loop token, or None for a plain token."""
    if token.startswith(LOOP_OPEN) and token.endswith(LOOP_CLOSE):
        return tuple(token[len(LOOP_OPEN) : -len(LOOP_CLOSE)].split(LOOP_SEP))
    return None


def plain_tokens(tokens: Iterable[str]) -> list[str]:
    """Every plain token, loops opened up (what checks and matching look at)."""
    out: list[str] = []
    for token in tokens:
        out.extend(loop_units(token) or (token,))
    return out


def step_kind(token: str) -> StepKind:
    units = loop_units(token)
    if units is not None:
        return "act" if any(acts(u) for u in units) else step_kind(units[0])
    tool, _, action = token.partition(":")
    if tool in EXPLORE_TOOLS:
        return "explore"
    if tool in BOOKKEEP_TOOLS:
        return "bookkeep"
    if tool in EDIT_TOOLS:
        return "edit"
    if tool in DELEGATE_TOOLS:
        return "delegate"
    if tool in BARE_SHELLS:
        if not action:
            return "explore"  # a command we could not name says nothing about a goal
        return "explore" if action.split(" ", 1)[0] in INSPECTION else "act"
    return "act"  # named shell commands, skills, MCP tools


def acts(token: str) -> bool:
    """The step does something (runs, builds, commits, calls a service), not only looks."""
    return step_kind(token) == "act"


def occurrence_outcome(oks: Iterable[bool | None]) -> bool | None:
    """A procedure reached its goal when its last step with a known outcome succeeded.

    A fix loop fails on its first run by nature; what counts is how it ended.
    """
    last: bool | None = None
    for ok in oks:
        if ok is not None:
            last = ok
    return last


def collapse(calls: Sequence[Call]) -> list[Call]:
    """Runs merged (`Edit Edit Edit` → `Edit`), then two-step alternations of at least
    three calls made one loop (`go test, Edit, go test` → `(Edit → Bash:go test)+`)."""
    return _loops(_runs(calls))


def _runs(calls: Sequence[Call]) -> list[Call]:
    out: list[Call] = []
    append = out.append
    last: str | None = None  # the token of out[-1]
    for call in calls:
        token = call[0]
        if token == last:
            prev = out[-1]
            ok = call[1]
            out[-1] = (token, ok if ok is not None else prev[1], _add(prev[2], call[2]))
        else:
            append(call)
            last = token
    return out


def _loops(calls: list[Call]) -> list[Call]:
    """Alternations `a b a …` of at least `MIN_LOOP_CALLS` calls made one loop step.

    One starts only where a token comes back two calls later, found in C (`map(eq, …)`)
    over the whole session; the calls between loops are copied in slices.
    """
    n = len(calls)
    tokens = [call[0] for call in calls]
    out: list[Call] = []
    i = 0  # calls before i are in `out`
    for start in compress(range(n - 2), map(eq, tokens, tokens[2:])):
        a, b = tokens[start], tokens[start + 1]
        if start < i or a == b:
            continue
        end = start + 3
        while end < n and tokens[end] == (a if (end - start) % 2 == 0 else b):
            end += 1
        if end - start < MIN_LOOP_CALLS:
            continue
        out.extend(calls[i:start])
        out.append(_loop_of(calls[start:end]))
        i = end
    out.extend(calls[i:])
    return out


def _loop_of(run: Sequence[Call]) -> Call:
    """One loop token for an alternation; the step that acts comes last (`Edit → test`)."""
    a, b = run[0][0], run[1][0]
    if acts(a) != acts(b):
        first, second = (b, a) if acts(a) else (a, b)
    else:
        first, second = run[-2][0], run[-1][0]
    goal = [ok for token, ok, _ in run if token == second]
    outcome = occurrence_outcome(goal)
    if outcome is None:
        outcome = occurrence_outcome(ok for _, ok, _ in run)
    dur: int | None = 0
    for _, _, d in run:
        dur = _add(dur, d)
    return (loop_token((first, second)), outcome, dur)


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b
