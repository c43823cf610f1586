"""`tmws verify`: the structural checks CI repeats, because `git commit --no-verify` exists.

Governance intact, every `.hestai/` file valid for its format and placed where the
visibility rules allow (the one `steward.validate`), no crash leftovers — plus the
collaboration checks of the guard (nothing of `.hestai-sys/` tracked, derived indexes
consistent).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.placement import placement_from
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.guard.ci_checks import collaboration_findings
from hestai_tmws.layout import HESTAI, HESTAI_SYS
from hestai_tmws.project import Project
from hestai_tmws.steward.memory_files import iter_memory_files, temp_leftovers
from hestai_tmws.steward.validate import Placement, check_content, check_placement, shown_path

# Tracked files with conflict markers are the guard's finding (CONFLICT_MARKERS, ci_checks).
_REPORTED_ELSEWHERE = frozenset({"CONFLICT_MARKERS"})


class VerifyReport(BaseModel):
    ok: bool
    checked_files: int
    governance_version: str | None = None
    findings: list[Finding] = Field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" and not f.fixed]


def verify_project(project: Project, *, fix: bool = False) -> VerifyReport:
    """Run every check; with `fix`, repair what can be repaired safely (governance, indexes)."""
    findings: list[Finding] = []
    version = _governance_findings(project, findings, fix=fix)
    checked = _memory_findings(project, findings)
    findings.extend(collaboration_findings(project, fix=fix))
    report = VerifyReport(
        ok=True, checked_files=checked, governance_version=version, findings=findings
    )
    report.ok = not report.errors
    return report


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


def _memory_findings(project: Project, findings: list[Finding]) -> int:
    routing = load_routing(project)  # the located hub's rules: never weakened by edits
    placement = placement_from(routing) if routing else None  # no table: check formats only
    checked = 0
    if project.hestai.is_symlink():
        findings.append(
            Finding(code="HESTAI_SYMLINK", path=HESTAI, message=".hestai is a symbolic link")
        )
        return 0
    for rel, path in iter_memory_files(project):
        checked += 1
        findings.extend(_file_findings(rel, path, placement))
    for leftover in temp_leftovers(project):
        findings.append(
            Finding(
                code="TEMP_LEFTOVER",
                path=leftover,
                severity="warning",
                message="temp file of an interrupted write (never data); safe to delete",
            )
        )
    return checked


def _file_findings(rel: str, path: Path, placement: Placement | None) -> list[Finding]:
    """The one `steward.validate` check of a memory file, as findings."""
    shown = shown_path(rel)
    if path.is_symlink():
        return [Finding(code="SYMLINK", path=shown, message="memory files cannot be links")]
    rule, issues = check_placement(rel, placement)
    found = [Finding(code=i.code, path=shown, message=i.message) for i in issues]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [*found, Finding(code="UNREADABLE", path=shown, message=str(exc))]
    for issue in check_content(rel, text, rule, strict=True):
        if issue.code in _REPORTED_ELSEWHERE:
            continue
        found.append(Finding(code=issue.code, path=issue.where(shown), message=issue.message))
    return found
