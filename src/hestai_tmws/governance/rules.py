"""Typed access to the governance rules: routing table, naming standard, agent definitions.

Every other team asks here instead of parsing hub files themselves: the Steward routes paths
with `load_routing`, anchor checks read `load_agents`, document writers name files with
`naming_patterns` and `slugify`.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.docs import clear_cache, load_document
from hestai_tmws.governance.locate import locate_hub

if TYPE_CHECKING:
    from hestai_tmws.octave import Document
    from hestai_tmws.project import Project

ROUTING_FILE = "governance/rules/visibility-rules.oct.md"
NAMING_FILE = "governance/rules/naming-standard.oct.md"
METHODOLOGY_FILE = "governance/rules/workflow-methodology.oct.md"
WORKFLOW_NORTH_STAR_FILE = "governance/workflow/001-workflow-north-star.oct.md"
AGENTS_DIR = "agents"
TEMPLATES_DIR = "templates"
OCTAVE_SUFFIX = ".oct.md"

ROUTING_ENVELOPE = "VISIBILITY_RULES"
ROUTING_SECTION = "ROUTING"
NAMING_ENVELOPE = "NAMING_STANDARD"
NAMING_SECTION = "PATTERNS"
AGENT_ENVELOPE = "AGENT_DEFINITION"
AGENT_SECTION = "IDENTITY"
AGENT_EXTRA_SECTION = "OPERATION"

_FOLDER = re.compile(r"^(|[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*)$")


class RoutingRule(BaseModel):
    """Where one document type lives in `.hestai/`, how it is named, who writes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc_type: str
    folder: str  # relative to .hestai/, POSIX, "" for the top level
    pattern: str  # anchored regex over the path relative to `folder`
    writer: str = "system-steward"
    committed: bool
    envelope: str | None = None  # OCTAVE envelope name; None for JSONL, SKILL.md, session files
    max_bytes: int | None = Field(default=None, gt=0)  # per file, or per record if append_only
    format: Literal["octave", "jsonl", "skill", "any"] = "octave"
    append_only: bool = False
    description: str = ""

    @field_validator("folder")
    @classmethod
    def _check_folder(cls, value: str) -> str:
        if not _FOLDER.match(value):
            raise ValueError(f"folder {value!r} must be a relative POSIX path inside .hestai/")
        return value

    @field_validator("pattern")
    @classmethod
    def _check_pattern(cls, value: str) -> str:
        if not (value.startswith("^") and value.endswith("$")):
            raise ValueError(f"pattern {value!r} must be anchored with ^ and $")
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern {value!r} is not a valid regex: {exc}") from exc
        return value

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)  # `re` caches compiled patterns

    def relative(self, rel: str) -> str | None:
        """`rel` (relative to `.hestai/`) with this rule's folder removed, if it is inside it."""
        rel = _strip_hestai(rel)
        if not self.folder:
            return rel
        prefix = self.folder + "/"
        return rel[len(prefix) :] if rel.startswith(prefix) else None

    def matches(self, rel: str) -> bool:
        """Whether `rel` (relative to `.hestai/`) is a valid path for this document type."""
        inner = self.relative(rel)
        return inner is not None and self.regex.match(inner) is not None

    def path_for(self, name: str) -> str:
        """Path relative to `.hestai/` of `name` (a path relative to the folder); checks it."""
        rel = f"{self.folder}/{name}" if self.folder else name
        if not self.matches(rel):
            raise ValidationError(
                f"{name!r} is not a valid {self.doc_type} name (expected {self.pattern})",
                hint="see .hestai-sys/governance/rules/naming-standard.oct.md",
            )
        return rel


class AgentDefinition(BaseModel):
    """An agent role: its mission, authority and the commitments its anchor is checked against."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    mission: str
    authority: str
    must_always: list[str] = Field(min_length=1)
    must_never: list[str] = Field(min_length=1)
    outputs: list[str] = Field(min_length=1)
    phases: list[str] = Field(default_factory=list)
    escalates_to: str | None = None
    works_with: list[str] = Field(default_factory=list)

    @property
    def commitments(self) -> list[str]:
        """MUST_ALWAYS then MUST_NEVER: the lines an anchor is matched against."""
        return [*self.must_always, *self.must_never]


# -- reading documents ------------------------------------------------------------------------


def _strip_hestai(rel: str) -> str:
    rel = rel.replace("\\", "/")
    return rel[len(".hestai/") :] if rel.startswith(".hestai/") else rel


def _key_to_field(key: str) -> str:
    return key.lower()


def _name_to_key(name: str) -> str:
    """`SESSION_ARCHIVE` → `session-archive` (how code names patterns and doc types)."""
    return name.lower().replace("_", "-")


def _require_envelope(doc: Document, expected: str, display: str) -> None:
    if doc.name != expected:
        raise ValidationError(f"{display}: envelope is ==={doc.name}===, expected ==={expected}===")


def _section_body(doc: Document, name: str, display: str) -> dict[str, Any]:
    sec = doc.section(name)
    if sec is None:
        raise ValidationError(f"{display}: section {name} is missing")
    return dict(sec.body)


def _pydantic_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors():
            loc = ".".join(str(p).upper() for p in err.get("loc", ()))
            parts.append(f"{loc or 'value'}: {err.get('msg')}")
        return "; ".join(parts)
    return str(exc)


def routing_from_document(doc: Document, display: str) -> dict[str, RoutingRule]:
    """The routing table held by a parsed `visibility-rules.oct.md`."""
    _require_envelope(doc, ROUTING_ENVELOPE, display)
    body = _section_body(doc, ROUTING_SECTION, display)
    rules: dict[str, RoutingRule] = {}
    for key, entry in body.items():
        if not isinstance(entry, dict):
            raise ValidationError(f"{display}: ROUTING.{key} must be a block of fields")
        data = {_key_to_field(k): v for k, v in entry.items()}
        data.setdefault("doc_type", _name_to_key(key))
        try:
            rule = RoutingRule.model_validate(data)
        except Exception as exc:
            raise ValidationError(f"{display}: ROUTING.{key}: {_pydantic_message(exc)}") from exc
        if rule.doc_type in rules:
            raise ValidationError(f"{display}: document type {rule.doc_type!r} is routed twice")
        rules[rule.doc_type] = rule
    if not rules:
        raise ValidationError(f"{display}: the ROUTING section is empty")
    return rules


def naming_from_document(doc: Document, display: str) -> dict[str, re.Pattern[str]]:
    """The compiled regexes of a parsed `naming-standard.oct.md`, keyed `session-archive` etc."""
    _require_envelope(doc, NAMING_ENVELOPE, display)
    body = _section_body(doc, NAMING_SECTION, display)
    patterns: dict[str, re.Pattern[str]] = {}
    for key, value in body.items():
        if not isinstance(value, str):
            raise ValidationError(f"{display}: PATTERNS.{key} must be a quoted regex")
        try:
            patterns[_name_to_key(key)] = re.compile(value)
        except re.error as exc:
            raise ValidationError(f"{display}: PATTERNS.{key} is not a valid regex: {exc}") from exc
    return patterns


def agent_from_document(doc: Document, display: str, expected_role: str | None) -> AgentDefinition:
    """The agent definition of a parsed `agents/<role>.oct.md`."""
    _require_envelope(doc, AGENT_ENVELOPE, display)
    identity = _section_body(doc, AGENT_SECTION, display)
    data: dict[str, Any] = {
        _key_to_field(k): v
        for k, v in identity.items()
        if k in {"ROLE", "MISSION", "AUTHORITY", "MUST_ALWAYS", "MUST_NEVER", "OUTPUTS"}
    }
    extra = doc.section(AGENT_EXTRA_SECTION)
    if extra is not None:
        for k in ("PHASES", "ESCALATES_TO", "WORKS_WITH"):
            if k in extra.body:
                data[_key_to_field(k)] = extra.body[k]
    try:
        agent = AgentDefinition.model_validate(data)
    except Exception as exc:
        raise ValidationError(f"{display}: IDENTITY: {_pydantic_message(exc)}") from exc
    if expected_role is not None and agent.role != expected_role:
        raise ValidationError(
            f"{display}: ROLE is {agent.role!r} but the file is named for {expected_role!r}"
        )
    meta_role = doc.meta.get("ROLE")
    if meta_role is not None and meta_role != agent.role:
        raise ValidationError(f"{display}: META ROLE {meta_role!r} differs from IDENTITY ROLE")
    return agent


# -- loading from a hub or .hestai-sys ---------------------------------------------------------

_T = TypeVar("_T")
_DERIVED: dict[tuple[str, str], tuple[object, Any]] = {}
_DERIVED_LOCK = threading.Lock()


def governance_root(source: Path | str | Project) -> Path:
    """The folder holding `governance/`, `agents/`, `templates/`.

    A path is taken as is (a hub or a `.hestai-sys/`). For a `Project` the located hub is used,
    not `.hestai-sys/`: enforcement must not depend on files an agent could have edited.
    """
    if isinstance(source, str | Path):
        return Path(source)
    return locate_hub(source).path


def _derive(path: Path, kind: str, build: Callable[[Document, str], _T]) -> _T:
    """Parse `path` (cached) and build a value from it, cached until the file changes."""
    doc = load_document(path, display=str(path))
    key = (kind, str(path))
    with _DERIVED_LOCK:
        hit = _DERIVED.get(key)
    if hit is not None and hit[0] is doc:
        return cast("_T", hit[1])  # stored by this function for the same `kind`
    value = build(doc, str(path))
    with _DERIVED_LOCK:
        _DERIVED[key] = (doc, value)
    return value


def load_routing(source: Path | str | Project) -> dict[str, RoutingRule]:
    """Document type → routing rule, from a hub, a `.hestai-sys/`, or a project's hub."""
    path = governance_root(source) / ROUTING_FILE
    return dict(_derive(path, "routing", routing_from_document))


def naming_patterns(source: Path | str | Project) -> dict[str, re.Pattern[str]]:
    """Pattern name (`slug`, `decision`, `session-archive`, …) → compiled anchored regex."""
    path = governance_root(source) / NAMING_FILE
    return dict(_derive(path, "naming", naming_from_document))


def load_agents(source: Path | str | Project) -> dict[str, AgentDefinition]:
    """Role → agent definition, for every `agents/*.oct.md`."""
    folder = governance_root(source) / AGENTS_DIR
    if not folder.is_dir():
        raise NotFoundError(f"{folder} does not exist: the hub has no agent definitions")
    agents: dict[str, AgentDefinition] = {}
    for path in sorted(folder.glob("*" + OCTAVE_SUFFIX)):
        role = path.name[: -len(OCTAVE_SUFFIX)]
        agents[role] = _derive(path, "agent", partial(agent_from_document, expected_role=role))
    return agents


def load_agent(source: Path | str | Project, role: str) -> AgentDefinition:
    """One agent definition; NotFoundError lists the roles that exist."""
    agents = load_agents(source)
    if role not in agents:
        raise NotFoundError(
            f"no agent definition for role {role!r}",
            hint="known roles: " + ", ".join(sorted(agents)),
        )
    return agents[role]


def template_path(source: Path | str | Project, name: str) -> Path:
    """Path of `templates/<name>.oct.md`; NotFoundError when the hub has no such template."""
    path = governance_root(source) / TEMPLATES_DIR / f"{name}{OCTAVE_SUFFIX}"
    if not path.is_file():
        raise NotFoundError(f"no template {name!r} in {path.parent}")
    return path


def route(rules: Mapping[str, RoutingRule], rel: str) -> RoutingRule | None:
    """The rule a path relative to `.hestai/` belongs to (the deepest folder wins), if any."""
    best: RoutingRule | None = None
    for rule in rules.values():
        if rule.matches(rel) and (best is None or len(rule.folder) > len(best.folder)):
            best = rule
    return best


class Router:
    """`route` over a table read once: each rule's folder prefix and compiled pattern looked
    up when built, not per path (verify routes every memory file; the rules are frozen)."""

    def __init__(self, rules: Mapping[str, RoutingRule]) -> None:
        self._table = [
            (rule, rule.folder + "/" if rule.folder else "", rule.regex.match)
            for rule in rules.values()
        ]

    def __call__(self, rel: str) -> RoutingRule | None:
        rel = _strip_hestai(rel)
        best: RoutingRule | None = None
        for rule, prefix, match in self._table:
            if prefix and not rel.startswith(prefix):
                continue
            if match(rel[len(prefix) :]) is not None and (
                best is None or len(rule.folder) > len(best.folder)
            ):
                best = rule
        return best


def slugify(text: str, max_length: int = 48) -> str:
    """Text → naming-standard slug: lowercase a-z0-9 words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        if slug[max_length] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]  # do not end on half a word
        slug = cut.strip("-")
    return slug or "untitled"


def clear_caches() -> None:
    """Forget cached parses (tests that rewrite hub files in place use this)."""
    clear_cache()
    with _DERIVED_LOCK:
        _DERIVED.clear()


__all__ = [
    "AGENTS_DIR",
    "NAMING_FILE",
    "ROUTING_FILE",
    "TEMPLATES_DIR",
    "AgentDefinition",
    "RoutingRule",
    "agent_from_document",
    "governance_root",
    "load_agent",
    "load_agents",
    "load_routing",
    "naming_from_document",
    "naming_patterns",
    "route",
    "routing_from_document",
    "slugify",
    "template_path",
]
