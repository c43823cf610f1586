"""Reading governance files: one error naming the file and line, a cache that sees changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.governance.docs import decode, load_document, octave_error_line, parse_text


def test_errors_name_the_file_and_the_line() -> None:
    with pytest.raises(ValidationError, match=r"^hub/x\.oct\.md:\d+: invalid OCTAVE"):
        parse_text("===X===\n  ::\n===END===\n", "hub/x.oct.md")
    with pytest.raises(ValidationError, match=r"^f:2: not valid UTF-8"):
        decode(b"ok\n\xff", "f")
    assert octave_error_line(ValueError("at line 7: bad")) == 7
    assert octave_error_line(ValueError("no number")) is None


def test_the_cache_sees_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "a.oct.md"
    path.write_text("===A===\n===END===\n", encoding="utf-8")
    assert load_document(path).name == "A"
    path.write_text("===BB===\n===END===\n", encoding="utf-8")
    assert load_document(path).name == "BB"
    with pytest.raises(ValidationError, match="is missing"):
        load_document(tmp_path / "missing.oct.md")
