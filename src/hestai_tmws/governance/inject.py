"""Put a governance hub into `.hestai-sys/` read-only, verify it, and heal any tampering.

The tree is built in a temporary sibling folder and swapped in by rename (an atomic exchange
where the kernel offers one), so a reader sees the old tree or the new one, never a mix.
`.version` and `.manifest.json` (sha256 per file) make "is it intact and current?" cheap.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from hestai_tmws.errors import PathRejectedError, TmwsError, UsageError
from hestai_tmws.findings import Finding
from hestai_tmws.governance.hub import (
    HubLocation,
    HubSnapshot,
    locate_hub,
    read_hub,
    validate_snapshot,
)
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
LOCK_NAME = "governance.lock"

InjectAction = Literal["created", "updated", "healed", "rebuilt", "unchanged"]


class GovernanceStatus(BaseModel):
    """What is in `.hestai-sys/` compared with its manifest and with the hub. Read-only."""

    path: str
    present: bool
    version: str | None = None  # installed (.version)
    hub: str | None = None
    hub_version: str | None = None
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


# -- inspecting ---------------------------------------------------------------------------------


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


def _inspect(target: Path, snapshot: HubSnapshot | None) -> GovernanceStatus:
    """Compare `.hestai-sys/` with its own manifest (tampering) and with the hub (currency)."""
    status = GovernanceStatus(path=str(target), present=False)
    if snapshot is not None:
        status.hub, status.hub_version = str(snapshot.path), snapshot.version
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
        snapshot = read_hub(_location(project, hub))
    except TmwsError as exc:
        error = f"governance hub unavailable: {exc.message}"
    status = _inspect(project.hestai_sys, snapshot)
    if error is not None:
        status.error = status.error or error
        status.ok = False
    return status


# -- injecting ----------------------------------------------------------------------------------


def inject(project: Project, *, hub: Path | None = None, force: bool = False) -> InjectResult:
    """Make `.hestai-sys/` an exact, read-only copy of the hub; a fast no-op when it already is.

    A malformed hub raises before anything is touched; a tampered tree is rebuilt whole.
    """
    location = _location(project, hub)
    target = project.hestai_sys
    _check_target(target, location.path)
    snapshot = read_hub(location)
    before = _inspect(target, snapshot)
    if before.ok and not force:
        return _result(target, snapshot, before, "unchanged")
    _validate_once(snapshot)  # before touching anything
    with _governance_lock(project):
        _check_target(target, location.path)
        before = _inspect(target, snapshot)  # another process may have done it meanwhile
        if before.ok and not force:
            return _result(target, snapshot, before, "unchanged")
        swept = _sweep_leftovers(project.root)
        _build_and_swap(project.root, target, snapshot)
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
    return result


_VALIDATED: set[str] = set()  # fingerprints of hub contents this process already validated


def _validate_once(snapshot: HubSnapshot) -> None:
    """Validate a hub; identical content validated earlier in this process is not re-parsed."""
    fingerprint = hashlib.sha256(
        json.dumps([snapshot.version, sorted(snapshot.digests.items())]).encode()
    ).hexdigest()
    if fingerprint not in _VALIDATED:
        validate_snapshot(snapshot)
        _VALIDATED.add(fingerprint)


def _location(project: Project, hub: Path | None) -> HubLocation:
    if hub is not None:
        return HubLocation(path=Path(hub).expanduser().resolve(), source="argument")
    return locate_hub(project)


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
    from hestai_tmws.config import load_settings
    from hestai_tmws.steward.lock import StewardLock

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


def _build_and_swap(root: Path, target: Path, snapshot: HubSnapshot) -> None:
    try:
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))
    except OSError as exc:
        raise TmwsError(
            f"cannot write {HESTAI_SYS} in {root}: {exc.strerror or exc}",
            hint="make the project folder writable, then run tmws inject",
        ) from exc
    try:
        _write_tree(tmp, snapshot)
        _seal(tmp)
        _swap(tmp, target, root)
    except BaseException:
        _remove_tree(tmp)
        raise


def _write_tree(tmp: Path, snapshot: HubSnapshot) -> None:
    made: set[Path] = set()
    for rel, data in snapshot.files.items():
        path = tmp / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "xb") as fh:
            fh.write(data)
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": snapshot.version,
        "algorithm": "sha256",
        "hub_source": snapshot.source,
        "files": dict(sorted(snapshot.digests.items())),
    }
    (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (tmp / SYS_VERSION_FILE).write_text(snapshot.version + "\n", encoding="utf-8")


def _seal(tmp: Path) -> None:
    """Files 0o444, folders 0o555, deepest first (the top folder last)."""
    for dirpath, _dirnames, filenames in os.walk(tmp, topdown=False):
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), FILE_MODE)
        os.chmod(dirpath, DIR_MODE)


def _swap(tmp: Path, target: Path, root: Path) -> None:
    """Put `tmp` at `target`: plain rename, else atomic exchange, else two renames."""
    try:
        if not os.path.lexists(target):
            try:
                os.rename(tmp, target)
                return
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
        if _exchange(tmp, target):
            _remove_tree(tmp)  # tmp now holds the old tree
            return
        old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=root))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(tmp, target)
        except OSError:
            os.rename(old, target)
            raise
        _remove_tree(old)
    except OSError as exc:
        raise TmwsError(
            f"cannot replace {target}: {exc.strerror or exc}",
            hint="make the project folder writable, then run tmws inject",
        ) from exc


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: Callable[..., int] | bool | None = False  # False: not looked up yet


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    global _renameat2
    if _renameat2 is False:
        _renameat2 = None
        if sys.platform.startswith("linux"):
            try:
                fn = ctypes.CDLL(None, use_errno=True).renameat2
                fn.argtypes = [
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_uint,
                ]
                fn.restype = ctypes.c_int
                _renameat2 = fn
            except (OSError, AttributeError):
                _renameat2 = None
    if not callable(_renameat2):
        return False
    rc = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove_tree(path: Path) -> None:
    """Delete a sealed tree: give folders back write permission first (links never followed)."""
    if not os.path.lexists(path):
        return
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
        return
    for dirpath, dirnames, _filenames in os.walk(path):
        with contextlib.suppress(OSError):
            os.chmod(dirpath, 0o700)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    shutil.rmtree(path, ignore_errors=True)


def _sweep_leftovers(root: Path) -> list[str]:
    """Remove temp and old trees of injects that crashed (only ever called under the lock)."""
    swept: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return swept
    for entry in entries:
        if entry.name.startswith((TMP_PREFIX, OLD_PREFIX)) and entry.is_dir(follow_symlinks=False):
            _remove_tree(Path(entry.path))
            swept.append(entry.name)
    return sorted(swept)


__all__ = [
    "MANIFEST_FILE",
    "SYS_VERSION_FILE",
    "GovernanceStatus",
    "InjectResult",
    "inject",
    "verify_governance",
]
