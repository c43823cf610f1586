"""What `tmws verify` adds for collaboration: the checks CI repeats because hooks can be skipped.

`git commit --no-verify` (or a clone without the hook) lets anything into history, and CI has
no ledger, so CI checks what can be checked from the tree alone: nothing of `.hestai-sys/` or
of active sessions is tracked, tracked memory files are plain files, no merge left conflict
markers behind, the merge rules are in `.gitattributes`, and every derived index agrees with
the files it indexes (with `fix`, rebuilt from them through the Steward).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from hestai_tmws.config import load_settings
from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.gitio import run_git
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.guard.areas import EXECUTABLE_MODE, GITLINK_MODE, SYMLINK_MODE
from hestai_tmws.guard.areas import area as _area
from hestai_tmws.layout import (
    HESTAI,
    HESTAI_SYS,
    LEARNINGS_INDEX,
    LEGACY_LEARNINGS_INDEX,
    SESSIONS_ACTIVE,
    SESSIONS_ARCHIVE,
)
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import index_record, read_archive
from hestai_tmws.sessions.archive.index_move import legacy_index_present, move_legacy_index
from hestai_tmws.steward import Steward
from hestai_tmws.steward.provenance import PROVENANCE_PREFIX

INDEX_PATH = f"{HESTAI}/{LEARNINGS_INDEX}"
EXPECTED_ATTRIBUTES = {
    f"{HESTAI}/{LEARNINGS_INDEX}": "union",
    f"{PROVENANCE_PREFIX}2000-01-01.jsonl": "union",  # provenance merges by union too
    f"{HESTAI}/context/project-context.oct.md": "tmws-octave",
}


def collaboration_findings(
    project: Project,
    *,
    fix: bool,
    known: Mapping[str, dict[str, Any]] | None = None,
    unmarked: Collection[str] = (),
) -> list[Finding]:
    """Every collaboration problem of `project`; with `fix`, repair the safe ones and mark them.

    `known` holds index records the caller already read from archives (see
    `learnings_index_findings`); `unmarked`, the paths (from the work tree root) of regular
    files the caller read in this run and found without conflict markers (not read again)."""
    findings: list[Finding] = []
    tracked = _tracked(project)
    findings += _tracked_findings(project, tracked, fix=fix)
    findings += _conflict_markers(project, tracked, unmarked)
    findings += _attribute_findings(project)
    findings += learnings_index_findings(project, fix=fix, known=known)
    return findings


# -- what git tracks ------------------------------------------------------------------------------


def _tracked(project: Project) -> list[tuple[str, str]]:
    """(mode, path) of every index entry under the guarded folders (and look-alikes)."""
    raw = run_git(project.root, "ls-files", "-s", "-z").stdout.decode("utf-8", "surrogateescape")
    out: list[tuple[str, str]] = []
    for entry in raw.split("\0"):
        if not entry:
            continue
        info, _, path = entry.partition("\t")
        if _area(path) is not None:
            out.append((info.split(" ", 1)[0], path))
    return out


def _tracked_findings(
    project: Project, tracked: list[tuple[str, str]], *, fix: bool
) -> list[Finding]:
    findings: list[Finding] = []
    untrack: dict[str, list[str]] = {"system": [], "active": []}
    chmod: list[str] = []
    for mode, path in tracked:
        area = _area(path)
        if area == "system":
            untrack["system"].append(path)
        elif area == "active":
            untrack["active"].append(path)
        elif area in ("case-variant", "not-a-folder"):
            findings.append(
                Finding(
                    code="LOOKALIKE_TRACKED",
                    path=path,
                    message=f"{path} imitates a guarded folder (by case, or a file for a folder)",
                )
            )
        elif mode == SYMLINK_MODE:
            findings.append(
                Finding(code="TRACKED_SYMLINK", path=path, message="memory files cannot be links")
            )
        elif mode == GITLINK_MODE:
            findings.append(
                Finding(code="TRACKED_SUBMODULE", path=path, message="a submodule inside .hestai/")
            )
        elif mode == EXECUTABLE_MODE:
            chmod.append(path)
    fixed_system = fix and _git_ok(project, "rm", "-r", "-q", "--cached", "--", *untrack["system"])
    fixed_active = fix and _git_ok(project, "rm", "-r", "-q", "--cached", "--", *untrack["active"])
    fixed_chmod = fix and _git_ok(project, "update-index", "--chmod=-x", "--", *chmod)
    for path in untrack["system"]:
        findings.append(
            Finding(
                code="SYS_TRACKED",
                path=path,
                message=f"{HESTAI_SYS}/ is injected governance and must not be in git"
                + ("; removed from the index (commit the removal)" if fixed_system else ""),
                fixed=fixed_system,
            )
        )
    for path in untrack["active"]:
        findings.append(
            Finding(
                code="ACTIVE_TRACKED",
                path=path,
                message=f"{HESTAI}/{SESSIONS_ACTIVE}/ is local to one work tree, never in git"
                + ("; removed from the index (commit the removal)" if fixed_active else ""),
                fixed=fixed_active,
            )
        )
    for path in chmod:
        findings.append(
            Finding(
                code="TRACKED_MODE",
                path=path,
                message="tracked as executable; memory files are plain 100644 files"
                + ("; mode reset in the index (commit it)" if fixed_chmod else ""),
                fixed=fixed_chmod,
            )
        )
    return findings


def _git_ok(project: Project, *args: str) -> bool:
    if args[-1] == "--":
        return False  # nothing to do
    return run_git(project.root, *args, check=False).returncode == 0


def _conflict_markers(
    project: Project, tracked: list[tuple[str, str]], unmarked: Collection[str] = ()
) -> list[Finding]:
    findings: list[Finding] = []
    for _mode, path in tracked:
        if _area(path) != "memory" or path in unmarked:
            continue
        file = project.root / path
        try:
            if file.is_symlink() or not file.is_file():
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lineno = conflict_line(text)
        if lineno is not None:
            findings.append(
                Finding(
                    code="CONFLICT_MARKERS",
                    path=f"{path}:{lineno}",
                    message="a merge conflict was committed unresolved; resolve it, then "
                    f"`tmws adopt {path} --reason ...`",
                )
            )
    return findings


def conflict_line(text: str) -> int | None:
    """The line of the first conflict marker, or None.

    Only `<<<<<<<` and `>>>>>>>` lines mark a conflict (git writes both around every one):
    a bare `=======` line is also a Markdown setext heading underline, never evidence alone.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None  # the usual case, without splitting the text into lines
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line in ("<<<<<<<", ">>>>>>>"):
            return lineno
    return None


def _attribute_findings(project: Project) -> list[Finding]:
    proc = run_git(
        project.root, "check-attr", "-z", "merge", "--", *EXPECTED_ATTRIBUTES, check=False
    )
    if proc.returncode != 0:
        return []
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    found = {fields[i]: fields[i + 2] for i in range(0, len(fields) - 2, 3)}
    findings: list[Finding] = []
    for path, expected in EXPECTED_ATTRIBUTES.items():
        if found.get(path) != expected:
            findings.append(
                Finding(
                    code="MERGE_RULES_MISSING",
                    path=".gitattributes",
                    severity="warning",
                    message=f"{path} should merge with merge={expected} so branches merge cleanly "
                    "(run `tmws init` to add the .gitattributes lines)",
                )
            )
    return findings


# -- derived indexes ------------------------------------------------------------------------------


def learnings_index_findings(
    project: Project, *, fix: bool, known: Mapping[str, dict[str, Any]] | None = None
) -> list[Finding]:
    """`learnings-index.jsonl` holds exactly one line per session archive, equal to its record.

    `known` maps an archive's path (relative to `.hestai/`) to the record its current content
    gives, when the caller has read it already (verify parses each file once); the others are
    read here.
    """
    archive_dir = project.memory_path(SESSIONS_ARCHIVE)
    expected: dict[str, dict[str, Any]] = {}  # archive rel → record
    findings: list[Finding] = []
    if legacy_index_present(project) and not (fix and move_legacy_index(project)):
        findings.append(
            Finding(
                code="INDEX_OLD_PLACE",
                path=f"{HESTAI}/{LEGACY_LEARNINGS_INDEX}",
                message=f"the learnings index belongs in {HESTAI}/{LEARNINGS_INDEX} (ADR-0033); "
                "`tmws verify --fix` or the next clock-in moves it",
            )
        )
    if archive_dir.is_dir():
        for file in sorted(archive_dir.glob("*.oct.md"), key=_name):  # one folder: by name
            rel = f"{SESSIONS_ARCHIVE}/{file.name}"
            if known is not None and rel in known:
                expected[rel] = known[rel]
                continue
            try:
                expected[rel] = index_record(read_archive(file.read_text(encoding="utf-8")), rel)
            except (TmwsError, OSError, UnicodeDecodeError, ValueError) as exc:
                findings.append(
                    Finding(
                        code="ARCHIVE_UNREADABLE",
                        path=f"{HESTAI}/{rel}",
                        message=f"cannot read the session archive to index it: {exc}",
                    )
                )
    index_file = project.memory_path(LEARNINGS_INDEX)
    lines = index_file.read_text(encoding="utf-8").splitlines() if index_file.is_file() else []
    if not expected and not lines:
        return findings
    problems: list[Finding] = []
    kept: list[str] = []  # the rebuilt index: valid lines in their order, corrected in place
    seen: set[str] = set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{INDEX_PATH}:{lineno}"
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(
                Finding(code="INDEX_INVALID_LINE", path=where, message="not a JSON line")
            )
            continue
        archive = record.get("archive") if isinstance(record, dict) else None
        if not isinstance(archive, str) or archive not in expected:
            problems.append(
                Finding(
                    code="INDEX_STALE",
                    path=where,
                    message=f"indexes {archive!r}, which is not a session archive",
                )
            )
            continue
        rel = archive
        if rel in seen:
            problems.append(
                Finding(code="INDEX_DUPLICATE", path=where, message=f"{rel} is indexed twice")
            )
            continue
        seen.add(rel)
        if record != expected[rel]:
            problems.append(
                Finding(
                    code="INDEX_MISMATCH",
                    path=where,
                    message=f"the line for {rel} differs from what the archive says",
                )
            )
            kept.append(_jsonl(expected[rel]))
        else:
            kept.append(line)
    for rel in sorted(set(expected) - seen, key=lambda r: (str(expected[r].get("ended", "")), r)):
        problems.append(
            Finding(
                code="INDEX_MISSING",
                path=f"{HESTAI}/{rel}",
                message=f"{rel} has no line in {INDEX_PATH}",
            )
        )
        kept.append(_jsonl(expected[rel]))
    if problems and fix and not any(f.code == "ARCHIVE_UNREADABLE" for f in findings):
        _rewrite_index(project, "".join(line + "\n" for line in kept))
        for f in problems:
            f.fixed = True
            f.message += "; index rebuilt from the archives"
    return findings + problems


def _jsonl(record: dict[str, Any]) -> str:
    """One line exactly as `Steward.append_jsonl` writes it."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _rewrite_index(project: Project, text: str) -> None:
    settings = load_settings(project)
    steward = Steward(
        project,
        lock_timeout=settings.lock_timeout_seconds,
        placement=routing_placement(project),
    )
    with steward.transaction("rebuild learnings index", stage=settings.stage_writes):
        steward.write_text(LEARNINGS_INDEX, text, reason="tmws verify --fix: rebuilt from archives")


def _name(path: Path) -> str:
    return path.name
