"""Archives are committed and shared: absolute paths of one machine do not belong in them.

Paths inside the repository become repository-relative (`/home/ada/billing/src/a.py` →
`src/a.py`, the root itself → `.`), and the home folder becomes `~`
(`/home/ada/.claude/projects/x.jsonl` → `~/.claude/projects/x.jsonl`). A transcript whose
working directory is outside the repository is probably another project's: the archive
notes it, so the person closing the session can see it before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from hestai_tmws.sessions.archive.build import ArchiveInputs
from hestai_tmws.sessions.archive.model import ArchiveData

_PATH_END = r"(?=$|[\s/\"'`:;,)\]}>])"  # where a path ends inside free text


Rule = tuple[str, re.Pattern[str], str]  # the path (in every match), its pattern, replacement


def _rules(path: str | None, inside: str, itself: str) -> list[Rule]:
    """Replace `path/` by `inside` and `path` at a path's end by `itself`."""
    cleaned = (path or "").rstrip("/")
    if len(cleaned) < 2:  # "/" alone would rewrite every path
        return []
    escaped = re.escape(cleaned)
    return [
        (cleaned, re.compile(escaped + "/"), inside),
        (cleaned, re.compile(escaped + _PATH_END), itself),
    ]


def _localize(text: str, rules: list[Rule]) -> str:
    for path, pattern, replacement in rules:
        if path in text:  # every match holds the path: most texts hold none
            text = pattern.sub(replacement, text)
    return text


def _walk(value: Any, rules: list[Rule]) -> Any:
    if isinstance(value, str):
        return _localize(value, rules)
    if isinstance(value, list):
        return [_walk(v, rules) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, rules) for k, v in value.items()}
    return value


def outside_repository(cwd: str | None, root: str) -> bool:
    """The transcript's working directory is known and lies outside the repository `root`."""
    if not cwd:
        return False
    try:
        return not Path(cwd).resolve().is_relative_to(Path(root).resolve())
    except (OSError, ValueError):
        return True


def localize_paths(
    data: ArchiveData, inputs: ArchiveInputs, *, home: str | None = None
) -> ArchiveData:
    """`data` with repository-relative paths and `~` for the home folder; notes a foreign cwd.

    The repository is `inputs.root`; the transcript's working directory is checked against
    it. Without a root (a caller that does not know the repository) only home is replaced.
    """
    root = inputs.root
    cwd = inputs.transcript.cwd if inputs.transcript is not None else None
    home_dir = home if home is not None else os.path.expanduser("~")
    home_rules = _rules(home_dir, "~/", "~") if home_dir != "~" else []
    rules = _rules(root, "", ".") + home_rules  # the repository first: it is usually in home
    localized = ArchiveData.model_validate(_walk(data.model_dump(mode="python"), rules))
    if root and outside_repository(cwd, root):
        shown = _localize(cwd or "", home_rules)
        localized.summary.notes.append(
            f"warning: the transcript's working directory {shown} is not this repository; "
            "check that it belongs to this project before committing the archive"
        )
    return localized
