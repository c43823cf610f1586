#!/usr/bin/env bash
# Set up a virtualenv with the test extras and run the whole suite: lint, format, types, tests
# (slow ones included, the OCTAVE oracle required).
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
# The OCTAVE reference parser is the test oracle; its declared deps pin mcp<2, so no deps.
.venv/bin/python -m pip install --quiet --no-deps "octave-mcp==1.16.0"
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/ruff format --check src tests benchmarks scripts
.venv/bin/mypy --strict src
# Dogfooding: this repository's own .hestai/ must verify like any user's would in CI.
.venv/bin/tmws verify
# Everything, slow tests too; a missing oracle fails instead of skipping.
TMWS_REQUIRE_ORACLE=1 .venv/bin/python -m pytest -n 2 -p no:cacheprovider -m "slow or not slow" "$@"
