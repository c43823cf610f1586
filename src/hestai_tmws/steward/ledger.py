"""The ledger: every blob the Steward wrote, kept in the git common dir.

The pre-commit guard accepts a staged `.hestai/` blob only if the ledger says the Steward
wrote it. Each line is chained to the previous one with an HMAC keyed by a per-repository
secret (`ledger.key`, mode 0600), so an appended or edited line is detected. This defends
against agents and people editing by hand, not against someone who reads the key on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hestai_tmws.errors import PolicyError
from hestai_tmws.steward.atomic import append_whole_lines, atomic_write_bytes, last_line

GENESIS = "0" * 64
COMPACT_BYTES = 1 << 20  # ~4,000 entries: past this the ledger is compacted
KEEP_ENTRIES = 2000
RETAIN_S = 7 * 86400  # every path written this recently keeps its last entry


class LedgerTamperedError(PolicyError):
    """A ledger line does not carry a valid MAC: someone edited the ledger by hand."""


@dataclass(frozen=True)
class LedgerEntry:
    path: str  # POSIX path relative to the work tree root, e.g. ".hestai/context/x.oct.md"
    blob: str | None  # git blob id, None for a deletion
    op: str  # write | delete | adopt
    ts: float
    actor: str = "steward"
    reason: str = ""


@dataclass
class LedgerIndex:
    """What the guard needs: every (path, blob) written and every path last deleted."""

    blobs: dict[str, set[str]] = field(default_factory=dict)
    last_op: dict[str, str] = field(default_factory=dict)
    entries: int = 0

    def knows(self, path: str, blob: str) -> bool:
        return blob in self.blobs.get(path, ())

    def was_deleted(self, path: str) -> bool:
        return self.last_op.get(path) == "delete"


class Ledger:
    """Append-only, MAC-chained record of Steward writes; callers hold the Steward lock."""

    def __init__(self, path: Path, key_path: Path) -> None:
        self.path = path
        self.key_path = key_path

    def _key(self) -> bytes:
        try:
            return self.key_path.read_bytes()
        except FileNotFoundError:
            self.key_path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_bytes(32)
            fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
            return key

    @staticmethod
    def _mac(key: bytes, prev: str, body: str) -> str:
        return hmac.new(key, (prev + "\n" + body).encode("utf-8"), hashlib.sha256).hexdigest()

    def _last_mac(self) -> str:
        """The MAC of the last line, however long that line is (an adopt reason can be long)."""
        line = last_line(self.path)
        if line is None:
            return GENESIS
        try:
            return str(json.loads(line)["mac"])
        except (ValueError, KeyError, TypeError):
            return "corrupt"

    def append(self, entries: Iterable[LedgerEntry]) -> None:
        """Append entries durably (whole lines, fsynced); the caller holds the lock."""
        key = self._key()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            append_whole_lines(self.path, b"", mode=0o600)  # cut a torn tail before chaining
        prev = self._last_mac()
        lines: list[str] = []
        for entry in entries:
            body = _body(entry)
            prev = self._mac(key, prev, body)
            lines.append(body[:-1] + f',"mac":"{prev}"}}\n')
        if not lines:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # whole lines only: a torn tail of an earlier crash is cut off, a short write continued
        append_whole_lines(self.path, "".join(lines).encode("utf-8"), mode=0o600)
        size = self.path.stat().st_size
        if size > COMPACT_BYTES and size > self._compact_at():
            self.compact()

    @property
    def _threshold_path(self) -> Path:
        return self.path.with_name(self.path.name + ".compacted")

    def _compact_at(self) -> int:
        """Twice the size the last compaction left (at least COMPACT_BYTES): a burst of
        writes that are all still needed is not compacted again on every append."""
        try:
            return max(COMPACT_BYTES, 2 * int(self._threshold_path.read_text(encoding="ascii")))
        except (OSError, ValueError):
            return COMPACT_BYTES

    def compact(self, keep: int | None = None, *, now: float | None = None) -> None:
        """Keep the newest `keep` entries and the last entry of every path written in the
        last `RETAIN_S`, re-chained: the guard's cost stays bounded.

        The ledger only has to vouch for Steward writes not committed yet: a burst of 5,000
        writes before one commit must all stay (a path's last entry holds the blob it stages
        and its last operation). Anything older is in the committed provenance, which the
        full check reads when the ledger has forgotten it; forgetting only ever makes the
        guard look closer. The rewrite is atomic, so a crash leaves the old ledger or the new.
        """
        entries = self.read()
        newest = len(entries) - min(len(entries), keep or KEEP_ENTRIES)
        since = (time.time() if now is None else now) - RETAIN_S
        last_of = {e.path: i for i, e in enumerate(entries) if e.ts >= since}
        wanted = set(last_of.values())
        entries = [e for i, e in enumerate(entries) if i >= newest or i in wanted]
        key = self._key()
        prev = GENESIS
        lines: list[str] = []
        for entry in entries:
            body = _body(entry)
            prev = self._mac(key, prev, body)
            lines.append(body[:-1] + f',"mac":"{prev}"}}\n')
        data = "".join(lines).encode("utf-8")
        atomic_write_bytes(self.path, data, mode=0o600)
        atomic_write_bytes(self._threshold_path, str(len(data)).encode("ascii"), mode=0o600)

    def record(self, path: str, blob: str | None, op: str = "write", **extra: str) -> None:
        self.append([LedgerEntry(path=path, blob=blob, op=op, ts=time.time(), **extra)])

    def read(self) -> list[LedgerEntry]:
        """Every entry, verifying the MAC chain; LedgerTamperedError at the first bad line."""
        if not self.path.exists():
            return []
        key = self._key()
        prev = GENESIS
        out: list[LedgerEntry] = []
        with self.path.open("r", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip() or not line.endswith("\n"):
                    continue  # blank, or the torn tail of a crashed append (cut on the next)
                try:
                    data = json.loads(line)
                    mac = data.pop("mac")
                    body = json.dumps(data, sort_keys=True, separators=(",", ":"))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    raise LedgerTamperedError(
                        f"the Steward ledger is corrupt at line {lineno}", hint=self._hint()
                    ) from exc
                if not hmac.compare_digest(mac, self._mac(key, prev, body)):
                    raise LedgerTamperedError(
                        f"the Steward ledger was edited by hand at line {lineno}", hint=self._hint()
                    )
                prev = mac
                out.append(
                    LedgerEntry(
                        path=data["path"],
                        blob=data["blob"],
                        op=data["op"],
                        ts=float(data["ts"]),
                        actor=data.get("actor", "steward"),
                        reason=data.get("reason", ""),
                    )
                )
        return out

    def index(self) -> LedgerIndex:
        idx = LedgerIndex()
        for entry in self.read():
            idx.entries += 1
            idx.last_op[entry.path] = entry.op
            if entry.blob is not None:
                idx.blobs.setdefault(entry.path, set()).add(entry.blob)
        return idx

    def _hint(self) -> str:
        return (
            f"restore {self.path} from a backup, or move it aside and run `tmws adopt` on the "
            "staged .hestai/ files (see docs/troubleshooting.md)"
        )


def _body(entry: LedgerEntry) -> str:
    """The canonical JSON body of an entry, as its MAC covers it."""
    return json.dumps(
        {
            "path": entry.path,
            "blob": entry.blob,
            "op": entry.op,
            "ts": round(entry.ts, 3),
            "actor": entry.actor,
            "reason": entry.reason,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
