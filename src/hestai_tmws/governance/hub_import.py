"""`tmws hub import SRC DEST`: turn a HestAI-MCP hub into a tmws hub that validates.

HestAI-MCP keeps its agents in `library/agents/<role>.oct.md` (envelope named for the role,
constructors such as `HERMES<coordination>`, pair lists of `REGEX::…`), its rules in
`standards/`, its templates in `templates/`. tmws needs `agents/<role>.oct.md` with an
`AGENT_DEFINITION` envelope and an `IDENTITY` section, its own routing, naming and methodology
rules, and the templates `tmws init` copies. So:

- each agent is **converted**: ROLE from the file name, MISSION/AUTHORITY from IDENTITY (or
  META PURPOSE), MUST_ALWAYS/MUST_NEVER from wherever the agent states them, OUTPUTS from its
  OUTPUT block or handoff, ESCALATES_TO from its escalation target; the original text rides
  along verbatim in a literal zone, so nothing of the agent is lost;
- tmws's own governance rules and templates come from the bundled hub (HestAI-MCP's have
  other formats);
- every other text file is **kept** under `library/hestai-mcp/<its path>`: verbatim when
  tmws reads it (or it is not OCTAVE), otherwise wrapped in a literal zone;
- what a governance hub must not carry (code, binaries) is **dropped**, and reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import UsageError, ValidationError
from hestai_tmws.governance.hub import validate_hub
from hestai_tmws.governance.locate import VERSION_FILE, bundled_hub_path
from hestai_tmws.governance.rules import AGENTS_DIR, TEMPLATES_DIR
from hestai_tmws.octave import Document, Literal, OctaveError, Section, emit, parse

SOURCE_AGENTS = "library/agents"
KEPT_ROOT = "library/hestai-mcp"
CODE_SUFFIXES = (".py", ".sh", ".js", ".ts", ".exe", ".so", ".pyc")


class Dropped(BaseModel):
    path: str
    reason: str


class HubImportResult(BaseModel):
    """What was converted, kept and dropped, and the validated result."""

    source: str
    dest: str
    version: str
    agents: list[str] = Field(default_factory=list)
    kept: list[str] = Field(default_factory=list)
    wrapped: list[str] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def _walk(doc: Document) -> list[tuple[str, Any]]:
    """Every (key, value) of the document, depth first (blocks are opened)."""
    out: list[tuple[str, Any]] = []

    def visit(body: dict[str, Any]) -> None:
        for key, value in body.items():
            out.append((key, value))
            if isinstance(value, dict):
                visit(value)

    visit(doc.meta)
    visit(doc.body)
    for sec in doc.sections:
        visit(sec.body)
    return out


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, dict):
        return [f"{k}: {t}" for k, v in value.items() for t in _texts(v)]
    if value is None or isinstance(value, Literal):
        return []
    return [str(value)]


def _first(pairs: list[tuple[str, Any]], *keys: str) -> list[str]:
    for want in keys:
        for key, value in pairs:
            if key == want and _texts(value):
                return _texts(value)
    return []


def convert_agent(role: str, text: str, source: str) -> str:
    """The tmws agent definition of one HestAI-MCP agent file (raises `OctaveError`)."""
    doc = parse(text)
    pairs = _walk(doc)
    purpose = _first(pairs, "PURPOSE")
    mission = _first(pairs, "MISSION") or purpose or [f"The {role} role of HestAI-MCP"]
    authority = _first(pairs, "AUTHORITY_MANDATE", "AUTHORITY_ULTIMATE", "AUTHORITY") or purpose
    always = _first(pairs, "MUST_ALWAYS", "ALWAYS") or [f"Follow the HestAI-MCP {role} definition"]
    never = _first(pairs, "MUST_NEVER", "NEVER") or ["Act outside the role's authority"]
    outputs = _first(pairs, "REQUIREMENTS", "OUTPUTS", "HANDOFF_OUTPUT") or ["role output"]
    identity: dict[str, Any] = {
        "ROLE": role,
        "MISSION": " ".join(mission),
        "AUTHORITY": "; ".join(authority) or f"As defined for {role} in HestAI-MCP",
        "MUST_ALWAYS": always,
        "MUST_NEVER": never,
        "OUTPUTS": outputs,
    }
    operation: dict[str, Any] = {}
    target = _first(pairs, "ESCALATION_TARGET")
    if target:
        operation["ESCALATES_TO"] = target[0]
    sections = [Section(1, "IDENTITY", identity)]
    if operation:
        sections.append(Section(2, "OPERATION", operation))
    sections.append(
        Section(len(sections) + 1, "ORIGINAL", {"SOURCE": source, "TEXT": Literal(text, "octave")})
    )
    meta: dict[str, Any] = {"TYPE": "AGENT_DEFINITION", "VERSION": "1.0", "ROLE": role}
    return emit(Document("AGENT_DEFINITION", meta=meta, sections=sections))


def _wrap(rel: str, text: str) -> str:
    return emit(
        Document(
            "HESTAI_MCP_FILE",
            meta={"TYPE": "HESTAI_MCP_FILE", "SOURCE": rel},
            sections=[Section(1, "ORIGINAL", {"TEXT": Literal(text, "octave")})],
        )
    )


def _copy_tmws_base(dest: Path) -> None:
    """tmws's own rules and templates (HestAI-MCP's have other formats): from the bundled hub."""
    bundled = bundled_hub_path()
    for folder in ("governance", TEMPLATES_DIR):
        shutil.copytree(bundled / folder, dest / folder, dirs_exist_ok=True)


def import_hub(src: Path, dest: Path) -> HubImportResult:
    """Convert the HestAI-MCP hub at `src` into a new tmws hub at `dest`, then validate it."""
    src, dest = Path(src).expanduser().resolve(), Path(dest).expanduser().resolve()
    agents_dir = src / SOURCE_AGENTS
    if not agents_dir.is_dir():
        raise UsageError(
            f"{src} is not a HestAI-MCP hub (no {SOURCE_AGENTS}/)",
            hint="point SRC at HestAI-MCP's hub, e.g. src/hestai_mcp/_bundled_hub",
        )
    if dest.exists() and any(dest.iterdir()):
        raise UsageError(f"{dest} exists and is not empty", hint="give a new folder as DEST")
    version_file = src / VERSION_FILE
    version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "0"
    result = HubImportResult(source=str(src), dest=str(dest), version=f"{version}+tmws")
    dest.mkdir(parents=True, exist_ok=True)
    _copy_tmws_base(dest)
    (dest / AGENTS_DIR).mkdir()
    for path in sorted(src.rglob("*")):
        if path.is_dir() or any(p.startswith(".") for p in path.relative_to(src).parts):
            continue
        rel = path.relative_to(src).as_posix()
        _import_file(src, dest, rel, result)
    (dest / VERSION_FILE).write_text(result.version + "\n", encoding="utf-8")
    if not result.agents:
        raise ValidationError(f"no agent of {src} could be converted")
    validate_hub(dest)
    return result


def _import_file(src: Path, dest: Path, rel: str, result: HubImportResult) -> None:
    path = src / rel
    if rel == VERSION_FILE:
        return
    if path.is_symlink() or rel.endswith(CODE_SUFFIXES):
        result.dropped.append(
            Dropped(path=rel, reason="code or a link: a hub holds documents only")
        )
        return
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        result.dropped.append(Dropped(path=rel, reason="not UTF-8 text"))
        return
    if rel.startswith(SOURCE_AGENTS + "/") and rel.count("/") == 2 and rel.endswith(".oct.md"):
        role = rel.rsplit("/", 1)[1][: -len(".oct.md")]
        try:
            converted = convert_agent(role, text, rel)
        except OctaveError as exc:
            result.notes.append(f"{rel}: kept, not converted ({exc})")
        else:
            (dest / AGENTS_DIR / f"{role}.oct.md").write_text(converted, encoding="utf-8")
            result.agents.append(role)
            return
    target = dest / KEPT_ROOT / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if rel.endswith(".oct.md"):
        try:
            parse(text)
        except OctaveError:
            target.write_text(_wrap(rel, text), encoding="utf-8")
            result.wrapped.append(rel)
            return
    target.write_text(text, encoding="utf-8")
    result.kept.append(rel)
