"""Is `.hestai-sys/` intact and current? The checks themselves, in the standard library only.

`.version` and `.manifest.json` (sha256 per file) make the answer cheap; a digest cache keyed
by inode and ctime means an untouched tree is not re-read on every call. The pydantic view
(`governance.status`) and the typer-free `tmws status` both read these facts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from hestai_tmws.layout import HESTAI_SYS

SYS_VERSION_FILE = ".version"
MANIFEST_FILE = ".manifest.json"
META_FILES = (SYS_VERSION_FILE, MANIFEST_FILE)


class HubFacts:
    """The parts of a hub a tree is compared with: where it is, its version and digests.

    Plain classes, not dataclasses: `dataclasses` imports `inspect`, a start-up's worth.
    """

    __slots__ = ("digests", "path", "source", "version")

    def __init__(self, path: str, source: str, version: str, digests: dict[str, str]) -> None:
        self.path = path
        self.source = source
        self.version = version
        self.digests = digests


class TreeFacts:
    """What is in `.hestai-sys/` compared with its manifest and with the hub."""

    def __init__(
        self,
        path: str,
        present: bool,
        version: str | None = None,
        hub: str | None = None,
        hub_version: str | None = None,
        hub_source: str | None = None,
        current: bool = False,
        ok: bool = False,
        changed: list[str] | None = None,
        added: list[str] | None = None,
        missing: list[str] | None = None,
        error: str | None = None,
    ) -> None:
        self.path = path
        self.present = present
        self.version = version
        self.hub = hub
        self.hub_version = hub_version
        self.hub_source = hub_source
        self.current = current
        self.ok = ok
        self.changed = changed or []
        self.added = added or []
        self.missing = missing or []
        self.error = error

    @property
    def tampered(self) -> bool:
        return bool(self.changed or self.added or self.missing)

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


def problems(facts: TreeFacts) -> list[tuple[str, str, str]]:
    """(code, path, message) of every problem, for findings, dashboards and CLI output."""
    base = HESTAI_SYS
    out: list[tuple[str, str, str]] = []
    if facts.error:
        out.append(("GOV_ERROR", base, facts.error))
    if not facts.present:
        if not facts.error:
            out.append(("GOV_MISSING", base, f"{base}/ is missing; run tmws inject"))
        return out
    for kind, paths in (
        ("changed", facts.changed),
        ("added", facts.added),
        ("missing", facts.missing),
    ):
        out.extend(("GOV_TAMPERED", f"{base}/{p}", f"{base}/{p} was {kind}") for p in paths)
    if not facts.current and facts.hub_version is not None and not facts.error:
        out.append(
            (
                "GOV_OUTDATED",
                base,
                f"{base}/ ({facts.version or 'unknown'}) differs from the hub "
                f"({facts.hub_version}); run tmws inject",
            )
        )
    return out


# (path, device, inode, size, mtime_ns, ctime_ns, mode) → digest. ctime moves on every
# write, chmod or rename and cannot be set back from user space, so a hit is the same file.
_DIGESTS: dict[tuple[str, int, int, int, int, int, int], str] = {}


def digest_file(path: Path) -> str:
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


def scan(target: Path) -> dict[str, str]:
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
                found[rel] = digest_file(here / name)
    return found


def read_meta(target: Path) -> tuple[str | None, dict[str, str] | None, str | None]:
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


def inspect(target: Path, hub: HubFacts | None) -> TreeFacts:
    """Compare `.hestai-sys/` with its own manifest (tampering) and with the hub (currency)."""
    facts = TreeFacts(path=str(target), present=False)
    if hub is not None:
        facts.hub, facts.hub_version, facts.hub_source = hub.path, hub.version, hub.source
    if target.is_symlink():
        facts.present = True
        facts.error = f"{HESTAI_SYS} is a symbolic link; tmws refuses to use it"
        return facts
    if not target.is_dir():
        if target.exists():
            facts.present = True
            facts.error = f"{HESTAI_SYS} exists but is not a folder"
        elif hub is not None:
            facts.missing = sorted(hub.digests)
        return facts
    facts.present = True
    version, manifest, manifest_version = read_meta(target)
    facts.version = version
    actual = scan(target)
    meta_changed: list[str] = []
    meta_missing: list[str] = []
    if manifest is None:
        # Without a manifest the hub is the only reference for what the files should be.
        reference = hub.digests if hub is not None else {}
        (meta_missing if not (target / MANIFEST_FILE).exists() else meta_changed).append(
            MANIFEST_FILE
        )
    else:
        reference = manifest
    expected_version = (
        manifest_version if manifest is not None else (hub.version if hub is not None else None)
    )
    if version is None:
        meta_missing.append(SYS_VERSION_FILE)
    elif expected_version is not None and version != expected_version:
        meta_changed.append(SYS_VERSION_FILE)
    meta_changed += [m for m in META_FILES if (target / m).is_symlink() and m not in meta_changed]
    changed, added, missing = _diff(reference, actual)
    facts.changed = sorted(changed + meta_changed)
    facts.added = added
    facts.missing = sorted(missing + meta_missing)
    if hub is not None:
        facts.current = (
            manifest is not None
            and manifest == hub.digests
            and manifest_version == hub.version
            and version == hub.version
        )
    facts.ok = facts.current and not facts.tampered and facts.error is None
    return facts


def check(target: Path, hub: HubFacts | None, hub_error: str | None) -> TreeFacts:
    """`inspect`, with a hub that could not be read reported as the tree's error."""
    facts = inspect(target, hub)
    if hub_error is not None:
        facts.error = facts.error or f"governance hub unavailable: {hub_error}"
        facts.ok = False
    return facts
