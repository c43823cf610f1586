"""Helpers for the guard tests: real repositories, real `git commit` through the installed hook."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hestai_tmws.octave import Document, Section, emit, parse
from hestai_tmws.project import Project

PY = sys.executable
CONTEXT = "context/project-context.oct.md"
CONTEXT_ROOT = ".hestai/" + CONTEXT
INDEX = "sessions/archive/learnings-index.jsonl"


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ)
    if env:
        full.update(env)
    return subprocess.run(
        list(args), cwd=cwd, env=full, capture_output=True, text=True, check=False
    )


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = run(cwd, "git", *args, env=env)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def commit(
    cwd: Path, *extra: str, message: str = "change", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`git commit` as a person runs it: hooks on, nothing bypassed."""
    return run(cwd, "git", "commit", "-q", "-m", message, *extra, env=env)


def context_doc(**status: Any) -> str:
    """A small, valid PROJECT_CONTEXT document whose STATUS section holds `status`."""
    from hestai_tmws.octave import Document, Section, emit

    body = {"PHASE": "build", **{k.upper(): v for k, v in status.items()}}
    return emit(
        Document(
            name="PROJECT_CONTEXT",
            meta={"TYPE": "PROJECT_CONTEXT", "VERSION": "1.0"},
            sections=[Section(1, "STATUS", body)],
        )
    )


def steward_write(project: Project, rel: str, text: str) -> None:
    """A Steward write, staged as the Steward stages its writes."""
    from hestai_tmws.steward import Steward

    steward = Steward(project)
    with steward.transaction("test", stage=True):
        steward.write_text(rel, text)


def steward_append(project: Project, rel: str, *records: dict[str, Any]) -> None:
    from hestai_tmws.steward import Steward

    steward = Steward(project)
    with steward.transaction("test", stage=True):
        steward.append_jsonl(rel, list(records))


def steward_delete(project: Project, rel: str) -> None:
    from hestai_tmws.steward import Steward

    steward = Steward(project)
    with steward.transaction("test", stage=True):
        steward.delete(rel)


@dataclass
class Guarded:
    """A repository with the hook installed and one committed Steward-written document."""

    root: Path
    project: Project

    def path(self, rel_root: str) -> Path:
        return self.root / rel_root

    def commit(
        self, *extra: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return commit(self.root, *extra, env=env)


def assert_blocked(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode != 0, f"commit should have been blocked:\n{proc.stdout}\n{proc.stderr}"
    text = proc.stdout + proc.stderr
    assert "commit blocked" in text, text
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"


def assert_passed(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, f"commit should have passed:\n{proc.stdout}\n{proc.stderr}"


def write_gitattributes(root: Path) -> None:
    from hestai_tmws.guard.merge_driver import GITATTRIBUTES_LINE

    (root / ".gitattributes").write_text(f".hestai/**/*.jsonl merge=union\n{GITATTRIBUTES_LINE}\n")


def octave_doc(meta: dict[str, Any] | None = None, **sections: dict[str, Any]) -> str:
    """A project-context document with the given sections, as canonical OCTAVE text."""
    return emit(
        Document(
            name="PROJECT_CONTEXT",
            meta=meta or {"TYPE": "PROJECT_CONTEXT", "VERSION": "1.0"},
            sections=[Section(i, name, body) for i, (name, body) in enumerate(sections.items(), 1)],
        )
    )


def section_body(text: str, section: str) -> dict[str, Any]:
    sec = parse(text).section(section)
    assert sec is not None
    return sec.body


MERGE_BASE = octave_doc(
    STATUS={"PHASE": "build", "OWNER": "team", "ITEMS": ["a", "b"]}, NOTES={"N": "x"}
)
