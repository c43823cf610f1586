"""`tmws verify`: the structural checks CI repeats, because `git commit --no-verify` exists.

Governance intact, every `.hestai/` file valid for its format and placed where the
visibility rules allow (the one `steward.validate`), no crash leftovers — plus the
collaboration checks of the guard (nothing of `.hestai-sys/` tracked, derived indexes
consistent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError, UsageError
from hestai_tmws.findings import Finding
from hestai_tmws.forkpool import Pool, serial_map
from hestai_tmws.gitio import run_git
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.placement import placement_from
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.guard.ci_checks import collaboration_findings, conflict_line
from hestai_tmws.guard.provenance_proof import Prover
from hestai_tmws.guard.secret_scan import head_items, secret_findings, warm_up
from hestai_tmws.guard.signing import signature_findings
from hestai_tmws.layout import HESTAI, HESTAI_SYS
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.memory_files import iter_memory_files, temp_leftovers
from hestai_tmws.steward.provenance import is_provenance
from hestai_tmws.steward.validate import Placement, check_placement, shown_path
from hestai_tmws.workflows.verify_files import FileJob, check_file, read_text
from hestai_tmws.workflows.verify_memo import FileFacts, VerifyMemo, file_key

# Called after each memory file is checked and each HEAD blob is scanned for secrets:
# (items done, items in all, path). A face draws it (a progress bar); the core only counts,
# so it stays free of any display.
FileProgress = Callable[[int, int, str], None]
_Progress = Callable[[int, str], None]


class VerifyReport(BaseModel):
    ok: bool
    checked_files: int
    governance_version: str | None = None
    findings: list[Finding] = Field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" and not f.fixed]


def verify_project(
    project: Project,
    *,
    fix: bool = False,
    since: str | None = None,
    signed: bool = False,
    on_file: FileProgress | None = None,
    jobs: int | None = 1,
) -> VerifyReport:
    """Run every check; with `fix`, repair what can be repaired safely (governance, indexes).

    The provenance proof covers HEAD's `.hestai/` blobs; with `since` every commit of
    `since..HEAD` is checked too, naming the commit that brought a hand edit in, and the secret
    scan reads only the lines `since..HEAD` added to `.hestai/`. With `signed` each commit that
    changes provenance must carry a signature git verifies. `on_file` hears of each memory
    file checked (thousands of archives take a while). `jobs`: worker processes for the
    per-file checks (None: one per core; the default 1 runs them here — a long-lived
    process with threads, the MCP server, should not fork).
    """
    if since is not None:
        _check_rev(project, since)  # before any work: a typo is a usage error, not findings
    findings: list[Finding] = []
    version = _governance_findings(project, findings, fix=fix)
    swept = Steward(project).sweep_temp_files() if fix else []
    records: dict[str, dict[str, Any]] = {}  # archive -> its index record, read once here
    unmarked: set[str] = set()  # files read here without conflict markers: not read again
    memo = VerifyMemo(project)  # results of unchanged files from earlier runs
    blobs = head_items(project.root) if since is None else []  # scanned for secrets below
    files = [] if project.hestai.is_symlink() else list(iter_memory_files(project))
    total = len(files) + len(blobs)  # one bar over both passes
    progress = (lambda done, rel: on_file(done, total, rel)) if on_file else None
    # forks only for enough work, on a machine with cores to spare
    heads = dict(blobs)  # a file whose bytes are HEAD's blob is scanned with its check
    with Pool(jobs, before_fork=warm_up) as pool:
        checked = _memory_findings(
            project, findings, files, progress, records, memo, pool, heads, unmarked
        )
        findings += [_temp_finding(path, fixed=True) for path in swept]
        scanned = (lambda done, path: progress(len(files) + done, path)) if progress else None
        cache = memo.secret_cache()
        findings.extend(secret_findings(project.root, since, cache, blobs, scanned, pool.map))
    memo.save()
    findings.extend(collaboration_findings(project, fix=fix, known=records, unmarked=unmarked))
    findings.extend(_provenance_findings(project, since))
    if signed:
        findings.extend(signature_findings(project, since))
    report = VerifyReport(
        ok=True, checked_files=checked, governance_version=version, findings=findings
    )
    report.ok = not report.errors
    return report


def _provenance_findings(project: Project, since: str | None) -> list[Finding]:
    """Every committed `.hestai/` blob accounted for by provenance (what CI can prove)."""
    if project.git.head_commit() is None:
        return []
    prover = Prover(project)
    found = prover.prove_commit("HEAD")
    if since is not None:
        found += prover.prove_range(since)
    return found


def _check_rev(project: Project, since: str) -> None:
    probe = run_git(project.root, "rev-parse", "--verify", "-q", f"{since}^{{commit}}", check=False)
    if probe.returncode != 0:
        raise UsageError(f"--since {since}: no such commit", hint="pass a commit or branch")


def _governance_findings(project: Project, findings: list[Finding], *, fix: bool) -> str | None:
    status = verify_governance(project)
    if status.ok:
        return status.version
    if not status.present and not fix:
        # A fresh clone (CI) has no .hestai-sys/: it is gitignored. Nothing was tampered with;
        # placement is still checked against the hub's own rules below.
        findings.append(
            Finding(
                code="GOV_NOT_INJECTED",
                path=HESTAI_SYS,
                severity="warning",
                message="governance is not injected here (normal on a fresh clone); "
                "checked against the hub instead — run `tmws inject` to install it",
            )
        )
        return status.hub_version
    found = status.findings() or [
        Finding(code="GOV_MISSING", path=HESTAI_SYS, message="governance is not injected")
    ]
    healed = False
    if fix:
        try:
            inject(project)
            healed = verify_governance(project).ok
        except TmwsError as exc:
            found.append(
                Finding(
                    code="GOV_TAMPERED", path=HESTAI_SYS, message=f"healing failed: {exc.message}"
                )
            )
    for item in found:
        # A newer hub is an update to take in (`tmws inject`), never tampering.
        severity = "warning" if item.code == "GOV_OUTDATED" else "error"
        findings.append(item.model_copy(update={"fixed": healed, "severity": severity}))
    return status.version


def _memory_findings(
    project: Project,
    findings: list[Finding],
    files: list[tuple[str, Path]],
    on_file: _Progress | None = None,
    records: dict[str, dict[str, Any]] | None = None,
    memo: VerifyMemo | None = None,
    pool: Pool | None = None,
    heads: dict[str, str] | None = None,
    unmarked: set[str] | None = None,
) -> int:
    """Check every memory file; the content checks memo does not answer go to `pool` (in
    file order, so findings and progress are those of a loop over the files). `heads` maps
    `.hestai/` paths to HEAD's blob ids: a file whose bytes are that blob gets the blob's
    secret scan in the same job, kept in `memo` for the scan of HEAD that follows;
    `unmarked` learns the `.hestai/` paths read here whose text has no conflict markers.
    Files are read here only when `memo` holds answers to ask; otherwise by the jobs."""
    routing = load_routing(project)  # the located hub's rules: never weakened by edits
    placement = placement_from(routing) if routing else None  # no table: check formats only
    if project.hestai.is_symlink():
        findings.append(
            Finding(code="HESTAI_SYMLINK", path=HESTAI, message=".hestai is a symbolic link")
        )
        return 0
    asked = memo if memo is not None and memo.may_answer() else None
    steps: list[list[Finding] | _Pending] = []

    def todo() -> Iterator[FileJob]:  # the content checks memo does not answer, in order
        for rel, path in files:
            step = _file_step(rel, path, placement, asked, heads)
            steps.append(step)
            if isinstance(step, _Pending) and step.facts is None:
                yield step.job

    if pool is not None:  # workers start on the first files while the rest are listed
        computed = pool.map_stream(check_file, todo(), len(files))
    else:
        computed = serial_map(check_file, list(todo()))
    checked = 0
    for (rel, _), step in zip(files, steps, strict=True):
        checked += 1
        if isinstance(step, list):
            findings.extend(step)
        else:
            facts, clean = step.facts, step.unmarked
            if facts is None:
                result = next(computed)
                facts, clean = result.facts, result.unmarked
                if memo is not None and result.key is not None:
                    memo.keep_file(result.key, facts)
                if memo is not None and result.hits is not None and step.job.head is not None:
                    memo.keep_secrets(step.job.head, result.hits)
            if clean and unmarked is not None:
                unmarked.add(f"{HESTAI}/{rel}")
            content, record = facts
            if record is not None and records is not None:
                records[rel] = record
            findings.extend([*step.found, *content])
        if on_file is not None:
            on_file(checked, rel)
    findings.extend(_temp_finding(leftover) for leftover in temp_leftovers(project))
    return checked


def _temp_finding(path: str, *, fixed: bool = False) -> Finding:
    return Finding(
        code="TEMP_LEFTOVER",
        path=path,
        severity="warning",
        message="temp file of an interrupted write (never data); "
        + ("swept" if fixed else "safe to delete, or run `tmws verify --fix`"),
        fixed=fixed,
    )


@dataclass
class _Pending:
    """A memory file whose content is (or was, by `memo`) checked: its content facts to come."""

    found: list[Finding]  # the placement findings
    job: FileJob  # what `check_file` is given
    facts: FileFacts | None = None  # memo's answer, when it had one
    unmarked: bool = False  # with memo's answer: read here, and no conflict markers


def _file_step(
    rel: str,
    path: Path,
    placement: Placement | None,
    memo: VerifyMemo | None,
    heads: dict[str, str] | None = None,
) -> list[Finding] | _Pending:
    """The one `steward.validate` check of a memory file, up to its content check: the
    findings when that is all there is (a link, unreadable here), else what is left to do.
    With `memo` the file is read here and memo answers for content checked before (same
    path, rule and bytes); a session archive's index record comes from the same parse."""
    shown = shown_path(rel)
    if path.is_symlink():
        return [Finding(code="SYMLINK", path=shown, message="memory files cannot be links")]
    head = heads.get(f"{HESTAI}/{rel}") if heads else None
    if is_provenance(f"{HESTAI}/{rel}"):
        return _Pending([], FileJob(rel, str(path), None, head, provenance=True))
    rule, issues = check_placement(rel, placement)
    found = [Finding(code=i.code, path=shown, message=i.message) for i in issues]
    if memo is None:
        return _Pending(found, FileJob(rel, str(path), rule, head))
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        return [*found, Finding(code="UNREADABLE", path=shown, message=str(exc))]
    facts = memo.file_facts(file_key(rel, rule, text.encode("utf-8")))
    job = FileJob(rel, str(path), rule, head, text=text)
    return _Pending(found, job, facts, facts is not None and conflict_line(text) is None)
