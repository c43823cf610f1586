"""Read a governance hub's files and version into memory (standard library only).

`tmws status` and the pydantic hub model (`governance.hub`) share this reader, so the fast
status path and the full one see exactly the same files, digests and errors.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.layout import HUB_VERSION_FILE, bundled_hub_candidates

SKIPPED_NAMES = frozenset({"__pycache__"})
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$")


def decode(data: bytes, display: str) -> str:
    """UTF-8 text of `data`; a ValidationError naming the line where it is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(f"{display}:{line}: not valid UTF-8") from exc


def bundled_hub_dir() -> Path | None:
    """The hub shipped with hestai-tmws (wheel, else source checkout); None when missing."""
    for candidate in map(Path, bundled_hub_candidates()):
        if (candidate / HUB_VERSION_FILE).is_file():
            return candidate
    return None


def read_version(hub: Path) -> str:
    """The hub's VERSION, checked: one short token such as `1.0.0`."""
    version_path = hub / HUB_VERSION_FILE
    if not version_path.is_file():
        raise ValidationError(f"{hub} is not a governance hub: {HUB_VERSION_FILE} is missing")
    text = decode(version_path.read_bytes(), f"{hub.name}/{HUB_VERSION_FILE}").strip()
    if not _VERSION.match(text):
        raise ValidationError(
            f"{hub.name}/{HUB_VERSION_FILE} must hold one version token such as 1.0.0, "
            f"got {text[:40]!r}"
        )
    return text


def read_hub_files(root: Path) -> tuple[str, dict[str, bytes]]:
    """(version, POSIX rel path → content) of a hub; dot-files and caches skipped, links refused."""
    if not root.is_dir():
        raise NotFoundError(f"governance hub {root} is not a folder")
    version = read_version(root)
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not skipped(d))
        here = Path(dirpath)
        for name in dirnames:
            if (here / name).is_symlink():
                raise ValidationError(f"{_rel(root, here / name)} in hub {root} is a symbolic link")
        for name in sorted(filenames):
            if skipped(name):
                continue
            path = here / name
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                raise ValidationError(
                    f"{_rel(root, path)} in hub {root} is not a regular file (links are refused)"
                )
            files[_rel(root, path)] = _read_cached(path)
    return version, files


def digests_of(files: dict[str, bytes]) -> dict[str, str]:
    """sha256 of every file: what a manifest of `.hestai-sys/` records."""
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}


# path → ((inode, size, mtime_ns, ctime_ns), bytes): a long-lived server re-reads the hub
# on every clock-in; an unchanged file (same stat, ctime included) is not read again.
_CONTENT: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}


def _read_cached(path: Path) -> bytes:
    st = path.stat()
    key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    hit = _CONTENT.get(str(path))
    if hit is not None and hit[0] == key:
        return hit[1]
    data = path.read_bytes()
    if len(_CONTENT) > 4096:
        _CONTENT.clear()
    _CONTENT[str(path)] = (key, data)
    return data


def skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_NAMES


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
