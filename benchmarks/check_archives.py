"""Are the archives a revision writes byte-identical to another revision's? (speed work guard)

    python benchmarks/check_archives.py --out new.json                 # this tree's src
    python benchmarks/check_archives.py --src /tmp/base/src --out base.json
    python benchmarks/check_archives.py --against base.json            # compute and compare

Writes a manifest of SHA-256 digests: every file `tmws import` writes under `.hestai/` for
each real history of ../shared/corpus/history (archives and the learnings index; the one
history line, dated today, is left out), and the text `compose_archive` renders for each
large Claude Code session of ../shared/corpus/claude-code (what clock-out archives), with a
fixed session record. An optimisation of reading, redaction or the Steward must leave every
digest as it was; `--against` prints the names that differ and exits 1 if any do.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parents[1] / "shared" / "corpus"
if not CORPUS.is_dir():  # a worktree two levels down (/work/wt/<name>)
    CORPUS = Path("/work/shared/corpus")


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=REPO / "src", help="the code to run")
    parser.add_argument("--out", type=Path, help="write the manifest here")
    parser.add_argument("--against", type=Path, help="compare with this manifest")
    parser.add_argument("--history", type=Path, default=CORPUS / "history")
    parser.add_argument("--sessions", type=Path, default=CORPUS / "claude-code")
    return parser.parse_args()


ARGS = _args()
sys.path.insert(0, str(ARGS.src.resolve()))

from hestai_tmws.project import Project  # noqa: E402
from hestai_tmws.sessions.archive import ArchiveInputs, compose_archive  # noqa: E402
from hestai_tmws.sessions.model import ActiveSession  # noqa: E402
from hestai_tmws.sessions.transcripts import read_transcript  # noqa: E402
from hestai_tmws.workflows.import_history import import_history  # noqa: E402
from hestai_tmws.workflows.init import init_project  # noqa: E402


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The learning namespace is derived from the root commit: fix its author, committer and dates.
_GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "check",
    "GIT_AUTHOR_EMAIL": "check@example.invalid",
    "GIT_COMMITTER_NAME": "check",
    "GIT_COMMITTER_EMAIL": "check@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def _scratch(root: Path) -> Project:
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "-C", str(root), "commit", "-q", "--allow-empty", "-m", "init"],
        check=True,
        env=_GIT_ENV,
    )
    init_project(Project.discover(root))
    return Project.discover(root)


def imported(history: Path) -> dict[str, str]:
    """Digest of every archive and index file each history's import writes."""
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="check-archives-") as tmp:
        for n, folder in enumerate(sorted(p for p in history.iterdir() if p.is_dir())):
            project = _scratch(Path(tmp) / f"p{n}")
            import_history(project, [folder], learn=False)
            hestai = project.root / ".hestai"
            wanted = [*sorted((hestai / "sessions" / "archive").rglob("*.oct.md"))]
            wanted += sorted((hestai / "learnings").rglob("*.jsonl"))
            for path in wanted:
                out[f"import/{folder.name}/{path.relative_to(hestai)}"] = _sha(path.read_bytes())
    return out


def composed(sessions: Path) -> dict[str, str]:
    """Digest of the archive text clock-out would compose for each corpus session."""
    out: dict[str, str] = {}
    started = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    for path in sorted(sessions.glob("*-*-*-*-*.jsonl")):
        session = ActiveSession(
            id="0123456789ab", role="implementation-lead", focus="check", started_at=started
        )
        inputs = ArchiveInputs(
            session=session,
            ended_at=started + timedelta(hours=1),
            transcript=read_transcript(path),
            summary="checked",
            namespace="check",
        )
        out[f"compose/{path.name}"] = _sha(compose_archive(inputs).text.encode("utf-8"))
    return out


def main() -> None:
    manifest = {**imported(ARGS.history), **composed(ARGS.sessions)}
    if ARGS.out:
        ARGS.out.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"{len(manifest)} digests ({ARGS.src})")
    if ARGS.against:
        other = json.loads(ARGS.against.read_text())
        names = manifest.keys() | other.keys()
        differ = sorted(k for k in names if manifest.get(k) != other.get(k))
        for name in differ:
            print(f"DIFFERS: {name}")
        print(f"{len(differ)} of {len(manifest | other)} differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
