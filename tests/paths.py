"""Fixed places of the repository, for tests at any depth of the mirrored layout."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
SRC = REPO_ROOT / "src"
FIXTURES = TESTS / "fixtures"
TRANSCRIPT_FIXTURES = FIXTURES / "transcripts"
