"""Steward: lock, check the path, validate, write atomically, record in the ledger, stage.

Every service that changes `.hestai/` calls one of these methods; nothing else writes there.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from pydantic import BaseModel

from hestai_tmws.errors import (
    ConflictError,
    PathRejectedError,
    ValidationError,
    environment_errors,
)
from hestai_tmws.gitio import blob_id, run_git
from hestai_tmws.layout import HESTAI, SESSIONS_ACTIVE, SKILLS, SKILLS_CHANGED_FILE
from hestai_tmws.project import Project
from hestai_tmws.secrets.redaction import redact
from hestai_tmws.steward import provenance
from hestai_tmws.steward.atomic import append_line, atomic_write_bytes, bump_marker, fsync_dir
from hestai_tmws.steward.ledger import Ledger, LedgerEntry
from hestai_tmws.steward.lock import StewardLock
from hestai_tmws.steward.memory_files import temp_leftovers
from hestai_tmws.steward.paths import folder_ready, normalise_rel, resolve_target
from hestai_tmws.steward.provenance import provenance_rel
from hestai_tmws.steward.validate import (
    Placement,
    check_content,
    check_placement,
    raise_first,
    redact_content,
    shown_path,
)

DEFAULT_MAX_BYTES = 8 * 1024 * 1024


def content_hash(text: str) -> str:
    """The compare-and-swap token of a document: sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class WriteResult(BaseModel):
    """What one Steward write did."""

    path: str  # relative to the work tree root, POSIX
    blob: str | None
    sha256: str | None
    bytes: int
    created: bool
    changed: bool


class Steward:
    """The single writer of `.hestai/` for one project."""

    _locks: ClassVar[dict[Path, StewardLock]] = {}
    _locks_guard = threading.Lock()

    def __init__(
        self,
        project: Project,
        *,
        lock_timeout: float = 10.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        validate_secrets: bool = True,
        placement: Placement | None = None,
    ) -> None:
        """With `placement` (the routing table, see `validate`) misplaced writes are refused."""
        self.project = project
        self._placement = placement
        self.max_bytes = max_bytes
        self.validate_secrets = validate_secrets
        self.ledger = Ledger(project.ledger_path, project.ledger_key_path)
        with Steward._locks_guard:  # one lock object per lock file in a process
            lock = Steward._locks.get(project.lock_path)
            if lock is None:
                lock = StewardLock(project.lock_path, timeout=lock_timeout)
                Steward._locks[project.lock_path] = lock
            lock.timeout = lock_timeout  # the latest setting wins in long-lived processes
        self.lock = lock
        self._pending_stage = threading.local()
        self._private_targets: dict[str, Path] = {}

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self, purpose: str = "write", *, stage: bool = False) -> Iterator[Steward]:
        """Hold the lock across several operations; stage everything written at the end."""
        with self.lock.hold(purpose):
            outer = not hasattr(self._pending_stage, "paths")
            if outer:
                self._pending_stage.paths = []
            try:
                yield self
                if outer and stage and self._pending_stage.paths:  # plain git: no gitpython
                    run_git(self.project.git.root, "add", "--", *self._pending_stage.paths)
            finally:
                if outer:
                    del self._pending_stage.paths

    def written_in_transaction(self) -> list[str]:
        """Every committed-memory path written so far in the open transaction (provenance too),
        for callers that stage by hand: nothing written is left unstaged."""
        return list(getattr(self._pending_stage, "paths", None) or [])

    def _note_written(self, rel_root: str) -> None:
        paths = getattr(self._pending_stage, "paths", None)
        if paths is not None and rel_root not in paths:
            paths.append(rel_root)

    # -- reading ----------------------------------------------------------------------
    def path_of(self, rel: str | PurePosixPath) -> Path:
        return resolve_target(self.project, normalise_rel(rel))

    def read_text(self, rel: str | PurePosixPath) -> str | None:
        target = self.path_of(rel)
        try:
            return target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def exists(self, rel: str | PurePosixPath) -> bool:
        return self.path_of(rel).is_file()

    # -- writing ----------------------------------------------------------------------
    def write_text(
        self,
        rel: str | PurePosixPath,
        text: str,
        *,
        expect_sha256: str | None = None,
        only_if_absent: bool = False,
        actor: str = "steward",
        reason: str = "",
    ) -> WriteResult:
        """Validate and atomically write `text` to `.hestai/<rel>`; record it in the ledger.

        `expect_sha256` is compare-and-swap: the write happens only if the file's current
        content hashes to it ("" means the file must not exist yet).
        """
        relp = normalise_rel(rel)
        provenance.refuse_direct_write(relp.as_posix())
        text = self._redacted(relp, text)
        self._check_size(relp, text)
        self._validate(relp, text)
        return self._write_validated(
            relp,
            text,
            expect_sha256=expect_sha256,
            only_if_absent=only_if_absent,
            actor=self._redacted_note(actor),
            reason=self._redacted_note(reason),
        )

    def _check_size(self, relp: PurePosixPath, text: str) -> None:
        size = len(text.encode("utf-8"))
        if size > self.max_bytes:
            raise ValidationError(
                f"{relp}: {size} bytes is over the {self.max_bytes}-byte limit for one file"
            )

    def _write_validated(
        self,
        relp: PurePosixPath,
        text: str,
        *,
        expect_sha256: str | None = None,
        only_if_absent: bool = False,
        actor: str = "steward",
        reason: str = "",
    ) -> WriteResult:
        """The write itself, for content already validated by the caller."""
        data = text.encode("utf-8")
        with environment_errors(f"{HESTAI}/{relp.as_posix()}"), self.lock.hold("write"):
            target = resolve_target(self.project, relp)
            old = self._read_bytes(target)
            if only_if_absent and old is not None:
                raise ConflictError(
                    f"{relp} already exists", current=old.decode("utf-8", "replace")
                )
            if expect_sha256 is not None:
                current_hash = "" if old is None else hashlib.sha256(old).hexdigest()
                if current_hash != expect_sha256:
                    current_text = "" if old is None else old.decode("utf-8", "replace")
                    raise ConflictError(
                        f"{relp} changed since it was read (base hash is stale)",
                        current=current_text,
                        current_hash=current_hash,
                        hint="merge your change into the current content and retry with its hash",
                    )
            self._ensure_parent(target)
            changed = old != data
            rel_root = f"{HESTAI}/{relp.as_posix()}"
            blob = blob_id(data)

            def record() -> None:
                if not self._is_private(relp):
                    self._record(rel_root, blob, "write", actor=actor, reason=reason)

            if changed:
                atomic_write_bytes(
                    target, data, before_rename=record, durable=not self._is_private(relp)
                )
            if not self._is_private(relp):
                self._note_written(rel_root)
        return WriteResult(
            path=rel_root,
            blob=blob,
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            created=old is None,
            changed=changed,
        )

    def append_jsonl(
        self, rel: str | PurePosixPath, records: Sequence[dict[str, Any]]
    ) -> WriteResult:
        """Append records to a JSON Lines log (rewritten atomically, so never torn)."""
        relp = normalise_rel(rel)
        provenance.refuse_direct_write(relp.as_posix())
        if not relp.name.endswith(".jsonl"):
            raise PathRejectedError(f"{relp}: JSON Lines logs end in .jsonl")
        lines = "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in records)
        lines = self._redacted(relp, lines)
        self._validate(relp, lines)  # only the new lines: the log was validated when written
        with self.lock.hold("append"):
            current = self.read_text(relp) or ""
            if current and not current.endswith("\n"):
                current += "\n"
            text = current + lines
            self._check_size(relp, text)
            return self._write_validated(relp, text)

    def append_private(self, rel: str | PurePosixPath, line: str) -> None:
        """Fast append to a gitignored log under sessions/active/ (traces): no lock, no ledger.

        O_APPEND writes of one line are atomic enough for a per-session log that only its
        own session appends to; the archive step reads it under the lock.
        """
        target = self._private_targets.get(str(rel))
        if target is None:
            relp = normalise_rel(rel)
            if not self._is_private(relp):
                raise PathRejectedError(
                    f"{relp}: only files under {SESSIONS_ACTIVE}/ take fast appends"
                )
            target = resolve_target(self.project, relp)
            self._ensure_parent(target)
            self._private_targets[str(rel)] = target  # checked once per process: the hot path
        append_line(target, line)

    def delete(self, rel: str | PurePosixPath, *, reason: str = "") -> bool:
        """Delete a memory file (and empty folders above it); record it in the ledger."""
        relp = normalise_rel(rel)
        provenance.refuse_direct_write(relp.as_posix())
        with environment_errors(f"{HESTAI}/{relp.as_posix()}"), self.lock.hold("delete"):
            target = resolve_target(self.project, relp)
            if not target.exists():
                return False
            target.unlink()
            fsync_dir(target.parent)
            rel_root = f"{HESTAI}/{relp.as_posix()}"
            if not self._is_private(relp):
                self._record(rel_root, None, "delete", actor="steward", reason=reason)
                self._note_written(rel_root)
            self._prune_empty(target.parent)
        return True

    def delete_tree(self, rel_dir: str) -> None:
        """Remove a private folder (an active session) after its archive was written."""
        relp = PurePosixPath(rel_dir)
        if not self._is_private(relp / "x.json"):
            raise PathRejectedError(f"{rel_dir}: only active-session folders can be removed whole")
        with self.lock.hold("delete"):
            folder = resolve_target(self.project, relp / "session.json").parent
            if folder.is_dir():
                for child in sorted(folder.rglob("*"), reverse=True):
                    if child.is_dir() and not child.is_symlink():
                        child.rmdir()
                    else:
                        child.unlink()
                folder.rmdir()
                fsync_dir(folder.parent)

    def record_adoption(self, rel_root: str, blob: str | None, *, actor: str, reason: str) -> None:
        """Ledger entry for a hand edit taken in explicitly (`tmws adopt`); None = a deletion."""
        op = "adopt" if blob is not None else "delete"
        with environment_errors(rel_root), self.lock.hold("adopt"):
            self._record(rel_root, blob, op, actor=actor, reason=reason, kind="adopt")

    def _record(
        self,
        rel_root: str,
        blob: str | None,
        op: str,
        *,
        actor: str,
        reason: str,
        kind: str | None = None,
    ) -> None:
        """Committed provenance first, then the local ledger (which also learns the new blob
        of the provenance file, so the guard accepts both); the caller holds the lock."""
        prov_rel = provenance_rel()
        prov_root = f"{HESTAI}/{prov_rel}"
        prov_target = resolve_target(self.project, PurePosixPath(prov_rel))
        self._ensure_parent(prov_target)
        rec = provenance.record(rel_root, blob, kind or op, actor=actor)
        content = provenance.append_records(prov_target, [rec])
        now = time.time()
        self.ledger.append(
            [
                LedgerEntry(rel_root, blob, op, now, actor, reason),
                LedgerEntry(prov_root, blob_id(content), "write", now, "steward", "provenance"),
            ]
        )
        self._note_written(prov_root)
        if rel_root.startswith(f"{HESTAI}/{SKILLS}/"):  # the skill index's quick key sees it
            bump_marker(self.project.cache_dir / SKILLS_CHANGED_FILE)

    def sweep_temp_files(self) -> list[str]:
        """Delete temp files of crashed writers (never data); returns their root paths.

        Every writer of `.hestai/` holds the lock while its temp file exists, so under the
        lock any temp file is a leftover.
        """
        swept: list[str] = []
        with self.lock.hold("sweep"):
            for leftover in temp_leftovers(self.project):
                (self.project.root / leftover).unlink(missing_ok=True)
                swept.append(leftover)
        return swept

    # -- internals --------------------------------------------------------------------
    @staticmethod
    def _is_private(relp: PurePosixPath) -> bool:
        return relp.as_posix().startswith(SESSIONS_ACTIVE + "/")

    @staticmethod
    def _read_bytes(target: Path) -> bytes | None:
        try:
            return target.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError as exc:
            raise PathRejectedError(f"{target.name} is a folder, not a file") from exc

    def _ensure_parent(self, target: Path) -> None:
        if folder_ready(self.project, target.parent):  # the callers' resolve_target walked it
            return
        hestai = self.project.hestai
        if hestai.is_symlink():
            raise PathRejectedError(
                ".hestai is a symbolic link; the Steward never writes through links"
            )
        where = self.project.relative_to_root(target.parent)
        with environment_errors(where):
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except FileExistsError as exc:  # a file where the folder belongs
                raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), where) from exc
        # a link planted between the check and now would show up here
        if not target.parent.resolve().is_relative_to(hestai.resolve()):
            raise PathRejectedError(f"{target} resolves outside .hestai/")

    def _prune_empty(self, folder: Path) -> None:
        while folder != self.project.hestai and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def _redacted(self, relp: PurePosixPath, text: str) -> str:
        """The one redaction gate: committed memory never receives a secret, whichever face
        or service wrote it (active-session files are gitignored and redacted on archiving)."""
        if not self.validate_secrets or self._is_private(relp):
            return text
        return redact_content(relp.as_posix(), text)

    def _redacted_note(self, text: str) -> str:  # a ledger field (reason, actor): redacted
        return redact(text) if text and self.validate_secrets else text

    def _validate(self, relp: PurePosixPath, text: str) -> None:
        """Refuse a file the routing table does not place here, content that is not what its
        file name promises, or content that leaks a secret (the one `validate` module)."""
        rel = relp.as_posix()
        _, placed = check_placement(rel, self._placement)
        # uncommitted types (active sessions) are the Steward's to write, just never to commit
        misplaced = [issue for issue in placed if issue.code == "MISPLACED"]
        raise_first(misplaced, shown_path(rel))
        raise_first(check_content(rel, text, None, strict=False), str(relp))
