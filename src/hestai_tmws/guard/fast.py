"""The hook's fast path: let a clean commit through for a Python start-up and two git calls.

Every `git commit` pays for this, so it imports only os, sys, hmac and marshal (not even `json`:
see `ledger_reader.field`) and spawns git without `subprocess`. It answers one question: is every
staged change under the guarded folders a plain file whose blob the intact ledger holds, or a
deletion the ledger recorded? Yes lets the commit through; anything else is "look closer".
That covers every refusal and everything unusual (a merge, pick, revert or rebase in progress,
a ledger that does not verify, a symlink, a change to `.hestai-sys/`): the full check in
`precommit` then runs, with its messages.

Soundness rule: this module may only say yes when the full check would pass. It reads the same
ledger, accepts a line only when its MAC verifies over the exact bytes it parses, and mirrors
`Ledger.index()` (tests hold both to that). The layout names below mirror `hestai_tmws.project`
(a test keeps them equal) because importing it would cost more than this whole check.
"""

from __future__ import annotations

import os
import sys

from hestai_tmws.guard.areas import EXECUTABLE_MODE, REGULAR_MODE, area
from hestai_tmws.guard.ledger_reader import read_ledger
from hestai_tmws.layout import (
    CACHE_DIR,
    LEDGER_FILE,
    LEDGER_INDEX_FILE,
    LEDGER_KEY_FILE,
    STATE_DIR_NAME,
)

# Files in a work tree's git dir that mean content is arriving from other commits.
INCOMING_MARKERS = (
    "MERGE_HEAD",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "REBASE_HEAD",
    "rebase-merge",
    "rebase-apply",
)


def git_output(*args: str) -> bytes | None:
    """stdout of `git ARGS` (stderr discarded), or None when it fails; no `subprocess` import."""
    read_fd, write_fd = os.pipe()
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        pid = os.posix_spawnp(
            "git",
            ["git", *args],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, write_fd, 1),
                (os.POSIX_SPAWN_DUP2, devnull, 2),
                (os.POSIX_SPAWN_CLOSE, read_fd),
            ],
        )
    except OSError:
        os.close(read_fd)
        return None
    finally:
        os.close(write_fd)
        os.close(devnull)
    chunks: list[bytes] = []
    try:
        while chunk := os.read(read_fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    return b"".join(chunks) if os.waitstatus_to_exitcode(status) == 0 else None


def quick_verdict(cwd: str | None = None) -> bool:
    """True only when the staged commit certainly passes the guard; False means "look closer"."""
    here = cwd or os.getcwd()
    out = git_output(
        "-C", here, "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir",
        "--git-common-dir",
    )  # fmt: skip
    if out is None:
        return False
    parts = out.decode("utf-8", "surrogateescape").split("\n")
    if len(parts) < 3 or not parts[0]:
        return False
    root, git_dir, common_dir = parts[0], parts[1], parts[2]
    raw = git_output(
        "-C", root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames"
    )  # fmt: skip
    if raw is None:
        return False
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    pending: list[tuple[str, str, str, str, str]] = []  # status, old_mode, old, new, path
    i = 0
    while i < len(fields):
        head = fields[i]
        if not head:
            i += 1
            continue
        if not head.startswith(":") or i + 1 >= len(fields):
            return False
        meta = head[1:].split(" ")
        if len(meta) != 5:
            return False
        old_mode, new_mode, old_blob, new_blob, status = meta
        path = fields[i + 1]
        i += 2
        kind = area(path)
        if kind is None:
            continue
        if kind != "memory" or status[:1] not in ("A", "M", "D"):
            return False
        if status != "D" and new_mode != REGULAR_MODE:
            return False
        pending.append((status, old_mode, old_blob, new_blob, path))
    if not pending:
        return True
    if any(os.path.exists(os.path.join(git_dir, m)) for m in INCOMING_MARKERS):
        return False
    state = os.path.join(common_dir, STATE_DIR_NAME)
    index = read_ledger(
        os.path.join(state, LEDGER_FILE),
        os.path.join(state, LEDGER_KEY_FILE),
        os.path.join(state, CACHE_DIR, LEDGER_INDEX_FILE),
    )
    if index is None:
        return False
    blobs, last_op = index
    for status, old_mode, old_blob, new_blob, path in pending:
        if status == "D":
            if last_op.get(path) != "delete":
                return False
        elif new_blob not in blobs.get(path, ()) and not (
            status == "M" and old_blob == new_blob and old_mode in (REGULAR_MODE, EXECUTABLE_MODE)
        ):
            return False
    return True


def main(cwd: str | None = None) -> int:
    """0 when the fast path accepts; otherwise the full check decides (and explains)."""
    if quick_verdict(cwd):
        return 0
    from hestai_tmws.guard.precommit import hook_main  # lazy: only a commit that needs a look

    return hook_main(cwd)


if __name__ == "__main__":  # pragma: no cover - `python -m hestai_tmws.guard` is the entry
    sys.exit(main())
