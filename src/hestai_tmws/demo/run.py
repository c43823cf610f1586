"""`tmws demo`: the whole life cycle in a throwaway git repository, step by step.

Each step is a real call into the same services users call; the face only shows the steps.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.demo.steps import FULL_STEPS
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.status import project_status
from hestai_tmws.workflows.verify import verify_project


class DemoStep(BaseModel):
    name: str
    ok: bool
    detail: str
    files: list[str] = Field(default_factory=list)
    seconds: float = 0.0


class DemoReport(BaseModel):
    repo: str
    steps: list[DemoStep] = Field(default_factory=list)
    ok: bool = True
    seconds: float = 0.0


StepFn = Callable[[Project], tuple[str, list[str]]]


def make_demo_repo(where: Path | None = None) -> Path:
    """A fresh git repository with one commit, in `where` or a new temp folder."""
    root = Path(where) if where else Path(tempfile.mkdtemp(prefix="tmws-demo-")) / "demo-project"
    root.mkdir(parents=True, exist_ok=True)
    env_git = ["git", "-c", "user.name=tmws demo", "-c", "user.email=demo@hestai-tmws.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / "README.md").write_text("# demo project\n\nA throwaway repository for `tmws demo`.\n")
    subprocess.run([*env_git, "add", "README.md"], cwd=root, check=True)
    subprocess.run([*env_git, "commit", "-q", "-m", "initial commit"], cwd=root, check=True)
    subprocess.run(["git", "config", "user.name", "tmws demo"], cwd=root, check=True)
    subprocess.run(
        ["git", "config", "user.email", "demo@hestai-tmws.invalid"], cwd=root, check=True
    )
    return root


def _step_init(project: Project) -> tuple[str, list[str]]:
    result = init_project(project)
    return (
        f"created {len(result.created)} memory files, governance {result.governance_version} "
        "injected read-only into .hestai-sys/",
        result.created,
    )


def _step_status(project: Project) -> tuple[str, list[str]]:
    report = project_status(project)
    state = "intact" if report.governance.intact else "NOT intact"
    return (
        f"governance {report.governance.version} {state}; {report.memory_files} memory files; "
        f"{len(report.active_sessions)} active sessions",
        [],
    )


def _step_verify(project: Project) -> tuple[str, list[str]]:
    report = verify_project(project)
    if not report.ok:
        raise RuntimeError("; ".join(f"{f.code} {f.path}: {f.message}" for f in report.errors))
    return f"verify passed: {report.checked_files} memory files valid and well placed", []


def _all_steps() -> list[tuple[str, StepFn]]:
    return [("init", _step_init), ("status", _step_status), *FULL_STEPS]


BASIC_STEPS: list[tuple[str, StepFn]] = [
    ("init", _step_init),
    ("status", _step_status),
    ("verify", _step_verify),
]


def run_demo(
    where: Path | None = None,
    *,
    on_step: Callable[[DemoStep], None] | None = None,
    steps: list[tuple[str, StepFn]] | None = None,
) -> DemoReport:
    """Run every step in order; stop at the first failure and report it."""
    started = time.perf_counter()
    root = make_demo_repo(where)
    project = Project.discover(root)
    report = DemoReport(repo=str(root))
    for name, fn in steps or _all_steps():
        t0 = time.perf_counter()
        try:
            detail, files = fn(project)
            step = DemoStep(name=name, ok=True, detail=detail, files=files)
        except Exception as exc:  # the demo reports a failing step instead of a traceback
            step = DemoStep(name=name, ok=False, detail=f"{type(exc).__name__}: {exc}")
        step.seconds = round(time.perf_counter() - t0, 3)
        report.steps.append(step)
        if on_step is not None:
            on_step(step)
        if not step.ok:
            report.ok = False
            break
    report.seconds = round(time.perf_counter() - started, 3)
    return report
