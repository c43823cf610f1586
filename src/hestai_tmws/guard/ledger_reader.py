"""The fast path's reader of the Steward ledger: verify the MAC chain without `json`, and
remember what was verified so that a commit only verifies the lines appended since.

Every `git commit` pays for this, so it imports only os, hmac and marshal (builtins and one
small module). A ledger of 10,000 lines (5,000 Steward writes: a file and its provenance
line each) costs ~25 ms to verify line by line, more than git and Python together; the
verified index is therefore kept in the cache folder with the length verified and one HMAC
over those bytes, and sealed with an HMAC under the ledger's own key (so a forged index is
as hard as a forged ledger line). The ledger only grows between compactions, so the next run
checks the remembered prefix with one HMAC over it (C speed, ~1 ms per MB, where the lines'
own MACs cost ~2.5 µs each in Python) and verifies only the lines after it. A prefix that
changed in any way means a full verification, never a yes on trust.
"""

from __future__ import annotations

import hmac
import marshal
import os

GENESIS = "0" * 64
INDEX_FORMAT = 1
_MAC_FIELD = ',"mac":"'

Index = tuple[dict[str, set[str]], dict[str, str]]


def read_ledger(ledger_path: str, key_path: str, index_path: str | None = None) -> Index | None:
    """(blobs by path, last op by path) of a ledger whose every line verifies; None otherwise.

    Each line must be exactly `<body without its closing brace>,"mac":"<hex>"}` where the MAC
    chains over the body as written, which is how `Ledger.append` writes it; any other shape,
    a bad MAC or a missing key is "look closer", never a yes. A last line without its newline
    (the torn tail of a crashed append) is left out, as `Ledger.read` leaves it out.
    `index_path`: where the verified index is remembered between runs (None: not at all).
    """
    try:
        with open(ledger_path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return {}, {}
    except OSError:
        return None
    try:
        with open(key_path, "rb") as kf:
            key = kf.read()
    except OSError:
        return None
    end = data.rfind(b"\n") + 1  # a torn tail is not part of the ledger yet
    known = _load_index(index_path, key, data) if index_path else None
    start, prev, blobs, last_op = known or (0, GENESIS, {}, {})
    chained = _verify(data[start:end], key, prev, blobs, last_op)
    if chained is None:
        return None
    if index_path and end > start:
        _save_index(index_path, key, data[:end], chained, blobs, last_op)
    return blobs, last_op


def _verify(
    data: bytes, key: bytes, prev: str, blobs: dict[str, set[str]], last_op: dict[str, str]
) -> str | None:
    """Fold the lines of `data` (whole lines) into the index; the last MAC, or None."""
    try:
        text = data.decode("ascii")  # json.dumps escapes everything else
    except UnicodeDecodeError:
        return None
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
    return prev


def _load_index(
    index_path: str, key: bytes, data: bytes
) -> tuple[int, str, dict[str, set[str]], dict[str, str]] | None:
    """The remembered (length, last MAC, blobs, last ops) if sealed by this key and its
    prefix MAC still matches the ledger's first `length` bytes; None otherwise (missing,
    stale, damaged, or the ledger was rewritten or edited: verify from the start)."""
    try:
        with open(index_path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    seal, payload = raw[:32], raw[32:]
    if not hmac.compare_digest(seal, hmac.digest(key, payload, "sha256")):
        return None
    try:
        fmt, length, prefix_mac, prev, blobs, last_op = marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return None
    if fmt != INDEX_FORMAT or not 0 < length <= len(data):
        return None
    if not hmac.compare_digest(prefix_mac, hmac.digest(key, data[:length], "sha256")):
        return None
    return length, prev, blobs, last_op


def _save_index(
    index_path: str,
    key: bytes,
    verified: bytes,
    prev: str,
    blobs: dict[str, set[str]],
    last_op: dict[str, str],
) -> None:
    """Remember the verified index (atomic replace; any failure only costs the next run time)."""
    prefix_mac = hmac.digest(key, verified, "sha256")
    payload = marshal.dumps((INDEX_FORMAT, len(verified), prefix_mac, prev, blobs, last_op))
    tmp = f"{index_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(index_path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(hmac.digest(key, payload, "sha256") + payload)
        os.replace(tmp, index_path)
    except OSError:
        try:  # noqa: SIM105 - contextlib is one more import on every commit
            os.unlink(tmp)
        except OSError:
            pass


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
