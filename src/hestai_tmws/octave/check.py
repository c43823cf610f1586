"""`octave check`: every problem of an OCTAVE file, not just the first, each with its line.

The reader stops at the first error (it must: nothing after it can be trusted to mean what it
says). To list every problem, the checker replaces the offending line by a harmless stand-in
(a unique ``KEY::x`` entry or a list item, at the same indentation) and reads again, up to
`MAX_PROBLEMS` times. A problem the stand-in cannot get past (a missing envelope, an unclosed
list) ends the search, so the list never repeats itself.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.read import parse

MAX_PROBLEMS = 50


class Problem(BaseModel):
    """One reason the file is not valid OCTAVE (as octave-mcp strict reads it)."""

    line: int | None
    message: str
    hint: str | None = None


class FileCheck(BaseModel):
    """The result for one file: `ok` when it parses, else every problem found."""

    path: str
    ok: bool
    problems: list[Problem] = Field(default_factory=list)


class CheckReport(BaseModel):
    """All files checked; `ok` when every one parses."""

    ok: bool
    files: list[FileCheck]


def _stand_in(line: str, n: int) -> str:
    text = line.lstrip(" ")
    pad = line[: len(line) - len(text)]
    if text[:1].isalpha() or text[:1] == "_" or text[:1].isdigit():
        return f"{pad}TMWS_CHECK_{n}::x" if ":" in text or not pad else f"{pad}x,"
    return f"{pad}x,"


def problems(text: str) -> list[Problem]:
    """Every problem found in `text` (empty when it parses)."""
    lines = text.split("\n")
    found: list[Problem] = []
    replaced: set[int] = set()
    for n in range(MAX_PROBLEMS):
        try:
            parse("\n".join(lines))
            break
        except OctaveError as exc:
            at = (exc.line or 0) - 1
            if at in replaced or "TMWS_CHECK_" in exc.detail:
                break  # a consequence of a stand-in, not a problem of the file
            found.append(Problem(line=exc.line, message=exc.detail, hint=exc.hint))
            if not 0 < at < len(lines) or lines[at].startswith("==="):
                break
            replaced.add(at)
            lines[at] = _stand_in(lines[at], n)
    return found


def check_file(path: Path) -> FileCheck:
    """Check one file; unreadable or non-UTF-8 files are a problem of their own."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return FileCheck(path=str(path), ok=False, problems=[Problem(line=None, message=str(exc))])
    except UnicodeDecodeError as exc:
        message = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        return FileCheck(path=str(path), ok=False, problems=[Problem(line=None, message=message)])
    found = problems(text)
    return FileCheck(path=str(path), ok=not found, problems=found)


def check_files(paths: list[Path]) -> CheckReport:
    """Check every file in order."""
    results = [check_file(p) for p in paths]
    return CheckReport(ok=all(r.ok for r in results), files=results)
