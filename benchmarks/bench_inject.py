"""Governance injection: from scratch, no-op (the common case: every clock-in), verify, heal.

Run: python benchmarks/bench_inject.py [--repeat N]
Prints medians and p95 in milliseconds and the ratio scratch / no-op.
"""

from __future__ import annotations

import argparse
import os

from _util import machine, percentile, temp_repo, time_calls

from hestai_tmws.governance.hub import read_hub, validate_hub
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.locate import bundled_hub_path
from hestai_tmws.governance.status import verify_governance
from hestai_tmws.governance.swap import remove_tree
from hestai_tmws.project import Project


def tamper(project: Project) -> None:
    """Make one file writable and change it, as a careless agent would."""
    target = project.hestai_sys / "agents" / "implementation-lead.oct.md"
    os.chmod(target.parent, 0o755)
    os.chmod(target, 0o644)
    target.write_text(target.read_text(encoding="utf-8") + "// edited\n", encoding="utf-8")


def row(name: str, seconds: list[float]) -> tuple[str, float, float]:
    ms = [s * 1000 for s in seconds]
    return name, percentile(ms, 50), percentile(ms, 95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    n = args.repeat
    with temp_repo() as root:
        project = Project.discover(root)
        inject(project)  # warm caches and imports once

        def scratch() -> None:
            remove_tree(project.hestai_sys)
            inject(project)

        def heal() -> None:
            tamper(project)
            assert inject(project).action == "healed"

        snapshot = read_hub(bundled_hub_path())
        rows = [
            row("inject from scratch (incl. removal)", time_calls(scratch, n)),
            row("inject no-op (intact, current)", time_calls(lambda: inject(project), n)),
            row("verify_governance", time_calls(lambda: verify_governance(project), n)),
            row("inject heal (1 file tampered)", time_calls(heal, n)),
            row("validate hub (parse every file)", time_calls(lambda: validate_hub(), n)),
        ]
    print(f"machine: {machine()}")
    size = sum(map(len, snapshot.files.values()))
    print(f"hub: {len(snapshot.files)} files, {size} bytes; n={n}")
    print("| operation | median ms | p95 ms |")
    print("|---|---:|---:|")
    for name, p50, p95 in rows:
        print(f"| {name} | {p50:.2f} | {p95:.2f} |")
    print(f"ratio scratch / no-op: {rows[0][1] / rows[1][1]:.1f}x")


if __name__ == "__main__":
    main()
