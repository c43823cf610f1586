"""1,000 Steward writes of small OCTAVE documents: p50/p95 per write (lock, validate, fsync,
rename, ledger).

Run: python benchmarks/bench_steward.py [--writes N]
"""

from __future__ import annotations

import argparse

from _util import machine, percentile, temp_repo, time_calls

from hestai_tmws.octave import Document, Section, emit
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward


def make_doc(i: int) -> str:
    doc = Document(
        name="REPORT",
        meta={"TYPE": "REPORT", "VERSION": "1.0", "ID": f"r{i}"},
        sections=[
            Section(
                1, "BODY", {"TITLE": f"report number {i}", "ITEMS": [f"item-{j}" for j in range(5)]}
            )
        ],
    )
    return emit(doc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    with temp_repo() as root:
        steward = Steward(Project.discover(root))
        docs = [make_doc(i) for i in range(args.writes)]
        counter = iter(range(args.writes))

        def one() -> None:
            i = next(counter)
            steward.write_text(f"reports/report-{i % 50}.oct.md", docs[i])

        times = time_calls(one, args.writes)
    ms = [t * 1000 for t in times]
    print(f"machine: {machine()}")
    print(
        f"steward writes: n={args.writes}  p50 {percentile(ms, 50):.2f} ms  "
        f"p95 {percentile(ms, 95):.2f} ms  max {max(ms):.2f} ms"
    )


if __name__ == "__main__":
    main()
