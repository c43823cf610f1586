"""Swapping a new `.hestai-sys/` tree in: build it sealed beside the old one, then exchange.

The tree is built in a temporary sibling folder and swapped in by rename (an atomic exchange
where the kernel offers one), so a reader sees the old tree or the new one, never a mix.
Leftovers of a crashed swap are swept on the next inject.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from hestai_tmws.errors import TmwsError
from hestai_tmws.governance.hub import HubSnapshot
from hestai_tmws.governance.status import (
    DIR_MODE,
    FILE_MODE,
    MANIFEST_FILE,
    MANIFEST_FORMAT,
    OLD_PREFIX,
    SYS_VERSION_FILE,
    TMP_PREFIX,
)
from hestai_tmws.layout import HESTAI_SYS


def build_and_swap(root: Path, target: Path, snapshot: HubSnapshot) -> None:
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
        remove_tree(tmp)
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
            remove_tree(tmp)  # tmp now holds the old tree
            return
        old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=root))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(tmp, target)
        except OSError:
            os.rename(old, target)
            raise
        remove_tree(old)
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


def remove_tree(path: Path) -> None:
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


def sweep_leftovers(root: Path) -> list[str]:
    """Remove temp and old trees of injects that crashed (only ever called under the lock)."""
    swept: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return swept
    for entry in entries:
        if entry.name.startswith((TMP_PREFIX, OLD_PREFIX)) and entry.is_dir(follow_symlinks=False):
            remove_tree(Path(entry.path))
            swept.append(entry.name)
    return sorted(swept)
