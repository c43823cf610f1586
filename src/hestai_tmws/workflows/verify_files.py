"""One memory file's content checks: the unit of work verify hands to its worker processes.

A job names a file (its path, routing rule and HEAD's blob id there); the worker reads the
bytes itself, so a cold run over 10,000 archives neither reads them in the parent nor ships
80 MB of text down a pipe. The caller reads a file first only when its memo may answer for
those bytes; the job then carries the text. Either way the result is a pure function of the
path, the bytes and the rule — the same report whoever read the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hestai_tmws.findings import Finding
from hestai_tmws.gitio import blob_id
from hestai_tmws.guard.ci_checks import conflict_line
from hestai_tmws.guard.secret_scan import blob_hits
from hestai_tmws.layout import SESSIONS_ARCHIVE
from hestai_tmws.octave import Document, OctaveError, parse
from hestai_tmws.steward.provenance import parse_text
from hestai_tmws.steward.validate import PlacementRule, check_content, shown_path
from hestai_tmws.workflows.verify_memo import FileFacts, SecretFacts, file_key
from hestai_tmws.workflows.verify_record import archive_record

# Tracked files with conflict markers are the guard's finding (CONFLICT_MARKERS, ci_checks).
_REPORTED_ELSEWHERE = frozenset({"CONFLICT_MARKERS"})


@dataclass(frozen=True)
class FileJob:
    """What a worker needs to check one memory file."""

    rel: str  # path in `.hestai/`
    path: str  # absolute path
    rule: PlacementRule | None  # its routing rule (None: no table, or a provenance log)
    head: str | None  # HEAD's blob id at that path, if any
    text: str | None = None  # read by the caller already (to ask its memo); None: read here
    provenance: bool = False  # a provenance log: its own check, no memo


@dataclass(frozen=True)
class FileResult:
    """What the check gave, and what the caller keeps of it."""

    facts: FileFacts  # content findings (or why it could not be read) and an index record
    key: str | None  # the memo key of the bytes checked; None: nothing to keep
    hits: SecretFacts | None  # HEAD's blob's secret hits, when the bytes are that blob
    unmarked: bool  # read, and no conflict markers: the guard need not read it again


def check_file(job: FileJob) -> FileResult:
    """The content checks of one memory file (a module-level function: workers run it)."""
    shown = shown_path(job.rel)
    text = job.text
    if text is None:
        try:
            text = read_text(Path(job.path))
        except (OSError, UnicodeDecodeError) as exc:
            unreadable = Finding(code="UNREADABLE", path=shown, message=str(exc))
            return FileResult(([unreadable], None), None, None, False)
    data = text.encode("utf-8")
    hits = blob_hits(data) if job.head is not None and blob_id(data) == job.head else None
    unmarked = conflict_line(text) is None
    if job.provenance:
        return FileResult((provenance_findings(shown, text), None), None, hits, unmarked)
    facts = content_facts(job.rel, text, job.rule)
    return FileResult(facts, file_key(job.rel, job.rule, data), hits, unmarked)


def read_text(path: Path) -> str:
    """`path.read_text(encoding="utf-8")`, from the bytes when that is the same text (no CR:
    nothing for newline translation to do); ~2x faster than the text layer's read."""
    data = path.read_bytes()
    if b"\r" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass  # the text layer's own error (its position counts from its chunk)
    return path.read_text(encoding="utf-8")


def content_facts(rel: str, text: str, rule: PlacementRule | None) -> FileFacts:
    """What `text` as `rel` gives: content findings, and the index record of an archive."""
    shown = shown_path(rel)
    found: list[Finding] = []
    doc = _parsed(rel, text)
    for issue in check_content(rel, text, rule, strict=True, parsed=doc):
        if issue.code in _REPORTED_ELSEWHERE:
            continue
        found.append(Finding(code=issue.code, path=issue.where(shown), message=issue.message))
    # not a readable archive (None): the index check reads it again and says why
    record = archive_record(doc, rel) if doc is not None and _is_archive(rel) else None
    return found, record


def provenance_findings(shown: str, text: str) -> list[Finding]:
    """Provenance cannot record its own blob: every line must be a well-formed record."""
    _, bad = parse_text(text)
    if not bad:
        return []
    lines = ", ".join(map(str, bad[:5]))
    return [
        Finding(code="PROVENANCE_MALFORMED", path=shown, message=f"line(s) {lines} are not records")
    ]


def _parsed(rel: str, text: str) -> Document | None:
    """`text` parsed as OCTAVE when its name says so (None: not OCTAVE, or invalid)."""
    if not rel.endswith(".oct.md"):
        return None
    try:
        return parse(text)
    except OctaveError:
        return None


def _is_archive(rel: str) -> bool:
    """A file the learnings index must list: `sessions/archive/*.oct.md`, not in a subfolder."""
    name = rel.removeprefix(SESSIONS_ARCHIVE + "/")
    return name != rel and "/" not in name and name.endswith(".oct.md")
