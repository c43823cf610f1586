"""SIGKILL a writing process at random instants: every file holds an old or a new version."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap

import pytest

from hestai_tmws.gitio import blob_id
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.atomic import TEMP_PREFIX
from hestai_tmws.steward.provenance import parse_text
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project

FILES = 4
WRITER = textwrap.dedent(
    """
    import sys
    from hestai_tmws.octave import Document, Section, emit
    from hestai_tmws.project import Project
    from hestai_tmws.steward import Steward
    steward = Steward(Project.discover(sys.argv[1]))
    first, files = int(sys.argv[2]), int(sys.argv[3])

    def write(k):
        doc = Document(
            name="REPORT",
            meta={"TYPE": "REPORT", "VERSION": "1.0"},
            sections=[Section(1, "BODY", {"N": k, "PAD": "x" * (k % 4096)})],
        )
        steward.write_text(f"reports/2026-11-21-crash-{k % files}.oct.md", emit(doc))

    write(first)  # warm up: the first write imports the parser and the secret scanner
    print("ready", flush=True)
    for k in range(first + 1, first + 100000):
        write(k)
        print(k, flush=True)  # the parent kills after a random number of these
    """
)


def name(i: int) -> str:
    return f"2026-11-21-crash-{i}.oct.md"


def check_complete(text: str) -> None:
    """A torn file would not parse, or its padding would not match its number."""
    body = parse(text).sections[0].body
    assert isinstance(body["N"], int) and body["PAD"] == "x" * (body["N"] % 4096)


def provenance_records(project: Project) -> set[tuple[str, str | None]]:
    """Every (path, blob) the provenance on disk records; each line must be whole."""
    out: set[tuple[str, str | None]] = set()
    for file in (project.hestai / "provenance").glob("*.jsonl"):
        records, bad = parse_text(file.read_text())
        assert bad == [], f"{file.name}: lines {bad} are torn"
        out.update((r.path, r.blob) for r in records)
    return out


@pytest.mark.slow
def test_sigkill_never_tears_a_file(project: Project) -> None:
    """A SIGKILL campaign over at least 300 writes: files, ledger and provenance stay whole."""
    rng = random.Random(20261121)
    steward = Steward(project, validate_secrets=False)
    writes, rounds = 0, 0
    while (writes < 300 or rounds < 20) and rounds < 300:
        rounds += 1
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(project.root), str(rounds * 1_000_000), str(FILES)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for _ in range(rng.randrange(0, 6)):  # the kill lands inside the next write
            proc.stdout.readline()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        index = steward.ledger.index()  # the ledger still verifies after every kill
        writes = sum(len(b) for p, b in index.blobs.items() if "/reports/" in p)
        recorded = provenance_records(project)
        for i in range(FILES):
            path = project.hestai / "reports" / name(i)
            if path.exists():
                check_complete(path.read_text())
                # whatever is on disk, the ledger knows it: the guard will accept it
                assert index.knows(f".hestai/reports/{name(i)}", blob_id(path.read_bytes()))
                # and the committed provenance records it, so CI will accept it too
                assert (f".hestai/reports/{name(i)}", blob_id(path.read_bytes())) in recorded
    assert writes >= 300
    names = {p.name for p in (project.hestai / "reports").iterdir()}
    data_files = {n for n in names if not n.startswith(TEMP_PREFIX)}
    assert data_files <= {name(i) for i in range(FILES)}
    assert all(n.endswith(".tmp") for n in names - data_files)
    # and the project as a whole still verifies (temp leftovers are only warnings)
    init_project(project)
    report = verify_project(project)
    assert report.ok, report.errors
