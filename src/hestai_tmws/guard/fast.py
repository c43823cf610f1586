"""The hook's fast path: let a clean commit through for a Python start-up and two git calls.

Every `git commit` pays for this, so it imports only os, sys and hmac (not even `json`: see
`field`) and spawns git without `subprocess`. It answers one question: is every
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

import hmac
import os
import sys

from hestai_tmws.guard.areas import EXECUTABLE_MODE, REGULAR_MODE, area
from hestai_tmws.layout import (
    LEDGER_FILE,
    LEDGER_KEY_FILE,
    STATE_DIR_NAME,
)

GENESIS = "0" * 64
# Files in a work tree's git dir that mean content is arriving from other commits.
INCOMING_MARKERS = (
    "MERGE_HEAD",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "REBASE_HEAD",
    "rebase-merge",
    "rebase-apply",
)
_MAC_FIELD = ',"mac":"'


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


def read_ledger(
    ledger_path: str, key_path: str
) -> tuple[dict[str, set[str]], dict[str, str]] | None:
    """(blobs by path, last op by path) of a ledger whose every line verifies; None otherwise.

    Each line must be exactly `<body without its closing brace>,"mac":"<hex>"}` where the MAC
    chains over the body as written, which is how `Ledger.append` writes it; any other shape,
    a bad MAC or a missing key is "look closer", never a yes.
    """
    try:
        with open(ledger_path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return {}, {}
    except OSError:
        return None
    try:
        with open(key_path, "rb") as fh:
            key = fh.read()
        text = data.decode("ascii")  # json.dumps escapes everything else
    except (OSError, UnicodeDecodeError):
        return None
    blobs: dict[str, set[str]] = {}
    last_op: dict[str, str] = {}
    prev = GENESIS
    digest = hmac.digest
    width = len(_MAC_FIELD)
    tail = width + 64 + 2
    for line in text.split("\n"):
        if not line:
            continue
        cut = len(line) - tail
        if cut < 1 or line[cut : cut + width] != _MAC_FIELD or line[-2:] != '"}':
            return None
        mac = line[cut + width : -2]
        body = line[:cut] + "}"
        if digest(key, f"{prev}\n{body}".encode("ascii"), "sha256").hex() != mac:
            return None
        prev = mac
        path, blob, op = field(body, "path"), field(body, "blob"), field(body, "op")
        if not isinstance(path, str) or not isinstance(op, str):
            return None
        last_op[path] = op
        if isinstance(blob, str):
            blobs.setdefault(path, set()).add(blob)
        elif blob is not None:
            return None
    return blobs, last_op


ABSENT = object()


def field(body: str, name: str) -> object:
    """The string (or null) value of key `name` in a flat object as `json.dumps` writes it.

    No `json` import (it pulls `re` and `enum`: most of this module's start-up). Inside a JSON
    string every quote is escaped, so `"name":` right after `{` or `,` can only be a key.
    Returns ABSENT when the key is missing or its value is not a string or null.
    """
    marker = f'"{_escaped_key(name)}":'
    k = body.find(marker)
    while k > 0 and body[k - 1] not in "{,":
        k = body.find(marker, k + 1)
    if k <= 0:
        return ABSENT
    at = k + len(marker)
    if body.startswith("null", at):
        return None
    found = _json_string(body, at)
    return ABSENT if found is None else found[0]


_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _escaped_key(name: str) -> str:
    """`name` as `json.dumps` (ASCII output) writes it between quotes, so odd keys match too."""
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        return name
    out = []
    for char in name:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code > 0xFFFF:  # astral: a surrogate pair, as json.dumps writes it
            code -= 0x10000
            out.append(f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def _json_string(text: str, i: int) -> tuple[str, int] | None:
    """The JSON string literal starting at `text[i]` and the index after it."""
    if not text.startswith('"', i):
        return None
    j = i + 1
    while True:
        k = text.find('"', j)
        if k < 0:
            return None
        slashes = 0
        while text[k - 1 - slashes] == "\\":
            slashes += 1
        if slashes % 2 == 0:
            break
        j = k + 1
    raw = text[i + 1 : k]
    if "\\" not in raw:
        return raw, k + 1
    try:  # json.dumps escapes with \uXXXX (surrogate pairs for astral characters)
        value = raw.encode("ascii").decode("unicode_escape")
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return value, k + 1


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
    index = read_ledger(os.path.join(state, LEDGER_FILE), os.path.join(state, LEDGER_KEY_FILE))
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
