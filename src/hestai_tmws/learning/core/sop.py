"""Deterministic SOP drafts from mined patterns, rendered as SKILL.md bodies.

No model writes these: every sentence comes from a template filled with the pattern's
tokens and statistics, so the same pattern always gives the same text (golden-file
tested). Steps name the tool and action, never argument values.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict
from rapidfuzz.distance import Levenshtein

from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.core.stats import lift_text
from hestai_tmws.learning.core.steps import acts, loop_units
from hestai_tmws.sessions.task_text import task_text

_TOOL_PHRASES: dict[str, str] = {
    "Read": "Read the relevant file",
    "Edit": "Edit the file",
    "MultiEdit": "Make several edits to the file",
    "Write": "Write the file",
    "NotebookEdit": "Edit the notebook",
    "Grep": "Search file contents",
    "Glob": "Find files by name",
    "LS": "List the directory",
    "WebFetch": "Fetch the web page",
    "WebSearch": "Search the web",
    "TodoWrite": "Update the todo list",
    "AskUserQuestion": "Ask the user",
    "ExitPlanMode": "Leave plan mode",
    "EnterPlanMode": "Enter plan mode",
    "Task": "Delegate to a sub-agent",
    "Agent": "Delegate to a sub-agent",
    "Skill": "Use a skill",
}
_MAX_FAILURES = 5
_MAX_SESSIONS_SHOWN = 5
_SLUG = re.compile(r"[^a-z0-9]+")


class SopStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int  # 1-based
    token: str
    tool: str
    action: str | None
    text: str


class SopVariant(BaseModel):
    model_config = ConfigDict(frozen=True)

    tokens: tuple[str, ...]
    support: int
    changes: tuple[str, ...]


class SopFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    step: int  # 1-based
    token: str
    failures: int
    occurrences: int
    share: float


class SopEvidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern_id: str
    namespace: str
    support: int
    days: int
    occurrences: int
    first_seen: date
    last_seen: date
    success_rate: float
    outcomes_known: int
    wilson_lower: float
    confidence: float
    stability: float
    lift: float
    mean_duration_ms: float | None
    sessions: tuple[str, ...]  # a few session ids, for looking the evidence up


class SopDraft(BaseModel):
    """Everything a SKILL.md needs: front matter fields and the body's sections."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    description: str
    when_to_use: str
    goal: str = ""
    success: str = ""
    tasks: tuple[str, ...] = ()  # what the evidence sessions were asked to do
    steps: tuple[SopStep, ...]
    variants: tuple[SopVariant, ...]
    common_failures: tuple[SopFailure, ...]
    evidence: SopEvidence


def draft_sop(
    pattern: MinedPattern, *, name: str | None = None, tasks: tuple[str, ...] = ()
) -> SopDraft:
    """Draft the SOP of `pattern`; `name` overrides the derived skill name; `tasks` are the
    evidence sessions' own requests (redacted, short), which say when the skill applies."""
    steps = tuple(_step(i + 1, token) for i, token in enumerate(pattern.tokens))
    shorts = [_short(t) for t in pattern.tokens]
    chain = " → ".join(shorts)
    days = len(set(pattern.days))
    goal_step = _goal_step(steps)
    goal = _goal_phrase(goal_step)
    use_when = "; ".join(f"'{task_text(t, 100)}'" for t in tasks[:3])
    description = f"Runs {chain} to {goal} ({pattern.support} sessions on {days} days). " + (
        f"Use when the task is like {use_when}."
        if use_when
        else f"Use when the work needs to {goal} in this project."
    )
    return SopDraft(
        name=name or _skill_name(pattern),
        title="Workflow: " + (chain if len(shorts) <= 5 else " → ".join([*shorts[:4], "…"])),
        description=" ".join(description.split())[:1024],
        when_to_use=_when_to_use(pattern, steps, days),
        goal=f"{goal[:1].upper()}{goal[1:]} (step {goal_step.index}), the way it was done here.",
        success=_success(pattern, goal_step),
        tasks=tuple(tasks),
        steps=steps,
        variants=tuple(_variant(pattern, v.tokens, v.support) for v in pattern.variants),
        common_failures=_failures(pattern),
        evidence=SopEvidence(
            pattern_id=pattern.id,
            namespace=pattern.namespace,
            support=pattern.support,
            days=days,
            occurrences=pattern.occurrences,
            first_seen=pattern.first_seen,
            last_seen=pattern.last_seen,
            success_rate=pattern.success_rate,
            outcomes_known=pattern.outcomes_known,
            wilson_lower=pattern.wilson_lower,
            confidence=pattern.confidence,
            stability=pattern.stability,
            lift=pattern.lift,
            mean_duration_ms=pattern.mean_duration_ms,
            sessions=tuple(sorted(pattern.session_ids)[:_MAX_SESSIONS_SHOWN]),
        ),
    )


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _goal_phrase(step: SopStep) -> str:
    """What the procedure is for, as a verb phrase: `get bun run lint to pass`."""
    units = loop_units(step.token)
    if units is not None:
        acting = next((u for u in reversed(units) if acts(u)), units[-1])
        return f"get {_short(acting)} to pass, editing between runs"
    if step.tool in ("Bash", "bash", "Shell", "PowerShell") and step.action:
        return f"get {step.action} to succeed"
    return _lower(step.text)


def _goal_step(steps: tuple[SopStep, ...]) -> SopStep:
    """The last step that does something: what the procedure is for."""
    return next((s for s in reversed(steps) if acts(s.token)), steps[-1])


def _success(pattern: MinedPattern, goal: SopStep) -> str:
    if not pattern.outcomes_known:
        return f"Step {goal.index} ({_lower(goal.text)}) completes; no run reported an outcome."
    return (
        f"The last step with an outcome succeeds; {pattern.successes} of "
        f"{pattern.outcomes_known} runs ({pattern.success_rate:.0%}) ended that way."
    )


def render_sop_markdown(draft: SopDraft) -> str:
    """The Markdown body of a SKILL.md (front matter is the caller's: `name`, `description`)."""
    lines = [f"# {_text(draft.title)}", ""]
    if draft.goal:
        lines += ["## Goal", "", _text(draft.goal), ""]
    lines += ["## When to use", "", _text(draft.when_to_use), ""]
    if draft.tasks:
        lines += ["Tasks it was used for:", ""]
        lines += [f"- {_text(t)}" for t in draft.tasks] + [""]
    lines += ["## Steps", ""]
    lines += [f"{s.index}. {_text(s.text)} — {_code(s.token)}" for s in draft.steps]
    if draft.success:
        lines += ["", "## What success looks like", "", _text(draft.success)]
    lines += ["", "## Variants", ""]
    if draft.variants:
        for v in draft.variants:
            changes = "; ".join(_text(c) for c in v.changes)
            lines.append(f"- Seen in {v.support} sessions: {changes}.")
    else:
        lines.append("None recorded.")
    lines += ["", "## Common failures", ""]
    if draft.common_failures:
        for f in draft.common_failures:
            fixed = " and was fixed by editing and running it again" if loop_units(f.token) else ""
            lines.append(
                f"- Step {f.step} ({_code(f.token)}) failed in {f.failures} of "
                f"{f.occurrences} runs ({f.share:.0%}){fixed}."
            )
    else:
        lines.append("None recorded.")
    ev = draft.evidence
    lines += ["", "## Evidence", ""]
    lines.append(f"- Pattern {_code(ev.pattern_id)} in namespace {_code(ev.namespace)}.")
    lines.append(
        f"- {ev.support} sessions on {ev.days} days, from {ev.first_seen.isoformat()} "
        f"to {ev.last_seen.isoformat()}; {ev.occurrences} runs."
    )
    if ev.outcomes_known:
        lines.append(
            f"- Success rate {ev.success_rate:.0%} of {ev.outcomes_known} runs with a known "
            f"outcome (Wilson lower bound {ev.wilson_lower:.2f}); "
            f"confidence {ev.confidence:.2f}."
        )
    else:
        lines.append("- Success rate unknown: no run reported its outcome; confidence 0.00.")
    duration = "unknown" if ev.mean_duration_ms is None else _duration(ev.mean_duration_ms)
    lines.append(f"- Stability {ev.stability:.2f}; {lift_text(ev.lift)}; mean duration {duration}.")
    if ev.sessions:
        shown = ", ".join(_code(s) for s in ev.sessions)
        more = ""
        if ev.support > len(ev.sessions):
            more = f" (first {len(ev.sessions)} of {ev.support})"
        lines.append(f"- Sessions{more}: {shown}.")
    return "\n".join(lines) + "\n"


def describe_token(token: str) -> str:
    """A short imperative sentence for one step, from its tool and action only."""
    units = loop_units(token)
    if units is not None:
        said = [_lower(describe_token(u)) for u in units]
        return f"Repeat until it passes: {', then '.join(said)}"
    tool, _, action = token.partition(":")
    if tool in ("Bash", "bash", "Shell", "PowerShell"):
        return f"Run {action}" if action else "Run a shell command"
    if tool in ("Task", "Agent") and action:
        return f"Delegate to the {action} sub-agent"
    if tool == "Skill" and action:
        return f"Use the {action} skill"
    if tool.startswith("mcp__"):
        parts = tool.split("__")
        if len(parts) >= 3:
            return f"Call {'__'.join(parts[2:])} on the {parts[1]} MCP server"
    return _TOOL_PHRASES.get(tool, f"Use {tool}")


def _step(index: int, token: str) -> SopStep:
    tool, _, action = token.partition(":")
    return SopStep(
        index=index, token=token, tool=tool, action=action or None, text=describe_token(token)
    )


def _short(token: str) -> str:
    units = loop_units(token)
    if units is not None:
        return "(" + " → ".join(_short(u) for u in units) + ")+"
    tool, _, action = token.partition(":")
    if action:
        return action
    if tool.startswith("mcp__"):
        return tool.split("__")[-1]
    return tool


def _skill_name(pattern: MinedPattern) -> str:
    """Agent Skills name: lowercase letters, digits and hyphens, at most 64 characters."""
    words: list[str] = []
    for token in pattern.tokens:
        slug = _SLUG.sub("-", _short(token).lower()).strip("-")
        if slug and slug not in words:
            words.append(slug)
        if len(words) == 3:
            break
    suffix = pattern.id.rsplit("-", 1)[-1][:6]
    stem = "-".join(words)[: 64 - len("workflow--") - len(suffix)].strip("-")
    return f"workflow-{stem}-{suffix}" if stem else f"workflow-{suffix}"


def _when_to_use(pattern: MinedPattern, steps: tuple[SopStep, ...], days: int) -> str:
    first = steps[0].text[0].lower() + steps[0].text[1:]
    last = steps[-1].text[0].lower() + steps[-1].text[1:]
    rate = f"{pattern.success_rate:.0%}" if pattern.outcomes_known else "an unknown share"
    order = (
        f"in this order (with up to {pattern.gap} other steps, such as a look-up, between "
        "two steps)"
        if pattern.gap
        else "in this order"
    )
    return (
        f"Use this sequence when the work begins with step 1 ({first}) and leads to "
        f"step {len(steps)} ({last}). It was repeated {order} in {pattern.support} "
        f"sessions on {days} days between {pattern.first_seen.isoformat()} and "
        f"{pattern.last_seen.isoformat()}; it reached its goal in {rate} of the runs."
    )


def _variant(pattern: MinedPattern, tokens: tuple[str, ...], support: int) -> SopVariant:
    changes: list[str] = []
    for op in Levenshtein.editops(list(pattern.tokens), list(tokens)):
        if op.tag == "replace":
            changes.append(
                f"step {op.src_pos + 1} is {_code(tokens[op.dest_pos])} "
                f"instead of {_code(pattern.tokens[op.src_pos])}"
            )
        elif op.tag == "insert":
            where = (
                f"before step {op.src_pos + 1}"
                if op.src_pos < len(pattern.tokens)
                else "at the end"
            )
            changes.append(f"adds {_code(tokens[op.dest_pos])} {where}")
        else:
            changes.append(f"skips step {op.src_pos + 1} ({_code(pattern.tokens[op.src_pos])})")
    return SopVariant(tokens=tokens, support=support, changes=tuple(changes))


def _failures(pattern: MinedPattern) -> tuple[SopFailure, ...]:
    runs = pattern.occurrences
    rows = [
        SopFailure(
            step=i + 1,
            token=pattern.tokens[i],
            failures=count,
            occurrences=runs,
            share=count / runs if runs else 0.0,
        )
        for i, count in enumerate(pattern.failed_steps)
        if count > 0
    ]
    rows.sort(key=lambda f: (-f.failures, f.step))
    return tuple(rows[:_MAX_FAILURES])


def _duration(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def _text(text: str) -> str:
    """Printable text only: untrusted characters never reach the Markdown."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _code(text: str) -> str:
    """An inline code span that cannot be broken out of."""
    return "`" + _text(text).replace("`", "'") + "`"
