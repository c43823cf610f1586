"""`governance.hub_read`: a hub's files and version, read with the standard library."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.hub import read_hub
from hestai_tmws.governance.hub_read import (
    bundled_hub_dir,
    decode,
    digests_of,
    read_hub_files,
    read_version,
)
from tests.governance.conftest import BUNDLED


def test_the_bundled_hub_reads_as_the_pydantic_reader_sees_it() -> None:
    version, files = read_hub_files(BUNDLED)
    snapshot = read_hub(BUNDLED)
    assert (version, files) == (snapshot.version, snapshot.files)
    assert digests_of(files) == snapshot.digests
    assert bundled_hub_dir() == BUNDLED


def test_dot_files_and_caches_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "VERSION").write_text("2.0\n")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.pyc").write_bytes(b"x")
    (tmp_path / "rules.oct.md").write_text("r")
    assert read_hub_files(tmp_path) == ("2.0", {"VERSION": b"2.0\n", "rules.oct.md": b"r"})


def test_bad_hubs_say_why(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_hub_files(tmp_path / "nowhere")
    with pytest.raises(ValidationError, match="VERSION is missing"):
        read_version(tmp_path)
    (tmp_path / "VERSION").write_text("two words\n")
    with pytest.raises(ValidationError, match="one version token"):
        read_version(tmp_path)
    (tmp_path / "VERSION").write_text("1.0\n")
    (tmp_path / "link").symlink_to(tmp_path / "VERSION")
    with pytest.raises(ValidationError, match="not a regular file"):
        read_hub_files(tmp_path)


def test_decode_names_the_line() -> None:
    with pytest.raises(ValidationError, match="f:2: not valid UTF-8"):
        decode(b"ok\n\xff", "f")
