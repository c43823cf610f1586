"""Reading and writing pattern records (writes only through the Steward).

Reads go straight to the files (small, committed, many readers); every write goes through
`Steward.write_text`, which validates the OCTAVE, checks for secrets, records the blob in the
ledger and stages it when asked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from hestai_tmws.errors import NotFoundError, TmwsError, UsageError
from hestai_tmws.layout import PATTERNS
from hestai_tmws.learning.record_text import parse_record, render_record
from hestai_tmws.learning.records import RECORD_SUFFIX, PatternRecord, record_rel
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.steward import content_hash


@dataclass
class RecordSet:
    """Every readable record, plus what could not be read (path -> reason)."""

    records: dict[str, PatternRecord] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # id -> current file text
    broken: dict[str, str] = field(default_factory=dict)


def record_files(project: Project) -> list[str]:
    """Paths (relative to `.hestai/`) of every pattern record file, sorted."""
    folder = project.memory_path(PATTERNS)
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        f"{PATTERNS}/{n}" for n in names if n.endswith(RECORD_SUFFIX) and not n.startswith(".")
    )


def load_records(project: Project) -> RecordSet:
    out = RecordSet()
    for rel in record_files(project):
        try:
            text = project.memory_path(rel).read_text(encoding="utf-8")
            record = parse_record(text)
        except (OSError, UnicodeDecodeError) as exc:
            out.broken[rel] = f"cannot read: {exc}"
            continue
        except TmwsError as exc:
            out.broken[rel] = exc.message
            continue
        if record_rel(record.id) != rel:
            out.broken[rel] = f"holds pattern {record.id}, which belongs in {record_rel(record.id)}"
            continue
        out.records[record.id] = record
        out.texts[record.id] = text
    return out


def resolve_id(project: Project, wanted: str) -> str:
    """The full id of the pattern `wanted` names (id, `pat-` prefix, bare hex prefix, skill)."""
    text = wanted.strip().lower()
    if not text:
        raise UsageError("give a pattern id (`tmws learn patterns` lists them)")
    ids = [rel[len(PATTERNS) + 1 : -len(RECORD_SUFFIX)] for rel in record_files(project)]
    if text in ids:
        return text
    candidates = [i for i in ids if i.startswith(text) or i.startswith("pat-" + text)]
    if len(candidates) == 1 and len(text.removeprefix("pat-")) >= 4:
        return candidates[0]
    if len(candidates) > 1:
        raise UsageError(
            f"{wanted!r} matches {len(candidates)} patterns",
            hint="give more digits: " + ", ".join(candidates[:5]),
        )
    for rid in ids:  # a promoted skill's name also names its pattern
        try:
            record = parse_record(project.memory_path(record_rel(rid)).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TmwsError):
            continue
        if record.skill and record.skill.split("/")[-2] == text:
            return rid
    raise NotFoundError(
        f"no pattern {wanted!r}", hint="`tmws learn patterns` lists the pattern ids"
    )


def write_record(
    steward: Steward, record: PatternRecord, *, current: str | None, actor: str, reason: str
) -> bool:
    """Write the record if its rendering changed; compare-and-swap against `current`."""
    text = render_record(record)
    if current is not None and text == current:
        return False
    steward.write_text(
        record.rel,
        text,
        expect_sha256="" if current is None else content_hash(current),
        actor=actor,
        reason=reason,
    )
    return True
