"""Find a governance hub, read it into memory, and validate it before anyone injects it.

A hub is a folder with `VERSION`, `governance/`, `agents/` and `templates/`. The bundled hub
ships inside the wheel; a project can name its own with the `hub` setting or `TMWS_HUB`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from hestai_tmws.errors import ValidationError
from hestai_tmws.governance.docs import parse_text
from hestai_tmws.governance.hub_read import decode, digests_of, read_hub_files, read_version
from hestai_tmws.governance.locate import (
    VERSION_FILE,
    HubLocation,
    HubSource,
    bundled_hub_path,
)
from hestai_tmws.governance.rules import (
    AGENTS_DIR,
    METHODOLOGY_FILE,
    NAMING_FILE,
    OCTAVE_SUFFIX,
    ROUTING_FILE,
    TEMPLATES_DIR,
    agent_from_document,
    naming_from_document,
    routing_from_document,
)
from hestai_tmws.layout import CONTEXT_DOCS

if TYPE_CHECKING:
    from hestai_tmws.octave import Document

REQUIRED_FILES = (ROUTING_FILE, NAMING_FILE, METHODOLOGY_FILE)
# Templates `tmws init` copies into `.hestai/`: a hub without them cannot initialise a project.
REQUIRED_TEMPLATES = (*CONTEXT_DOCS, "north-star")


class HubInfo(BaseModel):
    """A validated hub: its version and what it provides."""

    path: Path
    source: HubSource
    version: str
    files: list[str] = Field(default_factory=list)
    agents: list[str] = Field(default_factory=list)
    doc_types: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class HubSnapshot:
    """Every file of a hub, read once: what gets validated is exactly what gets injected."""

    path: Path
    source: HubSource
    version: str
    files: dict[str, bytes] = field(default_factory=dict)  # POSIX rel path → content

    @cached_property
    def digests(self) -> dict[str, str]:
        return digests_of(self.files)


# -- reading and validating --------------------------------------------------------------------


def read_hub(location: HubLocation | Path) -> HubSnapshot:
    """Read every hub file into memory (dot-files and caches skipped; links refused)."""
    if isinstance(location, Path):
        location = HubLocation(path=location.resolve(), source="argument")
    version, files = read_hub_files(location.path)
    return HubSnapshot(path=location.path, source=location.source, version=version, files=files)


def _custom_hint(snapshot: HubSnapshot) -> str:
    """What a hub needs, said so that someone writing their own hub can act on it."""
    return (
        f"a hub needs {VERSION_FILE}, {', '.join(REQUIRED_FILES)}, at least one "
        f"{AGENTS_DIR}/<role>.oct.md and {TEMPLATES_DIR}/<name>.oct.md for "
        f"{', '.join(REQUIRED_TEMPLATES)}; compare with the bundled hub at {bundled_hub_path()}; "
        "a HestAI-MCP hub converts with `tmws hub import SRC DEST`"
    )


def validate_snapshot(snapshot: HubSnapshot) -> HubInfo:
    """Parse every `.oct.md` and check the rules, agents and templates a project relies on.

    Every problem is collected (a custom hub usually has several), then reported at once.
    """
    display = snapshot.path.name
    problems: list[str] = []
    docs: dict[str, Document] = {}
    for rel, data in snapshot.files.items():
        if rel.endswith(OCTAVE_SUFFIX):
            shown = f"{display}/{rel}"
            try:
                docs[rel] = parse_text(decode(data, shown), shown)
            except ValidationError as exc:
                problems.append(exc.message)
    problems.extend(f"lacks {rel}" for rel in REQUIRED_FILES if rel not in snapshot.files)
    routing: dict[str, object] = {}
    for rel in (ROUTING_FILE, NAMING_FILE):
        if rel in docs:
            try:
                if rel == ROUTING_FILE:
                    routing = dict(routing_from_document(docs[rel], f"{display}/{rel}"))
                else:
                    naming_from_document(docs[rel], f"{display}/{rel}")
            except ValidationError as exc:
                problems.append(exc.message)
    agents = []
    for rel, doc in docs.items():
        if rel.startswith(AGENTS_DIR + "/") and rel.count("/") == 1:
            role = rel[len(AGENTS_DIR) + 1 : -len(OCTAVE_SUFFIX)]
            try:
                agents.append(agent_from_document(doc, f"{display}/{rel}", role).role)
            except ValidationError as exc:
                problems.append(exc.message)
    if not agents and not any(r.startswith(AGENTS_DIR + "/") for r in snapshot.files):
        problems.append(f"has no agent definitions in {AGENTS_DIR}/")
    for name in REQUIRED_TEMPLATES:
        rel = f"{TEMPLATES_DIR}/{name}{OCTAVE_SUFFIX}"
        if rel not in snapshot.files:
            problems.append(f"lacks the template {rel}")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise ValidationError(
            f"hub {snapshot.path} ({snapshot.source}) has {len(problems)} problem(s):\n{listed}",
            hint=_custom_hint(snapshot),
        )
    return HubInfo(
        path=snapshot.path,
        source=snapshot.source,
        version=snapshot.version,
        files=sorted(snapshot.files),
        agents=sorted(agents),
        doc_types=sorted(routing),
    )


def validate_hub(location: HubLocation | Path | None = None) -> HubInfo:
    """Read and validate a hub (default: the bundled one); ValidationError names file and line."""
    return validate_snapshot(read_hub(location if location is not None else bundled_hub_path()))


__all__ = [
    "HubInfo",
    "HubSnapshot",
    "read_hub",
    "read_version",
    "validate_hub",
    "validate_snapshot",
]
