"""Is `.hestai-sys/` intact and current? The pydantic view of the checks in `governance.tree`.

`.version` and `.manifest.json` (sha256 per file) make the answer cheap; the digest cache of
`tree` means an untouched tree is not re-read on every call.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, computed_field

from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.governance import tree
from hestai_tmws.governance.hub import HubSnapshot, read_hub
from hestai_tmws.governance.locate import HubLocation, locate_hub
from hestai_tmws.governance.tree import MANIFEST_FILE, META_FILES, SYS_VERSION_FILE
from hestai_tmws.layout import HESTAI_SYS
from hestai_tmws.project import Project

MANIFEST_FORMAT = 1
TMP_PREFIX = HESTAI_SYS + ".tmp-"
OLD_PREFIX = HESTAI_SYS + ".old-"
FILE_MODE = 0o444
DIR_MODE = 0o555
__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "MANIFEST_FILE",
    "MANIFEST_FORMAT",
    "META_FILES",
    "OLD_PREFIX",
    "SYS_VERSION_FILE",
    "TMP_PREFIX",
    "GovernanceStatus",
    "hub_facts",
    "hub_location",
    "inspect_tree",
    "verify_governance",
]


class GovernanceStatus(BaseModel):
    """What is in `.hestai-sys/` compared with its manifest and with the hub. Read-only."""

    path: str
    present: bool
    version: str | None = None  # installed (.version)
    hub: str | None = None
    hub_version: str | None = None
    hub_source: str | None = None  # argument, env, setting or bundled
    current: bool = False  # installed manifest equals the hub's files and version
    ok: bool = False  # present, untampered and current
    changed: list[str] = Field(default_factory=list)
    added: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    error: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tampered(self) -> bool:
        return self._facts().tampered

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outdated(self) -> bool:
        """Intact, but the hub holds another version: an update to inject, not tampering."""
        return self._facts().outdated

    def _facts(self) -> tree.TreeFacts:
        """The stdlib facts `tmws status`'s fast path uses: one rule set for both views."""
        return tree.TreeFacts(**self.model_dump(exclude={"tampered", "outdated"}))

    def problems(self) -> list[str]:
        """One line per problem, for dashboards and CLI output."""
        return [f.message for f in self.findings()]

    def findings(self) -> list[Finding]:
        facts = self._facts()
        return [
            Finding(code=code, path=path, message=message)
            for code, path, message in tree.problems(facts)
        ]


def hub_location(project: Project, hub: Path | None) -> HubLocation:
    if hub is not None:
        return HubLocation(path=Path(hub).expanduser().resolve(), source="argument")
    return locate_hub(project)


def hub_facts(snapshot: HubSnapshot | None) -> tree.HubFacts | None:
    """What `governance.tree` compares a tree with, taken from a hub read into memory."""
    if snapshot is None:
        return None
    return tree.HubFacts(
        path=str(snapshot.path),
        source=snapshot.source,
        version=snapshot.version,
        digests=snapshot.digests,
    )


def _model(facts: tree.TreeFacts) -> GovernanceStatus:
    return GovernanceStatus(
        path=facts.path,
        present=facts.present,
        version=facts.version,
        hub=facts.hub,
        hub_version=facts.hub_version,
        hub_source=facts.hub_source,
        current=facts.current,
        ok=facts.ok,
        changed=facts.changed,
        added=facts.added,
        missing=facts.missing,
        error=facts.error,
    )


def inspect_tree(target: Path, snapshot: HubSnapshot | None) -> GovernanceStatus:
    """Compare `.hestai-sys/` with its own manifest (tampering) and with the hub (currency)."""
    return _model(tree.inspect(target, hub_facts(snapshot)))


def verify_governance(project: Project, *, hub: Path | None = None) -> GovernanceStatus:
    """Is `.hestai-sys/` intact and current? Changes nothing; hub problems are reported."""
    snapshot: HubSnapshot | None = None
    error: str | None = None
    try:
        snapshot = read_hub(hub_location(project, hub))
    except TmwsError as exc:
        error = exc.message
    return _model(tree.check(project.hestai_sys, hub_facts(snapshot), error))
