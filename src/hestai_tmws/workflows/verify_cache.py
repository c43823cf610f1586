"""Warm `tmws verify`: the last clean report, reused only while every input is unchanged.

A fingerprint hashes everything a verify run reads — every `.hestai/` file (plus crash
leftovers in active sessions), the bytes of `.hestai-sys/` and the located hub, the settings
file and `TMWS_*`/`GIT_*` environment, git's attribute and config files, HEAD (which fixes
the history the provenance proof walks), the index as `git ls-files -s` lists it, and the
tmws code itself (version and the stat of its source files). When a previous run was clean
for the same fingerprint, its rendered output is printed again; any change means a full run.

`.hestai/` files count by their stat (size, inode, mode, mtime and ctime in ns), as git's
index does, so a warm run with 10,000 archives reads none of them. A write always moves a
file's ctime to the time of the write, and nothing can set ctime back; but timestamps are
coarse (a clock tick), so two writes in one tick can leave the stat as it was. As git does
for its "racily clean" entries, a file whose timestamps are not older than a cutoff taken
before the run (`racy_cutoff`) counts by its bytes as well. A write after the cutoff lands
at or after it, and so is always seen; the cutoff is kept with the entry, so a later check
feeds every file exactly as the run that stored it did.

Only clean reports are kept, so a cache can at worst repeat an "ok" that was true for
exactly these inputs. The cache lives under `<git-common-dir>/hestai-tmws/cache/` (never the
work tree, so a fresh clone has none and CI always runs in full); each entry carries a MAC
under the ledger key, and anything unreadable, foreign or forged is ignored and rebuilt.
Writes go to a temp file renamed into place, so concurrent runs never see a torn file.

This module imports only the standard library and `layout`: the warm path must cost a
few Python start-ups, not typer, rich and pydantic.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.util
import json
import os
import stat
import time
from collections.abc import Iterable

from hestai_tmws import __version__
from hestai_tmws.guard.fast import git_output
from hestai_tmws.layout import (
    CACHE_DIR,
    CONFIG_FILE,
    HESTAI,
    HESTAI_SYS,
    LEDGER_KEY_FILE,
    SESSIONS_ACTIVE,
    STATE_DIR_NAME,
    bundled_hub_candidates,
)

FORMAT = 2  # 2: `.hestai/` files by stat, with a racy cutoff
CACHE_NAME = "verify-report.json"
MAX_ENTRIES = 16  # work trees of one clone sharing the cache
TEMP_PREFIX = ".tmws-tmp-"  # steward.atomic.TEMP_PREFIX (a test keeps them equal)
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_IGNORED_ENV = frozenset({"TMWS_SESSION_ID"})  # names the session in records; verify ignores it
# Files written this close to the start of a run count by their bytes: far more than a clock
# tick of any file system, and than the skew between the clock here and the file system's.
RACY_MARGIN_NS = 2_000_000_000


class Repo:
    """The few facts of the repository the warm path needs, from one `git rev-parse`."""

    def __init__(self, root: str, git_dir: str, common_dir: str, head: str) -> None:
        self.root, self.git_dir, self.common_dir, self.head = root, git_dir, common_dir, head

    @classmethod
    def find(cls, start: str | None = None) -> Repo | None:
        """The repository at `start` (default $TMWS_PROJECT or the current folder), or None
        when git cannot say (not a repository, no commit yet)."""
        where = start or os.environ.get("TMWS_PROJECT") or os.getcwd()
        out = git_output(
            "-C",
            where,
            "rev-parse",
            "--path-format=absolute",
            "--show-toplevel",
            "--git-dir",
            "--git-common-dir",
            "--verify",
            "-q",
            "HEAD",
        )
        lines = out.decode("utf-8", "surrogateescape").splitlines() if out else []
        if len(lines) != 4:
            return None
        root, git_dir, common, head = lines
        return cls(os.path.realpath(root), git_dir, os.path.realpath(common), head)

    @property
    def cache_file(self) -> str:
        return os.path.join(self.common_dir, STATE_DIR_NAME, CACHE_DIR, CACHE_NAME)


def _walk(top: str, skip: str | None = None) -> Iterable[tuple[str, os.stat_result]]:
    """(path, lstat) of every entry under `top`, sorted; below `skip` only temp files;
    bytecode caches left out (Python rewrites them; they are not inputs)."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            yield entry.path, info
            if entry.path == skip:
                for path, sub in _walk(entry.path):
                    if os.path.basename(path).startswith(TEMP_PREFIX):
                        yield path, sub
                continue
            yield from _walk(entry.path, skip)
        else:
            yield entry.path, info


def _feed_tree(
    h: hashlib._Hash,
    top: str,
    *,
    contents: bool,
    skip: str | None = None,
    racy_from: int | None = None,
) -> None:
    """Each entry's name and kind, and its bytes (`contents`) or its stat; with `racy_from`,
    its stat, plus its bytes when a timestamp is at or after `racy_from` (ns)."""
    try:
        info = os.lstat(top)
    except OSError:
        h.update(b"absent\0" + top.encode("utf-8", "surrogateescape") + b"\0")
        return
    h.update(f"top\0{top}\0{info.st_mode}\0".encode("utf-8", "surrogateescape"))
    if not stat.S_ISDIR(info.st_mode):
        return
    cut = len(top) + 1
    for path, sub in _walk(top, skip):
        rel = path[cut:]  # _walk joins names onto `top`: cheaper than os.path.relpath
        h.update(f"{rel}\0{sub.st_mode}\0".encode("utf-8", "surrogateescape"))
        if stat.S_ISLNK(sub.st_mode):
            with contextlib.suppress(OSError):
                h.update(os.readlink(path).encode("utf-8", "surrogateescape"))
        elif stat.S_ISREG(sub.st_mode):
            if contents:
                _feed_file(h, path)
            else:
                h.update(f"{sub.st_size}:{sub.st_mtime_ns}:{sub.st_ctime_ns}:{sub.st_ino}".encode())
                if racy_from is not None and max(sub.st_mtime_ns, sub.st_ctime_ns) >= racy_from:
                    _feed_file(h, path)
        h.update(b"\0")


def _feed_file(h: hashlib._Hash, path: str) -> None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        h.update(b"\1unreadable\0")
        return
    h.update(b"%d\0" % len(data))
    h.update(data)


def _git_files(repo: Repo) -> list[str]:
    """Files git reads for attributes and configuration (their bytes count, present or not)."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    return [
        os.path.join(repo.root, ".gitattributes"),
        os.path.join(repo.common_dir, "info", "attributes"),
        os.path.join(repo.common_dir, "config"),
        os.path.join(repo.git_dir, "config.worktree"),
        os.path.join(repo.common_dir, "shallow"),
        os.path.join(home, ".gitconfig"),
        os.path.join(xdg, "git", "config"),
        os.path.join(xdg, "git", "attributes"),
    ]


def racy_cutoff(repo: Repo) -> int:
    """The cutoff (ns) for a run starting now: `RACY_MARGIN_NS` before the earlier of this
    clock and the file system's (the ctime of a probe written in the cache folder)."""
    now = time.time_ns()
    probe = os.path.join(os.path.dirname(repo.cache_file), f"{TEMP_PREFIX}probe-{os.getpid()}")
    try:
        os.makedirs(os.path.dirname(probe), exist_ok=True)
        with open(probe, "wb"):
            pass
        now = min(now, os.lstat(probe).st_ctime_ns)
        os.unlink(probe)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return now - RACY_MARGIN_NS


def fingerprint(repo: Repo, hubs: Iterable[str] = (), racy_from: int = 0) -> str | None:
    """The hash of every input of a verify run of `repo`; `hubs` are the hub folders the last
    full run located (their files count too); `.hestai/` files at or after `racy_from` (see
    `racy_cutoff`; 0: all) count by their bytes. None when the index cannot be listed."""
    listing = git_output("-C", repo.root, "ls-files", "-s", "-z")
    if listing is None:
        return None
    h = hashlib.sha256()
    h.update(f"tmws {__version__}\0format {FORMAT}\0{repo.root}\0{repo.head}\0".encode())
    h.update(f"racy {racy_from}\0".encode())
    for name in sorted(os.environ):
        if (name.startswith(("TMWS_", "GIT_")) and name not in _IGNORED_ENV) or name == "HOME":
            h.update(f"{name}={os.environ[name]}\0".encode("utf-8", "surrogateescape"))
    h.update(b"index\0")
    h.update(hashlib.sha256(listing).digest())
    hestai = os.path.join(repo.root, HESTAI)
    active = os.path.join(hestai, SESSIONS_ACTIVE)
    _feed_tree(h, hestai, contents=False, skip=active, racy_from=racy_from)
    _feed_tree(h, os.path.join(repo.root, HESTAI_SYS), contents=True)
    for hub in sorted({*bundled_hub_candidates(), *hubs}):
        _feed_tree(h, hub, contents=True)
    for path in [os.path.join(repo.root, CONFIG_FILE), *_git_files(repo)]:
        h.update(f"file\0{path}\0".encode("utf-8", "surrogateescape"))
        _feed_file(h, path)
    h.update(code_fingerprint().encode())  # the checks themselves (an edited checkout)
    return h.hexdigest()


def code_fingerprint() -> str:
    """tmws's version and the stat of its source files and of the secret detectors' library:
    results of other code never count."""
    h = hashlib.sha256(f"tmws {__version__}\0format {FORMAT}\0".encode())
    _feed_tree(h, _PACKAGE_DIR, contents=False)
    spec = importlib.util.find_spec("detect_secrets")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        _feed_tree(h, folder, contents=False)
    return h.hexdigest()


# -- the cache file -------------------------------------------------------------------------------


def mac(common_dir: str, body: bytes) -> str:
    """MAC of `body` under the ledger key (a fixed key without one): an entry nobody with the
    key wrote is not used."""
    try:
        with open(os.path.join(common_dir, STATE_DIR_NAME, LEDGER_KEY_FILE), "rb") as fh:
            key = fh.read()
    except OSError:
        key = b""
    return hmac.new(key or b"tmws-verify", body, hashlib.sha256).hexdigest()


def _mac(repo: Repo, fp: str, outputs: dict[str, str], hubs: list[str], racy_from: int) -> str:
    body = json.dumps([FORMAT, repo.root, fp, outputs, hubs, racy_from], sort_keys=True).encode()
    return mac(repo.common_dir, body)


def _load(repo: Repo) -> dict[str, dict[str, object]]:
    try:
        with open(repo.cache_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _entry(repo: Repo) -> tuple[list[str], dict[str, str], str, str, int] | None:
    """(hub folders, outputs, fingerprint, mac, racy cutoff) of this work tree's entry, when
    well formed."""
    entry = _load(repo).get(repo.root)
    if not isinstance(entry, dict):
        return None
    hubs, outputs = entry.get("hubs"), entry.get("outputs")
    fp, tag, racy_from = entry.get("fingerprint"), entry.get("mac"), entry.get("racy_from")
    if not (isinstance(racy_from, int) and not isinstance(racy_from, bool)):
        return None
    if not (isinstance(hubs, list) and all(isinstance(h, str) for h in hubs)):
        return None
    if not (isinstance(outputs, dict) and all(isinstance(v, str) for v in outputs.values())):
        return None
    if not (isinstance(fp, str) and isinstance(tag, str)):
        return None
    return hubs, outputs, fp, tag, racy_from


def cached_output(repo: Repo, kind: str) -> str | None:
    """The stored `kind` output ("json", "plain", "tty") of the last clean run, if every
    input is still as it was then; None means: run verify in full."""
    entry = _entry(repo)
    if entry is None:
        return None
    hubs, outputs, fp, tag, racy_from = entry
    expected = _mac(repo, fp, outputs, hubs, racy_from).encode()
    if kind not in outputs or not hmac.compare_digest(tag.encode("utf-8", "replace"), expected):
        return None
    if fingerprint(repo, hubs, racy_from) != fp:
        return None
    return outputs[kind]


def store(repo: Repo, fp: str, outputs: dict[str, str], hubs: list[str], racy_from: int) -> None:
    """Keep the outputs of a clean run under `fp`, taken with the cutoff `racy_from` (best
    effort: a cache never fails verify)."""
    entries = _load(repo)
    entries.pop(repo.root, None)
    while len(entries) >= MAX_ENTRIES:
        entries.pop(next(iter(entries)))
    entries[repo.root] = {
        "fingerprint": fp,
        "hubs": hubs,
        "outputs": outputs,
        "racy_from": racy_from,
        "mac": _mac(repo, fp, outputs, hubs, racy_from),
    }
    replace_file(repo.cache_file, json.dumps({"format": FORMAT, "entries": entries}).encode())


def replace_file(target: str, data: bytes) -> None:
    """Write `data` to a temp file and rename it over `target` (no reader sees it torn);
    failures are swallowed: a cache never fails verify."""
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
