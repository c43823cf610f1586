"""`tmws verify`: the structural checks CI repeats, because `git commit --no-verify` exists.

Governance intact, every `.hestai/` file valid for its format and placed where the
visibility rules allow, no crash leftovers — plus the collaboration checks of the guard
(nothing of `.hestai-sys/` tracked, derived indexes consistent) when that module is present.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, Field

from hestai_tmws.errors import TmwsError
from hestai_tmws.findings import Finding
from hestai_tmws.layout import HESTAI, HESTAI_SYS
from hestai_tmws.project import Project
from hestai_tmws.steward.memory_files import iter_memory_files, temp_leftovers


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
    findings.extend(_collaboration_findings(project, fix=fix))
    report = VerifyReport(
        ok=True, checked_files=checked, governance_version=version, findings=findings
    )
    report.ok = not report.errors
    return report


def _governance_findings(project: Project, findings: list[Finding], *, fix: bool) -> str | None:
    from hestai_tmws.governance.inject import inject, verify_governance

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
    problems = status.problems() or ["governance is not injected"]
    healed = False
    if fix:
        try:
            inject(project)
            healed = verify_governance(project).ok
        except TmwsError as exc:
            problems.append(f"healing failed: {exc.message}")
    for problem in problems:
        findings.append(
            Finding(code="GOV_TAMPERED", path=HESTAI_SYS, message=problem, fixed=healed)
        )
    return status.version


def _memory_findings(project: Project, findings: list[Finding]) -> int:
    from hestai_tmws.governance.rules import load_routing, route
    from hestai_tmws.octave import OctaveError, parse

    routing = load_routing(project)  # the located hub's rules: never weakened by edits
    checked = 0
    if project.hestai.is_symlink():
        findings.append(
            Finding(code="HESTAI_SYMLINK", path=HESTAI, message=".hestai is a symbolic link")
        )
        return 0
    for rel, path in iter_memory_files(project):
        checked += 1
        shown = f"{HESTAI}/{rel}"
        if path.is_symlink():
            findings.append(
                Finding(code="SYMLINK", path=shown, message="memory files cannot be links")
            )
            continue
        rule = route(routing, rel) if routing else None
        if routing and rule is None:
            findings.append(
                Finding(
                    code="MISPLACED",
                    path=shown,
                    message="no visibility rule allows a file here (wrong folder or name)",
                )
            )
        elif rule is not None and not rule.committed:
            findings.append(
                Finding(
                    code="NOT_COMMITTED_TYPE",
                    path=shown,
                    message=f"{rule.doc_type} files are not kept in git here",
                )
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding(code="UNREADABLE", path=shown, message=str(exc)))
            continue
        if rel.endswith(".oct.md"):
            try:
                doc = parse(text)
            except OctaveError as exc:
                findings.append(Finding(code="OCTAVE_INVALID", path=shown, message=exc.message))
                continue
            if rule is not None and rule.envelope and doc.name != rule.envelope:
                findings.append(
                    Finding(
                        code="WRONG_ENVELOPE",
                        path=shown,
                        message=f"envelope {doc.name} where {rule.doc_type} needs {rule.envelope}",
                    )
                )
        elif rel.endswith(".jsonl"):
            for lineno, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        json.loads(line)
                    except ValueError:
                        findings.append(
                            Finding(
                                code="JSONL_INVALID",
                                path=f"{shown}:{lineno}",
                                message="not a JSON line",
                            )
                        )
                        break
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


def _collaboration_findings(project: Project, *, fix: bool) -> list[Finding]:
    try:
        from hestai_tmws.guard.ci_checks import collaboration_findings
    except ImportError:
        return []
    return collaboration_findings(project, fix=fix)
