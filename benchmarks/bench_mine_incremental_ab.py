"""The first incremental mine after a full one, repeated from one snapshot, two trees alternated.

    python benchmarks/bench_mine_incremental_ab.py snapshot        # once, after the full mine
    python benchmarks/bench_mine_incremental_ab.py 5 base=OLD/src new=src

ROOT (env `MINE_ROOT`, default /tmp/m50k_inc) is a git repository whose archive folder holds the
corpus, fully mined, plus the new archives not mined yet. `snapshot` copies what a run changes
(the git directory's tmws folder with the cache and ledger, the records, the provenance) to
`MINE_SNAP`; each run restores it, so every run is the same. Each run is a fresh process (as
in `bench_mining_ab.py`); CPU is its user+sys from `os.wait4`. Each line shows a SHA-256 over
every record file after the run: equal across trees means equal records.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("MINE_ROOT", "/tmp/m50k_inc"))
SNAP = Path(os.environ.get("MINE_SNAP", "/tmp/m50k_inc_snap"))
PY = sys.executable
CHILD = r"""
import sys, json
from pathlib import Path
from hestai_tmws.project import Project
from hestai_tmws.learning.pipeline import run_mine
r = run_mine(Project.discover(Path(sys.argv[1])), mode=sys.argv[2])
print(json.dumps({"patterns": r.patterns, "sessions": r.sessions, "read": r.archives_read,
  "updated": len(r.updated), "unchanged": r.unchanged, "mode": r.mode, "t": r.timings_ms}))
"""
PARTS = [".git/hestai-tmws", ".hestai/learning", ".hestai/provenance"]


def snapshot() -> None:
    shutil.rmtree(SNAP, ignore_errors=True)
    for part in PARTS:
        if (ROOT / part).exists():
            shutil.copytree(ROOT / part, SNAP / part, symlinks=True)


def restore() -> None:
    for part in PARTS:
        shutil.rmtree(ROOT / part, ignore_errors=True)
        if (SNAP / part).exists():
            shutil.copytree(SNAP / part, ROOT / part, symlinks=True)


def run(src: str, mode: str = "incremental") -> tuple[float, float, dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.Popen(
        [PY, "-c", CHILD, str(ROOT), mode], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, text
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, json.loads(text.strip().splitlines()[-1])


def digest() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / ".hestai/learning/patterns").iterdir()):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def main() -> None:
    if sys.argv[1] == "snapshot":
        snapshot()
        return
    rounds = int(sys.argv[1])
    trees = dict(arg.split("=", 1) for arg in sys.argv[2:])
    rows: dict[str, list[float]] = {name: [] for name in trees}
    for r in range(rounds):
        for name, src in trees.items():
            restore()
            cpu, rss, info = run(src)
            rows[name].append(cpu)
            print(
                f"round {r} {name}: CPU {cpu * 1000:.0f} ms RSS {rss:.0f} MB "
                f"records {digest()} {info}",
                flush=True,
            )
    restore()
    print("load average", os.getloadavg())
    for name, cpus in rows.items():
        cpus.sort()
        print(
            f"{name}: median {statistics.median(cpus) * 1000:.0f} ms "
            f"[{cpus[0] * 1000:.0f}-{cpus[-1] * 1000:.0f}] n={len(cpus)}"
        )


if __name__ == "__main__":
    main()
