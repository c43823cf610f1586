"""Put a governance hub into `.hestai-sys/` read-only, and heal any tampering.

A fast no-op when the tree is intact and current (`status`); otherwise the hub is validated
once, and a new tree is swapped in whole under the governance lock (`swap`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

from hestai_tmws.config import load_settings
from hestai_tmws.errors import PathRejectedError, TmwsError, UsageError
from hestai_tmws.governance.changelog import changes_between
from hestai_tmws.governance.fingerprint import Fingerprint, tree_fingerprint
from hestai_tmws.governance.hub import HubSnapshot, read_hub, validate_snapshot
from hestai_tmws.governance.status import GovernanceStatus, hub_location, inspect_tree
from hestai_tmws.governance.swap import build_and_swap, sweep_leftovers
from hestai_tmws.layout import HESTAI_SYS, HUB_CHANGELOG_FILE
from hestai_tmws.project import Project
from hestai_tmws.steward.lock import StewardLock

LOCK_NAME = "governance.lock"

InjectAction = Literal["created", "updated", "healed", "rebuilt", "unchanged"]


class InjectResult(BaseModel):
    """What one inject did."""

    path: str
    hub: str
    hub_source: str
    version: str
    previous_version: str | None = None
    action: InjectAction
    files: int
    healed: list[str] = Field(default_factory=list)  # every path restored after tampering
    changed: list[str] = Field(default_factory=list)
    added: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    swept: list[str] = Field(default_factory=list)  # leftovers of interrupted injects removed
    changes: list[str] = Field(default_factory=list)  # the hub changelog's entries of an update
    # not output: see hub_print
    _hub_print: Fingerprint | None = PrivateAttr(default=None)

    @property
    def hub_print(self) -> Fingerprint | None:
        """The hub's tree fingerprint taken before this inject looked (the key of `hub_memo`);
        None when the inject changed anything."""
        return self._hub_print

    def summary(self) -> str:
        if self.action == "unchanged":
            return f"unchanged ({self.files} files intact)"
        if self.action == "created":
            return f"created {HESTAI_SYS}/ ({self.files} files)"
        if self.action == "updated":
            return f"updated from {self.previous_version or 'unknown'} ({self.files} files)"
        if self.action == "rebuilt":
            return f"rebuilt ({self.files} files)"
        return f"healed {len(self.healed)} file(s): " + ", ".join(self.healed)


def inject(project: Project, *, hub: Path | None = None, force: bool = False) -> InjectResult:
    """Make `.hestai-sys/` an exact, read-only copy of the hub; a fast no-op when it already is.

    A malformed hub raises before anything is touched; a tampered tree is rebuilt whole.
    """
    location = hub_location(project, hub)
    target = project.hestai_sys
    key = (str(location.path), location.source, str(target))
    prints = (tree_fingerprint(location.path), tree_fingerprint(target))  # before the check
    if not force:
        with _VERIFIED_LOCK:
            hit = _VERIFIED.get(key)
        if hit is not None and hit[0] == prints:
            found = hit[1].model_copy(deep=True)  # nothing moved since it was found intact
            found._hub_print = prints[0]
            return found
    _check_target(target, location.path)
    snapshot = read_hub(location)
    before = inspect_tree(target, snapshot)
    if before.ok and not force:
        result = _result(target, snapshot, before, "unchanged")
        with _VERIFIED_LOCK:
            if len(_VERIFIED) >= 64:
                _VERIFIED.clear()
            _VERIFIED[key] = (prints, result.model_copy(deep=True))
        result._hub_print = prints[0]
        return result
    _validate_once(snapshot)  # before touching anything
    with _governance_lock(project):
        _check_target(target, location.path)
        before = inspect_tree(target, snapshot)  # another process may have done it meanwhile
        if before.ok and not force:
            return _result(target, snapshot, before, "unchanged")
        swept = sweep_leftovers(project.root)
        build_and_swap(project.root, target, snapshot)
    if not before.present:
        action: InjectAction = "created"
    elif before.tampered:
        action = "healed"
    elif not before.current:
        action = "updated"
    else:
        action = "rebuilt"
    result = _result(target, snapshot, before, action)
    result.swept = swept
    if action == "updated":
        log = snapshot.files.get(HUB_CHANGELOG_FILE, b"").decode("utf-8", "replace")
        result.changes = changes_between(log, before.version, snapshot.version)
    return result


# (hub, its source, target) → (both trees' fingerprints, the "unchanged" result they gave):
# a long-lived server's clock-ins skip the full check while neither tree has moved.
_VERIFIED: dict[tuple[str, str, str], tuple[tuple[Fingerprint, Fingerprint], InjectResult]] = {}
_VERIFIED_LOCK = threading.Lock()
_VALIDATED: set[str] = set()  # fingerprints of hub contents this process already validated


def _validate_once(snapshot: HubSnapshot) -> None:
    """Validate a hub; identical content validated earlier in this process is not re-parsed."""
    fingerprint = hashlib.sha256(
        json.dumps([snapshot.version, sorted(snapshot.digests.items())]).encode()
    ).hexdigest()
    if fingerprint not in _VALIDATED:
        validate_snapshot(snapshot)
        _VALIDATED.add(fingerprint)


def _result(
    target: Path, snapshot: HubSnapshot, before: GovernanceStatus, action: InjectAction
) -> InjectResult:
    healed = sorted({*before.changed, *before.added, *before.missing}) if before.present else []
    return InjectResult(
        path=str(target),
        hub=str(snapshot.path),
        hub_source=snapshot.source,
        version=snapshot.version,
        previous_version=before.version,
        action=action,
        files=len(snapshot.files),
        healed=healed if action != "unchanged" else [],
        changed=before.changed if before.present else [],
        added=before.added if before.present else [],
        missing=before.missing if before.present else [],
    )


def _check_target(target: Path, hub_path: Path) -> None:
    if target.is_symlink():
        raise PathRejectedError(
            f"{target} is a symbolic link; tmws refuses to inject governance through a link",
            hint=f"remove the link (rm {HESTAI_SYS}) and run tmws inject again",
        )
    if target.exists() and not target.is_dir():
        raise PathRejectedError(
            f"{target} exists but is not a folder",
            hint="move it away and run tmws inject again",
        )
    if hub_path == target or target in hub_path.parents:
        raise UsageError(
            f"the governance hub {hub_path} is inside {HESTAI_SYS}; a hub cannot be its own copy",
            hint="point the hub setting or TMWS_HUB at the original hub folder",
        )


@contextlib.contextmanager
def _governance_lock(project: Project) -> Iterator[None]:
    timeout = load_settings(project).lock_timeout_seconds
    with contextlib.ExitStack() as stack:
        try:
            lock = StewardLock(project.state_dir / LOCK_NAME, timeout=timeout)
            stack.enter_context(lock.hold("inject governance"))
        except OSError as exc:
            raise TmwsError(
                f"cannot take the governance lock in {project.state_dir}: {exc.strerror or exc}",
                hint="make the git directory writable",
            ) from exc
        yield


__all__ = ["InjectResult", "inject"]
