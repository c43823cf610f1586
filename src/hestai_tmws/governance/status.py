"""Is `.hestai-sys/` intact and current? Compared with its manifest and with the hub, read-only.

`.version` and `.manifest.json` (sha256 per file) make the answer cheap; a digest cache keyed
by inode and ctime means an untouched tree is not re-read on every call.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from pydantic import BaseModel, Field, computed_field

from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.governance.hub import HubSnapshot, read_hub
from hestai_tmws.governance.locate import HubLocation, locate_hub
from hestai_tmws.layout import HESTAI_SYS
from hestai_tmws.project import Project

SYS_VERSION_FILE = ".version"
MANIFEST_FILE = ".manifest.json"
MANIFEST_FORMAT = 1
META_FILES = (SYS_VERSION_FILE, MANIFEST_FILE)
TMP_PREFIX = HESTAI_SYS + ".tmp-"
OLD_PREFIX = HESTAI_SYS + ".old-"
FILE_MODE = 0o444
DIR_MODE = 0o555


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
        return bool(self.changed or self.added or self.missing)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outdated(self) -> bool:
        """Intact, but the hub holds another version: an update to inject, not tampering."""
        return (
            self.present
            and not self.tampered
            and not self.current
            and self.hub_version is not None
            and self.error is None
        )

    def problems(self) -> list[str]:
        """One line per problem, for dashboards and CLI output."""
        return [f.message for f in self.findings()]

    def findings(self) -> list[Finding]:
        base = HESTAI_SYS
        out: list[Finding] = []
        if self.error:
            out.append(Finding(code="GOV_ERROR", path=base, message=self.error))
        if not self.present:
            if not self.error:
                out.append(
                    Finding(
                        code="GOV_MISSING",
                        path=base,
                        message=f"{base}/ is missing; run tmws inject",
                    )
                )
            return out
        for kind, paths in (
            ("changed", self.changed),
            ("added", self.added),
            ("missing", self.missing),
        ):
            out.extend(
                Finding(code="GOV_TAMPERED", path=f"{base}/{p}", message=f"{base}/{p} was {kind}")
                for p in paths
            )
        if not self.current and self.hub_version is not None and not self.error:
            out.append(
                Finding(
                    code="GOV_OUTDATED",
                    path=base,
                    message=f"{base}/ ({self.version or 'unknown'}) differs from the hub "
                    f"({self.hub_version}); run tmws inject",
                )
            )
        return out


def hub_location(project: Project, hub: Path | None) -> HubLocation:
    if hub is not None:
        return HubLocation(path=Path(hub).expanduser().resolve(), source="argument")
    return locate_hub(project)


# (path, device, inode, size, mtime_ns, ctime_ns, mode) → digest. ctime moves on every
# write, chmod or rename and cannot be set back from user space, so a hit is the same file.
_DIGESTS: dict[tuple[str, int, int, int, int, int, int], str] = {}


def _digest_file(path: Path) -> str:
    """sha256 of a regular file (cached by its stat), without following links."""
    try:
        st = os.lstat(path)
    except OSError:
        return "!unreadable"
    key = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)
    cached = _DIGESTS.get(key)
    if cached is not None:
        return cached
    digest = _hash_file(path)
    if not digest.startswith("!") or digest.startswith("!writable:"):
        if len(_DIGESTS) > 4096:
            _DIGESTS.clear()
        _DIGESTS[key] = digest
    return digest


def _hash_file(path: Path) -> str:
    """sha256 of a regular file, without following links; a marker for anything else."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)  # non-blocking: a planted FIFO must not hang us
    except OSError:
        return "!unreadable"
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return "!not-a-file"
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 16):
            h.update(chunk)
        # A file made writable again no longer matches: sealing is part of the contract.
        return h.hexdigest() if not mode & 0o222 else "!writable:" + h.hexdigest()
    finally:
        os.close(fd)


def _scan(target: Path) -> dict[str, str]:
    """Every entry under `target` except the two meta files: rel path → digest or marker."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(target):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():  # a linked folder is reported, never followed
                dirnames.remove(name)
                found[(here / name).relative_to(target).as_posix()] = "!link"
        for name in filenames:
            rel = (here / name).relative_to(target).as_posix()
            if rel not in META_FILES:
                found[rel] = _digest_file(here / name)
    return found


def _read_meta(target: Path) -> tuple[str | None, dict[str, str] | None, str | None]:
    """(.version text, manifest files, manifest version); None where absent or unreadable."""
    version: str | None = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        version = (target / SYS_VERSION_FILE).read_text(encoding="utf-8").strip()
    files: dict[str, str] | None = None
    manifest_version: str | None = None
    try:
        data = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
        raw = data.get("files") if isinstance(data, dict) else None
        if isinstance(raw, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            files = dict(raw)
            mv = data.get("version")
            manifest_version = mv if isinstance(mv, str) else None
    except (OSError, ValueError):
        pass
    return version, files, manifest_version


def _diff(
    expected: dict[str, str], actual: dict[str, str]
) -> tuple[list[str], list[str], list[str]]:
    changed = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    added = sorted(actual.keys() - expected.keys())
    missing = sorted(expected.keys() - actual.keys())
    return changed, added, missing


def inspect_tree(target: Path, snapshot: HubSnapshot | None) -> GovernanceStatus:
    """Compare `.hestai-sys/` with its own manifest (tampering) and with the hub (currency)."""
    status = GovernanceStatus(path=str(target), present=False)
    if snapshot is not None:
        status.hub, status.hub_version = str(snapshot.path), snapshot.version
        status.hub_source = snapshot.source
    if target.is_symlink():
        status.present = True
        status.error = f"{HESTAI_SYS} is a symbolic link; tmws refuses to use it"
        return status
    if not target.is_dir():
        if target.exists():
            status.present = True
            status.error = f"{HESTAI_SYS} exists but is not a folder"
        elif snapshot is not None:
            status.missing = sorted(snapshot.digests)
        return status
    status.present = True
    version, manifest, manifest_version = _read_meta(target)
    status.version = version
    actual = _scan(target)
    meta_changed: list[str] = []
    meta_missing: list[str] = []
    if manifest is None:
        # Without a manifest the hub is the only reference for what the files should be.
        reference = snapshot.digests if snapshot is not None else {}
        (meta_missing if not (target / MANIFEST_FILE).exists() else meta_changed).append(
            MANIFEST_FILE
        )
    else:
        reference = manifest
    expected_version = (
        manifest_version
        if manifest is not None
        else (snapshot.version if snapshot is not None else None)
    )
    if version is None:
        meta_missing.append(SYS_VERSION_FILE)
    elif expected_version is not None and version != expected_version:
        meta_changed.append(SYS_VERSION_FILE)
    meta_changed += [m for m in META_FILES if (target / m).is_symlink() and m not in meta_changed]
    changed, added, missing = _diff(reference, actual)
    status.changed = sorted(changed + meta_changed)
    status.added = added
    status.missing = sorted(missing + meta_missing)
    if snapshot is not None:
        status.current = (
            manifest is not None
            and manifest == snapshot.digests
            and manifest_version == snapshot.version
            and version == snapshot.version
        )
    status.ok = status.current and not status.tampered and status.error is None
    return status


def verify_governance(project: Project, *, hub: Path | None = None) -> GovernanceStatus:
    """Is `.hestai-sys/` intact and current? Changes nothing; hub problems are reported."""
    snapshot: HubSnapshot | None = None
    error: str | None = None
    try:
        snapshot = read_hub(hub_location(project, hub))
    except TmwsError as exc:
        error = f"governance hub unavailable: {exc.message}"
    status = inspect_tree(project.hestai_sys, snapshot)
    if error is not None:
        status.error = status.error or error
        status.ok = False
    return status
