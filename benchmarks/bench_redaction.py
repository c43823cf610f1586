"""Secret engines compared on the generated corpus, and redaction speed on a real transcript.

Engines (each as a redactor: every value it reports is replaced, then leaks are counted with
the corpus' own rule, a 12-character slice of the secret surviving):

* tmws          — `hestai_tmws.secrets.redaction.redact` of this tree
* tmws-baseline — the same function at `--baseline REV` (default c489eab, before issue 11),
                  run in a subprocess from a `git archive` of that revision
* detect-secrets — its default plugins alone (entropy plugins left out), line by line
* betterleaks   — `betterleaks.scan_string` (Go engine, gitleaks-style rules), if installed
* kingfisher    — `kingfisher_sdk.Scanner` with its built-in rules (Rust), if installed

Speed: process CPU time (steady on a shared machine), median and spread of `--runs`, for one
short string (mean over the corpus texts) and for the 3.5 MB corpus session: clock-out's
read + redact, and `redact` over the whole raw file text (every tool output included).

Run: .venv/bin/python benchmarks/bench_redaction.py [--runs 5] [--baseline REV]
     (`--engine NAME --json` prints one engine's corpus result; used for the baseline.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if "--baseline-run" not in sys.argv:
    sys.path.insert(0, str(REPO / "src"))

from tests.secrets.corpus import build_benign, build_secrets, leaked  # noqa: E402

TRANSCRIPT = (
    REPO.parent / "shared" / "corpus" / "claude-code" / "4d5611e5-241a-462a-8d15-5122611a9569.jsonl"
)
Redactor = Callable[[str], str]


def _replace(text: str, values: list[str]) -> str:
    for value in sorted(set(values), key=len, reverse=True):
        if value:
            text = text.replace(value, "[REDACTED]")
    return text


def tmws_engine() -> Redactor:
    from hestai_tmws.secrets.redaction import redact

    return redact


# `scan_line` reports every word as "high entropy" (it ignores the limits in ad-hoc mode), so
# its two entropy plugins are left out, as tmws does: the column is its regex and keyword plugins.
_DS_ENTROPY = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})


def detect_secrets_engine() -> Redactor:
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    def run(text: str) -> str:
        found: list[str] = []
        with default_settings():
            for line in text.splitlines():
                found.extend(
                    s.secret_value or "" for s in scan_line(line) if s.type not in _DS_ENTROPY
                )
        return _replace(text, found)

    return run


def betterleaks_engine() -> Redactor:
    import betterleaks

    return lambda text: _replace(text, [f.secret for f in betterleaks.scan_string(text)])


def kingfisher_engine() -> Redactor:
    from kingfisher_sdk import Scanner

    scanner = Scanner(base64=True)
    return lambda text: _replace(text, [f.secret for f in scanner.scan(text)])


ENGINES: dict[str, Callable[[], Redactor]] = {
    "tmws": tmws_engine,
    "detect-secrets": detect_secrets_engine,
    "betterleaks": betterleaks_engine,
    "kingfisher": kingfisher_engine,
}


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def evaluate(redact: Redactor) -> dict[str, object]:
    """Leaks, leaking kinds and placements, benign values changed, CPU per short string."""
    samples = build_secrets()
    benign = build_benign()
    leaks = []
    start = time.process_time()
    for s in samples:
        try:
            out = redact(s.text)
        except Exception:  # an engine that fails on an input leaks it (nothing redacted)
            out = s.text
        if leaked(s, out):
            leaks.append(s)
    cpu = time.process_time() - start
    changed = [kind for kind, text in benign if redact(text) != text]
    return {
        "secrets": len(samples),
        "kinds": len({s.kind for s in samples}),
        "leaks": len(leaks),
        "kinds_leaking": len({s.kind for s in leaks}),
        "placements_leaking": sorted({s.placement for s in leaks}),
        "benign": len(benign),
        "benign_changed": changed,
        "ms_per_string": 1000 * cpu / len(samples),
    }


def baseline(rev: str) -> dict[str, object] | None:
    """The corpus result of `redact` at `rev`, from an exported copy of its `src/`."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "src.tar"
        subprocess.run(
            ["git", "-C", str(REPO), "archive", "-o", str(archive), rev, "src"], check=True
        )
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        env = {"PYTHONPATH": f"{tmp}/src", "PATH": "/usr/bin:/bin"}
        argv = [sys.executable, __file__, "--engine", "tmws", "--json", "--baseline-run"]
        done = subprocess.run(argv, check=False, capture_output=True, text=True, env=env)
        return json.loads(done.stdout) if done.returncode == 0 else None


def speed(runs: int) -> dict[str, tuple[float, float, float]]:
    """CPU seconds (median, min, max) of clock-out's read + redact and of redacting the raw
    text of the 3.5 MB corpus session."""
    from hestai_tmws.secrets.redaction import redact
    from hestai_tmws.sessions.transcripts import read_claude_code

    if not TRANSCRIPT.is_file():
        return {}
    raw = TRANSCRIPT.read_text(encoding="utf-8")
    subagents = sorted(TRANSCRIPT.with_suffix("").rglob("*.jsonl"))
    everything = raw + "".join(p.read_text(encoding="utf-8") for p in subagents)
    redact("warm up the detectors: token=abc123def456ghi")
    jobs: dict[str, Callable[[], object]] = {
        "clock-out read+redact (main + subagents)": lambda: read_claude_code(TRANSCRIPT).redacted(),
        f"redact(raw main file text, {len(raw.encode()) / 1e6:.2f} MB)": lambda: redact(raw),
        f"redact(raw main + subagents, {len(everything.encode()) / 1e6:.2f} MB)": lambda: redact(
            everything
        ),
    }
    out = {}
    for name, job in jobs.items():
        times = [_cpu(job) for _ in range(runs)]
        out[name] = (statistics.median(times), min(times), max(times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", default="c489eab")
    parser.add_argument("--engine")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline-run", action="store_true")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(evaluate(ENGINES[args.engine]())))
        return
    results: dict[str, dict[str, object] | None] = {"tmws-baseline": baseline(args.baseline)}
    for name, make in ENGINES.items():
        try:
            results[name] = evaluate(make())
        except ImportError:
            results[name] = None
    print(
        "| engine | secrets leaked (of N) | kinds leaking | benign changed (of N) | CPU ms/string |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        if r is None:
            print(f"| {name} | not installed | | | |")
            continue
        changed = r["benign_changed"]
        assert isinstance(changed, list)
        print(
            f"| {name} | {r['leaks']} of {r['secrets']} | {r['kinds_leaking']} of {r['kinds']} "
            f"| {len(changed)} of {r['benign']} | {r['ms_per_string']:.2f} |"
        )
    for name, r in results.items():
        if r is not None and r["placements_leaking"]:
            print(f"{name}: leaks in {', '.join(r['placements_leaking'])}")  # type: ignore[arg-type]
        if r is not None and r["benign_changed"]:
            print(f"{name}: changed {', '.join(r['benign_changed'])}")  # type: ignore[arg-type]
    for name, (med, lo, hi) in speed(args.runs).items():
        print(f"{name}: median {med:.3f} s CPU (min {lo:.3f}, max {hi:.3f})")


if __name__ == "__main__":
    main()
