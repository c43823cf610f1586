"""What earlier verify runs found in each file, keyed by its content: only changed files cost.

When anything changed (one new archive after a clock-out), the whole report must be made
again, but most files did not change. Their results are pure functions of their content: a
memory file's format findings and index record depend on its path, its bytes and its routing
rule; a blob's secret hits on its bytes. So each result is kept under a hash of exactly those
inputs, next to the hash of the tmws code that produced it. A changed file has another hash
and is checked in full; a hand edit can never be hidden by a stale entry.

The file (`<git-common-dir>/hestai-tmws/cache/verify-memo.json`, JSON — never pickle, it is
read back) carries a MAC under the ledger key; a torn, foreign or forged file is ignored
whole and rebuilt. Each save keeps only the entries the run used, so it never outgrows the
tree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from hestai_tmws.findings import Finding
from hestai_tmws.project import Project
from hestai_tmws.workflows.verify_cache import code_fingerprint, mac, replace_file

MEMO_NAME = "verify-memo.json"
FORMAT = 1

# What one memory file's check gave: its findings and, for an archive, its index record.
FileFacts = tuple[list[Finding], dict[str, Any] | None]
# Secret hits of one blob: (line, kind) of each.
SecretFacts = list[tuple[int, str]]


def file_key(rel: str, rule: object, data: bytes) -> str:
    """The key of a memory file's check: its path, its routing rule and its bytes."""
    h = hashlib.sha256(f"{rel}\0{_rule_text(rule)}\0".encode("utf-8", "surrogateescape"))
    h.update(data)
    return h.hexdigest()


_RULE_TEXTS: dict[int, tuple[object, str]] = {}  # id -> (the rule, kept alive; its repr)


def _rule_text(rule: object) -> str:
    """`repr(rule)`, once per rule object (a run asks for it once per file)."""
    known = _RULE_TEXTS.get(id(rule))
    if known is not None and known[0] is rule:
        return known[1]
    if len(_RULE_TEXTS) > 256:
        _RULE_TEXTS.clear()
    text = repr(rule)
    _RULE_TEXTS[id(rule)] = (rule, text)
    return text


class VerifyMemo:
    """The results kept from the last run, and those of this run (saved at the end)."""

    def __init__(self, project: Project) -> None:
        self.path = project.cache_dir / MEMO_NAME
        self.common_dir = str(project.common_dir)
        self.code = code_fingerprint()
        self._old_files: dict[str, Any] = {}
        self._old_secrets: dict[str, Any] = {}
        self.files: dict[str, Any] = {}
        self.secrets: dict[str, Any] = {}
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
            tag, _, body = raw.partition(b"\n")
            if not hmac.compare_digest(tag.decode("ascii"), mac(self.common_dir, body)):
                return
            data = json.loads(body)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        if data.get("code") != self.code:
            return
        files, secrets = data.get("files"), data.get("secrets")
        if isinstance(files, dict) and isinstance(secrets, dict):
            self._old_files, self._old_secrets = files, secrets

    def may_answer(self) -> bool:
        """Whether an earlier run left answers (without any, files need not be read to ask)."""
        return bool(self._old_files)

    # -- memory files ---------------------------------------------------------------------
    def file_facts(self, key: str) -> FileFacts | None:
        entry = self.files.get(key) or self._old_files.get(key)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], list)):
            return None
        record = entry[1]
        if record is not None and not isinstance(record, dict):
            return None
        try:
            findings = [Finding.model_validate(f) for f in entry[0]]
        except ValueError:
            return None
        self.files[key] = entry
        return findings, record

    def keep_file(self, key: str, facts: FileFacts) -> None:
        findings, record = facts
        self.files[key] = [[f.model_dump(mode="json") for f in findings], record]

    # -- secret hits per blob -------------------------------------------------------------
    def secret_facts(self, blob: str) -> SecretFacts | None:
        entry = self.secrets.get(blob)  # `[]` (no hits) is an answer too
        if entry is None:
            entry = self._old_secrets.get(blob)
        if not isinstance(entry, list):
            return None
        hits: SecretFacts = []
        for item in entry:
            if not (isinstance(item, list) and len(item) == 2):
                return None
            line, kind = item
            if not (isinstance(line, int) and isinstance(kind, str)):
                return None
            hits.append((line, kind))
        self.secrets[blob] = entry
        return hits

    def keep_secrets(self, blob: str, hits: SecretFacts) -> None:
        self.secrets[blob] = [[line, kind] for line, kind in hits]

    def secret_cache(self) -> MutableMapping[str, SecretFacts]:
        """The secret hits per blob as the scan asks for them (`guard.secret_scan`)."""
        return _SecretCache(self)

    def save(self) -> None:
        """Keep this run's entries (only those: the file never outgrows the tree)."""
        body = json.dumps(
            {"format": FORMAT, "code": self.code, "files": self.files, "secrets": self.secrets},
            separators=(",", ":"),
        ).encode()
        tag = mac(self.common_dir, body).encode("ascii")
        replace_file(str(Path(self.path)), tag + b"\n" + body)


class _SecretCache(MutableMapping[str, SecretFacts]):
    """blob -> hits over a memo: a lookup marks the entry used, a store keeps it."""

    def __init__(self, memo: VerifyMemo) -> None:
        self.memo = memo

    def __getitem__(self, blob: str) -> SecretFacts:
        hits = self.memo.secret_facts(blob)
        if hits is None:
            raise KeyError(blob)
        return hits

    def __setitem__(self, blob: str, hits: SecretFacts) -> None:
        self.memo.keep_secrets(blob, hits)

    def __delitem__(self, blob: str) -> None:
        self.memo.secrets.pop(blob, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.memo.secrets)

    def __len__(self) -> int:
        return len(self.memo.secrets)
