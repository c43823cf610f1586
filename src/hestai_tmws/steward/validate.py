"""ONE answer to "may this file be here, and is it valid?": for writes, adoptions and verify.

The Steward's own write, `tmws adopt` (a hand edit taken in) and `tmws verify` (CI) all ask the
same question, so they share one set of checks: the placement (the governance routing table),
the format the file name promises, and — for files that did not come through the Steward — the
limits the routing rule sets (envelope, size, SKILL.md front matter, merge conflict markers).

The routing table belongs to governance, a layer above the Steward: it comes in as a
`Placement` (path → rule) that the caller passes (`governance.placement.routing_placement`).
A Steward given one refuses to write a file the table does not place; without one it checks
names and formats only (tests and tools that write outside the table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hestai_tmws.errors import PathRejectedError, TmwsError, ValidationError
from hestai_tmws.layout import HESTAI
from hestai_tmws.octave import Document, OctaveError, parse
from hestai_tmws.octave.emitted import emitted_envelope
from hestai_tmws.secrets.redaction import redact, redact_many, redact_obj

_ROUTING_HINT = "see .hestai-sys/governance/rules/visibility-rules.oct.md"


class PlacementRule(Protocol):
    """What the checks need of one routing rule (governance's `RoutingRule` fits it)."""

    @property
    def doc_type(self) -> str: ...
    @property
    def committed(self) -> bool: ...
    @property
    def envelope(self) -> str | None: ...
    @property
    def max_bytes(self) -> int | None: ...
    @property
    def format(self) -> str: ...
    @property
    def append_only(self) -> bool: ...


Placement = Callable[[str], PlacementRule | None]
"""A path relative to `.hestai/` → the rule it belongs to, or None when no rule allows it."""


@dataclass(frozen=True)
class Issue:
    """One reason a file may not be where it is, or is not what its name promises."""

    code: str  # MISPLACED, NOT_COMMITTED_TYPE, OCTAVE_INVALID, WRONG_ENVELOPE, ...
    message: str  # without the path
    line: int | None = None
    detail: str = ""  # the parser's own words, for the raised error
    placement: bool = False  # a placement problem (PathRejectedError), else a content one
    error: TmwsError | None = None  # the parser's error, raised as it is

    def where(self, shown: str) -> str:
        return f"{shown}:{self.line}" if self.line is not None else shown

    def exception(self, shown: str) -> TmwsError:
        """The error a writer raises for this issue, naming the file as `shown`."""
        if self.error is not None:
            return self.error
        text = f"{self.where(shown)}: {self.message}" + (f": {self.detail}" if self.detail else "")
        if self.placement:
            hint = _ROUTING_HINT if self.code == "MISPLACED" else None
            return PathRejectedError(text, hint=hint)
        return ValidationError(text)


def check_placement(
    rel: str, placement: Placement | None
) -> tuple[PlacementRule | None, list[Issue]]:
    """The rule `rel` belongs to, and MISPLACED / NOT_COMMITTED_TYPE when the table says so."""
    if placement is None:
        return None, []
    rule = placement(rel)
    if rule is None:
        message = "no routing rule allows a file here (wrong folder or name)"
        return None, [Issue("MISPLACED", message, placement=True)]
    if not rule.committed:
        message = f"{rule.doc_type} files are never committed"
        return rule, [Issue("NOT_COMMITTED_TYPE", message, placement=True)]
    return rule, []


def check_content(
    rel: str,
    text: str,
    rule: PlacementRule | None,
    *,
    strict: bool,
    parsed: Document | None = None,
) -> list[Issue]:
    """What is wrong with `text` as the content of `rel` (at most one issue per kind).

    Always: the format the name promises (OCTAVE, JSON Lines, JSON). With `strict` (files that
    did not come through the Steward's own renderers), also the rule's envelope and size
    limits, SKILL.md front matter and leftover merge conflict markers. `parsed` is `text`
    already parsed as OCTAVE, for a caller that needs the document too (parse once).
    """
    issues: list[Issue] = []
    if strict and rule is not None and rule.max_bytes is not None and not rule.append_only:
        size = len(text.encode("utf-8"))
        if size > rule.max_bytes:
            issues.append(Issue("TOO_BIG", f"{size} bytes is over the {rule.max_bytes}-byte limit"))
    if rel.endswith(".oct.md"):
        issues.extend(_octave_issues(text, rule if strict else None, parsed))
    elif rel.endswith(".jsonl"):
        record_limit = rule.max_bytes if strict and rule is not None and rule.append_only else None
        issues.extend(_jsonl_issues(text, record_limit))
    elif rel.endswith(".json"):
        try:
            json.loads(text)
        except ValueError as exc:
            issues.append(Issue("JSON_INVALID", "not valid JSON", detail=str(exc)))
    elif strict and rule is not None and rule.format == "skill" and not text.startswith("---\n"):
        issues.append(Issue("SKILL_FRONT_MATTER", "a SKILL.md starts with YAML front matter (---)"))
    if strict and ("\n<<<<<<< " in "\n" + text or "\n>>>>>>> " in "\n" + text):
        issues.append(Issue("CONFLICT_MARKERS", "still holds merge conflict markers"))
    return issues


def _octave_issues(
    text: str, rule: PlacementRule | None, parsed: Document | None = None
) -> list[Issue]:
    """Parse `text` unless the caller parsed it already; a text our emitter just rendered
    parses by construction (see `octave.emitted`), so only its envelope is checked."""
    name = parsed.name if parsed is not None else emitted_envelope(text)
    if name is None:
        try:
            name = parse(text).name
        except OctaveError as exc:
            return [Issue("OCTAVE_INVALID", exc.message, error=exc)]
    if rule is not None and rule.envelope and name != rule.envelope:
        message = f"envelope ==={name}=== where {rule.doc_type} needs ==={rule.envelope}==="
        return [Issue("WRONG_ENVELOPE", message)]
    return []


def _jsonl_issues(text: str, record_limit: int | None) -> list[Issue]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if record_limit is not None and len(line) > record_limit:
            return [Issue("RECORD_TOO_BIG", f"record over {record_limit} bytes", line=lineno)]
        try:
            json.loads(line)
        except ValueError as exc:
            return [Issue("JSONL_INVALID", "not a JSON line", line=lineno, detail=str(exc))]
    return []


def shown_path(rel: str) -> str:
    """`rel` (relative to `.hestai/`) as the work tree shows it."""
    return f"{HESTAI}/{rel}"


def raise_first(issues: list[Issue], shown: str) -> None:
    """Refuse with the first issue, if there is one."""
    if issues:
        raise issues[0].exception(shown)


# -- the one redaction gate ------------------------------------------------------------------
_MARKER = re.compile(r"\[REDACTED:([a-z0-9_]+)\]")
_WIDE = "[REDACTED:unverified]"


def redact_content(rel: str, text: str) -> str:
    """`text` with every secret replaced, still in the format its name promises.

    Every write to committed memory passes here (the Steward calls it), so no face can
    write unredacted text. Token markers keep JSON and OCTAVE valid in nearly every case;
    where one would not (a value the marker's brackets would restructure), JSON is
    redacted value by value and OCTAVE gets bracket-free markers (`REDACTED-<kind>`).
    """
    if rel.endswith(".jsonl"):  # line by line: a record never loses its neighbour's newline
        lines = text.splitlines(keepends=True)
        return "".join(_jsonl_line(o, c) for o, c in zip(lines, redact_many(lines), strict=True))
    clean = redact(text)
    if clean == text:
        return text
    if rel.endswith(".json") and not _parses_json(clean) and _parses_json(text):
        data = redact_obj(json.loads(text))
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if rel.endswith(".oct.md") and _octave_issues(clean, None) and not _octave_issues(text, None):
        swapped = _MARKER.sub(r"REDACTED-\1", clean)
        return swapped if not _octave_issues(swapped, None) else _octave_by_line(text)
    return clean


_OCTAVE_KEY = re.compile(r"^(\s*[^\s:]+::)")


def _octave_by_line(text: str) -> str:
    """Last resort for OCTAVE a token marker would break: each line holding a secret keeps
    its key and gets a quoted marker as its value (or becomes a comment)."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if redact(line) == line:
            out.append(line)
            continue
        end = "\n" if line.endswith("\n") else ""
        key = _OCTAVE_KEY.match(line)
        indent = line[: len(line) - len(line.lstrip())]
        out.append(f'{key.group(1)}"{_WIDE}"{end}' if key else f"{indent}// {_WIDE}{end}")
    return "".join(out)


def _jsonl_line(original: str, clean: str) -> str:
    if clean == original or _parses_json(clean) or not _parses_json(original):
        return clean
    data = redact_obj(json.loads(original))
    end = "\n" if original.endswith("\n") else ""
    return json.dumps(data, sort_keys=True, ensure_ascii=False) + end


def _parses_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
